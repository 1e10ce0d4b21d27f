#!/usr/bin/env bash
# Builds the npm package in pkg/: the wasm crate, wasm-bindgen's `--target web`
# glue, wasm-opt from npm's binaryen (Debian's older binaryen miscompiles
# externref tables), then a copy under www/vendor/ for the demo page.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --lib --target wasm32-unknown-unknown
wasm-bindgen --target web --out-dir pkg --out-name pandora_mq \
  target/wasm32-unknown-unknown/release/pandora_mq.wasm
node_modules/.bin/wasm-opt -O3 --enable-reference-types --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  pkg/pandora_mq_bg.wasm -o pkg/pandora_mq_bg.wasm

rm -rf www/vendor/pandora-mq
mkdir -p www/vendor/pandora-mq
cp -r pkg/entry pkg/src pkg/pandora_mq.js pkg/pandora_mq_bg.wasm www/vendor/pandora-mq/

raw=$(stat -c %s pkg/pandora_mq_bg.wasm)
gz=$(gzip -9c pkg/pandora_mq_bg.wasm | wc -c)
echo "pkg/pandora_mq_bg.wasm: $raw bytes, $gz gzip"
