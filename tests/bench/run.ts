/**
 * `npm run bench`: performance scenarios against the real server, printed as a table (`--json` for machine-
 * readable output). Timings are reported, never asserted: these machines are noisy.
 */
import { cpus, totalmem } from 'node:os';
import { exportBenchmark } from './exports.js';
import { lateJoinBenchmark } from './lateJoin.js';
import { voteBurstBenchmark } from './voteBurst.js';

const json = process.argv.includes('--json');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const lateJoin = await lateJoinBenchmark();
const voteBurst = await voteBurstBenchmark();
const exports = await exportBenchmark();

if (json) {
  console.log(JSON.stringify({ machine, results: [lateJoin, voteBurst, exports] }, null, 2));
} else {
  const r = lateJoin;
  console.log(`machine: ${machine}`);
  console.log(`\n${r.scenario} (${r.runs} runs, state ${(r.stateBytes / 1024).toFixed(0)} KiB)`);
  console.log(`  warm (document in memory):      p50 ${r.warm.p50.toFixed(1)} ms   max ${r.warm.max.toFixed(1)} ms`);
  console.log(`  first join after a restart:     ${r.coldFirst.toFixed(1)} ms (loads the document from SQLite)`);
  console.log(`  later joins after the restart:  p50 ${r.coldThenWarm.p50.toFixed(1)} ms   max ${r.coldThenWarm.max.toFixed(1)} ms`);
  const v = voteBurst;
  console.log(`\n${v.scenario} (server in its own process)`);
  console.log(`  ${v.ballotsPerSecond} ballots/s acknowledged (all ${v.stored} stored) in ${v.elapsedMs.toFixed(0)} ms`);
  console.log(`  ack latency: p50 ${v.ack.p50.toFixed(1)} ms   p99 ${v.ack.p99.toFixed(1)} ms   max ${v.ack.max.toFixed(1)} ms`);
  console.log(`\n${exports.scenario} (median of ${exports.runs}, through HTTP)`);
  for (const [format, ms] of Object.entries(exports.medianMs)) {
    console.log(`  ${format.padEnd(5)} ${ms.toFixed(1).padStart(7)} ms   ${(exports.bytes[format]! / 1024).toFixed(0)} KiB`);
  }
}
process.exit(0);
