// Filters emitted as JavaScript (Filter.jsSource) against the wasm engine: wherever the emitted
// predicate answers true or false, wasm's `matchesJson(JSON.stringify(resource))` answers the
// same. The bench corpus (which the predicate must decide almost entirely), an adversarial
// corpus (Unicode case folding, wrong types, JSON.stringify transformations, dateTime forms,
// presence, value filters, URN paths, lenient unknown attributes), every code point the
// emitted case folding accepts, and seeded random filters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { pkgDir, scim } from './lib/pkg.mjs';
import { filterCases } from '../../wasm-pkg/bench/cases.mjs';
import { ENTERPRISE, USER, generateUsers, random } from '../../wasm-pkg/bench/users.mjs';

const { instantiate } = await import(pathToFileURL(join(pkgDir, 'emitted.js')).href);

const X = 'urn:example:params:scim:schemas:extension:h31:2.0:User';
const registry = new scim.SchemaRegistry({
  schemas: [
    {
      id: X,
      name: 'Probe',
      attributes: [
        { name: 'count', type: 'integer' },
        { name: 'ratio', type: 'decimal' },
        { name: 'flag', type: 'boolean' },
        { name: 'when', type: 'dateTime' },
        { name: 'code', type: 'string', caseExact: true },
        { name: 'tags', type: 'string', multiValued: true },
        { name: 'nums', type: 'integer', multiValued: true },
        { name: 'constructor', type: 'string' },
        { name: 'valueOf', type: 'string' },
        {
          name: 'items',
          type: 'complex',
          multiValued: true,
          subAttributes: [
            { name: 'label', type: 'string' },
            { name: 'n', type: 'integer' },
            { name: 'at', type: 'dateTime' },
            { name: 'on', type: 'boolean' },
            { name: 'value', type: 'string' },
          ],
        },
      ],
    },
  ],
  extensions: [{ resourceType: 'User', schema: X }],
});

/** The compiled filter and its emitted predicate (asserting that it instantiates). */
function compile(text, options = {}) {
  const filter = registry.compileFilter(text, options);
  const predicate = instantiate(filter.jsSource);
  assert.equal(typeof predicate, 'function', `${text}: the emitted source instantiates`);
  return { filter, predicate };
}

/** wasm's answer for one JS value, as the reference: `throws` when there is none (JSON.stringify
 * throws, or writes a lone surrogate). */
function wasmAnswer(filter, r) {
  const json = jsonOf(r);
  if (json === null) return 'throws';
  return json === undefined ? false : filter.matchesJson(json);
}

/** JSON.stringify(r), made once per value; null when there is no JSON text core can read. */
const texts = new Map();
function jsonOf(r) {
  if (!texts.has(r)) {
    let json;
    try {
      json = JSON.stringify(r);
    } catch {
      json = null;
    }
    texts.set(r, json !== undefined && json !== null && unreadable(json) ? null : json);
  }
  return texts.get(r);
}

const show = (r) => inspect(r, { depth: 6, breakLength: Infinity });

/** Whether the JSON text holds a lone surrogate (core then cannot read it at all, while the
 * package sends only what the filter reads: no reference to compare with). */
const unreadable = (json) => /\\ud[89a-f][0-9a-f]{2}/.test(json);

/** Asserts every definite answer of the predicate on `resources`; the count decided. */
function agree(text, resources, options) {
  const { filter, predicate } = compile(text, options);
  let decided = 0;
  for (const r of resources) {
    const got = predicate(r);
    if (got !== true && got !== false && got !== undefined) assert.fail(`${text}: ${show(got)} is not an answer`);
    const want = wasmAnswer(filter, r);
    // (JSON.stringify throwing on a value the filter does not read: the package never
    // serialises that value, so there is nothing to compare)
    if (want !== 'throws' && got !== undefined) {
      decided++;
      if (got !== want) assert.fail(`${text} on ${show(r)}: emitted ${got}, wasm ${want}`);
    }
  }
  filter.free();
  return decided;
}

test('bench corpus: the predicate decides ≥ 99% of (filter, user) pairs, as wasm does', () => {
  const users = generateUsers(10000);
  const json = JSON.stringify(users.filter((_, i) => i % 4 === 0));
  let pairs = 0;
  let decided = 0;
  for (const c of filterCases(users)) {
    const { filter, predicate } = compile(c.text);
    // wasm's answers for every fourth user (one call), the predicate's for all
    const matching = new Set(filter.filterJson(json).map((at) => at * 4));
    users.forEach((u, i) => {
      const got = predicate(u);
      pairs++;
      if (got !== undefined) {
        decided++;
        if (i % 4 === 0 && got !== matching.has(i)) assert.fail(`${c.text} on user ${i}: emitted ${got}`);
      }
    });
    filter.free();
  }
  assert.ok(decided / pairs >= 0.99, `decided ${decided} of ${pairs}`);
});

const STRINGS = [
  '', ' ', 'a', 'A', 'bjensen', 'BJensen', 'BJENSEN', 'bjensen ', 'BJensen@Example.COM', 'x@example.com',
  'x@example.org', '@example.com', 'É', 'é', 'Éclair', 'ÉCLAIR', 'éclair', 'straße', 'STRASSE', 'ß', 'ẞ', 'ẞtraße',
  '\u212a', 'k', 'K', '\u212aelvin', 'kelvin', 'Kim', 'KIM', '\u212aIM', 'ΣΑΣ', 'σας', 'σασ', 'ΌΣΟΣ', 'όσος', 'όσοσ',
  'ΑΣ ΒΣ', 'Σ', 'xΣ', 'Σx', 'İstanbul', 'i̇stanbul', 'istanbul', 'ISTANBUL', 'İ', 'i̇', 'ı', 'I', '東京', 'トウキョウ',
  '한국', '😀', 'a😀', '😀b', '\ue000', '\uffff', 'ǅ', 'ǆ', 'Ǆ', 'Ⅻ', 'ⅻ', 'Ⓐ', 'ⓐ', 'Ａ', 'ａ', 'Ꭰ', 'ꭰ', 'Ω', 'ω', '\u2126',
  '\u212b', 'å', 'ǰ', 'ŉ', 'Ա', 'ա', '\ud800', 'a\udc00b', 'ab\ud83d', 'ID-123', 'id-123', '12345', '12345.0', 'true',
  'TRUE', 'True', 'tRuE', 'false', 'FALSE', 'yes', 'true ', 'work', 'Work', 'WORK', 'home', 'Employee', 'employee',
  'Sales', 'sales', 'SALES', 'eng', 'Engineer', 'ENGINEERING', '\u0000', 'a\nb', '"quoted"', 'back\\slash', '\u2028',
];

const DATES = [
  '2024-06-15T12:00:00Z', '2024-06-15T12:00:00z', '2024-06-15t12:00:00Z', '2024-06-15 12:00:00Z', '2024-06-15T12:00:00',
  '2024-06-15T14:00:00+02:00', '2024-06-15T06:30:00-05:30', '2024-06-15T12:00:00-00:00', '2024-06-15T11:59:59.999999999Z',
  '2024-06-15T12:00:00.000000000001Z', '2024-06-15T12:00:00.1234567891Z', '2024-06-15T12:00:00.Z', '2024-06-15T11:59:60Z',
  '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '2024-13-01T00:00:00Z',
  '2024-00-10T00:00:00Z', '2024-04-31T00:00:00Z', '2024-06-15T24:00:00Z', '2024-06-15T12:60:00Z', '2024-06-15T12:00:61Z',
  '2024-06-15T12:00:00+24:00', '2024-06-15T12:00:00+01:60', '2024-06-15T12:00:00+0200', '2024-06-15T12:00:00+02',
  '2024-06-15', '2024-06-15T12:00Z', '2024-6-15T12:00:00Z', '2024-06-15X12:00:00Z', '2024-06-15T12:00:00ZZ',
  '2024-06-15T12:00:00+02:00 ', ' 2024-06-15T12:00:00Z', '２０２４-06-15T12:00:00Z', '+024-06-15T12:00:00Z',
  '0000-01-01T00:00:00Z', '0000-02-29T12:00:00+14:00', '9999-12-31T23:59:59.999999999Z', '1969-12-31T23:59:59Z',
  '2024-06-15T12:00:00\u00a0', 'not a date', '',
  ...Array.from({ length: 13 }, (_, k) => `2024-06-15T12:00:00.${'5'.repeat(k)}Z`),
  ...Array.from({ length: 11 }, (_, k) => `2024-06-15T12:00:00.${'0'.repeat(k)}1+00:00`),
];

class Thing {
  constructor() {
    this.value = 'x';
  }
  get userName() {
    return 'bjensen';
  }
}

/** Values JSON.stringify writes as they are, differently, or not at all. */
const ODD = [
  null, undefined, [], {}, [null], [[]], [{}], [''], [undefined], [, 'hole'], NaN, Infinity, -Infinity, 0, -0, 1, 5, 6,
  -1, 1.5, 0.1, 0.30000000000000004, 2 ** 53, 2 ** 53 + 2, 2 ** 60, 2 ** 64, 1e21, -1e300, 9007199254740993, '5', '1.5',
  true, false, new Date(0), new Date(NaN), new String('bjensen'), new Number(5), new Boolean(true), 10n, Symbol('s'),
  () => 'f', Object.assign(Object.create(null), { value: 'bjensen', type: 'work' }), new Thing(),
  { toJSON: () => 'bjensen' }, { toJSON: () => undefined, value: 'x' }, Object.create({ value: 'inherited' }),
  { value: null }, { value: '' }, { value: [] }, { value: {} }, { value: [[]] }, { value: 'bjensen', type: 'Work', primary: true },
  [{ value: 'a@example.com', type: 'home' }, { value: 'b@EXAMPLE.com', type: 'WORK' }], [{ type: 'work' }, 'work', null, 7],
  [[{ type: 'work' }]], { a: { b: { c: { d: { e: '' } } } } }, { a: { b: { c: { d: {} } } } }, { a: { b: { c: { d: [] } } } },
  { a: { b: { c: { d: { e: undefined } } } } }, { a: { b: { c: { d: { e: () => 1 } } } } }, { a: { b: { c: { d: [null] } } } },
  { a: { b: { c: { d: { e: new Date(0) } } } } }, { a: [[[[[]]]]] }, { a: [[[[]]]] }, [[[[[]]]]], [[[[]]]], { a: { b: { c: { d: { e: {} } } } } }, [[[[['x']]]]], { a: [[[[['']]]]] }, { f: () => 1 },
  { s: Symbol('x') }, { n: NaN }, { n: 0 }, { d: new Date(0) }, { big: 1n }, Object.assign(['bjensen'], { toJSON: () => 'x' }),
  Object.assign([{ type: 'work', value: 'a' }], { toJSON: () => [] }),
];

const ADVERSARIAL_VALUES = [...STRINGS, ...DATES, ...ODD];

const base = () => ({
  schemas: [USER, ENTERPRISE, X],
  id: 'ID-123',
  externalId: '12345',
  userName: 'BJensen',
  name: { familyName: 'Jensen', givenName: 'Barbara' },
  title: 'Tour Guide',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  meta: { lastModified: '2024-06-15T12:00:00Z', created: '2011-08-01T18:29:49.793Z' },
  [ENTERPRISE]: { department: 'Sales', manager: { value: '42' } },
  [X]: {
    count: 5,
    ratio: 0.5,
    flag: true,
    when: '2024-06-15T12:00:00Z',
    code: 'ABC',
    tags: ['a', 'B'],
    nums: [1, 7],
    items: [{ label: 'Éclair', n: 3, at: '2024-06-15T12:00:00+02:00', on: true, value: 'v1' }],
  },
});

/** Where the adversarial values are placed, one at a time, into a base user. */
const SLOTS = [
  ['userName'], ['title'], ['id'], ['externalId'], ['active'], ['profileUrl'], ['schemas'], ['name'], ['name', 'familyName'],
  ['emails'], ['emails', 0], ['emails', 0, 'value'], ['emails', 0, 'type'], ['emails', 1, 'type'], ['emails', 0, 'primary'],
  ['meta'], ['meta', 'lastModified'], [ENTERPRISE], [ENTERPRISE, 'department'], [ENTERPRISE, 'manager'],
  [ENTERPRISE, 'manager', 'value'], [X], [X, 'count'], [X, 'ratio'], [X, 'flag'], [X, 'when'], [X, 'code'], [X, 'tags'],
  [X, 'tags', 1], [X, 'nums'], [X, 'nums', 0], [X, 'constructor'], [X, 'valueOf'], [X, 'items'], [X, 'items', 0],
  [X, 'items', 0, 'label'], [X, 'items', 0, 'n'], [X, 'items', 0, 'at'], [X, 'items', 0, 'on'], [X, 'items', 0, 'value'],
];

/** The base user with `value` at `slot`. */
function placed(slot, value) {
  const r = base();
  let at = r;
  for (const key of slot.slice(0, -1)) at = at[key];
  at[slot[slot.length - 1]] = value;
  return r;
}

/** Resources every filter is tried on. */
const ALWAYS = [base(), {}, ...ODD, 'bjensen', Object.assign(Object.create(null), base()), new Thing(), { ...base(), toJSON: () => ({ userName: 'other' }) }];

/** The values tried in a slot: all of them where a string or date-time is expected, else the
 * odd ones and a few strings. */
const NON_TEXT = new Set(['active', 'primary', 'count', 'ratio', 'flag', 'nums', 'n', 'on']);
const FEW = ['', 'true', 'False', '5', '2024-06-15T12:00:00Z', 'bjensen', 'Ａ', 'ΑΣ'];
const valuesFor = (slot) => (slot.some((k) => NON_TEXT.has(k)) ? [...ODD, ...FEW] : ADVERSARIAL_VALUES);

/** Per slot, the base user with each of its values there. */
const PLACED = SLOTS.map((slot) => [slot, valuesFor(slot).map((v) => placed(slot, v))]);

/** The resources worth trying `text` on: those whose changed value the filter may read. */
function resourcesFor(text) {
  const names = new Set(text.split(/[^A-Za-z0-9$]+/).map((w) => w.toLowerCase()));
  const reads = ([top, sub]) =>
    top === ENTERPRISE || top === X ? text.includes(`${top}:${typeof sub === 'string' ? sub : ''}`) : names.has(top.toLowerCase());
  return [...ALWAYS, ...PLACED.filter(([slot]) => reads(slot)).flatMap(([, rs]) => rs)];
}

const ADVERSARIAL_FILTERS = [
  'userName eq "bjensen"', 'userName eq "BJENSEN"', 'userName ne "bjensen"', 'userName co "JEN"', 'userName sw "b"',
  'userName ew "SEN"', 'userName gt "m"', 'userName ge "bjensen"', 'userName lt "É"', 'userName le "\\ue000"',
  'userName gt "😀"', 'userName lt "\\uffff"', 'userName eq "É"', 'userName eq "éclair"', 'userName co "CLA"',
  'userName eq "straße"', 'userName eq "STRASSE"', 'userName eq "ẞ"', 'userName eq "k"', 'userName eq "\\u212a"',
  'userName sw "\\u212aE"', 'userName eq "kelvin"', 'userName eq "kim"', 'userName ew "IM"', 'userName eq "σας"',
  'userName eq "σασ"', 'userName ew "Σ"', 'userName ew "ς"', 'userName co "σ"', 'userName eq "όσος"',
  'userName eq "İstanbul"', 'userName eq "i̇stanbul"', 'userName sw "i"', 'userName eq "istanbul"', 'userName eq "東京"',
  'userName eq "😀"', 'userName co "😀"', 'userName eq "ǆ"', 'userName eq "ⅻ"', 'userName eq "ⓐ"', 'userName eq "ａ"',
  'userName eq "ꭰ"', 'userName eq "ω"', 'userName eq "å"', 'userName co ""', 'userName sw ""', 'userName gt ""',
  'userName eq ""', 'userName eq 12345', 'userName eq "12345"', 'userName eq "true"', 'userName eq "a\\nb"',
  'userName eq "\\"quoted\\""', 'userName ew "\\\\slash"', 'userName eq "\\u0000"', 'userName co "\\u2028"', 'userName co "KEL"', 'userName co "I"', 'userName ew "VIN"', 'userName sw "KEL"',
  'title pr', 'title eq null', 'title ne null', 'not (title pr)', 'title co "GUIDE"', 'title ne "tour guide"',
  'name pr', 'name eq null', 'name.familyName pr', 'name.familyName sw "j"', 'name.familyName eq "ÉCLAIR"',
  'emails pr', 'emails eq null', 'emails.value pr', 'emails.type eq "work"', 'emails.type ne "work"', 'emails co "EXAMPLE"',
  'emails ew ".COM"', 'emails eq "bjensen"', 'emails[type eq "work"]', 'emails[type eq "work" and value co "@example.com"]',
  'emails[not (type eq "work")]', 'emails[type ne "work"]', 'emails[value pr]', 'emails[primary eq true]',
  'emails[primary eq "TRUE"]', 'not (emails[type eq "work"])', 'emails[type eq "work" or primary eq true]',
  'emails[type pr and not (value ew ".org")]', 'emails[value eq null]', 'emails[emails.type eq "home"]',
  'id eq "ID-123"', 'id eq "id-123"', 'id ne "id-123"', 'id co "-"', 'id sw "ID"', 'id ew "3"', 'id gt "ID"',
  'id lt "😀"', 'id ge "\\ue000"', 'id le "\\ud83d\\ude00"', 'id eq "😀"', 'id eq "É"', 'id eq ""', 'id co ""',
  'externalId eq 12345', 'externalId eq "12345"', 'externalId eq 12345.0', 'externalId gt 9',
  'active eq true', 'active eq false', 'active eq "True"', 'active ne false', 'active eq "FALSE"', 'active pr',
  'profileUrl sw "HTTPS:"', 'profileUrl pr', 'schemas eq "urn:ietf:params:scim:schemas:core:2.0:user"', 'schemas co "ENTERPRISE"',
  'meta pr', 'meta.lastModified pr', 'meta.lastModified gt "2024-06-15T12:00:00Z"', 'meta.lastModified ge "2024-06-15T12:00:00Z"',
  'meta.lastModified lt "2024-06-15T12:00:00.5Z"', 'meta.lastModified le "2024-06-15T11:59:59.999999999Z"',
  'meta.lastModified eq "2024-06-15T14:00:00+02:00"', 'meta.lastModified ne "2024-06-15t12:00:00z"',
  'meta.lastModified eq "2024-06-15 12:00:00"', 'meta.lastModified gt "0000-01-01T00:00:00Z"',
  'meta.lastModified lt "9999-12-31T23:59:59.999999999Z"', 'meta.lastModified eq "2024-06-15T12:00:00.5555555555Z"',
  `${ENTERPRISE}:department eq "sales"`, `${ENTERPRISE}:department ne "SALES"`, `${ENTERPRISE}:manager.value eq "42"`,
  `${ENTERPRISE}:manager pr`, `${ENTERPRISE}:manager eq "42"`, `${ENTERPRISE}:manager[value eq "42"]`,
  `${ENTERPRISE}:department pr and emails.value ew "@example.com"`, `${ENTERPRISE}:employeeNumber eq null`,
  `${X}:count gt 5`, `${X}:count eq 5`, `${X}:count ne 5`, `${X}:count ge 9007199254740993`, `${X}:count lt 1.5`,
  `${X}:count eq 0`, `${X}:count le -1`, `${X}:count gt 1e21`, `${X}:count pr`, `${X}:count eq null`,
  `${X}:ratio gt 0.1`, `${X}:ratio eq 1`, `${X}:ratio le 1e21`, `${X}:ratio lt 0.30000000000000004`, `${X}:ratio ne 0.5`,
  `${X}:ratio ge 9007199254740993`, `${X}:flag eq true`, `${X}:flag eq "false"`, `${X}:flag ne true`,
  `${X}:when gt "2024-06-15T12:00:00Z"`, `${X}:when eq "2024-06-15T12:00:00.000Z"`, `${X}:when le "2024-06-15T14:00:00+02:00"`,
  `${X}:code eq "ABC"`, `${X}:code eq "abc"`, `${X}:code sw "A"`, `${X}:code gt "ABB"`, `${X}:tags eq "b"`, `${X}:tags pr`,
  `${X}:tags ne "a"`, `${X}:nums gt 3`, `${X}:nums eq 1`, `${X}:constructor pr`, `${X}:constructor eq "x"`,
  `${X}:valueOf pr`, `${X}:items[n gt 2 and on eq true]`, `${X}:items[label co "É"]`, `${X}:items[label eq "éclair"]`,
  `${X}:items.at lt "2024-06-15T12:00:00Z"`, `not (${X}:items[label pr])`, `${X}:items pr`, `${X}:items eq "v1"`,
  `${X}:items[at ge "2024-06-15T10:00:00Z" or n eq 3]`, `${X}:items[not (on eq false)]`, `${X}:items.on eq true`,
  'not (userName eq "bjensen" or title pr) and active eq true', 'userName eq "x" or not (emails[type eq "home"])',
  '(title pr or userName sw "B") and not (meta.lastModified lt "2020-01-01T00:00:00Z")',
];

const LENIENT_FILTERS = [
  'favouriteColour eq "blue"', 'favouriteColour ne "blue"', 'favouriteColour pr or title pr', 'not (favouriteColour pr)',
  'emails[colour eq "x"]', 'emails[colour ne "x"]', 'favouriteColour eq null', 'favouriteColour ne null and userName pr',
  'emails.colour eq "x" or emails[type eq "work"]', 'not (emails[colour eq "x"])',
];

test('adversarial corpus: every definite answer is wasm’s', () => {
  let decided = 0;
  let pairs = 0;
  for (const [texts, options] of [[ADVERSARIAL_FILTERS, {}], [LENIENT_FILTERS, { lenientUnknown: true }]]) {
    for (const text of texts) {
      const resources = resourcesFor(text);
      pairs += resources.length;
      decided += agree(text, resources, options);
    }
  }
  assert.ok(decided > pairs * 0.8, `decided ${decided} of ${pairs}`);
});

test('undecided only where needed: plain values are decided, transformed ones are not', () => {
  const { predicate } = compile('userName eq "bjensen"');
  assert.equal(predicate({ userName: 'BJENSEN' }), true);
  assert.equal(predicate({ userName: 'ÉCLAIR' }), false);
  assert.equal(predicate({ userName: 'other' }), false);
  assert.equal(predicate({}), false);
  assert.equal(predicate([]), false);
  assert.equal(predicate({ userName: new String('bjensen') }), undefined);
  assert.equal(predicate({ userName: 'Ａ' }), undefined, 'fullwidth letters fold outside the accepted ranges');
  assert.equal(predicate({ userName: 'b\ud800' }), undefined, 'a lone surrogate never reaches core as text');
  assert.equal(compile('id eq "x"').predicate({ id: 'x\udc00' }), undefined, 'nor in a case-exact value');
  assert.equal(compile('title pr').predicate({ title: '\ud800' }), undefined, 'nor in a present one');
  assert.equal(compile('active eq true').predicate({ active: 'tru\ud800' }), undefined);
  assert.equal(predicate({ userName: 'x', toJSON: () => ({ userName: 'bjensen' }) }), undefined);
  const any = compile('userName eq "x" or title pr').predicate;
  assert.equal(any({ userName: 'x', title: 5n }), true, 'an undecided value does not matter where the outcome is known');
  assert.equal(any({ userName: 'y', title: 5n }), undefined);
  const dt = compile('meta.lastModified gt "2024-06-15T12:00:00Z"').predicate;
  assert.equal(dt({ meta: { lastModified: '2024-06-15T14:00:00.000000001+02:00' } }), true);
  assert.equal(dt({ meta: { lastModified: '2024-06-15T14:00:00+02:00' } }), false);
  assert.equal(dt({ meta: { lastModified: 'yesterday' } }), false, 'not a date-time: matches nothing, as in core');
  assert.equal(dt({ meta: { lastModified: new Date() } }), undefined);
});

test('value paths select single values as core does (the code value_filter_source emits)', () => {
  // value_filter_source emits the same element-scope functions as a value path's inner filter.
  const { predicate } = compile('emails[type eq "work" and not (value ew ".org")]');
  assert.equal(predicate({ emails: [{ type: 'WORK', value: 'a@b.com' }] }), true);
  assert.equal(predicate({ emails: [{ type: 'work', value: 'a@b.ORG' }, 'work'] }), false);
  assert.equal(predicate({ emails: { type: 'work', value: 'x' } }), true, 'a single complex value is its only value');
});

/** Every code point of the ranges the emitted code folds, folded by the emitted `fold`. */
test('full-range fold: the emitted fold equals core’s on every accepted code point', () => {
  const ranges = [[0x0000, 0x052f], [0x1e00, 0x1fff], [0x2100, 0x218f], [0x24b6, 0x24e9], [0x3000, 0x9fff], [0xac00, 0xd7a3]];
  const points = ranges.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i));
  const batch = 500;
  const cased = [];
  for (let at = 0; at < points.length; at += batch) {
    const chars = points.slice(at, at + batch).map((cp) => String.fromCodePoint(cp));
    const filter = registry.compileFilter(chars.map((ch) => `userName eq ${JSON.stringify(ch)}`).join(' or '));
    const source = filter.jsSource;
    filter.free();
    // core's folding of each literal, as compiled: the hoisted constants, in order
    const folded = [...source.matchAll(/^const c\d+ = (".*");$/gm)].map((m) => JSON.parse(m[1]));
    assert.equal(folded.length, chars.length);
    // the emitted `fold` itself: the same source returning it instead of the predicate
    const fold = instantiate(`${source.slice(0, source.lastIndexOf('return (r) =>'))}return fold;\n})()`);
    assert.equal(typeof fold, 'function');
    chars.forEach((ch, i) => {
      const cp = ch.codePointAt(0).toString(16);
      if (fold(ch) !== folded[i]) assert.fail(`U+${cp}: emitted fold ${show(fold(ch))}, core ${show(folded[i])}`);
      if (folded[i] !== ch || ch.toUpperCase() !== ch) cased.push(ch);
    });
  }
  // Through whole filters, both ways, for every character with a case mapping.
  assert.ok(cased.length > 1000, `${cased.length} cased characters`);
  for (let at = 0; at < cased.length; at += 16) {
    const chars = cased.slice(at, at + 16);
    const { filter, predicate } = compile(chars.map((ch) => `userName eq ${JSON.stringify(ch)}`).join(' or '));
    for (const ch of chars) {
      for (const r of [{ userName: ch }, { userName: ch.toLowerCase() }, { userName: ch.toUpperCase() }, { userName: `${ch}Σ` }]) {
        const got = predicate(r);
        if (got !== undefined && got !== filter.matchesJson(JSON.stringify(r))) {
          assert.fail(`U+${ch.codePointAt(0).toString(16)} on ${show(r)}: emitted ${got}`);
        }
      }
    }
    filter.free();
  }
});

// ---- seeded random filters over User attributes

const rnd = random(31);
const pick = (list) => list[Math.floor(rnd() * list.length)];
const chance = (p) => rnd() < p;

const ATTRS = {
  string: ['userName', 'title', 'displayName', 'name.familyName', 'emails.value', 'emails.type', 'emails', `${ENTERPRISE}:department`,
    `${ENTERPRISE}:manager.value`, `${X}:tags`, `${X}:items.label`, 'schemas', 'meta.location'],
  exact: ['id', 'externalId', `${X}:code`],
  boolean: ['active', 'emails.primary', `${X}:flag`, `${X}:items.on`],
  integer: [`${X}:count`, `${X}:nums`, `${X}:items.n`],
  decimal: [`${X}:ratio`],
  dateTime: ['meta.lastModified', 'meta.created', `${X}:when`, `${X}:items.at`],
};
const SUBS = {
  emails: { string: ['value', 'type', 'display'], boolean: ['primary'] },
  [`${X}:items`]: { string: ['label', 'value'], boolean: ['on'], integer: ['n'], dateTime: ['at'] },
};
const OPS = {
  string: ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'],
  exact: ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt'],
  boolean: ['eq', 'ne'],
  integer: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  decimal: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  dateTime: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
};
const LITERALS = {
  string: () => JSON.stringify(chance(0.7) ? pick(STRINGS.filter((s) => s.isWellFormed())).slice(0, 1 + Math.floor(rnd() * 6)) : pick(STRINGS.filter((s) => s.isWellFormed()))),
  exact: () => (chance(0.2) ? String(Math.floor(rnd() * 20000)) : JSON.stringify(pick(['ID-123', 'id', 'ABC', 'A', 'EXT-000042', '😀', '\ue000', '']))),
  boolean: () => pick(['true', 'false', '"True"', '"FALSE"']),
  integer: () => pick(['0', '1', '3', '5', '7', '-1', '1.5', '9007199254740993', '1e3']),
  decimal: () => pick(['0', '0.5', '0.1', '1', '-2.25', '1e21', '5']),
  dateTime: () => JSON.stringify(pick(DATES.filter((d) => d.length >= 19 && /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)?$/.test(d)))),
};

function randomComparison(attrs, ops, literals) {
  const type = pick(Object.keys(attrs).filter((t) => attrs[t].length > 0));
  const attr = pick(attrs[type]);
  if (chance(0.15)) return `${attr} pr`;
  if (chance(0.05)) return `${attr} ${pick(['eq', 'ne'])} null`;
  return `${attr} ${pick(ops[type])} ${literals[type]()}`;
}

function randomFilter(depth) {
  const r = rnd();
  if (depth >= 3 || r < 0.4) return randomComparison(ATTRS, OPS, LITERALS);
  if (r < 0.55) return `not (${randomFilter(depth + 1)})`;
  if (r < 0.7) {
    const parent = pick(Object.keys(SUBS));
    return `${parent}[${randomInner(SUBS[parent], 1)}]`;
  }
  const join = chance(0.5) ? ' and ' : ' or ';
  const n = 2 + Math.floor(rnd() * 2);
  return `(${Array.from({ length: n }, () => randomFilter(depth + 1)).join(join)})`;
}

function randomInner(subs, depth) {
  const r = rnd();
  if (depth >= 3 || r < 0.5) return randomComparison(subs, OPS, LITERALS);
  if (r < 0.65) return `not (${randomInner(subs, depth + 1)})`;
  return `(${randomInner(subs, depth + 1)} ${chance(0.5) ? 'and' : 'or'} ${randomInner(subs, depth + 1)})`;
}

/** A generated user with a few values swapped for adversarial ones. */
function randomResource(user) {
  const r = structuredClone(user);
  r[X] = base()[X];
  if (chance(0.5)) r[X].items.push({ label: pick(STRINGS), n: pick([1, 5, 2.5, NaN]), at: pick(DATES), on: pick([true, 'False', null]) });
  const swaps = Math.floor(rnd() * 3);
  for (let i = 0; i < swaps; i++) {
    const slot = pick(SLOTS);
    let at = r;
    for (const key of slot.slice(0, -1)) {
      if (typeof at[key] !== 'object' || at[key] === null) at[key] = Array.isArray(at) ? {} : {};
      at = at[key];
    }
    at[slot[slot.length - 1]] = pick(chance(0.3) ? ODD : chance(0.5) ? STRINGS.filter((s) => s.isWellFormed()) : DATES);
  }
  return r;
}

test('seeded random filters agree with wasm wherever they decide', () => {
  const users = generateUsers(120, 31);
  const resources = users.map(randomResource).filter((r) => {
    try {
      JSON.stringify(r);
      return true;
    } catch {
      return false;
    }
  });
  let filters = 0;
  let decided = 0;
  let pairs = 0;
  while (filters < 300) {
    const text = randomFilter(0);
    try {
      registry.compileFilter(text).free();
    } catch {
      continue;
    }
    filters++;
    pairs += resources.length;
    decided += agree(text, resources);
  }
  assert.ok(decided / pairs > 0.9, `decided ${decided} of ${pairs}`);
});

test('filter() and matches() answer as wasm on arrays mixing decided and undecided resources', () => {
  const users = generateUsers(300, 5);
  const mixed = users.map((u, i) => (i % 37 === 5 ? { ...u, userName: new String(u.userName) } : i % 41 === 7 ? { ...u, title: 'Ｅｎｇ' } : u));
  mixed.splice(100, 0, null, 'text', 7, [], { userName: 'Ａ', title: 'eng' });
  for (const text of ['title co "eng" or userName sw "k"', 'not (title co "ENG")', 'userName pr']) {
    const filter = registry.compileFilter(text);
    const want = mixed.filter((r) => typeof r === 'object' && r !== null && wasmAnswer(filter, r) === true);
    const got = filter.filter(mixed);
    assert.equal(got.length, want.length, text);
    got.forEach((r, i) => assert.equal(r, want[i], `${text}: the same objects, in order`));
    mixed.forEach((r) => assert.equal(filter.matches(r), typeof r === 'object' && r !== null && wasmAnswer(filter, r) === true, `${text} on ${show(r)}`));
    filter.free();
  }
});

test('presence counts own properties only, as JSON.stringify writes them', () => {
  const { filter, predicate } = compile('name pr');
  Object.prototype.polluted = 'x';
  try {
    assert.notEqual(predicate({ name: {} }), true);
    assert.equal(predicate({ name: { givenName: 'a' } }), true);
  } finally {
    delete Object.prototype.polluted;
  }
  assert.equal(predicate({ name: {} }), filter.matchesJson('{"name":{}}'));
});

test('a property Object.prototype holds under a name the filter reads leaves everything to wasm', () => {
  const { filter, predicate } = compile('userName eq "bjensen" or emails[type eq "work"]');
  const resources = [{}, { userName: 'x', emails: [{ value: 'a' }] }, { userName: 'bjensen' }];
  for (const [name, how] of [['userName', 'value'], ['type', 'value'], ['userName', 'getter'], ['emails', 'hidden']]) {
    if (how === 'getter') Object.defineProperty(Object.prototype, name, { get: () => 'bjensen', configurable: true });
    else Object.defineProperty(Object.prototype, name, { value: name === 'emails' ? [{ type: 'work' }] : 'work', configurable: true, writable: true, enumerable: how === 'value' });
    try {
      for (const r of resources) assert.equal(predicate(r), undefined, `Object.prototype.${name} (${how})`);
    } finally {
      delete Object.prototype[name];
    }
  }
  assert.equal(predicate({ userName: 'bjensen' }), true);
  assert.equal(predicate({}), filter.matchesJson('{}'));
  Object.prototype.unrelated = 'x';
  try {
    assert.equal(predicate({ userName: 'BJensen' }), true, 'other names do not matter');
  } finally {
    delete Object.prototype.unrelated;
  }
});
