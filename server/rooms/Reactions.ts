/**
 * Live reactions (👍 ❤️ 👏 ❓ "slow down"): a signal to the front of the room, not a contribution. So nothing
 * of them is stored or logged, and none is acknowledged as kept. No one is named: within a window each person
 * counts once per reaction however often they tap, and the counts go to the consoles and the projector together
 * at the window's end — never one tap as it happens, which the room could match to a hand on a phone.
 */
import { REACTION_WINDOW_MS, type Reaction } from '../../shared/protocol/index.js';

export class Reactions {
  /** This window's reactions: for each, who sent it (participant ids, in memory only until the window ends). */
  readonly #window = new Map<Reaction, Set<string>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (counts: Partial<Record<Reaction, number>>) => void,
    private readonly windowMs = REACTION_WINDOW_MS,
  ) {}

  add(participantId: string, reaction: Reaction): void {
    let senders = this.#window.get(reaction);
    if (!senders) this.#window.set(reaction, (senders = new Set()));
    senders.add(participantId);
    // Windows follow the clock, not the first tap: a lone reaction in a quiet room goes out at the next boundary,
    // anywhere from 0 to 3 s after it was sent, not exactly 3 s after a tap someone saw.
    this.#timer ??= setTimeout(() => this.#flush(), this.windowMs - (Date.now() % this.windowMs));
  }

  #flush(): void {
    this.#timer = undefined;
    const counts = Object.fromEntries([...this.#window].map(([reaction, senders]) => [reaction, senders.size]));
    this.#window.clear();
    this.emit(counts);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#window.clear();
  }
}
