// Node entry: instantiates the WebAssembly module from the file shipped beside this one.
import { readFileSync } from 'node:fs';
import { initSync } from './scim_wasm.js';

initSync({ module: readFileSync(new URL('./scim_wasm_bg.wasm', import.meta.url)) });

export * from './api.js';
