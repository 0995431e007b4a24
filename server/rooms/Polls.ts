/**
 * Polls of one workshop: anonymous answers (one per person, the last one counts while the poll is open),
 * rounds, paper tallies, hidden open answers, and results by the rules of ResultsPublisher. Every
 * operation runs in the room's queue.
 *
 * What a count may show: nothing below k answers from phones (paper cannot make up the difference); while
 * open, counts only if the facilitator chose live results; and groups only as breakdown.ts folds them.
 * Which stakeholder group gave which answer is kept **in memory only** while the round is open, never in
 * the database; at closing, the groups shown then are kept with the result and the rest is forgotten.
 */
import { ErrorCode, OTHER_GROUP_ID, type Ack, type AckError, type PollActivity, type PollAnswer, type PollResults } from '../../shared/protocol/index.js';
import { breakdownByGroup } from '../domain/poll/breakdown.js';
import { checkPaperTally, type PaperBallots } from '../domain/poll/checkPaperTally.js';
import { closedResult, withoutKeeping, type Counted, type Kept } from '../domain/poll/keptRound.js';
import { boxOf, hasBreakdown, isClosed, parseBox, releaseKey, resultKey, roundOf } from '../domain/poll/pollRounds.js';
import { tallyPoll, type PaperTally, type StoredAnswer } from '../domain/poll/tallyPoll.js';
import { oneRow, type RowOf } from '../domain/releaseGate.js';
import { validateAnswer } from '../domain/poll/validateAnswer.js';
import { countWords } from '../domain/poll/words.js';
import { fail, notFound } from '../domain/result.js';
import { randomId, tagFor } from '../domain/secrets.js';
import { boxSecret, onceEach } from './boxSecret.js';
import { findActivity } from './findActivity.js';
import { SerialBatches } from './SerialBatches.js';
import type { Logger } from '../log.js';
import type { Audience } from './ports.js';
import type { Store } from '../store/Store.js';
import { RESULTS_INTERVAL_MS } from './Boards.js';
import { ResultsPublisher } from './ResultsPublisher.js';

type Vote = { token: string; group: string | null; input: { pollId: string; answer: PollAnswer; round?: number } };
type Deps = { store: Store; audience: Audience; log: Logger };
type Host = {
  readonly id: string;
  readonly anonymityThreshold: number;
  readonly language: string;
  poll(pollId: string): PollActivity | undefined;
  serialise<T>(task: () => Promise<T>): Promise<T>;
};

export class Polls {
  readonly #results: ResultsPublisher<Counted>;
  /** ballot id → the voter's stakeholder group, per open box; memory only (see the file comment). */
  readonly #groups = new Map<string, Map<string, string | null>>();

  constructor(
    private readonly host: Host,
    private readonly deps: Deps,
  ) {
    this.#results = new ResultsPublisher<Counted>({
      threshold: host.anonymityThreshold,
      intervalMs: RESULTS_INTERVAL_MS,
      count: (box, rowOf) => this.#count(box, rowOf),
      ballots: async (box) => await this.deps.store.ballotCount(box),
      counted: (counted) => counted.respondents,
      breakdown: (box) => {
        const poll = this.host.poll(parseBox(box).pollId);
        return poll !== undefined && hasBreakdown(poll);
      },
      live: (box) => this.host.poll(parseBox(box).pollId)?.liveResults === true,
      closed: (box) => {
        const { pollId, round } = parseBox(box);
        const poll = this.host.poll(pollId);
        return poll !== undefined && isClosed(poll, round);
      },
      releases: { store: this.deps.store, workshopId: this.host.id, key: releaseKey },
      initial: (box) => this.#initial(box),
      emit: (box, counted) => this.#emit(box, counted),
      serialise: (task) => this.host.serialise(task),
      onError: (box, error) => this.deps.log.error('could not publish poll results', { box, error: String(error) }),
    });
  }

  #find(pollId: string, states?: readonly string[]): PollActivity | AckError {
    return findActivity(this.host.poll(pollId), 'poll', 'this poll has not opened yet', states);
  }

  #secret(box: string, create: boolean): Promise<Buffer | undefined> {
    return boxSecret(this.deps.store, this.host.id, box, create);
  }

  /** Votes arriving together are cast together: one store transaction for a whole burst (see SerialBatches). */
  readonly #votes = new SerialBatches<Vote, Ack>(
    (task) => this.host.serialise(task),
    (votes) => this.#cast(votes),
  );

  vote(token: string, group: string | null, input: Vote['input']): Promise<Ack> {
    return this.#votes.add({ token, group, input });
  }

  async #cast(votes: Vote[]): Promise<Ack[]> {
    const secretOf = onceEach((box) => this.#secret(box, true));
    return Promise.all(votes.map((vote) => this.#castOne(vote, secretOf)));
  }

  async #castOne({ token, group, input }: Vote, secretOf: (box: string) => Promise<Buffer | undefined>): Promise<Ack> {
    const poll = this.#find(input.pollId, ['open']);
    if ('ok' in poll) return poll;
    if (input.round !== undefined && input.round !== roundOf(poll)) {
      return fail(ErrorCode.conflict, 'this poll has started a new round: answer again');
    }
    const problem = validateAnswer(poll, input.answer);
    if (problem) return fail(ErrorCode.invalidInput, problem);
    const box = boxOf(poll.id, roundOf(poll));
    const voterTag = tagFor((await secretOf(box))!, token);
    // Sending the same answer again is not a change: it must not help trigger a publication.
    const payload = JSON.stringify(input.answer);
    await this.#results.open(box);
    const { ballotId, changed } = await this.deps.store.castBallot(this.host.id, box, voterTag, payload, randomId());
    // The same answer sent again changes nothing, not even its group: the release gate saw the ballot in
    // the group it was cast in, and a row must never gain a person the gate did not count as a change.
    if (!changed) return { ok: true };
    // A replaced ballot's entry lingers until the round closes; only current ballot ids are ever looked up.
    const groups = this.#groups.get(box) ?? new Map<string, string | null>();
    groups.set(ballotId, group);
    this.#groups.set(box, groups);
    await this.#results.contribute(box, voterTag, { value: payload, group });
    return { ok: true };
  }

  myAnswer(token: string, pollId: string): Promise<Ack<{ answer: PollAnswer | null }>> {
    return this.#votes.after(async () => {
      const poll = this.#find(pollId);
      if ('ok' in poll) return poll;
      const box = boxOf(poll.id, roundOf(poll));
      const secret = await this.#secret(box, false);
      const stored = secret && (await this.deps.store.ballotOf(box, tagFor(secret, token)));
      return { ok: true, answer: stored ? (JSON.parse(stored) as PollAnswer) : null };
    });
  }

  async #answers(box: string): Promise<StoredAnswer[]> {
    return (await this.deps.store.ballots(box)).map((b) => ({ id: b.id, answer: JSON.parse(b.payload) as PollAnswer }));
  }

  async #paper(box: string): Promise<PaperTally | undefined> {
    const json = await this.deps.store.paperTally(box);
    return json ? (JSON.parse(json) as PaperTally) : undefined;
  }

  /** Before anything was released for a box: how many answered and no count — or a closed round's result. */
  async #initial(box: string): Promise<Counted> {
    const { pollId, round } = parseBox(box);
    const poll = this.host.poll(pollId);
    if (poll && isClosed(poll, round)) {
      const kept = (await this.deps.store.activityResult(resultKey(pollId, round))) as Kept | undefined;
      if (kept) return withoutKeeping(kept);
    }
    return { respondents: await this.deps.store.ballotCount(box), paper: 0, tally: null, groups: null };
  }

  /** A fresh count of the phones' answers, broken down in `rowOf`'s rows (none with `oneRow`). */
  async #count(box: string, rowOf: RowOf): Promise<Counted> {
    const { pollId, round } = parseBox(box);
    const poll = this.host.poll(pollId);
    if (!poll) return { respondents: 0, paper: 0, tally: null, groups: null };
    const answers = await this.#answers(box);
    const base = { respondents: answers.length, paper: 0 };
    if (answers.length < this.host.anonymityThreshold || (!isClosed(poll, round) && !poll.liveResults)) return { ...base, tally: null, groups: null };
    const hidden = poll.type === 'open' ? await this.deps.store.hiddenBallots(answers.map((a) => a.id)) : new Set<string>();
    const tally = tallyPoll(poll, answers, { hidden, language: this.host.language });
    if (!hasBreakdown(poll) || rowOf === oneRow) return { ...base, tally, groups: null };
    const known = this.#groups.get(box) ?? new Map<string, string | null>();
    return {
      ...base,
      tally,
      groups: breakdownByGroup(
        poll,
        answers.map((a) => ({ ...a, group: known.get(a.id) ?? null })),
        rowOf,
      ),
    };
  }

  /** What the room may see of a count: nothing until the facilitator reveals it. */
  static forRoom(poll: PollActivity, counted: Counted): Counted {
    return poll.resultsVisible ? counted : { ...counted, tally: null, groups: null };
  }

  #emit(box: string, counted: Counted): void {
    const { pollId, round } = parseBox(box);
    const poll = this.host.poll(pollId);
    if (!poll) return;
    this.deps.audience.split('poll:results', { pollId, round, ...counted }, { pollId, round, ...Polls.forRoom(poll, counted) });
  }

  /** A round's last publication (for a closed round, its kept result). */
  results(pollId: string, round: number | undefined, forFacilitator: boolean): Promise<Ack<{ results: PollResults }>> {
    return this.host.serialise(async () => {
      const poll = this.#find(pollId);
      if ('ok' in poll) return poll;
      const wanted = round ?? roundOf(poll);
      if (wanted > roundOf(poll)) return notFound('round');
      const counted = await this.#results.snapshot(boxOf(pollId, wanted));
      return { ok: true, results: { pollId, round: wanted, ...(forFacilitator ? counted : Polls.forRoom(poll, counted)) } };
    });
  }

  paperTally(input: { pollId: string } & PaperBallots): Promise<Ack> {
    return this.host.serialise(async () => {
      // Paper ballots are counted once the vote is over: the final count is everyone's by then.
      const poll = this.#find(input.pollId, ['closed']);
      if ('ok' in poll) return poll;
      const problem = checkPaperTally(poll, input, this.host.anonymityThreshold);
      if (problem) return fail(poll.type === 'open' || poll.type === 'ranking' ? ErrorCode.conflict : ErrorCode.invalidInput, problem);
      const box = boxOf(poll.id, roundOf(poll));
      await this.deps.store.savePaperTally(this.host.id, box, JSON.stringify({ ballots: input.ballots, counts: input.counts, preferNot: input.preferNot }));
      await this.#rekeep(poll, roundOf(poll), (kept) => kept);
      return { ok: true };
    });
  }

  hideAnswer(input: { pollId: string; answerId: string; round?: number }): Promise<Ack> {
    return this.host.serialise(async () => {
      const poll = this.#find(input.pollId);
      if ('ok' in poll) return poll;
      const round = input.round ?? roundOf(poll);
      if (round > roundOf(poll)) return notFound('round');
      await this.deps.store.hideBallot(this.host.id, input.answerId);
      // Take it out of what was released, words included — never a new count.
      const without = (counted: Counted): Counted => {
        const open = counted.tally?.open;
        if (!open) return counted;
        const answers = open.answers.filter((a) => a.id !== input.answerId);
        const words = countWords(
          answers.map((a) => a.text),
          this.host.language,
        );
        return { ...counted, tally: { ...counted.tally!, open: { answers, words } } };
      };
      if (isClosed(poll, round)) await this.#rekeep(poll, round, (kept) => ({ ...kept, phones: without(kept.phones) }));
      else await this.#results.amend(boxOf(poll.id, round), without);
      return { ok: true };
    });
  }

  /** Changes what is kept of a closed round (paper added, an answer hidden), and publishes it. */
  async #rekeep(poll: PollActivity, round: number, change: (kept: Kept) => Kept): Promise<void> {
    const box = boxOf(poll.id, round);
    const stored = (await this.deps.store.activityResult(resultKey(poll.id, round))) as Kept | undefined;
    // A result kept before the phones' part was kept apart can only be changed if it has no paper in it.
    if (!stored || (!stored.phones && stored.paper > 0)) return;
    const kept = stored.phones ? stored : { ...stored, phones: withoutKeeping(stored) };
    const next = closedResult(change(kept), await this.#paper(box));
    await this.deps.store.saveActivityResult(this.host.id, resultKey(poll.id, round), next);
    await this.#results.amend(box, () => withoutKeeping(next));
  }

  republish(pollId: string): void {
    const poll = this.host.poll(pollId);
    if (poll) this.#results.republish(boxOf(poll.id, roundOf(poll)));
  }

  /**
   * Called (in the queue) once a poll's new state is stored. Closing a round forgets who gave which answer
   * (voter records and secret; the in-memory groups after the final count) and keeps the result.
   */
  async afterStateChange(poll: PollActivity): Promise<void> {
    const box = boxOf(poll.id, roundOf(poll));
    if (poll.state !== 'closed') return this.republish(poll.id);
    // Released before sealing: the rule compares with what the voters' records say now.
    const { release, stored, heldBack } = await this.#results.final(box);
    const phones = { ...(release ?? { respondents: stored, paper: 0, tally: null, groups: null }), ...(heldBack > 0 ? { heldBack } : {}) };
    await this.deps.store.sealBox(box);
    const shownGroups = phones.groups?.filter((g) => g.id !== OTHER_GROUP_ID) ?? null;
    const kept = closedResult({ ...phones, phones, shownGroups }, undefined);
    await this.deps.store.saveActivityResult(this.host.id, resultKey(poll.id, roundOf(poll)), kept);
    // What everyone is answered from now on (also when nothing could be released: how many answered).
    await this.#results.amend(box, () => withoutKeeping(kept));
    await this.deps.store.deleteActivityResult(releaseKey(box));
    this.#groups.delete(box);
  }

  /** A poll removed from the agenda takes everything it stored with it. */
  async forget(pollId: string, rounds: number): Promise<void> {
    for (let round = 1; round <= rounds; round++) {
      const box = boxOf(pollId, round);
      await this.deps.store.sealBox(box);
      await this.deps.store.deleteBallots(box);
      await this.deps.store.deleteActivityResult(resultKey(pollId, round));
      await this.deps.store.deleteActivityResult(releaseKey(box));
      this.#results.forget(box);
      this.#groups.delete(box);
    }
  }

  /** After a crash between storing "closed" and sealing, seal now. Idempotent. */
  async repairSeals(polls: PollActivity[]): Promise<void> {
    for (const poll of polls) if (poll.state === 'closed') await this.deps.store.sealBox(boxOf(poll.id, roundOf(poll)));
  }

  dispose(): void {
    this.#results.dispose();
  }
}
