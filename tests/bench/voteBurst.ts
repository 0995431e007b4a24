/**
 * Scenario: 500 participants answer one poll at the same moment. The server runs in its own process (as in
 * production); the clients run here. Reports ballots acknowledged per second and the ack latency.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { newToken } from '../helpers/clients.js';

const VOTERS = 500;
const PORT = 3177;
const url = `http://127.0.0.1:${PORT}`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function connect(auth: object): Promise<Socket> {
  const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('session:snapshot', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function startServer() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/startE2eServer.ts'], {
    env: { ...process.env, E2E_PORT: String(PORT) },
    stdio: 'inherit',
  });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

export async function voteBurstBenchmark() {
  const server = await startServer();
  try {
    const created = await (await fetch(`${url}/api/workshops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Bench' }) })).json();
    const facilitator = await connect({ role: 'facilitator', workshopId: created.id, key: created.facilitatorKey });
    const added = await facilitator.emitWithAck('agenda:add', { activity: { kind: 'poll', title: 'Burst', type: 'single', options: ['Yes', 'No', 'Unsure'] } });
    await facilitator.emitWithAck('agenda:goTo', { id: added.id });
    await facilitator.emitWithAck('activity:setState', { id: added.id, state: 'open' });
    const voters: Socket[] = [];
    for (let i = 0; i < VOTERS; i += 50) {
      voters.push(...(await Promise.all(Array.from({ length: Math.min(50, VOTERS - i) }, () => connect({ role: 'participant', joinCode: created.joinCode, token: newToken() })))));
    }
    const choices = ['yes', 'no', 'unsure'];
    const started = performance.now();
    const latencies = await Promise.all(
      voters.map(async (socket, i) => {
        const sent = performance.now();
        const ack = await socket.timeout(30_000).emitWithAck('poll:vote', { pollId: added.id, answer: { choice: choices[i % 3] } });
        if (!ack.ok) throw new Error(`vote refused: ${ack.message}`);
        return performance.now() - sent;
      }),
    );
    const elapsed = performance.now() - started;
    await facilitator.emitWithAck('activity:setState', { id: added.id, state: 'closed' });
    const final = await facilitator.emitWithAck('poll:results', { pollId: added.id });
    if (final.results.respondents !== VOTERS) throw new Error(`lost ballots: ${final.results.respondents} of ${VOTERS}`);
    for (const socket of [facilitator, ...voters]) socket.disconnect();
    latencies.sort((a, b) => a - b);
    return {
      scenario: `${VOTERS} participants vote in one poll at once`,
      ballotsPerSecond: Math.round((VOTERS / elapsed) * 1000),
      elapsedMs: elapsed,
      ack: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1)! },
      stored: final.results.respondents as number,
    };
  } finally {
    server.kill('SIGTERM');
  }
}
