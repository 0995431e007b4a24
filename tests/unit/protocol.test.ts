import { describe, expect, it } from 'vitest';
import { newJoinCode } from '../../server/domain/secrets.js';
import { JOIN_CODE_ALPHABET } from '../../shared/protocol/index.js';
import { clientEventSchemas, importSchema, joinCodeSchema } from '../../shared/protocol/schemas.js';

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

  it('hold every free-text field to the titles’ rule: no NUL, ESC or other control characters', () => {
    const dirty = 'before\u0000\u001b[31mafter';
    const activity = (fields: Record<string, unknown>) => clientEventSchemas['agenda:add'].safeParse({ activity: fields });
    const cases = [
      activity({ kind: 'info', title: 'Info', body: dirty }),
      activity({ kind: 'board', title: 'Board', prompt: dirty }),
      activity({ kind: 'poll', title: 'Poll', type: 'single', options: ['a', 'b'], question: dirty }),
      activity({ kind: 'poll', title: 'Poll', type: 'scale', scale: { kind: 'likert5', low: dirty, high: 'High' } }),
      clientEventSchemas['plan:requestDrafting'].safeParse({ name: dirty }),
      importSchema.safeParse({
        schema: 'roundtable.workshop/1',
        workshop: { title: 'Imported', language: 'en', anonymityThreshold: 3, groups: [] },
        activities: [],
        plan: { sections: { context: dirty }, actions: [{ title: dirty }] },
      }),
    ];
    for (const parsed of cases) expect(parsed.success).toBe(false);
    // Newlines and tabs are text, not control characters to refuse.
    expect(activity({ kind: 'info', title: 'Info', body: 'line one\n\tline two' }).success).toBe(true);
  });
});
