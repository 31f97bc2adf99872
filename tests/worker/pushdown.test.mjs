// Filters and sorts that D1 answers in SQL (core's push-down), over HTTP against the real
// `wrangler dev` with local D1: dateTime comparisons as instants (offsets, fractions finer than
// the stored milliseconds), case-insensitive co/sw/ew with non-ASCII letters, LIKE/GLOB
// metacharacters matched literally, orderings whose SQL needs the cased-character test. D1
// refuses LIKE/GLOB patterns over 50 bytes; the store no longer falls back to a full scan on a
// refused statement, so such a statement fails these tests instead of hiding.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorker } from './harness.mjs';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

let w;
const scim = (path, options = {}) => w.request(`/scim/v2${path}`, { token: w.scimToken, ...options });
const q = (text) => encodeURIComponent(text);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** userNames of the users matching `filter` (within this file's users), sorted. */
async function names(filter, prefix = 'pd-') {
  const res = await scim(`/Users?count=1000&filter=${q(`(${filter}) and userName sw "${prefix}"`)}`);
  assert.equal(res.status, 200, `${filter}: ${res.text}`);
  assert.equal(res.body.totalResults, res.body.Resources?.length ?? 0, filter);
  return (res.body.Resources ?? []).map((u) => u.userName).sort();
}

async function create(userName, extra = {}) {
  const res = await scim('/Users', { method: 'POST', body: { schemas: [USER], userName, ...extra } });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

/**
 * `iso` (UTC, milliseconds) written at offset `minutes` east of UTC, with the fraction padded
 * to `digits` digits and `extra` appended after the milliseconds.
 */
function atOffset(iso, minutes, digits = 3, extra = '') {
  const t = new Date(Date.parse(iso) + minutes * 60000);
  const local = t.toISOString();
  const frac = (local.slice(20, 23) + extra).padEnd(digits, '0');
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local.slice(0, 19)}.${frac}${sign}${hh}:${mm}`;
}

const dated = [];

before(async () => {
  w = await startWorker();
  // Three users created apart in time (lastModified has millisecond precision).
  for (const n of ['a', 'b', 'c']) {
    dated.push(await create(`pd-dt-${n}`));
    await sleep(25);
  }
  for (const [userName, displayName] of [
    ['pd-s-ecole', 'ÉCOLE Supérieure'],
    ['pd-s-emile', 'émile zola'],
    ['pd-s-plain', 'Ecole plain'],
    ['pd-s-pct', '100% sure'],
    ['pd-s-under', '_under_score'],
    ['pd-s-back', 'ends in \\'],
    ['pd-s-other', 'nothing special'],
    ['pd-s-kelvin', '\u212Aelvin'],
    ['pd-s-greek', 'ΣΟΦΙΑ'],
  ]) {
    await create(userName, { displayName });
  }
});
after(() => w?.stop());

test('the created users have distinct lastModified instants', () => {
  const times = dated.map((u) => Date.parse(u.meta.lastModified));
  assert.ok(times[0] < times[1] && times[1] < times[2], JSON.stringify(times));
});

test('meta.lastModified compares as an instant, whatever the offset', async () => {
  const b = dated[1].meta.lastModified;
  const f = (op, lit) => names(`meta.lastModified ${op} "${lit}"`, 'pd-dt-');
  assert.deepEqual(await f('gt', atOffset(b, 330)), ['pd-dt-c']);
  assert.deepEqual(await f('ge', atOffset(b, -420)), ['pd-dt-b', 'pd-dt-c']);
  assert.deepEqual(await f('eq', atOffset(b, 120)), ['pd-dt-b']);
  assert.deepEqual(await f('lt', atOffset(b, -59)), ['pd-dt-a']);
  assert.deepEqual(await f('le', atOffset(b, 0).replace('+00:00', 'Z')), ['pd-dt-a', 'pd-dt-b']);
  assert.deepEqual(await f('ne', atOffset(b, 60)), ['pd-dt-a', 'pd-dt-c']);
});

test('meta.lastModified with fractions finer than milliseconds (Entra sends 7 digits)', async () => {
  const b = dated[1].meta.lastModified;
  const f = (op, lit) => names(`meta.lastModified ${op} "${lit}"`, 'pd-dt-');
  // b + 100 ns: b itself is before it, c after it.
  const justAfter = atOffset(b, -420, 7, '0001');
  assert.deepEqual(await f('lt', justAfter), ['pd-dt-a', 'pd-dt-b']);
  assert.deepEqual(await f('gt', justAfter), ['pd-dt-c']);
  assert.deepEqual(await f('eq', justAfter), []);
  // The same instant as b with nine digits is equal to it.
  assert.deepEqual(await f('eq', atOffset(b, 90, 9)), ['pd-dt-b']);
  assert.deepEqual(await f('ge', atOffset(b, 90, 9)), ['pd-dt-b', 'pd-dt-c']);
});

test('dateTime sorting follows the instants', async () => {
  const res = await scim(`/Users?filter=${q('userName sw "pd-dt-"')}&sortBy=meta.lastModified&sortOrder=descending`);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.Resources.map((u) => u.userName), ['pd-dt-c', 'pd-dt-b', 'pd-dt-a']);
});

test('co, sw and ew are case-insensitive, also for non-ASCII letters', async () => {
  const f = (filter) => names(filter, 'pd-s-');
  assert.deepEqual(await f('displayName co "école"'), ['pd-s-ecole']);
  assert.deepEqual(await f('displayName co "COLE"'), ['pd-s-ecole', 'pd-s-plain']);
  assert.deepEqual(await f('displayName sw "éc"'), ['pd-s-ecole']);
  assert.deepEqual(await f('displayName sw "ÉMILE"'), ['pd-s-emile']);
  assert.deepEqual(await f('displayName ew "SUPÉRIEURE"'), ['pd-s-ecole']);
  assert.deepEqual(await f('displayName ew "Zola"'), ['pd-s-emile']);
  assert.deepEqual(await f('displayName eq "école supérieure"'), ['pd-s-ecole']);
  assert.deepEqual(await f('displayName co "é"'), ['pd-s-ecole', 'pd-s-emile']);
  // KELVIN SIGN lowercases to ASCII k; final sigma rules aside, Σ lowercases to σ.
  assert.deepEqual(await f('displayName sw "kel"'), ['pd-s-kelvin']);
  assert.deepEqual(await f('displayName co "σοφ"'), ['pd-s-greek']);
});

test('%, _ and \\ are plain characters in co, sw and ew', async () => {
  const f = (filter) => names(filter, 'pd-s-');
  assert.deepEqual(await f('displayName co "%"'), ['pd-s-pct']);
  assert.deepEqual(await f('displayName co "0% s"'), ['pd-s-pct']);
  assert.deepEqual(await f('displayName sw "_"'), ['pd-s-under']);
  assert.deepEqual(await f('displayName co "r_s"'), ['pd-s-under']);
  assert.deepEqual(await f('displayName ew "\\\\"'), ['pd-s-back']);
  assert.deepEqual(await f('displayName co "\\\\"'), ['pd-s-back']);
  assert.deepEqual(await f('displayName sw "*"'), []);
  assert.deepEqual(await f('displayName co "["'), []);
});

test('orderings against non-ASCII literals and sorts on non-ASCII text answer correctly', async () => {
  const f = (filter) => names(filter, 'pd-s-');
  // Case-insensitive: "émile zola" and "école supérieure" both start above "é" (U+00E9).
  assert.deepEqual(await f('displayName ge "é"'), ['pd-s-ecole', 'pd-s-emile', 'pd-s-greek']);
  assert.deepEqual(await f('displayName lt "É"'), [
    'pd-s-back', 'pd-s-kelvin', 'pd-s-other', 'pd-s-pct', 'pd-s-plain', 'pd-s-under',
  ]);
  const res = await scim(`/Users?filter=${q('userName sw "pd-s-"')}&sortBy=displayName&count=4`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.totalResults, 9);
  const lower = (s) => s.toLowerCase();
  const all = [
    'ÉCOLE Supérieure', 'émile zola', 'Ecole plain', '100% sure', '_under_score', 'ends in \\',
    'nothing special', '\u212Aelvin', 'ΣΟΦΙΑ',
  ].sort((x, y) => (lower(x) < lower(y) ? -1 : lower(x) > lower(y) ? 1 : 0));
  assert.deepEqual(res.body.Resources.map((u) => u.displayName), all.slice(0, 4));
});

test('a user is read with its groups (one statement), deleted groups left out', async () => {
  const user = await create('pd-g-member');
  const mk = async (displayName) => {
    const res = await scim('/Groups', {
      method: 'POST',
      body: { schemas: [GROUP], displayName, members: [{ value: user.id }] },
    });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };
  const [g1, g2] = [await mk('pd Engineering'), await mk('pd Ops')];
  let got = await scim(`/Users/${user.id}`);
  assert.equal(got.status, 200, got.text);
  const groups = (got.body.groups ?? []).map((g) => [g.value, g.display, g.type]).sort();
  assert.deepEqual(groups, [[g1.id, 'pd Engineering', 'direct'], [g2.id, 'pd Ops', 'direct']].sort());
  assert.equal(got.body.groups[0].$ref, `${w.scim}/Groups/${got.body.groups[0].value}`);
  assert.equal((await scim(`/Groups/${g2.id}`, { method: 'DELETE' })).status, 204);
  got = await scim(`/Users/${user.id}`);
  assert.deepEqual(got.body.groups.map((g) => g.value), [g1.id]);
  const plain = await scim(`/Users/${dated[0].id}`);
  assert.equal(plain.status, 200);
  assert.equal(plain.body.groups, undefined);
  assert.equal((await scim('/Users/no-such-id')).status, 404);
});

test('totals of large listings stay exact across writes (kept counts are checked against D1)', async () => {
  const spc = await scim('/ServiceProviderConfig');
  const maxOps = Math.min(spc.body.bulk.maxOperations, 150);
  const Operations = Array.from({ length: maxOps }, (_, i) => ({
    method: 'POST', path: '/Users', bulkId: `c${i}`,
    data: { schemas: [USER], userName: `pd-c-${i}`, emails: [{ type: 'work', value: `c${i}@count.example` }] },
  }));
  const bulk = await scim('/Bulk', {
    method: 'POST',
    body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations },
  });
  assert.equal(bulk.status, 200, bulk.text);
  assert.ok(bulk.body.Operations.every((o) => o.status === '201'), bulk.text);
  const filter = q('emails[type eq "work" and value co "@count.example"]');
  const total = async () => {
    const res = await scim(`/Users?count=3&filter=${filter}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.Resources.length, 3);
    return res.body.totalResults;
  };
  assert.equal(await total(), maxOps);
  assert.equal(await total(), maxOps, 'asked again');
  const added = await create('pd-c-added', { emails: [{ type: 'work', value: 'added@COUNT.example' }] });
  assert.equal(await total(), maxOps + 1, 'after a create');
  const patched = await scim(`/Users/${added.id}`, {
    method: 'PATCH',
    body: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'emails', value: [{ type: 'work', value: 'moved@else.example' }] }],
    },
  });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(await total(), maxOps, 'after a PATCH that leaves the filter');
  const first = bulk.body.Operations[0].location.split('/').pop();
  assert.equal((await scim(`/Users/${first}`, { method: 'DELETE' })).status, 204);
  assert.equal(await total(), maxOps - 1, 'after a delete');
  const page = await scim(`/Users?count=0&filter=${q('userName sw "pd-c-"')}`);
  assert.equal(page.body.totalResults, maxOps, 'another filter');
});
