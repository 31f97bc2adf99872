# Environment shared by the project's scripts: tool locations and offline settings.
# shellcheck shell=bash
export PATH="$HOME/.cargo/bin:$PATH"
export SCIM_TOOLS="${SCIM_TOOLS:-$HOME/.cache/scim-edge}"
export WORKER_BUILD_VERSION=0.8.7
export WASM_BINDGEN_BIN="${WASM_BINDGEN_BIN:-$HOME/.cargo/bin/wasm-bindgen}"
# wrangler runs offline: no telemetry, no banner, no fetch of Cloudflare's request metadata.
export CLOUDFLARE_CF_FETCH_ENABLED=false
export WRANGLER_SEND_METRICS=false
export WRANGLER_HIDE_BANNER=true
# Debian's rust-web fallback (set by scripts/setup) needs build-std and its own linker.
if [ -f "$SCIM_TOOLS/wasm-toolchain" ] && [ "$(cat "$SCIM_TOOLS/wasm-toolchain")" = debian ]; then
  export PATH="/usr/bin:$PATH"
  export RUSTC_BOOTSTRAP=1
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22
  export SCIM_WASM_CARGO_FLAGS="-Zbuild-std=std,panic_abort"
fi
