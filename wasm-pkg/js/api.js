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

export { Filter, SchemaRegistry, ScimError, ScimStoreError, version };
