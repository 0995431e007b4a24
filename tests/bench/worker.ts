/**
 * One load-generator process (forked by fleet.ts). It holds a share of the simulated participants — a
 * socket.io-client each, and a y-websocket provider when a scenario opens a document — and answers the
 * parent's commands over IPC. Times are taken with `now()` so that the parent can subtract across processes.
 */
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { notesOf } from '../../shared/boardDoc.js';
import { newToken } from '../helpers/clients.js';
import { now, sleep } from './stats.js';

/** How a participant reaches a document: through a Roundtable ticket, or straight to a bare y-websocket server. */
export type DocTarget = { docName: string; bare?: boolean };

export type ConnectArgs = {
  url: string;
  /** `bare`: a reference Socket.IO server with no handshake (wait for `connect`, not `session:snapshot`). */
  bare?: boolean;
  /** Documents only, no Socket.IO connection (the bare y-websocket reference has none). */
  noSocket?: boolean;
  /** Handshake auth without the token; each participant gets a fresh token. Ignored when bare. */
  auth?: Record<string, unknown>;
  /** Local (loopback) address per participant, so the server sees several addresses. */
  addresses: string[];
  /** Server per participant (several nodes), parallel to `addresses`; `url` when absent. */
  urls?: string[];
  /** Start all at this time (`now()` clock), to make a storm. */
  startAt: number;
  /** At most this many handshakes in flight in this process (setup, not a storm). */
  concurrency?: number;
  doc?: DocTarget;
  /** Fail a participant whose document does not hold at least this many notes once synced. */
  expectNotes?: number;
};

export type JoinTiming = { startedAt: number; snapshotAt: number; syncedAt: number; notes: number; current: string | null };
export type VoteArgs = { pollId: string; startAt: number; spreadMs: number; offset: number; total: number; choices: string[] };
export type VoteTiming = { sentAt: number; ackAt: number; ok: boolean; message?: string };
export type Arrival = { id: string | null; at: number };
export type NoteArrivals = { latencies: number[]; counts: number[]; lastAt: number[] };

type Participant = {
  socket?: Socket;
  provider?: WebsocketProvider;
  activity: Arrival[];
  noteLatencies: number[];
  noteCount: number;
  lastNoteAt: number;
};

let participants: Participant[] = [];
// Every y-websocket provider adds a process 'exit' listener; hundreds here are expected.
process.setMaxListeners(0);

/** ws bound to a local address, for y-websocket's `WebSocketPolyfill`. */
function boundWebSocket(localAddress: string) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { localAddress });
    }
  };
}

function watchNotes(participant: Participant, doc: Y.Doc): void {
  notesOf(doc).observe((event) => {
    const at = now();
    for (const [key, change] of event.changes.keys) {
      if (change.action !== 'add') continue;
      participant.noteCount++;
      participant.lastNoteAt = at;
      // Notes written during a measurement carry their send time: "bench <ms>".
      const text = String(notesOf(doc).get(key)?.get('text') ?? '');
      if (text.startsWith('bench ')) participant.noteLatencies.push(at - Number(text.slice(6)));
    }
  });
}

async function openDoc(participant: Participant, url: string, localAddress: string, target: DocTarget): Promise<number> {
  let base: string;
  let params: Record<string, string> = {};
  if (target.bare) {
    base = url.replace('http', 'ws');
  } else {
    const ticket = await participant.socket!.timeout(30_000).emitWithAck('yjs:ticket', { docName: target.docName });
    if (!ticket.ok) throw new Error(`no ticket: ${ticket.message}`);
    base = `${url.replace('http', 'ws')}${ticket.path.slice(0, ticket.path.lastIndexOf('/'))}`;
    params = { ticket: ticket.ticket };
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(base, target.docName, doc, {
    WebSocketPolyfill: boundWebSocket(localAddress) as never,
    disableBc: true,
    params,
    // A Roundtable ticket is single-use: a reconnecting provider would be refused, so none reconnects.
    maxBackoffTime: 60_000,
  });
  participant.provider = provider;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('document did not sync within 60 s')), 60_000);
    provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const notes = notesOf(doc).size;
  watchNotes(participant, doc);
  return notes;
}

async function joinOne(args: ConnectArgs, localAddress: string, url: string): Promise<JoinTiming> {
  const startedAt = now();
  if (args.noSocket) {
    const participant: Participant = { activity: [], noteLatencies: [], noteCount: 0, lastNoteAt: 0 };
    participants.push(participant);
    const notes = await openDoc(participant, url, localAddress, args.doc!);
    return { startedAt, snapshotAt: startedAt, syncedAt: now(), notes, current: null };
  }
  const auth = args.bare ? undefined : { ...args.auth, token: newToken() };
  const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false, localAddress } as never);
  const participant: Participant = { socket, activity: [], noteLatencies: [], noteCount: 0, lastNoteAt: 0 };
  socket.on('activity:changed', (current: { activity: { id: string } | null }) => participant.activity.push({ id: current.activity?.id ?? null, at: now() }));
  let current: string | null = null;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no snapshot within 60 s')), 60_000);
    socket.once(args.bare ? 'connect' : 'session:snapshot', (snapshot?: { current: { activity: { id: string } | null } }) => {
      current = snapshot?.current.activity?.id ?? null;
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error: Error & { data?: { message: string } }) => {
      clearTimeout(timer);
      reject(new Error(`refused: ${error.data?.message ?? error.message}`));
    });
  });
  participants.push(participant);
  const snapshotAt = now();
  let notes = 0;
  if (args.doc) {
    notes = await openDoc(participant, url, localAddress, args.doc);
    if (args.expectNotes !== undefined && notes < args.expectNotes) throw new Error(`synced ${notes} notes, expected ${args.expectNotes}`);
  }
  return { startedAt, snapshotAt, syncedAt: now(), notes, current };
}

async function connect(args: ConnectArgs): Promise<JoinTiming[]> {
  await sleep(Math.max(0, args.startAt - now()));
  const limit = args.concurrency ?? Infinity;
  const results: JoinTiming[] = [];
  let next = 0;
  const lane = async () => {
    while (next < args.addresses.length) {
      const i = next++;
      results.push(await joinOne(args, args.addresses[i]!, args.urls?.[i] ?? args.url));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, args.addresses.length) }, lane));
  return results;
}

async function vote(args: VoteArgs): Promise<VoteTiming[]> {
  return Promise.all(
    participants.map(async ({ socket }, i) => {
      if (!socket) throw new Error('this participant has no Socket.IO connection');
      const global = args.offset + i;
      await sleep(Math.max(0, args.startAt + (args.spreadMs * global) / args.total - now()));
      const sentAt = now();
      const ack = await socket
        .timeout(60_000)
        .emitWithAck('poll:vote', { pollId: args.pollId, answer: { choice: args.choices[global % args.choices.length] } });
      return { sentAt, ackAt: now(), ok: ack.ok, message: ack.message };
    }),
  );
}

function collectActivity(): Arrival[][] {
  const all = participants.map((p) => p.activity);
  participants.forEach((p) => (p.activity = []));
  return all;
}

function collectNotes(): NoteArrivals {
  const result = {
    latencies: participants.flatMap((p) => p.noteLatencies),
    counts: participants.filter((p) => p.provider).map((p) => p.noteCount),
    lastAt: participants.filter((p) => p.provider).map((p) => p.lastNoteAt),
  };
  participants.forEach((p) => (p.noteLatencies = []));
  return result;
}

function reset(): void {
  for (const p of participants) {
    p.provider?.destroy();
    p.socket?.disconnect();
  }
  participants = [];
}

const commands: Record<string, (args: never) => unknown> = {
  connect,
  vote,
  collectActivity,
  collectNotes,
  reset,
  count: () => participants.length,
};

process.on('message', async (message: { id: number; command: string; args: never }) => {
  try {
    const result = await commands[message.command]!(message.args);
    process.send!({ id: message.id, ok: true, result });
  } catch (error) {
    process.send!({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.on('unhandledRejection', (error) => console.error(`load generator ${process.pid}: unhandled`, error));
process.on('uncaughtException', (error) => console.error(`load generator ${process.pid}: uncaught`, error));
