/** How a test file declares the programs it needs (tests/helpers/services.ts): skipped without them, but not in CI. */
import { beforeEach } from 'vitest';
import { findOrInstall, type Service } from './services.js';

/**
 * For a test file that needs `services`: where one is missing, every test of the file is skipped with one line
 * saying which and how to install it — or, in CI, the file fails with that line.
 * Returns whether all are there: a helper that starts them in a `beforeAll` must not when they are not (Vitest
 * runs it before the skip). The suite's own helpers find the programs again when they start them.
 */
export function needs(...services: Service[]): boolean {
  const missing = services.filter((service) => !findOrInstall(service));
  if (missing.length === 0) return true;
  const line = `needs ${missing.map((s) => s.name).join(' and ')}: ${missing.map((s) => s.install).join('; ')}`;
  if (process.env.CI) throw new Error(`${line} (CI runs every suite)`);
  console.warn(`skipped: ${line}`);
  beforeEach(({ skip }) => skip(line));
  return false;
}
