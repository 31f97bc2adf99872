// The public API, shared by the Node and browser entries (which instantiate the module first).
// Top-level functions use the built-in registry unless `options.registry` names another one.
import { Filter, SchemaRegistry, version } from './scim_wasm.js';
import { ScimError, ScimStoreError } from './scim-error.js';

let builtin;

function registryOf(options) {
  const registry = options?.registry;
  if (registry === undefined || registry === null) return (builtin ??= new SchemaRegistry());
  if (!(registry instanceof SchemaRegistry)) throw new TypeError('options.registry must be a SchemaRegistry');
  return registry;
}

/** Validates a resource for create or replace; every violation is reported. */
export function validate(resource, options) {
  return registryOf(options).validate(resource, options);
}

/** Applies a PatchOp to a copy of a resource and returns the new resource. */
export function applyPatch(resource, patch, options) {
  return registryOf(options).applyPatch(resource, patch, options);
}

/** Parses and compiles a SCIM filter for one resource type. */
export function compileFilter(text, options) {
  return registryOf(options).compileFilter(text, options);
}

// Filter evaluation reads only what the compiled filter uses: `plan` names those attributes,
// a projector copies them out of each resource, and the projections cross into wasm as one
// JSON text (one call for a whole array).

/** Copies the planned fields of one object: whole values, or only some sub-attributes. */
function projectFields(fields, object) {
  const out = {};
  for (const [name, whole, subs] of fields) {
    const value = object[name];
    if (value === undefined) continue;
    if (whole) out[name] = value;
    else if (Array.isArray(value)) out[name] = value.map((item) => projectElement(subs, item));
    else out[name] = projectElement(subs, value);
  }
  return out;
}

/** One value of a complex attribute: only the sub-attributes `subs`, when it is an object. */
function projectElement(subs, value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out = {};
  for (const name of subs) {
    const v = value[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

const projectors = new WeakMap();

/** The function giving the part of a resource `filter` reads (`null` for a non-object). */
function projectorOf(filter) {
  let project = projectors.get(filter);
  if (project === undefined) {
    const [fields, extensions] = filter.plan;
    project = (resource) => {
      if (typeof resource !== 'object' || resource === null) return null;
      const doc = projectFields(fields, resource);
      for (const [urn, attrs] of extensions) {
        const ext = resource[urn];
        if (typeof ext === 'object' && ext !== null) doc[urn] = projectFields(attrs, ext);
      }
      return doc;
    };
    projectors.set(filter, project);
  }
  return project;
}

/** Whether one resource satisfies the filter (`false` for anything but an object). */
Filter.prototype.matches = function matches(resource) {
  if (typeof resource !== 'object' || resource === null) return false;
  return this.matchesJson(JSON.stringify(projectorOf(this)(resource)));
};

/** The resources of the array that satisfy the filter: the same objects, in order. */
Filter.prototype.filter = function filter(resources) {
  if (!Array.isArray(resources)) throw new ScimError(400, 'invalidValue', 'resources: filter() takes an array', 'resources');
  const project = projectorOf(this);
  const docs = new Array(resources.length);
  for (let i = 0; i < resources.length; i++) docs[i] = project(resources[i]);
  const indexes = this.filterJson(JSON.stringify(docs));
  const out = new Array(indexes.length);
  for (let i = 0; i < indexes.length; i++) out[i] = resources[indexes[i]];
  return out;
};

// applyPatch copies only the members the PATCH reads or writes into wasm, as one JSON text,
// and merges back the members that changed: the others stay the input's own values.
const applyPatchInWasm = SchemaRegistry.prototype.applyPatch;

/** Applies a PatchOp to a copy of a resource and returns the new resource (input untouched). */
SchemaRegistry.prototype.applyPatch = function applyPatch(resource, patch, options) {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return applyPatchInWasm.call(this, resource, patch, options);
  }
  const plan = patchPlan(this, patch, options);
  if (plan === undefined) return applyPatchInWasm.call(this, resource, patch, options);
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
    entry = { plan, members: plan.members };
    if (plans.size >= PATCH_CACHE) {
      const [oldest, old] = plans.entries().next().value;
      plans.delete(oldest);
      old.plan.free();
    }
    plans.set(text, entry);
  }
  return entry;
}

/** A random RFC 4122 version 4 UUID (crypto.randomUUID needs a secure context in browsers). */
function randomId() {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Request headers as [name, value] pairs, from a plain object, Headers, a Map or pairs. */
function headerPairs(headers) {
  if (headers === undefined || headers === null) return [];
  if (Array.isArray(headers)) return headers.map(([n, v]) => [String(n), String(v)]);
  if (typeof headers.entries === 'function') return [...headers.entries()].map(([n, v]) => [String(n), String(v)]);
  const pairs = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, String(v)]);
  }
  return pairs;
}

/** A SCIM 2.0 service (RFC 7644): the engine's endpoints over an in-memory or JS store. */
export class ScimService {
  #handle;

  constructor(options = {}) {
    this.#handle = registryOf(options).createService({ ...options, newId: options.newId ?? randomId });
  }

  /** Answers one HTTP request: `{ method, url, headers, body }` → `{ status, headers, body }`. */
  async handle(request) {
    if (typeof request !== 'object' || request === null) throw new TypeError('handle() takes a request object');
    const { method = 'GET', url, headers, body } = request;
    if (typeof url !== 'string') throw new TypeError('request.url must be a string');
    return this.#handle.handle(String(method).toUpperCase(), url, headerPairs(headers), body);
  }

  /** Releases the wasm memory now instead of at garbage collection. */
  free() {
    this.#handle.free();
  }
}

/** Compiled filters a collection keeps, by text; the oldest goes when there are more. */
const FILTER_CACHE = 64;

/**
 * Resources of one type held inside the engine: filtering and counting run in WebAssembly over
 * compact columns built from them, without crossing into JavaScript per resource, and give back
 * your objects (the engine keeps no second copy of them).
 */
export class Collection {
  #core;
  #registry;
  #resourceType;
  #items = [];
  #filters = new Map();

  constructor(options = {}) {
    this.#registry = registryOf(options);
    this.#resourceType = options?.resourceType ?? 'User';
    this.#core = this.#registry.createCollection(options);
  }

  /** How many resources are held. */
  get size() {
    return this.#items.length;
  }

  /** Adds a resource, replacing the one with the same `id`; returns the collection. */
  add(resource) {
    if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
      throw new TypeError('add() takes a resource object');
    }
    this.#place(this.#core.upsert(JSON.stringify(resource)), [resource]);
    return this;
  }

  /** Adds many resources in one call (each replaces the one with the same `id`); returns the collection. */
  addAll(resources) {
    if (!Array.isArray(resources)) throw new TypeError('addAll() takes an array of resources');
    if (resources.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
      throw new TypeError('addAll() takes an array of resource objects');
    }
    this.#place(this.#core.upsert(JSON.stringify(resources)), resources);
    return this;
  }

  /** Replaces the resource with the same `id`; returns the one it replaced. */
  replace(resource) {
    const id = resource?.id;
    const at = typeof id === 'string' ? this.#core.position(id) : -1;
    if (at < 0) throw new ScimError(404, undefined, `no resource with id '${id}' in the collection`, 'id');
    const before = this.#items[at];
    this.add(resource);
    return before;
  }

  /** Removes the resource with this `id`; whether there was one. */
  remove(id) {
    const at = this.#core.removeId(String(id));
    if (at < 0) return false;
    this.#items.splice(at, 1);
    return true;
  }

  /** The resource with this `id`, or `undefined`. */
  get(id) {
    const at = this.#core.position(String(id));
    return at < 0 ? undefined : this.#items[at];
  }

  /** The resources a filter (text, or a `Filter` compiled for this resource type) matches, in order. */
  filter(filter) {
    const items = this.#items;
    const indexes = this.#core.matching(this.#compiled(filter));
    const out = new Array(indexes.length);
    for (let i = 0; i < indexes.length; i++) out[i] = items[indexes[i]];
    return out;
  }

  /** How many resources a filter matches. */
  count(filter) {
    return this.#core.count(this.#compiled(filter));
  }

  /** The held resources, in order. */
  [Symbol.iterator]() {
    return this.#items[Symbol.iterator]();
  }

  /** Releases the wasm memory now instead of at garbage collection. */
  free() {
    this.#core.free();
    for (const f of this.#filters.values()) f.free();
    this.#filters.clear();
    this.#items = [];
  }

  #place(indexes, resources) {
    for (let i = 0; i < indexes.length; i++) this.#items[indexes[i]] = resources[i];
    if (indexes.length < resources.length) throw this.#core.failure();
  }

  #compiled(filter) {
    if (filter instanceof Filter) return filter;
    if (typeof filter !== 'string') throw new TypeError('filter must be a string or a Filter');
    let compiled = this.#filters.get(filter);
    if (compiled === undefined) {
      compiled = this.#registry.compileFilter(filter, { resourceType: this.#resourceType });
      if (this.#filters.size >= FILTER_CACHE) {
        const [oldest, old] = this.#filters.entries().next().value;
        this.#filters.delete(oldest);
        old.free();
      }
      this.#filters.set(filter, compiled);
    }
    return compiled;
  }
}

export { Filter, SchemaRegistry, ScimError, ScimStoreError, version };
