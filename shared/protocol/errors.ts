/** Error codes carried by `{ok:false, code, message}` acks and handshake errors. */
export const ErrorCode = {
  invalidInput: 'invalid_input',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  rateLimited: 'rate_limited',
  /** Handshake: this workshop asks new participants (and screens) for its passphrase; none or a wrong one was given. */
  passphraseRequired: 'passphrase_required',
  /** Handshake: the facilitator locked the room; only people who joined before may come back. */
  roomLocked: 'room_locked',
  /** Handshake: the lead facilitator ended the workshop; its follow-up page (`followUpUrl`) is what remains. */
  workshopEnded: 'workshop_ended',
  /** The server's disk is full: nothing of the request was saved (it may be sent again once there is room). */
  storageFull: 'storage_full',
  /** The server could not write to its disk otherwise (I/O error, read-only): nothing was saved. */
  storageFailed: 'storage_failed',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type AckError = { ok: false; code: ErrorCode; message: string };
export type AckOk<T extends object = object> = { ok: true } & T;
export type Ack<T extends object = object> = AckOk<T> | AckError;
export type AckCallback<T extends object = object> = (response: Ack<T>) => void;

/** Close codes for the Yjs WebSocket (4000–4999 are free for applications). */
export const YjsCloseCode = {
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  /** The server could not store a change (its disk is full or failing): reconnect later, keeping local edits. */
  storageUnavailable: 4507,
} as const;
