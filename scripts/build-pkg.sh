#!/usr/bin/env bash
# Builds the npm package in pkg/: the wasm crate, wasm-bindgen's `--target web`
# glue, wasm-opt from npm's binaryen (Debian's older binaryen miscompiles
# externref tables), then a copy under www/vendor/ for the demo page.
#
# PKG_OUT=<dir> puts the generated files in <dir> instead (no www/ copy), and
# WASM_OPT_EXTRA adds wasm-opt flags: benches/profile-build.sh uses both.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${PKG_OUT:-pkg}

cargo build --release --lib --target wasm32-unknown-unknown --features wasm
wasm-bindgen --target web --out-dir "$out" --out-name pandora_mq \
  target/wasm32-unknown-unknown/release/pandora_mq.wasm
# shellcheck disable=SC2086 # WASM_OPT_EXTRA is a list of flags
node_modules/.bin/wasm-opt -O3 ${WASM_OPT_EXTRA:-} --enable-reference-types --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$out/pandora_mq_bg.wasm" -o "$out/pandora_mq_bg.wasm"

if [[ $out == pkg ]]; then
  # The same declarations for require(): TypeScript reads a .d.ts under
  # "type": "module" as ESM, so CommonJS consumers need a .d.cts.
  cp pkg/index.d.ts pkg/index.d.cts
  rm -rf www/vendor/pandora-mq
  mkdir -p www/vendor/pandora-mq
  cp -r pkg/entry pkg/src pkg/pandora_mq.js pkg/pandora_mq_bg.wasm www/vendor/pandora-mq/
  # The demo page ships in the package for `pandora-mq serve`, which serves
  # the package's own files as its vendor/ folder.
  rm -rf pkg/www
  mkdir -p pkg/www
  cp -r www/. pkg/www/
  rm -rf pkg/www/vendor pkg/www/.gitignore
fi

raw=$(stat -c %s "$out/pandora_mq_bg.wasm")
gz=$(gzip -9c "$out/pandora_mq_bg.wasm" | wc -c)
echo "$out/pandora_mq_bg.wasm: $raw bytes, $gz gzip"
