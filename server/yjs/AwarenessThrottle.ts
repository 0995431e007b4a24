/**
 * Collects the awareness clients that changed and hands them on together, at most once per interval: every
 * cursor move would otherwise be one message to every other node.
 */
export class AwarenessThrottle {
  readonly #changed = new Set<number>();
  readonly #intervalMs: number;
  readonly #send: (clients: number[]) => void;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  /** `send` gets every client that changed since it was last called, each once. */
  constructor(options: { intervalMs: number; send: (clients: number[]) => void }) {
    this.#intervalMs = options.intervalMs;
    this.#send = options.send;
  }

  add(clients: number[]): void {
    if (this.#stopped) return;
    clients.forEach((id) => this.#changed.add(id));
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      const ids = [...this.#changed];
      this.#changed.clear();
      this.#send(ids);
    }, this.#intervalMs);
  }

  /** Drops what is pending; nothing is sent from then on. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
}
