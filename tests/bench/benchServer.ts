/**
 * The servers a benchmark drives, each in its own process: the production entry point with a temporary
 * store, or one of the bare references. Memory is read from the child's /proc status, so the server needs no
 * debug endpoint; `--profile` runs Roundtable under `node --cpu-prof`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.js';
import { TEST_SEAL_KEY } from '../helpers/sealKey.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';
import { sleep } from './stats.js';

export type BenchServer = {
  url: string;
  dataDir: string;
  /** Resident set size of the server process, in bytes. */
  rss: () => number;
  stop: () => Promise<void>;
};

/** Servers still running: killed if the harness itself dies, so no orphan keeps a port and a core busy. */
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export type BenchOptions = { profileDir?: string };

function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) * 1024;
}

async function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(forced);
}

/**
 * `ADDRESS_EVENTS_PER_SECOND` lifts the per-address event limit: the load generator's participants share a few
 * loopback addresses that a real room would not share.
 */
const BENCH_ENV = { ADDRESS_EVENTS_PER_SECOND: '100000', LOG_LEVEL: 'warn' };

/** One server process; with `--profile`, under `node --cpu-prof` in a folder of its own. */
async function startNode(name: string, dataDir: string, options: BenchOptions, env: Record<string, string> = {}): Promise<ServerProcess> {
  // One folder per server: tsx's loader thread writes a profile of its own beside the main thread's.
  const nodeArgs = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.profileDir, name)}`] : [];
  const server = await startServerProcess(dataDir, { env: { ...BENCH_ENV, ...env }, nodeArgs });
  running.add(server.child);
  return server;
}

/** Stops a server and keeps its own log, for a scenario that went wrong. */
async function stopNode(name: string, server: ServerProcess): Promise<void> {
  await stopChild(server.child);
  writeFileSync(join(tmpdir(), `roundtable-bench-${name}.log`), server.output());
}

/** Roundtable as `npm run serve` runs it: the embedded SQLite store in a temporary data folder. */
export async function startRoundtable(name: string, options: BenchOptions & { dataDir?: string } = {}): Promise<BenchServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'roundtable-bench-'));
  const server = await startNode(name, dataDir, options);
  return {
    url: server.url,
    dataDir,
    rss: () => rssOf(server.child.pid!),
    stop: async () => {
      await stopNode(name, server);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type BenchNodes = { urls: string[]; stop: () => Promise<void> };

/**
 * Roundtable on PostgreSQL (a throwaway cluster with fsync on, as in production): one node, or with `nodes` > 1
 * several nodes sharing it and a throwaway Redis (REDIS_URL), as docs/DEPLOYMENT.md runs them.
 */
export async function startOnPostgres(name: string, nodes: number, options: BenchOptions): Promise<BenchNodes> {
  const started = await Promise.allSettled([startPostgresCluster({ durable: true }), nodes > 1 ? startRedisServer() : undefined]);
  const [cluster, redis] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined)) as [PostgresCluster | undefined, RedisServer | undefined];
  const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-bench-'));
  const servers: ServerProcess[] = [];
  const stop = async () => {
    // Each part stops even if another fails to: no cluster or Redis outlives the scenario.
    await Promise.allSettled(servers.map((server, i) => stopNode(`${name}-${i + 1}`, server)));
    await Promise.allSettled([redis?.stop(), cluster?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed || !cluster) {
    await stop();
    throw (failed as PromiseRejectedResult | undefined)?.reason ?? new Error('PostgreSQL did not start');
  }
  try {
    const env: Record<string, string> = { DATABASE_URL: await cluster.createDatabase(), SEAL_KEY: TEST_SEAL_KEY, ...(redis && redis.env) };
    // One after the other: the first runs the migrations.
    for (let i = 0; i < nodes; i++) servers.push(await startNode(`${name}-${i + 1}`, dataDir, options, env));
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls: servers.map((s) => s.url), stop };
}

/** One of the bare reference servers in reference/. */
export async function startReference(script: 'bareYjsServer' | 'bareSocketIoServer'): Promise<BenchServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', `tests/bench/reference/${script}.ts`], {
    env: { ...process.env, PORT: String(port) },
    stdio: 'inherit',
  });
  running.add(child);
  for (let i = 0; ; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 200 || child.exitCode !== null) throw new Error(`${script} did not start`);
    await sleep(100);
  }
  return { url, dataDir: '', rss: () => rssOf(child.pid!), stop: () => stopChild(child) };
}
