// Every route of the Worker without a token and with wrong ones: each SCIM endpoint (discovery
// included, for the default tenant, a named tenant and an unknown one) and each method answers
// 401 with a Bearer challenge and a SCIM error body; the admin API does the same; the OAuth
// token endpoint answers 401 invalid_client with a Basic challenge to anything but valid client
// credentials. A control run with the right token shows the routes are really served.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorker } from './harness.mjs';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const ID = '2819c223-7f76-453a-919d-413861904646';

/** SCIM endpoints below a tenant's base, with the methods a client could send to them. */
const ENDPOINTS = [
  '', '/', '/Users', `/Users/${ID}`, '/Users/.search', '/Groups', `/Groups/${ID}`,
  '/Groups/.search', '/.search', '/Me', '/Bulk', '/ServiceProviderConfig', '/ResourceTypes',
  '/ResourceTypes/User', '/Schemas', `/Schemas/${USER}`, '/NoSuchEndpoint',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ADMIN_ROUTES = [
  ['GET', '/admin'], ['GET', '/admin/tenants/acme'], ['PUT', '/admin/tenants/acme'],
  ['DELETE', '/admin/tenants/acme'], ['POST', '/admin/tenants/acme/tokens'],
  ['DELETE', '/admin/tenants/acme/tokens/x'], ['POST', '/admin/tenants/acme/clients'],
  ['DELETE', '/admin/tenants/acme/clients/x'], ['GET', '/admin/nope'],
];

let w;
let acmeToken;
let oauthClient;
let otherOAuthToken;

before(async () => {
  w = await startWorker();
  assert.equal((await w.admin('/tenants/acme', { method: 'PUT', body: { settings: {} } })).status, 201);
  assert.equal((await w.admin('/tenants/beta', { method: 'PUT', body: { settings: {} } })).status, 201);
  acmeToken = (await w.admin('/tenants/acme/tokens', { method: 'POST' })).body.token;
  oauthClient = (await w.admin('/tenants/acme/clients', { method: 'POST' })).body;
  const betaClient = (await w.admin('/tenants/beta/clients', { method: 'POST' })).body;
  const issued = await fetch(`${w.origin}/oauth/token`, {
    method: 'POST',
    headers: { Authorization: basic(betaClient.client_id, betaClient.client_secret), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=scim',
  });
  assert.equal(issued.status, 200);
  otherOAuthToken = (await issued.json()).access_token;
});
after(() => w?.stop());

function basic(id, secret) {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** Sends `method path` with `authorization` (or none) and a JSON body where one belongs. */
async function send(method, path, authorization) {
  const headers = {};
  if (authorization !== undefined) headers.Authorization = authorization;
  let body;
  if (['POST', 'PUT', 'PATCH'].includes(method)) {
    headers['Content-Type'] = 'application/scim+json';
    body = JSON.stringify({ schemas: [USER], userName: 'route-probe' });
  }
  const res = await fetch(`${w.origin}${path}`, { method, headers, body });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: json };
}

/** Runs `jobs` (functions returning promises) with a few at a time. */
async function pool(jobs, width = 6) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next;
      next += 1;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** The problems of a response that should be a Bearer 401 (empty when it is one). */
function bearer401(res, tokenPresented) {
  const problems = [];
  if (res.status !== 401) problems.push(`status ${res.status}`);
  const challenge = res.headers.get('www-authenticate') ?? '';
  if (!/^Bearer realm="scim"/.test(challenge)) problems.push(`WWW-Authenticate ${JSON.stringify(challenge)}`);
  if (tokenPresented !== /error="invalid_token"/.test(challenge)) problems.push(`challenge ${challenge} for token presented=${tokenPresented}`);
  if (!/^application\/scim\+json/.test(res.headers.get('content-type') ?? '')) problems.push('not SCIM JSON');
  if (JSON.stringify(res.body?.schemas) !== JSON.stringify([ERROR]) || res.body?.status !== '401') problems.push(`body ${res.text.slice(0, 120)}`);
  return problems;
}

/** Credentials that must not open a tenant's SCIM API, by tenant base. */
function wrongCredentials(base) {
  const creds = [
    ['no Authorization', undefined, false],
    ['a random bearer token', `Bearer ${'f'.repeat(64)}`, true],
    ['the admin token', `Bearer ${w.adminToken}`, true],
    ["another tenant's OAuth token", `Bearer ${otherOAuthToken}`, true],
    ['OAuth client credentials as Basic', basic(oauthClient.client_id, oauthClient.client_secret), true],
  ];
  creds.push(base.toLowerCase() === '/scim/v2'
    ? ["tenant acme's static token", `Bearer ${acmeToken}`, true]
    : ['the default SCIM_TOKEN', `Bearer ${w.scimToken}`, true]);
  return creds;
}

test('every SCIM route of every tenant answers 401 with a Bearer challenge without a valid token', async () => {
  const jobs = [];
  for (const base of ['/scim/v2', '/acme/scim/v2', '/SCIM/V2', '/ghost/scim/v2']) {
    for (const endpoint of ENDPOINTS) {
      for (const method of METHODS) {
        // The case-variant base and the unknown tenant get the two basic probes only.
        const creds = ['/scim/v2', '/acme/scim/v2'].includes(base) ? wrongCredentials(base) : wrongCredentials(base).slice(0, 2);
        for (const [label, authorization, presented] of creds) {
          const path = `${base}${endpoint}`;
          jobs.push(async () => {
            const problems = bearer401(await send(method, path, authorization), presented);
            return problems.length ? `${method} ${path} with ${label}: ${problems.join('; ')}` : null;
          });
        }
      }
    }
  }
  assert.ok(jobs.length >= 1000, `${jobs.length} probes`);
  const failures = (await pool(jobs)).filter(Boolean);
  assert.deepEqual(failures, [], `${failures.length} of ${jobs.length} probes`);
});

test('with the right token the same routes are served (the 401s above are about the token)', async () => {
  const jobs = [];
  for (const [base, token] of [['/scim/v2', w.scimToken], ['/acme/scim/v2', acmeToken]]) {
    for (const endpoint of ENDPOINTS) {
      jobs.push(async () => {
        const res = await send('GET', `${base}${endpoint}`, `Bearer ${token}`);
        return res.status === 401 ? `GET ${base}${endpoint}: 401` : null;
      });
    }
  }
  assert.deepEqual((await pool(jobs)).filter(Boolean), []);
  const config = await send('GET', '/acme/scim/v2/ServiceProviderConfig', `Bearer ${acmeToken}`);
  assert.equal(config.status, 200);
  const me = await send('GET', '/scim/v2/Users', `Bearer ${w.scimToken}`);
  assert.equal(me.status, 200);
});

test('the admin API answers 401 with a Bearer challenge to every route without the admin token', async () => {
  const jobs = [];
  const creds = [
    ['no Authorization', undefined, false],
    ['a random token', `Bearer ${'0'.repeat(64)}`, true],
    ['the SCIM token', `Bearer ${w.scimToken}`, true],
    ["a tenant's static token", `Bearer ${acmeToken}`, true],
    ['the admin token as Basic', basic('admin', w.adminToken), true],
  ];
  for (const [method, path] of ADMIN_ROUTES) {
    for (const [label, authorization, presented] of creds) {
      jobs.push(async () => {
        const problems = bearer401(await send(method, path, authorization), presented);
        return problems.length ? `${method} ${path} with ${label}: ${problems.join('; ')}` : null;
      });
    }
  }
  assert.deepEqual((await pool(jobs)).filter(Boolean), []);
  // Control: the admin token opens it.
  assert.equal((await w.admin('/tenants/acme')).status, 200);
});

test('the OAuth token endpoint issues tokens only to valid client credentials', async () => {
  const form = 'grant_type=client_credentials&scope=scim';
  const post = (authorization) => fetch(`${w.origin}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(authorization ? { Authorization: authorization } : {}) },
    body: form,
  });
  for (const [label, authorization] of [
    ['no credentials', undefined],
    ['the SCIM token as a bearer', `Bearer ${w.scimToken}`],
    ['the admin token as a bearer', `Bearer ${w.adminToken}`],
    ['a wrong secret', basic(oauthClient.client_id, 'wrong')],
    ['an unknown client', basic('client_unknown', oauthClient.client_secret)],
    ['a malformed Basic value', 'Basic !!!'],
  ]) {
    const res = await post(authorization);
    assert.equal(res.status, 401, label);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic/, label);
    assert.equal(res.headers.get('cache-control'), 'no-store', label);
    const body = await res.json();
    assert.equal(body.error, 'invalid_client', label);
    assert.equal(body.access_token, undefined, label);
  }
  // Control: the client's own credentials get a token.
  const ok = await post(basic(oauthClient.client_id, oauthClient.client_secret));
  assert.equal(ok.status, 200);
  assert.match((await ok.json()).access_token, /^scimo_/);
});
