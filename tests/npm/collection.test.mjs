// Collection: resources held inside the engine, filtered and counted there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scim } from './lib/pkg.mjs';

const { Collection, compileFilter, ScimError, SchemaRegistry } = scim;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const user = (id, extra = {}) => ({ schemas: [USER], id, userName: `user${id}`, ...extra });

test('filter() gives back the added objects themselves, in insertion order', () => {
  const users = [user('1', { title: 'Engineer' }), user('2'), user('3', { title: 'ENGINEERING lead' })];
  const c = new Collection().addAll(users);
  assert.equal(c.size, 3);
  const out = c.filter('title co "engineer"');
  assert.deepEqual(out.map((u) => u.id), ['1', '3'], 'co is case-insensitive on title');
  assert.equal(out[0], users[0], 'the same object, not a copy');
  assert.equal(c.count('title pr'), 2);
  assert.equal(c.count('not (title pr)'), 1);
});

test('add() with a known id replaces in place; replace() needs one; remove() shifts the rest', () => {
  const c = new Collection();
  c.add(user('a', { active: true })).add(user('b', { active: true })).add(user('c', { active: false }));
  c.add(user('a', { active: false }));
  assert.equal(c.size, 3);
  assert.deepEqual(c.filter('active eq false').map((u) => u.id), ['a', 'c']);
  const old = c.replace(user('b', { active: false }));
  assert.equal(old.active, true, 'replace() returns the replaced object');
  assert.throws(() => c.replace(user('zz')), (e) => e instanceof ScimError && e.status === 404);
  assert.equal(c.remove('a'), true);
  assert.equal(c.remove('a'), false);
  assert.deepEqual(c.filter('active eq false').map((u) => u.id), ['b', 'c']);
  assert.equal(c.get('c').id, 'c', 'ids still resolve after a removal moved the others');
  assert.equal(c.get('a'), undefined);
  assert.deepEqual([...c].map((u) => u.id), ['b', 'c']);
});

test('filters see dateTime instants, URN paths and extensions of the held copies', () => {
  const c = new Collection().addAll([
    user('1', { meta: { lastModified: '2024-06-01T01:00:00+02:00' }, [ENTERPRISE]: { department: 'Sales' } }),
    user('2', { meta: { lastModified: '2024-06-01T00:30:00Z' } }),
  ]);
  assert.deepEqual(c.filter('meta.lastModified gt "2024-06-01T00:00:00Z"').map((u) => u.id), ['2']);
  assert.deepEqual(c.filter(`${ENTERPRISE}:department eq "sales"`).map((u) => u.id), ['1']);
  const f = compileFilter('userName sw "USER"');
  assert.equal(c.count(f), 2, 'a compiled Filter works too');
});

test('the collection holds a copy: changing an added object does not change what filters see', () => {
  const u = user('1', { active: true });
  const c = new Collection().add(u);
  u.active = false;
  assert.equal(c.count('active eq true'), 1);
  c.add(u);
  assert.equal(c.count('active eq true'), 0, 'add() again to update');
});

test('bad input throws: a filter syntax error, a non-object, an unknown resource type', () => {
  const c = new Collection({ resourceType: 'Group' });
  assert.throws(() => c.filter('displayName eq'), (e) => e instanceof ScimError && e.scimType === 'invalidFilter');
  assert.throws(() => c.add('x'), TypeError);
  assert.throws(() => c.addAll([1]), TypeError);
  assert.throws(() => new Collection({ resourceType: 'Nope' }), ScimError);
  assert.throws(() => new Collection({ registry: new SchemaRegistry() }).filter(42), TypeError);
});

test('addAll() of 20 000 users, in one call and in batches, holds every one and filters them right', () => {
  const N = 20000;
  const users = Array.from({ length: N }, (_, i) => user(`id${i}`, {
    active: i % 2 === 0,
    title: i % 3 === 0 ? 'Engineer' : undefined,
    emails: [{ type: i % 5 === 0 ? 'home' : 'work', value: `u${i}@Example.COM` }],
    meta: { resourceType: 'User', lastModified: `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z` },
  }));
  const whole = new Collection().addAll(users);
  const batched = new Collection();
  for (let i = 0; i < N; i += 1500) batched.addAll(users.slice(i, i + 1500));
  for (const c of [whole, batched]) {
    assert.equal(c.size, N);
    assert.equal(c.count('userName pr'), N);
    assert.equal(c.count('active eq true'), N / 2);
    assert.equal(c.count('title eq "engineer"'), Math.ceil(N / 3));
    assert.equal(c.count('emails[type eq "home" and value ew "@example.com"]'), N / 5);
    assert.equal(c.count('meta.lastModified ge "2024-01-01T00:00:30Z"'), 333 * 30, 'seconds 30-59 of each minute');
    const last = c.filter('userName eq "USERID19999"');
    assert.equal(last.length, 1);
    assert.equal(last[0], users[N - 1], 'the caller\'s own object');
    assert.equal(c.get('id12345'), users[12345]);
  }
  whole.add(user('id8', { active: false }));
  assert.equal(whole.size, N);
  assert.equal(whole.count('active eq true'), N / 2 - 1, 'a replaced user is counted by its new values');
  assert.equal(whole.remove('id0'), true);
  assert.equal(whole.get('id19999'), users[N - 1], 'ids are found after a removal');
  assert.equal(whole.filter('userName eq "userid1"')[0], users[1]);
  whole.free();
  batched.free();
});

test('a filter compiled for another resource type is refused with invalidFilter', () => {
  const c = new Collection().addAll([user('1')]);
  const groupFilter = compileFilter('members[value eq "1"]', { resourceType: 'Group' });
  assert.throws(() => c.filter(groupFilter), (e) => e instanceof ScimError && e.scimType === 'invalidFilter');
  groupFilter.free?.();
});
