/**
 * The HTTP API described as OpenAPI 3.1, served at GET /api/openapi.json. Request bodies and queries are the
 * very zod schemas the routes validate with, turned into JSON Schema by zod; the JSON answers are described by
 * the schemas below. tests/integration/openapi.test.ts checks the document against the OpenAPI specification,
 * that every route of server/http/ is in it, and every answer of a real server against it.
 * The Socket.IO events are docs/PROTOCOL.md's.
 */
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { ErrorCode, LANGUAGES } from '../../shared/protocol/index.js';
import {
  commitmentUpdateSchema,
  createWorkshopSchema,
  endWorkshopSchema,
  exportQuerySchema,
  importSchema,
  lessonsSchema,
  polisImportSchema,
  pulseAnswersSchema,
  pulseOpenSchema,
} from '../../shared/protocol/schemas.js';
import { workshopExportSchema } from '../export/exportSchema.js';

/** `{code, message}`: every refusal's body. */
const errorBody = z.object({ code: z.enum(ErrorCode), message: z.string() });
const health = z.object({ status: z.enum(['ok', 'disk_full', 'storage_failed', 'unavailable', 'draining']), since: z.iso.datetime().optional() });
const link = z.url();
const createdWorkshop = z
  .object({
    id: z.string(),
    joinCode: z.string(),
    facilitatorKey: z.string(),
    coFacilitatorKey: z.string(),
    urls: z.object({ join: link, screen: link, facilitate: link, coFacilitate: link }),
  })
  .meta({ description: 'The keys are shown here once and stored nowhere: keep the facilitate link.' });

/** An answer: what it means, and its body by content type (with a schema where its shape is fixed). */
type Body = { description: string; content?: Record<string, z.ZodType | undefined> };
type Operation = {
  summary: string;
  /** Who may call it: which `Authorization: Bearer` key, if any. */
  auth?: 'facilitator' | 'leadFacilitator' | 'organiser' | 'owner' | 'metrics';
  params?: string[];
  query?: z.ZodObject;
  /** The request body, by default as JSON. */
  body?: { schema: z.ZodType; types?: string[] };
  responses: Record<number, Body>;
};

const json = (schema: z.ZodType | undefined, description: string): Body => ({ description, content: { 'application/json': schema } });
const refused = (description: string): Body => json(errorBody, description);
const noContent: Body = { description: 'done' };
const unauthorized = refused('no key, or not a key of this workshop');
const notFound = refused('no workshop with this id');
const invalid = refused('the body or query does not match the schema: the message says where');

/** Every route, keyed `METHOD /path/{param}` as OpenAPI writes paths. */
export const OPERATIONS: Record<string, Operation> = {
  'GET /healthz': {
    summary: 'Whether this node works: its store, its disk, Redis',
    responses: { 200: json(health, 'working'), 503: json(health, 'not working') },
  },
  'GET /readyz': {
    summary: 'Whether to send newcomers here: as /healthz, and 503 draining once stopping',
    responses: { 200: json(health, 'ready'), 503: json(health, 'not ready, or draining') },
  },
  'GET /metrics': {
    summary: 'Prometheus metrics, with METRICS_TOKEN set',
    auth: 'metrics',
    responses: {
      200: { description: 'Prometheus text format', content: { 'text/plain': undefined } },
      401: refused('no token or a wrong one'),
      404: refused('METRICS_TOKEN is not set'),
      429: refused('too many wrong tokens'),
    },
  },
  'GET /api/openapi.json': { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': undefined } } } },
  'GET /api/settings': { summary: 'What the create page needs to know', responses: { 200: json(z.object({ createKeyRequired: z.boolean() }), 'settings') } },
  'POST /api/workshops': {
    summary: 'Create a workshop',
    auth: 'organiser',
    body: { schema: createWorkshopSchema },
    responses: {
      201: json(createdWorkshop, 'created'),
      400: invalid,
      401: refused('CREATE_KEY is set and not given'),
      429: refused('too many wrong organiser keys'),
    },
  },
  'POST /api/workshops/import': {
    summary: 'Create a workshop from a JSON export (roundtable.workshop/1 to /3) or a template',
    auth: 'organiser',
    body: { schema: importSchema },
    responses: { 201: json(createdWorkshop, 'created'), 400: invalid, 401: refused('CREATE_KEY is set and not given') },
  },
  'GET /api/join/{code}/qr.svg': {
    summary: 'The join link of a code, as a QR code',
    params: ['code'],
    responses: { 200: { description: 'QR code', content: { 'image/svg+xml': undefined } }, 404: refused('no such code') },
  },
  'DELETE /api/workshops/{id}': {
    summary: 'Delete the workshop and everything it stored, at once',
    auth: 'leadFacilitator',
    params: ['id'],
    responses: { 204: noContent, 401: unauthorized, 403: refused('a co-facilitator key'), 404: notFound, 503: refused('the disk refuses writes: not deleted') },
  },
  'GET /api/workshops/{id}/export/checklist': {
    summary: 'Terms to review before exporting',
    auth: 'facilitator',
    params: ['id'],
    responses: { 200: json(undefined, 'flags'), 401: unauthorized },
  },
  'GET /api/workshops/{id}/export.{format}': {
    summary: 'The plan and its evidence: format md, csv, json (schema roundtable.workshop/3), docx, pdf or ics',
    auth: 'facilitator',
    params: ['id', 'format'],
    query: exportQuerySchema,
    responses: {
      200: {
        description: 'the export, as an attachment, in the type of its format',
        content: {
          'application/json': workshopExportSchema,
          'text/markdown': undefined,
          'text/csv': undefined,
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document': undefined,
          'application/pdf': undefined,
          'text/calendar': undefined,
        },
      },
      400: invalid,
      401: unauthorized,
      404: refused('no such format'),
    },
  },
  'POST /api/workshops/{id}/import/polis': {
    summary: 'Import a Pol.is conversation as a statements activity',
    auth: 'facilitator',
    params: ['id'],
    body: { schema: polisImportSchema },
    responses: {
      201: json(z.object({ activityId: z.string(), statements: z.number().int(), voters: z.number().int() }), 'a closed statements activity with its analysis'),
      400: invalid,
      401: unauthorized,
      409: refused('the workshop has ended'),
      503: refused('busy on another node: try again'),
    },
  },
  'POST /api/workshops/{id}/end': {
    summary: 'End the workshop: erase what ties anything to a person, keep the follow-up record',
    auth: 'leadFacilitator',
    params: ['id'],
    body: { schema: endWorkshopSchema },
    responses: {
      200: json(undefined, 'the follow-up as the facilitator sees it'),
      400: invalid,
      401: unauthorized,
      403: refused('a co-facilitator key'),
      409: refused('ended already'),
    },
  },
  'GET /api/workshops/{id}/followup': {
    summary: 'The follow-up as the facilitator sees it',
    auth: 'facilitator',
    params: ['id'],
    responses: { 200: json(undefined, 'the follow-up'), 401: unauthorized, 409: refused('not ended') },
  },
  'POST /api/workshops/{id}/followup/owners/{ownerId}/link': {
    summary: 'A new update link for a commitment owner (the old one stops working)',
    auth: 'facilitator',
    params: ['id', 'ownerId'],
    responses: { 200: json(z.object({ url: link }), 'the link, its key in the fragment'), 401: unauthorized, 404: refused('no such owner') },
  },
  'PUT /api/workshops/{id}/followup/lessons': {
    summary: 'Lessons learned',
    auth: 'facilitator',
    params: ['id'],
    body: { schema: lessonsSchema },
    responses: { 204: noContent, 400: invalid, 401: unauthorized },
  },
  'POST /api/workshops/{id}/followup/pulses': {
    summary: 'Open a pulse check on the public page',
    auth: 'facilitator',
    params: ['id'],
    body: { schema: pulseOpenSchema },
    responses: { 201: json(z.object({ pulseId: z.string() }), 'opened'), 400: invalid, 401: unauthorized, 409: refused('one is open already') },
  },
  'POST /api/workshops/{id}/followup/pulses/{pulseId}/close': {
    summary: 'Close a pulse check (its results released if at least k answered)',
    auth: 'facilitator',
    params: ['id', 'pulseId'],
    responses: { 204: noContent, 401: unauthorized, 404: refused('no such pulse check') },
  },
  'GET /api/followup/{id}/owner': {
    summary: "An owner's commitments and updates",
    auth: 'owner',
    params: ['id'],
    responses: { 200: json(undefined, 'the owner view'), 401: refused('not a valid update link') },
  },
  'GET /api/followup/{id}/calendar.ics': {
    summary: "An owner's due dates",
    auth: 'owner',
    params: ['id'],
    responses: { 200: { description: 'iCalendar', content: { 'text/calendar': undefined } }, 401: refused('not a valid update link') },
  },
  'POST /api/followup/{id}/updates': {
    summary: 'Post an update to a commitment (append-only)',
    auth: 'owner',
    params: ['id'],
    body: { schema: commitmentUpdateSchema },
    responses: {
      201: json(undefined, 'the update as stored'),
      400: invalid,
      401: refused('not a valid update link'),
      404: refused('not a commitment of this owner'),
    },
  },
  'GET /f/{code}': {
    summary: 'The public follow-up page (HTML, readable without JavaScript)',
    params: ['code'],
    query: z.object({ lang: z.enum(LANGUAGES).optional() }),
    responses: {
      200: { description: 'the page', content: { 'text/html': undefined } },
      404: { description: 'no such page', content: { 'text/plain': undefined } },
    },
  },
  'GET /f/{code}/handout': {
    summary: 'The one-page handout with the QR code',
    params: ['code'],
    responses: {
      200: { description: 'the handout', content: { 'text/html': undefined } },
      404: { description: 'no such page', content: { 'text/plain': undefined } },
    },
  },
  'GET /f/{code}/qr.svg': {
    summary: "The public page's QR code",
    params: ['code'],
    responses: {
      200: { description: 'QR code', content: { 'image/svg+xml': undefined } },
      404: { description: 'no such page', content: { 'text/plain': undefined } },
    },
  },
  'POST /f/{code}/pulse/{pulseId}': {
    summary: "A pulse check's answers: a form post (redirected back to the page) or JSON",
    params: ['code', 'pulseId'],
    body: { schema: pulseAnswersSchema, types: ['application/x-www-form-urlencoded', 'application/json'] },
    responses: { 303: { description: 'back to the page, saying what happened' }, 400: invalid, 429: refused('too many answers from this address') },
  },
};

const SECURITY = {
  facilitator: { type: 'http', scheme: 'bearer', description: "A facilitator's or co-facilitator's key (the #key= of their link)" },
  leadFacilitator: { type: 'http', scheme: 'bearer', description: "The lead facilitator's key" },
  organiser: { type: 'http', scheme: 'bearer', description: 'CREATE_KEY, where the server sets one' },
  owner: { type: 'http', scheme: 'bearer', description: "A commitment owner's update link key" },
  metrics: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN' },
};

/** zod's JSON Schema of a request (what may be sent: defaults optional) or of an answer. */
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as Record<string, unknown>;
  return rest;
};

let built: object | undefined;
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The document (built once: it depends on nothing but the code). */
export function openApiDocument(): object {
  built ??= {
    openapi: '3.1.0',
    info: {
      title: 'Roundtable HTTP API',
      version,
      description: 'Workshops, exports and the follow-up. Live sessions run over Socket.IO and y-websocket: docs/PROTOCOL.md.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    components: { securitySchemes: SECURITY },
    paths: Object.entries(OPERATIONS).reduce<Record<string, Record<string, unknown>>>((paths, [key, op]) => {
      const [method, path] = key.split(' ') as [string, string];
      const parameters = [
        ...(op.params ?? []).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...Object.entries(op.query ? (jsonSchema(op.query, 'input').properties as Record<string, object>) : {}).map(([name, schema]) => ({
          name,
          in: 'query',
          required: false,
          schema,
        })),
      ];
      (paths[path] ??= {})[method.toLowerCase()] = {
        summary: op.summary,
        operationId: key,
        ...(op.auth ? { security: [{ [op.auth]: [] }] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: Object.fromEntries((op.body.types ?? ['application/json']).map((type) => [type, { schema: jsonSchema(op.body!.schema, 'input') }])),
              },
            }
          : {}),
        responses: Object.fromEntries(
          Object.entries(op.responses).map(([status, body]) => [
            status,
            {
              description: body.description,
              ...(body.content
                ? {
                    content: Object.fromEntries(
                      Object.entries(body.content).map(([type, schema]) => [type, schema ? { schema: jsonSchema(schema, 'output') } : {}]),
                    ),
                  }
                : {}),
            },
          ]),
        ),
      };
      return paths;
    }, {}),
  };
  return built;
}
