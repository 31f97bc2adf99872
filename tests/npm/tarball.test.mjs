// Packs the built package with `npm pack`, installs the tarball into an empty project offline,
// and uses it from plain Node through its package name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pkgDir } from './lib/pkg.mjs';

const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

function npm(args, cwd) {
  return execFileSync('npm', args, { cwd, env: npmEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('the packed tarball installs offline into an empty project and works from plain Node', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'scim-edge-tarball-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], pkgDir));
  const tgz = join(dir, packed.filename);
  const wasmGzip = gzipSync(readFileSync(join(pkgDir, 'scim_wasm_bg.wasm')), { level: 9 }).length;
  t.diagnostic(`tarball ${packed.filename}: ${packed.size} bytes (unpacked ${packed.unpackedSize}), wasm gzip ${wasmGzip} bytes`);
  const shipped = packed.files.map((f) => f.path).sort();
  assert.ok(shipped.includes('scim_wasm_bg.wasm'), 'the wasm is shipped');
  assert.equal(shipped.filter((f) => f.endsWith('.wasm')).length, 1, 'one wasm file for every target');

  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(['install', '--offline', '--no-package-lock', tgz], app);
  writeFileSync(join(app, 'smoke.mjs'), SMOKE);
  const out = JSON.parse(execFileSync(process.execPath, ['smoke.mjs'], { cwd: app, encoding: 'utf8' }));
  assert.deepEqual(out, EXPECTED);
});

// The script run inside the fresh project: it knows the package only by name.
const SMOKE = `
import { validate, compileFilter, applyPatch, ScimService, SchemaRegistry, ScimError, version } from 'scim-edge';
import { createRequire } from 'node:module';
const manifest = createRequire(import.meta.url)('scim-edge/package.json');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const out = { version: version() === manifest.version };
const checked = validate({ schemas: [USER], userName: 'bjensen', active: true });
out.valid = checked.valid;
out.invalidPaths = validate({ schemas: [USER], active: 'yes' }).errors.map((e) => e.path).sort();
out.filtered = compileFilter('userName sw "bj"').filter([checked.resource, { userName: 'x' }]).length;
out.patched = applyPatch(checked.resource, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] }).active;
try { compileFilter('userName eq'); } catch (e) { out.filterError = e instanceof ScimError && e.scimType; }
out.schemas = new SchemaRegistry().resourceTypes.length;
const service = new ScimService();
const created = await service.handle({ method: 'POST', url: '/Users', headers: { 'content-type': 'application/scim+json' }, body: JSON.stringify({ schemas: [USER], userName: 'web' }) });
const id = JSON.parse(created.body).id;
const read = await service.handle({ method: 'GET', url: '/Users/' + id });
out.service = [created.status, read.status, JSON.parse(read.body).userName];
console.log(JSON.stringify(out));
`;

const EXPECTED = {
  version: true,
  valid: true,
  invalidPaths: ['active', 'userName'],
  filtered: 1,
  patched: false,
  filterError: 'invalidFilter',
  schemas: 2,
  service: [201, 200, 'web'],
};
