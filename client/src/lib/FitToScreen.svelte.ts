import { tick } from 'svelte';

/**
 * How many items of a list the projector shows: nothing on it ever needs scrolling, so all of them, then one
 * fewer until the page fits the screen. Every change in the number of items fits the list again from all;
 * anything else that grows the page (a line wrapping, the timer or a connection banner appearing, a smaller
 * window) takes items away until it fits. Create it while a component initialises.
 */
export class FitToScreen {
  shown = $state(0);

  constructor(count: () => number) {
    $effect(() => {
      this.shown = count();
      void tick().then(() => this.#shrink());
    });
    $effect(() => {
      const shrink = () => void this.#shrink();
      const observer = new ResizeObserver(shrink);
      observer.observe(document.documentElement);
      addEventListener('resize', shrink);
      return () => {
        observer.disconnect();
        removeEventListener('resize', shrink);
      };
    });
  }

  async #shrink(): Promise<void> {
    while (this.shown > 1 && document.documentElement.scrollHeight > innerHeight) {
      this.shown--;
      await tick();
    }
  }
}
