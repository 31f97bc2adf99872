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
