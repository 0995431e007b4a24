/**
 * Reads a test cluster's files byte by byte, to check that deleted data left them. Run `CHECKPOINT` first:
 * until then changed pages may live only in shared memory and the write-ahead log.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningCluster } from './postgresCluster.js';

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * Which of `needles` (text as UTF-8, or raw bytes) occur in any file of the cluster's data folder other than the
 * write-ahead log (`pg_wal`), which PostgreSQL keeps and recycles on its own schedule (docs/DEPLOYMENT.md).
 * Tables, indexes, TOAST tables, free-space maps and catalogues of every database are all read.
 */
export function clusterFilesContaining<T extends string | Buffer>(cluster: RunningCluster, needles: T[]): Set<T> {
  const found = new Set<T>();
  const patterns = needles.map((needle) => [needle, typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle] as const);
  for (const file of filesUnder(cluster.dataDir)) {
    if (file.startsWith(join(cluster.dataDir, 'pg_wal'))) continue;
    if (statSync(file).size === 0) continue;
    const content = readFileSync(file);
    for (const [needle, bytes] of patterns) if (!found.has(needle) && content.includes(bytes)) found.add(needle);
  }
  return found;
}

/** Whether the write-ahead log still holds `needle` (it usually does: deletion cannot reach it). */
export function walContains(cluster: RunningCluster, needle: string | Buffer): boolean {
  const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle;
  return [...filesUnder(join(cluster.dataDir, 'pg_wal'))].some((file) => readFileSync(file).includes(bytes));
}

/**
 * Where each needle first occurs in the write-ahead log, read as one stream in segment order (what
 * `pg_waldump` would walk through): an earlier offset was written earlier. -1 for a needle it does not hold.
 */
export function walOffsets(cluster: RunningCluster, needles: string[]): number[] {
  const segments = [...filesUnder(join(cluster.dataDir, 'pg_wal'))].filter((file) => /\/[0-9A-F]{24}$/.test(file)).sort();
  const wal = Buffer.concat(segments.map((file) => readFileSync(file)));
  return needles.map((needle) => wal.indexOf(Buffer.from(needle, 'utf8')));
}
