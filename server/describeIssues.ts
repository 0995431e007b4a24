import type { z } from 'zod';

/** Issues named in a message; a payload with thousands of problems gets a short answer. */
const MAX_ISSUES = 5;
/** Longest path segment quoted back: keys are the sender's own text, so they are shortened. */
const MAX_SEGMENT = 40;

const segment = (key: PropertyKey) => {
  const text = String(key);
  return text.length > MAX_SEGMENT ? `${text.slice(0, MAX_SEGMENT)}…` : text;
};

/** Summarises zod issues as `path: message; …` for the error a client sees. */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, MAX_ISSUES).map((i) => (i.path.length ? `${i.path.map(segment).join('.')}: ${i.message}` : i.message));
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}
