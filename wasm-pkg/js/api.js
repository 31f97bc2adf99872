// The public API, shared by the Node and browser entries (which instantiate the module first).
// Top-level functions use the built-in registry unless `options.registry` names another one.
import { Filter, SchemaRegistry, version } from './scim_wasm.js';
import { ScimError } from './scim-error.js';

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

export { Filter, SchemaRegistry, ScimError, version };
