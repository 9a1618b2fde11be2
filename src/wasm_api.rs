//! The JavaScript facade — the only file that knows JS. Plain objects in and out through serde-wasm-bindgen;
//! errors are thrown as JS `Error`s carrying `code` and, for input errors, `field`. Names and shapes follow the
//! JS API contract (see `www/lucs_registrar.d.ts`).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::catalog::{self as catalogs, Catalog};
use crate::error::{Code, Error};
use crate::export::{self, Format, Results};
use crate::plan::{self as planner, Plan, PlanRequest};

fn to_js(err: Error) -> JsValue {
    let js = js_sys::Error::new(&err.message);
    let _ = js_sys::Reflect::set(&js, &"code".into(), &err.code.as_str().into());
    if let Some(field) = &err.field {
        let _ = js_sys::Reflect::set(&js, &"field".into(), &field.as_str().into());
    }
    js.into()
}

fn from_js(value: JsValue, what: &str) -> Result<serde_json::Value, JsValue> {
    let bad =
        |why: String| to_js(Error::new(Code::InvalidInput, what, format!("`{what}` must be plain JSON data: {why}")));
    let text = js_sys::JSON::stringify(&value).map_err(|_| bad("it cannot be written as JSON".into()))?;
    let text = text.as_string().unwrap_or_else(|| "null".to_string());
    serde_json::from_str(&text).map_err(|e| bad(e.to_string()))
}

fn out<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    // Through serde_json's Value first: every type then has one serializer (exports use it too), which keeps
    // the Wasm small; serde-wasm-bindgen turns the one Value type into plain JS objects.
    let value = serde_json::to_value(value).map_err(|e| to_js(Error::general(Code::InvalidInput, e.to_string())))?;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| to_js(Error::general(Code::InvalidInput, e.to_string())))
}

/// The built-in LUCS catalog.
#[wasm_bindgen(js_name = catalog)]
pub fn catalog() -> Result<JsValue, JsValue> {
    out(&catalogs::builtin())
}

/// Plans the registrations for `request`, against the built-in catalog or a custom one (validated first).
#[wasm_bindgen(js_name = plan)]
pub fn plan(request: JsValue, custom_catalog: JsValue) -> Result<JsValue, JsValue> {
    let catalog: Catalog = if custom_catalog.is_undefined() || custom_catalog.is_null() {
        catalogs::builtin()
    } else {
        catalogs::load(from_js(custom_catalog, "catalog")?).map_err(to_js)?
    };
    let request = PlanRequest::from_json(from_js(request, "request")?).map_err(to_js)?;
    out(&planner::plan(&request, &catalog).map_err(to_js)?)
}

/// Renders a plan for another tool; `results` (a run report) fills in the IDs of `ids-csv`.
#[wasm_bindgen(js_name = exportPlan)]
pub fn export_plan(plan: JsValue, format: &str, results: JsValue) -> Result<String, JsValue> {
    let format = Format::parse(format).map_err(to_js)?;
    let plan = Plan::from_json(from_js(plan, "plan")?).map_err(to_js)?;
    let results = if results.is_undefined() || results.is_null() {
        None
    } else {
        Some(Results::from_json(from_js(results, "results")?).map_err(to_js)?)
    };
    Ok(export::export(&plan, format, results.as_ref()))
}

/// Validates a custom catalog and returns it normalised, so a page can show errors before planning.
#[wasm_bindgen(js_name = loadCatalog)]
pub fn load_catalog(value: JsValue) -> Result<JsValue, JsValue> {
    out(&catalogs::load(from_js(value, "catalog")?).map_err(to_js)?)
}

#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    crate::VERSION.to_string()
}
