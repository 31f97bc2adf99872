// The public API, shared by the Node and browser entries (which instantiate the module first).
// Top-level functions use the built-in registry unless `options.registry` names another one.
import { Filter, SchemaRegistry, version } from './scim_wasm.js';
import { ScimError, ScimStoreError } from './scim-error.js';
import './filter.js';
import './patch.js';
import './validate.js';

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
