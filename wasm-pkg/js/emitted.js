// Functions core emits as JavaScript source (scim_core::js): filters, PATCH operations and
// create-validation compiled to code that reads JS objects directly. Each returns `undefined`
// where core must decide, and the callers then ask the wasm engine.

/** The function a core-emitted source evaluates to; `undefined` where code generation is not
 * allowed (a Content-Security-Policy without 'unsafe-eval'): then everything runs in wasm. */
export function instantiate(source) {
  try {
    const fn = new Function(`"use strict"; return (${source});`)();
    return typeof fn === 'function' ? fn : undefined;
  } catch {
    return undefined;
  }
}
