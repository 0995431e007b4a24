import { ErrorCode, type AckError } from '../../shared/protocol/index.js';

export type Result<T> = { ok: true; value: T } | AckError;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): AckError => ({ ok: false, code, message });
export const notFound = (what: string): AckError => fail(ErrorCode.notFound, `${what} not found`);
