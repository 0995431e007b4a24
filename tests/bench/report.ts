/** The results table: each measurement beside its target from issue 8 (docs/PERFORMANCE.md). */
import type { bigBoard, bigBoardReference } from './bigBoard.js';
import type { broadcast, broadcastReference } from './broadcast.js';
import type { exportBenchmark } from './exports.js';
import type { polisImportBenchmark } from './polisImport.js';
import type { firstLoad } from './firstLoad.js';
import type { idleMemory } from './idleMemory.js';
import type { joinStorm } from './joinStorm.js';
import type { Summary } from './stats.js';
import type { voteBurst } from './voteBurst.js';

type Of<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
export type Results = {
  joinStorm?: Of<typeof joinStorm>;
  /** One run per server set-up: one node on SQLite, one on PostgreSQL, two nodes on PostgreSQL + Redis. */
  voteBursts?: Of<typeof voteBurst>[];
  broadcast?: Of<typeof broadcast> & { reference: Of<typeof broadcastReference> };
  bigBoard?: Of<typeof bigBoard> & { reference: Of<typeof bigBoardReference> };
  idleMemory?: Of<typeof idleMemory>;
  firstLoad?: Of<typeof firstLoad>;
  exports?: Of<typeof exportBenchmark>;
  polisImport?: Of<typeof polisImportBenchmark>;
};

export type Row = {
  scenario: string;
  metric: string;
  value: string;
  target: string;
  /** true/false against the target; null where there is no target. */
  met: boolean | null;
  /** Something was lost (a ballot, a delivery, a note): the run fails whatever the timings. */
  lost?: boolean;
};

const ms = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`);
const p50p99 = (s: Summary) => `p50 ${ms(s.p50)} · p99 ${ms(s.p99)}`;
const atMost = (value: number | null, limit: number) => value !== null && !Number.isNaN(value) && value <= limit;

export function toRows(r: Results): Row[] {
  const rows: Row[] = [];
  const add = (row: Row) => rows.push(row);
  if (r.joinStorm) {
    const j = r.joinStorm;
    const s = `join storm, ${j.participants} (${j.notes} notes)`;
    add({ scenario: s, metric: 'all have the current activity', value: ms(j.allHaveActivityMs), target: '', met: null });
    add({ scenario: s, metric: 'all joined (board synced)', value: ms(j.allJoinedMs), target: '≤ 3 s', met: atMost(j.allJoinedMs, 3000) });
    add({ scenario: s, metric: 'join latency', value: p50p99(j.joinMs), target: 'p99 ≤ 1.5 s', met: atMost(j.joinMs.p99, 1500) });
    add({ scenario: s, metric: 'load generator start lag', value: ms(j.generatorLagMs), target: '', met: null });
  }
  for (const v of r.voteBursts ?? []) {
    const single = v.store === 'SQLite' && v.nodes === 1;
    const where = single ? '' : ` (${v.nodes === 1 ? 'one node' : `${v.nodes} nodes + Redis`} on ${v.store})`;
    // Issue 8's targets are for one node on the embedded store; other set-ups are reported beside them.
    const target = (text: string, met: boolean) => (single ? { target: text, met } : { target: '', met: null });
    const paced = `vote burst${where}, ${v.voters} within 1 s`;
    const burst = `vote burst${where}, ${v.voters} at once`;
    const onScreen = (shown: number | null, afterClosing: number | null) =>
      shown === null ? `not while open (after closing: ${ms(afterClosing)})` : ms(shown);
    add({ scenario: paced, metric: 'ack latency', value: p50p99(v.withinOneSecond.ackMs), ...target('p99 ≤ 50 ms', atMost(v.withinOneSecond.ackMs.p99, 50)) });
    add({
      scenario: paced,
      metric: 'final count on screen after last ack',
      value: onScreen(v.withinOneSecond.liveScreenMs, v.withinOneSecond.closeToScreenMs),
      ...target('≤ 1 s', atMost(v.withinOneSecond.liveScreenMs, 1000)),
    });
    add({
      scenario: burst,
      metric: 'ballots stored per second',
      value: `${v.allAtOnce.ballotsPerSecond}/s`,
      ...target('≥ 5,000/s', v.allAtOnce.ballotsPerSecond >= 5000),
    });
    add({ scenario: burst, metric: 'ack latency', value: p50p99(v.allAtOnce.ackMs), target: '', met: null });
    add({
      scenario: burst,
      metric: 'final count on screen after last ack',
      value: onScreen(v.allAtOnce.liveScreenMs, v.allAtOnce.closeToScreenMs),
      ...target('≤ 1 s', atMost(v.allAtOnce.liveScreenMs, 1000)),
    });
    const lost = v.withinOneSecond.lost + v.allAtOnce.lost;
    add({ scenario: `vote burst${where}`, metric: 'ballots lost (closed and counted)', value: String(lost), target: '0', met: lost === 0, lost: lost !== 0 });
  }
  if (r.broadcast) {
    const b = r.broadcast;
    const s = `agenda broadcast to ${b.participants}`;
    add({ scenario: s, metric: 'delivery latency', value: p50p99(b.deliveryMs), target: 'p99 ≤ 100 ms', met: atMost(b.deliveryMs.p99, 100) });
    add({ scenario: s, metric: 'bare Socket.IO, same payload', value: p50p99(b.reference.deliveryMs), target: '', met: null });
    const ratio = b.deliveryMs.p99 / b.reference.deliveryMs.p99;
    add({
      scenario: s,
      metric: 'p99 ratio to bare Socket.IO',
      value: `${ratio.toFixed(2)}× (p50 ${(b.deliveryMs.p50 / b.reference.deliveryMs.p50).toFixed(2)}×)`,
      target: '≤ 1.5×',
      met: ratio <= 1.5,
    });
    const missing = b.missing + b.reference.missing;
    add({ scenario: s, metric: 'deliveries missing', value: String(missing), target: '0', met: missing === 0, lost: missing !== 0 });
  }
  if (r.bigBoard) {
    const g = r.bigBoard;
    const s = `big board, ${g.notes} notes`;
    add({
      scenario: s,
      metric: 'late joiner sync (warm)',
      value: `${p50p99(g.lateJoinWarmMs)} · max ${ms(g.lateJoinWarmMs.max)}`,
      target: '≤ 300 ms',
      met: atMost(g.lateJoinWarmMs.max, 300),
    });
    add({
      scenario: s,
      metric: 'late joiner sync after a restart',
      value: `first ${ms(g.lateJoinAfterRestartMs.first)} · then p50 ${ms(g.lateJoinAfterRestartMs.p50)}`,
      target: '',
      met: null,
    });
    add({ scenario: s, metric: 'bare @y/websocket-server late join', value: p50p99(g.reference.lateJoinWarmMs), target: '', met: null });
    const w = `${s}, ${g.watchers} watching, ${g.perSecond}/s`;
    add({
      scenario: w,
      metric: 'relay, facilitator provider writes',
      value: p50p99(g.providerNotes.relayMs),
      target: 'p99 ≤ 100 ms',
      met: atMost(g.providerNotes.relayMs.p99, 100),
    });
    if ('error' in g.participantNotes) {
      add({ scenario: w, metric: 'relay, participants board:addNote', value: `failed: ${g.participantNotes.error}`, target: 'p99 ≤ 100 ms', met: false });
    } else {
      add({
        scenario: w,
        metric: 'relay, participants board:addNote',
        value: p50p99(g.participantNotes.relayMs),
        target: 'p99 ≤ 100 ms',
        met: atMost(g.participantNotes.relayMs.p99, 100),
      });
      add({ scenario: w, metric: 'board:addNote ack', value: p50p99(g.participantNotes.ackMs), target: '', met: null });
    }
    add({ scenario: w, metric: 'relay, bare @y/websocket-server', value: p50p99(g.reference.providerNotes.relayMs), target: '', met: null });
    const ours = g.providerNotes.burst.updatesPerSecond;
    const bare = g.reference.providerNotes.burst.updatesPerSecond;
    add({
      scenario: w,
      metric: `relay throughput (burst of ${g.providerNotes.burst.updates})`,
      value: `${ours} updates/s (${(ours * g.watchers).toLocaleString('en')} deliveries/s); bare ${bare}/s`,
      target: '',
      met: null,
    });
    add({ scenario: w, metric: 'relay throughput ratio to bare', value: `${(ours / bare).toFixed(2)}×`, target: '≥ 0.8×', met: ours / bare >= 0.8 });
  }
  if (r.idleMemory) {
    const m = r.idleMemory;
    const s = `idle memory, ${m.participants} in ${m.workshops} workshops`;
    add({
      scenario: s,
      metric: 'server RSS per participant',
      value: `${(m.bytesPerParticipant / 1024).toFixed(1)} KiB (RSS ${m.rssBeforeMiB.toFixed(0)} → ${m.rssAfterMiB.toFixed(0)} MiB)`,
      target: '≤ 40 KB',
      met: m.bytesPerParticipant <= 40_000,
    });
  }
  if (r.firstLoad) {
    const f = r.firstLoad;
    add(
      f.built
        ? {
            scenario: 'participant first load',
            metric: 'page, app, participant view, largest catalogue (Brotli)',
            value: `${(f.brotliBytes / 1024).toFixed(1)} KiB; then ${f.activities.map((a) => `${a.view.split('/')[1]} +${(a.bytes / 1024).toFixed(1)}`).join(', ')}`,
            target: '≤ 100 KB',
            met: f.brotliBytes <= f.budget,
          }
        : { scenario: 'participant first load', metric: 'Brotli', value: 'client not built (npm run build)', target: '≤ 100 KB', met: null },
    );
  }
  if (r.exports) {
    const e = r.exports;
    for (const [format, t] of Object.entries(e.medianMs)) {
      add({
        scenario: `${e.scenario} (median of ${e.runs})`,
        metric: format,
        value: `${ms(t)} · ${(e.bytes[format]! / 1024).toFixed(0)} KiB`,
        target: '',
        met: null,
      });
    }
  }
  if (r.polisImport) {
    const p = r.polisImport;
    const scenario = `${p.scenario} (median of ${p.runs})`;
    add({ scenario, metric: 'read the CSV files', value: ms(p.readMs), target: '', met: null });
    add({ scenario, metric: 'analyse over its groups', value: ms(p.analyseMs), target: '', met: null });
    add({ scenario, metric: 'analyse, finding opinion groups', value: ms(p.inferMs), target: '', met: null });
    add({ scenario, metric: `POST, ${(p.bytes / 1024).toFixed(0)} KiB`, value: ms(p.httpMs), target: '', met: null });
  }
  return rows;
}

export function printTable(rows: Row[]): void {
  const head = { scenario: 'scenario', metric: 'metric', value: 'result', target: 'target', met: 'met' };
  const cells = rows.map((r) => ({ ...r, met: r.met === null ? '' : r.met ? 'yes' : 'NO' }));
  const width = (k: keyof typeof head) => Math.max(head[k].length, ...cells.map((c) => String(c[k]).length));
  const line = (c: Record<keyof typeof head, string>) =>
    (Object.keys(head) as (keyof typeof head)[])
      .map((k) => String(c[k]).padEnd(width(k)))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log((Object.keys(head) as (keyof typeof head)[]).map((k) => '─'.repeat(width(k))).join('  '));
  let previous = '';
  for (const c of cells) {
    console.log(line({ ...c, scenario: c.scenario === previous ? '' : c.scenario }));
    previous = c.scenario;
  }
}
