// applyPatch on JS objects. The compiled PATCH's emitted JavaScript (PatchPlan.jsSource) applies
// what it can decide; otherwise only the members the PATCH reads or writes are copied into
// wasm, as one JSON text, and the members that changed are merged back: the others stay the
// input's own values.
import { SchemaRegistry, patchRuntimeSource } from './scim_wasm.js';
import { instantiate } from './emitted.js';

/** The wasm engine's applyPatch, without the JavaScript fast path. */
export const applyPatchInWasm = SchemaRegistry.prototype.applyPatch;

/** Applies a PatchOp to a copy of a resource and returns the new resource (input untouched). */
SchemaRegistry.prototype.applyPatch = function applyPatch(resource, patch, options) {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return applyPatchInWasm.call(this, resource, patch, options);
  }
  const plan = patchPlan(this, patch, options);
  if (plan === undefined || plan === null) return applyPatchInWasm.call(this, resource, patch, options);
  let apply = plan.apply;
  if (apply === undefined && ++plan.uses >= JS_AFTER) apply = plan.apply = patchFunction(plan.plan);
  if (apply) {
    const out = apply(resource);
    if (out !== undefined) return out;
  }
  const part = {};
  for (const name of plan.members) {
    const value = resource[name];
    if (value !== undefined) part[name] = value;
  }
  let text;
  try {
    text = JSON.stringify(part);
  } catch {
    return applyPatchInWasm.call(this, resource, patch, options);
  }
  const [changed, removed] = JSON.parse(plan.plan.apply(text));
  const out = Object.assign({}, resource, changed);
  for (const name of removed) delete out[name];
  return out;
};

/** Compiled PATCH plans per registry, by resource type, quirks and PatchOp text; the oldest goes first. */
const patchPlans = new WeakMap();
const PATCH_CACHE = 64;
/** Uses of a plan before its JavaScript is instantiated: making a function of the source (about
 * a millisecond) and its first, interpreted runs cost as much as 20-30 runs in wasm, so a
 * PatchOp applied a few times (most are applied once: each carries its own values) stays in
 * wasm. */
const JS_AFTER = 24;

/** The PATCH runtime shared by every plan's function (compiled and optimised once); null where
 * code generation is not allowed. */
let runtime;

/** The plan's JavaScript function, or null (then wasm applies it). */
function patchFunction(plan) {
  if (runtime === undefined) runtime = instantiate(`() => ${patchRuntimeSource()}`)?.() ?? null;
  if (runtime === null) return null;
  try {
    const fn = instantiate(plan.jsBody)?.(runtime);
    return typeof fn === 'function' ? fn : null;
  } catch {
    return null;
  }
}

/** The plan last used for a PatchOp object, with the JSON it had then: a PatchOp passed again
 * (and not changed since) finds its plan without being turned into text. */
const recentPlans = new WeakMap();

/** Per registry, the texts of PatchOps met once: most are applied once (each carries its own
 * values), so a PatchOp gets a plan only when it comes again. */
const seenOnce = new WeakMap();
const SEEN_ONCE = 256;

/** The compiled plan of `patch` for these options; `null` the first time a PatchOp is met,
 * `undefined` when it is not JSON. */
function patchPlan(registry, patch, options) {
  const resourceType = options?.resourceType ?? null;
  const quirks = options?.quirks ?? null;
  const recent = typeof patch === 'object' && patch !== null ? recentPlans.get(patch) : undefined;
  if (
    recent !== undefined &&
    recent.registry === registry &&
    recent.resourceType === resourceType &&
    recent.quirks === quirks &&
    !recent.entry.evicted &&
    sameJson(patch, recent.json, 0)
  ) {
    return recent.entry;
  }
  let text;
  try {
    text = JSON.stringify([resourceType, quirks, patch]);
  } catch {
    return undefined;
  }
  let plans = patchPlans.get(registry);
  if (plans === undefined) patchPlans.set(registry, (plans = new Map()));
  let entry = plans.get(text);
  if (entry === undefined) {
    let once = seenOnce.get(registry);
    if (once === undefined) seenOnce.set(registry, (once = new Set()));
    if (!once.has(text)) {
      if (once.size >= SEEN_ONCE) once.clear();
      once.add(text);
      return null;
    }
    once.delete(text);
    const plan = registry.compilePatch(patch, options);
    entry = { plan, members: plan.members, apply: undefined, uses: 0, evicted: false };
    if (plans.size >= PATCH_CACHE) {
      const [oldest, old] = plans.entries().next().value;
      plans.delete(oldest);
      old.evicted = true;
      old.plan.free();
    }
    plans.set(text, entry);
  }
  const remember =
    typeof patch === 'object' &&
    patch !== null &&
    (typeof resourceType === 'string' || resourceType === null) &&
    (typeof quirks === 'string' || quirks === null);
  if (remember) recentPlans.set(patch, { registry, resourceType, quirks, json: JSON.parse(text)[2], entry });
  return entry;
}

/** Whether `value` turns into the same JSON text as `json` (a value JSON.parse made), when it
 * holds only what JSON keeps as is (plain objects and arrays, strings, finite numbers,
 * booleans, null); `false` otherwise. */
function sameJson(value, json, depth) {
  if (value === json) return true;
  if (typeof value !== 'object' || value === null || typeof json !== 'object' || json === null || depth > 64) {
    return false;
  }
  if (Array.isArray(value)) {
    if (!Array.isArray(json) || value.length !== json.length) return false;
    for (let i = 0; i < value.length; i++) if (!sameJson(value[i], json[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(json) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  let keys = 0;
  for (const key in value) {
    keys++;
    if (!Object.hasOwn(json, key) || !sameJson(value[key], json[key], depth + 1)) return false;
  }
  for (const key in json) keys--;
  return keys === 0;
}
