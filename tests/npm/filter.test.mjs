import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scim } from './lib/pkg.mjs';

const { compileFilter, Filter, ScimError } = scim;
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const users = [
  { id: '1', userName: 'bjensen', active: true, emails: [{ type: 'work', value: 'bjensen@example.com' }], meta: { lastModified: '2024-05-01T10:00:00Z' } },
  { id: '2', userName: 'jsmith', active: false, emails: [{ type: 'home', value: 'js@example.org' }], [ENTERPRISE]: { employeeNumber: '701984', manager: { value: '1' } } },
  { id: '3', userName: 'AWilson', title: 'Tour Guide', meta: { lastModified: '2023-01-01T00:00:00+02:00' } },
];

test('compileFilter returns a Filter whose matches() tests one object', () => {
  const f = compileFilter('userName eq "BJENSEN"');
  assert.ok(f instanceof Filter);
  assert.equal(f.matches(users[0]), true, 'userName is caseExact=false');
  assert.equal(f.matches(users[1]), false);
});

test('filter() keeps the matching objects themselves, in order', () => {
  const f = compileFilter('emails.value ew "example.com" or title pr');
  const out = f.filter(users);
  assert.deepEqual(out.map((u) => u.id), ['1', '3']);
  assert.equal(out[0], users[0], 'same object, not a copy');
});

test('value filters, extension attributes and dateTime comparisons evaluate', () => {
  assert.deepEqual(compileFilter('emails[type eq "work" and value co "jensen"]').filter(users).map((u) => u.id), ['1']);
  assert.deepEqual(compileFilter(`${ENTERPRISE}:employeeNumber eq "701984"`).filter(users).map((u) => u.id), ['2']);
  assert.deepEqual(compileFilter(`${ENTERPRISE}:manager.value eq "1"`).filter(users).map((u) => u.id), ['2']);
  assert.deepEqual(compileFilter('meta.lastModified gt "2023-06-01T00:00:00Z"').filter(users).map((u) => u.id), ['1']);
  assert.deepEqual(compileFilter('not (active eq true)').filter(users).map((u) => u.id), ['2', '3']);
});

test('toString() prints the canonical filter text, which compiles to the same filter', () => {
  const f = compileFilter('UserName EQ "bjensen"  AND (emails[Type eq "work"] OR title pr)');
  const text = f.toString();
  assert.equal(text, String(f));
  assert.match(text, /^UserName eq "bjensen" and \(emails\[Type eq "work"\] or title pr\)$/);
  assert.equal(compileFilter(text).toString(), text);
});

test('only the attributes the filter reads are taken from the object', () => {
  let reads = 0;
  const resource = {
    userName: 'bjensen',
    unrelated: 10n, // JSON cannot carry a BigInt: serialising the whole object would throw
    get title() {
      reads++;
      return 'Guide';
    },
  };
  assert.equal(compileFilter('userName eq "bjensen"').matches(resource), true);
  assert.equal(reads, 0, 'title is not read by a userName filter');
  assert.equal(compileFilter('title pr').matches(resource), true);
  assert.equal(reads, 1);
});

test('matches() on a non-object is false, filter() on a non-array throws', () => {
  const f = compileFilter('userName pr');
  assert.equal(f.matches(null), false);
  assert.equal(f.matches('bjensen'), false);
  assert.throws(() => f.filter({}), ScimError);
});

test('a syntax error is a ScimError invalidFilter with the position in the text', () => {
  const text = 'userName eq "é" and (title';
  const err = catchError(() => compileFilter(text));
  assert.ok(err instanceof ScimError);
  assert.equal(err.status, 400);
  assert.equal(err.scimType, 'invalidFilter');
  assert.equal(err.position, text.length, 'position is a JS string index (é counts once)');
  assert.match(err.detail, /expected/);
});

test('an unknown attribute is invalidFilter, or absent with lenientUnknown', () => {
  const err = catchError(() => compileFilter('nickname2 eq "x"'));
  assert.equal(err.scimType, 'invalidFilter');
  const f = compileFilter('nickname2 eq "x" or userName eq "jsmith"', { lenientUnknown: true });
  assert.deepEqual(f.filter(users).map((u) => u.id), ['2']);
});

test('lenient parsing accepts the Entra ID quirks that strict parsing rejects', () => {
  const quirk = 'emails[type eq "work"].value eq "bjensen@example.com"';
  assert.equal(catchError(() => compileFilter(quirk)).scimType, 'invalidFilter');
  assert.deepEqual(compileFilter(quirk, { lenient: true }).filter(users).map((u) => u.id), ['1']);
  assert.deepEqual(compileFilter('userName eq jsmith', { lenient: true }).filter(users).map((u) => u.id), ['2']);
  assert.equal(compileFilter('active eq "True"').matches(users[0]), true, 'Entra boolean strings');
});

test('resourceType selects the schema; an unknown one is rejected', () => {
  assert.equal(compileFilter('displayName eq "Admins"', { resourceType: 'Group' }).matches({ displayName: 'admins' }), true);
  assert.equal(catchError(() => compileFilter('displayName pr', { resourceType: 'Device' })).path, 'resourceType');
  assert.throws(() => compileFilter('userName pr', { registry: {} }), TypeError);
});

test('a non-string filter is rejected with a ScimError', () => {
  assert.throws(() => compileFilter(42), ScimError);
});

function catchError(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected an error');
}

test('Filter agrees with the service evaluating whole documents in core', async () => {
  const { ScimService } = scim;
  const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
  const bodies = [
    { userName: 'a', name: { givenName: 'Ann', familyName: 'Lee' }, emails: [{ value: 'a@work.example', type: 'work', primary: true }, { value: 'a@home.example', type: 'home' }], active: true },
    { userName: 'b', name: { formatted: 'Bo' }, emails: [{ value: 'b@home.example', type: 'home' }], active: false, title: 'Guide' },
    { userName: 'c', emails: [{ value: 'c@work.example', type: 'work' }], [ENTERPRISE]: { employeeNumber: '3', manager: { value: 'a-id' } } },
    { userName: 'd', phoneNumbers: [{ value: '+1 555', type: 'mobile' }], [ENTERPRISE]: { department: 'Ops' } },
    { userName: 'e', x509Certificates: [{ value: 'TUlJ' }], nickName: 'E' },
  ];
  const service = new ScimService();
  const stored = [];
  for (const body of bodies) {
    const res = await service.handle({ method: 'POST', url: '/Users', headers: { 'content-type': 'application/scim+json' }, body: { schemas: [USER, ...(body[ENTERPRISE] ? [ENTERPRISE] : [])], ...body } });
    assert.equal(res.status, 201, res.body);
    stored.push(JSON.parse(res.body));
  }
  const filters = [
    'name pr',
    'not (name pr)',
    'name.givenName pr or name.formatted sw "B"',
    'emails pr',
    'emails co "work"',
    'emails.type eq "home"',
    'emails.type ne "home"',
    'emails[type eq "work" and primary eq true]',
    'emails[type eq "work"] and not (emails[type eq "home"])',
    'emails[value ew ".example"] and phoneNumbers pr',
    'phoneNumbers[type eq "mobile"] or x509Certificates pr',
    `${ENTERPRISE}:manager.value eq "a-id" or ${ENTERPRISE}:department pr`,
    `${ENTERPRISE}:manager pr`,
    'meta.created pr and meta.resourceType eq "User"',
    'active eq false or title pr or nickName eq "e"',
  ];
  for (const text of filters) {
    const res = await service.handle({ method: 'GET', url: `/Users?filter=${encodeURIComponent(text)}` });
    assert.equal(res.status, 200, `${text}: ${res.body}`);
    const expected = (JSON.parse(res.body).Resources ?? []).map((r) => r.userName).sort();
    const actual = compileFilter(text).filter(stored).map((r) => r.userName).sort();
    assert.deepEqual(actual, expected, text);
  }
});
