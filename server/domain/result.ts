import { ErrorCode, type Ack, type AckError } from '../../shared/protocol/index.js';

/**
 * The one success/failure style, server and client alike: an `Ack` (what every event is answered with). A
 * pure function's result is an Ack that carries its value, so a refusal passes through to the client as is.
 */
export type Result<T> = Ack<{ value: T }>;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): AckError => ({ ok: false, code, message });
export const notFound = (what: string): AckError => fail(ErrorCode.notFound, `${what} not found`);
