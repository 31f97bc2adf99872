// The admin API: tenants, static tokens and their revocation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertScimError, startWorker } from './harness.mjs';

let w;
before(async () => {
  w = await startWorker();
});
after(() => w?.stop());

test('PUT creates a tenant (201), then updates it (200); GET describes it', async () => {
  const created = await w.admin('/tenants/acme', { method: 'PUT', body: { settings: { softDelete: true } } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.scimBaseUrl, `${w.origin}/acme/scim/v2`);
  const updated = await w.admin('/tenants/acme', {
    method: 'PUT', body: { settings: { patchReturnsNoContent: true, rateLimit: { requests: 4 } } },
  });
  assert.equal(updated.status, 200);
  const got = await w.admin('/tenants/acme');
  assert.equal(got.status, 200);
  assert.equal(got.body.name, 'acme');
  assert.equal(got.body.settings.softDelete, false);
  assert.equal(got.body.settings.patchReturnsNoContent, true);
  assert.deepEqual(got.body.settings.rateLimit, { requests: 4, periodSeconds: 1 });
});

test('unknown settings and malformed bodies are refused with 400', async () => {
  const typo = await w.admin('/tenants/acme', { method: 'PUT', body: { settings: { softDelet: true } } });
  assertScimError(assert, typo, 400);
  const broken = await w.admin('/tenants/acme', { method: 'PUT', body: '{' });
  assertScimError(assert, broken, 400);
  const badSchema = await w.admin('/tenants/acme', {
    method: 'PUT', body: { settings: { customSchemas: [{ id: 'not-a-urn', attributes: [] }] } },
  });
  assertScimError(assert, badSchema, 400);
  const missingExtension = await w.admin('/tenants/acme', {
    method: 'PUT', body: { settings: { extensions: [{ resourceType: 'User', schema: 'urn:x:none' }] } },
  });
  assertScimError(assert, missingExtension, 400);
});

test('unknown tenants, bad names and unknown admin paths answer 404; wrong methods 405', async () => {
  assertScimError(assert, await w.admin('/tenants/missing'), 404);
  assertScimError(assert, await w.admin('/tenants/missing/tokens', { method: 'POST' }), 404);
  assertScimError(assert, await w.admin('/tenants/Bad_Name', { method: 'PUT', body: {} }), 404);
  assertScimError(assert, await w.admin('/tenants/scim', { method: 'PUT', body: {} }), 404);
  assertScimError(assert, await w.admin('/nothing'), 404);
  assertScimError(assert, await w.admin('/tenants/acme', { method: 'POST' }), 405);
  // workers-rs reads methods it does not know as GET: they must not describe the tenant.
  assertScimError(assert, await w.admin('/tenants/acme', { method: 'PROPFIND' }), 405);
});

test('the default tenant always exists and can get extra tokens', async () => {
  const got = await w.admin('/tenants/default');
  assert.equal(got.status, 200);
  assert.equal(got.body.scimBaseUrl, `${w.origin}/scim/v2`);
  const { body } = await w.admin('/tenants/default/tokens', { method: 'POST' });
  assert.notEqual((await w.request('/scim/v2/Users', { token: body.token })).status, 401);
});

test('a revoked token stops working; the tenant lists only token ids', async () => {
  await w.admin('/tenants/rev', { method: 'PUT', body: {} });
  const issued = await w.admin('/tenants/rev/tokens', { method: 'POST', body: { label: 'onelogin' } });
  assert.equal(issued.status, 201);
  const { id, token } = issued.body;
  assert.notEqual((await w.request('/rev/scim/v2/Users', { token })).status, 401);
  const listed = (await w.admin('/tenants/rev')).body.tokens;
  assert.deepEqual(listed.map((t) => [t.id, t.label]), [[id, 'onelogin']]);
  assert.ok(!JSON.stringify(listed).includes(token));
  assert.equal((await w.admin(`/tenants/rev/tokens/${id}`, { method: 'DELETE' })).status, 204);
  assertScimError(assert, await w.request('/rev/scim/v2/Users', { token }), 401);
  assertScimError(assert, await w.admin(`/tenants/rev/tokens/${id}`, { method: 'DELETE' }), 404);
});

test('deleting a tenant revokes its tokens', async () => {
  await w.admin('/tenants/gone', { method: 'PUT', body: {} });
  const { token } = (await w.admin('/tenants/gone/tokens', { method: 'POST' })).body;
  assert.equal((await w.admin('/tenants/gone', { method: 'DELETE' })).status, 204);
  assertScimError(assert, await w.request('/gone/scim/v2/Users', { token }), 401);
  assertScimError(assert, await w.admin('/tenants/gone'), 404);
});
