import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileLimit, openFileWarning, ROOM_SIZE } from '../../server/openFileLimit.js';

const limits = (soft: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'roundtable-limits-')), 'limits');
  writeFileSync(
    file,
    `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                1048576              files\n`,
  );
  return file;
};

describe('the open-file limit', () => {
  it('is read from /proc as Linux writes it, and from the shell elsewhere', () => {
    expect(openFileLimit(limits('1024'))).toBe(1024);
    expect(openFileLimit(limits('unlimited'))).toBe(Infinity);
    // No /proc file: `ulimit -n` of a shell started by this process, the same limit.
    expect(openFileLimit('/nonexistent/limits')).toBe(openFileLimit());
  });

  it('warns when it would not hold a room of ROOM_SIZE phones (two connections each), saying how to raise it', () => {
    expect(openFileWarning(1024)).toMatch(/may open 1024 files, enough for about 462 phones at once \(a room of 5,000 needs 10,100\)/);
    expect(openFileWarning(1024)).toMatch(/ulimit -n 65536.*LimitNOFILE=65536.*--ulimit nofile=65536/);
    expect(openFileWarning(ROOM_SIZE * 2 + 99)).toBeDefined();
    expect(openFileWarning(ROOM_SIZE * 2 + 100)).toBeUndefined();
    expect(openFileWarning(Infinity)).toBeUndefined();
    expect(openFileWarning(undefined)).toBeUndefined();
  });
});
