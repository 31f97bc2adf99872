// Node comparison bench: the scim-edge package against the npm libraries people use today
// (scim2-parse-filter, scim-patch, scimmy, ajv), on the same generated users, filters and PATCH
// documents. Correctness first: every library's answers are checked against the RFC answers
// of cases.mjs, then each is timed.
//
//   node wasm-pkg/bench/compare.mjs                 # 10 000 users, writes bench-results/npm_compare.txt
//   node wasm-pkg/bench/compare.mjs --smoke         # tiny sizes, prints only (what tests/npm runs)
//   options: --users N, --budget MS (time per measurement), --out FILE, --pkg DIR (built package)
//
// Build the package first (wasm-pkg/build.sh). Not part of CI: timings depend on the machine.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { filterCases, FILTER_PROBES, PATCH_CASES, PATCH_OP, VALIDATE_PROBES } from './cases.mjs';
import { generateUsers, USER } from './users.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(join(root, 'package.json'));

/** The peer libraries, loaded from the repository's pinned dev dependencies. */
async function peers() {
  const s2pf = require('scim2-parse-filter');
  const { scimPatch } = require('scim-patch');
  const { default: Ajv } = await import(pathToFileURL(require.resolve('ajv')).href);
  const { default: SCIMMY } = await import(pathToFileURL(require.resolve('scimmy')).href);
  SCIMMY.Schemas.User.extend(SCIMMY.Schemas.EnterpriseUser);
  const ajv = new Ajv({ allErrors: false });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i);
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  ajv.addFormat('uri-reference', /^[^\s]*$/);
  const ajvUser = ajv.compile(JSON.parse(readFileSync(join(here, 'user.schema.json'), 'utf8')));
  return { s2pf, scimPatch, SCIMMY, ajvUser };
}

/** Operations per second of `op(i)`, called with i = 0, 1, 2 … for about `budgetMs`. */
function rate(op, budgetMs, batch = 1) {
  op(0);
  let calls = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(budgetMs * 1e6));
  let now = start;
  do {
    for (let k = 0; k < batch; k++) op(calls++);
    now = process.hrtime.bigint();
  } while (now < end);
  return calls / (Number(now - start) / 1e9);
}

/** The same as `rate` for an async operation. */
async function rateAsync(op, budgetMs) {
  await op(0);
  let calls = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(budgetMs * 1e6));
  let now = start;
  do {
    await op(calls++);
    now = process.hrtime.bigint();
  } while (now < end);
  return calls / (Number(now - start) / 1e9);
}

/** A JSON value with object keys sorted, to compare documents whatever their key order. */
function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical(v[k]);
    return out;
  }
  return v;
}
const sameDoc = (a, b) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** Runs a library call, turning a throw into `{ error }`. */
function attempt(fn) {
  try {
    return fn();
  } catch (e) {
    return { error: String(e?.message ?? e).slice(0, 80) };
  }
}
async function attemptAsync(fn) {
  try {
    return await fn();
  } catch (e) {
    return { error: String(e?.message ?? e).slice(0, 80) };
  }
}

const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

/** The filter engines under comparison, as `{ compile(text) → { filter(users), matches(u) } }`. */
function filterEngines(scim, { s2pf, SCIMMY }) {
  return {
    ours: (text) => {
      const f = scim.compileFilter(text);
      return { filter: (us) => f.filter(us), matches: (u) => f.matches(u) };
    },
    'scim2-parse-filter': (text) => {
      const pred = s2pf.filter(s2pf.parse(text));
      return { filter: (us) => us.filter(pred), matches: (u) => pred(u) };
    },
    scimmy: (text) => {
      const f = new SCIMMY.Types.Filter(text);
      return { filter: (us) => f.match(us), matches: (u) => f.match([u]).length === 1 };
    },
  };
}

/** Resources held inside the engine: `Collection` when the package has it, else the service. */
async function residentEngine(scim, users) {
  if (typeof scim.Collection === 'function') {
    const c = new scim.Collection();
    c.addAll ? c.addAll(users) : users.forEach((u) => c.add(u));
    return { kind: 'Collection', filter: (text) => c.filter(text), count: (text) => c.count(text) };
  }
  const service = new scim.ScimService({ basePath: '/scim/v2', config: { maxResults: users.length } });
  for (const u of users) {
    const out = await service.handle({ method: 'POST', url: '/scim/v2/Users', body: { ...u, id: undefined, meta: undefined } });
    if (out.status !== 201) throw new Error(`loading the service: ${out.status} ${out.body}`);
  }
  const list = async (text, count) => {
    const url = `/scim/v2/Users?count=${count}&filter=${encodeURIComponent(text)}`;
    const out = await service.handle({ method: 'GET', url });
    if (out.status !== 200) throw new Error(`${out.status} ${out.body}`);
    return out.body;
  };
  return {
    kind: 'ScimService (in-memory store)',
    async: true,
    setsMeta: true,
    filter: async (text) => JSON.parse(await list(text, users.length)).Resources ?? [],
    filterRaw: (text) => list(text, users.length),
    count: async (text) => JSON.parse(await list(text, 0)).totalResults,
  };
}

/** Runs the whole bench; returns the report text and the headline ratios. */
export async function run({ users: n = 10000, budgetMs = 400, pkgDir, log = () => {} } = {}) {
  const pkg = pkgDir ?? join(root, 'wasm-pkg', 'dist', 'pkg');
  const scim = await import(pathToFileURL(join(pkg, 'node.js')).href);
  const libs = await peers();
  const users = generateUsers(n);
  const lines = [];
  const out = (s = '') => {
    lines.push(s);
    log(s);
  };
  const mismatches = { ours: [], peers: [] };
  const note = (lib, what) => (lib === 'ours' ? mismatches.ours : mismatches.peers).push(`${lib}: ${what}`);

  // ---- filters: correctness
  const cases = filterCases(users);
  const engines = filterEngines(scim, libs);
  const resident = await residentEngine(scim, users);
  out(`Filters: ${n} users; matches per library (✓ = the RFC answer)`);
  const compiled = {};
  for (const c of cases) {
    const expected = users.filter(c.rfc);
    const row = [`  ${String(expected.length).padStart(6)} RFC`];
    compiled[c.text] = {};
    for (const [lib, compile] of Object.entries(engines)) {
      const engine = attempt(() => compile(c.text));
      if (engine.error) {
        row.push(`${lib}: error`);
        note(lib, `${c.text}: ${engine.error}`);
        continue;
      }
      compiled[c.text][lib] = engine;
      const got = attempt(() => engine.filter(users));
      const ok = !got.error && got.length === expected.length && got.every((u, i) => u === expected[i]);
      const one = !got.error && users.every((u, i) => engine.matches(u) === (expected.includes(u) || false) || i > 200);
      row.push(`${lib} ${got.error ? 'error' : got.length}${ok && one ? ' ✓' : ' ✗'}`);
      if (!ok || !one) {
        const want = new Set(expected);
        const have = new Set(got.error ? [] : got);
        const differ = got.error ? 0 : got.filter((u) => !want.has(u)).length + expected.filter((u) => !have.has(u)).length;
        note(lib, `${c.text} (${c.rule}): ${got.error ?? `${got.length} matches, RFC ${expected.length}, ${differ} users differ`}`);
      }
    }
    if (resident.setsMeta && c.text.startsWith('meta.')) {
      row.push('resident n/a (meta set by the service)');
    } else {
      const held = await attemptAsync(() => resident.filter(c.text));
      const want = new Set(expected.map((u) => u.userName));
      const heldOk = !held.error && held.length === expected.length && held.every((u) => want.has(u.userName));
      row.push(`resident ${held.error ? 'error' : held.length}${heldOk ? ' ✓' : ' ✗'}`);
      if (!heldOk) note('ours', `resident ${c.text}: ${held.error ?? held.length}`);
    }
    out(`${row.join('  ')}  | ${c.text}`);
  }

  out();
  out('Filter probes (RFC answer, then each library)');
  for (const p of FILTER_PROBES) {
    const row = [];
    for (const [lib, compile] of Object.entries(engines)) {
      const got = attempt(() => compile(p.text).matches(p.resource));
      const shown = got?.error ? 'error' : String(got);
      row.push(`${lib}=${shown}${got === p.rfc ? '' : ' ✗'}`);
      if (got !== p.rfc) note(lib, `probe "${p.rule}": ${shown}, RFC ${p.rfc}`);
    }
    out(`  RFC=${String(p.rfc).padEnd(5)} ${row.join('  ')}  | ${p.rule}: ${p.text}`);
  }

  // ---- PATCH: correctness
  out();
  out('PATCH: documents equal to the RFC result, over the first users (✓ = all)');
  const sample = users.slice(0, Math.min(users.length, 200));
  const patchers = {
    ours: (u, ops) => scim.applyPatch(u, { schemas: [PATCH_OP], Operations: ops }),
    'scim-patch': (u, ops) => libs.scimPatch(u, structuredClone(ops), { mutateDocument: false }),
  };
  const scimmyPatch = async (u, ops) =>
    JSON.parse(JSON.stringify(await new libs.SCIMMY.Messages.PatchOp({ schemas: [PATCH_OP], Operations: ops }).apply(new libs.SCIMMY.Schemas.User(u))));
  for (const c of PATCH_CASES) {
    const row = [];
    for (const [lib, patch] of Object.entries(patchers)) {
      let good = 0;
      let first;
      for (const u of sample) {
        const got = attempt(() => patch(u, c.ops));
        if (!got.error && sameDoc(got, c.rfc(u))) good++;
        else first ??= got.error ?? JSON.stringify(got).slice(0, 200);
      }
      row.push(`${lib} ${good}/${sample.length}${good === sample.length ? ' ✓' : ' ✗'}`);
      if (good !== sample.length) note(lib, `PATCH ${c.name}: ${first}`);
    }
    let good = 0;
    let first;
    for (const u of sample.slice(0, 20)) {
      const got = await attemptAsync(() => scimmyPatch(u, c.ops));
      // scimmy re-renders dateTimes (meta) in its own form: compare everything else.
      const strip = (d) => ({ ...d, meta: undefined });
      if (!got.error && sameDoc(strip(got), strip(c.rfc(u)))) good++;
      else first ??= got.error ?? JSON.stringify(got).slice(0, 200);
    }
    row.push(`scimmy ${good}/20${good === 20 ? ' ✓' : ' ✗'}`);
    if (good !== 20) note('scimmy', `PATCH ${c.name}: ${first}`);
    out(`  ${row.join('  ')}  | ${c.name}`);
  }

  // ---- validation: correctness
  out();
  out('Validation: generated users valid, then probes (RFC verdict, then each library)');
  const validators = {
    ours: (r) => scim.validate(r, { resourceType: 'User' }).valid,
    ajv: (r) => libs.ajvUser(r),
    scimmy: (r) => attempt(() => new libs.SCIMMY.Schemas.User(r, 'in')).error === undefined,
  };
  const validRow = [];
  for (const [lib, valid] of Object.entries(validators)) {
    const bad = users.filter((u) => !valid(u)).length;
    validRow.push(`${lib} ${users.length - bad}/${users.length}${bad ? ' ✗' : ' ✓'}`);
    if (bad) note(lib, `${bad} generated users reported invalid`);
  }
  out(`  ${validRow.join('  ')}  | generated users`);
  for (const p of VALIDATE_PROBES) {
    const row = [];
    for (const [lib, valid] of Object.entries(validators)) {
      const got = attempt(() => valid(structuredClone(p.resource)));
      row.push(`${lib}=${got?.error ? 'error' : got}${got === p.rfc ? '' : ' ✗'}`);
      if (got !== p.rfc) note(lib, `validate probe "${p.rule}": ${got?.error ? 'error' : got}, RFC ${p.rfc}`);
    }
    out(`  RFC=${String(p.rfc).padEnd(5)} ${row.join('  ')}  | ${p.rule}`);
  }

  // ---- timing
  out();
  out(`Speed (operations per second; ${budgetMs} ms per measurement)`);
  const at = (i) => users[i % users.length];
  const ratios = { resident: [], filter: [], matches: [], patch: [], validate: [] };
  out(`  filter over ${n} users, users/s  (resident = ${resident.kind})`);
  out(`  ${'resident'.padStart(12)} ${'ours'.padStart(12)} ${'s2pf'.padStart(12)} ${'scimmy'.padStart(12)}  resident/s2pf  filter()/s2pf  filter`);
  for (const c of cases) {
    const e = compiled[c.text];
    const r = {};
    for (const lib of Object.keys(engines)) if (e[lib]) r[lib] = rate(() => e[lib].filter(users), budgetMs) * n;
    r.resident = resident.async
      ? (await rateAsync(() => resident.filterRaw(c.text), budgetMs)) * n
      : rate(() => resident.filter(c.text), budgetMs) * n;
    const base = r['scim2-parse-filter'];
    ratios.resident.push(r.resident / base);
    ratios.filter.push(r.ours / base);
    out(
      `  ${fmt(r.resident).padStart(12)} ${fmt(r.ours).padStart(12)} ${fmt(base).padStart(12)} ${fmt(r.scimmy ?? 0).padStart(12)}  ${ratio(r.resident, base).padStart(13)}  ${ratio(r.ours, base).padStart(13)}  ${c.text}`,
    );
  }
  if (typeof scim.Collection === 'function') {
    out(`  Collection.addAll load time, ms (best and median of 3, each into a new Collection)`);
    for (const size of [n, 2 * n]) {
      const load = size === n ? users : generateUsers(size);
      const ms = [];
      for (let k = 0; k < 3; k++) {
        const c = new scim.Collection();
        const t0 = performance.now();
        c.addAll(load);
        ms.push(performance.now() - t0);
        if (c.size !== size) throw new Error(`addAll held ${c.size} of ${size} users`);
        c.free();
      }
      ms.sort((x, y) => x - y);
      out(`  ${String(size).padStart(8)} users  best ${ms[0].toFixed(0).padStart(5)} ms  median ${ms[1].toFixed(0).padStart(5)} ms  (${((ms[0] * 1000) / size).toFixed(1)} µs/user)`);
    }
  }
  out(`  matches() on one object, calls/s`);
  out(`  ${'ours'.padStart(12)} ${'s2pf'.padStart(12)} ${'scimmy'.padStart(12)}  ours/s2pf  filter`);
  for (const c of cases) {
    const e = compiled[c.text];
    const r = {};
    for (const lib of Object.keys(engines)) if (e[lib]) r[lib] = rate((i) => e[lib].matches(at(i)), budgetMs, 64);
    const base = r['scim2-parse-filter'];
    ratios.matches.push(r.ours / base);
    out(`  ${fmt(r.ours).padStart(12)} ${fmt(base).padStart(12)} ${fmt(r.scimmy ?? 0).padStart(12)}  ${ratio(r.ours, base).padStart(9)}  ${c.text}`);
  }
  out(`  applyPatch, documents/s (scim-patch with mutateDocument: false, as ours leaves the input untouched;`);
  out(`  its results share the PatchOp's values, ours get fresh ones). One PatchOp applied to every user:`);
  out(`  ours runs it as core-emitted JavaScript after its 24th use.`);
  out(`  ${'ours'.padStart(12)} ${'scim-patch'.padStart(12)} ${'scimmy'.padStart(12)}  ours/scim-patch  document`);
  for (const c of PATCH_CASES) {
    const patch = { schemas: [PATCH_OP], Operations: c.ops };
    const ours = rate((i) => scim.applyPatch(at(i), patch), budgetMs, 16);
    const peer = rate((i) => libs.scimPatch(at(i), c.ops, { mutateDocument: false }), budgetMs, 16);
    const slow = await rateAsync((i) => scimmyPatch(at(i), c.ops), budgetMs / 4);
    ratios.patch.push(ours / peer);
    out(`  ${fmt(ours).padStart(12)} ${fmt(peer).padStart(12)} ${fmt(slow).padStart(12)}  ${ratio(ours, peer).padStart(15)}  ${c.name}`);
  }
  const oneOff = (i) => [{ op: 'replace', path: 'name.givenName', value: `Given${i}` }];
  const oursOnce = rate((i) => scim.applyPatch(at(i), { schemas: [PATCH_OP], Operations: oneOff(i) }), budgetMs, 16);
  const peerOnce = rate((i) => libs.scimPatch(at(i), oneOff(i), { mutateDocument: false }), budgetMs, 16);
  out(`  A new PatchOp per user (each with its own value; ours compiles and applies it in wasm), not in the target ratio:`);
  out(`  ${fmt(oursOnce).padStart(12)} ${fmt(peerOnce).padStart(12)} ${''.padStart(12)}  ${ratio(oursOnce, peerOnce).padStart(15)}  replace name.givenName with a value of its own`);
  out(`  validate a generated user, validations/s`);
  const v = {
    ours: rate((i) => scim.validate(at(i), { resourceType: 'User' }), budgetMs, 16),
    ajv: rate((i) => libs.ajvUser(at(i)), budgetMs, 64),
    scimmy: rate((i) => new libs.SCIMMY.Schemas.User(at(i), 'in'), budgetMs / 4, 4),
  };
  ratios.validate.push(v.ours / v.ajv);
  out(`  ours ${fmt(v.ours)}  ajv ${fmt(v.ajv)}  scimmy ${fmt(v.scimmy)}  ours/ajv ${ratio(v.ours, v.ajv)}`);

  const summary = {
    resident: geomean(ratios.resident),
    filter: geomean(ratios.filter),
    matches: geomean(ratios.matches),
    patch: geomean(ratios.patch),
    validate: ratios.validate[0],
  };
  const targets = { resident: 10, filter: 3, matches: 2, patch: 2, validate: 1 };
  out();
  out('Ratios (geometric mean over the cases) against the targets');
  const labels = {
    resident: 'resident filter / scim2-parse-filter',
    filter: 'filter() over a JS array / scim2-parse-filter',
    matches: 'matches() on one object / scim2-parse-filter',
    patch: 'applyPatch / scim-patch',
    validate: 'validate / ajv',
  };
  for (const k of Object.keys(summary)) {
    out(`  ${labels[k].padEnd(48)} ${summary[k].toFixed(2).padStart(7)}×  target ≥ ${targets[k]}×  ${summary[k] >= targets[k] ? 'met' : 'NOT met'}`);
  }
  out();
  out('What bounds the ratios: a Collection filters column-wise copies inside wasm (no crossing per');
  out('resource). filter(), matches(), validate (create) and a PatchOp used repeatedly run JavaScript that');
  out('core emits from the compiled filter, schema or PATCH (scim_core::js) on the objects in place, and');
  out('hand what they cannot decide to wasm; a one-off PatchOp crosses into wasm as JSON text. validate');
  out('also builds the normalised copy, which ajv does not (nor can it check what the probes above check).');
  out();
  out('Disagreements with the RFC');
  for (const m of mismatches.ours) out(`  ${m}`);
  if (mismatches.ours.length === 0) out('  ours: none');
  for (const m of mismatches.peers) out(`  ${m}`);
  return { text: lines.join('\n'), summary, oursMismatches: mismatches.ours };
}

/** The header of the results file: when, what, where. */
function header(pkg) {
  const wasm = readFileSync(join(pkg, 'scim_wasm_bg.wasm'));
  const commit = attempt(() => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim());
  const [l1, l5, l15] = loadavg();
  return [
    'npm_compare: scim-edge (wasm) against scim2-parse-filter 0.2.10, scim-patch 0.8.3, scimmy 1.3.5, ajv 8.20.0',
    `date ${new Date().toISOString()}  commit ${typeof commit === 'string' ? commit : '?'}  node ${process.version}`,
    `load average when started: ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)} (2 cores, shared)`,
    `wasm ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} gzipped`,
    'run: node wasm-pkg/bench/compare.mjs (after wasm-pkg/build.sh)',
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : fallback;
  };
  const smoke = args.includes('--smoke');
  const pkgDir = opt('--pkg', join(root, 'wasm-pkg', 'dist', 'pkg'));
  const head = header(pkgDir);
  process.stdout.write(head);
  const { text } = await run({
    users: Number(opt('--users', smoke ? 200 : 10000)),
    budgetMs: Number(opt('--budget', smoke ? 5 : 400)),
    pkgDir,
    log: (s) => process.stdout.write(`${s}\n`),
  });
  const file = opt('--out', smoke ? null : join(root, 'bench-results', 'npm_compare.txt'));
  if (file) writeFileSync(file, `${head}${text}\n`);
}
