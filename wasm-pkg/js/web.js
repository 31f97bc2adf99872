// Browser and bundler entry: fetches and instantiates the WebAssembly module beside this file.
import init from './scim_wasm.js';

await init({ module_or_path: new URL('./scim_wasm_bg.wasm', import.meta.url) });

export * from './api.js';
