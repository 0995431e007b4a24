/**
 * The y-websocket frames a document exchanges with its providers, built and read with lib0 and y-protocols:
 * the only place that knows how they are laid out.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: this document's state vector, asking the other side for what it lacks. */
export function syncStep1Message(doc: Y.Doc): Uint8Array {
  return message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, doc));
}

/** Sync step 2: what `doc` holds beyond `stateVector`, or all of it without one. */
export function syncStep2Message(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  return message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep2(e, doc, stateVector));
}

export function updateMessage(update: Uint8Array): Uint8Array {
  return message(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
}

/** The awareness states of `clients` (a removed one is encoded as removed). */
export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients)));
}

/**
 * What every newcomer is sent, kept until the document changes: a client that has nothing yet (a joiner)
 * gets the same whole state as all the others, so a thousand joiners cost one encoding, not a thousand.
 */
export class SyncAnswers {
  readonly #doc: Y.Doc;
  #stepOne: Uint8Array | undefined;
  #wholeState: Uint8Array | undefined;

  constructor(doc: Y.Doc) {
    this.#doc = doc;
  }

  /** Call on every change to the document: what was kept no longer says all of it. */
  forget(): void {
    this.#stepOne = undefined;
    this.#wholeState = undefined;
  }

  /** Sync step 1, sent to every client as it connects. */
  stepOne(): Uint8Array {
    return (this.#stepOne ??= syncStep1Message(this.#doc));
  }

  /** The step 2 that answers a client's step 1 with `stateVector`. */
  stepTwo(stateVector: Uint8Array): Uint8Array {
    if (Y.decodeStateVector(stateVector).size === 0) return (this.#wholeState ??= syncStep2Message(this.#doc));
    return syncStep2Message(this.#doc, stateVector);
  }
}

/** Sync step 2 and update carry the same thing, an update, and are taken alike. */
export type IncomingKind = 'syncStep1' | 'update' | 'awareness' | 'queryAwareness';

/**
 * One frame from a provider. Reading its kind throws on a kind this server does not speak; its payload is
 * read only when asked for, so what a reader sends and is dropped is never decoded.
 */
export class IncomingMessage {
  readonly kind: IncomingKind;
  readonly #decoder: decoding.Decoder;

  constructor(data: Uint8Array) {
    this.#decoder = decoding.createDecoder(data);
    this.kind = readKind(this.#decoder);
  }

  /** The state vector (sync step 1), the update (step 2, update) or the awareness update. */
  payload(): Uint8Array {
    return decoding.readVarUint8Array(this.#decoder);
  }
}

function readKind(decoder: decoding.Decoder): IncomingKind {
  const type = decoding.readVarUint(decoder);
  if (type === MESSAGE_SYNC) {
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) return 'syncStep1';
    if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) return 'update';
    throw new Error(`unknown sync message ${syncType}`);
  }
  if (type === MESSAGE_AWARENESS) return 'awareness';
  if (type === MESSAGE_QUERY_AWARENESS) return 'queryAwareness';
  throw new Error(`unknown message type ${type}`);
}
