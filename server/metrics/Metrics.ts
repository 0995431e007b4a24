/**
 * What an operator's Prometheus reads at GET /metrics (docs/DEPLOYMENT.md, "Metrics"): this node's connections
 * by role, live workshops, rooms owned here or forwarded to another node, client events and Yjs messages, how
 * long an event takes to be answered and a store write to commit, the Redis link, and the process itself.
 *
 * Labels are drawn from fixed sets only: a role, an event name, an answer code, a store operation. Never a
 * workshop id, a join code, a group or a person, and no count is split finer than the whole node. On a node that
 * runs one room, that is the room's activity over time — when, never what or who (docs/DEPLOYMENT.md, "Metrics";
 * tests/integration/metrics.test.ts).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Role } from '../../shared/protocol/index.js';

/** What the gauges read at each scrape, once the parts that know it exist. */
export type MetricSources = {
  connectionsByRole: () => Iterable<Role>;
  yjsConnections: () => number;
  liveWorkshops: () => number;
  /** With several nodes: workshops whose connections this node forwards to their owner, and the Redis link. */
  forwardedWorkshops?: () => number;
  redisConnected?: () => boolean;
};

const ROLES: readonly Role[] = ['participant', 'screen', 'cofacilitator', 'facilitator'];
/** From a quick ack (a cached answer) to a slow store under a join storm. */
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Metrics {
  readonly registry = new Registry();
  readonly #events = new Counter({
    name: 'roundtable_client_events_total',
    help: 'Socket.IO events answered, by event name and answer (ok, or the error code)',
    labelNames: ['event', 'answer'] as const,
    registers: [this.registry],
  });
  readonly #eventSeconds = new Histogram({
    name: 'roundtable_client_event_seconds',
    help: 'Time from an event arriving to its acknowledgement, by event name',
    labelNames: ['event'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly #yjsMessages = new Counter({
    name: 'roundtable_yjs_messages_received_total',
    help: 'y-websocket messages received (sync and awareness)',
    registers: [this.registry],
  });
  readonly #storeSeconds = new Histogram({
    name: 'roundtable_store_write_seconds',
    help: 'Time for a store write to be durable (committed), by store operation',
    labelNames: ['operation', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  /** @param processMetrics also Node's own (CPU, memory, event loop lag, GC): off where nobody scrapes. */
  constructor(processMetrics: boolean) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Called once the rooms, the sockets and, with several nodes, the cluster exist: the gauges read them. */
  observe(sources: MetricSources): void {
    const registers = [this.registry];
    new Gauge({
      name: 'roundtable_connections',
      help: 'Socket.IO connections to this node, by role',
      labelNames: ['role'] as const,
      registers,
      collect() {
        const counts = new Map<Role, number>(ROLES.map((role) => [role, 0]));
        for (const role of sources.connectionsByRole()) counts.set(role, (counts.get(role) ?? 0) + 1);
        for (const [role, count] of counts) this.set({ role }, count);
      },
    });
    new Gauge({
      name: 'roundtable_yjs_connections',
      help: 'y-websocket connections to this node (boards and plans)',
      registers,
      collect() {
        this.set(sources.yjsConnections());
      },
    });
    new Gauge({
      name: 'roundtable_workshops',
      help: 'Live workshops on this node: owned (their room runs here) or forwarded (their owner is another node)',
      labelNames: ['placement'] as const,
      registers,
      collect() {
        this.set({ placement: 'owned' }, sources.liveWorkshops());
        this.set({ placement: 'forwarded' }, sources.forwardedWorkshops?.() ?? 0);
      },
    });
    const { redisConnected } = sources;
    if (redisConnected) {
      new Gauge({
        name: 'roundtable_redis_connected',
        help: 'Several nodes: 1 while both connections to Redis are up, else 0',
        registers,
        collect() {
          this.set(redisConnected() ? 1 : 0);
        },
      });
    }
  }

  /** An event was answered `answer` (ok or an error code) after `seconds`. */
  event(event: string, answer: string, seconds: number): void {
    this.#events.inc({ event, answer });
    this.#eventSeconds.observe({ event }, seconds);
  }

  yjsMessage(): void {
    this.#yjsMessages.inc();
  }

  storeWrite(operation: string, outcome: 'ok' | 'failed', seconds: number): void {
    this.#storeSeconds.observe({ operation, outcome }, seconds);
  }

  /** The Prometheus text exposition of every metric, and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
