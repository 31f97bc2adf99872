import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scim } from './lib/pkg.mjs';

const { SchemaRegistry, ScimError, validate, compileFilter, applyPatch } = scim;
const DEVICE = 'urn:example:params:scim:schemas:Device';
const ACME = 'urn:acme:params:scim:schemas:extension:2.0:User';

const deviceSchema = {
  id: DEVICE,
  name: 'Device',
  attributes: [
    { name: 'serialNumber', type: 'string', required: true },
    { name: 'purchased', type: 'dateTime' },
    { name: 'ports', type: 'integer', multiValued: true },
  ],
};
const deviceType = { id: 'Device', name: 'Device', endpoint: '/Devices', schema: DEVICE };

test('the built-in registry lists the RFC 7643 schemas and the User and Group types', () => {
  const reg = new SchemaRegistry();
  const ids = reg.schemas.map((s) => s.id);
  assert.ok(ids.includes('urn:ietf:params:scim:schemas:core:2.0:User'));
  assert.ok(ids.includes('urn:ietf:params:scim:schemas:core:2.0:Group'));
  assert.ok(ids.includes('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'));
  assert.deepEqual(reg.resourceTypes.map((r) => r.name), ['User', 'Group']);
  assert.equal(reg.schema('URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER').attributes.find((a) => a.name === 'userName').uniqueness, 'server');
  assert.equal(reg.resourceType('users'), undefined);
  assert.equal(reg.resourceType('user').endpoint, '/Users');
  assert.equal(reg.schema('urn:nope'), undefined);
});

test('custom schemas and resource types validate, filter and patch', () => {
  const reg = new SchemaRegistry({ schemas: [deviceSchema], resourceTypes: [deviceType] });
  const opts = { registry: reg, resourceType: 'Device' };
  assert.deepEqual(validate({ schemas: [DEVICE] }, opts).errors.map((e) => e.path), ['serialNumber']);
  const ok = validate({ schemas: [DEVICE], SerialNumber: 'SN1', ports: [80, 443] }, opts);
  assert.equal(ok.valid, true);
  assert.equal(ok.resource.serialNumber, 'SN1');
  assert.equal(compileFilter('ports gt 100 and serialNumber sw "sn"', opts).matches(ok.resource), true);
  assert.equal(reg.validate({ schemas: [DEVICE], serialNumber: 'x' }, { resourceType: 'Device' }).valid, true);
  const patched = applyPatch(ok.resource, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'purchased', value: '2024-01-02T03:04:05Z' }] }, opts);
  assert.equal(patched.purchased, '2024-01-02T03:04:05Z');
  assert.equal(validate({ schemas: [DEVICE], serialNumber: 'x' }, { resourceType: 'User' }).valid, false, 'built-in registry is unchanged');
  assert.throws(() => validate({}, { resourceType: 'Device' }), ScimError, 'Device is unknown to the built-in registry');
});

test('a schema list response and an extension of User load', () => {
  const ext = { id: ACME, name: 'AcmeUser', attributes: [{ name: 'badge', type: 'integer', required: true }] };
  const reg = new SchemaRegistry({ schemas: { Resources: [ext], totalResults: 1 }, extensions: [{ resourceType: 'User', schema: ACME }] });
  const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ACME], userName: 'x', [ACME]: { badge: 'seven' } };
  assert.deepEqual(reg.validate(user).errors.map((e) => e.path), [`${ACME}:badge`]);
  assert.equal(compileFilter(`${ACME}:badge eq 7`, { registry: reg }).matches({ [ACME]: { badge: 7 } }), true);
});

test('builtin: false starts from an empty registry', () => {
  const reg = new SchemaRegistry({ builtin: false, schemas: deviceSchema, resourceTypes: deviceType });
  assert.deepEqual(reg.schemas.map((s) => s.id), [DEVICE]);
  assert.deepEqual(reg.resourceTypes.map((r) => r.name), ['Device']);
});

test('bad definitions throw ScimError with the attribute path, and load nothing', () => {
  const bad = { id: DEVICE, attributes: [{ name: '1st', type: 'string' }] };
  const err = catchError(() => new SchemaRegistry({ schemas: bad }));
  assert.ok(err instanceof ScimError);
  assert.equal(err.scimType, 'invalidValue');
  assert.equal(err.path, `${DEVICE}:1st`);
  assert.throws(() => new SchemaRegistry({ schemas: [deviceSchema, deviceSchema] }), ScimError, 'duplicate id');
  assert.throws(() => new SchemaRegistry({ resourceTypes: deviceType }), ScimError, 'schema not registered');
  assert.throws(() => new SchemaRegistry({ schemas: 'nope' }), ScimError);
  assert.throws(() => new SchemaRegistry({ extensions: [{ resourceType: 'User' }] }), ScimError);
});

function catchError(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected an error');
}
