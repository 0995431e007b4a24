/**
 * The load generator: a few forked worker processes (worker.ts), each holding a share of the simulated
 * participants, so that one Node event loop is not what limits a thousand clients.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Arrival, ConnectArgs, JoinTiming, NoteArrivals, VoteArgs, VoteTiming } from './worker.js';

/**
 * The loopback address participant `i` connects from: 100 per address, so that no address reaches the
 * server's limit on new participants per address (150, docs/SECURITY.md) — as phones behind a few routers.
 */
export const addressFor = (i: number) => `127.0.${1 + Math.floor(i / 25_000)}.${2 + (Math.floor(i / 100) % 250)}`;

export class Fleet {
  readonly #workers: ChildProcess[];
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 0;

  private constructor(size: number) {
    const script = fileURLToPath(new URL('./worker.ts', import.meta.url));
    this.#workers = Array.from({ length: size }, () => {
      const child = fork(script, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', (message: { id: number; ok: boolean; result?: unknown; error?: string }) => {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.ok) pending?.resolve(message.result);
        else pending?.reject(new Error(`load generator: ${message.error}`));
      });
      return child;
    });
  }

  static async start(size: number): Promise<Fleet> {
    const fleet = new Fleet(size);
    await Promise.all(fleet.#workers.map((_, w) => fleet.#call(w, 'count', {})));
    return fleet;
  }

  get size(): number {
    return this.#workers.length;
  }

  #call<T>(worker: number, command: string, args: unknown): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#workers[worker]!.send({ id, command, args });
    });
  }

  /** Which global participant indices worker `w` holds, when `n` are spread evenly. */
  share(n: number, w: number): { offset: number; count: number } {
    const base = Math.floor(n / this.size);
    const extra = n % this.size;
    return { offset: w * base + Math.min(w, extra), count: base + (w < extra ? 1 : 0) };
  }

  /**
   * Connects `n` participants spread over the workers (`firstIndex` numbers them for their addresses).
   * With `nodes`, participant i connects to `nodes[i % nodes.length]` (several server nodes) instead of `url`.
   * Adds to whoever is already connected; the timings come back in no particular order.
   */
  async connect(n: number, args: Omit<ConnectArgs, 'addresses' | 'urls'> & { nodes?: string[] }, firstIndex = 0): Promise<JoinTiming[]> {
    const { nodes, ...common } = args;
    const parts = await Promise.all(
      this.#workers.map((_, w) => {
        const { offset, count } = this.share(n, w);
        const indices = Array.from({ length: count }, (_, i) => firstIndex + offset + i);
        const addresses = indices.map(addressFor);
        const urls = nodes && indices.map((i) => nodes[i % nodes.length]!);
        return this.#call<JoinTiming[]>(w, 'connect', { ...common, addresses, urls });
      }),
    );
    return parts.flat();
  }

  /** Every participant votes once; they must have been connected by one `connect(total)`. */
  async vote(args: Omit<VoteArgs, 'offset'>): Promise<VoteTiming[]> {
    const parts = await Promise.all(this.#workers.map((_, w) => this.#call<VoteTiming[]>(w, 'vote', { ...args, offset: this.share(args.total, w).offset })));
    return parts.flat();
  }

  /** `activity:changed` arrivals since the last collection, per participant. */
  async collectActivity(): Promise<Arrival[][]> {
    return (await Promise.all(this.#workers.map((_, w) => this.#call<Arrival[][]>(w, 'collectActivity', {})))).flat();
  }

  /** Note arrivals (latency of each "bench <time>" note, notes seen and last arrival per document). */
  async collectNotes(): Promise<NoteArrivals> {
    const parts = await Promise.all(this.#workers.map((_, w) => this.#call<NoteArrivals>(w, 'collectNotes', {})));
    return {
      latencies: parts.flatMap((p) => p.latencies),
      counts: parts.flatMap((p) => p.counts),
      lastAt: parts.flatMap((p) => p.lastAt),
    };
  }

  /** Disconnects every participant (the workers stay, for the next scenario). */
  async reset(): Promise<void> {
    await Promise.all(this.#workers.map((_, w) => this.#call(w, 'reset', {})));
  }

  close(): void {
    for (const worker of this.#workers) worker.disconnect();
  }
}
