// The emitted create-validator (core/src/js/validate.rs) against the wasm engine: whenever the
// JavaScript function returns a resource, wasm must say valid and return a deep-equal resource
// (same key order, nothing shared with the input, the input untouched). Corpora: the bench
// users (all decided), seeded random mutations of them (never wrong), Group resources, a custom
// schema and resource type, strict and lenient mode, and JS values JSON carries differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { pkgDir, scim } from './lib/pkg.mjs';
import { generateUsers, random } from '../../wasm-pkg/bench/users.mjs';

const { instantiate } = await import(pathToFileURL(join(pkgDir, 'emitted.js')).href);
const { validateInWasm } = await import(pathToFileURL(join(pkgDir, 'validate.js')).href);
const { SchemaRegistry } = scim;

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
const DEVICE = 'urn:example:params:scim:schemas:core:2.0:Device';
const DEVICE_EXT = 'urn:example:params:scim:schemas:extension:device:2.0:Device';
const BADGE = 'urn:example:params:scim:schemas:extension:badge:2.0:User';

const CUSTOM = {
  schemas: [
    {
      id: ACME,
      name: 'AcmeUser',
      attributes: [
        { name: 'hiredAt', type: 'dateTime' },
        { name: 'badge', type: 'binary' },
        { name: 'level', type: 'integer' },
        { name: 'score', type: 'decimal' },
        { name: 'remote', type: 'boolean' },
        { name: 'tier', type: 'string', canonicalValues: ['Gold', 'Silver'], strictCanonical: true },
        { name: 'codeName', type: 'string', caseExact: true, canonicalValues: ['Alpha', 'beta'], strictCanonical: true },
        { name: 'tags', type: 'string', multiValued: true },
        { name: 'badgeId', type: 'string', mutability: 'readOnly' },
        {
          name: 'devices',
          type: 'complex',
          multiValued: true,
          subAttributes: [
            { name: 'serial', type: 'string', required: true },
            { name: 'primary', type: 'boolean' },
            { name: 'since', type: 'dateTime' },
            { name: 'assetTag', type: 'string', mutability: 'readOnly' },
          ],
        },
      ],
    },
    {
      id: DEVICE,
      name: 'Device',
      attributes: [
        { name: 'serial', type: 'string', required: true },
        { name: 'model', type: 'string' },
        { name: 'firmware', type: 'reference', referenceTypes: ['uri'] },
        {
          name: 'specs',
          type: 'complex',
          subAttributes: [
            { name: 'ram', type: 'integer' },
            { name: 'ghz', type: 'decimal' },
            { name: 'vendor', type: 'string', required: true },
          ],
        },
      ],
    },
    { id: DEVICE_EXT, name: 'DeviceExtension', attributes: [{ name: 'site', type: 'string', required: true }] },
    { id: BADGE, name: 'Badge', attributes: [{ name: 'badgeNumber', type: 'string', required: true }, { name: 'color', type: 'string' }] },
  ],
  resourceTypes: [
    { id: 'Device', name: 'Device', endpoint: '/Devices', schema: DEVICE, schemaExtensions: [{ schema: DEVICE_EXT, required: true }] },
  ],
  extensions: [{ resourceType: 'User', schema: ACME }, { resourceType: 'User', schema: BADGE }],
};

const builtin = new SchemaRegistry();
const custom = new SchemaRegistry(CUSTOM);
const validators = new Map();

function validatorFor(registry, options) {
  const key = `${registry === builtin ? 'b' : 'c'}:${options.resourceType}:${options.lenient}`;
  if (!validators.has(key)) {
    const fn = instantiate(registry.validatorSource(options));
    assert.equal(typeof fn, 'function', `validatorSource(${key}) instantiates`);
    validators.set(key, fn);
  }
  return validators.get(key);
}

/** Every object and array reachable from `v`. */
function containers(v, into = new Set()) {
  if (typeof v === 'object' && v !== null && !into.has(v)) {
    into.add(v);
    for (const x of Object.values(v)) containers(x, into);
  }
  return into;
}

/** Whether `a` and `b` have the same keys in the same order, at every level. */
function sameKeyOrder(a, b) {
  if (typeof a !== 'object' || a === null) return true;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameKeyOrder(a[k], b[k]));
}

/** A text describing every member reachable from `v` (prototypes and odd values included). */
function fingerprint(v, seen = new Map()) {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function' || typeof v === 'symbol') return typeof v;
  if (typeof v !== 'object' || v === null) return Object.is(v, -0) ? '-0' : JSON.stringify(v) ?? String(v);
  if (seen.has(v)) return `#${seen.get(v)}`;
  seen.set(v, seen.size);
  const proto = Object.getPrototypeOf(v)?.constructor?.name ?? 'null';
  return `${proto}{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${fingerprint(v[k], seen)}`).join(',')}}`;
}

/**
 * Runs one body through the emitted validator and wasm; asserts the contract. Returns whether
 * the emitted validator decided.
 */
function check(registry, options, resource, label) {
  const fn = validatorFor(registry, options);
  const before = fingerprint(resource);
  const got = fn(resource);
  assert.equal(fingerprint(resource), before, `${label}: input untouched`);
  if (got === undefined) return false;
  const wasm = validateInWasm.call(registry, resource, options);
  const text = () => `${label}\ninput ${safeJson(resource)}\nemitted ${safeJson(got)}\nwasm ${JSON.stringify(wasm)}`;
  assert.equal(wasm.valid, true, `emitted claims valid, wasm says invalid: ${text()}`);
  assert.deepStrictEqual(got, wasm.resource, `different resources: ${text()}`);
  assert.ok(sameKeyOrder(got, wasm.resource), `different key order: ${text()}`);
  const input = containers(resource);
  for (const c of containers(got)) assert.ok(!input.has(c), `output shares an object with the input: ${text()}`);
  return true;
}

function safeJson(v) {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
  } catch (e) {
    return `<${e.message}>`;
  }
}

// ---- corpora -------------------------------------------------------------------------------

function acmeUser(i, rnd) {
  const u = generateUsers(1, i + 1)[0];
  u.schemas.push(ACME);
  u[ACME] = {
    hiredAt: `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:30:00${rnd() < 0.5 ? 'Z' : '+01:00'}`,
    badge: ['', 'TWFu', 'TWE=', 'TQ==', 'ab+/Zz09'][i % 5],
    level: i % 7,
    score: (i % 13) / 4,
    remote: rnd() < 0.5,
    tier: ['Gold', 'silver', 'GOLD'][i % 3],
    codeName: ['Alpha', 'beta'][i % 2],
    tags: ['a', 'b'].slice(0, i % 3),
    devices: [{ serial: `S${i}`, primary: true, since: '2024-02-29T12:00:00.5Z' }, { serial: `T${i}` }],
  };
  return u;
}

function device(i, rnd) {
  const d = {
    schemas: [DEVICE, DEVICE_EXT],
    serial: `SN-${i}`,
    model: rnd() < 0.5 ? 'X1' : null,
    firmware: 'https://example.com/fw/1',
    specs: { ram: 16 * (1 + (i % 4)), ghz: 2.5 + i / 10, vendor: 'Acme' },
    [DEVICE_EXT]: { site: `site-${i % 5}` },
  };
  if (rnd() < 0.3) d.id = `dev-${i}`;
  return d;
}

function group(i, rnd) {
  const members = [];
  for (let m = 0; m < i % 5; m++) members.push({ value: `u-${i}-${m}`, display: `User ${m}`, type: rnd() < 0.5 ? 'User' : 'Group', $ref: `https://example.com/Users/u-${m}` });
  return { schemas: [GROUP], displayName: `Group ${i}`, members, externalId: rnd() < 0.5 ? `g${i}` : undefined, meta: { resourceType: 'Group' } };
}

const ODD_VALUES = [
  () => 42, () => -0, () => 1.5, () => 2 ** 53, () => 1e21, () => NaN, () => Infinity, () => 10n,
  () => true, () => 'False', () => 'TRUE', () => 'yes', () => '', () => '   ', () => '\u3000', () => '\ufeff', () => '\u0085',
  () => 'x', () => 'Ünïcödé ✓', () => '\ud800', () => 'a\udc00b', () => '😀',
  () => null, () => undefined, () => [], () => {}, () => ({}), () => [null], () => [undefined], () => [{}], () => [1, 2], () => ['x'],
  () => ({ value: 'v' }), () => ({ value: 'v', primary: true }), () => [{ value: 'a', primary: true }, { value: 'b', primary: true }],
  () => [{ value: 'a', primary: 'True' }, { value: 'b', primary: 'true' }],
  () => new Date(0), () => new String('s'), () => Object.create(null), () => new Map(), () => ({ toJSON: () => 'x' }),
  () => [, 'hole'], () => '2024-02-30T00:00:00Z', () => '2024-02-29T23:59:60Z', () => '2024-01-01t00:00:00z', () => '2024-01-01T00:00:00+0100',
  () => '2024-01-01T00:00:00.Z', () => '2024-01-01T00:00:00.123456+05:30', () => '1900-02-29T00:00:00Z', () => '２０２４-01-01T00:00:00Z',
  () => 'TWFu', () => 'TWF', () => 'TQ==', () => 'T===', () => 'TW-_', () => 'gold', () => 'Silver', () => 'ALPHA', () => 'Beta', () => 'ſilver',
  () => 'urn:ietf:params:scim:schemas:core:2.0:user', () => ENTERPRISE.toUpperCase(), () => [USER.toUpperCase()], () => [ENTERPRISE], () => [USER, 42],
];

const EXTRA_KEYS = [
  'id', 'ID', 'meta', 'groups', 'Groups', 'nope', 'toJSON', '__proto__', 'Schemas', 'SCHEMAS', 'userName', 'USERNAME', 'username',
  'emails', 'EMAILS', 'password', 'x509Certificates', 'name', 'Name', 'active', 'ACTIVE', USER, `${USER}:userName`, `${USER.toUpperCase()}:USERNAME`,
  `${USER}:displayName`, `${USER}:nope`, ENTERPRISE, ENTERPRISE.toLowerCase(), `${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:EmployeeNumber`,
  `${ENTERPRISE}:manager`, `${ENTERPRISE}:nope`, `${ENTERPRISE.toUpperCase()}:department`, ACME, `${ACME}:level`, `${ACME}:badgeId`,
  'urn:example:unknown:thing', 'ſchemas', 'K', 'displayName', 'DisplayName', 'title', 'manager', 'employeeNumber', 'value', 'Value', 'primary',
  'members', 'MEMBERS', 'display', '$ref', '$REF', 'type', 'serial', 'SERIAL', 'specs', 'vendor', 'ram', 'site', 'tier', 'hiredAt', 'level', 'score',
  'badge', 'devices', 'since', 'assetTag', 'remote', 'codeName', 'tags', DEVICE, DEVICE_EXT, `${DEVICE_EXT}:site`, `${DEVICE}:serial`,
  `${DEVICE_EXT}:nope`, `${ACME}:nope`, `${BADGE}:nope`, `${BADGE.toUpperCase()}:NOPE`, `${BADGE}:color`, BADGE, `${BADGE}:badgeNumber`,
];

/** Every [container, key] of `v` (objects and arrays), depth first. */
function slots(v, into = []) {
  if (typeof v === 'object' && v !== null && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype)) {
    for (const k of Object.keys(v)) {
      into.push([v, k]);
      slots(v[k], into);
    }
  }
  return into;
}

function recase(s, rnd) {
  let out = '';
  for (const c of s) out += rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase();
  return out === s ? s.toUpperCase() : out;
}

/** One random mutation of `doc`, in place. */
function mutate(doc, rnd) {
  const all = slots(doc);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const [parent, key] = all.length ? pick(all) : [doc, 'userName'];
  const value = parent[key];
  const isArr = Array.isArray(parent);
  switch (Math.floor(rnd() * 9)) {
    case 0:
      if (isArr) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 1:
      if (!isArr) {
        delete parent[key];
        parent[recase(key, rnd)] = value;
      }
      break;
    case 2:
      if (!isArr) parent[recase(key, rnd)] = rnd() < 0.5 ? value : pick(ODD_VALUES)();
      break;
    case 3:
    case 4:
      parent[key] = pick(ODD_VALUES)();
      break;
    case 5: {
      const target = rnd() < 0.6 ? doc : pick(all.filter(([, k]) => typeof doc === 'object'))?.[0] ?? doc;
      if (!Array.isArray(target)) target[pick(EXTRA_KEYS)] = rnd() < 0.5 ? pick(ODD_VALUES)() : structuredCloneSafe(value);
      break;
    }
    case 6:
      if (!isArr && rnd() < 0.5 && key !== 'schemas' && parent === doc) {
        delete parent[key];
        parent[`${rnd() < 0.5 ? USER : ENTERPRISE}:${key}`] = value;
      } else if (Array.isArray(doc.schemas)) {
        doc.schemas = doc.schemas.filter(() => rnd() < 0.5);
      }
      break;
    case 7:
      if (typeof value === 'string') parent[key] = rnd() < 0.5 ? value.toUpperCase() : `${value}\ud800`;
      else if (typeof value === 'number') parent[key] = pick([value + 0.5, -value, String(value), 2 ** 60]);
      else if (typeof value === 'boolean') parent[key] = String(value);
      break;
    default:
      if (Array.isArray(value) && value.length) {
        if (rnd() < 0.5) value.push({ ...structuredCloneSafe(value[0]), primary: true });
        else parent[key] = value[0];
      } else if (typeof value === 'object' && value !== null) {
        parent[key] = [value];
      }
  }
}

function structuredCloneSafe(v) {
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}

// ---- tests ---------------------------------------------------------------------------------

const MODES = [false, true];

test('the bench users are all decided, and equal to what wasm returns', () => {
  const users = generateUsers(1000);
  for (const lenient of MODES) {
    let decided = 0;
    users.forEach((u, i) => {
      if (check(builtin, { resourceType: 'User', lenient }, u, `user ${i} lenient=${lenient}`)) decided++;
    });
    assert.equal(decided, users.length, `lenient=${lenient}: decided ${decided}/${users.length}`);
  }
});

test('the package validate returns the emitted resource for bench users', () => {
  for (const u of generateUsers(50, 99)) {
    const result = scim.validate(u, { resourceType: 'User' });
    assert.equal(result.valid, true);
    assert.deepStrictEqual(result.resource, validateInWasm.call(builtin, u, { resourceType: 'User' }).resource);
  }
});

test('mutated users, groups and custom resources: never valid where wasm says invalid', (t) => {
  const rnd = random(20240611);
  const kinds = [
    { registry: builtin, resourceType: 'User', make: (i) => generateUsers(1, i + 1)[0] },
    { registry: custom, resourceType: 'User', make: acmeUser },
    { registry: builtin, resourceType: 'Group', make: group },
    { registry: custom, resourceType: 'Device', make: device },
  ];
  const stats = {};
  const N = 1200;
  for (const kind of kinds) {
    for (let i = 0; i < N; i++) {
      const doc = kind.make(i, rnd);
      const mutations = i % 10 === 0 ? 0 : 1 + Math.floor(rnd() * 3);
      for (let m = 0; m < mutations; m++) mutate(doc, rnd);
      for (const lenient of MODES) {
        const key = `${kind.resourceType}${kind.registry === custom ? '+custom' : ''}${lenient ? ' lenient' : ''}`;
        stats[key] ??= { decided: 0, valid: 0 };
        const options = { resourceType: kind.resourceType, lenient };
        const valid = validateInWasm.call(kind.registry, doc, options).valid;
        if (valid) stats[key].valid++;
        if (check(kind.registry, options, doc, `${key} #${i}`)) stats[key].decided++;
      }
    }
  }
  for (const [k, s] of Object.entries(stats)) t.diagnostic(`${k}: decided ${s.decided} of ${s.valid} valid bodies`);
  for (const s of Object.values(stats)) assert.ok(s.decided > 0, 'some mutated bodies are decided');
});

test('hand-picked bodies: the emitted answer matches wasm where it answers', () => {
  const cases = [
    { schemas: [USER], userName: 'bjensen' },
    { schemas: [USER], USERNAME: 'bjensen', name: { GivenName: 'Barbara' }, id: 'client-set' },
    { schemas: [USER], userName: 'b', USERNAME: null },
    { schemas: [USER], userName: null, USERNAME: 'b' },
    { schemas: [USER], userName: ' ' },
    { schemas: [USER], userName: '\ufeff' },
    { schemas: [USER], userName: '\u0085' },
    { schemas: [USER.toUpperCase()], userName: 'b' },
    { Schemas: [USER], userName: 'b' },
    { schemas: [USER], Schemas: [USER], userName: 'b' },
    { schemas: USER, userName: 'b' },
    { userName: 'b' },
    { schemas: [USER], userName: 'b', [ENTERPRISE]: { employeeNumber: '1' } },
    { schemas: [USER, ENTERPRISE], userName: 'b' },
    { schemas: [USER], userName: 'b', [`${ENTERPRISE}:employeeNumber`]: '7' },
    { schemas: [USER], userName: 'b', [ENTERPRISE]: { department: 'x' }, [`${ENTERPRISE}:employeeNumber`]: '7' },
    { schemas: [USER], userName: 'b', [ENTERPRISE.toUpperCase()]: { department: 'x' }, [`${ENTERPRISE}:employeeNumber`]: '7' },
    { schemas: [USER], userName: 'b', [ENTERPRISE]: {} },
    { schemas: [USER], userName: 'b', [ENTERPRISE]: null },
    { schemas: [USER], userName: 'b', [USER]: { displayName: 'x' } },
    { schemas: [USER], userName: 'b', [`${USER}:displayName`]: 'x' },
    { schemas: [USER], userName: 'b', emails: [{ value: 'a', primary: true }, { value: 'b', primary: true }] },
    { schemas: [USER], userName: 'b', emails: [{ value: 'a', primary: true }, { value: 'b', primary: false }, null, {}] },
    { schemas: [USER], userName: 'b', emails: { value: 'a' } },
    { schemas: [USER], userName: 'b', active: 'True' },
    { schemas: [USER], userName: 42 },
    { schemas: [USER], userName: 'b', x509Certificates: [{ value: 'TWFu' }] },
    { schemas: [USER], userName: 'b', x509Certificates: [{ value: 'TWF' }] },
    { schemas: [USER], userName: 'b', meta: { created: new Date(0) } },
    { schemas: [USER], userName: 'b', meta: { created: 10n } },
    { schemas: [USER], userName: 'b', id: '\ud800' },
    { schemas: [USER], userName: 'b', displayName: undefined },
    { schemas: [USER], userName: 'b', emails: [undefined, { value: 'x' }] },
    { schemas: [USER], userName: 'b', nope: 1 },
    { schemas: [USER], userName: 'b', 'urn:example:x:y': 1 },
    { schemas: [USER], userName: 'b', [`${ENTERPRISE}:nope`]: 1 },
    { schemas: [USER, 'urn:example:unknown'], userName: 'b' },
    { schemas: [USER, null], userName: 'b' },
    { schemas: [USER], userName: 'b', ['user\u017Fame']: 'x' },
    { schemas: [USER], userName: 'b', title: 12 },
    { schemas: [USER], userName: 'b', title: 1.5 },
    { schemas: [USER], userName: 'b', groups: [{ value: 1 }] },
    { schemas: [USER], userName: 'b', password: 'secret' },
    { schemas: [USER], userName: 'b', name: {} },
    { schemas: [USER], userName: 'b', name: { givenName: null } },
    { schemas: [USER], userName: 'b', name: new Date(0) },
    { schemas: [USER], userName: 'b', name: Object.create(null) },
    { schemas: [USER], userName: 'b', toJSON: () => ({}) },
    Object.assign(Object.create({ title: 'inherited' }), { schemas: [USER], userName: 'b' }),
    { schemas: [USER], userName: 'b', name: Object.assign(Object.create({ givenName: 'inherited' }), { familyName: 'f' }) },
    { schemas: [USER], userName: 'b', constructor: Object },
    { schemas: [USER], userName: 'b', emails: [Object.assign(Object.create({ primary: true }), { value: 'v' })] },
  ];
  let decided = 0;
  for (const lenient of MODES) {
    cases.forEach((c, i) => {
      if (check(builtin, { resourceType: 'User', lenient }, c, `case ${i} lenient=${lenient}`)) decided++;
    });
  }
  assert.ok(decided > cases.length / 2, `decided ${decided} of ${2 * cases.length}`);
});

test('custom types: dateTime, base64, integer, decimal and canonical values match core', () => {
  const rnd = random(3339);
  const dates = [];
  const digits = '0123456789';
  for (let i = 0; i < 3000; i++) {
    let s = `${1990 + Math.floor(rnd() * 120)}-${String(Math.floor(rnd() * 14)).padStart(2, '0')}-${String(Math.floor(rnd() * 33)).padStart(2, '0')}T${String(Math.floor(rnd() * 26)).padStart(2, '0')}:${String(Math.floor(rnd() * 62)).padStart(2, '0')}:${String(Math.floor(rnd() * 62)).padStart(2, '0')}`;
    if (rnd() < 0.4) s += `.${digits.slice(0, Math.floor(rnd() * 5))}`;
    s += ['Z', 'z', '+01:00', '-23:59', '+24:00', '+0100', '', 'ZZ', '+01:60'][Math.floor(rnd() * 9)];
    if (rnd() < 0.1) s = s.replace('T', ['t', ' ', 'x'][Math.floor(rnd() * 3)]);
    if (rnd() < 0.05) s = s.slice(0, Math.floor(rnd() * s.length));
    dates.push(s);
  }
  const b64 = ['', '=', '==', 'A===', 'AA==', 'AAA=', 'AAAA', 'A+/=', 'ab-_', 'ab\ncd', 'ÄÄÄÄ', 'AAAAAA==', 'AA=A'];
  const numbers = [0, -0, 1, -1, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e21, 1e-7, 0.1, 5e-324, 1.7976931348623157e308, 123456789.123, NaN, -Infinity];
  const tiers = ['Gold', 'gold', 'GOLD', 'Silver', 'sılver', 'Bronze', '', 'Gold '];
  const codes = ['Alpha', 'alpha', 'beta', 'Beta', 'BETA'];
  // Left to wasm although valid: non-finite numbers (null once through JSON), and numbers that
  // are not safe integers for a string in lenient mode (Rust and JS print them differently).
  const unexplained = [];
  const run = (ext) => {
    for (const lenient of MODES) {
      const doc = { schemas: [USER, ACME], userName: 'u', [ACME]: ext };
      const options = { resourceType: 'User', lenient };
      const valid = validateInWasm.call(custom, doc, options).valid;
      const decided = check(custom, options, doc, JSON.stringify(ext) ?? String(ext));
      const n = Object.values(ext)[0];
      const explained = (typeof n === 'number' && !Number.isFinite(n)) || (lenient && ext.tags !== undefined && !Number.isSafeInteger(n));
      if (valid && !decided && !explained) unexplained.push(`${lenient}: ${safeJson(ext)}`);
    }
  };
  for (const hiredAt of dates) run({ hiredAt });
  for (const badge of b64) run({ badge });
  for (const n of numbers) {
    run({ level: n });
    run({ score: n });
    run({ tags: n });
  }
  for (const tier of tiers) run({ tier });
  for (const codeName of codes) run({ codeName });
  run({ devices: [{ serial: 'a', primary: true }, { serial: 'b', primary: true }] });
  run({ devices: [{ primary: true }] });
  run({ devices: [{ serial: ' ' }] });
  run({ devices: [{ serial: 'a', assetTag: 5 }] });
  run({ devices: [{ serial: 'a', SERIAL: 'b' }] });
  run({ badgeId: 'x', remote: 'FALSE' });
  for (const lenient of MODES) {
    const options = { resourceType: 'User', lenient };
    for (const doc of [
      { schemas: [USER], userName: 'u', [`${BADGE}:nope`]: 1 },
      { schemas: [USER], userName: 'u', [`${BADGE.toUpperCase()}:x`]: 1 },
      { schemas: [USER], userName: 'u', [`${BADGE}:color`]: 'red' },
      { schemas: [USER], userName: 'u', [`${BADGE}:badgeNumber`]: '7', [`${BADGE}:nope`]: 1 },
      { schemas: [USER], userName: 'u', [BADGE]: { color: 'red' } },
      { schemas: [USER], userName: 'u', [BADGE]: {} },
      { schemas: [USER], userName: 'u', [BADGE]: { badgeNumber: '7' }, [`${BADGE}:color`]: 'red' },
      { schemas: [USER], userName: 'u', [BADGE]: { badgeNumber: '7' }, [`${BADGE.toUpperCase()}:color`]: 'red' },
      { schemas: [USER], userName: 'u', [BADGE.toUpperCase()]: { badgeNumber: '7' }, [`${BADGE}:color`]: 'red' },
    ]) {
      const decided = check(custom, options, doc, safeJson(doc));
      if (!decided && validateInWasm.call(custom, doc, options).valid) unexplained.push(`${lenient}: ${safeJson(doc)}`);
      if (doc[`${BADGE.toUpperCase()}:color`] !== undefined) assert.equal(validateInWasm.call(custom, doc, options).valid, false, 'a qualified name sorted before its extension object');
    }
  }
  assert.deepEqual(unexplained, [], 'every other valid body is decided');
});

test('a required extension and required sub-attributes are enforced', () => {
  const ok = device(1, random(1));
  assert.equal(check(custom, { resourceType: 'Device', lenient: false }, ok, 'device'), true);
  for (const bad of [
    { ...ok, [DEVICE_EXT]: undefined, schemas: [DEVICE] },
    { ...ok, [DEVICE_EXT]: {} },
    { ...ok, specs: { ram: 1 } },
    { ...ok, serial: undefined },
  ]) {
    const fn = validatorFor(custom, { resourceType: 'Device', lenient: false });
    assert.equal(fn(bad), undefined);
    assert.equal(validateInWasm.call(custom, bad, { resourceType: 'Device' }).valid, false);
  }
});

test('an enumerable property on Object.prototype sends every body to wasm', () => {
  const fn = validatorFor(builtin, { resourceType: 'User', lenient: false });
  const user = generateUsers(1)[0];
  assert.notEqual(fn(user), undefined);
  Object.prototype.polluted = 'x';
  try {
    assert.equal(fn(user), undefined);
  } finally {
    delete Object.prototype.polluted;
  }
  assert.notEqual(fn(user), undefined);
});
