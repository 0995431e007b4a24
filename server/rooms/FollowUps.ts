/**
 * The follow-up records of ended workshops (docs/FOLLOWUP.md): owners' update links, their updates, lessons
 * learned and pulse checks. A record is written whole with its version, so two nodes (or a facilitator and a
 * pulse release) never overwrite each other: a change that lost the race is computed again on the fresh record.
 */
import { ErrorCode } from '../../shared/protocol/index.js';
import type { CommitmentUpdate, FollowUpView, Lessons, OwnerView, PulseBefore, PulseQuestion } from '../../shared/protocol/followUp.js';
import { ballotOf, mayRelease, tallyPulse, type PulseAnswers } from '../domain/followUp/pulse.js';
import { fail, notFound, type Result } from '../domain/result.js';
import { hashSecret, newBoxSecret, newSecret, randomId, secretMatches, tagFor } from '../domain/secrets.js';
import { followUpLink } from '../domain/workshop.js';
import type { ServerClock } from '../ServerClock.js';
import type { FollowUpRecord, Store, WorkshopRecord } from '../store/Store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const ATTEMPTS = 5;
export const pulseBox = (pulseId: string) => `pulse:${pulseId}`;

export type UpdateInput = Omit<CommitmentUpdate, 'id' | 'postedAt'>;
type KeptPoll = { tally: { scale?: { values: { value: number; count: number }[]; mean: number } } | null; respondents: number } | undefined;

export class FollowUps {
  /** Per pulse check, answers and its closing one at a time on this node (check-then-cast, count-then-release). */
  readonly #pulseQueues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: { store: Store; clock: ServerClock; baseUrl: string }) {}

  #inTurn<T>(pulseId: string, task: () => Promise<T>): Promise<T> {
    const run = (this.#pulseQueues.get(pulseId) ?? Promise.resolve()).catch(() => undefined).then(task);
    const settled = run
      .catch(() => undefined)
      .finally(() => {
        if (this.#pulseQueues.get(pulseId) === settled) this.#pulseQueues.delete(pulseId);
      });
    this.#pulseQueues.set(pulseId, settled);
    return run;
  }

  /** Applies `change` to the stored record, again on a fresh copy if another writer came first. */
  async change<T>(workshopId: string, change: (record: FollowUpRecord) => Result<{ record: FollowUpRecord; value: T }>): Promise<Result<T>> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const stored = await this.deps.store.followUp(workshopId);
      if (!stored) return notFound('follow-up record');
      const result = change(structuredClone(stored.record));
      if (!result.ok) return result;
      if (await this.deps.store.saveFollowUp(workshopId, result.value.record, stored.version)) return { ok: true, value: result.value.value };
    }
    return fail(ErrorCode.conflict, 'the follow-up record was changed elsewhere at the same moment; try again');
  }

  async view(workshop: WorkshopRecord, role: FollowUpView['role']): Promise<FollowUpView | undefined> {
    const stored = await this.deps.store.followUp(workshop.id);
    if (!stored || workshop.endedAt === null) return undefined;
    const { record } = stored;
    return {
      title: workshop.title,
      joinCode: workshop.joinCode,
      role,
      language: workshop.language,
      endedAt: workshop.endedAt,
      expiresAt: workshop.endedAt + workshop.followUpDays * DAY_MS,
      publicUrl: followUpLink(this.deps.baseUrl, stored.publicCode),
      anonymityThreshold: workshop.anonymityThreshold,
      owners: record.owners.map(({ keyHash, ...owner }) => ({ ...owner, linked: keyHash !== null })),
      commitments: record.commitments,
      updates: await this.deps.store.followUpUpdates(workshop.id),
      lessons: record.lessons,
      pulses: record.pulses.map(({ released, heldBack: _, ...pulse }) => ({ ...pulse, results: released })),
      repeatable: workshop.agenda.activities.flatMap((a) =>
        a.kind === 'poll' && a.type === 'scale' && a.scale?.kind === 'likert5' && a.state === 'closed' ? [{ pollId: a.id, question: a.question }] : [],
      ),
    };
  }

  /** A new update link for an owner; the one before stops working. */
  async newOwnerLink(workshopId: string, ownerId: string): Promise<Result<string>> {
    const key = newSecret();
    const changed = await this.change(workshopId, (record) => {
      const owner = record.owners.find((o) => o.id === ownerId);
      if (!owner) return notFound('owner');
      owner.keyHash = hashSecret(key);
      return { ok: true, value: { record, value: null } };
    });
    return changed.ok ? { ok: true, value: `${this.deps.baseUrl}/update/${workshopId}#key=${key}` } : changed;
  }

  /** The owner an update link's key belongs to (every owner's hash compared, in constant time each). */
  async ownerByKey(workshopId: string, key: string): Promise<{ record: FollowUpRecord; publicCode: string; ownerId: string } | undefined> {
    const stored = await this.deps.store.followUp(workshopId);
    const owner = stored?.record.owners.find((o) => o.keyHash !== null && secretMatches(key, o.keyHash));
    return owner && stored ? { record: stored.record, publicCode: stored.publicCode, ownerId: owner.id } : undefined;
  }

  async ownerView(workshop: WorkshopRecord, record: FollowUpRecord, ownerId: string): Promise<OwnerView> {
    const owner = record.owners.find((o) => o.id === ownerId)!;
    const commitments = record.commitments.filter((c) => c.ownerId === ownerId);
    const updates = (await this.deps.store.followUpUpdates(workshop.id)).filter((u) => commitments.some((c) => c.id === u.commitmentId));
    return { title: workshop.title, language: workshop.language, owner: { id: owner.id, name: owner.name }, commitments, updates };
  }

  /** Appends an owner's update to one of their commitments. */
  async postUpdate(workshopId: string, record: FollowUpRecord, ownerId: string, input: UpdateInput): Promise<Result<CommitmentUpdate>> {
    const commitment = record.commitments.find((c) => c.id === input.commitmentId);
    if (!commitment || commitment.ownerId !== ownerId) return notFound('commitment');
    if (input.indicator && input.indicator.index >= commitment.indicators.length) return fail(ErrorCode.invalidInput, 'this commitment has no such indicator');
    if (input.status === 'dropped' && !input.reason) return fail(ErrorCode.invalidInput, 'say why the commitment was dropped');
    if (input.corrects) {
      const earlier = (await this.deps.store.followUpUpdates(workshopId)).find((u) => u.id === input.corrects);
      if (!earlier || earlier.commitmentId !== commitment.id)
        return fail(ErrorCode.invalidInput, 'a correction names an earlier update of the same commitment');
    }
    const update: CommitmentUpdate = { ...input, id: randomId(), postedAt: this.deps.clock.wall() };
    await this.deps.store.appendFollowUpUpdate(workshopId, update);
    return { ok: true, value: update };
  }

  setLessons(workshopId: string, lessons: Lessons): Promise<Result<null>> {
    return this.change(workshopId, (record) => ({ ok: true, value: { record: { ...record, lessons }, value: null } }));
  }

  /** Opens a pulse check (one at a time): a question per commitment named, and one repeating a session poll. */
  async openPulse(workshop: WorkshopRecord, input: { commitmentIds: string[]; repeatPollId?: string }): Promise<Result<string>> {
    const pulseId = randomId();
    const poll = input.repeatPollId ? workshop.agenda.activities.find((a) => a.id === input.repeatPollId) : undefined;
    if (input.repeatPollId && (poll?.kind !== 'poll' || poll.type !== 'scale' || poll.scale?.kind !== 'likert5' || poll.state !== 'closed')) {
      return fail(ErrorCode.invalidInput, 'only a closed 1–5 scale poll of the session can be repeated');
    }
    // The session's answers sit beside the new ones only if the room was shown them: the page is public.
    const before =
      poll?.kind === 'poll' && poll.resultsVisible ? beforeOf((await this.deps.store.activityResult(`${poll.id}:round-${poll.round ?? 1}`)) as KeptPoll) : null;
    await this.deps.store.createBoxSecret(workshop.id, pulseBox(pulseId), newBoxSecret());
    const opened = await this.change(workshop.id, (record) => {
      if (record.pulses.some((p) => p.closedAt === null)) return fail(ErrorCode.conflict, 'close the open pulse check first');
      if (input.commitmentIds.some((id) => !record.commitments.some((c) => c.id === id))) return notFound('commitment');
      const questions: PulseQuestion[] = input.commitmentIds.map((commitmentId) => ({ id: randomId(), kind: 'delivered', commitmentId }));
      if (poll?.kind === 'poll') {
        questions.push({
          id: randomId(),
          kind: 'repeat',
          pollId: poll.id,
          question: poll.question,
          low: poll.scale?.low ?? '',
          high: poll.scale?.high ?? '',
          before,
        });
      }
      if (questions.length === 0) return fail(ErrorCode.invalidInput, 'a pulse check asks at least one question');
      record.pulses.push({ id: pulseId, openedAt: this.deps.clock.wall(), closedAt: null, questions, released: null });
      return { ok: true, value: { record, value: pulseId } };
    });
    if (!opened.ok) await this.deps.store.sealBox(pulseBox(pulseId));
    return opened;
  }

  /**
   * One browser's answers to an open pulse check (`browser`: the random token its cookie holds). Stored once:
   * a browser that answered is told so. Releases the tally when the rule allows.
   */
  answerPulse(workshop: WorkshopRecord, pulseId: string, browser: string, answers: PulseAnswers): Promise<Result<'answered' | 'already'>> {
    return this.#inTurn(pulseId, () => this.#answer(workshop, pulseId, browser, answers));
  }

  async #answer(workshop: WorkshopRecord, pulseId: string, browser: string, answers: PulseAnswers): Promise<Result<'answered' | 'already'>> {
    const { store } = this.deps;
    const stored = await store.followUp(workshop.id);
    const pulse = stored?.record.pulses.find((p) => p.id === pulseId);
    if (!pulse || pulse.closedAt !== null) return notFound('open pulse check');
    const ballot = ballotOf(pulse.questions, answers);
    if (!ballot) return fail(ErrorCode.invalidInput, 'answer every question with a number from 0 to 5');
    const box = pulseBox(pulseId);
    const secret = await store.boxSecret(box);
    if (!secret) return notFound('open pulse check');
    const voter = tagFor(secret, browser);
    if (await store.ballotOf(box, voter)) return { ok: true, value: 'already' };
    await store.castBallot(workshop.id, box, voter, ballot, randomId());
    await this.#release(workshop, pulseId);
    return { ok: true, value: 'answered' };
  }

  /** Whether this browser has answered the pulse check (the page then shows a thank-you instead of the form). */
  async hasAnswered(pulseId: string, browser: string): Promise<boolean> {
    const box = pulseBox(pulseId);
    const secret = await this.deps.store.boxSecret(box);
    return secret !== undefined && (await this.deps.store.ballotOf(box, tagFor(secret, browser))) !== undefined;
  }

  async #release(workshop: WorkshopRecord, pulseId: string): Promise<void> {
    const box = pulseBox(pulseId);
    const answers = await this.deps.store.ballotCount(box);
    const stored = await this.deps.store.followUp(workshop.id);
    const pulse = stored?.record.pulses.find((p) => p.id === pulseId);
    if (!pulse || !mayRelease(answers, pulse.released?.answers ?? 0, workshop.anonymityThreshold)) return;
    const ballots = (await this.deps.store.ballots(box)).map((b) => b.payload);
    await this.change(workshop.id, (record) => {
      const current = record.pulses.find((p) => p.id === pulseId);
      if (!current || !mayRelease(ballots.length, current.released?.answers ?? 0, workshop.anonymityThreshold)) return fail(ErrorCode.conflict, 'released');
      current.released = { answers: ballots.length, tallies: tallyPulse(current.questions, ballots) };
      return { ok: true, value: { record, value: null } };
    });
  }

  /** Closes a pulse check: its last release is its result, and its ballots, tags and secret are deleted. */
  closePulse(workshop: WorkshopRecord, pulseId: string): Promise<Result<null>> {
    return this.#inTurn(pulseId, () => this.#close(workshop, pulseId));
  }

  async #close(workshop: WorkshopRecord, pulseId: string): Promise<Result<null>> {
    const box = pulseBox(pulseId);
    await this.#release(workshop, pulseId);
    const answers = await this.deps.store.ballotCount(box);
    const closed = await this.change(workshop.id, (record) => {
      const pulse = record.pulses.find((p) => p.id === pulseId);
      if (!pulse) return notFound('pulse check');
      if (pulse.closedAt !== null) return fail(ErrorCode.conflict, 'this pulse check is closed already');
      pulse.closedAt = this.deps.clock.wall();
      const heldBack = answers - (pulse.released?.answers ?? 0);
      if (heldBack > 0) pulse.heldBack = heldBack;
      return { ok: true, value: { record, value: null } };
    });
    if (!closed.ok) return closed;
    await this.deps.store.deleteBallots(box);
    await this.deps.store.sealBox(box);
    return closed;
  }
}

/** A scale poll's kept counts of 1 to 5, to sit beside the same question asked again. */
function beforeOf(kept: KeptPoll): PulseBefore | null {
  const scale = kept?.tally?.scale;
  if (!scale) return null;
  const counts = [1, 2, 3, 4, 5].map((v) => scale.values.find((x) => x.value === v)?.count ?? 0) as PulseBefore['counts'];
  return { respondents: counts.reduce((a, b) => a + b, 0), counts, mean: scale.mean };
}
