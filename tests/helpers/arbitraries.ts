/**
 * fast-check generators of bad input for the fuzz suite (tests/integration/fuzz.test.ts). The core
 * one takes a valid event of any type and breaks exactly one thing, so the server must refuse every
 * event it generates and name the reason we expect. The field table mirrors shared/events.ts on
 * purpose: an oracle written apart from the schema it checks.
 */
import fc from 'fast-check';
import { AppealCategory, EventType, OrderState, VolunteerStatus } from '../../shared/events.js';

type Kind =
  | { k: 'uuid' }
  | { k: 'node' }
  | { k: 'ts' }
  | { k: 'type' }
  | { k: 'id'; nullable?: true }
  | { k: 'text'; max: number }
  | { k: 'phone' }
  | { k: 'enum'; values: readonly string[]; nullable?: true }
  | { k: 'num'; min: number; max: number; int?: true };

const TS_MIN = 1_262_304_000_000;
const TS_MAX = 4_102_444_800_000;
const UUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const PHONE = /^[0-9+ -]{0,20}$/;
const EVENT_TYPES: readonly string[] = Object.values(EventType);

const id: Kind = { k: 'id' };
const text = (max: number): Kind => ({ k: 'text', max });
const envelope = { id: { k: 'uuid' }, nodeId: { k: 'node' }, ts: { k: 'ts' }, type: { k: 'type' } } as const;
const checkinFields = { ...envelope, volunteerId: id, activityId: id, volunteerName: text(32) };
const appealStep = { ...envelope, appealId: id, actor: text(64) };

/** Every field of every event type, as shared/events.ts declares it (all fields are required). */
export const EVENT_FIELDS: Readonly<Record<string, Readonly<Record<string, Kind>>>> = {
  [EventType.checkin]: checkinFields,
  [EventType.checkout]: { ...checkinFields, hours: { k: 'num', min: 0, max: 24 } },
  [EventType.volunteerStatus]: {
    ...envelope,
    volunteerId: id,
    status: { k: 'enum', values: Object.values(VolunteerStatus) },
  },
  [EventType.appealReceived]: {
    ...envelope,
    appealId: id,
    category: { k: 'enum', values: Object.values(AppealCategory) },
    title: text(120),
    citizenName: text(32),
    citizenPhone: { k: 'phone' },
    lat: { k: 'num', min: -90, max: 90 },
    lon: { k: 'num', min: -180, max: 180 },
  },
  [EventType.appealAssigned]: appealStep,
  [EventType.appealReplied]: appealStep,
  [EventType.appealClosed]: appealStep,
  [EventType.order]: {
    ...envelope,
    orderId: id,
    from: { k: 'enum', values: Object.values(OrderState), nullable: true },
    to: { k: 'enum', values: Object.values(OrderState) },
    version: { k: 'num', min: 1, max: Number.MAX_VALUE, int: true },
    actor: text(64),
    volunteerId: { k: 'id', nullable: true },
    reason: text(200),
  },
  [EventType.mediaPublished]: {
    ...envelope,
    articleId: id,
    title: text(120),
    activityId: { k: 'id', nullable: true },
    brandId: { k: 'id', nullable: true },
  },
  [EventType.mediaRead]: {
    ...envelope,
    articleId: id,
    reads: { k: 'num', min: 0, max: 10_000_000, int: true },
    shares: { k: 'num', min: 0, max: 10_000_000, int: true },
  },
};

/** Could the schema accept `v` for this field? Generous where unsure, so a "no" is certain. */
function mayAccept(kind: Kind, v: unknown): boolean {
  if (v === null) return (kind.k === 'id' || kind.k === 'enum') && kind.nullable === true;
  switch (kind.k) {
    case 'uuid':
      return typeof v === 'string' && UUID.test(v);
    case 'node':
    case 'id':
      return typeof v === 'string' && ID.test(v);
    case 'ts':
      return typeof v === 'number' && Number.isInteger(v) && v >= TS_MIN && v <= TS_MAX;
    case 'type':
      return typeof v === 'string' && EVENT_TYPES.includes(v);
    case 'text':
      // JSON Schema counts code points, JavaScript UTF-16 units: "no" only when both say too long.
      return typeof v === 'string' && (v.length <= kind.max || codePoints(v) <= kind.max);
    case 'phone':
      return typeof v === 'string' && PHONE.test(v);
    case 'enum':
      return typeof v === 'string' && kind.values.includes(v);
    case 'num':
      return typeof v === 'number' && v >= kind.min && v <= kind.max && (kind.int !== true || Number.isInteger(v));
  }
}

/** The rejection the server must give a generated event (shared/codes.ts EventRejection). */
export type Rejection = 'EVENT_INVALID' | 'EVENT_UNKNOWN_NODE' | 'EVENT_FROM_FUTURE';

export interface BadEvent {
  /** What is sent: already through a JSON round trip, so checked exactly as the server will see it. */
  event: Record<string, unknown>;
  expected: Rejection;
  /** What was broken, for failure messages. */
  mutation: string;
}

const jsonOf = (value: unknown): unknown => JSON.parse(JSON.stringify(value === undefined ? null : value));

/** Length in code points, as JSON Schema's maxLength counts it. */
const codePoints = (s: string): number => s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '_').length;

/** Keys that reach for the prototype chain; set as own properties, as JSON.parse would. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

function withOwn(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const printable = fc.string({ maxLength: 12 });
const names = fc.constantFrom('张小伟', '李四', '王*明', '小区路灯不亮', 'O\u2019Brien', '');

function validValue(kind: Kind, nodes: readonly string[]): fc.Arbitrary<unknown> {
  const nullable = <T>(arb: fc.Arbitrary<T>) => (kind.k !== 'num' && 'nullable' in kind ? fc.option(arb) : arb);
  switch (kind.k) {
    case 'uuid':
      return fc.uuid();
    case 'node':
      return fc.constantFrom(...nodes);
    case 'ts':
      return fc.integer({ min: Date.now() - 30 * 86_400_000, max: Date.now() });
    case 'type':
      return fc.constant('');
    case 'id':
      return nullable(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,16}$/));
    case 'text':
      return fc.oneof(printable, names);
    case 'phone':
      return fc.stringMatching(/^[0-9+ -]{0,20}$/);
    case 'enum':
      return nullable(fc.constantFrom(...kind.values));
    case 'num':
      return kind.int === true
        ? fc.integer({ min: kind.min, max: Math.min(kind.max, 2 ** 31) })
        : fc.double({ min: kind.min, max: kind.max, noNaN: true });
  }
}

const wrongType = fc.oneof(
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** Values outside what the field allows, aimed at its rule (then filtered by the oracle). */
function invalidValue(kind: Kind): fc.Arbitrary<unknown> {
  const overlong = (max: number) => fc.string({ minLength: max + 1, maxLength: max + 40, unit: 'grapheme' });
  const badId = fc.oneof(
    fc.constant(''),
    fc.stringMatching(/^[A-Za-z0-9]{65,90}$/),
    fc
      .tuple(fc.stringMatching(/^[A-Za-z0-9]{0,8}$/), fc.constantFrom(' ', '/', '中', '\n', '"', '<', '%', '\u0000'))
      .map(([s, c]) => `${s}${c}${s}`),
  );
  const specific: fc.Arbitrary<unknown>[] = (() => {
    switch (kind.k) {
      case 'uuid':
        return [
          fc
            .tuple(fc.uuid(), fc.nat(35), fc.constantFrom('', 'g', 'z', '-', '00', ' ', '{'))
            .map(([u, i, c]) => `${u.slice(0, i)}${c}${u.slice(i + 1)}`),
          fc.uuid().map((u) => u.replaceAll('-', '')),
          fc.uuid().map((u) => `urn:uuid:${u}`),
          fc.uuid().map((u) => `{${u}}`),
        ];
      case 'node':
      case 'id':
        return [badId];
      case 'ts':
        return [
          fc.integer({ min: -1e15, max: TS_MIN - 1 }),
          fc.double({ min: TS_MAX + 1, max: 1e300, noNaN: true }),
          fc.double({ min: TS_MIN, max: TS_MAX, noNaN: true }).filter((n) => !Number.isInteger(n)),
          fc.integer({ min: TS_MIN, max: TS_MAX }).map(String),
        ];
      case 'type':
        return [
          fc.constantFrom(...EVENT_TYPES).map((t) => t.toUpperCase()),
          fc.constantFrom(...EVENT_TYPES).map((t) => `${t} `),
        ];
      case 'text':
        return [overlong(kind.max)];
      case 'phone':
        return [fc.stringMatching(/^[0-9]{3}[a-z#*]{1,4}[0-9]{0,8}$/), fc.stringMatching(/^[0-9]{21,30}$/)];
      case 'enum':
        return [
          fc.constantFrom(...kind.values).map((v) => v.toUpperCase()),
          fc.constantFrom(...kind.values).map((v) => ` ${v}`),
        ];
      case 'num':
        return [
          fc.double({ min: -1e300, max: kind.min, maxExcluded: true, noNaN: true }),
          fc.double({ min: kind.max, max: Number.MAX_VALUE, minExcluded: kind.max < Number.MAX_VALUE, noNaN: true }),
          ...(kind.int === true ? [fc.double({ min: kind.min, max: kind.min + 100, noNaN: true })] : []),
          fc.integer({ min: Math.max(kind.min, -1e6), max: Math.min(kind.max, 1e6) }).map(String),
        ];
    }
  })();
  return fc.oneof(wrongType, ...specific);
}

/** One valid event of `type` (ids, nodes and ranges all within the schema). */
export function validEvent(type: string, nodes: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const fields = EVENT_FIELDS[type] ?? {};
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, kind] of Object.entries(fields)) record[key] = validValue(kind, nodes);
  return fc.record(record).map((e) => ({ ...e, type }));
}

/** One change to a valid event; `check` confirms, after the JSON round trip, that it broke it. */
interface Mutation {
  apply: (base: Record<string, unknown>) => Record<string, unknown>;
  expected: Rejection;
  name: string;
  check: (event: Record<string, unknown>) => boolean;
}

function mutations(fields: Readonly<Record<string, Kind>>, known: ReadonlySet<string>): fc.Arbitrary<Mutation> {
  const keys = Object.keys(fields);
  const wrongValues = Object.entries(fields).map(([key, kind]) =>
    invalidValue(kind).map((value): Mutation => ({
      apply: (base) => ({ ...base, [key]: value }),
      expected: 'EVENT_INVALID',
      name: `bad ${key}`,
      check: (e) => !mayAccept(kind, e[key]),
    })),
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...wrongValues) },
    fc.constantFrom(...keys).map((key): Mutation => ({
      apply: (base) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key)),
      expected: 'EVENT_INVALID',
      name: `no ${key}`,
      check: (e) => !(key in e),
    })),
    fc
      .tuple(
        fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ minLength: 1, maxLength: 10 })),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .filter(([key]) => !keys.includes(key))
      .map(([key, value]): Mutation => ({
        apply: (base) => withOwn(base, key, value),
        expected: 'EVENT_INVALID',
        name: `unknown field ${key}`,
        check: (e) => Object.keys(e).includes(key),
      })),
    fc
      .stringMatching(/^[A-Za-z0-9_.:-]{1,60}$/)
      .map((s) => `ZZ${s}`)
      .filter((node) => !known.has(node))
      .map((nodeId): Mutation => ({
        apply: (base) => ({ ...base, nodeId }),
        expected: 'EVENT_UNKNOWN_NODE',
        name: 'unknown node',
        check: () => true,
      })),
    fc.integer({ min: Date.now() + 3_600_000, max: TS_MAX }).map((ts): Mutation => ({
      apply: (base) => ({ ...base, ts }),
      expected: 'EVENT_FROM_FUTURE',
      name: 'far-future ts',
      check: () => true,
    })),
  );
}

/**
 * A valid event with exactly one thing broken: a field of the wrong type, out of range, too long,
 * off its pattern or enum; a field missing; a field unknown (prototype keys included); an unknown
 * node; a timestamp far in the future. Each is certain to be refused, for the reason `expected`.
 * Arbitraries are built once per type (no `chain`), which keeps ten thousand events cheap.
 */
export function badEvent(nodes: readonly string[]): fc.Arbitrary<BadEvent> {
  const known = new Set(nodes);
  const perType = Object.entries(EVENT_FIELDS).map(([type, fields]) =>
    fc.tuple(validEvent(type, nodes), mutations(fields, known)),
  );
  return fc
    .oneof(...perType)
    .map(([base, m]) => ({ event: jsonOf(m.apply(base)) as Record<string, unknown>, m }))
    .filter(({ event, m }) => m.check(event))
    .map(({ event, m }) => ({ event, expected: m.expected, mutation: m.name }));
}

/** Any JSON value, small. */
export const jsonJunk = fc.jsonValue({ maxDepth: 3 });

/** A line of an NDJSON body that is no event: a JSON value, or text that may not be JSON at all. */
export const garbageLine: fc.Arbitrary<string> = fc.oneof(
  jsonJunk.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.constantFrom('{"id":', '[', '}', 'undefined', 'NaN', "{'a':1}", '{"__proto__":{"x":1}}', ' ', '\r', '\u2028'),
);

/** Content types the events route does not take, or takes with a body it must refuse. */
export const contentType = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/json; charset=latin1',
    'APPLICATION/JSON',
    'application/jsonx',
    'application/x-ndjson; charset=utf-8',
    'text/json',
    'application/json, text/plain',
  ),
  fc.stringMatching(/^[a-z]{1,10}\/[a-z0-9.+-]{1,20}$/),
);

/** A username that is never the seeded admin's, so the fuzz cannot lock the test's own login out. */
const username = fc
  .string({ minLength: 1, maxLength: 64, unit: 'grapheme' })
  .filter((u) => u.toLowerCase() !== 'admin');

/** Login bodies, mostly malformed; the well-formed ones name made-up accounts. */
export const loginBody: fc.Arbitrary<unknown> = fc.oneof(
  jsonJunk,
  fc.record({ username: wrongType, password: fc.string() }),
  fc.record({ username, password: wrongType }),
  fc.record({ username, password: fc.string({ minLength: 257, maxLength: 300 }) }),
  fc.record({ username: fc.string({ minLength: 65, maxLength: 80 }), password: fc.string({ minLength: 1 }) }),
  fc.record({ username: fc.constant(''), password: fc.string({ minLength: 1 }) }),
  fc.record({ username }),
  fc
    .tuple(username, fc.string({ minLength: 1 }), fc.constantFrom(...PROTO_KEYS, 'role', 'admin'), jsonJunk)
    .map(([u, p, key, value]) => withOwn({ username: u, password: p }, key, value)),
  fc.record({ username, password: fc.string({ minLength: 1, maxLength: 64 }) }),
);

/** Could this body create a token (role, label, optional town scope, nothing else)? Generous, as mayAccept. */
function mayCreateToken(body: unknown, towns: readonly string[]): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { role, label, scope, ...rest } = body as Record<string, unknown>;
  const labelOk = typeof label === 'string' && label.length > 0 && (label.length <= 80 || codePoints(label) <= 80);
  const scopeOk = scope === undefined || scope === 'district' || (typeof scope === 'string' && towns.includes(scope));
  return (role === 'wall' || role === 'device') && labelOk && scopeOk && Object.keys(rest).length === 0;
}

/** Token-creation bodies an admin might send that must all be refused (`towns` are the valid scopes). */
export function tokenBody(towns: readonly string[]): fc.Arbitrary<unknown> {
  const role = fc.constantFrom('wall', 'device');
  const label = fc.string({ minLength: 1, maxLength: 20 });
  const badScope = fc.oneof(wrongType, fc.string({ maxLength: 12 }), fc.stringMatching(/^I[0-9]{2,3}$/));
  return fc
    .oneof(
      jsonJunk,
      fc.record({ role: fc.oneof(wrongType, fc.constantFrom('admin', 'leader', 'dispatcher', 'WALL')), label }),
      fc.record({ role, label: fc.oneof(fc.constant(''), fc.string({ minLength: 81, maxLength: 120 }), wrongType) }),
      fc.record({ role, label, scope: badScope }),
      fc.record({ label }),
      fc
        .tuple(role, label, fc.constantFrom(...PROTO_KEYS, 'secret', 'id'), jsonJunk)
        .map(([r, l, key, value]) => withOwn({ role: r, label: l }, key, value)),
    )
    .map(jsonOf)
    .filter((body) => !mayCreateToken(body, towns));
}

/** A query string: encoded pairs, raw characters, or known tricky forms. */
export const queryString = fc.oneof(
  fc
    .dictionary(fc.string({ maxLength: 10, unit: 'binary' }), fc.string({ maxLength: 30, unit: 'binary' }), {
      maxKeys: 6,
    })
    .map((d) => new URLSearchParams(d).toString()),
  fc.stringMatching(/^[A-Za-z0-9%&=[\]._~+!$'()*,;:@/?-]{0,200}$/),
  fc.constantFrom(
    '__proto__[x]=1',
    'constructor[prototype][x]=1',
    'a=%',
    '%zz=%zz',
    'a[]=1&a[]=2',
    '=',
    '&&&',
    'scope=I03',
    'scope=NOPE',
    'token=nope',
    `x=${'a'.repeat(3000)}`,
  ),
);

/** Socket event names a client may emit (socket.io-client refuses its reserved names itself). */
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
export const eventName = fc
  .oneof(
    fc.constantFrom(
      'live:resync',
      'live:snapshot',
      'live:tick',
      'ingest:batch',
      'error',
      '__proto__',
      'constructor',
      'toString',
    ),
    fc.string({ minLength: 1, maxLength: 20 }),
  )
  .filter((n) => !RESERVED.has(n));

/** An `ingest:batch` payload and, when it is a batch, the rejection each item must get. */
export interface IngestPayload {
  payload: unknown;
  expected: readonly Rejection[] | null;
}

/** Payloads for `ingest:batch`: non-arrays, junk arrays, broken events, binary. */
export function ingestPayload(nodes: readonly string[]): fc.Arbitrary<IngestPayload> {
  const junkBatch = (items: unknown[]): IngestPayload => ({
    payload: items,
    expected: items.length > 0 ? items.map(() => 'EVENT_INVALID' as const) : null,
  });
  return fc.oneof(
    jsonJunk.map((payload) => (Array.isArray(payload) ? junkBatch(payload) : { payload, expected: null })),
    fc.array(jsonJunk, { maxLength: 20 }).map(junkBatch),
    {
      weight: 3,
      arbitrary: fc.array(badEvent(nodes), { minLength: 1, maxLength: 30 }).map((bad) => ({
        payload: bad.map((b) => b.event),
        expected: bad.map((b) => b.expected),
      })),
    },
    fc.uint8Array({ maxLength: 64 }).map((a) => ({ payload: Buffer.from(a), expected: null })),
    fc
      .array(
        fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)),
        { maxLength: 3 },
      )
      .map(junkBatch),
  );
}

/** Text that is valid JSON and within the schema, but odd: lone surrogates, NUL, separators, quotes. */
const edgeText = (max: number) =>
  fc.string({
    maxLength: Math.min(max, 4),
    unit: fc.oneof(
      fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\u0000', '\u2028', '\ufeff', '"', '\\', '\n'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
  });

/**
 * Events the schema lets through, with edge values where a field allows them: odd text, and order
 * versions beyond 32 bits (the schema sets no maximum). Whatever the server does with them, refuse
 * or store, it must not stall.
 */
export function edgeEvent(nodes: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.constantFrom(...EVENT_TYPES).chain((type) => {
    const fields = EVENT_FIELDS[type] ?? {};
    const overrides: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, kind] of Object.entries(fields)) {
      if (kind.k === 'text') overrides[key] = edgeText(kind.max);
      if (key === 'version')
        overrides[key] = fc.oneof(
          fc.integer({ min: 1, max: 2 ** 32 - 1 }),
          fc.integer({ min: 2 ** 32, max: Number.MAX_SAFE_INTEGER }),
          fc.constantFrom(1e21, 1e300, Number.MAX_VALUE),
        );
    }
    return fc
      .tuple(validEvent(type, nodes), fc.record(overrides, { requiredKeys: [] }))
      .map(([base, edge]) => ({ ...base, ...edge }));
  });
}
