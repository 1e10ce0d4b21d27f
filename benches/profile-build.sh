#!/usr/bin/env bash
# Builds a copy of the npm package whose wasm keeps its function names, for
# `node benches/profile.js --package <dir>`: the same cargo release build and
# `wasm-opt -Oz` as scripts/build-pkg.sh, plus `-g` so the name section stays.
# Writes only under <dir> (default /tmp/pandora-mq-named) and its own cargo
# target folder; the repository's target/ and pkg/ are left alone.
#
#   benches/profile-build.sh [/tmp/pandora-mq-named]
#   node benches/profile.js --package /tmp/pandora-mq-named
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/pandora-mq-named}
target="$out.target"
mkdir -p "$out"
CARGO_TARGET_DIR="$target" cargo build --release --lib --target wasm32-unknown-unknown
wasm-bindgen --target web --out-dir "$out" --out-name pandora_mq "$target/wasm32-unknown-unknown/release/pandora_mq.wasm"
node_modules/.bin/wasm-opt -Oz -g --enable-reference-types --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$out/pandora_mq_bg.wasm" -o "$out/pandora_mq_bg.wasm"
cp -r pkg/entry pkg/src pkg/package.json "$out/"
echo "named build in $out: node benches/profile.js --package $out"
