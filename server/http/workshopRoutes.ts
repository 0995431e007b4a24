import { refusalFor } from '../store/storageFault.js';
import { Router } from 'express';
import { ErrorCode } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import type { WorkshopEraser } from '../rooms/WorkshopEraser.js';
import type { Store } from '../store/Store.js';
import { authorisedFacilitator } from './facilitatorAuth.js';

/**
 * `DELETE /api/workshops/:id` with `Authorization: Bearer <facilitator key>`: erases the workshop and everything
 * it stored, at once, for everyone. Only the lead facilitator may; a co-facilitator gets 403.
 */
export function workshopRoutes(deps: { store: Store; eraser: WorkshopEraser; log: Logger }): Router {
  const router = Router();

  router.delete('/api/workshops/:id', async (req, res) => {
    const authorised = await authorisedFacilitator(deps.store, req, res, { lead: 'delete the workshop' });
    if (!authorised) return;
    const { record } = authorised;
    try {
      await deps.eraser.erase(record.id);
    } catch (error) {
      deps.log.error('could not delete a workshop', { error: String(error) });
      const refused = refusalFor(error);
      if (refused.code !== ErrorCode.internal) res.status(503).json({ code: refused.code, message: `${refused.message}: the workshop is not deleted` });
      else res.status(500).json({ code: ErrorCode.internal, message: 'the workshop could not be deleted; try again' });
      return;
    }
    // No id in the log: the line would outlive what it is about.
    deps.log.info('workshop deleted by its facilitator');
    res.status(204).end();
  });

  return router;
}
