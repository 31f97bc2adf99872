// Error shapes and limits: 404 SCIM errors, 413 for large bodies, 429 for a tenant's rate limit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertScimError, startWorker } from './harness.mjs';

let w;
before(async () => {
  w = await startWorker({ vars: { MAX_BODY_BYTES: '4096' } });
});
after(() => w?.stop());

test('unknown paths answer a SCIM 404 error without needing a token', async () => {
  for (const path of ['/', '/nope', '/scim/v1/Users', '/Bad_Tenant/scim/v2/Users']) {
    assertScimError(assert, await w.request(path), 404);
  }
});

test('an unknown SCIM endpoint answers a SCIM 404 error', async () => {
  const res = await w.request('/scim/v2/NoSuchEndpoint', { token: w.scimToken });
  assertScimError(assert, res, 404);
});

test('a body above MAX_BODY_BYTES gets 413', async () => {
  const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x'.repeat(5000) });
  const res = await w.request('/scim/v2/Users', { method: 'POST', token: w.scimToken, body });
  assertScimError(assert, res, 413);
});

test('a body above the limit without Content-Length still gets 413', async () => {
  const chunk = new TextEncoder().encode('x'.repeat(3000));
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(chunk);
      controller.enqueue(chunk);
      controller.close();
    },
  });
  const res = await fetch(`${w.scim}/Users`, {
    method: 'POST', body: stream, duplex: 'half',
    headers: { Authorization: `Bearer ${w.scimToken}`, 'Content-Type': 'application/scim+json' },
  });
  assert.equal(res.status, 413);
  assert.equal((await res.json()).status, '413');
});

test("a tenant's rate limit answers 429 with Retry-After once exceeded", async () => {
  const settings = { rateLimit: { requests: 3, periodSeconds: 60 } };
  assert.equal((await w.admin('/tenants/slow', { method: 'PUT', body: { settings } })).status, 201);
  const { token } = (await w.admin('/tenants/slow/tokens', { method: 'POST' })).body;
  const statuses = [];
  let limited;
  for (let i = 0; i < 5; i += 1) {
    const res = await w.request('/slow/scim/v2/Users', { token });
    statuses.push(res.status);
    if (res.status === 429) limited ??= res;
  }
  assert.deepEqual(statuses.map((s) => s === 429), [false, false, false, true, true]);
  assertScimError(assert, limited, 429);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  // Other tenants keep their own budget.
  const other = await w.request('/scim/v2/Users', { token: w.scimToken });
  assert.notEqual(other.status, 429);
});
