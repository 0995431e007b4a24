/**
 * Vote burst: every participant answers one live-results poll, first spread over one second (the room
 * reacting), then all at the same moment (the server's ballot throughput). A projector (`screen` socket)
 * watches `poll:results`; closing the poll and reading the final count proves that no ballot was lost.
 *
 * Against several nodes, the facilitator is on the first (which then owns the workshop), the projector on the
 * last, and participants alternate between them: half of the ballots are forwarded to the owner.
 */
import type { PollResults } from '../../shared/protocol/index.js';
import { ok, connect, screenAuth, send } from '../helpers/clients.js';
import type { BenchNodes } from './benchServer.js';
import type { Fleet } from './fleet.js';
import { closeAll, openWorkshop, type Workshop } from './setup.js';
import { addActivity } from '../helpers/session.js';
import { now, sleep, summarise } from './stats.js';
import type { VoteTiming } from './worker.js';

const CHOICES = ['yes', 'no', 'unsure'];
/** How long the screen may take to show the final count before we stop waiting for it. */
const SCREEN_PATIENCE_MS = 5000;

type Seen = { pollId: string; respondents: number; at: number };

/** Closes the poll and checks that the final count holds every ballot, option by option. */
async function closeAndVerify(workshop: Workshop, pollId: string, voters: number, screen: Seen[]) {
  const closedAt = now();
  await ok(send(workshop.facilitator, 'activity:setState', { id: pollId, state: 'closed' }));
  const final = await send(workshop.facilitator, 'poll:results', { pollId });
  if (!final.ok) throw new Error(`results: ${final.message}`);
  const results = final.results as PollResults;
  const expected = CHOICES.map((_, c) => Array.from({ length: voters }, (_, i) => i % CHOICES.length).filter((x) => x === c).length);
  const counted = CHOICES.map((id) => results.tally?.options?.find((o) => o.id === id)?.count ?? 0);
  const lost = voters - results.respondents;
  if (lost !== 0 || counted.some((n, c) => n !== expected[c])) {
    throw new Error(`ballots lost: ${results.respondents} of ${voters} counted; per option ${counted} (expected ${expected})`);
  }
  const deadline = now() + SCREEN_PATIENCE_MS;
  while (!screen.some((s) => s.pollId === pollId && s.at >= closedAt && s.respondents === voters) && now() < deadline) await sleep(5);
  const shown = screen.find((s) => s.pollId === pollId && s.at >= closedAt && s.respondents === voters);
  return { stored: results.respondents, lost, closeToScreenMs: shown ? shown.at - closedAt : null };
}

/** Waits for the screen to show `voters` respondents while the poll is still open (k-batched, maybe never). */
async function screenShows(screen: Seen[], pollId: string, voters: number, after: number): Promise<number | null> {
  const deadline = now() + SCREEN_PATIENCE_MS;
  while (now() < deadline) {
    const shown = screen.find((s) => s.pollId === pollId && s.respondents === voters);
    if (shown) return Math.max(0, shown.at - after);
    await sleep(5);
  }
  return null;
}

function ackStats(votes: VoteTiming[]) {
  const refused = votes.filter((v) => !v.ok);
  if (refused.length > 0) throw new Error(`${refused.length} ballots refused: ${refused[0]!.message}`);
  const first = Math.min(...votes.map((v) => v.sentAt));
  const last = Math.max(...votes.map((v) => v.ackAt));
  return { ackMs: summarise(votes.map((v) => v.ackAt - v.sentAt)), ballotsPerSecond: Math.round((votes.length / (last - first)) * 1000), lastAckAt: last };
}

export async function voteBurst(fleet: Fleet, size: { voters: number }, servers: { store: string; start: () => Promise<BenchNodes> }) {
  const { urls, stop } = await servers.start();
  try {
    const workshop = await openWorkshop(urls[0]!);
    const poll = { kind: 'poll', title: 'Do you feel safe at night?', type: 'single', options: ['Yes', 'No', 'Unsure'], liveResults: true };
    const pacedId = await addActivity(workshop.facilitator, poll);
    await send(workshop.facilitator, 'activity:setState', { id: pacedId, state: 'open' });
    const { socket: screenSocket } = await connect(urls.at(-1)!, screenAuth(workshop));
    const screen: Seen[] = [];
    screenSocket.on('poll:results', (r) => screen.push({ pollId: r.pollId, respondents: r.respondents, at: now() }));
    await fleet.connect(size.voters, {
      url: urls[0]!,
      nodes: urls,
      auth: { role: 'participant', joinCode: workshop.joinCode },
      startAt: now(),
      concurrency: 20,
    });

    // 1. The room answers within one second.
    const paced = ackStats(await fleet.vote({ pollId: pacedId, startAt: now() + 300, spreadMs: 1000, total: size.voters, choices: CHOICES }));
    const liveScreenMs = await screenShows(screen, pacedId, size.voters, paced.lastAckAt);
    const pacedCheck = await closeAndVerify(workshop, pacedId, size.voters, screen);

    // 2. Everyone at the same instant: how many ballots per second reach the disk.
    const burstId = await addActivity(workshop.facilitator, { ...poll, title: 'And in the daytime?' });
    await send(workshop.facilitator, 'activity:setState', { id: burstId, state: 'open' });
    const burst = ackStats(await fleet.vote({ pollId: burstId, startAt: now() + 300, spreadMs: 0, total: size.voters, choices: CHOICES }));
    const burstScreenMs = await screenShows(screen, burstId, size.voters, burst.lastAckAt);
    const burstCheck = await closeAndVerify(workshop, burstId, size.voters, screen);
    await fleet.reset();
    return {
      voters: size.voters,
      nodes: urls.length,
      store: servers.store,
      withinOneSecond: { ackMs: paced.ackMs, ballotsPerSecond: paced.ballotsPerSecond, liveScreenMs, ...pacedCheck },
      allAtOnce: { ackMs: burst.ackMs, ballotsPerSecond: burst.ballotsPerSecond, liveScreenMs: burstScreenMs, ...burstCheck },
    };
  } finally {
    closeAll();
    await stop();
  }
}
