/** `npm start`: the server (embedded SQLite store unless DATABASE_URL is set), and the links a facilitator needs. */
import QRCode from 'qrcode';
import { resolve } from 'node:path';
import { readConfig } from './config.js';
import { createRoundtable } from './createRoundtableFromConfig.js';
import { createLogger } from './log.js';
import { startupProblem } from './startupProblem.js';
import { openFileLimit, openFileWarning } from './openFileLimit.js';

/** Stops the start with one line saying why and what to do: never a stack trace, never a start without a store. */
function refuseToStart(error: unknown, dataDir: string | undefined): never {
  process.stderr.write(`Roundtable could not start: ${startupProblem(error, dataDir)}\n`);
  process.exit(1);
}

// An older Node would fail later and worse (the store's native module needs Node 22's ABI): say so first.
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
if (major < 22 || (major === 22 && minor < 13)) {
  refuseToStart(new Error(`this is Node ${process.versions.node}; Roundtable needs Node 22.13 or newer, or 24 (see the README)`), undefined);
}

let config: ReturnType<typeof readConfig>;
try {
  config = readConfig();
} catch (error) {
  refuseToStart(error, undefined);
}
const log = createLogger(config.LOG_LEVEL);
// A promise that a library lets fail unhandled (a Redis command cut off mid-flight, say) must not end a live
// session — on a venue laptop nobody may be there to restart it. What was acknowledged is stored; log and go on.
process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', { error: String(reason) }));
const server = await createRoundtable(config, log).catch((error: unknown) => refuseToStart(error, config.DATABASE_URL ? undefined : config.DATA_DIR));

const localUrl = `http://localhost:${server.port}`;
const joinUrl = `${server.baseUrl}/join`;
const qr = await QRCode.toString(joinUrl, { type: 'terminal', small: true });
process.stdout.write(
  [
    '',
    // Never print DATABASE_URL itself: it may carry a password.
    `  Roundtable is running (data ${config.DATABASE_URL ? 'in PostgreSQL' : `in ${resolve(config.DATA_DIR)}`})`,
    '',
    `  Facilitator:   ${localUrl}/  (on this laptop)  ·  ${server.baseUrl}/  (from another device)`,
    `  Participants:  ${joinUrl}`,
    '',
    qr,
    '  Phones on the same Wi-Fi can scan this code, then type the workshop code.',
    '  Each workshop also gets its own QR code on the projector screen.',
    '',
    ...[openFileWarning(openFileLimit())].filter((line) => line !== undefined).map((line) => `${line}\n`),
  ].join('\n'),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info('shutting down', { signal });
    // Draining: /readyz says so at once, while everything else is served as before for DRAIN_SECONDS.
    server.drain();
    if (signal === 'SIGTERM') await new Promise((resolve) => setTimeout(resolve, config.DRAIN_SECONDS * 1000));
    const forced = setTimeout(() => process.exit(1), 10_000).unref();
    await server.close();
    clearTimeout(forced);
    process.exit(0);
  });
}
