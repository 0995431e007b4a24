/**
 * `npm run admin -- <command>`: an operator's commands, on the store the server uses (DATA_DIR, or DATABASE_URL
 * with SEAL_KEY, read as `npm start` reads them). docs/DEPLOYMENT.md, "Admin commands".
 * `npm run backup` and `npm run restore` are `admin backup` and `admin restore`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pgDump } from './admin/pgDump.js';
import { readConfig, type Config } from './config.js';
import { openStore } from './createRoundtableFromConfig.js';
import { newSecret, hashSecret } from './domain/secrets.js';
import { facilitateUrl, withKey } from './domain/workshop.js';
import { lanAddress } from './lanAddress.js';
import { createLogger } from './log.js';
import { backupDatabase, restoreDatabase } from './store/sqlite/backup.js';
import { DATABASE_FILE } from './store/sqlite/SqliteStore.js';
import type { Store, WorkshopSummary } from './store/Store.js';

const USAGE = `usage: npm run admin -- <command>
  list [--json]        every workshop: id, title, created, kept until, size (nothing about anyone in it)
  delete <id>          delete one workshop and everything it stored, as its facilitator would
  purge                delete every workshop whose retention is over, now
  backup <new file>    SQLite: an online copy of the store; PostgreSQL: pg_dump --format=custom
  restore <file>       SQLite: install a backup (stop the server first)
  rotate-key <id>      a new lead facilitator key: prints the new facilitator link; the old one opens nothing`;

/** A usage mistake (exit code 2), told apart from a command that failed (exit code 1). */
class UsageError extends Error {}

const DAY_MS = 24 * 60 * 60 * 1000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Until when a workshop is kept: its live data's retention, or once ended its follow-up record's. */
const keptUntil = (w: WorkshopSummary) => (w.endedAt === null ? w.expiresAt : w.endedAt + w.followUpDays * DAY_MS);

function table(workshops: WorkshopSummary[]): string {
  const rows = workshops.map((w) => [
    w.id,
    w.title.length > 40 ? `${w.title.slice(0, 39)}…` : w.title,
    day(w.createdAt),
    w.endedAt === null ? `live, ${w.retentionDays} d` : `ended, follow-up ${w.followUpDays} d`,
    day(keptUntil(w)),
    `${Math.ceil(w.bytes / 1024)} KiB`,
  ]);
  const all = [['id', 'title', 'created', 'retention', 'kept until', 'size'], ...rows];
  const widths = all[0]!.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const lines = all.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
  return [...lines, `${workshops.length} workshop${workshops.length === 1 ? '' : 's'}`].join('\n');
}

async function run(command: string | undefined, args: string[], config: Config): Promise<string> {
  const needs = (what: string) => {
    if (!args[0]) throw new UsageError(`${command} needs ${what}`);
    return args[0];
  };
  if (command === 'backup' || command === 'restore') {
    const file = resolve(needs('a file'));
    if (config.DATABASE_URL) {
      if (command === 'restore') throw new Error('on PostgreSQL restore with pg_restore (docs/DEPLOYMENT.md, "Backups")');
      if (existsSync(file)) throw new Error(`${file} exists already: choose a new file name`);
      await pgDump(config.DATABASE_URL, file);
      return `Backed up the PostgreSQL database to ${file} (pg_dump custom format). It holds workshop data: keep it as safe as the server.`;
    }
    if (command === 'backup') {
      const { pages } = await backupDatabase(config.DATA_DIR, file);
      return `Backed up ${resolve(config.DATA_DIR)} to ${file} (${pages} pages). It holds workshop data: keep it as safe as the server.`;
    }
    const { keptAs } = restoreDatabase(file, config.DATA_DIR);
    return `Restored ${file} into ${resolve(config.DATA_DIR)}.${keptAs ? ` The previous database is kept as ${keptAs}.` : ''}`;
  }
  if (!['list', 'delete', 'purge', 'rotate-key'].includes(command ?? '')) throw new UsageError(command ? `unknown command: ${command}` : 'which command?');
  // Never a new, empty store where the server's is expected: a mistyped DATA_DIR would list nothing.
  if (!config.DATABASE_URL && !existsSync(join(config.DATA_DIR, DATABASE_FILE)))
    throw new Error(`no Roundtable database in ${resolve(config.DATA_DIR)} (set DATA_DIR)`);
  const store = await openStore(config, createLogger('warn'));
  try {
    return await runOnStore(store, command!, args, config, needs);
  } finally {
    await store.close();
  }
}

async function runOnStore(store: Store, command: string, args: string[], config: Config, needs: (what: string) => string): Promise<string> {
  if (command === 'list') {
    const workshops = await store.workshopSummaries();
    return args[0] === '--json'
      ? JSON.stringify(
          workshops.map((w) => ({ ...w, keptUntil: keptUntil(w) })),
          null,
          2,
        )
      : table(workshops);
  }
  if (command === 'delete') {
    const id = needs('a workshop id (see list)');
    if (!(await store.deleteWorkshop(id))) throw new Error(`no workshop ${id}`);
    return `Deleted workshop ${id} and everything it stored.`;
  }
  if (command === 'purge') {
    const expired = await store.expiredWorkshopIds(Date.now());
    let deleted = 0;
    for (const id of expired) if (await store.deleteWorkshop(id)) deleted++;
    return `Deleted ${deleted} workshop${deleted === 1 ? '' : 's'} past ${deleted === 1 ? 'its' : 'their'} retention.`;
  }
  const id = needs('a workshop id (see list)');
  const key = newSecret();
  if (!(await store.setFacilitatorKeyHash(id, hashSecret(key)))) throw new Error(`no workshop ${id}`);
  const baseUrl = (config.PUBLIC_URL ?? `http://${lanAddress()}:${config.PORT}`).replace(/\/$/, '');
  return [
    `The lead facilitator key of ${id} is replaced; the old link opens nothing from now on. The new link (give it to the lead facilitator only):`,
    withKey(facilitateUrl(baseUrl, id), key),
  ].join('\n');
}

// What this writes (a backup) is as secret as the store: readable by this user only.
process.umask(0o077);
const [command, ...args] = process.argv.slice(2);
try {
  process.stdout.write(`${await run(command, args, readConfig())}\n`);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`admin ${command ?? ''} failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
