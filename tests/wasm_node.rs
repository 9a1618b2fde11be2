#![cfg(target_arch = "wasm32")]
//! The JS API in Node.

#[path = "wasm/api.rs"]
mod api;

#[path = "wasm/register.rs"]
mod register;
