// Provisioning flows over HTTP as Okta and Microsoft Entra ID run them, with their request
// shapes (the payloads of tests/tests/okta.rs and entra.rs), ETag conditional requests
// (304/412), and HTTP Basic authentication as Okta can be configured to use.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertScimError, startWorker } from './harness.mjs';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

let w;
const scim = (path, options = {}) => w.request(`/scim/v2${path}`, { token: w.scimToken, ...options });
const q = (filter) => encodeURIComponent(filter);
const patchOp = (Operations) => ({ schemas: [PATCH], Operations });
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

before(async () => {
  w = await startWorker();
});
after(() => w?.stop());

const oktaUser = (userName = 'test.user@okta.local') => ({
  schemas: [USER],
  userName,
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: userName, type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
});

test('Okta: import, lookup by userName, create, read, PUT update, deactivate by PUT and by PATCH', async () => {
  // Connection test and import: Okta pages with startIndex/count.
  const probe = await scim('/Users?startIndex=1&count=1');
  assert.equal(probe.status, 200, probe.text);
  assert.deepEqual(probe.body.schemas, [LIST]);
  const lookup = `/Users?filter=${q('userName eq "test.user@okta.local"')}&startIndex=1&count=100`;
  const none = await scim(lookup);
  assert.equal(none.status, 200);
  assert.equal(none.body.totalResults, 0);
  assert.deepEqual(none.body.Resources, []);

  // Okta's headers: SCIM media type with a charset, its own User-Agent.
  const created = await scim('/Users', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/scim+json; charset=utf-8',
      Accept: 'application/scim+json',
      'User-Agent': 'Okta SCIM Client 1.0.0',
    },
    body: JSON.stringify(oktaUser()),
  });
  assert.equal(created.status, 201, created.text);
  assert.match(created.headers.get('content-type'), /^application\/scim\+json/);
  const id = created.body.id;
  assert.equal(created.headers.get('location'), `${w.scim}/Users/${id}`);
  assert.equal(created.body.active, true);
  assert.equal(created.body.externalId, '00ujl29u0le5T6Aj10h7');
  assert.equal(created.body.password, undefined, 'password is never returned');

  const read = await scim(`/Users/${id}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.name.familyName, 'User');
  const found = await scim(lookup);
  assert.equal(found.body.totalResults, 1);
  assert.equal(found.body.Resources[0].id, id);

  const dup = await scim('/Users', { method: 'POST', body: oktaUser() });
  assertScimError(assert, dup, 409);
  assert.equal(dup.body.scimType, 'uniqueness');

  // Profile push: the whole user, with its id, by PUT.
  const put = await scim(`/Users/${id}`, {
    method: 'PUT',
    body: { ...oktaUser(), id, name: { givenName: 'Another', familyName: 'User' }, displayName: 'Another User' },
  });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.name.givenName, 'Another');
  assert.equal(put.body.meta.version, 'W/"2"');

  // Deactivation as a PUT with active false (Okta's PUT mode).
  const off = await scim(`/Users/${id}`, { method: 'PUT', body: { ...oktaUser(), id, active: false } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.body.active, false);
  assert.equal(off.body.name.givenName, 'Test');

  // Reactivate, then deactivate the PATCH way: path-less replace with a value object.
  const on = await scim(`/Users/${id}`, {
    method: 'PATCH', body: patchOp([{ op: 'replace', path: 'active', value: true }]),
  });
  assert.equal(on.body.active, true);
  const deactivated = await scim(`/Users/${id}`, {
    method: 'PATCH', body: patchOp([{ op: 'replace', value: { active: false } }]),
  });
  assert.equal(deactivated.status, 200, deactivated.text);
  assert.equal(deactivated.body.active, false);

  // Inactive users are still found by reads and filters.
  assert.equal((await scim(`/Users/${id}`)).body.active, false);
  assert.equal((await scim(lookup)).body.totalResults, 1);
  const inactive = await scim(`/Users?filter=${q('active eq false')}`);
  assert.ok(inactive.body.Resources.some((u) => u.id === id));

  assertScimError(assert, await scim('/Users/010101'), 404);
});

test('Okta: group push with PATCH add/remove members, rename, PUT, delete', async () => {
  const alice = (await scim('/Users', { method: 'POST', body: oktaUser('alice@okta.local') })).body.id;
  const bob = (await scim('/Users', { method: 'POST', body: oktaUser('bob@okta.local') })).body.id;
  const carol = (await scim('/Users', { method: 'POST', body: oktaUser('carol@okta.local') })).body.id;
  assert.ok(alice && bob && carol);

  const g = await scim('/Groups', { method: 'POST', body: { schemas: [GROUP], displayName: 'Test SCIMv2', members: [] } });
  assert.equal(g.status, 201, g.text);
  const gpath = `/Groups/${g.body.id}`;
  const byName = await scim(`/Groups?filter=${q('displayName eq "Test SCIMv2"')}&startIndex=1&count=100`);
  assert.equal(byName.body.totalResults, 1);

  const add = await scim(gpath, {
    method: 'PATCH',
    body: patchOp([{ op: 'add', path: 'members', value: [
      { value: alice, display: 'alice@okta.local' },
      { value: bob, display: 'bob@okta.local' },
    ] }]),
  });
  assert.equal(add.status, 200, add.text);
  assert.deepEqual(add.body.members.map((m) => m.value).sort(), [alice, bob].sort());
  const member = add.body.members.find((m) => m.value === alice);
  assert.equal(member.type, 'User');
  assert.equal(member.$ref, `${w.scim}/Users/${alice}`);
  const aliceRead = await scim(`/Users/${alice}`);
  assert.deepEqual(aliceRead.body.groups.map((x) => [x.value, x.display]), [[g.body.id, 'Test SCIMv2']]);

  const remove = await scim(gpath, {
    method: 'PATCH', body: patchOp([{ op: 'remove', path: `members[value eq "${alice}"]` }]),
  });
  assert.equal(remove.status, 200, remove.text);
  assert.deepEqual(remove.body.members.map((m) => m.value), [bob]);
  assert.equal((await scim(`/Users/${alice}`)).body.groups, undefined);

  // Rename: Okta's path-less replace carries the id too.
  const rename = await scim(gpath, {
    method: 'PATCH', body: patchOp([{ op: 'replace', value: { id: g.body.id, displayName: 'Renamed' } }]),
  });
  assert.equal(rename.status, 200, rename.text);
  assert.equal((await scim(`/Users/${bob}`)).body.groups[0].display, 'Renamed');

  // Full push by PUT: the member list is replaced.
  const put = await scim(gpath, {
    method: 'PUT',
    body: { schemas: [GROUP], id: g.body.id, displayName: 'Renamed', members: [{ value: carol }, { value: alice }] },
  });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.body.members.map((m) => m.value).sort(), [alice, carol].sort());
  assert.equal((await scim(`/Users/${bob}`)).body.groups, undefined);
  assert.equal((await scim(`/Users/${carol}`)).body.groups[0].value, g.body.id);

  assert.equal((await scim(gpath, { method: 'DELETE' })).status, 204);
  assertScimError(assert, await scim(gpath), 404);
  assert.equal((await scim(`/Users/${carol}`)).body.groups, undefined);
});

const entraUser = (userName, externalId) => ({
  schemas: [USER, ENTERPRISE],
  externalId,
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: `${userName}@testuser.com` }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
});

test('Entra ID: match, create, capitalised PATCH ops, filtered paths, "False", manager, delete', async () => {
  const name = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1';
  const external = '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef';
  const byName = `/Users?filter=${q(`userName eq "${name}"`)}`;
  const byExternal = `/Users?filter=${q(`externalId eq "${external}"`)}`;
  const none = await scim(byName);
  assert.equal(none.status, 200);
  assert.equal(none.body.totalResults, 0);
  assert.deepEqual(none.body.Resources, []);
  assert.equal((await scim(byExternal)).body.totalResults, 0);

  const created = await scim('/Users', { method: 'POST', body: entraUser(name, external) });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id;
  const path = `/Users/${id}`;
  assert.equal(created.body.meta.resourceType, 'User');
  assert.equal((await scim(byExternal)).body.Resources[0].id, id);
  const upper = await scim(`/Users?filter=${q(`userName eq "${name.toUpperCase()}"`)}`);
  assert.equal(upper.body.totalResults, 1);
  assertScimError(assert, await scim('/Users', { method: 'POST', body: entraUser(name, 'other') }), 409);

  const update = await scim(path, {
    method: 'PATCH',
    body: patchOp([
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
      { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Sales' },
    ]),
  });
  assert.equal(update.status, 200, update.text);
  assert.equal(update.body.emails[0].value, 'updatedEmail@microsoft.com');
  assert.equal(update.body.emails[0].type, 'work');
  assert.equal(update.body.name.familyName, 'updatedFamilyName');
  assert.equal(update.body.addresses[0].streetAddress, '1 Main St');
  assert.equal(update.body.addresses[0].type, 'work');
  assert.equal(update.body[ENTERPRISE].department, 'Sales');

  // Entra's path-less Add with dotted keys and the manager by id.
  const boss = (await scim('/Users', { method: 'POST', body: entraUser('boss', 'boss-ext') })).body.id;
  const manager = await scim(path, {
    method: 'PATCH',
    body: patchOp([
      { op: 'Add', path: `${ENTERPRISE}:manager`, value: boss },
      { op: 'Add', value: { 'name.givenName': 'Barbara', displayName: 'Barbara J' } },
      { op: 'Replace', value: { [`${ENTERPRISE}:employeeNumber`]: '701984', 'emails[type eq "work"].primary': 'False' } },
    ]),
  });
  assert.equal(manager.status, 200, manager.text);
  assert.equal(manager.body[ENTERPRISE].manager.value, boss);
  assert.equal(manager.body.name.givenName, 'Barbara');
  assert.equal(manager.body.displayName, 'Barbara J');
  assert.equal(manager.body[ENTERPRISE].employeeNumber, '701984');
  assert.equal(manager.body.emails[0].primary, false);
  const noManager = await scim(path, { method: 'PATCH', body: patchOp([{ op: 'Remove', path: `${ENTERPRISE}:manager` }]) });
  assert.equal(noManager.status, 200, noManager.text);
  assert.equal(noManager.body[ENTERPRISE]?.manager, undefined);
  assert.equal(noManager.body[ENTERPRISE].department, 'Sales');

  const disable = await scim(path, { method: 'PATCH', body: patchOp([{ op: 'Replace', path: 'active', value: 'False' }]) });
  assert.equal(disable.status, 200, disable.text);
  assert.equal(disable.body.active, false);
  assert.equal((await scim(byName)).body.Resources[0].active, false);

  assert.equal((await scim(path, { method: 'DELETE' })).status, 204);
  assertScimError(assert, await scim(path), 404);
  assert.equal((await scim(byName)).body.totalResults, 0);
});

test('Entra ID: groups looked up without members, members added and removed with value arrays', async () => {
  const u1 = (await scim('/Users', { method: 'POST', body: entraUser('member1', 'm1') })).body.id;
  const u2 = (await scim('/Users', { method: 'POST', body: entraUser('member2', 'm2') })).body.id;
  const g = await scim('/Groups', {
    method: 'POST',
    body: { schemas: [GROUP], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName', meta: { resourceType: 'Group' } },
  });
  assert.equal(g.status, 201, g.text);
  const gpath = `/Groups/${g.body.id}`;
  const lookup = await scim(`/Groups?excludedAttributes=members&filter=${q('displayName eq "displayName"')}`);
  assert.equal(lookup.body.totalResults, 1);
  assert.equal(lookup.body.Resources[0].members, undefined);
  const byExternal = await scim(`/Groups?filter=${q('externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"')}`);
  assert.equal(byExternal.body.Resources[0].id, g.body.id);

  const add = await scim(gpath, {
    method: 'PATCH',
    body: patchOp([{ op: 'Add', path: 'members', value: [{ $ref: null, value: u1 }, { $ref: null, value: u2 }] }]),
  });
  assert.equal(add.status, 200, add.text);
  assert.equal(add.body.members.length, 2);
  assert.equal(add.body.members.find((m) => m.value === u1).$ref, `${w.scim}/Users/${u1}`);
  const withMember = await scim(`/Groups?excludedAttributes=members&filter=${q(`id eq "${g.body.id}" and members[value eq "${u2}"]`)}`);
  assert.equal(withMember.status, 200, withMember.text);
  assert.equal(withMember.body.totalResults, 1);

  assertScimError(assert, await scim(gpath, {
    method: 'PATCH', body: patchOp([{ op: 'Add', path: 'members', value: [{ value: 'ghost' }] }]),
  }), 400);

  const remove = await scim(gpath, {
    method: 'PATCH', body: patchOp([{ op: 'Remove', path: 'members', value: [{ $ref: null, value: u1 }] }]),
  });
  assert.equal(remove.status, 200, remove.text);
  assert.deepEqual(remove.body.members.map((m) => m.value), [u2]);
  const rename = await scim(gpath, {
    method: 'PATCH', body: patchOp([{ op: 'Replace', path: 'displayName', value: '1879db59updatedDisplayName' }]),
  });
  assert.equal(rename.body.displayName, '1879db59updatedDisplayName');
  assert.equal((await scim(`/Users/${u2}`)).body.groups[0].display, '1879db59updatedDisplayName');
  assert.equal((await scim(gpath, { method: 'DELETE' })).status, 204);
  assertScimError(assert, await scim(gpath, { method: 'DELETE' }), 404);
});

test('ETags: If-None-Match gives 304, a stale If-Match gives 412 on PUT, PATCH and DELETE', async () => {
  const u = await scim('/Users', { method: 'POST', body: { schemas: [USER], userName: 'etag.flow@example.com' } });
  const path = `/Users/${u.body.id}`;
  const etag = u.headers.get('etag');
  assert.equal(etag, 'W/"1"');
  assert.equal(u.body.meta.version, etag);

  const cached = await scim(path, { headers: { 'If-None-Match': etag } });
  assert.equal(cached.status, 304);
  assert.equal(cached.text, '');
  assert.equal(cached.headers.get('etag'), etag);
  const other = await scim(path, { headers: { 'If-None-Match': 'W/"99"' } });
  assert.equal(other.status, 200);

  const patched = await scim(path, {
    method: 'PATCH', headers: { 'If-Match': etag }, body: patchOp([{ op: 'replace', path: 'displayName', value: 'E' }]),
  });
  assert.equal(patched.status, 200, patched.text);
  const fresh = patched.headers.get('etag');
  assert.equal(fresh, 'W/"2"');
  assert.equal((await scim(path, { headers: { 'If-None-Match': etag } })).status, 200);
  assert.equal((await scim(path, { headers: { 'If-None-Match': fresh } })).status, 304);

  const body = { schemas: [USER], userName: 'etag.flow@example.com', displayName: 'Stale' };
  assertScimError(assert, await scim(path, { method: 'PUT', headers: { 'If-Match': etag }, body }), 412);
  assertScimError(assert, await scim(path, {
    method: 'PATCH', headers: { 'If-Match': etag }, body: patchOp([{ op: 'replace', path: 'displayName', value: 'S' }]),
  }), 412);
  assertScimError(assert, await scim(path, { method: 'DELETE', headers: { 'If-Match': etag } }), 412);
  const still = await scim(path);
  assert.equal(still.body.displayName, 'E', 'a refused request changed nothing');
  assert.equal(still.headers.get('etag'), fresh);

  const put = await scim(path, { method: 'PUT', headers: { 'If-Match': fresh }, body });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.headers.get('etag'), 'W/"3"');
  assert.equal((await scim(path, { method: 'DELETE', headers: { 'If-Match': 'W/"3"' } })).status, 204);
});

test('HTTP Basic (Okta): credentials made by the admin API open their tenant only, and can be revoked', async () => {
  assert.equal((await w.admin('/tenants/basic-co', { method: 'PUT', body: { settings: {} } })).status, 201);
  // Basic is refused until the tenant has a credential.
  const before = await w.request('/basic-co/scim/v2/Users', { headers: { Authorization: basic('okta', 'x') } });
  assert.equal(before.status, 401);

  const made = await w.admin('/tenants/basic-co/basic', { method: 'POST', body: { username: 'okta-scim', label: 'okta' } });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.body.username, 'okta-scim');
  assert.match(made.body.password, /^scimp_[0-9a-f]{64}$/);
  const auth = { Authorization: basic('okta-scim', made.body.password) };

  const create = await w.request('/basic-co/scim/v2/Users', {
    method: 'POST', headers: auth, body: oktaUser('basic.user@okta.local'),
  });
  assert.equal(create.status, 201, create.text);
  assert.equal(create.headers.get('location'), `${w.origin}/basic-co/scim/v2/Users/${create.body.id}`);
  const spc = await w.request('/basic-co/scim/v2/ServiceProviderConfig', { headers: auth });
  assert.deepEqual(spc.body.authenticationSchemes.map((s) => s.type), ['oauthbearertoken', 'httpbasic']);
  const defaultSpc = await scim('/ServiceProviderConfig');
  assert.deepEqual(defaultSpc.body.authenticationSchemes.map((s) => s.type), ['oauthbearertoken']);
  const list = await w.request('/basic-co/scim/v2/Users', { headers: { Authorization: `basic ${auth.Authorization.slice(6)}` } });
  assert.equal(list.status, 200);
  assert.equal(list.body.totalResults, 1);

  // Wrong password, wrong user, malformed value, another tenant: 401.
  for (const header of [
    basic('okta-scim', `${made.body.password}x`),
    basic('okta', made.body.password),
    'Basic !!!',
    'Basic b2t0YS1zY2lt',
  ]) {
    const res = await w.request('/basic-co/scim/v2/Users', { headers: { Authorization: header } });
    assertScimError(assert, res, 401);
  }
  assert.equal((await w.request('/scim/v2/Users', { headers: auth })).status, 401);
  assert.equal((await w.request('/basic-co/scim/v2/Users', { token: w.scimToken })).status, 401);

  // The tenant lists the credential without its password; a second one with the same name is 409.
  const described = await w.admin('/tenants/basic-co');
  assert.deepEqual(described.body.basicCredentials.map((b) => [b.id, b.username, b.label]), [[made.body.id, 'okta-scim', 'okta']]);
  assert.ok(!described.text.includes(made.body.password));
  assert.equal((await w.admin('/tenants/basic-co/basic', { method: 'POST', body: { username: 'okta-scim' } })).status, 409);
  assert.equal((await w.admin('/tenants/basic-co/basic', { method: 'POST', body: { username: 'a:b' } })).status, 400);
  const generated = await w.admin('/tenants/basic-co/basic', { method: 'POST' });
  assert.equal(generated.status, 201, generated.text);
  assert.match(generated.body.username, /^scim_[0-9a-f]{16}$/);

  // The admin API itself never takes Basic.
  assert.equal((await w.request('/admin/tenants/basic-co', { headers: auth })).status, 401);

  assert.equal((await w.admin(`/tenants/basic-co/basic/${made.body.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await w.admin(`/tenants/basic-co/basic/${made.body.id}`, { method: 'DELETE' })).status, 404);
  assert.equal((await w.request('/basic-co/scim/v2/Users', { headers: auth })).status, 401);
  const other = { Authorization: basic(generated.body.username, generated.body.password) };
  assert.equal((await w.request('/basic-co/scim/v2/Users', { headers: other })).status, 200);
});
