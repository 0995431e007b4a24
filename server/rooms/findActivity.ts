import { ErrorCode, type AckError } from '../../shared/protocol/index.js';
import { fail, notFound } from '../domain/result.js';

/**
 * The agenda's board or poll an event names, if it is in one of `states` (any, if none are given); otherwise
 * the refusal the client is sent. `notStarted` says what a draft cannot do yet.
 */
export function findActivity<A extends { state: string }>(
  activity: A | undefined,
  noun: 'board' | 'poll' | 'statements activity',
  notStarted: string,
  states?: readonly string[],
): A | AckError {
  if (!activity) return notFound(noun);
  if (states && !states.includes(activity.state)) {
    return fail(ErrorCode.conflict, activity.state === 'draft' ? notStarted : `this ${noun} is ${activity.state}`);
  }
  return activity;
}
