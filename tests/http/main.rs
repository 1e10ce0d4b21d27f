//! The HTTP API (`pandora_mq::http::handle`), driven natively with a fake clock:
//! every route, the Go original's wire shapes, and a test per fixed Go bug.
#![cfg(not(target_arch = "wasm32"))]

mod support;

mod ack;
mod admin;
mod auth;
mod batches;
mod check;
mod encoding;
mod failures;
mod fetch;
mod go_bugs;
mod headers;
mod production;
mod production_scopes;
mod robustness;
mod routing;
mod send;
mod tokens;
mod transcript;
