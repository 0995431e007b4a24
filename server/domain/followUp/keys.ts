/** Where an ended workshop's representation by group (folded at k) is kept: its participants' rows are gone. */
export const representationKey = (workshopId: string) => `representation:${workshopId}`;

/**
 * Where the last presence breakdown is stored. It names each participant (by their id) with their group, so that a
 * restarted room releases presence by the same rule: deleted when the workshop ends.
 */
export const presenceKey = (workshopId: string) => `presence:${workshopId}`;
