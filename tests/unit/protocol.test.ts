import { describe, expect, it } from 'vitest';
import { newJoinCode } from '../../server/domain/secrets.js';
import { JOIN_CODE_ALPHABET } from '../../shared/protocol/index.js';
import { clientEventSchemas, joinCodeSchema } from '../../shared/protocol/schemas.js';

describe('join codes', () => {
  it('never contain characters people confuse on a projector', () => {
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[01OIL]/);
    for (let i = 0; i < 200; i++) expect(newJoinCode()).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
  });

  it('are read forgivingly: lower case, spaces and dashes are fine', () => {
    expect(joinCodeSchema.parse(' ab3-d4e ')).toBe('AB3D4E');
    expect(joinCodeSchema.safeParse('AB0D4E').success).toBe(false);
  });
});

describe('event schemas', () => {
  it('trim text and default an info slide body to empty', () => {
    expect(clientEventSchemas['agenda:add'].parse({ activity: { kind: 'info', title: '  Hello ' } })).toEqual({
      activity: { kind: 'info', title: 'Hello', body: '' },
    });
  });

  it('refuse __proto__ and other unknown keys', () => {
    const payload = JSON.parse('{"activity":{"kind":"info","title":"x"},"__proto__":{"admin":true}}');
    expect(clientEventSchemas['agenda:add'].safeParse(payload).success).toBe(false);
  });
});
