// Starts the Worker under `wrangler dev` for end-to-end tests: builds it (or reuses a fresh
// build), applies the D1 migrations to a temporary state directory, starts wrangler in its own
// session (setsid) on a free port with its own secrets, waits until it answers, and stops the
// whole process group at the end (also when a test fails or the process exits).

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workerDir = join(root, 'edge-worker');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');

/** Environment for wrangler: offline, quiet, no telemetry (as scripts/lib/env.sh sets). */
const wranglerEnv = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  NO_COLOR: '1',
};

/**
 * Builds the Worker bundle unless the build is fresh (edge-worker/scripts/build decides), or
 * unless SCIM_WORKER_SKIP_BUILD=1 (scripts/test.d/20-worker builds once before the suite).
 */
export function buildWorker() {
  if (process.env.SCIM_WORKER_SKIP_BUILD === '1') return;
  const r = spawnSync(join(workerDir, 'scripts', 'build'), { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`edge-worker/scripts/build failed (status ${r.status})`);
}

/** A TCP port nobody listens on right now. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Wrangler runs in its own session, so it does not receive the terminal's signals: stop every
// started process group when this process exits or is interrupted.
const running = new Set();
const killAll = () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
};
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
  });
}

/** Stops process group `pid` with `signal`, escalating to SIGKILL after 3 s; resolves on exit. */
async function halt(pid, exited, signal) {
  const kill = (sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  kill(signal);
  const timer = setTimeout(() => kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts a Worker on a temporary local D1/KV state with its own secrets and a free port. `vars`
 * override wrangler.toml vars (e.g. `{ MAX_BODY_BYTES: '2048' }`). Resolves to `{ origin, scim,
 * scimToken, adminToken, request, admin, crash, restart, stop, log }`: `crash()` SIGKILLs
 * wrangler's whole process group at once (workerd included, writes in flight cut off);
 * `restart()` starts wrangler again on the same state, secrets and port (after a crash, or
 * stopping it gracefully first); `stop()` stops it and removes the state.
 */
export async function startWorker({ vars = {} } = {}) {
  buildWorker();
  const dir = mkdtempSync(join(tmpdir(), 'scim-worker-'));
  const state = join(dir, 'state');
  const migrate = spawnSync(
    wrangler,
    ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state],
    { cwd: workerDir, env: wranglerEnv, encoding: 'utf8' },
  );
  if (migrate.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  }
  const scimToken = randomBytes(32).toString('hex');
  const adminToken = randomBytes(32).toString('hex');
  const envFile = join(dir, '.env');
  writeFileSync(envFile, `SCIM_TOKEN=${scimToken}\nADMIN_TOKEN=${adminToken}\n`);
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const origin = `http://127.0.0.1:${port}`;
  const args = [
    'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
    '--persist-to', state, '--env-file', envFile, '--show-interactive-dev-session=false',
    '--log-level', 'warn',
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ];
  let output = '';
  let current;

  const stopWith = async (signal) => {
    if (!current || !running.delete(current.child.pid)) return;
    await halt(current.child.pid, current.exited, signal);
    // workerd may outlive wrangler for a moment: wait until the port is free again.
    for (let i = 0; i < 100; i += 1) {
      try {
        await fetch(`${origin}/`);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        return;
      }
    }
  };
  const stop = async () => {
    await stopWith('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };

  const launch = async () => {
    // detached: the child calls setsid(), so its pid is the id of a process group that also
    // holds workerd and esbuild, and the whole group can be stopped at once.
    const child = spawn(wrangler, args, {
      cwd: workerDir, env: wranglerEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child.pid);
    const keep = (chunk) => {
      output = (output + chunk).slice(-20000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    current = { child, exited: new Promise((resolve) => child.on('exit', resolve)) };
    const deadline = Date.now() + 60000;
    for (;;) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`wrangler dev did not start:\n${output}`);
      }
      try {
        await fetch(`${origin}/`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  await launch();

  /** A request with an optional bearer token; resolves to { status, headers, body, text }. */
  const request = async (path, { method = 'GET', token, body, headers = {} } = {}) => {
    const h = { ...headers };
    if (token !== undefined) h.Authorization = `Bearer ${token}`;
    if (body !== undefined && typeof body !== 'string') {
      h['Content-Type'] ??= 'application/scim+json';
      body = JSON.stringify(body);
    }
    const res = await fetch(`${origin}${path}`, { method, headers: h, body });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, body: json, text };
  };

  return {
    origin,
    scim: `${origin}/scim/v2`,
    scimToken,
    adminToken,
    request,
    admin: (path, options = {}) => request(`/admin${path}`, { token: adminToken, ...options }),
    crash: () => stopWith('SIGKILL'),
    restart: async () => {
      await stopWith('SIGTERM');
      await launch();
    },
    stop,
    log: () => output,
  };
}

/** Asserts the shape of a SCIM error response (RFC 7644 §3.12) with `status`. */
export function assertScimError(assert, res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/scim\+json/);
  assert.deepEqual(res.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
  assert.equal(res.body.status, String(status));
  assert.equal(typeof res.body.detail, 'string');
}
