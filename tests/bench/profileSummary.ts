/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with the most self time, and self
 * time by where the code lives (a package under node_modules, a folder of ours, Node's internals).
 * `node --import tsx tests/bench/profileSummary.ts <file.cpuprofile> [top]`
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

function placeOf(url: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(server|shared)\/(.+?)\/?[^/]*$/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}

export function summariseProfile(path: string, top = 15) {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => ['(idle)', '(program)'].includes(byId.get(id)!.callFrame.functionName)).reduce((a, [, t]) => a + t, 0);
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const file = url.replace(/^.*\/(node_modules|server|shared)\//, '$1/');
    const key = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + time);
    places.set(placeOf(url), (places.get(placeOf(url)) ?? 0) + time);
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), percentOfBusy: Math.round((us / (total - idle)) * 1000) / 10 }));
  return {
    wallMs: Math.round((profile.endTime - profile.startTime) / 1000),
    busyMs: Math.round((total - idle) / 1000),
    functions: rank(functions),
    places: rank(places),
  };
}

export function printProfile(name: string, summary: ReturnType<typeof summariseProfile>): void {
  console.log(`\nprofile ${name}: busy ${summary.busyMs} ms of ${summary.wallMs} ms`);
  console.log('  self time by place:');
  for (const p of summary.places) console.log(`    ${String(p.percentOfBusy).padStart(5)} %  ${p.name}`);
  console.log('  self time by function:');
  for (const f of summary.functions) console.log(`    ${String(f.percentOfBusy).padStart(5)} %  ${f.name}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [path, top] = process.argv.slice(2);
  if (!path) throw new Error('usage: profileSummary.ts <file.cpuprofile> [top]');
  printProfile(path, summariseProfile(path, Number(top ?? 25)));
}
