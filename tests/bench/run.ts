/**
 * `npm run bench`: performance scenarios against the real server, printed as a table (`--json` for machine-
 * readable output). Timings are reported, never asserted: these machines are noisy.
 */
import { cpus, totalmem } from 'node:os';
import { lateJoinBenchmark } from './lateJoin.js';

const json = process.argv.includes('--json');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const results = [await lateJoinBenchmark()];

if (json) {
  console.log(JSON.stringify({ machine, results }, null, 2));
} else {
  console.log(`machine: ${machine}`);
  for (const r of results) {
    console.log(`\n${r.scenario} (${r.runs} runs, state ${(r.stateBytes / 1024).toFixed(0)} KiB)`);
    console.log(`  warm (document in memory):      p50 ${r.warm.p50.toFixed(1)} ms   max ${r.warm.max.toFixed(1)} ms`);
    console.log(`  first join after a restart:     ${r.coldFirst.toFixed(1)} ms (loads the document from SQLite)`);
    console.log(`  later joins after the restart:  p50 ${r.coldThenWarm.p50.toFixed(1)} ms   max ${r.coldThenWarm.max.toFixed(1)} ms`);
  }
}
process.exit(0);
