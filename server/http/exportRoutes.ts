import { Router, type Request, type Response } from 'express';
import { readPlan } from '../../shared/planDoc.js';
import { ErrorCode, PLAN_DOC, RTL_LANGUAGES } from '../../shared/protocol/index.js';
import { exportQuerySchema } from '../../shared/protocol/schemas.js';
import { slug } from '../../shared/protocol/labelIds.js';
import { facilitatorRole } from '../domain/workshop.js';
import { renderCsv } from '../export/csv.js';
import { renderDocx } from '../export/docx.js';
import { buildExportModel, type ExportModel } from '../export/exportModel.js';
import { renderIcs } from '../export/ics.js';
import { isRealDate } from '../../shared/protocol/dates.js';
import { renderMarkdown } from '../export/markdown.js';
import { renderPdf } from '../export/pdf.js';
import { clean, outline } from '../export/outline.js';
import type { Logger } from '../log.js';
import type { Store, WorkshopRecord } from '../store/Store.js';
import { terminologyChecklist } from '../export/checklist.js';
import { describeIssues } from '../describeIssues.js';
import { bearerKey } from './bearerKey.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';

const TYPES = {
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  ics: 'text/calendar; charset=utf-8',
} as const;
type Format = keyof typeof TYPES;

/**
 * `GET /api/workshops/:id/export.{md,csv,json,docx,pdf}` with `Authorization: Bearer <facilitator key>` (the key
 * in a header, never in the URL), and optionally `?language=` (the report's language; the workshop's by default)
 * and `?place=` (for the cover). Exports hold aggregates only; see server/export/exportModel.ts.
 */
/**
 * The due dates a calendar holds: an ended workshop's commitments (with their owners, linking the public page),
 * else the plan's actions by their end dates (linking nothing: the plan is not public yet).
 */
function calendarOf(model: ExportModel, baseUrl: string): Omit<Parameters<typeof renderIcs>[0], 'name'> {
  const host = new URL(baseUrl).host;
  const dueDates = model.followUp
    ? model.followUp.commitments.map((c) => ({ id: c.id, title: c.title, owner: c.owner, due: c.due }))
    : model.plan.actions.map((a) => ({ id: a.id, title: a.title, owner: a.lead, due: isRealDate(a.end) ? a.end : '' }));
  return { url: model.followUp?.publicUrl ?? '', stampedOn: model.exportedOn, dueDates, host };
}

export function exportRoutes(deps: { store: Store; docs: DocRegistry; log: Logger; baseUrl: string }): Router {
  const router = Router();

  /** The workshop, if the request carries one of its facilitator keys; otherwise answers 401. */
  async function authorised(req: Request, res: Response): Promise<WorkshopRecord | undefined> {
    const key = bearerKey(req);
    const record = await deps.store.getWorkshop(String(req.params.id));
    if (key && record && facilitatorRole(record, key)) return record;
    res.status(401).json({ code: ErrorCode.unauthorized, message: 'send the facilitator key as "Authorization: Bearer <key>"' });
    return undefined;
  }

  // The terminology checklist to review before exporting.
  router.get('/api/workshops/:id/export/checklist', async (req, res) => {
    const record = await authorised(req, res);
    if (!record) return;
    const doc = await deps.docs.get(record.id, PLAN_DOC);
    res.setHeader('Cache-Control', 'no-store').json({ flags: terminologyChecklist(readPlan(doc.doc), record.language) });
  });

  router.get('/api/workshops/:id/export.:format', async (req, res) => {
    const format = req.params.format as Format;
    if (!Object.hasOwn(TYPES, format)) {
      res.status(404).json({ code: ErrorCode.notFound, message: `no export in that format; try ${Object.keys(TYPES).join(', ')}` });
      return;
    }
    const query = exportQuerySchema.safeParse(req.query);
    if (!query.success) {
      res.status(400).json({ code: ErrorCode.invalidInput, message: describeIssues(query.error) });
      return;
    }
    const record = await authorised(req, res);
    if (!record) return;
    const started = performance.now();
    const model = await buildExportModel(record, deps);
    const language = query.data.language ?? record.language;
    const report = { language, place: query.data.place };
    const rtl = RTL_LANGUAGES.has(language);
    const body =
      format === 'ics'
        ? renderIcs({ ...calendarOf(model, deps.baseUrl), name: clean(model.plan.title || record.title) })
        : format === 'json'
          ? JSON.stringify(model, null, 2)
          : format === 'csv'
            ? renderCsv(model, language)
            : format === 'md'
              ? renderMarkdown(outline(model, report), language)
              : format === 'docx'
                ? await renderDocx(outline(model, report), { rtl, language })
                : await renderPdf(outline(model, report), { rtl, language, title: clean(model.plan.title || record.title) });
    const name = `${slug(model.plan.title || record.title) || 'action-plan'}.${format}`;
    res.type(TYPES[format]).setHeader('Content-Disposition', `attachment; filename="${name}"`).setHeader('Cache-Control', 'no-store').send(body);
    deps.log.info('export', { workshopId: record.id, format, ms: Math.round(performance.now() - started) });
  });
  return router;
}
