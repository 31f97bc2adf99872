// validate on JS objects. For create, the registry's emitted validator (validatorSource) returns
// the normalised resource of a body it can prove valid; every other body (all invalid ones
// among them) goes to the wasm engine, which reports each violation.
import { SchemaRegistry } from './scim_wasm.js';
import { instantiate } from './emitted.js';

/** The wasm engine's validate, without the JavaScript fast path. */
export const validateInWasm = SchemaRegistry.prototype.validate;

/** Emitted validators per registry, by resource type and leniency (`null` when they cannot run). */
const validators = new WeakMap();

function validatorOf(registry, type, lenient) {
  const key = `${type}\u0000${lenient}`;
  let byKey = validators.get(registry);
  if (byKey === undefined) validators.set(registry, (byKey = new Map()));
  let fn = byKey.get(key);
  if (fn === undefined) {
    let source;
    try {
      source = registry.validatorSource({ resourceType: type, lenient });
    } catch {
      // An unknown resource type: wasm reports it, as without the fast path.
      source = undefined;
    }
    fn = (source === undefined ? undefined : instantiate(source)) ?? null;
    byKey.set(key, fn);
  }
  return fn;
}

// The validator used last: a service or a loop validates many bodies of one type in a row.
let lastRegistry = null;
let lastType = '';
let lastLenient = false;
let lastFn = null;

/** Validates a resource for create or replace; every violation is reported. */
SchemaRegistry.prototype.validate = function validate(resource, options) {
  const mode = options?.mode;
  const lenient = options?.lenient ?? false;
  const plainOptions = options === undefined || options === null || typeof options === 'object';
  if (plainOptions && (mode === undefined || mode === 'create') && typeof lenient === 'boolean' && typeof resource === 'object' && resource !== null) {
    const type = options?.resourceType ?? 'User';
    let fn = lastFn;
    if (this !== lastRegistry || type !== lastType || lenient !== lastLenient) {
      // A resourceType that is not a string throws from wasm, as without the fast path.
      fn = typeof type === 'string' ? validatorOf(this, type, lenient) : null;
      lastRegistry = this;
      lastType = type;
      lastLenient = lenient;
      lastFn = fn;
    }
    const normalised = fn === null ? undefined : fn(resource);
    if (normalised !== undefined) return { valid: true, errors: [], resource: normalised };
  }
  return validateInWasm.call(this, resource, options);
};
