// Hostile input against the real Worker (wrangler dev, local D1): a table of bad requests, each
// with the status (and scimType) it must get. Every error must be a SCIM error body, nothing may
// be a 5xx, and afterwards the seeded data reads back exactly as before.
//
// Requests go through node:http, not fetch: fetch (WHATWG URL) would normalise `../` and
// `%2e%2e` in paths and refuses methods such as TRACE, and the point is to send them verbatim.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, test } from 'node:test';
import { startWorker } from './harness.mjs';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

let w;
/** Seeded data: ids of the default tenant's user and group, and of the other tenant's user. */
const seed = {};
let otherToken;

/**
 * Sends a request verbatim, a body with its Content-Length; resolves to { status, headers,
 * text, body }. (Large bodies without a length are left to limits.test.mjs with a small cap:
 * wrangler dev's local proxy often loses the answer to an upload the Worker refused before it
 * ended, a 503 or a reset, whatever the Worker does.)
 */
function raw(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(w.origin);
    const h = { ...headers };
    if (body !== undefined) h['Content-Length'] = String(Buffer.byteLength(body));
    const req = httpRequest({ host: hostname, port, method, path, headers: h });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, body: json });
      });
    });
    // A server may answer (413) and close before a large body is sent: the answer counts.
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    req.setTimeout(30000, () => req.destroy(new Error('no answer within 30 s')));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const json = (value) => Buffer.from(JSON.stringify(value));
const auth = () => ({ Authorization: `Bearer ${w.scimToken}` });
const scimJson = { 'Content-Type': 'application/scim+json' };

/** A request with the default tenant's token; a non-Buffer `body` is sent as SCIM JSON. */
function scim(method, path, body, headers = {}) {
  const h = { ...auth(), ...headers };
  let b = body;
  if (body !== undefined && !Buffer.isBuffer(body) && typeof body !== 'string') {
    h['Content-Type'] ??= 'application/scim+json';
    b = json(body);
  } else if (typeof body === 'string') {
    h['Content-Type'] ??= 'application/scim+json';
  }
  return raw(method, `/scim/v2${path}`, { headers: h, body: b });
}

const get = (path) => scim('GET', path);
const filter = (text, extra = '') => get(`/Users?filter=${encodeURIComponent(text)}${extra}`);
const userBody = (extra) => ({ schemas: [USER], userName: `hostile-${Math.random()}`, ...extra });
const patchBody = (ops) => ({ schemas: [PATCH_OP], Operations: ops });
const bulkBody = (ops, extra = {}) => ({ schemas: [BULK], Operations: ops, ...extra });
const nested = (depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const ors = (n) => Array.from({ length: n }, (_, i) => `userName eq "nobody${i}"`).join(' or ');
const deepFilter = (depth) => `${'('.repeat(depth)}userName pr${')'.repeat(depth)}`;
const search = (body, path = '/Users') => scim('POST', `${path}/.search`, body);

/**
 * The catalogue. `status`: expected HTTP status; `type`: expected scimType (when the RFC names
 * one); `total`: for 200 list answers, the expected totalResults (filters must match literally).
 */
const catalogue = [
  // Bodies that are not (acceptable) JSON.
  { name: 'malformed JSON', req: () => scim('POST', '/Users', '{"schemas": [', ), status: 400, type: 'invalidSyntax' },
  { name: 'JSON with trailing garbage', req: () => scim('POST', '/Users', '{"userName":"a"} x'), status: 400, type: 'invalidSyntax' },
  { name: 'empty body on POST', req: () => scim('POST', '/Users', ''), status: 400, type: 'invalidSyntax' },
  { name: 'JSON array instead of object', req: () => scim('POST', '/Users', '[1,2]'), status: 400 },
  { name: 'JSON nested 10 000 deep', req: () => scim('POST', '/Users', nested(10000)), status: 400, type: 'invalidSyntax' },
  { name: 'JSON object nested 10 000 deep as PATCH', req: () => scim('PATCH', `/Users/${seed.user}`, Buffer.from(`${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}`)), status: 400, type: 'invalidSyntax' },
  { name: 'invalid UTF-8 in a string', req: () => scim('POST', '/Users', Buffer.concat([Buffer.from(`{"schemas":["${USER}"],"userName":"`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])), status: 400, type: 'invalidSyntax' },
  { name: 'lone surrogate escape', req: () => scim('POST', '/Users', `{"schemas":["${USER}"],"userName":"\\ud800"}`), status: 400, type: 'invalidSyntax' },
  { name: '20 MB body (Content-Length)', req: () => scim('POST', '/Users', Buffer.alloc(20 * 1024 * 1024, 0x20)), status: 413 },
  // Bodies a little over the small caps of the token endpoint (4 KiB) and the admin API
  // (256 KiB), small enough that the whole upload is sent before the early answer: wrangler
  // dev's local proxy cuts a connection the Worker answered while the upload was still going.
  { name: 'oversized form body to the token endpoint', req: () => raw('POST', '/oauth/token', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: Buffer.alloc(64 * 1024, 0x61) }), status: 413 },
  { name: 'oversized body to the admin API', req: () => raw('PUT', '/admin/tenants/huge', { headers: { Authorization: `Bearer ${w.adminToken}`, 'Content-Type': 'application/json' }, body: Buffer.alloc(300 * 1024, 0x20) }), status: 413 },
  { name: '20 MB Bulk body', req: () => scim('POST', '/Bulk', Buffer.alloc(20 * 1024 * 1024, 0x20)), status: 413 },
  { name: 'Content-Type text/plain', req: () => scim('POST', '/Users', json(userBody()), { 'Content-Type': 'text/plain' }), status: 415 },
  { name: 'Content-Type form on PATCH', req: () => scim('PATCH', `/Users/${seed.user}`, json(patchBody([{ op: 'replace', path: 'title', value: 'x' }])), { 'Content-Type': 'application/x-www-form-urlencoded' }), status: 415 },
  { name: 'Content-Type XML on PUT', req: () => scim('PUT', `/Users/${seed.user}`, json(userBody()), { 'Content-Type': 'application/xml' }), status: 415 },
  { name: 'Content-Type multipart on Bulk', req: () => scim('POST', '/Bulk', json(bulkBody([])), { 'Content-Type': 'multipart/form-data; boundary=x' }), status: 415 },
  { name: 'Content-Type text/json on .search', req: () => scim('POST', '/Users/.search', json({ schemas: [SEARCH] }), { 'Content-Type': 'text/json' }), status: 415 },

  // Schemas.
  { name: 'unknown schema URN', req: () => scim('POST', '/Users', { schemas: ['urn:example:bogus'], userName: 'u-bogus' }), status: 400, type: 'invalidValue' },
  { name: 'unknown extension URN next to the core one', req: () => scim('POST', '/Users', { schemas: [USER, 'urn:example:ext'], userName: 'u-ext', 'urn:example:ext': { a: 1 } }), status: 400, type: 'invalidValue' },
  { name: 'Group schema on /Users', req: () => scim('POST', '/Users', { schemas: [GROUP], displayName: 'g', userName: 'u-g' }), status: 400, type: 'invalidValue' },
  { name: 'schemas missing', req: () => scim('POST', '/Users', { userName: 'no-schemas' }), status: 400, type: 'invalidValue' },
  { name: 'schemas not an array', req: () => scim('POST', '/Users', { schemas: USER, userName: 'str-schemas' }), status: 400, type: 'invalidValue' },
  { name: 'PatchOp without schemas', req: () => scim('PATCH', `/Users/${seed.user}`, { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }), status: 400, type: 'invalidSyntax' },
  { name: 'duplicate attribute names differing in case', req: () => scim('POST', '/Users', Buffer.from(`{"schemas":["${USER}"],"userName":"dup-a","USERNAME":"dup-b"}`)), status: 400, type: 'invalidValue' },
  { name: 'duplicate sub-attribute names differing in case', req: () => scim('POST', '/Users', { schemas: [USER], userName: 'dup-sub', name: { givenName: 'a', GIVENNAME: 'b' } }), status: 400, type: 'invalidValue' },
  { name: 'duplicate attribute in PUT', req: () => scim('PUT', `/Users/${seed.user}`, Buffer.from(`{"schemas":["${USER}"],"userName":"bjensen@example.com","title":"a","Title":"b"}`)), status: 400, type: 'invalidValue' },

  // Wrong types.
  { name: 'userName a number', req: () => scim('POST', '/Users', { schemas: [USER], userName: 42 }), status: 400, type: 'invalidValue' },
  { name: 'userName null', req: () => scim('POST', '/Users', { schemas: [USER], userName: null }), status: 400, type: 'invalidValue' },
  { name: 'userName empty', req: () => scim('POST', '/Users', { schemas: [USER], userName: '' }), status: 400, type: 'invalidValue' },
  { name: 'userName only whitespace', req: () => scim('POST', '/Users', { schemas: [USER], userName: ' \t ' }), status: 400, type: 'invalidValue' },
  { name: 'PATCH userName to an empty string', req: () => scim('PATCH', `/Users/${seed.user}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: '' }] }), status: 400, type: 'invalidValue' },
  { name: 'active "maybe"', req: () => scim('POST', '/Users', userBody({ active: 'maybe' })), status: 400, type: 'invalidValue' },
  { name: 'active a number', req: () => scim('POST', '/Users', userBody({ active: 1 })), status: 400, type: 'invalidValue' },
  { name: 'emails an object instead of an array', req: () => scim('POST', '/Users', userBody({ emails: { value: 'a@b.c', type: 'work' } })), status: 400, type: 'invalidValue' },
  { name: 'emails value a number', req: () => scim('POST', '/Users', userBody({ emails: [{ value: 5 }] })), status: 400, type: 'invalidValue' },
  { name: 'emails an array of strings', req: () => scim('POST', '/Users', userBody({ emails: ['a@b.c'] })), status: 400, type: 'invalidValue' },
  { name: 'name a string', req: () => scim('POST', '/Users', userBody({ name: 'Barbara Jensen' })), status: 400, type: 'invalidValue' },
  { name: 'displayName an object', req: () => scim('POST', '/Users', userBody({ displayName: { a: 1 } })), status: 400, type: 'invalidValue' },
  { name: 'enterprise manager a string', req: () => scim('POST', '/Users', userBody({ schemas: [USER, ENTERPRISE], [ENTERPRISE]: { manager: 'boss' } })), status: 400, type: 'invalidValue' },
  { name: 'Group members an object', req: () => scim('POST', '/Groups', { schemas: [GROUP], displayName: 'bad-members', members: { value: 'x' } }), status: 400, type: 'invalidValue' },
  { name: 'Group member of an unknown id', req: () => scim('POST', '/Groups', { schemas: [GROUP], displayName: 'ghost-member', members: [{ value: 'no-such-id' }] }), status: 400, type: 'invalidValue' },
  { name: 'Group member of another tenant', req: () => scim('POST', '/Groups', { schemas: [GROUP], displayName: 'cross-member', members: [{ value: seed.otherUser }] }), status: 400, type: 'invalidValue' },
  { name: 'PUT without the required userName', req: () => scim('PUT', `/Users/${seed.user}`, { schemas: [USER], title: 'changed' }), status: 400, type: 'invalidValue' },
  { name: 'POST a userName taken in another case', req: () => scim('POST', '/Users', { schemas: [USER], userName: 'BJENSEN@example.com' }), status: 409, type: 'uniqueness' },

  // Query parameters.
  { name: 'huge count', req: () => get('/Users?count=99999999999999999999999'), status: 200 },
  { name: 'count not a number', req: () => get('/Users?count=ten'), status: 400, type: 'invalidValue' },
  { name: 'negative count', req: () => get('/Users?count=-5'), status: 200, total: 3 },
  { name: 'negative startIndex', req: () => get('/Users?startIndex=-10'), status: 200, total: 3 },
  { name: 'startIndex not a number', req: () => get('/Users?startIndex=1e3x'), status: 400, type: 'invalidValue' },
  { name: 'sortOrder bogus', req: () => get('/Users?sortBy=userName&sortOrder=sideways'), status: 400, type: 'invalidValue' },

  { name: 'query text that is not UTF-8 once decoded', req: () => get('/Users?filter=userName%20eq%20%22%ff%22'), status: 400, type: 'invalidSyntax' },
  { name: 'sortBy with SQL after the path', req: () => get(`/Users?sortBy=${encodeURIComponent('userName; DROP TABLE resources')}`), status: 400, type: 'invalidValue' },
  { name: 'sortBy with a value filter', req: () => get(`/Users?sortBy=${encodeURIComponent('emails[type eq "work"].value')}`), status: 400, type: 'invalidValue' },
  { name: 'number out of range in a body', req: () => scim('POST', '/Users', `{"schemas":["${USER}"],"userName":"big","x":1e400}`), status: 400, type: 'invalidSyntax' },
  { name: 'byte order mark before the body', req: () => scim('POST', '/Users', `\ufeff{"schemas":["${USER}"],"userName":"bom"}`), status: 400, type: 'invalidSyntax' },
  { name: 'password an object', req: () => scim('POST', '/Users', userBody({ password: { a: 1 } })), status: 400, type: 'invalidValue' },

  // Filters built to be slow or to break a parser.
  { name: 'filter comparing a date-time to text', req: () => filter('meta.created gt "not a date"'), status: 400, type: 'invalidFilter' },
  { name: 'value filter on a sub-attribute', req: () => filter('name.givenName[value eq "x"]'), status: 400, type: 'invalidFilter' },
  { name: 'a 20 000-character attribute name', req: () => filter('x'.repeat(20000)), status: 400, type: 'invalidFilter' },
  { name: 'filter nested past the depth limit', req: () => filter(deepFilter(200)), status: 400, type: 'invalidFilter' },
  { name: 'filter of 40 nested nots', req: () => filter(`${'not ('.repeat(40)}userName pr${')'.repeat(40)}`), status: 400, type: 'invalidFilter' },
  { name: 'filter nested within the depth limit', req: () => filter(deepFilter(20)), status: 200, total: 3 },
  { name: '200 ors in the URL', req: () => filter(ors(200)), status: 200, total: 0 },
  { name: '1 000 ors in a .search body (under the length limit)', req: () => search({ schemas: [SEARCH], filter: ors(1000) }), status: 200, total: 0 },
  { name: '2 000 ors in a .search body (past the length limit)', req: () => search({ schemas: [SEARCH], filter: ors(2000) }), status: 400, type: 'invalidFilter' },
  { name: 'a 100 KB filter value', req: () => search({ schemas: [SEARCH], filter: `userName eq "${'x'.repeat(100000)}"` }), status: 400, type: 'invalidFilter' },
  { name: 'filter with an unterminated string', req: () => filter('userName eq "abc'), status: 400, type: 'invalidFilter' },
  { name: 'filter with an unknown operator', req: () => filter('userName like "a%"'), status: 400, type: 'invalidFilter' },
  { name: 'filter on an unknown attribute path with brackets', req: () => filter('emails[type eq "work"'), status: 400, type: 'invalidFilter' },
  // Filter strings are JSON strings (RFC 7644 §3.4.2.2): raw control characters are invalid.
  { name: 'filter with NUL bytes', req: () => filter('userName eq "a\u0000b"'), status: 400, type: 'invalidFilter' },
  { name: 'SQL injection: quote OR 1=1', req: () => filter('userName eq "\' OR 1=1 --"'), status: 200, total: 0 },
  { name: 'SQL injection: closing quote and UNION', req: () => filter('userName eq "x\') UNION SELECT data FROM resources --"'), status: 200, total: 0 },
  { name: 'SQL injection in an unquoted value', req: () => filter("userName eq 1 OR 1=1"), status: 400, type: 'invalidFilter' },
  { name: 'co "%" matches only a literal %', req: () => filter('userName co "%"'), status: 200, total: 1 },
  { name: 'co "_" matches only a literal _', req: () => filter('userName co "_"'), status: 200, total: 1 },
  { name: 'sw "%" matches nothing', req: () => filter('userName sw "%"'), status: 200, total: 0 },
  { name: 'ew "_" matches nothing', req: () => filter('userName ew "_"'), status: 200, total: 0 },
  { name: 'co "t%u" matches literally', req: () => filter('userName co "t%u"'), status: 200, total: 1 },
  { name: 'backslashes in a value', req: () => filter('userName co "\\\\"'), status: 200, total: 1 },
  { name: 'escaped quote in a value', req: () => filter('userName co "\\""'), status: 200, total: 0 },
  { name: 'emails co "%" in a value filter', req: () => filter('emails[value co "%"]'), status: 200, total: 0 },

  // Ids: traversal, encodings, other tenants.
  // The runtime resolves dot segments of the URL (RFC 3986 §5.2.4) before the Worker sees it:
  // `/scim/v2/Users/../Groups` is `/scim/v2/Groups` of the same tenant, and climbing into
  // another tenant's base meets that tenant's authentication.
  { name: 'path traversal ../ in an id stays in the tenant', req: () => get('/Users/../Groups'), status: 200, total: 1 },
  { name: 'path traversal to another tenant', req: () => get(`/Users/../../../other/scim/v2/Users/${seed.otherUser}`), status: 401 },
  { name: 'encoded traversal %2e%2e%2f', req: () => get('/Users/%2e%2e%2fGroups'), status: 404 },
  { name: 'encoded slash in an id', req: () => get(`/Users/${seed.user}%2fx`), status: 404 },
  { name: 'encoded traversal as the id', req: () => get('/Users/%2e%2e'), status: 404 },
  { name: 'id with a quote and SQL', req: () => get(`/Users/${encodeURIComponent("x' OR '1'='1")}`), status: 404 },
  { name: 'id of a Group read as a User', req: () => get(`/Users/${seed.group}`), status: 404 },
  { name: 'GET an id of another tenant', req: () => get(`/Users/${seed.otherUser}`), status: 404 },
  { name: 'PATCH an id of another tenant', req: () => scim('PATCH', `/Users/${seed.otherUser}`, patchBody([{ op: 'replace', path: 'title', value: 'pwned' }])), status: 404 },
  { name: 'PUT an id of another tenant', req: () => scim('PUT', `/Users/${seed.otherUser}`, { schemas: [USER], userName: 'pwned' }), status: 404 },
  { name: 'DELETE an id of another tenant', req: () => scim('DELETE', `/Users/${seed.otherUser}`), status: 404 },
  { name: 'filter by an id of another tenant', req: () => filter(`id eq "${seed.otherUser}"`), status: 200, total: 0 },
  { name: "the other tenant's token on the default tenant", req: () => raw('GET', `/scim/v2/Users/${seed.user}`, { headers: { Authorization: `Bearer ${otherToken}` } }), status: 401 },
  { name: 'sub-resource below an id', req: () => get(`/Users/${seed.user}/password`), status: 404 },

  // Methods.
  { name: 'TRACE', req: () => scim('TRACE', '/Users'), status: 405 },
  { name: 'PROPFIND', req: () => scim('PROPFIND', `/Users/${seed.user}`), status: 405 },
  { name: 'MKCOL', req: () => scim('MKCOL', '/Users'), status: 405 },
  { name: 'DELETE on a collection', req: () => scim('DELETE', '/Users'), status: 405 },
  { name: 'PUT on a collection', req: () => scim('PUT', '/Users', userBody()), status: 405 },
  { name: 'POST on a resource', req: () => scim('POST', `/Users/${seed.user}`, userBody()), status: 405 },
  { name: 'PATCH on ServiceProviderConfig', req: () => scim('PATCH', '/ServiceProviderConfig', patchBody([])), status: 405 },

  // Authorization.
  { name: 'no Authorization', req: () => raw('GET', '/scim/v2/Users'), status: 401 },
  { name: 'Basic credentials', req: () => raw('GET', '/scim/v2/Users', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } }), status: 401 },
  { name: 'Bearer without a token', req: () => raw('GET', '/scim/v2/Users', { headers: { Authorization: 'Bearer' } }), status: 401 },
  { name: 'Bearer with two tokens', req: () => raw('GET', '/scim/v2/Users', { headers: { Authorization: `Bearer ${w.scimToken} ${w.scimToken}` } }), status: 401 },
  { name: 'token with one character changed', req: () => raw('GET', '/scim/v2/Users', { headers: { Authorization: `Bearer ${w.scimToken.slice(0, -1)}${w.scimToken.endsWith('0') ? '1' : '0'}` } }), status: 401 },
  { name: 'token in upper case', req: () => raw('GET', '/scim/v2/Users', { headers: { Authorization: `Bearer ${w.scimToken.toUpperCase()}` } }), status: 401 },
  { name: 'admin token on SCIM', req: () => raw('GET', '/scim/v2/Users', { headers: { Authorization: `Bearer ${w.adminToken}` } }), status: 401 },
  { name: 'SCIM token on admin', req: () => raw('GET', '/admin/tenants/default', { headers: auth() }), status: 401 },
  { name: 'forged OAuth token', req: () => raw('GET', '/scim/v2/Users', { headers: { Authorization: `Bearer scimo_${'0'.repeat(64)}` } }), status: 401 },
  { name: 'token on a tenant that does not exist', req: () => raw('GET', '/nosuch/scim/v2/Users', { headers: auth() }), status: 401 },
  { name: 'unauthenticated write is refused before the body is read', req: () => raw('POST', '/scim/v2/Users', { headers: scimJson, body: json(userBody()) }), status: 401 },

  // Preconditions.
  { name: 'If-Match of an old version', req: () => scim('PATCH', `/Users/${seed.user}`, patchBody([{ op: 'replace', path: 'title', value: 'stale' }]), { 'If-Match': 'W/"999"' }), status: 412 },
  { name: 'If-Match garbage', req: () => scim('PATCH', `/Users/${seed.user}`, patchBody([{ op: 'replace', path: 'title', value: 'garbage' }]), { 'If-Match': 'not an etag' }), status: 412 },
  { name: 'If-Match of an empty tag', req: () => scim('PUT', `/Users/${seed.user}`, { schemas: [USER], userName: 'bjensen@example.com', title: 'empty' }, { 'If-Match': 'W/""' }), status: 412 },
  { name: 'If-Match list of wrong tags', req: () => scim('PATCH', `/Users/${seed.user}`, patchBody([{ op: 'replace', path: 'title', value: 'list' }]), { 'If-Match': 'W/"7", "8", W/"x"' }), status: 412 },
  { name: 'If-Match of a number overflowing u64', req: () => scim('DELETE', `/Users/${seed.user}`, undefined, { 'If-Match': 'W/"99999999999999999999999"' }), status: 412 },
  { name: 'If-Match on DELETE of the group, wrong version', req: () => scim('DELETE', `/Groups/${seed.group}`, undefined, { 'If-Match': 'W/"0"' }), status: 412 },

  // PATCH.
  { name: 'PATCH with an unknown op', req: () => scim('PATCH', `/Users/${seed.user}`, patchBody([{ op: 'frobnicate', path: 'title', value: 'x' }])), status: 400, type: 'invalidSyntax' },
  { name: 'PATCH without Operations', req: () => scim('PATCH', `/Users/${seed.user}`, { schemas: [PATCH_OP] }), status: 400, type: 'invalidSyntax' },
  { name: 'PATCH with Operations an object', req: () => scim('PATCH', `/Users/${seed.user}`, { schemas: [PATCH_OP], Operations: { op: 'add' } }), status: 400, type: 'invalidSyntax' },
  { name: 'PATCH path to an unknown attribute', req: () => scim('PATCH', `/Users/${seed.user}`, patchBody([{ op: 'replace', path: 'noSuchAttr', value: 'x' }])), status: 400, type: 'invalidPath' },
  { name: 'PATCH remove without a path', req: () => scim('PATCH', `/Users/${seed.user}`, patchBody([{ op: 'remove' }])), status: 400, type: 'noTarget' },
  { name: 'PATCH replace of the read-only id', req: () => scim('PATCH', `/Users/${seed.user}`, patchBody([{ op: 'replace', path: 'id', value: 'x' }])), status: 400, type: 'mutability' },
  { name: 'PATCH with a bad filter in the path', req: () => scim('PATCH', `/Users/${seed.user}`, patchBody([{ op: 'replace', path: 'emails[type eq]', value: 'x' }])), status: 400, type: 'invalidFilter' },
  { name: 'PATCH giving active "maybe"', req: () => scim('PATCH', `/Users/${seed.user}`, patchBody([{ op: 'replace', path: 'active', value: 'maybe' }])), status: 400, type: 'invalidValue' },
  { name: 'PATCH second op fails: first is not applied', req: () => scim('PATCH', `/Users/${seed.user}`, patchBody([{ op: 'replace', path: 'title', value: 'half' }, { op: 'replace', path: 'userName', value: 7 }])), status: 400, type: 'invalidValue' },
  { name: 'PATCH group adding a member of another tenant', req: () => scim('PATCH', `/Groups/${seed.group}`, patchBody([{ op: 'add', path: 'members', value: [{ value: seed.otherUser }] }])), status: 400, type: 'invalidValue' },

  // Bulk.
  { name: 'Bulk with too many operations', req: () => scim('POST', '/Bulk', bulkBody(Array.from({ length: 1001 }, () => ({ method: 'DELETE', path: '/Users/none' })))), status: 413 },
  { name: 'Bulk without its schema', req: () => scim('POST', '/Bulk', { Operations: [] }), status: 400, type: 'invalidSyntax' },
  { name: 'Bulk with Operations an object', req: () => scim('POST', '/Bulk', { schemas: [BULK], Operations: {} }), status: 400, type: 'invalidSyntax' },
  { name: 'Bulk with failOnErrors "x"', req: () => scim('POST', '/Bulk', bulkBody([], { failOnErrors: 'x' })), status: 400, type: 'invalidValue' },
  {
    name: 'Bulk operations aimed at /Bulk, .search, another host and another tenant',
    req: () => scim('POST', '/Bulk', bulkBody([
      { method: 'POST', path: '/Bulk', data: bulkBody([{ method: 'POST', path: '/Users', data: userBody() }]) },
      { method: 'POST', path: '/Users/.search', data: { schemas: [SEARCH] } },
      { method: 'POST', path: 'http://evil.example/Users', data: userBody() },
      { method: 'POST', path: '/../other/scim/v2/Users', data: userBody() },
      { method: 'DELETE', path: `/../other/scim/v2/Users/${seed.otherUser}` },
    ])),
    status: 200,
    ops: ['400', '400', '404', '404', '404'],
  },
  {
    name: 'Bulk with a circular bulkId chain that cannot resolve',
    req: () => scim('POST', '/Bulk', bulkBody([
      { method: 'POST', path: '/Groups', bulkId: 'a', data: { schemas: [GROUP], displayName: 'circle-a', members: [{ value: 'bulkId:b', type: 'Group' }] } },
      { method: 'POST', path: '/Groups', bulkId: 'b', data: { schemas: [GROUP], displayName: 42, members: [{ value: 'bulkId:a', type: 'Group' }] } },
    ])),
    status: 200,
    ops: ['409', '400'],
  },
  {
    name: 'Bulk referring to undefined bulkIds and to itself by PATCH',
    req: () => scim('POST', '/Bulk', bulkBody([
      { method: 'PATCH', path: '/Users/bulkId:nowhere', data: patchBody([{ op: 'replace', path: 'title', value: 'x' }]) },
      { method: 'POST', path: '/Groups', bulkId: 'self', data: { schemas: [GROUP], displayName: 7, members: [{ value: 'bulkId:self' }] } },
      { method: 'DELETE', path: '/Users/bulkId:self' },
    ])),
    status: 200,
    ops: ['409', '400', '409'],
  },
  {
    name: 'Bulk operations with bad methods, paths and data',
    req: () => scim('POST', '/Bulk', bulkBody([
      { method: 'GET', path: '/Users' },
      { method: 'POST', path: '/Users/../Groups', data: { schemas: [GROUP], displayName: 'trav' } },
      { method: 'PATCH', path: `/Users/${seed.otherUser}`, data: patchBody([{ op: 'replace', path: 'title', value: 'x' }]) },
      { method: 'DELETE', path: `/Users/${seed.user}`, version: 'W/"999"' },
      { method: 'PUT', path: `/Users/${seed.user}` },
      'not an object',
    ])),
    status: 200,
    ops: ['400', '404', '404', '412', '400', '400'],
  },
];

before(async () => {
  w = await startWorker();
  const create = async (path, body, token = w.scimToken, prefix = '/scim/v2') => {
    const res = await raw('POST', `${prefix}${path}`, {
      headers: { Authorization: `Bearer ${token}`, ...scimJson },
      body: json(body),
    });
    assert.equal(res.status, 201, res.text);
    return res.body.id;
  };
  seed.user = await create('/Users', {
    schemas: [USER, ENTERPRISE],
    userName: 'bjensen@example.com',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
    title: 'Tour Guide',
    active: true,
    [ENTERPRISE]: { employeeNumber: '701984' },
  });
  // Literal % and _ (for the LIKE checks) and a backslash.
  seed.pct = await create('/Users', { schemas: [USER], userName: 'pct%u_1@example.com' });
  seed.slash = await create('/Users', { schemas: [USER], userName: 'back\\slash@example.com' });
  seed.group = await create('/Groups', {
    schemas: [GROUP], displayName: 'Tour Guides', members: [{ value: seed.user }, { value: seed.pct }],
  });
  assert.equal((await w.admin('/tenants/other', { method: 'PUT', body: { settings: {} } })).status, 201);
  otherToken = (await w.admin('/tenants/other/tokens', { method: 'POST' })).body.token;
  seed.otherUser = await create('/Users', { schemas: [USER], userName: 'other@example.com' }, otherToken, '/other/scim/v2');
});
after(() => w?.stop());

/** Everything a client can read of the seeded data. */
async function readBack() {
  const out = {};
  for (const path of [`/Users/${seed.user}`, `/Groups/${seed.group}`, '/Users?count=100', '/Groups?count=100']) {
    const res = await get(path);
    assert.equal(res.status, 200, res.text);
    out[path] = res.body;
  }
  const other = await raw('GET', `/other/scim/v2/Users/${seed.otherUser}`, { headers: { Authorization: `Bearer ${otherToken}` } });
  assert.equal(other.status, 200, other.text);
  out.other = other.body;
  return out;
}

test('a method the runtime does not know is refused by workerd itself, before the Worker', async () => {
  // workerd's HTTP parser answers 501 (text/plain) to methods outside its table (e.g. FROB);
  // the Worker never runs, so nothing is read or written. Known methods it does not serve
  // (TRACE, PROPFIND, MKCOL, ...) reach the Worker and get a SCIM 405 (catalogue above).
  const before = await readBack();
  const res = await scim('FROB', '/Users', userBody());
  assert.equal(res.status, 501, res.text);
  assert.deepEqual(await readBack(), before);
});

test('the catalogue holds at least 60 bad requests', () => {
  assert.ok(catalogue.length >= 60, `${catalogue.length}`);
  assert.equal(new Set(catalogue.map((c) => c.name)).size, catalogue.length, 'names are unique');
});

test('every hostile request gets its SCIM answer, never a 5xx, and changes nothing', async () => {
  const initial = await readBack();
  const failures = [];
  for (const entry of catalogue) {
    let res;
    try {
      res = await entry.req();
    } catch (e) {
      failures.push(`${entry.name}: request failed: ${e.message}`);
      continue;
    }
    const problems = [];
    if (res.status >= 500) problems.push(`5xx`);
    if (res.status !== entry.status) problems.push(`status ${res.status}, expected ${entry.status}`);
    if (res.status >= 400) {
      if (!/^application\/scim\+json/.test(res.headers['content-type'] ?? '')) problems.push(`content-type ${res.headers['content-type']}`);
      if (JSON.stringify(res.body?.schemas) !== JSON.stringify([ERROR])) problems.push('not a SCIM error body');
      if (res.body?.status !== String(res.status)) problems.push(`body status ${JSON.stringify(res.body?.status)}`);
      if (entry.type !== undefined && res.body?.scimType !== entry.type) problems.push(`scimType ${res.body?.scimType}, expected ${entry.type}`);
      if (res.status === 401 && !/^Bearer/.test(res.headers['www-authenticate'] ?? '')) problems.push('401 without WWW-Authenticate: Bearer');
    }
    if (entry.total !== undefined) {
      if (JSON.stringify(res.body?.schemas) !== JSON.stringify([LIST])) problems.push('not a ListResponse');
      else if (res.body.totalResults !== entry.total) problems.push(`totalResults ${res.body.totalResults}, expected ${entry.total}`);
    }
    if (entry.ops !== undefined) {
      const got = (res.body?.Operations ?? []).map((o) => o.status);
      if (JSON.stringify(got) !== JSON.stringify(entry.ops)) problems.push(`bulk statuses ${JSON.stringify(got)}, expected ${JSON.stringify(entry.ops)}`);
    }
    if (problems.length) failures.push(`${entry.name}: ${problems.join('; ')}: ${res.text.slice(0, 300)}`);
  }
  const final = await readBack();
  assert.deepEqual(failures, [], `${failures.length} of ${catalogue.length} entries failed`);
  assert.deepEqual(final, initial, 'the seeded data changed');
  // Whatever the Worker logged meanwhile holds no secret (tokens are only ever hashed).
  for (const secret of [w.scimToken, w.adminToken, otherToken]) assert.ok(!w.log().includes(secret), 'a token was logged');
});
