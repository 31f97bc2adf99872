// The SCIM API end to end over D1: CRUD, uniqueness, filters, paging, groups and memberships,
// ETags, tenant isolation and per-tenant settings.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertScimError, startWorker } from './harness.mjs';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let w;
const scim = (path, options = {}) => w.request(`/scim/v2${path}`, { token: w.scimToken, ...options });
const createUser = async (userName, extra = {}) => {
  const res = await scim('/Users', { method: 'POST', body: { schemas: [USER], userName, ...extra } });
  assert.equal(res.status, 201, res.text);
  return res.body;
};
const q = (filter) => encodeURIComponent(filter);

before(async () => {
  w = await startWorker();
});
after(() => w?.stop());

test('discovery endpoints answer', async () => {
  const spc = await scim('/ServiceProviderConfig');
  assert.equal(spc.status, 200, spc.text);
  assert.equal(spc.body.patch.supported, true);
  assert.equal(spc.body.authenticationSchemes[0].type, 'oauthbearertoken');
  const types = await scim('/ResourceTypes');
  assert.equal(types.status, 200);
  assert.ok(types.body.Resources.some((r) => r.id === 'User'));
});

test('a created user can be read back, with Location and ETag', async () => {
  const res = await scim('/Users', {
    method: 'POST',
    body: { schemas: [USER], userName: 'bjensen@example.com', externalId: 'okta-1', name: { givenName: 'Barbara' } },
  });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.headers.get('location'), `${w.scim}/Users/${res.body.id}`);
  assert.equal(res.body.meta.location, res.headers.get('location'));
  assert.ok(res.headers.get('etag'));
  const got = await scim(`/Users/${res.body.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.userName, 'bjensen@example.com');
  assert.equal(got.body.name.givenName, 'Barbara');
  assert.equal(got.headers.get('etag'), res.headers.get('etag'));
});

test('userName is unique case-insensitively: 409 uniqueness', async () => {
  await createUser('Unique.Person@example.com');
  const dup = await scim('/Users', { method: 'POST', body: { schemas: [USER], userName: 'UNIQUE.PERSON@EXAMPLE.COM' } });
  assertScimError(assert, dup, 409);
  assert.equal(dup.body.scimType, 'uniqueness');
});

test('filters find users by userName (any case) and by externalId', async () => {
  const u = await createUser('Filter.Me@example.com', { externalId: 'ext-42' });
  const byName = await scim(`/Users?filter=${q('userName eq "filter.me@EXAMPLE.com"')}`);
  assert.equal(byName.status, 200, byName.text);
  assert.deepEqual(byName.body.Resources.map((r) => r.id), [u.id]);
  const byExternal = await scim(`/Users?filter=${q('externalId eq "ext-42"')}`);
  assert.deepEqual(byExternal.body.Resources.map((r) => r.id), [u.id]);
  const wrongCase = await scim(`/Users?filter=${q('externalId eq "EXT-42"')}`);
  assert.equal(wrongCase.body.totalResults, 0);
  const none = await scim(`/Users?filter=${q('userName eq "nobody@example.com"')}`);
  assert.equal(none.body.totalResults, 0);
  assert.deepEqual(none.body.Resources ?? [], []);
  const scan = await scim(`/Users?filter=${q('userName sw "filter."')}`);
  assert.deepEqual(scan.body.Resources.map((r) => r.id), [u.id]);
  const since = await scim(`/Users?filter=${q(`meta.created ge "${u.meta.created}" and userName co "filter"`)}`);
  assert.equal(since.status, 200, since.text);
  assert.deepEqual(since.body.Resources.map((r) => r.id), [u.id]);
  const accented = await createUser('zoë@example.com', { displayName: 'Zoë Ünal' });
  const byAccent = await scim(`/Users?filter=${q('displayName eq "ZOË ÜNAL"')}`);
  assert.equal(byAccent.status, 200, byAccent.text);
  assert.deepEqual(byAccent.body.Resources.map((r) => r.id), [accented.id]);
  const bad = await scim(`/Users?filter=${q('userName eq')}`);
  assertScimError(assert, bad, 400);
  assert.equal(bad.body.scimType, 'invalidFilter');
});

test('lists page in creation order with totalResults', async () => {
  await w.admin('/tenants/paging', { method: 'PUT', body: {} });
  const { token } = (await w.admin('/tenants/paging/tokens', { method: 'POST' })).body;
  const names = ['p1', 'p2', 'p3', 'p4', 'p5'];
  for (const userName of names) {
    const res = await w.request('/paging/scim/v2/Users', { method: 'POST', token, body: { schemas: [USER], userName } });
    assert.equal(res.status, 201, res.text);
  }
  // The default order is meta.created, then id: requests in the same millisecond tie on time.
  const all = (await w.request('/paging/scim/v2/Users', { token })).body.Resources;
  assert.deepEqual(all.map((r) => r.userName).sort(), names);
  const created = all.map((r) => r.meta.created);
  assert.deepEqual(created, [...created].sort());
  const page = await w.request('/paging/scim/v2/Users?startIndex=2&count=2', { token });
  assert.equal(page.status, 200, page.text);
  assert.equal(page.body.totalResults, 5);
  assert.equal(page.body.startIndex, 2);
  assert.equal(page.body.itemsPerPage, 2);
  assert.deepEqual(page.body.Resources.map((r) => r.id), all.slice(1, 3).map((r) => r.id));
  const sorted = await w.request('/paging/scim/v2/Users?sortBy=userName&sortOrder=descending&count=2', { token });
  assert.deepEqual(sorted.body.Resources.map((r) => r.userName), ['p5', 'p4']);
  const countOnly = await w.request('/paging/scim/v2/Users?count=0', { token });
  assert.equal(countOnly.body.totalResults, 5);
});

test('PUT replaces, PATCH modifies, If-Match guards with 412', async () => {
  const u = await createUser('patch.me@example.com');
  const put = await scim(`/Users/${u.id}`, {
    method: 'PUT', body: { schemas: [USER], userName: 'patch.me@example.com', displayName: 'Patch Me' },
  });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.displayName, 'Patch Me');
  const patch = await scim(`/Users/${u.id}`, {
    method: 'PATCH',
    body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] },
  });
  assert.equal(patch.status, 200, patch.text);
  assert.equal(patch.body.active, false);
  assert.equal(patch.body.displayName, 'Patch Me');
  const stale = await scim(`/Users/${u.id}`, {
    method: 'PATCH', headers: { 'If-Match': u.meta.version },
    body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: true }] },
  });
  assertScimError(assert, stale, 412);
  const renamedToTaken = await scim(`/Users/${u.id}`, {
    method: 'PATCH',
    body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'userName', value: 'BJENSEN@example.com' }] },
  });
  assertScimError(assert, renamedToTaken, 409);
});

test("group members show up in the user's groups and leave them on delete", async () => {
  const a = await createUser('member.a@example.com');
  const b = await createUser('member.b@example.com');
  const g = await scim('/Groups', {
    method: 'POST', body: { schemas: [GROUP], displayName: 'Engineering', members: [{ value: a.id }] },
  });
  assert.equal(g.status, 201, g.text);
  const groupsOf = async (id) => (await scim(`/Users/${id}`)).body.groups ?? [];
  assert.deepEqual((await groupsOf(a.id)).map((x) => [x.value, x.display]), [[g.body.id, 'Engineering']]);
  const add = await scim(`/Groups/${g.body.id}`, {
    method: 'PATCH',
    body: { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: b.id }] }] },
  });
  assert.ok([200, 204].includes(add.status), add.text);
  assert.equal((await groupsOf(b.id)).length, 1);
  const remove = await scim(`/Groups/${g.body.id}`, {
    method: 'PATCH',
    body: { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${a.id}"]` }] },
  });
  assert.ok([200, 204].includes(remove.status), remove.text);
  assert.deepEqual(await groupsOf(a.id), []);
  assert.equal((await scim(`/Users/${b.id}`, { method: 'DELETE' })).status, 204);
  const group = await scim(`/Groups/${g.body.id}`);
  assert.deepEqual(group.body.members ?? [], []);
  assert.equal((await scim(`/Groups/${g.body.id}`, { method: 'DELETE' })).status, 204);
  assertScimError(assert, await scim(`/Groups/${g.body.id}`), 404);
});

test('a deleted user is gone and its userName is free again', async () => {
  const u = await createUser('delete.me@example.com');
  assert.equal((await scim(`/Users/${u.id}`, { method: 'DELETE' })).status, 204);
  assertScimError(assert, await scim(`/Users/${u.id}`), 404);
  assertScimError(assert, await scim(`/Users/${u.id}`, { method: 'DELETE' }), 404);
  await createUser('delete.me@example.com');
});

test('tenants are isolated: same userName in both, no cross reads', async () => {
  await w.admin('/tenants/iso', { method: 'PUT', body: {} });
  const { token } = (await w.admin('/tenants/iso/tokens', { method: 'POST' })).body;
  const mine = await createUser('shared.name@example.com');
  const theirs = await w.request('/iso/scim/v2/Users', {
    method: 'POST', token, body: { schemas: [USER], userName: 'shared.name@example.com' },
  });
  assert.equal(theirs.status, 201, theirs.text);
  assert.equal(theirs.body.meta.location, `${w.origin}/iso/scim/v2/Users/${theirs.body.id}`);
  assertScimError(assert, await w.request(`/iso/scim/v2/Users/${mine.id}`, { token }), 404);
  assertScimError(assert, await scim(`/Users/${theirs.body.id}`), 404);
  const list = await w.request('/iso/scim/v2/Users', { token });
  assert.deepEqual(list.body.Resources.map((r) => r.id), [theirs.body.id]);
});

test('tenant settings: soft delete and PATCH 204', async () => {
  const settings = { softDelete: true, patchReturnsNoContent: true };
  await w.admin('/tenants/soft', { method: 'PUT', body: { settings } });
  const { token } = (await w.admin('/tenants/soft/tokens', { method: 'POST' })).body;
  const t = (path, options = {}) => w.request(`/soft/scim/v2${path}`, { token, ...options });
  const u = (await t('/Users', { method: 'POST', body: { schemas: [USER], userName: 'soft@example.com' } })).body;
  const patch = await t(`/Users/${u.id}`, {
    method: 'PATCH', body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'S' }] },
  });
  assert.equal(patch.status, 204, patch.text);
  assert.equal(patch.text, '');
  assert.equal((await t(`/Users/${u.id}`, { method: 'DELETE' })).status, 204);
  assertScimError(assert, await t(`/Users/${u.id}`), 404);
  const again = await t('/Users', { method: 'POST', body: { schemas: [USER], userName: 'soft@example.com' } });
  assert.equal(again.status, 201, again.text);
});

test('custom extension schemas from tenant settings are validated and stored', async () => {
  const urn = 'urn:acme:params:scim:schemas:extension:2.0:User';
  const settings = {
    customSchemas: [{ id: urn, name: 'AcmeUser', attributes: [{ name: 'badge', type: 'integer', multiValued: false }] }],
    extensions: [{ resourceType: 'User', schema: urn }],
  };
  const put = await w.admin('/tenants/custom', { method: 'PUT', body: { settings } });
  assert.equal(put.status, 201, put.text);
  const { token } = (await w.admin('/tenants/custom/tokens', { method: 'POST' })).body;
  const ok = await w.request('/custom/scim/v2/Users', {
    method: 'POST', token, body: { schemas: [USER, urn], userName: 'ext@example.com', [urn]: { badge: 7 } },
  });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body[urn].badge, 7);
  const bad = await w.request('/custom/scim/v2/Users', {
    method: 'POST', token, body: { schemas: [USER, urn], userName: 'ext2@example.com', [urn]: { badge: 'x' } },
  });
  assertScimError(assert, bad, 400);
});

test('Bulk creates a user and a group referring to it by bulkId', async () => {
  const res = await scim('/Bulk', {
    method: 'POST',
    body: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'u1', data: { schemas: [USER], userName: 'bulk.user@example.com' } },
        {
          method: 'POST', path: '/Groups', bulkId: 'g1',
          data: { schemas: [GROUP], displayName: 'Bulk Group', members: [{ value: 'bulkId:u1' }] },
        },
      ],
    },
  });
  assert.equal(res.status, 200, res.text);
  const [user, group] = res.body.Operations;
  assert.equal(user.status, '201');
  assert.equal(group.status, '201');
  const userId = user.location.split('/').pop();
  const got = await scim(`/Users/${userId}`);
  assert.deepEqual(got.body.groups.map((g) => g.display), ['Bulk Group']);
});

test('concurrent PATCHes of one group all land (compare-and-swap retries)', async () => {
  const users = [];
  for (let i = 0; i < 8; i += 1) users.push(await createUser(`concurrent.${i}@example.com`));
  const g = (await scim('/Groups', { method: 'POST', body: { schemas: [GROUP], displayName: 'Concurrent' } })).body;
  const results = await Promise.all(users.map((u) => scim(`/Groups/${g.id}`, {
    method: 'PATCH',
    body: { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: u.id }] }] },
  })));
  for (const r of results) assert.ok([200, 204].includes(r.status), r.text);
  const group = await scim(`/Groups/${g.id}`);
  assert.deepEqual(group.body.members.map((m) => m.value).sort(), users.map((u) => u.id).sort());
  for (const u of users) {
    const { body } = await scim(`/Users/${u.id}`);
    assert.deepEqual(body.groups.map((x) => x.value), [g.id]);
  }
});
