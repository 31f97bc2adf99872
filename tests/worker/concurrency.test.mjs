// Concurrent writers over D1: PATCHes racing with If-Match (one winner, the rest 412, nothing of
// the losers stored), PATCHes racing without If-Match (every change lands: compare-and-swap
// retries), and creates racing for one userName (one 201, the rest 409).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertScimError, startWorker } from './harness.mjs';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const N = 50;

let w;
// wrangler dev's local proxy drops a request now and then when a pooled connection to the
// Worker hits kj's 5 s idle timeout, and answers this 503 itself without reaching the Worker
// (cloudflare/workers-sdk#14641, #15252; it retries only GET). Bursts of 50 slow requests hit
// it, so such a request is sent again. The Worker never answers this text (its errors are SCIM
// JSON), and a request that did reach it would show up as an extra version and fail the test.
const PROXY_DROP = 'Your worker restarted mid-request.';
let proxyRetries = 0;
const scim = async (path, options = {}) => {
  for (let attempt = 1; ; attempt++) {
    const res = await w.request(`/scim/v2${path}`, { token: w.scimToken, ...options });
    if (res.status !== 503 || !res.text.startsWith(PROXY_DROP) || attempt === 5) return res;
    proxyRetries++;
  }
};
const patchOp = (Operations) => ({ schemas: [PATCH], Operations });
const range = (n) => Array.from({ length: n }, (_, i) => i);
const version = (etag) => Number(/^W\/"(\d+)"$/.exec(etag)?.[1]);

before(async () => {
  w = await startWorker();
});
after(async () => {
  if (proxyRetries) console.log(`requests resent after a wrangler dev proxy drop: ${proxyRetries}`);
  await w?.stop();
});

test(`${N} concurrent PATCHes with the same If-Match: the winners' changes only, every loser 412`, async () => {
  const emails = range(N).map((i) => ({ value: `e${i}@example.com`, type: 'other' }));
  const created = await scim('/Users', { method: 'POST', body: { schemas: [USER], userName: 'race.ifmatch@example.com', emails } });
  assert.equal(created.status, 201, created.text);
  const path = `/Users/${created.body.id}`;
  const etag = created.headers.get('etag');

  // Each PATCH sets the display of a different list entry; half also set a different attribute.
  const results = await Promise.all(range(N).map((i) => scim(path, {
    method: 'PATCH',
    headers: { 'If-Match': etag },
    body: patchOp([
      { op: 'replace', path: `emails[value eq "e${i}@example.com"].display`, value: `winner ${i}` },
      ...(i % 2 ? [{ op: 'add', path: `${ENTERPRISE}:employeeNumber`, value: String(i) }] : []),
    ]),
  })));
  const winners = range(N).filter((i) => results[i].status === 200);
  const losers = range(N).filter((i) => results[i].status !== 200);
  assert.ok(winners.length >= 1, 'at least one PATCH wins');
  for (const i of losers) assertScimError(assert, results[i], 412);
  // All carried the same ETag, and each changes the document: only one can match it.
  assert.equal(winners.length, 1, `winners: ${winners}`);

  const final = await scim(path);
  assert.equal(final.status, 200);
  const [winner] = winners;
  assert.equal(final.headers.get('etag'), results[winner].headers.get('etag'));
  assert.equal(version(final.headers.get('etag')), version(etag) + 1);
  const displayed = final.body.emails.filter((e) => e.display !== undefined);
  assert.deepEqual(displayed.map((e) => [e.value, e.display]), [[`e${winner}@example.com`, `winner ${winner}`]]);
  assert.equal(final.body.emails.length, N);
  assert.equal(final.body[ENTERPRISE]?.employeeNumber, winner % 2 ? String(winner) : undefined);
});

test(`${N} concurrent PATCHes without If-Match on different values: none is lost`, async () => {
  const created = await scim('/Users', { method: 'POST', body: { schemas: [USER], userName: 'race.free@example.com' } });
  assert.equal(created.status, 201, created.text);
  const path = `/Users/${created.body.id}`;
  const start = version(created.headers.get('etag'));

  const results = await Promise.all(range(N).map((i) => scim(path, {
    method: 'PATCH',
    body: patchOp(i % 2
      ? [{ op: 'add', path: 'emails', value: [{ value: `added${i}@example.com`, type: 'work' }] }]
      : [{ op: 'add', path: 'phoneNumbers', value: [{ value: `+1 555 01${String(i).padStart(2, '0')}`, type: 'work' }] }]),
  })));
  const failed = results.map((r, i) => [i, r.status, r.text]).filter(([, s]) => s !== 200);
  assert.deepEqual(failed, [], 'every PATCH succeeds');

  const final = await scim(path);
  const emails = (final.body.emails ?? []).map((e) => e.value).sort();
  const phones = (final.body.phoneNumbers ?? []).map((p) => p.value).sort();
  assert.deepEqual(emails, range(N).filter((i) => i % 2).map((i) => `added${i}@example.com`).sort());
  assert.deepEqual(phones, range(N).filter((i) => i % 2 === 0).map((i) => `+1 555 01${String(i).padStart(2, '0')}`).sort());
  // Every PATCH was applied exactly once: one new version each.
  assert.equal(version(final.headers.get('etag')), start + N);
  const versions = results.map((r) => version(r.headers.get('etag'))).sort((a, b) => a - b);
  assert.deepEqual(versions, range(N).map((i) => start + 1 + i));
});

test(`${N} concurrent POSTs of one userName: exactly one 201, the rest 409 uniqueness`, async () => {
  const results = await Promise.all(range(N).map((i) => scim('/Users', {
    method: 'POST',
    body: { schemas: [USER], userName: i % 2 ? 'Race.Create@example.com' : 'race.create@EXAMPLE.com', externalId: `x${i}` },
  })));
  const created = results.filter((r) => r.status === 201);
  assert.equal(created.length, 1, results.map((r) => r.status).join(','));
  for (const r of results.filter((x) => x.status !== 201)) {
    assertScimError(assert, r, 409);
    assert.equal(r.body.scimType, 'uniqueness');
  }
  const found = await scim(`/Users?filter=${encodeURIComponent('userName eq "race.create@example.com"')}`);
  assert.equal(found.body.totalResults, 1);
  assert.equal(found.body.Resources[0].id, created[0].body.id);
});
