// The package in Chromium under a Content-Security-Policy that allows WebAssembly but not
// `eval`/`new Function`: the JavaScript that core emits for filters, PATCH and validation
// cannot be instantiated there, so every call must fall back to the wasm engine and give the
// same answers as on a page without that policy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';

const www = fileURLToPath(new URL('../../wasm-pkg/dist/www', import.meta.url));
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

let strict;
let open;
let browser;

before(async () => {
  strict = await serveStatic(www, { 'content-security-policy': CSP });
  open = await serveStatic(www);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await strict?.close();
  await open?.close();
});

/** Loads the package on a page of `server` and runs the same calls as every host would. */
async function exercise(server) {
  const page = await browser.context.newPage();
  const violations = [];
  page.on('console', (msg) => msg.type() === 'error' && violations.push(msg.text()));
  try {
    await page.goto(`${server.url}pkg/package.json`);
    return await page.evaluate(async () => {
      const scim = await import('/pkg/web.js');
      const { instantiate } = await import('/pkg/emitted.js');
      const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
      const users = [
        { id: '1', userName: 'bjensen', emails: [{ type: 'work', value: 'b@example.com' }], meta: { lastModified: '2024-06-01T01:00:00+02:00' } },
        { id: '2', userName: 'ÉLODIE', emails: [{ type: 'home', value: 'e@example.org' }], meta: { lastModified: '2024-06-02T00:00:00Z' } },
      ];
      const filter = scim.compileFilter('emails[type eq "WORK"] or userName eq "élodie" and meta.lastModified gt "2024-06-01T00:00:00Z"');
      const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }] };
      const patched = [];
      for (let i = 0; i < 40; i++) patched.push(scim.applyPatch(users[0], patch));
      return {
        codegen: typeof instantiate('(() => 1)') === 'function',
        filtered: filter.filter(users).map((u) => u.id),
        matches: users.map((u) => filter.matches(u)),
        patched: patched.map((u) => u.emails[0].value),
        valid: [1, 2, 3].map(() => scim.validate({ schemas: [USER], userName: 'alice', id: 'x' })),
        invalid: scim.validate({ schemas: [USER], userName: 7 }).errors.map((e) => e.path),
      };
    });
  } finally {
    await page.close();
  }
}

test('under a CSP without unsafe-eval the package falls back to wasm with the same answers', async () => {
  const withPolicy = await exercise(strict);
  const without = await exercise(open);
  assert.equal(without.codegen, true, 'without the policy core-emitted JavaScript runs');
  assert.equal(withPolicy.codegen, false, 'the policy really forbids new Function');
  assert.deepEqual(withPolicy.filtered, ['1', '2']);
  assert.deepEqual(withPolicy.matches, [true, true]);
  assert.ok(withPolicy.patched.every((v) => v === 'new@example.com'));
  assert.deepEqual(withPolicy.valid[0], { valid: true, errors: [], resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'alice' } });
  assert.deepEqual(withPolicy.invalid, ['userName']);
  assert.deepEqual(withPolicy, { ...without, codegen: false });
});
