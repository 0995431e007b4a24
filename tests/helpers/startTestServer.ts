/**
 * Starts the real Roundtable server on an ephemeral port with a temporary SQLite store, or with the PostgreSQL
 * store on `databaseUrl` when given (tests/helpers/postgresCluster.ts starts a throwaway database), or with
 * `store` (a real store with a fault injected, say).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRoundtable, type RoundtableOptions } from '../../server/createRoundtable.js';
import { createLogger, type Logger } from '../../server/log.js';
import { PostgresStore } from '../../server/store/postgres/PostgresStore.js';
import { SqliteStore } from '../../server/store/sqlite/SqliteStore.js';
import type { Store } from '../../server/store/Store.js';
import { disconnectAll } from './clients.js';
import { TEST_SEAL_KEY } from './sealKey.js';

export type TestServer = { url: string; port: number; dataDir: string; drain: () => void; close: () => Promise<void> };

export async function startTestServer(
  options: { dataDir?: string; databaseUrl?: string; store?: Store; port?: number; log?: Logger; clientDir?: string } & Pick<
    RoundtableOptions,
    'purgeIntervalMs' | 'clock' | 'createKey' | 'metricsToken' | 'addressEventsPerSecond' | 'addressJoinsPerSecond' | 'trustProxy'
  > = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'roundtable-test-'));
  const server = await startRoundtable({
    store: options.store ?? (options.databaseUrl ? await PostgresStore.open(options.databaseUrl, { sealKey: TEST_SEAL_KEY }) : new SqliteStore(dataDir)),
    log: options.log ?? createLogger('silent'),
    port: options.port ?? 0,
    host: '127.0.0.1',
    clientDir: options.clientDir,
    purgeIntervalMs: options.purgeIntervalMs,
    clock: options.clock,
    createKey: options.createKey,
    metricsToken: options.metricsToken,
    addressEventsPerSecond: options.addressEventsPerSecond,
    addressJoinsPerSecond: options.addressJoinsPerSecond,
    trustProxy: options.trustProxy,
    publicUrl: (port) => `http://127.0.0.1:${port}`,
  });
  return { url: server.baseUrl, port: server.port, dataDir, drain: () => server.drain(), close: () => server.close() };
}

/**
 * Registers a server for the test file: started before its tests, closed after them, with every client
 * socket disconnected after each test. Read `.url` inside tests.
 */
export function useTestServer(options: Parameters<typeof startTestServer>[0] = {}): { readonly url: string; readonly dataDir: string } {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
  });
  afterEach(disconnectAll);
  afterAll(() => server?.close());
  return {
    get url() {
      if (!server) throw new Error('the test server is not running');
      return server.url;
    },
    get dataDir() {
      if (!server) throw new Error('the test server is not running');
      return server.dataDir;
    },
  };
}
