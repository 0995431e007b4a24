/** Reading GET /metrics in tests: a scrape, and its samples parsed from the Prometheus text format. */

export type Sample = { name: string; labels: Record<string, string>; value: number };

export const scrape = (url: string, token?: string) => fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** `name{labels} value` lines of a text exposition, comments left out. */
export function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The value of the first sample of `name` with these labels, if any. */
export const valueOf = (all: Sample[], name: string, labels: Record<string, string> = {}) =>
  all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

/** Scrapes `url` with `token` and parses what it answered. */
export async function scrapeSamples(url: string, token: string): Promise<Sample[]> {
  const response = await scrape(url, token);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return samples(await response.text());
}
