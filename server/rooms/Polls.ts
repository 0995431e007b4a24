/**
 * Polls of one workshop: anonymous answers (one per person, the last one counts while the poll is open),
 * rounds, paper tallies, hidden open answers, and results by the rules of ResultsPublisher. Every
 * operation runs in the room's queue.
 *
 * Groups: which stakeholder group gave which answer is kept **in memory only**, for the breakdown, and
 * forgotten when the round closes (the folded breakdown is kept with the result). A copy of the database
 * never holds a group next to an answer. After a restart mid-poll, answers given before it count as
 * "not stated" in the breakdown.
 */
import {
  ErrorCode,
  type AckError,
  type PollActivity,
  type PollAnswer,
  type PollResults,
} from '../../shared/protocol/index.js';
import { breakdownByGroup } from '../domain/poll/breakdown.js';
import { tallyPoll, type PaperTally } from '../domain/poll/tallyPoll.js';
import { validateAnswer } from '../domain/poll/validateAnswer.js';
import { fail, notFound } from '../domain/result.js';
import { newBoxSecret, randomId, tagFor } from '../domain/secrets.js';
import type { Logger } from '../log.js';
import { everyoneIn, facilitatorsOf, type RoundtableServer } from '../realtime/types.js';
import type { Store } from '../store/Store.js';
import { RESULTS_INTERVAL_MS } from './Boards.js';
import { ResultsPublisher } from './ResultsPublisher.js';

type Deps = { store: Store; io: RoundtableServer; log: Logger };
type Host = {
  readonly id: string;
  readonly anonymityThreshold: number;
  readonly language: string;
  poll(pollId: string): PollActivity | undefined;
  serialise<T>(task: () => Promise<T>): Promise<T>;
};
type Outcome<T extends object = object> = ({ ok: true } & T) | AckError;
/** Results as published: the facilitators' view; the room's is derived from it. */
type Counted = Omit<PollResults, 'pollId' | 'round'>;

const roundOf = (poll: PollActivity) => poll.round ?? 1;
const boxOf = (pollId: string, round: number) => `poll:${pollId}:${round}`;
const resultKey = (pollId: string, round: number) => `${pollId}:round-${round}`;
const breakdownFor = (poll: PollActivity) => poll.type !== 'open' && poll.type !== 'ranking';

export class Polls {
  readonly #results: ResultsPublisher<Counted>;
  /** ballot id → the voter's stakeholder group, per box; memory only (see the file comment). */
  readonly #groups = new Map<string, Map<string, string | null>>();

  constructor(
    private readonly host: Host,
    private readonly deps: Deps,
  ) {
    this.#results = new ResultsPublisher<Counted>({
      threshold: host.anonymityThreshold,
      intervalMs: RESULTS_INTERVAL_MS,
      count: (box) => this.#countBox(box),
      emit: (box, counted) => this.#emit(box, counted),
      serialise: (task) => this.host.serialise(task),
      onError: (box, error) => this.deps.log.error('could not publish poll results', { box, error: String(error) }),
    });
  }

  #find(pollId: string, states?: readonly string[]): PollActivity | AckError {
    const poll = this.host.poll(pollId);
    if (!poll) return notFound('poll');
    if (states && !states.includes(poll.state)) {
      return fail(ErrorCode.conflict, poll.state === 'draft' ? 'this poll has not opened yet' : `this poll is ${poll.state}`);
    }
    return poll;
  }

  async #secret(box: string, create: boolean): Promise<Buffer | undefined> {
    const secret = await this.deps.store.boxSecret(box);
    if (secret || !create) return secret;
    await this.deps.store.createBoxSecret(this.host.id, box, newBoxSecret());
    return this.deps.store.boxSecret(box);
  }

  vote(token: string, group: string | null, input: { pollId: string; answer: PollAnswer }): Promise<Outcome> {
    return this.host.serialise(async () => {
      const poll = this.#find(input.pollId, ['open']);
      if ('ok' in poll) return poll;
      const problem = validateAnswer(poll, input.answer);
      if (problem) return fail(ErrorCode.invalidInput, problem);
      const box = boxOf(poll.id, roundOf(poll));
      const voterTag = tagFor((await this.#secret(box, true))!, token);
      const ballotId = await this.deps.store.castBallot(this.host.id, box, voterTag, JSON.stringify(input.answer), randomId());
      const groups = this.#groups.get(box) ?? new Map<string, string | null>();
      groups.set(ballotId, group);
      this.#groups.set(box, groups);
      this.#results.noteChange(box, voterTag);
      return { ok: true };
    });
  }

  myAnswer(token: string, pollId: string): Promise<Outcome<{ answer: PollAnswer | null }>> {
    return this.host.serialise(async () => {
      const poll = this.#find(pollId);
      if ('ok' in poll) return poll;
      const box = boxOf(poll.id, roundOf(poll));
      const secret = await this.#secret(box, false);
      const stored = secret && (await this.deps.store.ballotOf(box, tagFor(secret, token)));
      return { ok: true, answer: stored ? (JSON.parse(stored) as PollAnswer) : null };
    });
  }

  async #countBox(box: string): Promise<Counted> {
    const [, pollId] = box.split(':') as [string, string];
    const poll = this.host.poll(pollId);
    if (!poll) return { respondents: 0, paper: 0, tally: null, groups: null };
    const { store } = this.deps;
    const stored = (await store.ballots(box)).map((b) => ({ id: b.id, answer: JSON.parse(b.payload) as PollAnswer }));
    const paperJson = await store.paperTally(box);
    const paper = paperJson ? (JSON.parse(paperJson) as PaperTally) : undefined;
    const respondents = stored.length + (paper?.ballots ?? 0);
    const base = { respondents, paper: paper?.ballots ?? 0 };
    if (respondents < this.host.anonymityThreshold) return { ...base, tally: null, groups: null };
    const hidden = poll.type === 'open' ? await store.hiddenBallots(stored.map((s) => s.id)) : new Set<string>();
    const groupOf = this.#groups.get(box) ?? new Map<string, string | null>();
    return {
      ...base,
      tally: tallyPoll(poll, stored, { paper, hidden, language: this.host.language }),
      groups: breakdownFor(poll)
        ? breakdownByGroup(poll, stored.map((s) => ({ ...s, group: groupOf.get(s.id) ?? null })), this.host.anonymityThreshold, paper)
        : null,
    };
  }

  /** What the room may see of a count: nothing until the facilitator reveals it. */
  static forRoom(poll: PollActivity, counted: Counted): Counted {
    return poll.resultsVisible ? counted : { ...counted, tally: null, groups: null };
  }

  #emit(box: string, counted: Counted): void {
    const [, pollId, round] = box.split(':') as [string, string, string];
    const poll = this.host.poll(pollId);
    if (!poll) return;
    const results = { pollId, round: Number(round), ...counted };
    this.deps.io.to(facilitatorsOf(this.host.id)).emit('poll:results', results);
    this.deps.io
      .to(everyoneIn(this.host.id))
      .except(facilitatorsOf(this.host.id))
      .emit('poll:results', { pollId, round: Number(round), ...Polls.forRoom(poll, counted) });
  }

  /** The current round's last publication, or a closed round's kept result. */
  results(pollId: string, round: number | undefined, forFacilitator: boolean): Promise<Outcome<{ results: PollResults }>> {
    return this.host.serialise(async () => {
      const poll = this.#find(pollId);
      if ('ok' in poll) return poll;
      const wanted = round ?? roundOf(poll);
      if (wanted > roundOf(poll)) return notFound('round');
      const counted =
        wanted === roundOf(poll)
          ? await this.#results.snapshot(boxOf(pollId, wanted))
          : ((await this.deps.store.activityResult(resultKey(pollId, wanted))) as Counted | undefined);
      if (!counted) return notFound('round');
      return { ok: true, results: { pollId, round: wanted, ...(forFacilitator ? counted : Polls.forRoom(poll, counted)) } };
    });
  }

  paperTally(input: { pollId: string; ballots: number; counts: Record<string, number>; preferNot: number }): Promise<Outcome> {
    return this.host.serialise(async () => {
      // Paper ballots are counted once the vote is over; entering them then publishes nothing new about
      // anyone, since the final count is everyone's anyway.
      const poll = this.#find(input.pollId, ['closed']);
      if ('ok' in poll) return poll;
      if (poll.type === 'open' || poll.type === 'ranking') return fail(ErrorCode.conflict, `paper tallies are for choice and scale polls`);
      const keys = new Set(poll.type === 'scale' ? tallyPoll(poll, []).scale!.values.map((v) => String(v.value)) : poll.options.map((o) => o.id));
      if (Object.keys(input.counts).some((key) => !keys.has(key))) return fail(ErrorCode.invalidInput, 'a count is for something this poll does not have');
      const marks = Object.values(input.counts).reduce((a, b) => a + b, 0) + input.preferNot;
      if (poll.type !== 'multiple' && marks !== input.ballots) {
        return fail(ErrorCode.invalidInput, `the counts add up to ${marks}, not to the ${input.ballots} paper ballots`);
      }
      const box = boxOf(poll.id, roundOf(poll));
      const { pollId: _, ...paper } = input;
      await this.deps.store.savePaperTally(this.host.id, box, JSON.stringify(paper));
      await this.#refresh(poll);
      return { ok: true };
    });
  }

  hideAnswer(input: { pollId: string; answerId: string }): Promise<Outcome> {
    return this.host.serialise(async () => {
      const poll = this.#find(input.pollId);
      if ('ok' in poll) return poll;
      await this.deps.store.hideBallot(this.host.id, input.answerId);
      this.#results.amend(boxOf(poll.id, roundOf(poll)), (counted) =>
        counted.tally?.open
          ? { ...counted, tally: { ...counted.tally, open: { ...counted.tally.open, answers: counted.tally.open.answers.filter((a) => a.id !== input.answerId) } } }
          : counted,
      );
      if (poll.state === 'closed') await this.#refresh(poll);
      return { ok: true };
    });
  }

  /** Counts the current round again and publishes it; for closed rounds also updates the kept result. */
  async #refresh(poll: PollActivity): Promise<void> {
    const counted = await this.#results.final(boxOf(poll.id, roundOf(poll)));
    if (poll.state === 'closed') await this.deps.store.saveActivityResult(this.host.id, resultKey(poll.id, roundOf(poll)), counted);
  }

  republish(pollId: string): void {
    const poll = this.host.poll(pollId);
    if (poll) this.#results.republish(boxOf(poll.id, roundOf(poll)));
  }

  /**
   * Called (in the queue) once a poll's new state is stored. Closing a round forgets who gave which answer
   * (voter records, secret, and the in-memory groups) and keeps the final count.
   */
  async afterStateChange(poll: PollActivity): Promise<void> {
    if (poll.state === 'closed') {
      const box = boxOf(poll.id, roundOf(poll));
      await this.deps.store.sealBox(box);
      await this.deps.store.saveActivityResult(this.host.id, resultKey(poll.id, roundOf(poll)), await this.#results.final(box));
      this.#groups.delete(box);
    } else {
      this.republish(poll.id);
    }
  }

  async forget(pollId: string, rounds: number): Promise<void> {
    for (let round = 1; round <= rounds; round++) {
      const box = boxOf(pollId, round);
      await this.deps.store.sealBox(box);
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
