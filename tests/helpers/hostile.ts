/**
 * Hostile input for the fuzz tests: values of the wrong type, huge and deeply nested ones, unicode edge
 * cases, prototype-polluting keys, and mutations of a valid payload (a key dropped, added or replaced).
 */
import fc from 'fast-check';

/** Markup and links that must stay text wherever they are shown or exported. */
export const HTML_ATTACKS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '<a href="javascript:window.__pwned=1">click me</a>',
  'javascript:window.__pwned=1',
  '[click](javascript:window.__pwned=1)',
] as const;

/** Cells a spreadsheet would run as formulas if they were not escaped. */
export const FORMULA_ATTACKS = ['=HYPERLINK("http://evil.example","click")', '+1+cmd|" /C calc"!A0', '-2+3', '@SUM(1,2)'] as const;

export const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\uDBFF',
  '\u202Eevil\u202C',
  '\u200B',
  '\u200D\u200C\u2060',
  '\uFEFF',
  '\u2028\u2029',
  '\r\n\t',
  '\u0007\u001B[31m',
  '\uFFFE\uFFFF',
  '𝕏🏳️‍🌈e\u0301',
  'مرحبا\u200Fwelcome',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '../../etc/passwd',
  '%00%ZZ',
  'null',
  'NaN',
  ...HTML_ATTACKS,
  ...FORMULA_ATTACKS,
];

/** Own `__proto__` / `constructor` / `prototype` keys, as JSON.parse makes them (an object literal would not). */
export const PROTO_JSON = [
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"prototype":{"polluted":true}}',
  '{"__proto__":null}',
  '{"__proto__":[1,2]}',
];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toJSON', 'then'];

/** A string of `length` UTF-16 code units made of one repeated piece: cheap to build even at a megabyte. */
export const hugeString = fc
  .tuple(fc.constantFrom('a', ' ', '\u202E', '<', '\uD800', '𝕏', 'é'), fc.constantFrom(1_000, 30_000, 70_000, 200_000, 1_000_000))
  .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));

/**
 * JSON text sent as it is. Values nested thousands of levels deep are kept as text: JSON.stringify (and so
 * socket.io-client) overflows the stack near 5,000 levels, while a hostile client can simply write them.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Objects or arrays nested up to ten thousand levels deep, some with own `__proto__` keys at every level. */
export const deepValue = fc.tuple(fc.constantFrom('object', 'array', 'proto'), fc.constantFrom(10, 1_000, 10_000)).map(([shape, depth]) => {
  const [open, close] = shape === 'array' ? ['[', ']'] : shape === 'proto' ? ['{"__proto__":', '}'] : ['{"a":', '}'];
  return new RawJson(open.repeat(depth) + '"bottom"' + close.repeat(depth));
});

/** JSON as the wire carries it, with RawJson values inserted as written. */
export function serialize(value: unknown): string | undefined {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? `\u0000raw${raws.push(v.text) - 1}\u0000` : v));
  return text?.replace(/"\\u0000raw(\d+)\\u0000"/g, (_match, i: string) => raws[Number(i)]!);
}

const oddString = fc.string({ unit: fc.constantFrom('\uD800', '\uDFFF', '\u0000', '\u202E', '\u200B', '<', '"', '\\', 'a', '𝕏'), maxLength: 40 });

export const extraKey = fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 12 }), oddString);

/** Anything a client could put where a value is expected. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>(null, undefined, true, false, 0, -0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, Number.NaN, Infinity), weight: 4 },
  { arbitrary: fc.constantFrom(...EDGE_STRINGS), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 80 }), weight: 2 },
  { arbitrary: oddString, weight: 2 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deepValue, weight: 1 },
  { arbitrary: fc.constantFrom(...PROTO_JSON).map((json) => JSON.parse(json) as unknown), weight: 1 },
  { arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
);

type Path = (string | number)[];

/** Every path to a value inside `value` (the root is `[]`), down to 8 levels, for picking where to mutate. */
function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (value && typeof value === 'object' && !(value instanceof RawJson) && prefix.length < 8) {
    for (const [key, child] of Object.entries(value)) out.push(...paths(child, [...prefix, Array.isArray(value) ? Number(key) : key]));
  }
  return out;
}

const setOwn = (target: Record<string | number, unknown>, key: string | number, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

type Mutation = { kind: 'replace' | 'drop' | 'extra' | 'wrapInArray'; at: number; value: unknown; key: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'drop', 'extra', 'wrapInArray'),
  at: fc.nat(),
  value: hostileValue,
  key: extraKey,
});

/** Applies mutations to a copy of a valid payload: a key dropped, an unknown key added, a value replaced. */
export function mutate(valid: unknown, mutations: Mutation[]): unknown {
  let root: unknown = structuredClone(valid);
  for (const generated of mutations) {
    // A copy: values fast-check hands out may be shared between cases, and a later mutation writes into them.
    const m = { ...generated, value: generated.value instanceof RawJson ? generated.value : structuredClone(generated.value) };
    const all = paths(root);
    const path = all[m.at % all.length]!;
    const parentPath = path.slice(0, -1);
    const parent = parentPath.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root) as Record<string | number, unknown>;
    const key = path.at(-1);
    const current = key === undefined ? root : parent[key];
    const replacement =
      m.kind === 'replace' ? m.value : m.kind === 'wrapInArray' ? [current] : m.kind === 'extra' && current && typeof current === 'object' ? current : m.value;
    if (m.kind === 'extra' && current && typeof current === 'object' && !Array.isArray(current) && !(current instanceof RawJson)) {
      setOwn(current as Record<string, unknown>, m.key, m.value);
      continue;
    }
    if (m.kind === 'drop' && key !== undefined) {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      continue;
    }
    if (key === undefined) root = replacement;
    else setOwn(parent, key, replacement);
  }
  return root;
}

/** A valid payload mutated one to three times, or something else entirely. */
export const hostilePayload = (valid: unknown): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => mutate(valid, ms)), weight: 5 },
    { arbitrary: hostileValue, weight: 1 },
    { arbitrary: fc.constantFrom<unknown>([valid], [], valid), weight: 1 },
  );

/** What the server receives after JSON on the wire: undefined keys gone, NaN and Infinity as null. */
export const onTheWire = (value: unknown): unknown => {
  const text = serialize(value);
  return text === undefined ? undefined : JSON.parse(text);
};

/** Shortens a value for a failure message. */
export function describeValue(value: unknown): string {
  const text = serialize(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

/** The seed of this run: FUZZ_SEED reruns a failure exactly. */
export function fuzzSeed(): number {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
  console.log(`fuzz seed ${seed} (rerun with FUZZ_SEED=${seed})`);
  return seed;
}
