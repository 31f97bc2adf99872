// OAuth 2.0 client-credentials flow (RFC 6749 §4.4) at /oauth/token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertScimError, startWorker } from './harness.mjs';

let w;
let client;
before(async () => {
  w = await startWorker();
  await w.admin('/tenants/acme', { method: 'PUT', body: {} });
  await w.admin('/tenants/other', { method: 'PUT', body: {} });
  const res = await w.admin('/tenants/acme/clients', { method: 'POST', body: { label: 'entra' } });
  assert.equal(res.status, 201, res.text);
  client = res.body;
});
after(() => w?.stop());

const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = (fields) => new URLSearchParams(fields).toString();
const tokenRequest = (fields, headers = {}) => w.request('/oauth/token', {
  method: 'POST',
  body: form(fields),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
});

test('creating a client returns its id, secret and token endpoint once', () => {
  assert.match(client.client_id, /^client_[0-9a-f]{16}$/);
  assert.match(client.client_secret, /^scims_[0-9a-f]{64}$/);
  assert.equal(client.token_endpoint, `${w.origin}/oauth/token`);
});

test('client credentials with HTTP Basic yield a bearer token usable at once', async () => {
  const res = await tokenRequest({ grant_type: 'client_credentials', scope: 'scim' },
    { Authorization: basic(client.client_id, client.client_secret) });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.body.token_type, 'Bearer');
  assert.equal(res.body.expires_in, 3600);
  assert.match(res.body.access_token, /^scimo_[0-9a-f]{64}$/);
  const use = await w.request('/acme/scim/v2/Users', { token: res.body.access_token });
  assert.notEqual(use.status, 401, use.text);
  assertScimError(assert, await w.request('/other/scim/v2/Users', { token: res.body.access_token }), 401);
  assertScimError(assert, await w.request('/scim/v2/Users', { token: res.body.access_token }), 401);
});

test('client credentials in the form body are accepted too', async () => {
  const res = await tokenRequest({
    grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret,
  });
  assert.equal(res.status, 200, res.text);
});

test('a wrong secret or unknown client gets 401 invalid_client', async () => {
  for (const auth of [basic(client.client_id, 'nope'), basic('client_0000000000000000', client.client_secret)]) {
    const res = await tokenRequest({ grant_type: 'client_credentials' }, { Authorization: auth });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
    assert.match(res.headers.get('www-authenticate'), /^Basic/);
  }
  const none = await tokenRequest({ grant_type: 'client_credentials' });
  assert.equal(none.status, 401);
});

test('other grant types, scopes and methods are refused', async () => {
  const auth = { Authorization: basic(client.client_id, client.client_secret) };
  const grant = await tokenRequest({ grant_type: 'password' }, auth);
  assert.equal(grant.status, 400);
  assert.equal(grant.body.error, 'unsupported_grant_type');
  const missing = await tokenRequest({}, auth);
  assert.equal(missing.body.error, 'invalid_request');
  const scope = await tokenRequest({ grant_type: 'client_credentials', scope: 'admin' }, auth);
  assert.equal(scope.status, 400);
  assert.equal(scope.body.error, 'invalid_scope');
  const get = await w.request('/oauth/token');
  assert.equal(get.status, 405);
});

test('deleting a client revokes its tokens at once', async () => {
  const c = (await w.admin('/tenants/acme/clients', { method: 'POST' })).body;
  const { body } = await tokenRequest({ grant_type: 'client_credentials' },
    { Authorization: basic(c.client_id, c.client_secret) });
  assert.notEqual((await w.request('/acme/scim/v2/Users', { token: body.access_token })).status, 401);
  assert.equal((await w.admin(`/tenants/acme/clients/${c.client_id}`, { method: 'DELETE' })).status, 204);
  assertScimError(assert, await w.request('/acme/scim/v2/Users', { token: body.access_token }), 401);
  const again = await tokenRequest({ grant_type: 'client_credentials' },
    { Authorization: basic(c.client_id, c.client_secret) });
  assert.equal(again.status, 401);
});
