/** A real calendar date as YYYY-MM-DD (not 2026-13-01, not 2026-02-30): plan dates and indicator dates. */
export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const date = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(s);
}
