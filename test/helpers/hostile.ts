import fc from 'fast-check';

/*
 * What a careless or malicious client sends: injection strings, unicode that breaks naive code,
 * NUL, huge and out-of-range values, wrong types, deep nesting and keys that pollute prototypes.
 * Shared by the REST and GraphQL property tests.
 */

/** One seed for every property test, so a failure replays exactly (`seed` and `path` are printed). */
export const SEED = 20_231_010;

/** PROPERTY_RUNS searches harder than the suite does; each file has its own default. */
export const propertyRuns = (fallback: number) => Number(process.env.PROPERTY_RUNS ?? fallback);

/**
 * A test's time limit for `runs` generated requests: generous per request, so a busy machine
 * slows a property test down without failing it. `perRunMs` is what one run may take at worst.
 */
export const propertyTimeout = (runs: number, perRunMs = 1000) => 30_000 + runs * perRunMs;

export const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  "'; drop table roles; --",
  '" or 1=1 --',
  "' or ''='",
  '%',
  '_',
  '\\',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${7*7}',
  '../../etc/passwd',
  '%00',
  '%zz',
  '%E0%A4%A',
  '\uD800',
  '\uDFFF',
  '\uFFFF',
  '\u202Eevil',
  'zero\u200Bwidth',
  '𝕳𝖔𝖘𝖙𝖎𝖑𝖊 👩‍👩‍👧‍👦',
  'Ω≈ç√∫',
  '\r\nX-Injected: 1',
  'NaN',
  'Infinity',
  '-0',
  '1e400',
  '9007199254740993',
  '-1',
  '0',
  'null',
  'true',
  '[]',
  '{}',
  '*',
  '9999-12-31T23:59:59Z',
  '0000-00-00T00:00:00Z',
  '10000-01-01T00:00:00Z',
  '2024-02-30T00:00:00+00:00',
  ...PROTO_KEYS,
];

const HOSTILE_NUMBERS = [
  0,
  -0,
  -1,
  1.5,
  -2147483649,
  2147483648,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  1e-7,
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  // Past the limits of most fields, and on either side of a 64 KB body.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(1_001, 3_001, 20_000, 70_000)
      .chain((n) => fc.constantFrom('x', 'é', '\u0000', '𝕏').map((c) => c.repeat(n))),
  },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** An object with a key set as an own property, so `__proto__` reaches JSON as a key. */
function withKey(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const nested = (depth: number, leaf: unknown) => {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

/** Any JSON value a client could send in place of the expected one. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), hostileString), tie('value')).map(([k, v]) => withKey({}, k, v)),
    fc.integer({ min: 50, max: 3_000 }).map((depth) => nested(depth, 'deep')),
  ),
})).value;

/** Request bodies that are not JSON, or JSON that breaks parsers. */
export const rawBody: fc.Arbitrary<string> = fc.constantFrom(
  '{',
  '[',
  '',
  'null',
  '"a string"',
  '12',
  '{"a":1e400}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"a":1,"a":2}',
  '\u0000',
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  '{"x":"\\ud800"}',
  '\uFEFF{}',
);

/** An object whose fields are the given arbitraries, with hostile extra keys now and then. */
export function withExtraKeys(record: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      record,
      fc.option(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), hostileString), hostileValue), { freq: 4 }),
    )
    .map(([object, extra]) => {
      const copy = { ...object };
      return extra ? withKey(copy, extra[0], extra[1]) : copy;
    });
}

/** Fails when anything in the process has polluted Object.prototype. */
export function expectCleanPrototypes(): void {
  const polluted = [...Object.keys(Object.prototype), ...Object.keys(Array.prototype)];
  if (polluted.length || 'polluted' in {}) throw new Error(`prototypes polluted: ${polluted.join(', ')}`);
}
