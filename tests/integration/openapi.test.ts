/**
 * GET /api/openapi.json (server/http/openapi.ts): a valid OpenAPI 3.1 document, naming every route the server
 * has, and describing what a real server answers — each call of a whole session, from creating a workshop to
 * its follow-up, is checked against the document: its status is documented, and its body matches the schema.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { FollowUpView } from '../../shared/protocol/followUp.js';
import { api, end, runSession } from '../helpers/endedSession.js';
import { useTestServer } from '../helpers/startTestServer.js';
import { closeDocs } from '../helpers/yjsClients.js';
import { disconnectAll } from '../helpers/clients.js';

const server = useTestServer();
afterAll(() => {
  closeDocs();
  disconnectAll();
});

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
};
const documentOf = async (): Promise<Doc> => (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Doc;

/** Every route the server's routers declare, as `METHOD /path/{param}`, read from their source. */
function declaredRoutes(): string[] {
  const routes: string[] = [];
  for (const file of readdirSync('server/http').filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(`server/http/${file}`, 'utf8');
    for (const [, method, paths] of source.matchAll(/router\.(get|post|put|delete|patch)\(\s*(\[[^\]]*\]|'[^']*')/g)) {
      for (const [, path] of paths!.matchAll(/'([^']*)'/g)) routes.push(`${method!.toUpperCase()} ${path!.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    }
  }
  // The client's routes: every other GET is the app's page.
  return routes.filter((route) => route !== 'GET /{*splat}').sort();
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and names every route of the server, and no other', async () => {
    const doc = await documentOf();
    const checked = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(checked.errors, String(JSON.stringify(checked.errors)).slice(0, 2000)).toBeUndefined();
    expect(checked.valid).toBe(true);
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual([...new Set(declaredRoutes())].sort());
  });

  it('describes every answer of a session from creation to follow-up', { timeout: 60_000 }, async () => {
    const doc = await documentOf();
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    let calls = 0;
    /** Checks one answer against the operation `template` (OpenAPI path) of `method`; returns its body. */
    const check = async (method: string, template: string, response: Response): Promise<unknown> => {
      calls++;
      const operation = doc.paths[template]?.[method.toLowerCase()];
      expect(operation, `${method} ${template} is not documented`).toBeDefined();
      const documented = operation!.responses[String(response.status)];
      expect(documented, `${method} ${template} answered ${response.status}, which is not documented`).toBeDefined();
      const text = await response.text();
      const types = Object.keys(documented!.content ?? {});
      if (types.length === 0) return text;
      // The answer's type is one of those documented (an export's, its format's).
      const type = types.find((t) => response.headers.get('content-type')?.startsWith(t));
      expect(type, `${method} ${template}: ${response.headers.get('content-type')} is not one of ${types.join(', ')}`).toBeDefined();
      const content = documented!.content![type!];
      if (type !== 'application/json') return text;
      const body = JSON.parse(text) as unknown;
      if (!content?.schema) return body;
      const valid = ajv.validate(content.schema, body);
      expect(valid, `${method} ${template} ${response.status}: ${ajv.errorsText()} in ${text.slice(0, 300)}`).toBe(true);
      return body;
    };
    const post = (path: string, body: unknown, key?: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
      });

    await check('GET', '/healthz', await fetch(`${server.url}/healthz`));
    await check('GET', '/readyz', await fetch(`${server.url}/readyz`));
    await check('GET', '/metrics', await fetch(`${server.url}/metrics`));
    await check('GET', '/api/settings', await fetch(`${server.url}/api/settings`));
    await check('POST', '/api/workshops', await post('/api/workshops', { title: '' }));
    const other = (await check('POST', '/api/workshops', await post('/api/workshops', { title: 'Deleted soon' }))) as {
      id: string;
      joinCode: string;
      facilitatorKey: string;
    };
    await check('GET', '/api/join/{code}/qr.svg', await fetch(`${server.url}/api/join/${other.joinCode}/qr.svg`));
    await check('GET', '/api/workshops/{id}/export/checklist', await api(server.url, `/api/workshops/${other.id}/export/checklist`, other.facilitatorKey));
    for (const format of ['json', 'md', 'csv', 'ics', 'docx', 'pdf', 'odt']) {
      await check('GET', '/api/workshops/{id}/export.{format}', await api(server.url, `/api/workshops/${other.id}/export.${format}`, other.facilitatorKey));
    }
    const exported = await (await api(server.url, `/api/workshops/${other.id}/export.json`, other.facilitatorKey)).json();
    await check('POST', '/api/workshops/import', await post('/api/workshops/import', exported));
    await check('POST', '/api/workshops/import', await post('/api/workshops/import', { schema: 'nope' }));
    await check('POST', '/api/workshops/{id}/import/polis', await post(`/api/workshops/${other.id}/import/polis`, {}, other.facilitatorKey));
    const polis = (name: string) => readFileSync(`tests/fixtures/polis/brexit-consensus/${name}`, 'utf8');
    const conversation = { comments: polis('comments.csv'), participantsVotes: polis('participants-votes.csv') };
    await check('POST', '/api/workshops/{id}/import/polis', await post(`/api/workshops/${other.id}/import/polis`, conversation, other.facilitatorKey));
    await check('DELETE', '/api/workshops/{id}', await api(server.url, `/api/workshops/${other.id}`, 'A'.repeat(22), { method: 'DELETE' }));
    await check('DELETE', '/api/workshops/{id}', await api(server.url, `/api/workshops/${other.id}`, other.facilitatorKey, { method: 'DELETE' }));
    await check('DELETE', '/api/workshops/{id}', await api(server.url, `/api/workshops/${other.id}`, other.facilitatorKey, { method: 'DELETE' }));

    // A session, ended, and its follow-up.
    const ran = await runSession(server);
    const { id, facilitatorKey: key, coFacilitatorKey } = ran.created;
    await check('GET', '/api/workshops/{id}/followup', await api(server.url, `/api/workshops/${id}/followup`, key));
    await check('POST', '/api/workshops/{id}/end', await end(server.url, id, coFacilitatorKey));
    const view = (await check('POST', '/api/workshops/{id}/end', await end(server.url, id, key))) as FollowUpView;
    await check('POST', '/api/workshops/{id}/end', await end(server.url, id, key));
    await check('GET', '/api/workshops/{id}/followup', await api(server.url, `/api/workshops/${id}/followup`, key));
    const endedExport = (await check('GET', '/api/workshops/{id}/export.{format}', await api(server.url, `/api/workshops/${id}/export.json`, key))) as {
      followUp?: object;
    };
    expect(endedExport.followUp).toBeDefined();
    const linked = (await check(
      'POST',
      '/api/workshops/{id}/followup/owners/{ownerId}/link',
      await api(server.url, `/api/workshops/${id}/followup/owners/${view.owners[0]!.id}/link`, key, { method: 'POST' }),
    )) as { url: string };
    await check(
      'POST',
      '/api/workshops/{id}/followup/owners/{ownerId}/link',
      await api(server.url, `/api/workshops/${id}/followup/owners/nobody/link`, key, { method: 'POST' }),
    );
    const ownerKey = linked.url.split('#key=')[1]!;
    await check('GET', '/api/followup/{id}/owner', await api(server.url, `/api/followup/${id}/owner`, ownerKey));
    await check('GET', '/api/followup/{id}/owner', await api(server.url, `/api/followup/${id}/owner`, 'A'.repeat(22)));
    await check('GET', '/api/followup/{id}/calendar.ics', await api(server.url, `/api/followup/${id}/calendar.ics`, ownerKey));
    const commitmentId = view.commitments.find((c) => c.ownerId === view.owners[0]!.id)!.id;
    await check(
      'POST',
      '/api/followup/{id}/updates',
      await post(`/api/followup/${id}/updates`, { commitmentId, status: 'in_progress', note: 'Started' }, ownerKey),
    );
    await check('POST', '/api/followup/{id}/updates', await post(`/api/followup/${id}/updates`, { commitmentId, status: 'dropped' }, ownerKey));
    const othersCommitment = view.commitments.find((c) => c.ownerId !== view.owners[0]!.id)!.id;
    await check('POST', '/api/followup/{id}/updates', await post(`/api/followup/${id}/updates`, { commitmentId: othersCommitment, note: 'x' }, ownerKey));
    await check(
      'PUT',
      '/api/workshops/{id}/followup/lessons',
      await api(server.url, `/api/workshops/${id}/followup/lessons`, key, {
        method: 'PUT',
        body: JSON.stringify({ worked: 'The school hall', didNotWork: '' }),
      }),
    );
    await check(
      'PUT',
      '/api/workshops/{id}/followup/lessons',
      await api(server.url, `/api/workshops/${id}/followup/lessons`, key, { method: 'PUT', body: JSON.stringify({ nonsense: 1 }) }),
    );
    const opened = (await check(
      'POST',
      '/api/workshops/{id}/followup/pulses',
      await post(`/api/workshops/${id}/followup/pulses`, { commitmentIds: [commitmentId] }, key),
    )) as { pulseId: string };
    await check('POST', '/api/workshops/{id}/followup/pulses', await post(`/api/workshops/${id}/followup/pulses`, { commitmentIds: [commitmentId] }, key));
    const page = await fetch(view.publicUrl);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const code = new URL(view.publicUrl).pathname.split('/').at(-1)!;
    await check('GET', '/f/{code}', page);
    await check('GET', '/f/{code}', await fetch(`${server.url}/f/ZZZZZZZZ`));
    await check('GET', '/f/{code}/handout', await fetch(`${view.publicUrl}/handout`));
    await check('GET', '/f/{code}/qr.svg', await fetch(`${view.publicUrl}/qr.svg`));
    const pulse = ((await (await api(server.url, `/api/workshops/${id}/followup`, key)).json()) as FollowUpView).pulses[0]!;
    const form = pulse.questions.map((q) => `q.${q.id}=4`).join('&');
    await check(
      'POST',
      '/f/{code}/pulse/{pulseId}',
      await fetch(`${server.url}/f/${code}/pulse/${opened.pulseId}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      }),
    );
    await check(
      'POST',
      '/f/{code}/pulse/{pulseId}',
      await fetch(`${server.url}/f/${code}/pulse/${opened.pulseId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{}',
      }),
    );
    await check(
      'POST',
      '/api/workshops/{id}/followup/pulses/{pulseId}/close',
      await api(server.url, `/api/workshops/${id}/followup/pulses/${opened.pulseId}/close`, key, { method: 'POST' }),
    );
    await check(
      'POST',
      '/api/workshops/{id}/followup/pulses/{pulseId}/close',
      await api(server.url, `/api/workshops/${id}/followup/pulses/nothing/close`, key, { method: 'POST' }),
    );
    await check('GET', '/api/openapi.json', await fetch(`${server.url}/api/openapi.json`));
    console.log(`openapi: ${calls} answers checked against the document`);
  });
});
