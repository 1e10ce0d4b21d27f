# One entry point for people and CI. `make test` is what .ci/run calls.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export WRANGLER_SEND_METRICS := false
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

.PHONY: start test pkg bench setup test-rust test-wasm test-js

## Install what is missing (wasm target, wasm-bindgen-cli, npm packages, Chromium).
setup:
	scripts/setup.sh

## Build the npm package into pkg/ (and the demo's copy in www/vendor/).
pkg: setup
	scripts/build-pkg.sh

## Build, then run the Worker with the demo on http://127.0.0.1:8787 (state kept in .wrangler/state).
start: pkg
	scripts/start.sh

## Every test: native, wasm (Node + Chromium), JS package, runtimes, Worker (Miniflare), browser e2e.
test: pkg test-rust test-wasm test-js

test-rust:
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --features wasm -- -D warnings
	cargo test

test-wasm:
	$(WASM_RUNNER) cargo test --target wasm32-unknown-unknown --test wasm_node
	$(WASM_RUNNER) cargo test --target wasm32-unknown-unknown --test wasm_browser

# The package is packed and installed as node_modules/pandora-mq first, so every
# JS test imports what `npm publish` would ship.
test-js:
	scripts/install-pkg.sh
	node --test tests/js/ tests/runtimes/ tests/browser/ tests/worker/ tests/e2e/ tests/serve/

## Run benches/, print the table and write benches/results.json.
bench: pkg
	node benches/run.js
