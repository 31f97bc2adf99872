import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { scim } from './lib/pkg.mjs';

const { ScimService, ScimStoreError, SchemaRegistry } = scim;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const JSON_TYPE = { 'content-type': 'application/scim+json' };

/** A service driven through handle(), returning parsed bodies. */
function client(service, prefix = '/scim/v2') {
  return async (method, path, body, headers = {}) => {
    const res = await service.handle({
      method,
      url: `${prefix}${path}`,
      headers: { host: 'example.test', ...(body === undefined ? {} : JSON_TYPE), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
  };
}

test('in-memory round trip: create, read, filter, patch, replace, delete', async () => {
  let n = 0;
  const call = client(new ScimService({ basePath: '/scim/v2', newId: () => `u-${++n}`, now: () => Date.UTC(2024, 0, 2, 3, 4, 5) }));

  const created = await call('POST', '/Users', { schemas: [USER], userName: 'bjensen', name: { givenName: 'Barbara' } });
  assert.equal(created.status, 201);
  assert.equal(created.json.id, 'u-1');
  assert.equal(created.headers.Location, 'http://example.test/scim/v2/Users/u-1');
  assert.equal(created.json.meta.created, '2024-01-02T03:04:05.000Z');
  assert.match(created.headers['Content-Type'], /application\/scim\+json/);

  assert.equal((await call('POST', '/Users', { schemas: [USER], userName: 'BJENSEN' })).status, 409, 'userName is unique, case-insensitively');

  const got = await call('GET', '/Users/u-1');
  assert.equal(got.status, 200);
  assert.equal(got.json.userName, 'bjensen');

  const found = await call('GET', `/Users?filter=${encodeURIComponent('userName eq "BJensen"')}`);
  assert.equal(found.json.totalResults, 1);
  assert.equal(found.json.Resources[0].id, 'u-1');

  const patched = await call('PATCH', '/Users/u-1', { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
  assert.equal(patched.status, 200);
  assert.equal(patched.json.active, false);

  const group = await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Admins', members: [{ value: 'u-1' }] });
  assert.equal(group.status, 201);
  const withGroups = await call('GET', '/Users/u-1');
  assert.deepEqual(withGroups.json.groups.map((g) => g.value), [group.json.id]);

  const stale = await call('PUT', '/Users/u-1', { schemas: [USER], userName: 'bjensen2' }, { 'if-match': 'W/"1"' });
  assert.equal(stale.status, 412);
  const replaced = await call('PUT', '/Users/u-1', { schemas: [USER], userName: 'bjensen2' });
  assert.equal(replaced.status, 200);
  assert.equal(replaced.json.userName, 'bjensen2');

  assert.equal((await call('DELETE', '/Users/u-1')).status, 204);
  const gone = await call('GET', '/Users/u-1');
  assert.equal(gone.status, 404);
  assert.equal(gone.json.status, '404');
  assert.deepEqual(gone.json.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
});

test('discovery endpoints, errors and request shapes', async () => {
  const service = new ScimService();
  const call = client(service, '');
  assert.equal((await call('GET', '/ServiceProviderConfig')).json.patch.supported, true);
  assert.deepEqual((await call('GET', '/ResourceTypes')).json.Resources.map((r) => r.name).sort(), ['Group', 'User']);
  const bad = await call('GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.json.scimType, 'invalidFilter');
  const invalid = await call('POST', '/Users', { schemas: [USER] });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.json.scimType, 'invalidValue');

  // Absolute URLs, Headers objects, byte bodies and already-parsed bodies all work.
  const bytes = new TextEncoder().encode(JSON.stringify({ schemas: [USER], userName: 'a' }));
  const res = await service.handle({ method: 'post', url: 'https://idp.example/Users', headers: new Headers(JSON_TYPE), body: bytes });
  assert.equal(res.status, 201);
  assert.match(res.headers.Location, /^https:\/\/idp\.example\/Users\//);
  const parsed = await service.handle({ method: 'POST', url: '/Users', headers: JSON_TYPE, body: { schemas: [USER], userName: 'b' } });
  assert.equal(parsed.status, 201);
  const buffer = new TextEncoder().encode(JSON.stringify({ schemas: [USER], userName: 'c' })).buffer;
  assert.equal((await service.handle({ method: 'POST', url: '/Users', headers: JSON_TYPE, body: buffer })).status, 201);
  await assert.rejects(service.handle({ method: 'GET' }), TypeError);
  await assert.rejects(service.handle({ url: '/Users', headers: [['x-n', 1]], body: 10n }), scim.ScimError);
});

test('custom registry and config reach the service', async () => {
  const registry = new SchemaRegistry({
    schemas: { id: 'urn:example:Device', name: 'Device', attributes: [{ name: 'serial', type: 'string', required: true }] },
    resourceTypes: { id: 'Device', name: 'Device', endpoint: '/Devices', schema: 'urn:example:Device' },
  });
  const call = client(new ScimService({ registry, config: { maxResults: 1, patchReturnsNoContent: true } }), '');
  assert.equal((await call('POST', '/Devices', { schemas: ['urn:example:Device'], serial: 'A' })).status, 201);
  assert.equal((await call('POST', '/Devices', { schemas: ['urn:example:Device'], serial: 'B' })).status, 201);
  const page = await call('GET', '/Devices');
  assert.equal(page.json.totalResults, 2);
  assert.equal(page.json.Resources.length, 1, 'maxResults caps the page');
  const id = page.json.Resources[0].id;
  const patched = await call('PATCH', `/Devices/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'serial', value: 'C' }] });
  assert.equal(patched.status, 204);
  assert.throws(() => new ScimService({ config: { maxResults: -1 } }), scim.ScimError);
});

/** A minimal JS store over Maps, implementing the ScimStore interface. */
class MapStore {
  records = new Map();
  calls = [];
  key = (type, id) => `${type}/${id}`;
  live(type) {
    return [...this.records.entries()].filter(([k, v]) => k.startsWith(`${type}/`) && !v.index.deleted).map(([, v]) => v);
  }
  async get(type, id) {
    this.calls.push('get');
    const r = this.records.get(this.key(type, id));
    return r && !r.index.deleted ? r.record : null;
  }
  async create(type, record, index) {
    this.calls.push('create');
    if (this.records.has(this.key(type, record.id))) throw new ScimStoreError('idTaken');
    if (index.uniqueKey && this.live(type).some((r) => r.index.uniqueKey === index.uniqueKey)) throw new ScimStoreError('duplicate');
    this.records.set(this.key(type, record.id), { record, index });
  }
  async replace(type, record, index, expectedVersion) {
    this.calls.push('replace');
    const cur = this.records.get(this.key(type, record.id));
    if (!cur) throw new ScimStoreError('notFound');
    if (cur.record.version !== expectedVersion) throw new ScimStoreError('versionMismatch');
    this.records.set(this.key(type, record.id), { record, index });
  }
  async delete(type, id, expectedVersion) {
    this.calls.push('delete');
    const cur = this.records.get(this.key(type, id));
    if (!cur) throw new ScimStoreError('notFound');
    if (cur.record.version !== expectedVersion) throw new ScimStoreError('versionMismatch');
    this.records.delete(this.key(type, id));
  }
  list(type) {
    this.calls.push('list');
    return this.live(type).map((r) => r.record);
  }
  async lookup(ids) {
    return [...this.records.entries()]
      .filter(([, v]) => ids.includes(v.record.id) && !v.index.deleted)
      .map(([k, v]) => ({ id: v.record.id, resourceType: k.split('/')[0], display: v.index.display ?? undefined }));
  }
  async groupsOf(memberIds) {
    return this.live('Group').flatMap((g) =>
      g.index.members.filter((m) => memberIds.includes(m)).map((m) => ({ memberId: m, group: { id: g.record.id, resourceType: 'Group', display: g.index.display } })),
    );
  }
}

test('a store written in JS backs the service', async () => {
  const store = new MapStore();
  const call = client(new ScimService({ store }), '');
  const created = await call('POST', '/Users', { schemas: [USER], userName: 'jsmith' });
  assert.equal(created.status, 201);
  const { id } = created.json;
  const stored = store.records.get(`User/${id}`);
  assert.equal(stored.record.version, 1);
  assert.equal(stored.index.uniqueKey, 'jsmith');
  assert.equal((await call('POST', '/Users', { schemas: [USER], userName: 'JSMITH' })).status, 409);
  assert.equal((await call('GET', `/Users?filter=${encodeURIComponent('userName sw "j"')}`)).json.totalResults, 1);
  const group = await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Ops', members: [{ value: id }] });
  assert.equal(group.status, 201);
  assert.deepEqual((await call('GET', `/Users/${id}`)).json.groups.map((g) => g.display), ['Ops']);
  assert.equal((await call('DELETE', `/Users/${id}`)).status, 204);
  assert.equal((await call('GET', `/Users/${id}`)).status, 404);
  assert.ok(store.calls.includes('list') && store.calls.includes('delete'));
});

test('a failing JS store is a 500 SCIM error, not a crash', async () => {
  const store = new MapStore();
  store.get = async () => {
    throw new Error('database is down');
  };
  const res = await new ScimService({ store }).handle({ method: 'GET', url: '/Users/x' });
  assert.equal(res.status, 500);
  assert.match(JSON.parse(res.body).detail, /database is down/);
});

test('mounts under node:http in a few lines', async (t) => {
  const service = new ScimService({ basePath: '/scim/v2' });
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const out = await service.handle({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(out.status, out.headers).end(out.body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${server.address().port}/scim/v2`;
  const post = await fetch(`${base}/Users`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ schemas: [USER], userName: 'web' }) });
  assert.equal(post.status, 201);
  assert.equal(post.headers.get('location').startsWith(`${base}/Users/`), true);
  const list = await (await fetch(`${base}/Users?filter=userName%20eq%20%22web%22`)).json();
  assert.equal(list.totalResults, 1);
});
