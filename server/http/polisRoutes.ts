import express, { Router } from 'express';
import { ErrorCode, LIMITS } from '../../shared/protocol/index.js';
import { activityInputSchema, polisImportSchema } from '../../shared/protocol/schemas.js';
import { translate } from '../../shared/i18n/catalogues.js';
import { describeIssues } from '../describeIssues.js';
import { addActivity, setActivityState } from '../domain/agenda.js';
import { randomId } from '../domain/secrets.js';
import { analyseRound } from '../domain/statements/analysis.js';
import { PolisImportError, readPolisExport } from '../domain/statements/polisImport.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { KeptStatements } from '../domain/statements/keys.js';
import { refusalFor } from '../store/storageFault.js';
import type { Store } from '../store/Store.js';
import { authorisedFacilitator } from './facilitatorAuth.js';

/**
 * `POST /api/workshops/:id/import/polis` (a facilitator key): a conversation held on Pol.is before the meeting
 * becomes a closed statements activity on the agenda, analysed over its groups under the workshop's k. Only the
 * statements and the analysis are kept; the imported votes are read and let go.
 */
export function polisRoutes(deps: {
  store: Store;
  rooms: RoomRegistry;
  /** Whether this node runs the workshop (several nodes: holds its lease, taking it if free). */
  runsHere: (workshopId: string) => Promise<boolean>;
}): Router {
  const router = Router();

  router.post('/api/workshops/:id/import/polis', express.json({ limit: LIMITS.polisImportMaxBytes }), async (req, res) => {
    const authorised = await authorisedFacilitator(deps.store, req, res);
    if (!authorised) return;
    if (authorised.record.endedAt !== null) return void res.status(409).json({ code: ErrorCode.conflict, message: 'this workshop has ended' });
    const parsed = polisImportSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ code: ErrorCode.invalidInput, message: describeIssues(parsed.error) });
    let conversation;
    try {
      conversation = readPolisExport(parsed.data, LIMITS.importedStatementMax);
    } catch (error) {
      if (!(error instanceof PolisImportError)) throw error;
      return void res.status(400).json({ code: ErrorCode.invalidInput, message: error.message });
    }
    const { statements, voters, groupLabels } = conversation;
    if (statements.length === 0) return void res.status(400).json({ code: ErrorCode.invalidInput, message: 'comments.csv has no statements to import' });
    if (statements.length > LIMITS.statementsMax) {
      return void res.status(400).json({ code: ErrorCode.invalidInput, message: `an activity holds at most ${LIMITS.statementsMax} statements` });
    }
    // The workshop's own groups are not Pol.is's: imported buckets are named after the column, in their own order.
    const analysis = analyseRound(statements, voters, authorised.record.anonymityThreshold, []);
    const buckets = analysis.buckets.map((b) => (groupLabels.has(b.id) ? { ...b, label: groupLabels.get(b.id)! } : b));
    const votes = voters.reduce((n, v) => n + Object.keys(v.votes).length, 0);
    const kept: KeptStatements = { statements: statements.length, votes, voters: voters.length, analysis: { ...analysis, buckets } };
    const title = parsed.data.title ?? translate(authorised.record.language, 'statements.importDefaultTitle');
    const input = activityInputSchema.parse({ kind: 'statements', title, submissions: false });
    // Several nodes: only the node that runs the workshop may change it (a second copy of a live room elsewhere
    // would close and analyse rounds behind its owner's back). Elsewhere, the client tries again.
    if (!(await deps.runsHere(authorised.record.id))) {
      res.setHeader('Retry-After', '1');
      return void res.status(503).json({ code: ErrorCode.conflict, message: 'the workshop is busy on another server node: try again' });
    }
    const room = await deps.rooms.getOrLoad(authorised.record.id);
    if (!room) return void res.status(404).json({ code: ErrorCode.notFound, message: 'no workshop has this id (it may have been deleted already)' });

    const activityId = randomId();
    try {
      // Stored before the activity exists, under its new id: once on the agenda it is complete, or not there at all.
      await room.statements.keepImported(activityId, statements, kept);
      const changed = await room.changeAgenda((agenda) => {
        const added = addActivity(agenda, input, activityId);
        return added.ok ? setActivityState(added.value, activityId, 'closed') : added;
      });
      if (!changed.ok) {
        await room.statements.forget(activityId);
        return void res.status(409).json({ code: changed.code, message: changed.message });
      }
    } catch (error) {
      await room.statements.forget(activityId).catch(() => undefined);
      const refused = refusalFor(error);
      if (refused.code === ErrorCode.internal) throw error;
      return void res.status(503).json({ code: refused.code, message: `${refused.message}: nothing was imported` });
    } finally {
      // Loaded for this request alone: handed back at once.
      room.disposeIfEmpty();
    }
    res.status(201).json({ activityId, statements: statements.length, voters: voters.length });
  });

  return router;
}
