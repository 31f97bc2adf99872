// Durability across wrangler dev restarts on the same local state: data and tenant settings
// survive a graceful restart, and killing the whole process group (wrangler and workerd, with
// SIGKILL) in the middle of a write load loses no acknowledged write and leaves no resource
// half-written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorker } from './harness.mjs';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const WRITERS = 20;

let w;
before(async () => {
  w = await startWorker();
});
after(() => w?.stop());

const scim = (path, options = {}) => w.request(`/scim/v2${path}`, { token: w.scimToken, ...options });

/** Every resource of an endpoint, page by page. */
async function all(endpoint) {
  const out = [];
  for (let start = 1; ; start += 100) {
    const res = await scim(`${endpoint}?startIndex=${start}&count=100`);
    assert.equal(res.status, 200, res.text);
    out.push(...res.body.Resources);
    if (out.length >= res.body.totalResults || res.body.Resources.length === 0) return out;
  }
}

test('data, tenants and tokens persist across a graceful restart', async () => {
  const user = await scim('/Users', {
    method: 'POST',
    body: { schemas: [USER], userName: 'persist@example.com', name: { givenName: 'Per', familyName: 'Sist' } },
  });
  assert.equal(user.status, 201, user.text);
  const patched = await scim(`/Users/${user.body.id}`, {
    method: 'PATCH',
    body: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'Keeper' }] },
  });
  assert.equal(patched.status, 200, patched.text);
  const group = await scim('/Groups', {
    method: 'POST', body: { schemas: [GROUP], displayName: 'Persisters', members: [{ value: user.body.id }] },
  });
  assert.equal(group.status, 201, group.text);
  assert.equal((await w.admin('/tenants/acme', { method: 'PUT', body: { settings: { softDelete: true } } })).status, 201);
  const { token } = (await w.admin('/tenants/acme/tokens', { method: 'POST' })).body;
  const acmeUser = await w.request('/acme/scim/v2/Users', {
    method: 'POST', token, body: { schemas: [USER], userName: 'acme@example.com' },
  });
  assert.equal(acmeUser.status, 201);
  const before = {
    user: (await scim(`/Users/${user.body.id}`)).body,
    group: (await scim(`/Groups/${group.body.id}`)).body,
    acme: (await w.request(`/acme/scim/v2/Users/${acmeUser.body.id}`, { token })).body,
  };
  assert.equal(before.user.title, 'Keeper');

  await w.restart();

  assert.deepEqual((await scim(`/Users/${user.body.id}`)).body, before.user);
  assert.deepEqual((await scim(`/Groups/${group.body.id}`)).body, before.group);
  const acme = await w.request(`/acme/scim/v2/Users/${acmeUser.body.id}`, { token });
  assert.equal(acme.status, 200, 'the static token (KV) survived');
  assert.deepEqual(acme.body, before.acme);
  assert.equal((await w.admin('/tenants/acme')).body.settings.softDelete, true);
});

test('killing wrangler dev in the middle of 20 concurrent writers loses no acknowledged write', async (t) => {
  const groups = [];
  for (let i = 0; i < WRITERS; i += 1) {
    const g = await scim('/Groups', { method: 'POST', body: { schemas: [GROUP], displayName: `load-${i}` } });
    assert.equal(g.status, 201, g.text);
    groups.push(g.body.id);
  }
  // What the Worker acknowledged (2xx received): created users, and per user the last
  // acknowledged PATCH (its version and stamp); group members added.
  const created = new Map();
  const stamps = new Map();
  const members = new Map(groups.map((g) => [g, new Set()]));
  let stop = false;
  let errors = 0;
  const writer = async (i) => {
    for (let n = 0; !stop; n += 1) {
      try {
        const userName = `load-${i}-${n}@example.com`;
        const res = await scim('/Users', { method: 'POST', body: { schemas: [USER], userName, title: 'new', nickName: 'new' } });
        if (res.status !== 201) throw new Error(`POST ${res.status} ${res.text}`);
        created.set(res.body.id, userName);
        for (let k = 0; k < 2 && !stop; k += 1) {
          const stamp = `${i}-${n}-${k}`;
          // Two attributes in one PATCH: after any crash both must hold the same stamp.
          const p = await scim(`/Users/${res.body.id}`, {
            method: 'PATCH',
            body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { title: stamp, nickName: stamp } }] },
          });
          if (p.status !== 200) throw new Error(`PATCH ${p.status} ${p.text}`);
          stamps.set(res.body.id, { stamp, version: p.body.meta.version });
        }
        if (n % 3 === 0 && !stop) {
          const g = await scim(`/Groups/${groups[i]}`, {
            method: 'PATCH',
            body: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: res.body.id }] }] },
          });
          if (g.status !== 200 && g.status !== 204) throw new Error(`group PATCH ${g.status} ${g.text}`);
          members.get(groups[i]).add(res.body.id);
        }
      } catch (e) {
        // Connection cut by the kill; any other failure is a bug.
        if (!stop) throw e;
        errors += 1;
        return;
      }
    }
  };
  const running = Array.from({ length: WRITERS }, (_, i) => writer(i));
  // Let the load build up (enough acknowledged writes, or a time limit on a busy machine), then
  // kill the process group while requests are in flight.
  const deadline = Date.now() + 20000;
  while ((created.size < 4 * WRITERS || stamps.size < 3 * WRITERS) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  stop = true;
  await w.crash();
  await Promise.all(running);
  assert.ok(created.size >= WRITERS, `only ${created.size} users were created before the kill`);

  await w.restart();

  const users = new Map((await all('/Users')).map((u) => [u.id, u]));
  for (const [id, userName] of created) {
    const u = users.get(id);
    assert.ok(u, `acknowledged user ${userName} is missing after the restart`);
    assert.equal(u.userName, userName);
  }
  for (const [id, { stamp, version }] of stamps) {
    const u = users.get(id);
    const [v, acked] = [Number(u.meta.version.match(/\d+/)[0]), Number(version.match(/\d+/)[0])];
    assert.ok(v >= acked, `${u.userName}: version ${v} older than the acknowledged ${acked}`);
    if (v === acked) assert.equal(u.title, stamp, `${u.userName}: acknowledged PATCH lost`);
  }
  for (const u of users.values()) {
    if (!u.userName.startsWith('load-')) continue;
    // Whole or nothing: both attributes of every PATCH landed together, and meta is complete.
    assert.equal(u.title, u.nickName, `${u.userName} is half-written`);
    assert.ok(u.meta?.created && u.meta.lastModified && u.meta.version, `${u.userName}: meta`);
  }
  for (const [groupId, ids] of members) {
    const g = await scim(`/Groups/${groupId}`);
    assert.equal(g.status, 200);
    const present = new Set((g.body.members ?? []).map((m) => m.value));
    for (const id of ids) assert.ok(present.has(id), `acknowledged member ${id} of ${g.body.displayName} lost`);
    for (const id of present) assert.ok(users.has(id), `member ${id} of ${g.body.displayName} does not exist`);
  }
  // The service keeps working on the recovered state.
  const after = await scim('/Users', { method: 'POST', body: { schemas: [USER], userName: 'after-crash@example.com' } });
  assert.equal(after.status, 201, after.text);
  t.diagnostic(`${created.size} users acknowledged, ${stamps.size} patched, ${errors} writers cut off`);
});
