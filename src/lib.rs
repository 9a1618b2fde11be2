//! LUCS App Registrar: registers the Entra ID applications of Luware LUCS components in Microsoft Graph.
//!
//! Data flows one way: [`catalog`] (what LUCS needs) → [`plan`] (what to create in this tenant) → [`export`]
//! (the same plan for other tools) or [`engine`] (the same plan registered through Microsoft Graph, sans I/O: it
//! says what to send and is fed the replies). Around them: [`json`] and [`text`] read and check input, [`error`]
//! names the field that failed, `order` is the one sort, [`graph`], [`guid`] and [`odata`] write what Graph expects, [`token`] reads a
//! token's claims. Everything so far is plain Rust and tests natively; only [`driver`] (runs a job with fetch) and
//! [`wasm_api`] (the exported functions) know JavaScript.

// A failing unit test panics: the workspace lints against unwrap, expect and panic are for the library code.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod catalog;
mod closed_set;
pub mod driver;
pub mod engine;
pub mod error;
pub mod export;
pub mod graph;
pub mod guid;
pub mod json;
pub mod microsoft;
pub mod odata;
mod order;
pub mod plan;
pub mod text;
pub mod token;
pub mod wasm_api;

pub use error::{Code, Error, Result};

/// The crate version, shown by `version()` and written into every export.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
