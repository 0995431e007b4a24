/**
 * Wires Roundtable onto one HTTP server: Express (client, /api, /healthz), Socket.IO at /socket.io and
 * Yjs at /yjs/…. Used by server/main.ts and by the tests, which start it on port 0.
 */
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { apiRoutes } from './http/apiRoutes.js';
import { trustedProxies } from './http/clientAddress.js';
import { readClientAddresses } from './realtime/readClientAddresses.js';
import { clientRoutes } from './http/clientRoutes.js';
import { exportRoutes } from './http/exportRoutes.js';
import { answerMalformedRequests, jsonErrors } from './http/jsonErrors.js';
import { workshopRoutes } from './http/workshopRoutes.js';
import { securityHeaders } from './http/securityHeaders.js';
import type { Logger } from './log.js';
import { attachRealtime } from './realtime/attachRealtime.js';
import { Connections } from './realtime/Connections.js';
import { localSockets } from './realtime/localSockets.js';
import { socketAudiences } from './realtime/socketAudiences.js';
import type { RoundtableServer } from './realtime/types.js';
import { RoomRegistry } from './rooms/RoomRegistry.js';
import { polisRoutes } from './http/polisRoutes.js';
import { followUpRoutes } from './http/followUpRoutes.js';
import { FollowUps } from './rooms/FollowUps.js';
import { WorkshopEnding } from './rooms/WorkshopEnding.js';
import { DEFAULT_PURGE_INTERVAL_MS, WorkshopEraser } from './rooms/WorkshopEraser.js';
import type { Store } from './store/Store.js';
import { DocRegistry } from './yjs/DocRegistry.js';
import { Cluster } from './scale/Cluster.js';
import { Scale } from './scale/Scale.js';
import { ServerClock } from './ServerClock.js';
import { StorageHealth, watchWrites } from './store/storageFault.js';
import { TicketBook } from './yjs/TicketBook.js';
import { mayWrite } from './yjs/mayWrite.js';
import { attachYjsEndpoint } from './yjs/yjsEndpoint.js';
import { Metrics } from './metrics/Metrics.js';
import { metricsRoute } from './http/metricsRoute.js';

export const DEFAULT_CLIENT_DIR = fileURLToPath(new URL('../dist/client', import.meta.url));

export type RoundtableOptions = {
  store: Store;
  log: Logger;
  /** Base of every link handed out; when omitted, `http://localhost:<port>` once listening. */
  publicUrl?: (port: number) => string;
  clientDir?: string;
  /** How often expired workshops are purged (there is always a sweep at start-up); hourly by default. */
  purgeIntervalMs?: number;
  /** Timers, server time and retention (server/ServerClock.ts); a test may step its wall clock or let time pass. */
  clock?: ServerClock;
  /** When set, creating a workshop needs this key (`Authorization: Bearer`): a public server for organisers only. */
  createKey?: string;
  /** When set, GET /metrics answers scrapers bearing this key (`Authorization: Bearer`); otherwise it is not served. */
  metricsToken?: string;
  /** Events per second from one address, all its connections together (default RATE_LIMITS.perAddress). */
  addressEventsPerSecond?: number;
  /** New participants per second from one address (default RATE_LIMITS.newParticipantsPerAddress). */
  addressJoinsPerSecond?: number;
  /**
   * Several nodes sharing this Redis (and the store, which must then be PostgreSQL), and the key every node
   * seals its messages to the others with (SEAL_KEY, server/domain/Sealer.ts): docs/DEPLOYMENT.md.
   */
  cluster?: { redisUrl: string; sealKey: string };
  /** The reverse proxies whose X-Forwarded-For names the client (TRUST_PROXY): server/http/clientAddress.ts. */
  trustProxy?: string;
};

export async function startRoundtable(options: RoundtableOptions & { port: number; host: string }) {
  const { log } = options;
  // Every write's outcome is watched, so that /healthz can say the disk is refusing writes.
  const storage = new StorageHealth();
  const metrics = new Metrics(options.metricsToken !== undefined);
  const store = watchWrites(options.store, storage, metrics);
  const app = express();
  app.disable('x-powered-by');
  const trusted = options.trustProxy ? trustedProxies(options.trustProxy) : undefined;
  // Express then reads `req.ip` (the organiser-key failure limit) the same way as Socket.IO below.
  if (trusted) app.set('trust proxy', trusted);
  const httpServer = createServer(app);
  answerMalformedRequests(httpServer);

  // Links need the real port (tests listen on port 0), so listen first and wire the handlers right after,
  // in the same start-up turn: nothing can be served in between because no request has been read yet.
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const baseUrl = (options.publicUrl?.(port) ?? `http://localhost:${port}`).replace(/\/$/, '');
  const scale = options.cluster ? await Scale.connect(options.cluster, log) : undefined;

  const io: RoundtableServer = new Server(httpServer, {
    serveClient: false,
    // Leave /yjs upgrades alone: without this the engine destroys them after 1 s.
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
    // A phone that silently lost the venue Wi-Fi notices within ~10 s and shows "reconnecting".
    pingInterval: 5_000,
    pingTimeout: 5_000,
    ...(scale ? { adapter: scale.adapter() } : {}),
  });
  if (trusted) readClientAddresses(io, trusted);
  // Each part is made once what it needs exists: the rooms, then what serves them, then what joins the nodes.
  const audiences = socketAudiences(io);
  const docs = new DocRegistry({ store, log, peers: scale?.docPeers });
  const tickets = scale?.tickets ?? new TicketBook();
  const clock = options.clock ?? new ServerClock();
  const rooms = new RoomRegistry({ store, audiences, docs, tickets, log, baseUrl, clock });
  const connections = new Connections({ store, tickets, docs, log, baseUrl, metrics, addressEventsPerSecond: options.addressEventsPerSecond });
  const cluster = scale && new Cluster({ scale, rooms, docs, store, connections, sockets: localSockets(io), log });
  // Every console on this node hears at once when the disk starts or stops refusing writes.
  storage.onChange((status) => {
    for (const id of rooms.liveIds()) audiences(id).facilitators('storage:changed', { status });
  });
  const closedElsewhere = cluster && ((id: string) => cluster.erased(id));
  const ending = new WorkshopEnding({ store, rooms, docs, tickets, clock, log, closedElsewhere });
  const followUps = new FollowUps({ store, clock, baseUrl });
  const eraser = new WorkshopEraser({
    store,
    rooms,
    docs,
    tickets,
    log,
    clock,
    erasedElsewhere: closedElsewhere,
    finishEndings: () => ending.finishUnfinished(),
  });
  attachRealtime(io, {
    store,
    rooms,
    connections,
    log,
    baseUrl,
    addressJoinsPerSecond: options.addressJoinsPerSecond,
    place: cluster && ((socket) => cluster.place(socket)),
  });
  await cluster?.start();
  const yjs = attachYjsEndpoint(
    httpServer,
    tickets,
    docs,
    async (grant) =>
      grant.access === 'read' ||
      mayWrite(grant, () =>
        // Several nodes: the room may run on another node, so ask the store.
        scale
          ? store.drafters(grant.workshopId).then((drafters) => drafters.some((d) => d.id === grant.participantId))
          : rooms.live(grant.workshopId)?.drafting.isDrafter(grant.participantId ?? '') === true,
      ),
    () => metrics.yjsMessage(),
  );
  metrics.observe({
    connectionsByRole: () => [...io.of('/').sockets.values()].map((socket) => socket.data.role),
    yjsConnections: yjs.connections,
    liveWorkshops: () => rooms.liveIds().length,
    forwardedWorkshops: cluster && (() => cluster.forwardedWorkshops()),
    redisConnected: scale && (() => scale.redis.connected),
  });

  app.use(securityHeaders);
  app.use(metricsRoute(metrics, options.metricsToken));
  app.use(exportRoutes({ store, docs, log, baseUrl }));
  app.use(workshopRoutes({ store, eraser, log }));
  const runsHere = async (id: string) => !cluster || (await cluster.claim(id));
  app.use(polisRoutes({ store, rooms, runsHere }));
  app.use(followUpRoutes({ store, ending, followUps, clock, log, baseUrl, runsHere }));
  let draining = false;
  app.use(
    apiRoutes({ store, log, baseUrl, clock, eraser, storage, createKey: options.createKey, ping: scale && (() => scale.ping()), draining: () => draining }),
  );
  app.use(clientRoutes(options.clientDir ?? DEFAULT_CLIENT_DIR));
  app.use(jsonErrors(log));

  // Workshops past their retention go now, then at every interval.
  await eraser.purgeExpired();
  eraser.start(options.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS);

  let closing: Promise<void> | undefined;
  return {
    port,
    baseUrl,
    /** From now on /readyz answers 503 (draining); everything else is served as before until `close`. */
    drain(): void {
      draining = true;
    },
    /** Stops accepting, disconnects every client (they reconnect elsewhere or after a restart), closes the store. */
    close(): Promise<void> {
      closing ??= (async () => {
        draining = true;
        await eraser.stop();
        await cluster?.leave();
        yjs.close();
        await io.close();
        await docs.closeAll();
        httpServer.closeAllConnections();
        await scale?.close();
        await store.close();
      })();
      return closing;
    },
  };
}

export type Roundtable = Awaited<ReturnType<typeof startRoundtable>>;
