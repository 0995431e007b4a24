/** The real server for the browser tests: built client, a fresh temporary store, a fixed test port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRoundtable } from '../../server/createRoundtable.js';
import { createLogger } from '../../server/log.js';
import { SqliteStore } from '../../server/store/sqlite/SqliteStore.js';

const port = Number(process.env.E2E_PORT ?? 3111);
const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-e2e-'));
const server = await startRoundtable({
  store: new SqliteStore(dataDir),
  log: createLogger('warn'),
  port,
  host: '127.0.0.1',
  publicUrl: () => `http://127.0.0.1:${port}`,
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
}
