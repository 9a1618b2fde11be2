//! LUCS App Registrar: registers the Entra ID applications of Luware LUCS components in Microsoft Graph.
//!
//! Data flows one way: [`catalog`] (what LUCS needs) → [`plan`] (what to create in this tenant) → [`export`]
//! (the same plan for other tools). Everything here is plain Rust and tests natively; `wasm_api` is the only module
//! that knows JavaScript.

pub mod catalog;
mod closed_set;
pub mod driver;
pub mod engine;
pub mod error;
pub mod export;
pub mod graph;
pub mod guid;
pub mod json;
pub mod odata;
pub mod plan;
pub mod text;
pub mod token;
pub mod wasm_api;

pub use error::{Code, Error, Result};

/// The crate version, shown by `version()` and written into every export.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
