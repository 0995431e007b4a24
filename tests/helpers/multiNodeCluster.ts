/**
 * The set-up of the tests of several server nodes (tests/integration/multiNode*.test.ts, reverseProxy.test.ts):
 * one PostgreSQL cluster and one Redis for the test file, `server/main.ts` in child processes killed after each
 * test, and two nodes started on a fresh database.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { disconnectAll, ok, send, type TestSocket } from './clients.js';
import { startPostgresCluster, type PostgresCluster } from './postgresCluster.js';
import { startRedisServer, type RedisServer } from './redisServer.js';
import { useServerProcesses, type ServerProcess } from './serverProcess.js';
import { SERVICES } from './services.js';
import { needs } from './suiteNeeds.js';
import { closeDocs } from './yjsClients.js';

/** The file's PostgreSQL cluster and Redis, started by `useMultiNodeCluster` before its tests (read them inside tests). */
export let cluster: PostgresCluster;
export let redis: RedisServer;

/** For a test file: starts `cluster` and `redis` before its tests; returns its server processes and `startNodes`. */
export function useMultiNodeCluster() {
  if (needs(SERVICES.postgres, SERVICES.redis)) {
    beforeAll(async () => {
      [cluster, redis] = await Promise.all([startPostgresCluster(), startRedisServer()]);
    }, 120_000);
    afterAll(async () => {
      await redis?.stop();
      await cluster?.stop();
    });
  }

  const servers = useServerProcesses();
  afterEach(() => {
    closeDocs();
    disconnectAll();
  });

  /** Two nodes on a fresh database (its URL third, for tests that reach into PostgreSQL). */
  async function startNodes(): Promise<[ServerProcess, ServerProcess, string]> {
    const databaseUrl = await cluster.createDatabase();
    const start = () => servers.start({ env: { DATABASE_URL: databaseUrl, ...redis.env } });
    // One after the other: the first runs the migrations (the second would wait for its lock anyway).
    const a = await start();
    return [a, await start(), databaseUrl];
  }

  return { servers, startNodes };
}

/** Adds an activity to the agenda (without showing it); resolves with its id. */
export const addActivity = async (facilitator: TestSocket, activity: Record<string, unknown>) => (await ok(send(facilitator, 'agenda:add', { activity }))).id;
