import type { Config } from './config.js';
import { startRoundtable } from './createRoundtable.js';
import { lanAddress } from './lanAddress.js';
import type { Logger } from './log.js';
import { PostgresStore } from './store/postgres/PostgresStore.js';
import type { Store } from './store/Store.js';
import { SqliteStore } from './store/sqlite/SqliteStore.js';

/** The PostgreSQL store when `DATABASE_URL` is set (migrated before anything is served), else SQLite in DATA_DIR. */
export async function openStore(config: Config, log: Logger): Promise<Store> {
  if (!config.DATABASE_URL) return new SqliteStore(config.DATA_DIR);
  const store = await PostgresStore.open(config.DATABASE_URL, { log, sealKey: config.SEAL_KEY! });
  log.info('store: postgresql');
  return store;
}

/** Chooses the store and the public address from the configuration, then starts the server. */
export async function createRoundtable(config: Config, log: Logger) {
  const store = await openStore(config, log);
  try {
    return await startRoundtable({
      store,
      log,
      port: config.PORT,
      host: config.HOST,
      publicUrl: (port) => config.PUBLIC_URL ?? `http://${lanAddress()}:${port}`,
      createKey: config.CREATE_KEY,
      metricsToken: config.METRICS_TOKEN,
      addressEventsPerSecond: config.ADDRESS_EVENTS_PER_SECOND,
      addressJoinsPerSecond: config.ADDRESS_JOINS_PER_SECOND,
      cluster: config.REDIS_URL ? { redisUrl: config.REDIS_URL, sealKey: config.SEAL_KEY! } : undefined,
      trustProxy: config.TRUST_PROXY,
    });
  } catch (error) {
    // A server that could not start (port taken…) must not keep the process alive through an open pool.
    await store.close();
    throw error;
  }
}
