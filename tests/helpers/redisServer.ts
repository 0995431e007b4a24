/**
 * A throwaway Redis for tests of several server nodes: `redis-server` on a spare port, in memory only (no RDB
 * snapshot, no append-only file), stopped afterwards. Installed with the test-tools script if missing.
 */
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { TEST_SEAL_KEY } from './sealKey.js';
import { freePort } from './serverProcess.js';
import { findOrInstall, SERVICES } from './services.js';

/** What every node of a test cluster is given: this Redis and one shared SEAL_KEY (DATABASE_URL needs it too). */
export type ClusterEnv = { REDIS_URL: string; SEAL_KEY: string };
export type RedisServer = { port: number; url: string; env: ClusterEnv; stop: () => Promise<void> };

function findOrInstallRedis(): string {
  const found = findOrInstall(SERVICES.redis);
  if (!found) throw new Error(`redis-server is not installed: ${SERVICES.redis.install}`);
  return found;
}

/** Resolves once Redis answers PING on `port`. */
async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts Redis on a spare port, or on `port` (to bring back one that was stopped). */
export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  const binary = findOrInstallRedis();
  const port = options.port ?? (await freePort());
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const stopNow = () => child.kill('SIGKILL');
  process.once('exit', stopNow);
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      stopNow();
      throw new Error('redis-server did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    env: { REDIS_URL: `redis://127.0.0.1:${port}`, SEAL_KEY: TEST_SEAL_KEY },
    async stop() {
      process.off('exit', stopNow);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A `redis-cli MONITOR` of `redis`: every command any client sends, as Redis's operator would read it. */
export async function monitorRedis(redis: RedisServer): Promise<{ stop: () => Promise<string> }> {
  const child = spawn('redis-cli', ['-p', String(redis.port), 'monitor'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let seen = '';
  child.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString()));
  const deadline = Date.now() + 5_000;
  while (!seen.startsWith('OK')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('redis-cli monitor did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      return seen;
    },
  };
}
