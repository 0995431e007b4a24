import { tick } from 'svelte';

/**
 * How many items of a list the projector shows: nothing on it ever needs scrolling, so all of them, then one
 * fewer until the page fits the screen. Every change in the number of items fits the list again from all;
 * anything else that grows the page (a line wrapping, the timer or a connection banner appearing, a smaller
 * window) takes items away until it fits. Create it while a component initialises.
 */
export class FitToScreen {
  shown = $state(0);
  /** One fitting at a time: two loops at once would each take an item off for the same overflow. */
  #fitting = false;

  constructor(count: () => number) {
    const refit = () => {
      this.shown = count();
      void tick().then(() => this.#shrink());
    };
    $effect(refit);
    $effect(() => {
      // The page grew (a line wrapping, a banner): take items off. The window changed: fit again from all,
      // so a larger window gets its items back.
      const observer = new ResizeObserver(() => void this.#shrink());
      observer.observe(document.documentElement);
      addEventListener('resize', refit);
      return () => {
        observer.disconnect();
        removeEventListener('resize', refit);
      };
    });
  }

  async #shrink(): Promise<void> {
    if (this.#fitting) return;
    this.#fitting = true;
    try {
      while (this.shown > 1 && document.documentElement.scrollHeight > innerHeight) {
        this.shown--;
        await tick();
      }
    } finally {
      this.#fitting = false;
    }
  }
}
