/**
 * Whether this process may open enough files for a big room. Every phone holds a Socket.IO connection and, on a
 * board or the plan, a Yjs one: two files each, plus the store's and the server's own. Linux and macOS often start
 * a process with a soft limit of 1,024 — about 500 phones — and refuse the next connection silently at the limit.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The room a town hall brings: what one server is built to hold (docs/PERFORMANCE.md, "Open files"). */
export const ROOM_SIZE = 5_000;
const FILES_PER_PHONE = 2;
/** The store, logs, listening sockets, Node's own. */
const FILES_BESIDES = 100;

/** The soft limit on open files, from /proc on Linux or the shell's `ulimit -n` elsewhere; undefined if unknown. */
export function openFileLimit(procLimits = '/proc/self/limits'): number | undefined {
  try {
    const line = readFileSync(procLimits, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft) return soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    // not Linux
  }
  try {
    const soft = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return soft === 'unlimited' ? Infinity : Number(soft) || undefined;
  } catch {
    return undefined;
  }
}

/** A warning for `npm start` when `limit` would not hold a room of ROOM_SIZE, or undefined. */
export function openFileWarning(limit: number | undefined): string | undefined {
  if (limit === undefined || limit >= ROOM_SIZE * FILES_PER_PHONE + FILES_BESIDES) return undefined;
  const phones = Math.max(0, Math.floor((limit - FILES_BESIDES) / FILES_PER_PHONE));
  return [
    `  Warning: this process may open ${limit} files, enough for about ${phones} phones at once (a room of ${ROOM_SIZE.toLocaleString('en')} needs ${(ROOM_SIZE * FILES_PER_PHONE + FILES_BESIDES).toLocaleString('en')}).`,
    '  Raise it before a big session: `ulimit -n 65536` in this shell, LimitNOFILE=65536 in systemd, --ulimit nofile=65536 in Docker.',
  ].join('\n');
}
