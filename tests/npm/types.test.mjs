// Type-checks tests/npm/types/usage.ts against the built package's index.d.ts with tsc --strict,
// in a temporary project where the package is installed under its name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pkgDir } from './lib/pkg.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

test('index.d.ts types typical use precisely (tsc --strict)', { skip: !existsSync(tsc) && 'typescript is not installed' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'scim-edge-types-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'node_modules'));
  cpSync(pkgDir, join(dir, 'node_modules', 'scim-edge'), { recursive: true });
  cpSync(fileURLToPath(new URL('./types/usage.ts', import.meta.url)), join(dir, 'usage.ts'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'types-check', private: true, type: 'module' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022', 'dom', 'esnext.disposable'],
      },
      files: ['usage.ts'],
    }),
  );
  try {
    execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    assert.fail(`tsc reported errors:\n${err.stdout}${err.stderr}`);
  }
});
