/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder, `pg_ctl start` on a spare port
 * (TCP on 127.0.0.1 only, its Unix socket in the same folder), torn down with the folder afterwards. PostgreSQL
 * refuses to run as root, so as root the cluster belongs to the `postgres` user and its commands run through
 * `runuser`. Used by the PostgreSQL store's tests and by tests that run several server nodes on one database.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './serverProcess.js';
import { findOrInstall, SERVICES } from './services.js';

export type PostgresCluster = {
  port: number;
  /** The cluster's data folder (`PGDATA`), for tests that read its files. */
  dataDir: string;
  /** The folder of the PostgreSQL programs it runs (pg_dump, pg_restore… of the same version). */
  bin: string;
  /** Connection URL of a database as the superuser `postgres` (default: the `postgres` database). */
  url: (database?: string) => string;
  /** Creates an empty database with a fresh name and returns its URL. */
  createDatabase: () => Promise<string>;
  stop: () => Promise<void>;
};

/** A cluster as its tests see it: theirs to use, not to stop. */
export type RunningCluster = Omit<PostgresCluster, 'stop'>;

const runningAsRoot = process.getuid?.() === 0;

/** Finds PostgreSQL, installing it with the test-tools script (apt-get, as root) if it is missing. */
function findOrInstallPostgres(): string {
  const found = findOrInstall(SERVICES.postgres);
  if (!found) throw new Error(`PostgreSQL is not installed: ${SERVICES.postgres.install}`);
  return found;
}

/** Runs a PostgreSQL program as the cluster's owner. */
function runAsOwner(bin: string, program: string, args: string[]): string {
  const command = join(bin, program);
  const [file, argv] = runningAsRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Starts a new cluster; remember to `stop()` it (it is also stopped if the test process exits first).
 * `durable`: keep fsync on, as a production server runs — for benchmarks, whose figures must include it.
 */
export async function startPostgresCluster(options: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const bin = findOrInstallPostgres();
  // /tmp rather than $TMPDIR as root: the postgres user must be able to reach the folder.
  const home = mkdtempSync(join(runningAsRoot ? '/tmp' : tmpdir(), 'roundtable-pg-'));
  chmodSync(home, 0o700);
  if (runningAsRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(home, uid, gid);
  }
  const dataDir = join(home, 'data');
  const port = await freePort();
  runAsOwner(bin, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  // fsync off for tests: the cluster is thrown away, and surviving a power cut is PostgreSQL's part, not what
  // tests check (a killed server node loses nothing either way: commits reach the database server first).
  const serverOptions = `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -c max_connections=200${options.durable ? '' : ' -c fsync=off'}`;
  runAsOwner(bin, 'pg_ctl', ['-D', dataDir, '-l', join(home, 'server.log'), '-w', '-t', '60', '-o', serverOptions, 'start']);

  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      runAsOwner(bin, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  };
  process.once('exit', stopNow);

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let databases = 0;
  return {
    port,
    dataDir,
    bin,
    url,
    async createDatabase() {
      const name = `roundtable_${++databases}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      process.off('exit', stopNow);
      stopNow();
    },
  };
}
