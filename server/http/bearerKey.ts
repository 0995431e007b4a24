import type { Request } from 'express';

/** The key of an `Authorization: Bearer <key>` header (keys go in a header, never in a URL), if well-formed. */
export const bearerKey = (req: Request): string | undefined => /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(req.get('authorization') ?? '')?.[1];
