#!/usr/bin/env bash
# Builds the npm package into wasm-pkg/dist/pkg (one wasm file for Node and the browser) and the
# validator page into wasm-pkg/dist/www. Release profile with LTO at opt-level s, then
# wasm-opt -Os: filters, create-validation and repeated PATCHes run as core-emitted JavaScript,
# so the wasm's own speed matters for the service, one-off PATCHes and fallbacks, where s is as
# fast as 3 and z about half as fast; s is 314 KB gzipped against 376 KB at 3 and 282 KB at z
# (see README, "Size and speed"). NPM_OPT_LEVEL and NPM_WASM_OPT override the two levels. The
# Worker keeps opt-level z.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib/env.sh
. scripts/lib/env.sh

# WASM_PKG_DIST builds elsewhere (for example one directory per concurrent test run).
dist="${WASM_PKG_DIST:-$here/dist}"
pkg="$dist/pkg"
www="$dist/www"
wasm="$root/target/wasm32-unknown-unknown/release/scim_wasm.wasm"

# shellcheck disable=SC2086
# The workspace strips symbols in release; wasm-bindgen needs the target_features section.
CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_OPT_LEVEL=${NPM_OPT_LEVEL:-s} cargo build --quiet -p scim-wasm --release --target wasm32-unknown-unknown ${SCIM_WASM_CARGO_FLAGS:-}

rm -rf "$dist"
mkdir -p "$pkg" "$www"
"$WASM_BINDGEN_BIN" --target web --no-typescript --out-dir "$pkg" --out-name scim_wasm "$wasm"
node_modules/.bin/wasm-opt -O${NPM_WASM_OPT:-s} --strip-debug --strip-producers --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  -o "$pkg/scim_wasm_bg.wasm" "$pkg/scim_wasm_bg.wasm"

cp "$here"/js/*.js "$here"/js/*.d.ts "$here/package.json" "$here/README.md" "$pkg/"
cp -r "$here"/www/. "$www/"
cp -r "$pkg" "$www/pkg"

raw=$(wc -c < "$pkg/scim_wasm_bg.wasm")
gz=$(gzip -9 -c "$pkg/scim_wasm_bg.wasm" | wc -c)
printf '[wasm-pkg] built %s: wasm %s bytes, %s gzipped\n' "${dist#"$root"/}" "$raw" "$gz" >&2
