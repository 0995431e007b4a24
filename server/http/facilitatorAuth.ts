import type { Request, Response } from 'express';
import { ErrorCode, type Role } from '../../shared/protocol/index.js';
import { facilitatorRole } from '../domain/workshop.js';
import type { Store, WorkshopRecord } from '../store/Store.js';
import { bearerKey } from './bearerKey.js';

/**
 * The workshop of `:id` and the role its `Authorization: Bearer <facilitator key>` gives; otherwise answers
 * 401 (no key, or not one of this workshop's), 404 (no such workshop) or 403 (`lead` asked, co-facilitator key).
 */
export async function authorisedFacilitator(
  store: Store,
  req: Request,
  res: Response,
  options: { lead?: string } = {},
): Promise<{ record: WorkshopRecord; role: Extract<Role, 'facilitator' | 'cofacilitator'> } | undefined> {
  const key = bearerKey(req);
  if (!key) {
    res.status(401).json({ code: ErrorCode.unauthorized, message: 'send the facilitator key as "Authorization: Bearer <key>"' });
    return undefined;
  }
  const record = await store.getWorkshop(String(req.params.id));
  if (!record) {
    res.status(404).json({ code: ErrorCode.notFound, message: 'no workshop has this id (it may have been deleted already)' });
    return undefined;
  }
  const role = facilitatorRole(record, key);
  if (!role) {
    res.status(401).json({ code: ErrorCode.unauthorized, message: 'this is not the facilitator key of this workshop' });
    return undefined;
  }
  if (options.lead && role !== 'facilitator') {
    res.status(403).json({ code: ErrorCode.forbidden, message: `only the lead facilitator can ${options.lead}` });
    return undefined;
  }
  return { record, role };
}
