// The Node comparison bench (wasm-pkg/bench/compare.mjs) in its smoke mode: tiny sizes, so it
// cannot rot, and the package must give the RFC answer on every filter, probe and PATCH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pkgDir } from './lib/pkg.mjs';
import { run } from '../../wasm-pkg/bench/compare.mjs';
import { generateUsers } from '../../wasm-pkg/bench/users.mjs';

test('the bench generator is deterministic', () => {
  assert.deepEqual(generateUsers(20), generateUsers(20));
  assert.notDeepEqual(generateUsers(20, 1), generateUsers(20, 2));
});

test('the bench runs in smoke mode and the package agrees with the RFC everywhere', async (t) => {
  const { text, summary, oursMismatches } = await run({ users: 60, budgetMs: 2, pkgDir });
  for (const line of text.split('\n').filter((l) => l.includes('target'))) t.diagnostic(line.trim());
  assert.deepEqual(oursMismatches, []);
  assert.match(text, /scim2-parse-filter: userName eq .* 0 matches, RFC 1/, 'the case-insensitive probe catches a peer');
  for (const k of ['resident', 'filter', 'matches', 'patch', 'validate']) assert.ok(summary[k] > 0, k);
});
