#!/usr/bin/env bash
# Builds a copy of the npm package whose wasm keeps its function names, for
# `node benches/profile.js --package <dir>`: scripts/build-pkg.sh exactly as
# shipped, plus wasm-opt `-g` so the name section stays. pkg/ is left alone.
#
#   benches/profile-build.sh [target/profile-pkg]
#   node benches/profile.js --package target/profile-pkg
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/profile-pkg}
mkdir -p "$out"
PKG_OUT="$out" WASM_OPT_EXTRA=-g scripts/build-pkg.sh
cp -r pkg/entry pkg/src pkg/package.json "$out/"
echo "named build in $out: node benches/profile.js --package $out"
