import type { Config } from './config.js';
import { startRoundtable } from './createRoundtable.js';
import { lanAddress } from './lanAddress.js';
import type { Logger } from './log.js';
import { SqliteStore } from './store/sqlite/SqliteStore.js';

/** Chooses the store and the public address from the configuration, then starts the server. */
export function createRoundtable(config: Config, log: Logger) {
  return startRoundtable({
    store: new SqliteStore(config.DATA_DIR),
    log,
    port: config.PORT,
    host: config.HOST,
    publicUrl: (port) => config.PUBLIC_URL ?? `http://${lanAddress()}:${port}`,
    createKey: config.CREATE_KEY,
    addressEventsPerSecond: config.ADDRESS_EVENTS_PER_SECOND,
    addressJoinsPerSecond: config.ADDRESS_JOINS_PER_SECOND,
  });
}
