import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pkgDir, scim } from './lib/pkg.mjs';

const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

test('version matches the package.json version', () => {
  assert.equal(scim.version(), manifest.version);
});

test('ScimError is an Error subclass carrying the SCIM mapping', () => {
  const err = new scim.ScimError(400, 'invalidValue', 'userName: required', 'userName');
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'ScimError');
  assert.equal(err.message, 'userName: required');
  assert.deepEqual([err.status, err.scimType, err.detail, err.path], [400, 'invalidValue', 'userName: required', 'userName']);
});

test('every file the manifest lists exists in the built package', () => {
  for (const f of manifest.files) readFileSync(join(pkgDir, f));
});
