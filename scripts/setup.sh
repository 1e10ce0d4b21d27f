#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there:
# the wasm target, wasm-bindgen-cli of the Cargo.lock version, npm packages,
# Debian's Chromium + ChromeDriver (browser tests) and PostgreSQL (the
# postgres store's tests and benchmarks start their own server from it).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [[ "$have" != "$want" ]]; then
  # --locked fails: one of the CLI's locked dependencies is gone from crates.io.
  cargo install wasm-bindgen-cli --version "$want"
fi

if [[ ! -x node_modules/.bin/wrangler || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

# better-sqlite3 (the SQLite driver on Node 20) is a native addon: compile it
# against this Node's headers when npm did not (its prebuilt download is not reachable).
if ! node -e 'new (require("better-sqlite3"))(":memory:")' 2>/dev/null; then
  npm rebuild better-sqlite3 --nodedir=/usr --foreground-scripts
fi

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q postgresql
fi

if [[ "${SKIP_BROWSER:-}" != 1 ]] && ! { command -v chromium && command -v chromedriver; } >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q chromium chromium-driver
fi
