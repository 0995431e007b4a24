/**
 * Statements activities: the statements on the cards (seeded, sent by phones, moderated), the anonymous votes on
 * them, and the one release of the analysis, at closing (docs/STATEMENTS.md). Every operation runs in the room's
 * queue.
 *
 * A person's votes of a round are one ballot in the round's box, under a voter tag like a poll's answer: the
 * whole ballot is replaced (with a new random id) at each tap, its keys sorted so it does not keep the order
 * of the taps. Which stakeholder group a ballot counts in is kept **in memory only**. At closing the analysis is
 * computed and kept, then the ballots themselves are deleted and the box sealed: nothing person-level is left.
 * While open, only how many statements, votes and voters there are goes out, and to each phone the order of
 * its next cards (by votes per statement in steps of k).
 */
import {
  ErrorCode,
  LIMITS,
  type Ack,
  type AckError,
  type Statement,
  type StatementsActivity,
  type StatementsResults,
  type StatementVote,
} from '../../shared/protocol/index.js';
import { analyseRound, type VoterVotes } from '../domain/statements/analysis.js';
import { keptKey, listKey, seedId, statementsBox, type KeptStatements } from '../domain/statements/keys.js';
import { fail, notFound } from '../domain/result.js';
import { randomId, tagFor } from '../domain/secrets.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/Store.js';
import { RESULTS_INTERVAL_MS } from './Boards.js';
import { boxSecret } from './boxSecret.js';
import { findActivity } from './findActivity.js';
import type { Audience } from './ports.js';
import { SerialBatches } from './SerialBatches.js';

/** A statement as kept: on the cards, waiting for approval, or taken off (its text forgotten). */
export type StoredStatement = Statement & { state: 'shown' | 'pending' | 'rejected' };
export type StatementList = { items: StoredStatement[] };

type Votes = Record<string, StatementVote>;
type Vote = { token: string; group: string | null; input: { activityId: string; statementId: string; vote: StatementVote } };
type Deps = { store: Store; audience: Audience; log: Logger };
type Host = {
  readonly id: string;
  readonly anonymityThreshold: number;
  /** The workshop's stakeholder group ids, as listed. */
  readonly groupOrder: readonly string[];
  statements(id: string): StatementsActivity | undefined;
  serialise<T>(task: () => Promise<T>): Promise<T>;
};

/** One letter per answer: a ballot's length says how many statements its person answered, never how. */
const CODES = { agree: 'a', disagree: 'd', pass: 'p' } as const satisfies Record<StatementVote, string>;
const VOTE_OF = Object.fromEntries(Object.entries(CODES).map(([vote, code]) => [code, vote])) as Record<string, StatementVote>;
/** A stored ballot's answers; one in full words (as first stored) reads too, anything else is no answer. */
function parseVotes(payload: string | undefined): Votes {
  if (!payload) return {};
  const stored = (JSON.parse(payload) as { votes: Record<string, string> }).votes;
  const vote = (code: string): StatementVote | undefined => VOTE_OF[code] ?? (code in CODES ? (code as StatementVote) : undefined);
  return Object.fromEntries(Object.entries(stored).flatMap(([id, code]) => (vote(code) ? [[id, vote(code)!]] : [])));
}
/** Keys sorted: a ballot does not say in which order its person tapped. */
const ballotOf = (votes: Votes) =>
  JSON.stringify({
    votes: Object.fromEntries(
      Object.entries(votes)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([id, vote]) => [id, CODES[vote]]),
    ),
  });

export class Statements {
  readonly #lists = new Map<string, StatementList>();
  /** ballot id → the voter's stakeholder group, per open activity; memory only (see the file comment). */
  readonly #groups = new Map<string, Map<string, string | null>>();
  /** Votes per statement, per open activity: which card each phone gets next. Rebuilt from the ballots. */
  readonly #tallies = new Map<string, Map<string, number>>();
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly host: Host,
    private readonly deps: Deps,
  ) {}

  #find(activityId: string, states?: readonly string[]): StatementsActivity | AckError {
    return findActivity(this.host.statements(activityId), 'statements activity', 'these statements have not opened yet', states);
  }

  async #list(activityId: string): Promise<StatementList> {
    let list = this.#lists.get(activityId);
    if (!list) {
      list = ((await this.deps.store.activityResult(listKey(activityId))) as StatementList | undefined) ?? { items: [] };
      this.#lists.set(activityId, list);
    }
    return list;
  }

  async #saveList(activityId: string, list: StatementList): Promise<void> {
    await this.deps.store.saveActivityResult(this.host.id, listKey(activityId), list);
    this.#lists.set(activityId, list);
  }

  /** The statements on the cards: the seeds not taken off, then the approved ones in the order they came. */
  async cards(activity: StatementsActivity): Promise<Statement[]> {
    const { items } = await this.#list(activity.id);
    const off = new Set(items.filter((s) => s.state === 'rejected').map((s) => s.id));
    const seeds = activity.seeds.map((text, i) => ({ id: seedId(i), text })).filter((s) => !off.has(s.id));
    return [...seeds, ...items.filter((s) => s.state === 'shown').map(({ id, text }) => ({ id, text }))];
  }

  async #pending(activityId: string): Promise<Statement[]> {
    return (await this.#list(activityId)).items.filter((s) => s.state === 'pending').map(({ id, text }) => ({ id, text }));
  }

  list(activityId: string, forFacilitator: boolean): Promise<Ack<{ statements: Statement[]; pending?: Statement[] }>> {
    return this.host.serialise(async () => {
      const activity = this.#find(activityId);
      if ('ok' in activity) return activity;
      if (!forFacilitator) return { ok: true, statements: activity.state === 'draft' ? [] : await this.cards(activity) };
      return { ok: true, statements: await this.cards(activity), pending: await this.#pending(activityId) };
    });
  }

  async #announce(activity: StatementsActivity): Promise<void> {
    this.deps.audience.everyone('statements:list', { activityId: activity.id, statements: await this.cards(activity) });
    this.deps.audience.facilitators('statements:queue', { activityId: activity.id, pending: await this.#pending(activity.id) });
    this.#scheduleProgress(activity.id);
  }

  /** A new statement: from a phone (to the queue, if moderated) or a facilitator (onto the cards). */
  submit(fromFacilitator: boolean, input: { activityId: string; statementId: string; text: string }): Promise<Ack<{ queued?: boolean }>> {
    return this.host.serialise(async () => {
      // Before opening, the facilitator writes the statements to start with in the activity itself.
      const activity = this.#find(input.activityId, ['open']);
      if ('ok' in activity) return activity;
      if (!fromFacilitator && !activity.submissions) return fail(ErrorCode.forbidden, 'this activity takes no statements from participants');
      const list = await this.#list(activity.id);
      // Sent again (a reply lost in a drop): already here, added once.
      const known = list.items.find((s) => s.id === input.statementId);
      if (known) return { ok: true, ...(known.state === 'pending' ? { queued: true } : {}) };
      const text = input.text.replace(/\s+/g, ' ');
      const live = [...(await this.cards(activity)), ...(await this.#pending(activity.id))];
      if (live.some((s) => s.text.toLocaleLowerCase() === text.toLocaleLowerCase())) return fail(ErrorCode.conflict, 'this statement is already on the cards');
      if (live.length >= LIMITS.statementsMax) return fail(ErrorCode.conflict, `an activity holds at most ${LIMITS.statementsMax} statements`);
      const queued = activity.moderated === true && !fromFacilitator;
      await this.#saveList(activity.id, { items: [...list.items, { id: input.statementId, text, state: queued ? 'pending' : 'shown' }] });
      await this.#announce(activity);
      return { ok: true, ...(queued ? { queued: true } : {}) };
    });
  }

  /**
   * Approves a waiting statement, or takes any statement off the cards (its text is forgotten, its votes not
   * counted). Only while open: before, the statements to start with are edited in the activity (their ids are
   * their places, so a mark on `seed-2` would move to another statement when a line is added above it).
   */
  moderate(input: { activityId: string; statementId: string; approve: boolean }): Promise<Ack> {
    return this.host.serialise(async () => {
      const activity = this.#find(input.activityId, ['open']);
      if ('ok' in activity) return activity;
      const list = await this.#list(activity.id);
      const stored = list.items.find((s) => s.id === input.statementId);
      const seed = activity.seeds.some((_, i) => seedId(i) === input.statementId);
      if (input.approve) {
        if (stored?.state !== 'pending') return notFound('waiting statement');
        await this.#saveList(activity.id, { items: list.items.map((s) => (s === stored ? { ...s, state: 'shown' } : s)) });
      } else {
        if (stored?.state === 'rejected' || (!stored && !seed)) return notFound('statement');
        const off: StoredStatement = { id: input.statementId, text: '', state: 'rejected' };
        await this.#saveList(activity.id, { items: stored ? list.items.map((s) => (s === stored ? off : s)) : [...list.items, off] });
      }
      await this.#announce(activity);
      return { ok: true };
    });
  }

  #secret(activityId: string, create: boolean): Promise<Buffer | undefined> {
    return boxSecret(this.deps.store, this.host.id, statementsBox(activityId), create);
  }

  /** Votes arriving together are handled in one task; one after the other, since each reads the ballot it replaces. */
  readonly #votes = new SerialBatches<Vote, Ack<{ order: string[] }>>(
    (task) => this.host.serialise(task),
    async (votes) => {
      const acks = [];
      for (const vote of votes) acks.push(await this.#castOne(vote));
      return acks;
    },
  );

  vote(token: string, group: string | null, input: Vote['input']): Promise<Ack<{ order: string[] }>> {
    return this.#votes.add({ token, group, input });
  }

  async #castOne({ token, group, input }: Vote): Promise<Ack<{ order: string[] }>> {
    const activity = this.#find(input.activityId, ['open']);
    if ('ok' in activity) return activity;
    const cards = await this.cards(activity);
    if (!cards.some((s) => s.id === input.statementId)) return notFound('statement');
    const box = statementsBox(activity.id);
    const voterTag = tagFor((await this.#secret(activity.id, true))!, token);
    const before = parseVotes(await this.deps.store.ballotOf(box, voterTag));
    const votes = { ...before, [input.statementId]: input.vote };
    const tallies = await this.#tally(activity.id);
    if (before[input.statementId] !== input.vote) {
      const { ballotId } = await this.deps.store.castBallot(this.host.id, box, voterTag, ballotOf(votes), randomId());
      const groups = this.#groups.get(activity.id) ?? new Map<string, string | null>();
      groups.set(ballotId, group);
      this.#groups.set(activity.id, groups);
      if (before[input.statementId] === undefined) tallies.set(input.statementId, (tallies.get(input.statementId) ?? 0) + 1);
      this.#scheduleProgress(activity.id);
    }
    return { ok: true, order: this.#order(cards, votes, tallies) };
  }

  /** Votes per statement of an open round, read from its ballots once (after a restart too). */
  async #tally(activityId: string): Promise<Map<string, number>> {
    let tallies = this.#tallies.get(activityId);
    if (!tallies) {
      tallies = new Map();
      for (const { payload } of await this.deps.store.ballots(statementsBox(activityId))) {
        for (const id of Object.keys(parseVotes(payload))) tallies.set(id, (tallies.get(id) ?? 0) + 1);
      }
      this.#tallies.set(activityId, tallies);
    }
    return tallies;
  }

  /**
   * The statements a person has not answered, the one with the fewest votes first (ties in random order). Votes
   * are counted in steps of k: asking again and again must not show the moment one statement got one more vote.
   */
  #order(cards: Statement[], mine: Votes, tallies: Map<string, number>): string[] {
    const step = (id: string) => Math.floor((tallies.get(id) ?? 0) / this.host.anonymityThreshold);
    const left = cards.filter((s) => mine[s.id] === undefined).map((s) => ({ id: s.id, votes: step(s.id), tie: Math.random() }));
    return left.sort((a, b) => a.votes - b.votes || a.tie - b.tie).map((s) => s.id);
  }

  mine(token: string, activityId: string): Promise<Ack<{ votes: Votes; order: string[] }>> {
    return this.#votes.after(async () => {
      const activity = this.#find(activityId);
      if ('ok' in activity) return activity;
      if (activity.state !== 'open') return { ok: true, votes: {}, order: [] };
      const secret = await this.#secret(activity.id, false);
      const votes = secret ? parseVotes(await this.deps.store.ballotOf(statementsBox(activity.id), tagFor(secret, token))) : {};
      return { ok: true, votes, order: this.#order(await this.cards(activity), votes, await this.#tally(activity.id)) };
    });
  }

  /** How many statements, votes and voters an open round has: all that goes out before closing. */
  async #progress(activity: StatementsActivity): Promise<StatementsResults> {
    const cards = await this.cards(activity);
    const tallies = await this.#tally(activity.id);
    const votes = cards.reduce((n, s) => n + (tallies.get(s.id) ?? 0), 0);
    return { activityId: activity.id, statements: cards.length, votes, voters: await this.deps.store.ballotCount(statementsBox(activity.id)), analysis: null };
  }

  async #current(activity: StatementsActivity): Promise<StatementsResults> {
    if (activity.state !== 'closed') return this.#progress(activity);
    const kept = (await this.deps.store.activityResult(keptKey(activity.id))) as KeptStatements | undefined;
    return kept ? { activityId: activity.id, ...kept } : { activityId: activity.id, statements: 0, votes: 0, voters: 0, analysis: null };
  }

  /** What the room may see: the analysis only once revealed. */
  static forRoom(activity: StatementsActivity, results: StatementsResults): StatementsResults {
    return activity.resultsVisible ? results : { ...results, analysis: null };
  }

  results(activityId: string, forFacilitator: boolean): Promise<Ack<{ results: StatementsResults }>> {
    return this.#votes.after(async () => {
      const activity = this.#find(activityId);
      if ('ok' in activity) return activity;
      const results = await this.#current(activity);
      return { ok: true, results: forFacilitator ? results : Statements.forRoom(activity, results) };
    });
  }

  async #emit(activityId: string): Promise<void> {
    const activity = this.host.statements(activityId);
    if (!activity) return;
    const results = await this.#current(activity);
    this.deps.audience.split('statements:results', results, Statements.forRoom(activity, results));
  }

  /** Counts go out at most once per interval, never one per tap. */
  #scheduleProgress(activityId: string): void {
    if (this.#timers.has(activityId)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(activityId);
      this.host.serialise(() => this.#emit(activityId)).catch((error) => this.deps.log.error('could not publish statements', { error: String(error) }));
    }, RESULTS_INTERVAL_MS);
    this.#timers.set(activityId, timer);
  }

  /** Called (in the queue) once the activity's new state is stored: closing analyses, then forgets every ballot. */
  async afterStateChange(activity: StatementsActivity): Promise<void> {
    if (activity.state === 'closed') await this.#close(activity);
    await this.#emit(activity.id);
  }

  republish(activityId: string): Promise<void> {
    return this.host.serialise(() => this.#emit(activityId));
  }

  async #close(activity: StatementsActivity): Promise<void> {
    const box = statementsBox(activity.id);
    if (!(await this.deps.store.activityResult(keptKey(activity.id)))) {
      const cards = await this.cards(activity);
      const groups = this.#groups.get(activity.id) ?? new Map<string, string | null>();
      // A ballot whose group is not known (stored before a restart) counts in "other", never on its own.
      const voters: VoterVotes[] = (await this.deps.store.ballots(box)).map((b) => ({ group: groups.get(b.id) ?? null, votes: parseVotes(b.payload) }));
      const analysis = analyseRound(cards, voters, this.host.anonymityThreshold, this.host.groupOrder);
      const votes = voters.reduce((n, v) => n + Object.keys(v.votes).filter((id) => cards.some((s) => s.id === id)).length, 0);
      // People whose only answers were to statements since taken off are in no bucket, and not counted.
      const counted = analysis.buckets.reduce((n, b) => n + b.voters, 0);
      const kept: KeptStatements = { statements: cards.length, votes, voters: counted, analysis };
      await this.deps.store.saveActivityResult(this.host.id, keptKey(activity.id), kept);
    }
    await this.#erase(activity.id);
  }

  /** Deletes the round's ballots, tags and secret: from here nothing links a vote to anyone, or to another vote. */
  async #erase(activityId: string): Promise<void> {
    const box = statementsBox(activityId);
    await this.deps.store.deleteBallots(box);
    await this.deps.store.sealBox(box);
    this.#groups.delete(activityId);
    this.#tallies.delete(activityId);
  }

  /** Keeps an imported conversation as a closed round: its statements and analysis, never its votes. */
  async keepImported(activityId: string, statements: Statement[], kept: KeptStatements): Promise<void> {
    await this.#saveList(activityId, { items: statements.map((s) => ({ ...s, state: 'shown' })) });
    await this.deps.store.saveActivityResult(this.host.id, keptKey(activityId), kept);
  }

  /** An activity removed from the agenda takes everything it stored with it. */
  async forget(activityId: string): Promise<void> {
    await this.#erase(activityId);
    await this.deps.store.deleteActivityResult(listKey(activityId));
    await this.deps.store.deleteActivityResult(keptKey(activityId));
    this.#lists.delete(activityId);
    clearTimeout(this.#timers.get(activityId));
    this.#timers.delete(activityId);
  }

  /** After a crash between storing "closed" and erasing the ballots: analyse (groups unknown by now) and erase. */
  async repairSeals(activities: StatementsActivity[]): Promise<void> {
    for (const activity of activities) if (activity.state === 'closed') await this.#close(activity);
  }

  dispose(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
