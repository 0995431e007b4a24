import express, { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { randomBytes } from 'node:crypto';
import { ErrorCode, JOIN_CODE_ALPHABET, type Language, LANGUAGES } from '../../shared/protocol/index.js';
import { FOLLOW_UP_LIMITS } from '../../shared/protocol/followUp.js';
import { commitmentUpdateSchema, endWorkshopSchema, lessonsSchema, pulseAnswersSchema, pulseOpenSchema } from '../../shared/protocol/schemas.js';
import { describeIssues } from '../describeIssues.js';
import type { Result } from '../domain/result.js';
import type { Logger } from '../log.js';
import type { FollowUps } from '../rooms/FollowUps.js';
import type { WorkshopEnding } from '../rooms/WorkshopEnding.js';
import type { ServerClock } from '../ServerClock.js';
import { refusalFor } from '../store/storageFault.js';
import type { Store, WorkshopRecord } from '../store/Store.js';
import { bearerKey } from './bearerKey.js';
import { KeyedBuckets } from '../limits/KeyedBuckets.js';
import { RATE_LIMITS } from '../limits/rateLimits.js';
import { authorisedFacilitator } from './facilitatorAuth.js';
import { renderFollowUpPage, renderHandout } from './followUpPage.js';
import { renderIcs } from '../export/ics.js';
import { clean } from '../export/outline.js';
import { followUpLink } from '../domain/workshop.js';

/** The cookie that makes one browser one answer per pulse check: a random token, nothing else. */
const BROWSER_COOKIE = 'rt_browser';
const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  not_found: 404,
  conflict: 409,
  invalid_input: 400,
  forbidden: 403,
  rate_limited: 429,
  storage_full: 503,
  storage_failed: 503,
};

/** Answers a refused Result with its status and `{code, message}`; true if it was refused. */
function refused(res: Response, result: Result<unknown>): boolean {
  if (result.ok) return false;
  res.status(STATUS_OF[result.code] ?? 500).json({ code: result.code, message: result.message });
  return true;
}

/** A store refusal (a full disk) as 503; anything else goes on to the JSON error handler. */
function storageRefusal(res: Response, error: unknown, what: string): void {
  const refusal = refusalFor(error);
  if (refusal.code === ErrorCode.internal) throw error;
  res.status(503).json({ code: refusal.code, message: `${refusal.message}: ${what}` });
}

const codeOk = (code: string) => code.length === FOLLOW_UP_LIMITS.publicCodeLength && [...code].every((c) => JOIN_CODE_ALPHABET.includes(c));

/** The language a reader asked for (`?lang=`), else their browser's first known one, else the workshop's. */
function readerLanguage(req: Request, fallback: Language): Language {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  if (asked && (LANGUAGES as readonly string[]).includes(asked)) return asked as Language;
  const accepted = req.acceptsLanguages(...LANGUAGES);
  return accepted ? (accepted as Language) : fallback;
}

function browserToken(req: Request): string | undefined {
  const match = /(?:^|;\s*)rt_browser=([A-Za-z0-9_-]{22,64})/.exec(req.get('cookie') ?? '');
  return match?.[1];
}

/**
 * After the room (docs/FOLLOWUP.md): ending a workshop, the facilitators' follow-up console, the owners' update
 * links, and the public page with its pulse checks — readable without JavaScript, answered with a plain form.
 */
export function followUpRoutes(deps: {
  store: Store;
  ending: WorkshopEnding;
  followUps: FollowUps;
  clock: ServerClock;
  log: Logger;
  baseUrl: string;
  /** Whether this node runs the workshop (several nodes: holds its lease, taking it if free). */
  runsHere: (workshopId: string) => Promise<boolean>;
}): Router {
  const { store, followUps } = deps;
  const router = Router();
  const json = express.json({ limit: '64kb' });
  const pulseAnswers = new KeyedBuckets(RATE_LIMITS.pulseAnswersPerAddress.capacity, RATE_LIMITS.pulseAnswersPerAddress.perSecond);

  async function endedWorkshop(req: Request, res: Response): Promise<WorkshopRecord | undefined> {
    return (await endedFor(req, res))?.record;
  }

  async function endedFor(req: Request, res: Response) {
    const authorised = await authorisedFacilitator(store, req, res);
    if (!authorised) return undefined;
    if (authorised.record.endedAt === null) {
      res.status(409).json({ code: ErrorCode.conflict, message: 'this workshop has not ended: its follow-up starts when the lead facilitator ends it' });
      return undefined;
    }
    return authorised;
  }

  router.post('/api/workshops/:id/end', json, async (req, res) => {
    const authorised = await authorisedFacilitator(store, req, res, { lead: 'end the workshop' });
    if (!authorised) return;
    const parsed = endWorkshopSchema.safeParse(req.body ?? {});
    if (!parsed.success) return void res.status(400).json({ code: ErrorCode.invalidInput, message: describeIssues(parsed.error) });
    if (authorised.record.endedAt !== null) return void res.status(409).json({ code: ErrorCode.conflict, message: 'this workshop has ended already' });
    if (!(await deps.runsHere(authorised.record.id))) {
      res.setHeader('Retry-After', '1');
      return void res.status(503).json({ code: ErrorCode.conflict, message: 'the workshop is busy on another server node: try again' });
    }
    try {
      const ended = await deps.ending.end(authorised.record.id, parsed.data.followUpDays ?? authorised.record.followUpDays);
      if (refused(res, ended)) return;
    } catch (error) {
      deps.log.error('could not end a workshop', { error: String(error) });
      return storageRefusal(res, error, 'the workshop is ended; the erasure of its live data will be finished by the next retention sweep');
    }
    deps.log.info('workshop ended by its facilitator');
    const fresh = await store.getWorkshop(authorised.record.id);
    res.json(fresh && (await followUps.view(fresh, 'facilitator')));
  });

  router.get('/api/workshops/:id/followup', async (req, res) => {
    const authorised = await endedFor(req, res);
    if (!authorised) return;
    const view = await followUps.view(authorised.record, authorised.role);
    if (!view) {
      // The erasure under way on the ending's node: the console tries again.
      res.setHeader('Retry-After', '2');
      return void res.status(503).json({ code: ErrorCode.storageFailed, message: 'the workshop ended, and its erasure is not finished yet: try again soon' });
    }
    res.json(view);
  });

  router.post('/api/workshops/:id/followup/owners/:ownerId/link', async (req, res) => {
    const record = await endedWorkshop(req, res);
    if (!record) return;
    try {
      const link = await followUps.newOwnerLink(record.id, String(req.params.ownerId));
      if (!refused(res, link)) res.json({ url: link.ok && link.value });
    } catch (error) {
      storageRefusal(res, error, 'no new link was made');
    }
  });

  router.put('/api/workshops/:id/followup/lessons', json, async (req, res) => {
    const record = await endedWorkshop(req, res);
    if (!record) return;
    const parsed = lessonsSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ code: ErrorCode.invalidInput, message: describeIssues(parsed.error) });
    try {
      if (!refused(res, await followUps.setLessons(record.id, parsed.data))) res.status(204).end();
    } catch (error) {
      storageRefusal(res, error, 'the lessons are not saved');
    }
  });

  router.post('/api/workshops/:id/followup/pulses', json, async (req, res) => {
    const record = await endedWorkshop(req, res);
    if (!record) return;
    const parsed = pulseOpenSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ code: ErrorCode.invalidInput, message: describeIssues(parsed.error) });
    try {
      const opened = await followUps.openPulse(record, parsed.data);
      if (!refused(res, opened)) res.status(201).json({ pulseId: opened.ok && opened.value });
    } catch (error) {
      storageRefusal(res, error, 'no pulse check was opened');
    }
  });

  router.post('/api/workshops/:id/followup/pulses/:pulseId/close', async (req, res) => {
    const record = await endedWorkshop(req, res);
    if (!record) return;
    try {
      if (!refused(res, await followUps.closePulse(record, String(req.params.pulseId)))) res.status(204).end();
    } catch (error) {
      storageRefusal(res, error, 'the pulse check is still open');
    }
  });

  /** An owner's update link: its key, as a bearer key, opens their commitments and nothing else. */
  async function owner(req: Request, res: Response) {
    const key = bearerKey(req);
    const record = key && (await store.getWorkshop(String(req.params.id)));
    const found = record && record.endedAt !== null && key ? await followUps.ownerByKey(record.id, key) : undefined;
    if (!record || !found) {
      res.status(401).json({ code: ErrorCode.unauthorized, message: 'this update link is not valid (any more): ask the facilitator for a new one' });
      return undefined;
    }
    return { workshop: record, ...found };
  }

  router.get('/api/followup/:id/owner', async (req, res) => {
    const found = await owner(req, res);
    if (found) res.setHeader('Cache-Control', 'no-store').json(await followUps.ownerView(found.workshop, found.record, found.ownerId));
  });

  router.get('/api/followup/:id/calendar.ics', async (req, res) => {
    const found = await owner(req, res);
    if (!found) return;
    const view = await followUps.ownerView(found.workshop, found.record, found.ownerId);
    const body = renderIcs({
      name: clean(found.workshop.title),
      url: followUpLink(deps.baseUrl, found.publicCode),
      stampedOn: new Date(deps.clock.wall()).toISOString().slice(0, 10),
      host: new URL(deps.baseUrl).host,
      dueDates: view.commitments.map((c) => ({ id: c.id, title: c.title, owner: view.owner.name, due: c.due })),
    });
    res
      .type('text/calendar; charset=utf-8')
      .setHeader('Content-Disposition', 'attachment; filename="due-dates.ics"')
      .setHeader('Cache-Control', 'no-store')
      .send(body);
  });

  router.post('/api/followup/:id/updates', json, async (req, res) => {
    const found = await owner(req, res);
    if (!found) return;
    const parsed = commitmentUpdateSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ code: ErrorCode.invalidInput, message: describeIssues(parsed.error) });
    try {
      const posted = await followUps.postUpdate(found.workshop.id, found.record, found.ownerId, parsed.data);
      if (!refused(res, posted)) res.status(201).json(posted.ok && posted.value);
    } catch (error) {
      storageRefusal(res, error, 'the update is not saved');
    }
  });

  /** The public page's workshop, by its code; 404 for anything else (codes are not to be guessed one by one). */
  async function publicWorkshop(req: Request, res: Response): Promise<WorkshopRecord | undefined> {
    const code = String(req.params.code).toUpperCase();
    const id = codeOk(code) ? await store.followUpIdByCode(code) : undefined;
    const record = id && (await store.getWorkshop(id));
    if (!record || record.endedAt === null) {
      res.status(404).type('text/plain').send('There is no follow-up page at this address.');
      return undefined;
    }
    return record;
  }

  router.get('/f/:code', async (req, res) => {
    const record = await publicWorkshop(req, res);
    if (!record) return;
    const view = await followUps.view(record, 'cofacilitator');
    if (!view) return void res.status(503).type('text/plain').send('This follow-up page is being prepared: try again in a minute.');
    const language = readerLanguage(req, record.language);
    const open = view.pulses.find((p) => p.closedAt === null);
    let browser = browserToken(req);
    if (open && !browser) {
      browser = randomBytes(18).toString('base64url');
      const secure = req.secure ? '; Secure' : '';
      res.setHeader(
        'Set-Cookie',
        `${BROWSER_COOKIE}=${browser}; Path=/f/; HttpOnly; SameSite=Lax; Max-Age=${FOLLOW_UP_LIMITS.followUpDaysMax * 86400}${secure}`,
      );
    }
    const answered = open && browser ? await followUps.hasAnswered(open.id, browser) : false;
    res.setHeader('Cache-Control', 'no-store');
    res
      .type('html')
      .send(renderFollowUpPage(view, { language, today: new Date(deps.clock.wall()).toISOString().slice(0, 10), answered, notice: noticeOf(req) }));
  });

  router.get('/f/:code/handout', async (req, res) => {
    const record = await publicWorkshop(req, res);
    const view = record && (await followUps.view(record, 'cofacilitator'));
    if (!view) return void (res.headersSent || res.status(503).type('text/plain').send('try again in a minute'));
    const qr = await QRCode.toString(view.publicUrl, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    res.type('html').send(renderHandout(view, { language: readerLanguage(req, record.language), qr }));
  });

  router.get('/f/:code/qr.svg', async (req, res) => {
    const record = await publicWorkshop(req, res);
    const view = record && (await followUps.view(record, 'cofacilitator'));
    if (!view) return void (res.headersSent || res.status(503).end());
    res.type('image/svg+xml').send(await QRCode.toString(view.publicUrl, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }));
  });

  /** A pulse check's answers: a plain form post (redirected back to the page), or JSON. */
  router.post('/f/:code/pulse/:pulseId', express.urlencoded({ extended: false, limit: '16kb' }), json, async (req, res) => {
    const record = await publicWorkshop(req, res);
    if (!record) return;
    const back = (notice: string) =>
      res.redirect(303, `/f/${String(req.params.code).toUpperCase()}?lang=${readerLanguage(req, record.language)}&pulse=${notice}#pulse`);
    const wantsJson = req.is('application/json') !== false && req.is('application/json') !== null;
    const browser = browserToken(req);
    if (!browser)
      return wantsJson
        ? void res.status(400).json({ code: ErrorCode.invalidInput, message: 'open the page first: it gives this browser its one answer' })
        : back('cookie');
    if (!pulseAnswers.take(req.ip ?? '')) {
      return wantsJson
        ? void res.status(429).json({ code: ErrorCode.rateLimited, message: 'too many answers from this address; try again later' })
        : back('busy');
    }
    const parsed = pulseAnswersSchema.safeParse(req.body);
    if (!parsed.success)
      return wantsJson ? void res.status(400).json({ code: ErrorCode.invalidInput, message: describeIssues(parsed.error) }) : back('incomplete');
    const answers = Object.fromEntries(Object.entries(parsed.data).map(([key, value]) => [key.slice(2), value]));
    try {
      const answered = await followUps.answerPulse(record, String(req.params.pulseId), browser, answers);
      if (wantsJson) return void (refused(res, answered) || res.json({ result: answered.ok && answered.value }));
      back(answered.ok ? answered.value : answered.code === ErrorCode.invalidInput ? 'incomplete' : 'closed');
    } catch (error) {
      if (wantsJson) return storageRefusal(res, error, 'the answers are not saved');
      if (refusalFor(error).code === ErrorCode.internal) throw error;
      back('failed');
    }
  });

  return router;
}

const NOTICES = ['answered', 'already', 'incomplete', 'closed', 'cookie', 'failed', 'busy'] as const;
export type PulseNotice = (typeof NOTICES)[number];
const noticeOf = (req: Request): PulseNotice | undefined => NOTICES.find((n) => n === req.query.pulse);
