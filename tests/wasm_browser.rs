#![cfg(target_arch = "wasm32")]
//! The JS API in headless Chromium.

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/api.rs"]
mod api;

#[path = "wasm/register.rs"]
mod register;
