//! Behaviour of the queue core, one behaviour per file, driven by a fake clock.
#![cfg(not(target_arch = "wasm32"))]
