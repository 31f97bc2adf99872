import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scim } from './lib/pkg.mjs';

const { applyPatch, ScimError } = scim;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const patchOp = (...Operations) => ({ schemas: [PATCH], Operations });
const user = () => ({
  schemas: [USER],
  id: 'u1',
  userName: 'bjensen',
  active: true,
  emails: [{ type: 'work', value: 'b@example.com', primary: true }],
});

test('applyPatch returns a new resource and leaves the input untouched', () => {
  const input = user();
  const snapshot = structuredClone(input);
  const out = applyPatch(input, patchOp({ op: 'replace', path: 'active', value: false }, { op: 'add', path: 'nickName', value: 'Babs' }));
  assert.equal(out.active, false);
  assert.equal(out.nickName, 'Babs');
  assert.deepEqual(input, snapshot);
  assert.notEqual(out, input);
});

test('filtered paths, removal and extension attributes', () => {
  const out = applyPatch(
    user(),
    patchOp(
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' },
      { op: 'add', path: `${ENTERPRISE}:employeeNumber`, value: '701984' },
      { op: 'remove', path: 'active' },
    ),
  );
  assert.equal(out.emails[0].value, 'new@example.com');
  assert.equal(out[ENTERPRISE].employeeNumber, '701984');
  assert.ok(out.schemas.includes(ENTERPRISE), 'extension URN added to schemas');
  assert.equal('active' in out, false);
});

test('the default quirks accept what Entra ID sends', () => {
  const out = applyPatch(
    user(),
    patchOp(
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'Add', value: { 'name.givenName': 'Barbara' } },
      { op: 'Add', path: `${ENTERPRISE}:manager`, value: 'boss-id' },
    ),
  );
  assert.equal(out.active, false);
  assert.equal(out.name.givenName, 'Barbara');
  assert.deepEqual(out[ENTERPRISE].manager, { value: 'boss-id' });
});

test("quirks: 'strict' rejects them, flag objects override the defaults", () => {
  const entra = patchOp({ op: 'Replace', path: 'active', value: false });
  assert.throws(() => applyPatch(user(), entra, { quirks: 'strict' }), (e) => e instanceof ScimError && e.scimType === 'invalidSyntax');
  assert.throws(() => applyPatch(user(), entra, { quirks: { opAnyCase: false } }), ScimError);
  const missing = patchOp({ op: 'replace', path: 'emails[type eq "home"].value', value: 'h@example.com' });
  assert.equal(applyPatch(user(), missing).emails.length, 2, 'createMissingValue is on by default');
  const err = catchError(() => applyPatch(user(), missing, { quirks: { createMissingValue: false } }));
  assert.equal(err.scimType, 'noTarget');
  assert.throws(() => applyPatch(user(), missing, { quirks: 'sloppy' }), (e) => e.path === 'quirks');
});

test('Okta and Entra member removal with a value list on a Group', () => {
  const group = { schemas: [GROUP], id: 'g1', displayName: 'Admins', members: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] };
  const out = applyPatch(group, patchOp({ op: 'remove', path: 'members', value: [{ value: 'b' }] }), { resourceType: 'Group' });
  assert.deepEqual(out.members.map((m) => m.value), ['a', 'c']);
});

test('errors are ScimError with scimType and path, and nothing is applied', () => {
  const input = user();
  const err = catchError(() =>
    applyPatch(input, patchOp({ op: 'replace', path: 'nickName', value: 'ok' }, { op: 'replace', path: 'active', value: 'maybe' })),
  );
  assert.ok(err instanceof ScimError);
  assert.equal(err.status, 400);
  assert.equal(err.scimType, 'invalidValue');
  assert.equal(err.path, 'active');
  assert.equal(input.nickName, undefined);
  assert.equal(catchError(() => applyPatch(input, patchOp({ op: 'replace', path: 'emails[type eq', value: 1 }))).status, 400);
  assert.equal(catchError(() => applyPatch(input, patchOp({ op: 'remove' }))).scimType, 'noTarget');
  assert.equal(catchError(() => applyPatch(input, { Operations: [] })).scimType, 'invalidSyntax');
  assert.equal(catchError(() => applyPatch(input, patchOp({ op: 'replace', path: 'id', value: 'x' }))).scimType, 'mutability');
});

function catchError(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected an error');
}

test('a PatchOp compiled once is reused, per resource type and quirks, and never stale', () => {
  const base = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'a', active: true };
  const entra = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };
  assert.equal(applyPatch(base, entra).active, false, 'default quirks accept Entra ID');
  assert.equal(applyPatch(base, entra).active, false, 'the second run (cached plan) gives the same result');
  assert.throws(() => applyPatch(base, entra, { quirks: 'strict' }), ScimError, 'strict quirks are a different plan');
  entra.Operations[0].value = 'True';
  assert.equal(applyPatch({ ...base, active: false }, entra).active, true, 'an edited PatchOp object is compiled again');
});

test('the new resource shares only the members the PATCH did not change', () => {
  const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'a', name: { givenName: 'A' }, emails: [{ value: 'a@x' }] };
  const out = applyPatch(user, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'name.givenName', value: 'B' }] });
  assert.equal(out.name.givenName, 'B');
  assert.equal(user.name.givenName, 'A', 'input untouched');
  assert.notEqual(out.name, user.name, 'the changed member is a new value');
  assert.equal(out.emails, user.emails, 'an untouched member is shared');
  const removed = applyPatch(user, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: 'emails' }] });
  assert.equal('emails' in removed, false);
  assert.equal(user.emails.length, 1);
});
