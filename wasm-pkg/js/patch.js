// applyPatch on JS objects. The compiled PATCH's emitted JavaScript (PatchPlan.jsSource) applies
// what it can decide; otherwise only the members the PATCH reads or writes are copied into
// wasm, as one JSON text, and the members that changed are merged back: the others stay the
// input's own values.
import { SchemaRegistry } from './scim_wasm.js';
import { instantiate } from './emitted.js';

/** The wasm engine's applyPatch, without the JavaScript fast path. */
export const applyPatchInWasm = SchemaRegistry.prototype.applyPatch;

/** Applies a PatchOp to a copy of a resource and returns the new resource (input untouched). */
SchemaRegistry.prototype.applyPatch = function applyPatch(resource, patch, options) {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return applyPatchInWasm.call(this, resource, patch, options);
  }
  const plan = patchPlan(this, patch, options);
  if (plan === undefined) return applyPatchInWasm.call(this, resource, patch, options);
  if (plan.apply !== null) {
    const out = plan.apply(resource);
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

/** The compiled plan of `patch` for these options (`undefined` when the PatchOp is not JSON). */
function patchPlan(registry, patch, options) {
  let text;
  try {
    text = JSON.stringify([options?.resourceType ?? null, options?.quirks ?? null, patch]);
  } catch {
    return undefined;
  }
  let plans = patchPlans.get(registry);
  if (plans === undefined) patchPlans.set(registry, (plans = new Map()));
  let entry = plans.get(text);
  if (entry === undefined) {
    const plan = registry.compilePatch(patch, options);
    entry = { plan, members: plan.members, apply: instantiate(plan.jsSource) ?? null };
    if (plans.size >= PATCH_CACHE) {
      const [oldest, old] = plans.entries().next().value;
      plans.delete(oldest);
      old.plan.free();
    }
    plans.set(text, entry);
  }
  return entry;
}
