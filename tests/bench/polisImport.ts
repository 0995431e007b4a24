/**
 * Scenario: import the larger Pol.is test conversation (Seattle, 337 voters, 31 statements kept) through the HTTP
 * endpoint, and the same reading and analysis in process; medians over a few runs.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { analyseRound } from '../../server/domain/statements/analysis.js';
import { readPolisExport } from '../../server/domain/statements/polisImport.js';
import { LIMITS } from '../../shared/protocol/index.js';
import { createWorkshop } from '../helpers/clients.js';
import { startTestServer } from '../helpers/startTestServer.js';

const CONVERSATION = '15-per-hour-seattle';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function polisImportBenchmark(runs: number) {
  const file = (name: string) => readFileSync(new URL(`../fixtures/polis/${CONVERSATION}/${name}`, import.meta.url), 'utf8');
  const input = { comments: file('comments.csv'), participantsVotes: file('participants-votes.csv'), groupColumn: 'group-id' };
  const read: number[] = [];
  const analysed: number[] = [];
  const inferred: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const conversation = readPolisExport(input, LIMITS.importedStatementMax);
    const parsed = performance.now();
    analyseRound(conversation.statements, conversation.voters, 5, []);
    const done = performance.now();
    // The same votes without Pol.is's groups: the opinion groups are found here.
    analyseRound(
      conversation.statements,
      conversation.voters.map((v) => ({ ...v, group: null })),
      5,
      [],
    );
    read.push(parsed - started);
    analysed.push(done - parsed);
    inferred.push(performance.now() - done);
  }
  const server = await startTestServer();
  try {
    const created = await createWorkshop(server.url, { title: 'Bench' });
    const body = JSON.stringify(input);
    const http: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/workshops/${created.id}/import/polis`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${created.facilitatorKey}` },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`the import answered ${response.status}`);
      http.push(performance.now() - started);
    }
    return {
      scenario: `Pol.is import (${CONVERSATION})`,
      runs,
      readMs: median(read),
      analyseMs: median(analysed),
      inferMs: median(inferred),
      httpMs: median(http),
      bytes: body.length,
    };
  } finally {
    await server.close();
  }
}
