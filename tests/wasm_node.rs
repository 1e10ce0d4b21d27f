//! The core compiled to wasm32, run in Node by wasm-bindgen-test-runner.
#![cfg(target_arch = "wasm32")]

#[path = "wasm/scenario.rs"]
mod scenario;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn lifecycle_in_node() {
    scenario::lifecycle().await;
}
