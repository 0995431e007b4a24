/**
 * `npm run bench`: the scenarios of docs/PERFORMANCE.md against the production server in a child process,
 * driven by forked load-generator processes, with reference runs against bare servers. Prints a table of
 * results against the targets (`--json`: machine-readable). Timings are reported, never asserted; a lost
 * ballot, delivery or note fails the run.
 *
 *   --quick        a small version, under a minute (CI runs it to keep the harness working)
 *   --json         print JSON instead of the table
 *   --profile      run each Roundtable server under `node --cpu-prof` and summarise the top frames
 *   --only=a,b     only these scenarios (join, vote, nodes, broadcast, board, memory, load, exports, polis);
 *                  nodes: the vote burst on PostgreSQL, one node and two nodes with Redis
 *   --workers=N    load-generator processes (default 4; 2 with --quick)
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigBoard, bigBoardReference } from './bigBoard.js';
import { broadcast, broadcastReference } from './broadcast.js';
import { exportBenchmark } from './exports.js';
import { polisImportBenchmark } from './polisImport.js';
import { firstLoad } from './firstLoad.js';
import { Fleet } from './fleet.js';
import { idleMemory } from './idleMemory.js';
import { joinStorm } from './joinStorm.js';
import { printProfile, summariseProfile } from './profileSummary.js';
import { toRows, printTable, type Results } from './report.js';
import { startOnPostgres, startRoundtable } from './benchServer.js';
import { voteBurst } from './voteBurst.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const only = option('only')?.split(',');
const wanted = (name: string) => !only || only.includes(name);
const profileDir = args.includes('--profile') ? mkdtempSync(join(tmpdir(), 'roundtable-profile-')) : undefined;

const SIZES = quick
  ? {
      join: { participants: 100, notes: 50 },
      vote: { voters: 100 },
      broadcast: { participants: 100, rounds: 3 },
      board: { notes: 300, watchers: 50, perSecond: 50, seconds: 2, burst: 100, lateJoins: 3 },
      memory: { participants: 200, workshops: 4 },
      exportRuns: 1,
    }
  : {
      join: { participants: 1000, notes: 200 },
      vote: { voters: 1000 },
      broadcast: { participants: 1000, rounds: 10 },
      board: { notes: 2000, watchers: 500, perSecond: 50, seconds: 10, burst: 500, lateJoins: 7 },
      memory: { participants: 2000, workshops: 20 },
      exportRuns: 5,
    };

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const fleet = await Fleet.start(Number(option('workers') ?? (quick ? 2 : 4)));
// y-websocket providers each add a process 'exit' listener; the parent opens a few dozen.
process.setMaxListeners(0);
// A socket dropped under load rejects its pending acks; whoever awaited them reports the failure, so a stray
// rejection is logged rather than ending the run with no table.
process.on('unhandledRejection', (error) => console.error('bench: unhandled rejection:', error));
const began = Date.now();
const progress = (what: string) => json || console.error(`… ${((Date.now() - began) / 1000).toFixed(0).padStart(3)} s  ${what}`);
const options = { profileDir };
const results: Results = {};
try {
  if (wanted('join')) {
    progress('join storm');
    results.joinStorm = await joinStorm(fleet, SIZES.join, options);
  }
  if (wanted('vote')) {
    progress('vote burst');
    const start = async () => {
      const server = await startRoundtable('vote-burst', options);
      return { urls: [server.url], stop: server.stop };
    };
    (results.voteBursts ??= []).push(await voteBurst(fleet, SIZES.vote, { store: 'SQLite', start }));
  }
  if (wanted('nodes')) {
    for (const nodes of [1, 2]) {
      progress(`vote burst, ${nodes} node${nodes > 1 ? 's' : ''} on PostgreSQL${nodes > 1 ? ' + Redis' : ''}`);
      const start = () => startOnPostgres(`vote-burst-pg${nodes}`, nodes, options);
      (results.voteBursts ??= []).push(await voteBurst(fleet, SIZES.vote, { store: 'PostgreSQL', start }));
    }
  }
  if (wanted('broadcast')) {
    progress('broadcast');
    const ours = await broadcast(fleet, SIZES.broadcast, options);
    progress('broadcast, bare Socket.IO reference');
    results.broadcast = { ...ours, reference: await broadcastReference(fleet, SIZES.broadcast, ours.payload) };
  }
  if (wanted('board')) {
    progress('big board');
    const ours = await bigBoard(fleet, SIZES.board, options);
    progress('big board, bare @y/websocket-server reference');
    results.bigBoard = { ...ours, reference: await bigBoardReference(fleet, SIZES.board) };
  }
  if (wanted('memory')) {
    progress('idle memory');
    results.idleMemory = await idleMemory(fleet, SIZES.memory, options);
  }
  if (wanted('load')) {
    progress('first load');
    results.firstLoad = firstLoad();
  }
  if (wanted('exports')) {
    progress('exports');
    results.exports = await exportBenchmark(SIZES.exportRuns);
  }
  if (wanted('polis')) {
    progress('Pol.is import');
    results.polisImport = await polisImportBenchmark(SIZES.exportRuns * 2 + 1);
  }
} catch (error) {
  console.error('bench failed:', error);
  process.exit(1);
} finally {
  fleet.close();
}

const rows = toRows(results);
/** Per server, the main thread's profile: the busiest one in its folder (the other is tsx's loader thread). */
const profiles = profileDir
  ? readdirSync(profileDir).map((server) => {
      const files = readdirSync(join(profileDir, server)).map((f) => ({ name: `${server}/${f}`, ...summariseProfile(join(profileDir, server, f)) }));
      return files.sort((a, b) => b.busyMs - a.busyMs)[0]!;
    })
  : [];
if (json) {
  const { broadcast: b, ...rest } = results;
  const withoutPayload = b && { ...b, payload: undefined };
  console.log(JSON.stringify({ machine, quick, sizes: SIZES, table: rows, results: { ...rest, broadcast: withoutPayload }, profiles, profileDir }, null, 2));
} else {
  console.log(`machine: ${machine}${quick ? '  (--quick: small sizes)' : ''}\n`);
  printTable(rows);
  for (const p of profiles) printProfile(p.name, p);
  if (profileDir) console.log(`\nprofiles kept in ${profileDir} (open in Chrome DevTools → Performance, or speedscope)`);
}

// Nothing may be lost, whatever the timings: that is what CI checks.
const lost = rows.filter((r) => r.lost);
if (lost.length > 0) {
  console.error(`\nLOST: ${lost.map((r) => `${r.scenario}: ${r.metric} = ${r.value}`).join('; ')}`);
  process.exit(1);
}
process.exit(0);
