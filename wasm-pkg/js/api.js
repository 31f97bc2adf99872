// The public API, shared by the Node and browser entries (which instantiate the module first).
export { version } from './scim_wasm.js';
export { ScimError } from './scim-error.js';
