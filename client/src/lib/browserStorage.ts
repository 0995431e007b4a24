/**
 * What this browser remembers, through one door: localStorage, or, where storage is disabled (private modes,
 * strict settings), this page's memory, so a choice still lasts while the page is open.
 */
const memory = new Map<string, string>();

export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

export function writeStored(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    memory.set(key, value);
  }
}

export function removeStored(key: string): void {
  memory.delete(key);
  try {
    localStorage.removeItem(key);
  } catch {
    // Storage disabled: the in-memory copy was all there was.
  }
}
