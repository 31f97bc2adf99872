// Bearer authentication of SCIM endpoints: 401 with a challenge and a SCIM error body when the
// token is missing, malformed or wrong, and a token works only for its own tenant.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertScimError, startWorker } from './harness.mjs';

let w;
before(async () => {
  w = await startWorker();
});
after(() => w?.stop());

test('a request without Authorization gets 401 with a Bearer challenge', async () => {
  const res = await w.request('/scim/v2/Users');
  assertScimError(assert, res, 401);
  assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="scim"');
});

test('malformed Authorization headers get 401 invalid_token', async () => {
  for (const value of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', `Bearer ${w.scimToken} x`, w.scimToken]) {
    const res = await w.request('/scim/v2/Users', { headers: { Authorization: value } });
    assertScimError(assert, res, 401);
    assert.match(res.headers.get('www-authenticate'), /^Bearer realm="scim", error="invalid_token"$/, value);
  }
});

test('a wrong token gets 401', async () => {
  const res = await w.request('/scim/v2/Users', { token: `${w.scimToken.slice(0, -1)}0` });
  assertScimError(assert, res, 401);
});

test('the SCIM_TOKEN secret opens the default tenant, with any case of the scheme', async () => {
  const res = await w.request('/scim/v2/Users', { token: w.scimToken });
  assert.notEqual(res.status, 401, res.text);
  const lower = await w.request('/scim/v2/Users', { headers: { Authorization: `bearer ${w.scimToken}` } });
  assert.notEqual(lower.status, 401, lower.text);
});

test('a token of tenant A is refused on tenant B and on the default tenant', async () => {
  for (const t of ['tenant-a', 'tenant-b']) {
    assert.equal((await w.admin(`/tenants/${t}`, { method: 'PUT', body: {} })).status, 201);
  }
  const { body } = await w.admin('/tenants/tenant-a/tokens', { method: 'POST', body: { label: 'okta' } });
  assert.match(body.token, /^scimt_[0-9a-f]{64}$/);
  const own = await w.request('/tenant-a/scim/v2/Users', { token: body.token });
  assert.notEqual(own.status, 401, own.text);
  assertScimError(assert, await w.request('/tenant-b/scim/v2/Users', { token: body.token }), 401);
  assertScimError(assert, await w.request('/scim/v2/Users', { token: body.token }), 401);
});

test('the default tenant token is refused on other tenants', async () => {
  await w.admin('/tenants/tenant-c', { method: 'PUT', body: {} });
  assertScimError(assert, await w.request('/tenant-c/scim/v2/Users', { token: w.scimToken }), 401);
});

test('an unknown tenant answers 401, not 404, so tenants cannot be enumerated', async () => {
  assertScimError(assert, await w.request('/no-such-tenant/scim/v2/Users', { token: w.scimToken }), 401);
});

test('the admin API refuses SCIM tokens and missing tokens', async () => {
  assertScimError(assert, await w.request('/admin/tenants/x', { token: w.scimToken }), 401);
  assertScimError(assert, await w.request('/admin/tenants/x'), 401);
});
