import type { ServerClock } from '../ServerClock.js';
import type { StorageHealth } from '../store/storageFault.js';
import type { WorkshopEraser } from '../rooms/WorkshopEraser.js';
import express, { Router, type RequestHandler, type Response } from 'express';
import { hashSecret, secretMatches } from '../domain/secrets.js';
import { FailureLimiter } from '../limits/FailureLimiter.js';
import { RATE_LIMITS } from '../limits/rateLimits.js';
import { bearerKey } from './bearerKey.js';
import { workshopFromImport } from '../domain/importWorkshop.js';
import QRCode from 'qrcode';
import { ErrorCode, PLAN_DOC } from '../../shared/protocol/index.js';
import { createWorkshopSchema, importSchema, joinCodeSchema } from '../../shared/protocol/schemas.js';
import { createdResponse, newWorkshop, workshopUrls } from '../domain/workshop.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/Store.js';
import { describeIssues } from '../describeIssues.js';
import { openApiDocument } from './openapi.js';

/** Tries with a fresh join code this often if the random one is taken (31⁶ codes make that rare). */
const JOIN_CODE_ATTEMPTS = 5;

export function apiRoutes(deps: {
  store: Store;
  log: Logger;
  baseUrl: string;
  /** New workshops are stamped by its wall clock, */
  clock: ServerClock;
  /** which the eraser follows for the workshops created here. */
  eraser: Pick<WorkshopEraser, 'created'>;
  /** Whether the store's disk refuses writes now. */
  storage: StorageHealth;
  createKey?: string;
  /** More for /healthz to check than the store (several nodes: Redis). */
  ping?: () => Promise<void>;
  /** The node is stopping (SIGTERM): /readyz says so, so that no newcomer is sent here. */
  draining: () => boolean;
}): Router {
  const { store, log, baseUrl } = deps;
  const router = Router();
  const createKeyHash = deps.createKey ? hashSecret(deps.createKey) : undefined;
  const failures = new FailureLimiter(RATE_LIMITS.handshakeFailuresPerMinute, 60_000);

  /** With CREATE_KEY set (a public server), only organisers holding it may create workshops. */
  const organisersOnly: RequestHandler = (req, res, next) => {
    if (!createKeyHash) return next();
    if (failures.isBlocked(req.ip ?? '')) {
      res.status(429).json({ code: ErrorCode.rateLimited, message: 'too many wrong organiser keys; wait a minute' });
      return;
    }
    const key = bearerKey(req);
    if (key && secretMatches(key, createKeyHash)) return next();
    failures.recordFailure(req.ip ?? '');
    res.status(401).json({ code: ErrorCode.unauthorized, message: 'only organisers may create workshops on this server: give the organiser key' });
  };

  router.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  /** What the create page needs to know before it asks anything. */
  router.get('/api/settings', (_req, res) => {
    res.json({ createKeyRequired: createKeyHash !== undefined });
  });

  /**
   * For load balancers deciding where to send newcomers: 503 `draining` from the moment the node starts to stop,
   * while it still serves the connections it has; otherwise what /healthz answers.
   */
  router.get('/readyz', (_req, res, next) => {
    if (deps.draining()) return void res.status(503).json({ status: 'draining' });
    next();
  });

  /**
   * For load balancers and monitoring: 503 while the store (or, with several nodes, Redis) does not answer, or
   * while its disk refuses writes (the last write failed and none succeeded since).
   */
  router.get(['/healthz', '/readyz'], async (_req, res) => {
    try {
      await Promise.all([store.ping(), deps.ping?.()]);
      const failing = deps.storage.failing;
      if (failing) {
        res.status(503).json({ status: failing.kind === 'full' ? 'disk_full' : 'storage_failed', since: new Date(failing.at).toISOString() });
        return;
      }
      res.json({ status: 'ok' });
    } catch (error) {
      log.error('health check failed', { error: String(error) });
      res.status(503).json({ status: 'unavailable' });
    }
  });

  /** Stores a new workshop (drawing a new join code while the random one is taken) and answers 201. */
  async function create(res: Response, make: () => ReturnType<typeof newWorkshop> & { planUpdate?: Uint8Array | null }) {
    for (let attempt = 0; attempt < JOIN_CODE_ATTEMPTS; attempt++) {
      const { record, facilitatorKey, coFacilitatorKey, planUpdate } = make();
      await deps.eraser.created(record.id, record.retentionDays);
      if ((await store.createWorkshop(record)) === 'ok') {
        if (planUpdate) await store.appendDocUpdate(record.id, PLAN_DOC, planUpdate);
        log.info('workshop created', { workshopId: record.id });
        res.status(201).json(createdResponse(baseUrl, record, facilitatorKey, coFacilitatorKey));
        return;
      }
    }
    res.status(503).json({ code: ErrorCode.internal, message: 'could not find a free join code; try again' });
  }

  router.post('/api/workshops', organisersOnly, express.json({ limit: '32kb' }), async (req, res) => {
    const parsed = createWorkshopSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ code: ErrorCode.invalidInput, message: describeIssues(parsed.error) });
      return;
    }
    await create(res, () => newWorkshop(parsed.data, deps.clock.wall()));
  });

  /** A new workshop from a JSON export or a template: settings, agenda and plan, nothing of the room. */
  router.post('/api/workshops/import', organisersOnly, express.json({ limit: '2mb' }), async (req, res) => {
    const parsed = importSchema.safeParse(req.body);
    const built = parsed.success ? workshopFromImport(parsed.data, deps.clock.wall()) : undefined;
    if (!parsed.success || !built?.ok) {
      const message = !parsed.success ? describeIssues(parsed.error) : built && !built.ok ? built.message : 'not valid';
      res.status(400).json({ code: ErrorCode.invalidInput, message });
      return;
    }
    // Each attempt builds afresh, so a retry for a taken join code gets new keys too (valid, as checked above).
    await create(res, () => {
      const attempt = workshopFromImport(parsed.data, deps.clock.wall());
      if (!attempt.ok) throw new Error(attempt.message);
      return attempt.value;
    });
  });

  /**
   * The QR code of a workshop's join link, as SVG, for the screen and the facilitator console (so phones
   * never download a QR library). It encodes the link without looking the code up, so it tells a guesser nothing.
   */
  router.get('/api/join/:code/qr.svg', async (req, res) => {
    const code = joinCodeSchema.safeParse(req.params.code);
    if (!code.success) {
      res.status(400).json({ code: ErrorCode.invalidInput, message: describeIssues(code.error) });
      return;
    }
    const svg = await QRCode.toString(workshopUrls(baseUrl, { id: '', joinCode: code.data }).join, {
      type: 'svg',
      margin: 2,
      errorCorrectionLevel: 'M',
    });
    // no-cache: after a restart on another network the same code must show the new address.
    res.type('image/svg+xml').setHeader('Cache-Control', 'no-cache').send(svg);
  });

  router.use('/api', (_req, res) => {
    res.status(404).json({ code: ErrorCode.notFound, message: 'no such API endpoint' });
  });

  return router;
}
