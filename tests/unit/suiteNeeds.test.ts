/**
 * A suite whose program is missing (tests/helpers/suiteNeeds.ts): skipped with one line outside CI, failing in
 * CI. The programs the real suites need are found or installed before this matters; here one that exists nowhere.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../helpers/suiteNeeds.js';

const nowhere = { name: 'Nothing', find: () => undefined, install: 'apt-get install nothing' };

/** Runs `during` with CI set to `value` (unset for undefined), putting CI back after. */
function withCi<T>(value: string | undefined, during: () => T): T {
  const saved = process.env.CI;
  if (value === undefined) delete process.env.CI;
  else process.env.CI = value;
  try {
    return during();
  } finally {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  }
}

describe('a suite needing a program that is missing, outside CI', () => {
  // As the suites' helpers do: what would start the program is not registered without it.
  if (withCi(undefined, () => needs(nowhere))) {
    beforeAll(() => {
      throw new Error('a suite started a program that is missing');
    });
  }
  it('is skipped: this test would fail if it ran', () => {
    throw new Error('a suite whose program is missing ran anyway');
  });
});

describe('the same in CI', () => {
  it('fails, with the line saying what to install', () => {
    expect(() => withCi('true', () => needs(nowhere))).toThrow('needs Nothing: apt-get install nothing (CI runs every suite)');
  });
});
