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
/** Groups are found on at most this many people (evenly spread), silhouettes on fewer: a town hall stays quick. */
const SAMPLE = 2000;
const SILHOUETTE_SAMPLE = 1500;
const spread = (indices: number[], most: number) => {
  const step = indices.length / most;
  return indices.length <= most ? indices : Array.from({ length: most }, (_, i) => indices[Math.floor(i * step)]!);
};

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

/**
 * The first two principal components of the rows (centred on `means`), by power iteration on their covariance.
 * The covariance is summed over the answers given (rows are mostly zeros), then centred: Σ rrᵀ − n·μμᵀ.
 */
function principalComponents(rows: readonly { at: number[]; value: number[] }[], means: Float64Array): Float64Array[] {
  const m = means.length;
  const cov = Array.from({ length: m }, () => new Float64Array(m));
  for (const { at, value } of rows) {
    for (let a = 0; a < at.length; a++) {
      const ci = cov[at[a]!]!;
      for (let b = 0; b < at.length; b++) ci[at[b]!]! += value[a]! * value[b]!;
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) cov[i]![j]! -= rows.length * means[i]! * means[j]!;
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
      const settled = next.every((x, i) => Math.abs(x - v[i]!) < 1e-10);
      lambda = norm;
      v = next;
      if (settled) break;
    }
    components.push(v);
    // Deflate: what the next component explains is what this one did not.
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) cov[i]![j]! -= lambda * v[i]! * v[j]!;
  }
  return components;
}

/** Squared: k-means and the nearest centre need only the order; the silhouette takes the root. */
const distance2 = (a: Point, b: Point) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
const distance = (a: Point, b: Point) => Math.sqrt(distance2(a, b));

/** k-means (k-means++ start, a few restarts): the centres of the restart of least inertia. */
function kMeans(points: Point[], groups: number, random: () => number): Point[] {
  let best: { inertia: number; centres: Point[] } | null = null;
  for (let restart = 0; restart < RESTARTS; restart++) {
    const centres: Point[] = [points[Math.floor(random() * points.length)]!];
    while (centres.length < groups) {
      const weights = points.map((p) => Math.min(...centres.map((c) => distance2(p, c))));
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
    const inertia = points.reduce((s, p, i) => s + distance2(p, centres[labels[i]!]!), 0);
    if (!best || inertia < best.inertia) best = { inertia, centres };
  }
  return best!.centres;
}

const nearest = (p: Point, centres: Point[]) => centres.reduce((at, c, i) => (distance2(p, c) < distance2(p, centres[at]!) ? i : at), 0);

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
 * @returns for each voter, in order, the id of their opinion group (`opinion:A`, `opinion:B`…, largest first), or
 *   null when the room is too small or no grouping keeps every group at k or more
 */
export function inferOpinionGroups(statements: readonly Statement[], voters: readonly VoterVotes[], k: number): string[] | null {
  if (statements.length < 2) return null;
  // In a canonical order (by their answers), so that the groups depend on the votes, not on the order they are read.
  const key = (v: VoterVotes) => statements.map((st) => v.votes[st.id]?.[0] ?? '-').join('');
  const byAnswers = voters.map((v, i) => ({ i, key: key(v) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sorted = byAnswers.map(({ i }) => voters[i]!);
  const m = statements.length;
  const rows = sorted.map((v) => {
    const at: number[] = [];
    const value: number[] = [];
    statements.forEach((st, j) => {
      const vote = v.votes[st.id];
      if (vote === undefined) return;
      at.push(j);
      value.push(VALUE[vote]);
    });
    return { at, value, seen: at.length };
  });
  const placed = rows.map((_, i) => i).filter((i) => rows[i]!.seen >= Math.min(MIN_VOTES_TO_PLACE, m));
  if (placed.length < Math.max(OPINION_GROUPS_MIN_VOTERS, 2 * k)) return null;
  const sample = spread(placed, SAMPLE);
  const means = new Float64Array(m);
  for (const i of sample) rows[i]!.at.forEach((j, a) => (means[j]! += rows[i]!.value[a]! / sample.length));
  const [pc1, pc2] = principalComponents(
    sample.map((i) => rows[i]!),
    means,
  );
  const offset = [0, 0].map((_, c) => means.reduce((sum, mu, j) => sum + mu * (c ? pc2! : pc1!)[j]!, 0));
  // As Pol.is: someone who saw few statements is pulled to the centre by the zeros; scaling brings them back out.
  const points: Point[] = rows.map(({ at, value, seen }) => {
    const scale = Math.sqrt(m / Math.max(1, seen));
    let x = -offset[0]!;
    let y = -offset[1]!;
    at.forEach((j, a) => {
      x += value[a]! * pc1![j]!;
      y += value[a]! * pc2![j]!;
    });
    return [x * scale, y * scale];
  });
  const placedPoints = sample.map((i) => points[i]!);
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
      sample.map((i) => labels[i]!),
      groups,
    );
    if (!chosen || score > chosen.score) chosen = { score, labels, groups };
  }
  if (!chosen) return null;
  // Named by size, largest first, so the names do not depend on where k-means happened to start.
  const sizes = Array.from({ length: chosen.groups }, (_, g) => ({ g, n: chosen!.labels.filter((l) => l === g).length }));
  const names = new Map(sizes.sort((a, b) => b.n - a.n || a.g - b.g).map((s, rank) => [s.g, `${OPINION_PREFIX}${String.fromCharCode(65 + rank)}`]));
  const result = new Array<string>(voters.length);
  byAnswers.forEach(({ i }, at) => (result[i] = names.get(chosen!.labels[at]!)!));
  return result;
}
