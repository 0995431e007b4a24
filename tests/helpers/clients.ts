/** Real clients for integration tests: fetch for HTTP, socket.io-client for the realtime protocol. */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientAckData,
  ClientEventName,
  ClientToServerEvents,
  CreateWorkshopResponse,
  Handshake,
  ServerToClientEvents,
  Snapshot,
} from '../../shared/protocol/index.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function createWorkshop(url: string, body: Record<string, unknown> = { title: 'Safer streets' }) {
  const response = await fetch(`${url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreateWorkshopResponse;
}

const sockets = new Set<TestSocket>();

/** How a test client reaches the server: `headers` with the WebSocket upgrade, from a `localAddress` (127.x.y.z). */
export type ConnectOptions = { headers?: Record<string, string>; localAddress?: string };

/** Connects and resolves with the socket and the snapshot the server sends on connect. */
export function connect(url: string, auth: Handshake, options: ConnectOptions = {}): Promise<{ socket: TestSocket; snapshot: Snapshot }> {
  const socket: TestSocket = io(url, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    extraHeaders: options.headers,
    // engine.io-client passes it on to ws; its typings do not list it.
    ...(options.localAddress ? ({ localAddress: options.localAddress } as object) : {}),
  });
  sockets.add(socket);
  return new Promise((resolve, reject) => {
    // Only the first attempt decides: later connection errors are the client retrying, as a phone would.
    const refused = (error: Error) => {
      socket.disconnect();
      reject(error);
    };
    socket.once('connect_error', refused);
    socket.once('session:snapshot', (snapshot) => {
      socket.off('connect_error', refused);
      resolve({ socket, snapshot });
    });
  });
}

/** The error a refused handshake carries (`{code, message}`). */
export async function connectError(url: string, auth: unknown, options?: ConnectOptions): Promise<{ code: string; message: string }> {
  try {
    await connect(url, auth as Handshake, options);
  } catch (error) {
    return (error as { data: { code: string; message: string } }).data;
  }
  throw new Error('the connection was accepted');
}

export function disconnectAll(): void {
  for (const socket of sockets) socket.disconnect();
  sockets.clear();
}

export function send<E extends ClientEventName>(socket: TestSocket, event: E, payload: unknown): Promise<Ack<ClientAckData<E>>> {
  return (socket.timeout(5000).emitWithAck as (e: string, p: unknown) => Promise<Ack<ClientAckData<E>>>)(event, payload);
}

/**
 * New participants join one after another, the n-th with `options(n)`, until one is refused (at most `limit`).
 * `mostAllowed(burst, nodes)` is what a limit of `burst` at once and 1 a second per node could have let in
 * during the time it took, so a slow machine does not fail the test.
 */
export async function joinUntilRefused(url: string, created: CreateWorkshopResponse, options: (n: number) => ConnectOptions = () => ({}), limit = 30) {
  const startedAt = Date.now();
  let joined = 0;
  let refusal: { code: string; message: string } | undefined;
  while (!refusal && joined < limit) {
    try {
      await connect(url, participantAuth(created), options(joined));
      joined++;
    } catch (error) {
      refusal = (error as { data: { code: string; message: string } }).data;
    }
  }
  const seconds = Math.ceil((Date.now() - startedAt) / 1000);
  return { joined, refusal, mostAllowed: (burst: number, nodes = 1) => nodes * (burst + seconds) };
}

/** The acknowledgement of an event that must be accepted; a refusal fails the test with what the server said. */
export async function ok<T extends { ok: boolean }>(answer: Promise<T>): Promise<T & { ok: true }> {
  const result = await answer;
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result as T & { ok: true };
}

/** Resolves with the next `event` whose payload satisfies `predicate`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  predicate: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve) => {
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!predicate(payload)) return;
      (socket.off as (e: string, l: unknown) => void)(event, listener);
      resolve(payload);
    };
    (socket.on as (e: string, l: unknown) => void)(event, listener);
  });
}

let tokenCounter = 0;
/** A fresh participant token of the shape browsers make (43 base64url characters). */
export const newToken = () => `test-token-${String(++tokenCounter).padStart(6, '0')}-${Math.random().toString(36).slice(2)}`.padEnd(43, 'x');

export const facilitatorAuth = (created: CreateWorkshopResponse): Handshake => ({
  role: 'facilitator',
  workshopId: created.id,
  key: created.facilitatorKey,
});
/** The projector, opened from the screen link the console shows: its key is in the link's fragment. */
export const screenAuth = (created: Pick<CreateWorkshopResponse, 'joinCode' | 'urls'>): Handshake => ({
  role: 'screen',
  joinCode: created.joinCode,
  key: new URL(created.urls.screen).hash.replace(/^#key=/, ''),
});
export const participantAuth = (created: CreateWorkshopResponse, token = newToken()): Handshake => ({
  role: 'participant',
  joinCode: created.joinCode,
  token,
});
