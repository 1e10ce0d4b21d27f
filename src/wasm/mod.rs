//! JS bindings (wasm-bindgen): the only module that touches JS types. Compiled
//! with the `wasm` feature, which only the npm package build turns on.
//!
//! They stay thin on purpose: values cross the boundary as flat arrays and
//! numbers, and the package's JS layer (`pkg/src/server.js`) shapes them into
//! objects, so the fast path is one call per operation. Every rule (option
//! checks, durations, limits) is the core's, applied here; docs/design.md,
//! "How a value crosses the boundary", lists each shape.

mod alloc;
mod batch;
mod check;
mod error;
mod js_storage;
mod long_poll;
mod production;
mod random;
mod reply;
mod request;
mod row;
mod server;
mod settle;
mod storage;
mod tables;
mod token;
mod value;
