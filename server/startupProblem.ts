/**
 * Why the server could not start, in one line that says what to do: an operator of a venue laptop meets a
 * folder that is a file, a read-only or full disk, a damaged database or a port in use, and a stack trace
 * (some of whose lines point the wrong way) helps none of them.
 */
import { resolve } from 'node:path';
import { DATABASE_FILE } from './store/sqlite/SqliteStore.js';

export function startupProblem(error: unknown, dataDir: string | undefined): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const folder = dataDir === undefined ? 'DATA_DIR' : `DATA_DIR (${resolve(dataDir)})`;
  const database = dataDir === undefined ? DATABASE_FILE : resolve(dataDir, DATABASE_FILE);
  // Opening a port below 1024 without the right to is EACCES too: not the data folder's fault.
  if ((error as { syscall?: unknown } | null)?.syscall === 'listen') {
    return `the port cannot be opened (${String(code)}): it is in use, or below 1024 without the right to it — choose another with PORT=…`;
  }
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return `${folder} is a file, not a folder: point DATA_DIR at a folder, or move the file away.`;
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DIRECTORY':
    case 'SQLITE_CANTOPEN':
      return `${folder} cannot be written (a read-only disk, or not this user's): check the disk and the folder's permissions.`;
    case 'ENOSPC':
    case 'SQLITE_FULL':
      return `the disk of ${folder} is full: free some space, then start again.`;
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return `${database} is damaged or not a Roundtable database: restore a backup (npm run restore -- <file>), or move it away to start with an empty one.`;
    default:
      if (typeof code === 'string' && code.startsWith('SQLITE_IOERR')) return `${database} cannot be read or written (${code}): check the disk.`;
      return message.split('\n').join(' ');
  }
}
