// The independent conformance tester scim2-tester (PyPI, pinned in tests/conformance/) against
// the Worker under wrangler dev: every check for the discovery endpoints, Users and Groups must
// pass; a failed, erroring or skipped check fails the test. The virtualenv is created on first
// use under ~/.cache/scim-edge (keyed by the requirements' hash) and reused afterwards.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root, startWorker } from './harness.mjs';

const dir = join(root, 'tests', 'conformance');
const requirements = join(dir, 'requirements.txt');

/** The virtualenv holding the pinned scim2-tester, created when missing. */
function virtualenv() {
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex').slice(0, 12);
  const cache = process.env.SCIM_TOOLS ?? join(homedir(), '.cache', 'scim-edge');
  const venv = join(cache, `scim2-tester-${hash}`);
  const python = join(venv, 'bin', 'python');
  if (existsSync(python)) return python;
  mkdirSync(cache, { recursive: true });
  const partial = `${venv}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  };
  run('python3', ['-m', 'venv', partial]);
  run(join(partial, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--no-deps', '-r', requirements]);
  renameSync(partial, venv);
  return python;
}

let w;
let python;
before(async () => {
  python = virtualenv();
  w = await startWorker();
});
after(() => w?.stop());

test('scim2-tester: every check passes for Users and Groups, none skipped', async () => {
  const child = spawn(python, [join(dir, 'run_scim2_tester.py'), `${w.scim}/`, w.scimToken], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const status = await new Promise((resolve) => child.on('exit', resolve));
  const lines = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const summary = lines.pop();
  const failed = lines.filter((r) => !r.ok).map((r) => `${r.status} ${r.resourceType ?? ''} ${r.title}: ${r.reason}`);
  assert.deepEqual(failed, [], `scim2-tester checks did not pass:\n${failed.join('\n')}`);
  assert.equal(status, 0, `scim2-tester exited with ${status}:\n${err}`);
  assert.equal(summary.failed, 0);
  for (const type of ['User', 'Group']) {
    const checks = lines.filter((r) => r.resourceType === type).length;
    assert.ok(checks >= 20, `only ${checks} checks ran for ${type}`);
  }
  assert.ok(summary.checks >= 100, `only ${summary.checks} checks ran`);
});
