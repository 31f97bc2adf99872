// The validator page (wasm-pkg/dist/www) in headless Chromium: typing valid and invalid
// payloads, error highlighting, custom schemas, and the PATCH tab. Screenshots go to
// tests/output/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';

const www = fileURLToPath(new URL('../../wasm-pkg/dist/www', import.meta.url));
const output = fileURLToPath(new URL('../output', import.meta.url));
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  mkdirSync(output, { recursive: true });
  server = await serveStatic(www);
  browser = await launch();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(5000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(msg.text()));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Replaces the payload editor's text by typing it, as a person would. */
async function typePayload(text) {
  const area = page.locator('#v-input');
  await area.fill('');
  await area.pressSequentially(text);
}

const resultText = () => page.locator('#v-result').innerText();
const errorPaths = () => page.locator('#v-result .errors .path').allInnerTexts();

test('the engine loads and the sample User is valid', async () => {
  await page.waitForSelector('#v-result .status.ok');
  assert.match(await page.locator('#version').innerText(), /^v\d+\.\d+\.\d+/);
  assert.match(await resultText(), /Valid User \(create\)/);
});

test('a typed valid payload is reported valid', async () => {
  await typePayload(JSON.stringify({ schemas: [USER], USERNAME: 'alice', id: 'set-by-client', name: { givenName: 'Alice' } }, null, 1));
  await page.waitForFunction(() => document.querySelector('#v-normalised')?.innerText.includes('alice'));
  assert.match(await resultText(), /Valid User \(create\)/);
  assert.equal(await page.locator('.backdrop mark').count(), 0, 'nothing highlighted');
  const normalised = JSON.parse(await page.locator('#v-normalised').innerText());
  assert.equal(normalised.userName, 'alice', 'shown with the canonical name');
  assert.equal(normalised.id, undefined, 'readOnly id dropped');
  await page.screenshot({ path: `${output}/validator-valid.png`, fullPage: true });
});

test('a typed invalid payload lists each error and highlights its key', async () => {
  const invalid = `{
  "schemas": ["${USER}"],
  "displayName": "No user name",
  "active": "yes",
  "emails": [{"value": "a@example.com"}, {"value": 42}]
}`;
  await typePayload(invalid);
  await page.waitForSelector('#v-result .status.bad');
  assert.match(await resultText(), /3 errors/);
  assert.deepEqual((await errorPaths()).sort(), ['active', 'emails[1].value', 'userName']);
  assert.match(await resultText(), /invalidValue/);
  // Each located error is highlighted in the editor and flagged in the gutter.
  const marks = await page.locator('#panel-validate .backdrop mark').allInnerTexts();
  assert.ok(marks.includes('"active"'), `marks: ${marks}`);
  assert.ok(marks.includes('"value"'), `marks: ${marks}`);
  assert.deepEqual(await page.locator('[data-editor="v-input"] .gutter .err').allInnerTexts(), ['4', '5']);
  // Clicking an error selects its key in the editor.
  await page.locator('#v-result .errors li', { hasText: 'active' }).click();
  const selected = await page.locator('#v-input').evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.equal(selected, '"active"');
  assert.equal(await page.locator('#panel-validate .backdrop mark.active').innerText(), '"active"');
  await page.screenshot({ path: `${output}/validator-errors.png`, fullPage: true });
});

test('malformed JSON is reported with its line', async () => {
  await typePayload('{\n  "userName": "x",\n  "active": tru\n}');
  await page.waitForFunction(() => document.querySelector('#v-result')?.innerText.includes('not valid JSON'));
  assert.match(await resultText(), /line 3/);
});

test('a pasted custom schema validates its resources', async () => {
  await page.selectOption('#v-type', 'custom');
  await page.waitForSelector('#v-custom:not([hidden])');
  assert.match(await page.locator('#v-schema-status').innerText(), /Loaded 1 schema/);
  await typePayload('{"schemas": ["urn:example:params:scim:schemas:Device"], "model": "X1"}');
  await page.waitForFunction(() => document.querySelector('#v-result')?.innerText.includes('error'));
  assert.deepEqual(await errorPaths(), ['serialNumber']);
  await typePayload('{"schemas": ["urn:example:params:scim:schemas:Device"], "serialNumber": "SN-1"}');
  await page.waitForFunction(() => document.querySelector('#v-result')?.innerText.includes('Valid Device'));
  await page.screenshot({ path: `${output}/validator-custom.png`, fullPage: true });
  await page.locator('#v-schema').fill('{"id": "urn:example:Bad", "attributes": [{"name": "1st", "type": "string"}]}');
  await page.waitForFunction(() => document.querySelector('#v-schema-status')?.innerText.includes('rejected'));
  assert.match(await page.locator('#v-schema-status').innerText(), /urn:example:Bad:1st/);
  await page.locator('#v-schema').fill(JSON.stringify({ id: 'urn:example:params:scim:schemas:Device', name: 'Device', attributes: [{ name: 'serialNumber', type: 'string' }, { name: 'model', type: 'string' }] }));
  await page.waitForFunction(() => document.querySelector('#v-schema-status')?.innerText.includes('Loaded'));
  await page.selectOption('#v-type', 'User');
});

test('the PATCH tab applies a PatchOp and shows the result or the error', async () => {
  await page.click('#tab-patch');
  await page.click('#p-apply');
  await page.waitForSelector('#p-output');
  const patched = JSON.parse(await page.locator('#p-output').innerText());
  assert.equal(patched.active, false);
  assert.equal(patched.name.givenName, 'Babs');
  assert.equal(patched.emails.length, 2);
  await page.screenshot({ path: `${output}/validator-patch.png`, fullPage: true });

  const op = page.locator('#p-op');
  await op.fill('');
  await op.pressSequentially(
    '{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active", "value": "maybe"}]}',
  );
  await page.click('#p-apply');
  await page.waitForSelector('#p-result .status.bad');
  assert.match(await page.locator('#p-result').innerText(), /PATCH rejected: 400 invalidValue/);
  assert.deepEqual(await page.locator('#p-result .errors .path').allInnerTexts(), ['active']);
  assert.equal(await page.locator('[data-editor="p-op"] .backdrop mark').innerText(), '"active"', 'the operation is highlighted');
  await page.screenshot({ path: `${output}/validator-patch-error.png`, fullPage: true });
});

test('the PATCH tab patches resources of the custom schema', async () => {
  await page.selectOption('#p-type', 'custom');
  await page.locator('#p-resource').fill('{"schemas": ["urn:example:params:scim:schemas:Device"], "id": "d1", "serialNumber": "SN-1"}');
  await page.locator('#p-op').fill(
    '{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "model", "value": "X2"}]}',
  );
  await page.click('#p-apply');
  await page.waitForSelector('#p-output');
  const patched = JSON.parse(await page.locator('#p-output').innerText());
  assert.deepEqual([patched.serialNumber, patched.model], ['SN-1', 'X2']);
});

test('the page logged no errors', () => {
  assert.deepEqual(pageErrors, []);
});
