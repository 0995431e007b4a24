/**
 * Broken and hostile messages on the Yjs socket: random bytes, truncated varints, unknown message types,
 * garbled updates, text frames and oversized messages close that client's connection (or are ignored) while
 * another client of the same document keeps syncing, and the document is unchanged.
 */
import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { LIMITS, type CreateWorkshopResponse } from '../../shared/protocol/index.js';
import { createWorkshop, facilitatorAuth, participantAuth } from '../helpers/clients.js';
import { RotatingClient } from '../helpers/fuzzWorkshop.js';
import { fuzzSeed } from '../helpers/hostile.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const seed = fuzzSeed();

const SYNC = 0;
const AWARENESS = 1;
/** Sync step 1 with an empty state vector: the server answers with its whole document (step 2). */
const ASK_FOR_EVERYTHING = Uint8Array.from([SYNC, 0, 1, 0]);

let created: CreateWorkshopResponse;
let facilitator: RotatingClient;
let peers: { writer: WebsocketProvider; reader: WebsocketProvider };
let peerCloses = 0;

/** A raw WebSocket on `docName` with a fresh ticket, resolved once the server sent its first message. */
async function rawSocket(client: RotatingClient, docName = 'plan'): Promise<{ ws: WebSocket; messages: Uint8Array[]; closed: Promise<number> }> {
  const ticket = await client.send('yjs:ticket', { docName });
  if (!ticket.ok) throw new Error(ticket.message);
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}${ticket.path}?ticket=${ticket.ticket}`);
  const messages: Uint8Array[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('close', () => reject(new Error('closed before the first message')));
  });
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  return { ws, messages, closed };
}

/** The server's whole document, read through `socket` (a fresh one when omitted), as a Y.Doc. */
async function serverDoc(socket?: Awaited<ReturnType<typeof rawSocket>>): Promise<Y.Doc> {
  const own = socket ?? (await rawSocket(facilitator));
  const answer = new Promise<Uint8Array>((resolve, reject) => {
    own.ws.on('message', (data: Buffer) => {
      if (data[0] === SYNC && data[1] === 1) resolve(new Uint8Array(data));
    });
    void own.closed.then((code) => reject(new Error(`closed (${code}) instead of answering`)));
  });
  own.ws.send(ASK_FOR_EVERYTHING);
  const message = await answer;
  if (!socket) own.ws.close();
  const doc = new Y.Doc();
  // [SYNC, step 2, varUint8Array(update)]: the update starts after its length.
  Y.applyUpdate(doc, decoding.readVarUint8Array(decoding.createDecoder(message.subarray(2))));
  return doc;
}

const sameDoc = (a: Y.Doc, b: Y.Doc) => Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));

/** Whether the server's document becomes `expected` within a second. */
async function becomes(expected: Y.Doc): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (sameDoc(expected, await serverDoc())) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/**
 * What the document should be after `bytes`: unchanged, unless they happen to be a well-formed update from a
 * writer (one changed byte of a real update can be another client's valid edit). One that fails to apply
 * must change nothing at all, not half of it.
 */
function expectedAfter(before: Y.Doc, bytes: Uint8Array, access: 'write' | 'read'): Y.Doc {
  const expected = new Y.Doc();
  Y.applyUpdate(expected, Y.encodeStateAsUpdate(before));
  if (access !== 'write') return expected;
  try {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarUint(decoder) !== SYNC || ![1, 2].includes(decoding.readVarUint(decoder))) return expected;
    const update = decoding.readVarUint8Array(decoder);
    const attempt = new Y.Doc();
    Y.applyUpdate(attempt, Y.encodeStateAsUpdate(before));
    Y.applyUpdate(attempt, update);
    return attempt;
  } catch {
    return expected;
  }
}
const message = (type: number, write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
};

beforeAll(async () => {
  created = await createWorkshop(server.url, { title: 'Broken messages' });
  facilitator = new RotatingClient(server.url, facilitatorAuth(created));
  const plan = await facilitator.send('agenda:add', { activity: { kind: 'plan', title: 'Plan' } });
  if (!plan.ok) throw new Error(plan.message);
  await facilitator.send('agenda:goTo', { id: plan.id });
  const provider = async (client: RotatingClient) => {
    const ticket = await client.send('yjs:ticket', { docName: 'plan' });
    if (!ticket.ok) throw new Error(ticket.message);
    const p = new WebsocketProvider(`${server.url.replace('http', 'ws')}/yjs/${created.id}`, 'plan', new Y.Doc(), {
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
      params: { ticket: ticket.ticket },
    });
    p.on('connection-close', () => peerCloses++);
    await new Promise<void>((resolve) => p.once('sync', () => resolve()));
    return p;
  };
  peers = { writer: await provider(facilitator), reader: await provider(new RotatingClient(server.url, participantAuth(created))) };
  peers.writer.doc.getText('vision').insert(0, 'Safe streets');
  await vi.waitFor(() => expect(peers.reader.doc.getText('vision').toString()).toBe('Safe streets'));
});

afterAll(() => {
  peers?.writer.destroy();
  peers?.reader.destroy();
});

/** The other clients are still connected and still get each other's edits. */
async function expectPeersStillSyncing(): Promise<void> {
  expect(peerCloses).toBe(0);
  const text = peers.writer.doc.getText('vision');
  const marker = ` ${text.length}`;
  text.insert(text.length, marker);
  await vi.waitFor(() => expect(peers.reader.doc.getText('vision').toString()).toBe(text.toString()));
}

afterEach(expectPeersStillSyncing);

const validUpdate = () => {
  const doc = new Y.Doc();
  doc.getText('vision').insert(0, 'x');
  return Y.encodeStateAsUpdate(doc);
};

/** Messages no Yjs client would send. */
const broken = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.constantFrom(
    Uint8Array.from([]),
    Uint8Array.from([0x80]), // a varint cut short
    Uint8Array.from([SYNC]),
    Uint8Array.from([SYNC, 0xff]),
    Uint8Array.from([SYNC, 0]), // step 1 without a state vector
    Uint8Array.from([SYNC, 2, 0xff, 0xff, 0xff, 0x7f]), // an update claiming 268 MB
    Uint8Array.from([AWARENESS, 3, 1, 2, 3]),
    Uint8Array.from([2, 0]), // auth
    Uint8Array.from([7]),
    Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), // beyond a safe integer
  ),
  fc
    .tuple(fc.constantFrom(1, 2), fc.uint8Array({ maxLength: 48 }))
    .map(([step, bytes]) => message(SYNC, (e) => (encoding.writeVarUint(e, step), encoding.writeVarUint8Array(e, bytes)))),
  fc.tuple(fc.nat(), fc.nat({ max: 255 })).map(([at, byte]) => {
    const update = validUpdate();
    update[at % update.length] = byte; // one byte of a real update changed
    return message(SYNC, (e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, update)));
  }),
  fc.nat().map((cut) => {
    const update = validUpdate();
    return message(SYNC, (e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, update.subarray(0, cut % update.length))));
  }),
  fc.uint8Array({ maxLength: 48 }).map((bytes) => message(AWARENESS, (e) => encoding.writeVarUint8Array(e, bytes))),
  fc
    .tuple(fc.integer({ min: 4, max: 1_000_000 }), fc.uint8Array({ maxLength: 16 }))
    .map(([type, rest]) => message(type, (e) => encoding.writeUint8Array(e, rest))),
);

describe('hostile messages on the Yjs socket', () => {
  it('close or are ignored for that client only, and change no document', { timeout: 60_000 }, async () => {
    let closedCount = 0;
    let cases = 0;
    const property = fc.asyncProperty(broken, fc.constantFrom<'write' | 'read'>('write', 'read'), async (bytes, access) => {
      cases++;
      const before = await serverDoc();
      const socket = await rawSocket(access === 'write' ? facilitator : new RotatingClient(server.url, participantAuth(created)));
      socket.ws.send(bytes);
      // Either the connection closes, or it still answers; in both cases the document is as it was.
      const after = await serverDoc(socket).catch(() => serverDoc());
      if (socket.ws.readyState !== WebSocket.OPEN) closedCount++;
      socket.ws.close();
      const expected = expectedAfter(before, bytes, access);
      // A writer's update is stored before the server applies it, so it may show only a moment later.
      expect(sameDoc(expected, after) || (await becomes(expected)), `${access}: [${[...bytes].slice(0, 40).join(',')}]`).toBe(true);
    });
    const details = await fc.check(property, { numRuns: RUNS, seed, endOnFailure: true });
    if (details.failed) throw new Error(`failed (seed ${details.seed}, path ${details.counterexamplePath}): ${String(details.errorInstance)}`);
    console.log(`Yjs fuzz volume: ${cases} broken messages, ${closedCount} closed their connection`);
  });

  it('closes a connection that sends text frames instead of binary ones, even ones that are not UTF-8', async () => {
    const text = await rawSocket(facilitator);
    text.ws.send('{"type":"update","data":"hello"}');
    expect(await text.closed).toBe(1003);
    const broken = await rawSocket(facilitator);
    broken.ws.send(Buffer.from([0x00, 0xff, 0xfe]), { binary: false });
    expect(await broken.closed).toBe(1007); // invalid frame payload data
  });

  it(`closes a connection that sends a message over ${LIMITS.yjsMessageMaxBytes} bytes, and keeps the document`, async () => {
    const before = await serverDoc();
    const socket = await rawSocket(facilitator);
    const update = new Uint8Array(LIMITS.yjsMessageMaxBytes + 1);
    update.set(message(SYNC, (e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint(e, LIMITS.yjsMessageMaxBytes))));
    socket.ws.send(update);
    expect(await socket.closed).toBe(1009);
    expect(sameDoc(before, await serverDoc())).toBe(true);
  });

  it('still takes a well-formed update from a writer after all that', async () => {
    const socket = await rawSocket(facilitator);
    const doc = await serverDoc(socket);
    const edit = new Y.Doc();
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(doc));
    const vector = Y.encodeStateVector(edit);
    edit.getText('vision').insert(0, '!');
    socket.ws.send(message(SYNC, (e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(edit, vector)))));
    await expect.poll(() => peers.reader.doc.getText('vision').toString().startsWith('!')).toBe(true);
    socket.ws.close();
  });
});
