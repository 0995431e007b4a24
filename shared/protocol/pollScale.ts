/** The values a scale poll offers: Likert 1–5, or 0–10. */
export function scaleValues(scale: { kind: 'likert5' | 'zeroToTen' } | undefined): number[] {
  return scale?.kind === 'zeroToTen' ? Array.from({ length: 11 }, (_, i) => i) : [1, 2, 3, 4, 5];
}
