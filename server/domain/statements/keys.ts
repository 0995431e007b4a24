/**
 * Where a statements activity keeps what it stores (activity results, by key) and the shape of what a closed
 * round keeps: shared by the room that writes them, the Pol.is import and the exports that read them.
 */
import type { StatementsResults } from '../../../shared/protocol/index.js';
import type { Analysis } from './analysis.js';

/** The one ballot box of a round: one ballot per voter, deleted at closing. */
export const statementsBox = (activityId: string) => `statements:${activityId}`;
/** The statements sent and moderated (seeds are in the activity itself). */
export const listKey = (activityId: string) => `statements:${activityId}:list`;
/** What a closed round keeps. */
export const keptKey = (activityId: string) => `statements:${activityId}:result`;
export const seedId = (index: number) => `seed-${index + 1}`;

/** What a closed round keeps: its counts and the analysis. */
export type KeptStatements = Omit<StatementsResults, 'activityId' | 'analysis'> & { analysis: Analysis };
