/** Scenario: export a plan of 100 actions in every format; median time per format over a few runs. */
import { performance } from 'node:perf_hooks';
import { addAction, planTitle, readPlan, sectionText } from '../../shared/planDoc.js';
import { ok, connect, createWorkshop, disconnectAll, facilitatorAuth, send } from '../helpers/clients.js';
import { startTestServer } from '../helpers/startTestServer.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const ACTIONS = 100;
const RUNS = 5;
const FORMATS = ['md', 'csv', 'json', 'docx', 'pdf'] as const;

export async function exportBenchmark(runs = RUNS) {
  const server = await startTestServer();
  try {
    const created = await createWorkshop(server.url, { title: 'Bench' });
    const { socket } = await connect(server.url, facilitatorAuth(created));
    const plan = await ok(send(socket, 'agenda:add', { activity: { kind: 'plan', title: 'Plan' } }));
    await send(socket, 'agenda:goTo', { id: plan.id });
    const editor = await openDoc(server.url, socket, 'plan');
    planTitle(editor.doc).insert(0, 'City-wide prevention plan');
    sectionText(editor.doc, 'vision').insert(0, 'Every neighbourhood safe, every voice heard. '.repeat(10));
    for (let i = 0; i < ACTIONS; i++) {
      const action = addAction(editor.doc, `action-${i}`, { title: `Action ${i}: street lighting and youth programmes`, pillar: 'prevention' });
      (action.get('description') as { insert: (at: number, s: string) => void }).insert(
        0,
        'Work with residents, the municipality and the police to agree and deliver. '.repeat(4),
      );
    }
    const check = await openDoc(server.url, socket, 'plan');
    while (readPlan(check.doc).actions.length < ACTIONS) await new Promise((r) => setTimeout(r, 50));

    const times: Record<string, number> = {};
    const sizes: Record<string, number> = {};
    for (const format of FORMATS) {
      const durations: number[] = [];
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        const response = await fetch(`${server.url}/api/workshops/${created.id}/export.${format}`, {
          headers: { authorization: `Bearer ${created.facilitatorKey}` },
        });
        sizes[format] = (await response.arrayBuffer()).byteLength;
        durations.push(performance.now() - started);
      }
      times[format] = durations.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
    }
    return { scenario: `export a plan of ${ACTIONS} actions`, runs, medianMs: times, bytes: sizes };
  } finally {
    closeDocs();
    disconnectAll();
    await server.close();
  }
}
