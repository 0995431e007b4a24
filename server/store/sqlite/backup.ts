/**
 * Online backup and restore of the embedded store. The backup uses SQLite's backup API from a separate
 * connection, so it runs while the server is serving a workshop and yields a consistent copy; a restore
 * replaces the data folder's database while the server is stopped.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from './SqliteStore.js';

/** Copies the live database in `dataDir` to `destination` (a new file); resolves with its size in pages. */
export async function backupDatabase(dataDir: string, destination: string): Promise<{ pages: number }> {
  const source = join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  if (existsSync(destination)) throw new Error(`${destination} exists already: choose a new file name`);
  // Not read-only: a database left with a hot journal by a crash must be rolled back before it can be read.
  const db = new Database(source, { fileMustExist: true });
  try {
    // All remaining pages in one step after the first: each step holds a read lock only briefly, and a write
    // by the server between steps restarts the copy, so many small steps could restart forever while a
    // session is busy.
    const { totalPages } = await db.backup(destination, { progress: ({ totalPages: all }) => all });
    return { pages: totalPages };
  } finally {
    db.close();
  }
}

/** Checks that `file` is a sound Roundtable database, so a restore never installs a broken or foreign file. */
function verify(file: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${file} is damaged: ${String(integrity)}`);
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'workshops'").get();
    if (!table) throw new Error(`${file} is not a Roundtable database`);
  } finally {
    db.close();
  }
}

/**
 * Installs `backupFile` as the database of `dataDir`. The current database, if any, is kept beside it as
 * `roundtable.sqlite.before-restore-<time>`. Stop the server first: it holds the database open.
 */
export function restoreDatabase(backupFile: string, dataDir: string, now = new Date()): { keptAs: string | null } {
  verify(backupFile);
  mkdirSync(dataDir, { recursive: true });
  const target = join(dataDir, DATABASE_FILE);
  let keptAs: string | null = null;
  if (existsSync(target)) {
    // Settle the old file first (roll back a hot journal; fold in a WAL left by an earlier version), so what
    // is kept aside is complete.
    const old = new Database(target);
    old.pragma('journal_mode = DELETE');
    old.close();
    keptAs = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, keptAs);
  }
  for (const stale of ['-journal', '-wal', '-shm']) rmSync(target + stale, { force: true });
  copyFileSync(backupFile, target);
  return { keptAs };
}
