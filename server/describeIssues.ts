import type { z } from 'zod';

/** Summarises zod issues as `path: message; …` for the error a client sees. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}
