/** Where an ended workshop's representation by group (folded at k) is kept: its participants' rows are gone. */
export const representationKey = (workshopId: string) => `representation:${workshopId}`;
