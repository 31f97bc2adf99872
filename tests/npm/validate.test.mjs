import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scim } from './lib/pkg.mjs';

const { validate, ScimError } = scim;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const paths = (result) => result.errors.map((e) => e.path).sort();

test('a valid User is valid and comes back normalised', () => {
  const input = { schemas: [USER], USERNAME: 'bjensen', name: { GivenName: 'Barbara' }, id: 'client-set' };
  const result = validate(input);
  assert.equal(result.valid, true);
  assert.deepEqual(result.errors, []);
  assert.equal(result.resource.userName, 'bjensen', 'canonical attribute case');
  assert.equal(result.resource.name.givenName, 'Barbara');
  assert.equal(result.resource.id, undefined, 'readOnly id is dropped');
  assert.equal(input.USERNAME, 'bjensen', 'input untouched');
});

test('every violation is listed with its path, scimType and detail', () => {
  const result = validate({
    schemas: [USER],
    active: 'yes',
    emails: [{ value: 'a@example.com' }, { value: 42 }],
  });
  assert.equal(result.valid, false);
  assert.equal(result.resource, undefined);
  assert.deepEqual(paths(result), ['active', 'emails[1].value', 'userName']);
  for (const e of result.errors) {
    assert.equal(e.scimType, 'invalidValue');
    assert.equal(e.status, 400);
    assert.equal(typeof e.detail, 'string');
    assert.ok(e.detail.length > 0);
  }
});

test('EnterpriseUser attributes are validated under their URN', () => {
  const ok = validate({ schemas: [USER, ENTERPRISE], userName: 'x', [ENTERPRISE]: { employeeNumber: '7', manager: { value: '42' } } });
  assert.equal(ok.valid, true);
  assert.equal(ok.resource[ENTERPRISE].employeeNumber, '7');
  const bad = validate({ schemas: [USER, ENTERPRISE], userName: 'x', [ENTERPRISE]: { employeeNumber: 7 } });
  assert.deepEqual(paths(bad), [`${ENTERPRISE}:employeeNumber`]);
});

test('Group resources validate with resourceType Group', () => {
  assert.equal(validate({ schemas: [GROUP], displayName: 'Admins', members: [{ value: '1' }] }, { resourceType: 'Group' }).valid, true);
  assert.deepEqual(paths(validate({ schemas: [GROUP], members: [{ value: 1 }] }, { resourceType: 'Group' })), ['members[0].value']);
});

test('lenient mode accepts client quirks that strict mode rejects', () => {
  const sloppy = { schemas: [USER], userName: 'x', active: 'True', nickname2: 'y' };
  assert.equal(validate(sloppy).valid, false);
  const lenient = validate(sloppy, { lenient: true });
  assert.equal(lenient.valid, true);
  assert.equal(lenient.resource.active, true);
});

test('replace mode checks immutable attributes against the existing resource', () => {
  const existing = { schemas: [GROUP], id: 'g1', displayName: 'Admins', members: [{ value: '1' }] };
  const result = validate({ schemas: [GROUP], displayName: 'Admins 2' }, { resourceType: 'Group', mode: 'replace', existing });
  assert.equal(result.valid, true);
  assert.throws(() => validate({}, { mode: 'replace' }), (e) => e instanceof ScimError && e.path === 'existing');
  assert.throws(() => validate({}, { mode: 'upsert' }), (e) => e instanceof ScimError && e.path === 'mode');
});

test('a body that is not an object is one invalidSyntax violation without a path', () => {
  for (const body of [[], 'x', 42, null, undefined, 10n]) {
    const result = validate(body);
    assert.equal(result.valid, false);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0].scimType, 'invalidSyntax');
    assert.equal(result.errors[0].path, undefined);
  }
});

test('bad options throw ScimError', () => {
  assert.throws(() => validate({}, { resourceType: 'Nope' }), ScimError);
  assert.throws(() => validate({}, { lenient: 'yes' }), ScimError);
  assert.throws(() => validate({}, 'User'), ScimError);
});
