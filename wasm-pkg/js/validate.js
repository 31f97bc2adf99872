// validate on JS objects. For create, the registry's emitted validator (validatorSource) returns
// the normalised resource of a body it can prove valid; every other body (all invalid ones
// among them) goes to the wasm engine, which reports each violation.
import { SchemaRegistry } from './scim_wasm.js';
import { instantiate } from './emitted.js';

/** The wasm engine's validate, without the JavaScript fast path. */
export const validateInWasm = SchemaRegistry.prototype.validate;

/** Emitted validators per registry, by resource type and leniency (`null` when they cannot run). */
const validators = new WeakMap();

function validatorOf(registry, options) {
  const key = `${options?.resourceType ?? 'User'}\u0000${options?.lenient === true}`;
  let byKey = validators.get(registry);
  if (byKey === undefined) validators.set(registry, (byKey = new Map()));
  let fn = byKey.get(key);
  if (fn === undefined) {
    fn = instantiate(registry.validatorSource(options)) ?? null;
    byKey.set(key, fn);
  }
  return fn;
}

/** Validates a resource for create or replace; every violation is reported. */
SchemaRegistry.prototype.validate = function validate(resource, options) {
  const create = options?.mode === undefined || options?.mode === 'create';
  const simple = options?.lenient === undefined || typeof options.lenient === 'boolean';
  if (create && simple && typeof resource === 'object' && resource !== null && !Array.isArray(resource)) {
    const fn = validatorOf(this, options);
    const normalised = fn === null ? undefined : fn(resource);
    if (normalised !== undefined) return { valid: true, errors: [], resource: normalised };
  }
  return validateInWasm.call(this, resource, options);
};
