//! The core compiled to wasm32, run in headless Chromium by wasm-bindgen-test-runner.
#![cfg(target_arch = "wasm32")]

#[path = "wasm/scenario.rs"]
mod scenario;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn lifecycle_in_chromium() {
    scenario::lifecycle().await;
}
