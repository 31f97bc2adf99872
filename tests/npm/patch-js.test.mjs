// The PATCH emitted as JavaScript (PatchPlan.jsSource) against the wasm engine: wherever the
// emitted function returns a resource, wasm's applyPatch succeeds with a deep-equal one, and
// the input is never changed. Bench documents, Okta/Entra payloads, an adversarial corpus and
// seeded random combinations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { pkgDir, scim } from './lib/pkg.mjs';
import { PATCH_CASES } from '../../wasm-pkg/bench/cases.mjs';
import { generateUsers, random } from '../../wasm-pkg/bench/users.mjs';

const { instantiate } = await import(pathToFileURL(join(pkgDir, 'emitted.js')).href);
const { applyPatchInWasm } = await import(pathToFileURL(join(pkgDir, 'patch.js')).href);
const { patchRuntimeSource } = await import(pathToFileURL(join(pkgDir, 'scim_wasm.js')).href);
const runtime = instantiate(`() => ${patchRuntimeSource()}`)();

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const registry = new scim.SchemaRegistry();
const patchOp = (ops) => ({ schemas: [PATCH], Operations: ops });

function deepFreeze(v) {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze(v[k]);
  }
  return v;
}

/** The emitted function for a PatchOp, or null when core refuses the PatchOp. */
const compiled = new Map();
const registryOf = (options) => options?.registry ?? registry;
function emitted(patch, options) {
  const key = JSON.stringify([patch, options?.resourceType ?? null, options?.quirks ?? null, options?.registry ? 'custom' : 'builtin']);
  if (!compiled.has(key)) {
    let fn = null;
    let source = null;
    let body = null;
    try {
      const plan = registryOf(options).compilePatch(patch, options);
      source = plan.jsSource;
      body = plan.jsBody;
      plan.free();
      fn = instantiate(source);
      assert.equal(typeof fn, 'function', 'the emitted source instantiates');
      body = instantiate(body)(runtime);
      assert.equal(typeof body, 'function', 'the emitted body instantiates on the shared runtime');
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
    }
    compiled.set(key, { fn, source, body });
  }
  return compiled.get(key);
}

/** Runs the emitted PATCH and wasm on `resource`; returns whether the emitted one decided. */
function check(resource, patch, options, what = '') {
  const { fn, body } = emitted(patch, options);
  if (fn === null) return false;
  const input = structuredClone(resource);
  const snapshot = structuredClone(resource);
  const got = fn(input);
  assert.deepStrictEqual(body(structuredClone(resource)), got, `the body on the shared runtime agrees ${what}`);
  assert.deepStrictEqual(input, snapshot, `input unchanged ${what}`);
  const frozen = fn(deepFreeze(structuredClone(resource)));
  assert.equal(frozen === undefined, got === undefined, `same decision on a frozen input ${what}`);
  if (got === undefined) return false;
  let want;
  try {
    want = applyPatchInWasm.call(registryOf(options), structuredClone(resource), patch, options);
  } catch (e) {
    assert.fail(`emitted decided but wasm throws ${e.scimType ?? ''} ${e.message} ${what}\n${JSON.stringify(resource)}\n${JSON.stringify(patch)}`);
  }
  assert.deepStrictEqual(got, want, `emitted equals wasm ${what}\n${JSON.stringify(resource)}\n${JSON.stringify(patch)}`);
  assert.deepStrictEqual(frozen, want, `frozen input gives the same ${what}`);
  assert.deepStrictEqual(scim.applyPatch(structuredClone(resource), patch, options), want, `applyPatch agrees ${what}`);
  return true;
}

/** Whether a PatchOp's emitted source still has the stub value filter. */
const filterStub = (patch) => (emitted(patch).source ?? '').includes('= ((() => undefined));');

const users = generateUsers(300);

test('bench PATCH documents on generated users: decided ones equal wasm', () => {
  for (const c of PATCH_CASES) {
    const patch = patchOp(c.ops);
    let decided = 0;
    for (const u of users) if (check(u, patch, undefined, c.name)) decided++;
    const stub = filterStub(patch);
    if (!stub) assert.ok(decided >= users.length * 0.99, `${c.name}: decided ${decided}/${users.length}`);
  }
});

test('path-less, sub-attribute, URN and add cases decide on every generated user', () => {
  for (const c of PATCH_CASES) {
    const patch = patchOp(c.ops);
    if (filterStub(patch)) continue;
    let decided = 0;
    for (const u of users.slice(0, 50)) if (check(u, patch)) decided++;
    assert.equal(decided, 50, c.name);
  }
});

const entraUser = () => ({
  schemas: [USER, ENTERPRISE],
  id: '5171a35d82074e068ce2',
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com',
  active: true,
  displayName: 'Test User',
  emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@testuser.com' }],
  name: { familyName: 'familyName', givenName: 'givenName', formatted: 'givenName familyName' },
  [ENTERPRISE]: { employeeNumber: '1', department: 'Sales' },
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', version: 'W/"1"' },
});
const group = (...members) => ({
  schemas: [GROUP],
  id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b',
  displayName: 'Test SCIMv2',
  members: members.map((value) => ({ value, display: `${value}@example.com` })),
  meta: { resourceType: 'Group', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', version: 'W/"1"' },
});
const G = { resourceType: 'Group' };

const CLIENT_CASES = [
  [{ op: 'replace', path: 'active', value: false }],
  [{ op: 'Replace', path: 'active', value: 'False' }],
  [{ op: 'replace', value: { active: true } }],
  [{ op: 'Replace', value: { active: 'True' } }],
  [{ op: 'Replace', path: 'userName', value: 'new@testuser.com' }],
  [{ op: 'replace', path: 'name', value: { givenName: 'Jane', familyName: 'Doe' } }],
  [{ op: 'replace', path: 'emails', value: [{ value: 'a@b.c', type: 'work', primary: true }] }],
  [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' }],
  [{ op: 'Add', path: 'emails[type eq "work"].value', value: 'someone@contoso.com' }],
  [{ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 425 555 0100' }],
  [
    { op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Microsoft Way' },
    { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
  ],
  [{ op: 'Add', path: 'name.givenName', value: 'Jane' }],
  [{ op: 'Add', path: 'nickName', value: 'Babs' }],
  [{ op: 'replace', value: { displayName: 'Pvlo', 'name.givenName': 'Gtfd', externalId: 'Eqpj', [`${ENTERPRISE}:employeeNumber`]: 'Wfgh' } }],
  [{ op: 'Add', value: { [`${ENTERPRISE}:manager`]: 'boss-id', [`${ENTERPRISE}:costCenter`]: 'CC1' } }],
  [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: 'boss-id' }],
  [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: 'boss-2' } }],
  [{ op: 'Remove', path: `${ENTERPRISE}:manager` }],
  [{ op: 'Remove', path: `${ENTERPRISE}:department` }],
  [{ op: 'Remove', path: ENTERPRISE }],
  [{ op: 'Add', path: 'roles', value: [{ primary: 'True', type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }] }],
  [{ op: 'remove', path: 'emails[type eq "work"]' }],
  [{ op: 'add', path: 'emails', value: [{ value: 'other@x', type: 'home', primary: true }] }],
  [{ op: 'add', path: 'emails', value: [{ value: 'TEST_USER_FD0EA19B@testuser.com', type: 'home' }] }],
  [{ op: 'add', path: 'emails', value: [{ value: 'TEST_USER_FD0EA19B@testuser.com', type: 'WORK', display: 'd' }] }],
  [{ op: 'remove', path: 'title' }],
  [{ op: 'replace', path: 'meta.lastModified', value: '2025-01-01T00:00:00Z' }],
  [{ op: 'replace', path: 'id', value: '5171a35d82074e068ce2' }],
  [{ op: 'replace', path: 'userName', value: '' }],
  [{ op: 'remove', path: 'userName' }],
];

const GROUP_CASES = [
  [{ op: 'Replace', path: 'displayName', value: 'renamed' }],
  [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }],
  [{ op: 'Add', path: 'members', value: [{ value: 'm1' }, { value: 'm9' }] }],
  [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'm1' }] }],
  [{ op: 'Remove', path: 'members', value: [{ value: 'not-there' }] }],
  [{ op: 'remove', path: 'members[value eq "m1"]' }],
  [{ op: 'remove', path: 'members' }],
  [{ op: 'replace', path: 'members', value: [{ value: 'm3' }] }],
  [{ op: 'replace', value: { id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b', displayName: 'Okta rename' } }],
];

test('Okta and Entra payloads: decided ones equal wasm, the common ones decide', () => {
  let decided = 0;
  for (const ops of CLIENT_CASES) {
    for (const u of [entraUser(), users[0], users[1], { schemas: [USER], userName: 'bare' }]) {
      if (check(u, patchOp(ops), undefined, JSON.stringify(ops))) decided++;
    }
  }
  const groups = [group('m1'), group('m1', 'm2'), group(), { schemas: [GROUP], displayName: 'empty' }];
  for (const ops of GROUP_CASES) for (const g of groups) if (check(g, patchOp(ops), G, JSON.stringify(ops))) decided++;
  assert.ok(decided > 60, `decided ${decided}`);
  for (const ops of [CLIENT_CASES[0], CLIENT_CASES[4], CLIENT_CASES[5], CLIENT_CASES[7], CLIENT_CASES[15], CLIENT_CASES[17], ...CLIENT_CASES.slice(22, 25)]) {
    assert.ok(check(entraUser(), patchOp(ops)), `decides ${JSON.stringify(ops)}`);
  }
  for (const ops of [GROUP_CASES[1], GROUP_CASES[3]]) assert.ok(check(group('m1', 'm2'), patchOp(ops), G), `decides ${JSON.stringify(ops)}`);
});

test('adversarial resources and options never give an answer wasm does not give', () => {
  const base = entraUser();
  const resources = [
    {},
    { schemas: USER },
    { schemas: [USER], emails: 'not-an-array' },
    { schemas: [USER], emails: [null, 'x', 3, {}] },
    { schemas: [USER], emails: [{ value: 'a@x', primary: true }, { value: 'b@x', primary: true }] },
    { schemas: [USER], emails: [{ value: 'ÄÖÜ@EXAMPLE.COM', type: 'WORK' }, { value: 'σς@x', type: 'Σ' }] },
    { schemas: [USER], emails: [{ value: 'K@x', type: 'work' }, { value: '\u{1F600}@x', type: 'home' }] },
    { schemas: [USER], name: 'a string', title: 7, active: 'yes' },
    { schemas: [USER], name: null, [ENTERPRISE]: null },
    { schemas: [USER], [ENTERPRISE]: [] },
    { schemas: [USER], [ENTERPRISE]: {} },
    { schemas: [USER, ENTERPRISE], [ENTERPRISE]: { employeeNumber: '5' } },
    { [ENTERPRISE]: { department: 'x' } },
    { ...base, title: 1.5, nickName: 2 ** 60 },
    { ...base, emails: [{ value: 'Müller@Example.com', type: 'work', display: 'ΣΑΣ' }] },
    { ...base, phoneNumbers: [{ value: '1', type: 'mobile' }, { value: '2', type: 'Mobile' }, { value: '3' }] },
    { ...base, x509Certificates: [{ value: 'YWJj' }] },
  ];
  const ops = [
    ...CLIENT_CASES,
    [{ op: 'add', path: 'emails', value: { value: 'k@x', type: 'work' } }],
    [{ op: 'add', path: 'emails', value: [{ value: 'ä@x', type: 'work', primary: true }, { value: 'ä@X', primary: true }] }],
    [{ op: 'add', path: 'emails', value: [{ value: 'x@y', display: 'Σίσυφος' }] }],
    [{ op: 'add', path: 'emails[type eq "work"]', value: { display: 'W', primary: true } }],
    [{ op: 'replace', path: 'emails[type eq "wörk"]', value: { value: 'n@x', type: 'home' } }],
    [{ op: 'replace', path: 'emails[type eq "work"]', value: null }],
    [{ op: 'replace', path: 'emails.primary', value: true }],
    [{ op: 'replace', path: 'emails.type', value: null }],
    [{ op: 'remove', path: 'emails.display' }],
    [{ op: 'remove', path: 'emails[value sw "z"]' }],
    [{ op: 'remove', path: 'phoneNumbers[type eq "mobile"].value' }],
    [{ op: 'remove', path: 'emails', value: [{ value: 'K@X' }] }],
    [{ op: 'replace', path: 'name.givenName', value: null }],
    [{ op: 'replace', path: 'name', value: null }],
    [{ op: 'add', path: 'nickName', value: null }],
    [{ op: 'replace', path: 'x509Certificates', value: [{ value: 'YWJj' }] }],
    [{ op: 'replace', path: `${ENTERPRISE}:employeeNumber`, value: null }],
    [{ op: 'add', path: `${ENTERPRISE}:manager.displayName`, value: 'Boss' }],
    [{ op: 'add', path: `${ENTERPRISE}`, value: { department: 'R&D' } }],
    [{ op: 'replace', path: 'groups', value: [{ value: 'g' }] }],
    [{ op: 'replace', path: 'meta', value: { created: '2020-01-01T00:00:00Z' } }],
    [{ op: 'add', path: 'schemas', value: [ENTERPRISE.toUpperCase()] }],
    [{ op: 'replace', path: 'schemas', value: [USER] }],
    [{ op: 'replace', path: 'schemas', value: 'urn:ietf:params:scim:schemas:core:2.0:user' }],
    [{ op: 'replace', path: 'schemas', value: [ENTERPRISE] }],
    [{ op: 'add', path: 'schemas', value: ['urn:example:unknown'] }],
    [{ op: 'remove', path: 'schemas' }],
    [{ op: 'remove', path: `${ENTERPRISE}:department` }, { op: 'add', path: 'schemas', value: [ENTERPRISE] }],
  ];
  const optionSets = [undefined, { quirks: 'strict' }, { quirks: 'lenient' }, { quirks: { createMissingValue: false } }];
  let decided = 0;
  let runs = 0;
  for (const options of optionSets) {
    for (const o of ops) {
      for (const r of resources) {
        runs++;
        if (check(r, patchOp(o), options, JSON.stringify(o))) decided++;
      }
    }
  }
  assert.ok(decided > runs / 5, `decided ${decided}/${runs}`);
});

test('values JSON would change or cannot carry are left to wasm', () => {
  const { fn } = emitted(patchOp([{ op: 'replace', path: 'name.givenName', value: 'X' }]));
  const odd = [
    { schemas: [USER], name: { givenName: 'a', familyName: undefined } },
    { schemas: [USER], name: { givenName: 'a', when: new Date(0) } },
    { schemas: [USER], name: { givenName: 'a', n: NaN } },
    { schemas: [USER], name: { givenName: 'a', n: -0 } },
    { schemas: [USER], name: { givenName: '\ud800' } },
    { schemas: [USER], name: Object.assign(Object.create(null), { givenName: 'a' }) },
    { schemas: [USER], name: { givenName: 'a', [Symbol('s')]: 1 } },
    { schemas: [USER], name: { givenName: 'a', big: 1n } },
    { schemas: [USER, new Date(0)], name: { givenName: 'a' } },
    Object.assign(Object.create({ inherited: 1 }), { schemas: [USER] }),
  ];
  for (const r of odd) assert.equal(fn(r), undefined);
  Object.prototype.polluted = 1;
  try {
    assert.equal(fn({ schemas: [USER], name: { givenName: 'a' } }), undefined, 'Object.prototype polluted');
  } finally {
    delete Object.prototype.polluted;
  }
  assert.ok(fn({ schemas: [USER], name: { givenName: 'a', n: 0 } }) !== undefined);
});

test('case folding agrees with core for every code point the runtime folds', () => {
  // `add emails` compares each new value with the stored ones (caseExact=false): the result says
  // which ones core found equal, for a chunk of code points at a time.
  const ranges = [
    [0x0, 0x52f],
    [0x1e00, 0x1fff],
    [0x2100, 0x218f],
    [0x24b6, 0x24e9],
    [0x3000, 0x9fff],
    [0xac00, 0xd7a3],
  ];
  const points = [];
  for (const [a, b] of ranges) for (let c = a; c <= b; c++) points.push(c);
  const CHUNK = 40;
  let decided = 0;
  let chunks = 0;
  for (let i = 0; i < points.length; i += CHUNK, chunks++) {
    const chunk = points.slice(i, i + CHUNK).map((c) => String.fromCodePoint(c));
    const sigma = chunks % 8 === 0 ? 'Σ' : '';
    const stored = chunk.map((ch, j) => ({ value: `${j % 2 ? ch.toUpperCase() : ch.toLowerCase()}${sigma}` }));
    const added = chunk.map((ch) => ({ value: `${ch}${sigma.toLowerCase()}` }));
    const resource = { schemas: [USER], emails: stored };
    const patch = patchOp([{ op: 'add', path: 'emails', value: added }]);
    const plan = registry.compilePatch(patch);
    const got = instantiate(plan.jsSource)(resource);
    plan.free();
    if (got === undefined) continue;
    decided++;
    const want = applyPatchInWasm.call(registry, resource, patch);
    assert.deepStrictEqual(got, want, `code points from ${chunk[0].codePointAt(0).toString(16)}`);
  }
  assert.ok(decided >= chunks * 0.9, `decided ${decided} of ${chunks} chunks`);
});

test('seeded random PATCH combinations', () => {
  const rnd = random(4242);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const paths = [
    ['emails', () => [{ value: pick(['a@x', 'A@X', 'b@x', 'Ü@x']), type: pick(['work', 'home', 'Work']), primary: pick([true, false, undefined]) }]],
    ['emails[type eq "work"].value', () => pick(['w@x', 'W@X', null])],
    ['emails[type eq "home"]', () => ({ value: pick(['h@x', 'H@x']), primary: pick([true, false]) })],
    ['emails.primary', () => pick([true, false, 'True'])],
    ['phoneNumbers[type eq "mobile"]', () => ({ value: '+1' })],
    ['name.givenName', () => pick(['G', 'g', null])],
    ['name', () => ({ familyName: pick(['F', null]), givenName: 'X' })],
    ['title', () => pick(['T', null, 'Engineer'])],
    ['active', () => pick([true, false, 'False'])],
    ['displayName', () => pick(['D', ''])],
    ['userName', () => pick(['u@x', ' '])],
    [`${ENTERPRISE}:department`, () => pick(['Sales', null])],
    [`${ENTERPRISE}:manager`, () => pick(['m1', { value: 'm2' }, null])],
    ['roles', () => [{ value: pick(['r1', 'r2']), primary: pick([true, 'True']) }]],
    ['schemas', () => pick([[USER], [ENTERPRISE], [USER, ENTERPRISE.toLowerCase()]])],
    ['phoneNumbers', () => [{ value: pick(['+1 555 0001', '+1 555 9001']), type: pick(['work', 'mobile']) }]],
    ['addresses[type eq "work"].locality', () => pick(['Oslo', 'Ørsta', null])],
  ];
  let decided = 0;
  const runs = 400;
  for (let n = 0; n < runs; n++) {
    const ops = [];
    const count = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < count; k++) {
      const [path, value] = pick(paths);
      const op = pick(['add', 'replace', 'remove', 'Replace']);
      const v = JSON.parse(JSON.stringify({ v: value() })).v;
      if (op === 'remove' && rnd() < 0.3 && !path.includes('[')) ops.push({ op, path, value: v });
      else if (op === 'remove') ops.push({ op, path });
      else if (rnd() < 0.2 && !path.includes('[')) ops.push({ op, value: { [path]: v } });
      else ops.push({ op, path, value: v });
    }
    const u = structuredClone(pick(users));
    if (rnd() < 0.3) delete u.emails;
    if (rnd() < 0.3) delete u[ENTERPRISE];
    if (rnd() < 0.2) u.emails?.push({ value: 'extra@x', type: 'Work', primary: true });
    if (check(u, patchOp(ops), pick([undefined, { quirks: 'strict' }, { quirks: 'lenient' }]), JSON.stringify(ops))) decided++;
  }
  assert.ok(decided > runs / 4, `decided ${decided}/${runs}`);
  let groupsDecided = 0;
  for (let n = 0; n < 150; n++) {
    const ids = ['m1', 'm2', 'M1', 'm3'];
    const ops = [];
    for (let k = 1 + Math.floor(rnd() * 2); k > 0; k--) {
      switch (Math.floor(rnd() * 5)) {
        case 0:
          ops.push({ op: pick(['add', 'Add']), path: 'members', value: [{ value: pick(ids), display: pick(['d', undefined]) }] });
          break;
        case 1:
          ops.push({ op: 'remove', path: 'members', value: [{ value: pick(ids) }] });
          break;
        case 2:
          ops.push({ op: 'remove', path: `members[value eq "${pick(ids)}"]` });
          break;
        case 3:
          ops.push({ op: 'replace', path: 'displayName', value: pick(['G2', '']) });
          break;
        default:
          ops.push({ op: 'replace', value: { displayName: 'G3', members: [{ value: pick(ids) }] } });
      }
    }
    const g = group(...ids.slice(0, Math.floor(rnd() * 4)));
    const patch = JSON.parse(JSON.stringify(patchOp(ops)));
    if (check(g, patch, { ...G, quirks: pick([undefined, 'strict', 'lenient']) }, JSON.stringify(ops))) groupsDecided++;
  }
  assert.ok(groupsDecided > 50, `groups decided ${groupsDecided}/150`);
});

test('custom schema: required and immutable sub-attributes, required attributes and extensions', () => {
  const DEVICE = 'urn:example:params:scim:schemas:Device';
  const EXT = 'urn:example:params:scim:schemas:extension:Tag';
  const custom = new scim.SchemaRegistry({
    schemas: [
      {
        id: DEVICE,
        name: 'Device',
        attributes: [
          { name: 'serial', type: 'string', required: true },
          { name: 'owner', type: 'complex', subAttributes: [{ name: 'value', type: 'string', required: true }, { name: 'kind', type: 'string', mutability: 'immutable' }] },
          { name: 'ports', type: 'complex', multiValued: true, required: true, subAttributes: [{ name: 'value', type: 'integer', required: true }, { name: 'type', type: 'string' }, { name: 'label', type: 'string', mutability: 'immutable' }, { name: 'primary', type: 'boolean' }] },
          { name: 'model', type: 'string', mutability: 'immutable' },
          { name: 'tags', type: 'string', multiValued: true, caseExact: true },
        ],
      },
      { id: EXT, name: 'Tag', attributes: [{ name: 'code', type: 'string', required: true }, { name: 'note', type: 'string' }] },
    ],
    resourceTypes: [{ id: 'Device', name: 'Device', endpoint: '/Devices', schema: DEVICE, schemaExtensions: [{ schema: EXT, required: false }] }],
  });
  const options = { registry: custom, resourceType: 'Device' };
  const devices = [
    { schemas: [DEVICE], serial: 's1', ports: [{ value: 1, label: 'a' }, { value: 2, type: 'x', primary: true }] },
    { schemas: [DEVICE], serial: 's2', owner: { value: 'o', kind: 'k' }, model: 'M', ports: [{ value: 3 }], tags: ['A', 'a'], [EXT]: { code: 'c' } },
    { schemas: [DEVICE, EXT], serial: 's3', ports: [{ value: 3, type: 'x' }], [EXT]: { code: 'c', note: 'n' } },
    { schemas: [DEVICE], serial: 's4', ports: [{ type: 'x' }] },
  ];
  const ops = [
    [{ op: 'remove', path: 'ports' }],
    [{ op: 'remove', path: 'ports[value eq 3]' }],
    [{ op: 'remove', path: 'ports[value eq 1].value' }],
    [{ op: 'replace', path: 'ports[value eq 1]', value: { value: 1, label: 'b' } }],
    [{ op: 'replace', path: 'ports[value eq 1]', value: { value: 5, label: 'a' } }],
    [{ op: 'replace', path: 'ports[value eq 2]', value: { value: 2 } }],
    [{ op: 'add', path: 'ports', value: [{ value: 1, label: 'z' }, { value: 9, primary: true }] }],
    [{ op: 'add', path: 'ports[type eq "y"]', value: { value: 7 } }],
    [{ op: 'add', path: 'ports[type eq "y"].label', value: 'L' }],
    [{ op: 'replace', path: 'ports.primary', value: true }],
    [{ op: 'replace', path: 'ports.label', value: 'L' }],
    [{ op: 'remove', path: 'ports.type' }],
    [{ op: 'replace', path: 'owner', value: { value: 'p', kind: 'k2' } }],
    [{ op: 'replace', path: 'owner.kind', value: 'k' }],
    [{ op: 'add', path: 'owner.kind', value: 'k3' }],
    [{ op: 'remove', path: 'owner.value' }],
    [{ op: 'remove', path: 'owner.kind' }],
    [{ op: 'add', path: 'owner', value: { kind: 'only' } }],
    [{ op: 'replace', path: 'model', value: 'M' }],
    [{ op: 'replace', path: 'model', value: 'N' }],
    [{ op: 'remove', path: 'model' }],
    [{ op: 'remove', path: 'serial' }],
    [{ op: 'add', path: 'tags', value: ['a', 'B'] }],
    [{ op: 'remove', path: 'tags', value: ['a'] }],
    [{ op: 'add', path: `${EXT}:note`, value: 'x' }],
    [{ op: 'remove', path: `${EXT}:code` }],
    [{ op: 'replace', path: `${EXT}:code`, value: 'd' }],
    [{ op: 'remove', path: EXT }],
  ];
  let decided = 0;
  for (const o of ops) for (const d of devices) if (check(d, patchOp(o), options, JSON.stringify(o))) decided++;
  assert.ok(decided > 40, `decided ${decided}`);
});
