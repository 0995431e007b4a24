/**
 * Opinion groups for a large room that declared none, found the way Pol.is finds them: each voter's answers as
 * a row (agree 1, disagree −1, pass or unseen 0), reduced to two dimensions by PCA (each voter's projection scaled
 * up by how few statements they saw), then k-means for 2 to 5 groups, keeping the number of groups with the best
 * silhouette among those whose every group has at least k people. Pure and deterministic (a seeded generator):
 * the same votes give the same groups. Only group sizes and counts per group leave the analysis — never a
 * position.
 */
import { OPINION_PREFIX, type Statement, type StatementVote } from '../../../shared/protocol/index.js';
import type { VoterVotes } from './analysis.js';

/** Below this many voters, groups found from votes would be too small or too unstable to mean anything. */
export const OPINION_GROUPS_MIN_VOTERS = 30;
/** As Pol.is: the groups are found among people who answered at least this many statements (or all of them). */
const MIN_VOTES_TO_PLACE = 7;
const MAX_GROUPS = 5;
const RESTARTS = 4;
const ITERATIONS = 60;
/** Silhouettes are computed on at most this many voters (evenly spread), so a town hall stays quick. */
const SILHOUETTE_SAMPLE = 1500;

const VALUE: Record<StatementVote, number> = { agree: 1, disagree: -1, pass: 0 };
type Point = [number, number];

/** Mulberry32: small, seeded, good enough to place k-means' first centres. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first two principal components of the centred rows, by power iteration on their covariance. */
function principalComponents(rows: Float64Array[], m: number): Float64Array[] {
  const cov = Array.from({ length: m }, () => new Float64Array(m));
  for (const row of rows) {
    for (let i = 0; i < m; i++) {
      const ri = row[i]!;
      if (ri === 0) continue;
      const ci = cov[i]!;
      for (let j = 0; j < m; j++) ci[j]! += ri * row[j]!;
    }
  }
  const components: Float64Array[] = [];
  const random = seeded(7);
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: m }, () => random() - 0.5);
    let lambda = 0;
    for (let iter = 0; iter < 200; iter++) {
      const next = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let sum = 0;
        for (let j = 0; j < m; j++) sum += cov[i]![j]! * v[j]!;
        next[i] = sum;
      }
      const norm = Math.hypot(...next);
      if (norm === 0) break;
      for (let i = 0; i < m; i++) next[i]! /= norm;
      lambda = norm;
      v = next;
    }
    components.push(v);
    // Deflate: what the next component explains is what this one did not.
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) cov[i]![j]! -= lambda * v[i]! * v[j]!;
  }
  return components;
}

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** k-means (k-means++ start, a few restarts): the centres of the restart of least inertia. */
function kMeans(points: Point[], groups: number, random: () => number): Point[] {
  let best: { inertia: number; centres: Point[] } | null = null;
  for (let restart = 0; restart < RESTARTS; restart++) {
    const centres: Point[] = [points[Math.floor(random() * points.length)]!];
    while (centres.length < groups) {
      const weights = points.map((p) => Math.min(...centres.map((c) => distance(p, c))) ** 2);
      let pick = random() * weights.reduce((a, b) => a + b, 0);
      const at = weights.findIndex((w) => (pick -= w) <= 0);
      centres.push(points[at < 0 ? points.length - 1 : at]!);
    }
    let labels = points.map(() => 0);
    for (let iter = 0; iter < ITERATIONS; iter++) {
      const next = points.map((p) => nearest(p, centres));
      const moved = next.some((l, i) => l !== labels[i]);
      labels = next;
      for (let g = 0; g < groups; g++) {
        const members = points.filter((_, i) => labels[i] === g);
        if (members.length) centres[g] = [members.reduce((s, p) => s + p[0], 0) / members.length, members.reduce((s, p) => s + p[1], 0) / members.length];
      }
      if (!moved && iter > 0) break;
    }
    const inertia = points.reduce((s, p, i) => s + distance(p, centres[labels[i]!]!) ** 2, 0);
    if (!best || inertia < best.inertia) best = { inertia, centres };
  }
  return best!.centres;
}

const nearest = (p: Point, centres: Point[]) => centres.reduce((at, c, i) => (distance(p, c) < distance(p, centres[at]!) ? i : at), 0);

/** The mean silhouette of a grouping (on an even sample of the points). */
function silhouette(points: Point[], labels: number[], groups: number): number {
  const step = Math.max(1, Math.ceil(points.length / SILHOUETTE_SAMPLE));
  const sample = points.map((_, i) => i).filter((i) => i % step === 0);
  let total = 0;
  for (const i of sample) {
    const sums = new Array<number>(groups).fill(0);
    const counts = new Array<number>(groups).fill(0);
    for (const j of sample) {
      if (i === j) continue;
      sums[labels[j]!]! += distance(points[i]!, points[j]!);
      counts[labels[j]!]!++;
    }
    const own = labels[i]!;
    const a = counts[own] ? sums[own]! / counts[own]! : 0;
    const b = Math.min(...sums.map((s, g) => (g === own || !counts[g] ? Infinity : s / counts[g]!)));
    total += counts[own] && Number.isFinite(b) ? (b - a) / Math.max(a, b, 1e-12) : 0;
  }
  return total / sample.length;
}

/**
 * @returns for each voter, in order, the id of their opinion group (`opinion-A`, `opinion-B`…, largest first), or
 *   null when the room is too small or no grouping keeps every group at k or more
 */
export function inferOpinionGroups(statements: readonly Statement[], voters: readonly VoterVotes[], k: number): string[] | null {
  if (statements.length < 2) return null;
  const m = statements.length;
  const seen = voters.map((v) => statements.filter((s) => v.votes[s.id] !== undefined).length);
  const placed = voters.map((_, i) => i).filter((i) => seen[i]! >= Math.min(MIN_VOTES_TO_PLACE, m));
  if (placed.length < Math.max(OPINION_GROUPS_MIN_VOTERS, 2 * k)) return null;
  const rows = voters.map((v) => Float64Array.from(statements, (s) => (v.votes[s.id] ? VALUE[v.votes[s.id]!] : 0)));
  const means = Float64Array.from({ length: m }, (_, j) => placed.reduce((sum, i) => sum + rows[i]![j]!, 0) / placed.length);
  for (const row of rows) for (let j = 0; j < m; j++) row[j]! -= means[j]!;
  const [pc1, pc2] = principalComponents(
    placed.map((i) => rows[i]!),
    m,
  );
  // As Pol.is: someone who saw few statements is pulled to the centre by the zeros; scaling brings them back out.
  const points: Point[] = rows.map((row, i) => {
    const scale = Math.sqrt(m / Math.max(1, seen[i]!));
    let x = 0;
    let y = 0;
    for (let j = 0; j < m; j++) {
      x += row[j]! * pc1![j]!;
      y += row[j]! * pc2![j]!;
    }
    return [x * scale, y * scale];
  });
  const placedPoints = placed.map((i) => points[i]!);
  const random = seeded(2026);
  let chosen: { score: number; labels: number[]; groups: number } | null = null;
  for (let groups = 2; groups <= MAX_GROUPS && groups * k <= voters.length; groups++) {
    const centres = kMeans(placedPoints, groups, random);
    // Everyone joins the group whose centre is nearest, those who answered only a few statements too.
    const labels = points.map((p) => nearest(p, centres));
    const sizes = new Array<number>(groups).fill(0);
    for (const l of labels) sizes[l]!++;
    if (sizes.some((n) => n < k)) continue;
    const score = silhouette(
      placedPoints,
      placed.map((i) => labels[i]!),
      groups,
    );
    if (!chosen || score > chosen.score) chosen = { score, labels, groups };
  }
  if (!chosen) return null;
  // Named by size, largest first, so the names do not depend on where k-means happened to start.
  const sizes = Array.from({ length: chosen.groups }, (_, g) => ({ g, n: chosen!.labels.filter((l) => l === g).length }));
  const names = new Map(sizes.sort((a, b) => b.n - a.n || a.g - b.g).map((s, rank) => [s.g, `${OPINION_PREFIX}${String.fromCharCode(65 + rank)}`]));
  return chosen.labels.map((l) => names.get(l)!);
}
