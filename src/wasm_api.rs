//! The JavaScript facade — the only file that knows JS. Plain objects in and out through serde-wasm-bindgen;
//! errors are thrown as JS `Error`s carrying `code` and, for input errors, `field`. Names and shapes follow the
//! JS API contract (see `www/lucs_registrar.d.ts`).

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::catalog::{self as catalogs, Catalog};
use crate::driver;
use crate::engine::{Engine, Journal, PreflightJob, RollbackJob, Settings, Stop, VerifyJob};
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

/// A JSON value as a plain JS object.
pub(crate) fn to_plain(value: &serde_json::Value) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| to_js(Error::general(Code::InvalidInput, e.to_string())))
}

fn out<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    // Through serde_json's Value first: every type then has one serializer (exports use it too), which keeps
    // the Wasm small; serde-wasm-bindgen turns the one Value type into plain JS objects.
    let value = serde_json::to_value(value).map_err(|e| to_js(Error::general(Code::InvalidInput, e.to_string())))?;
    to_plain(&value)
}

fn get(options: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(options, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

fn given(v: &JsValue) -> bool {
    !v.is_undefined() && !v.is_null()
}

/// The run options shared by register, verify, preflight and rollback.
fn run_options(options: &JsValue) -> Result<driver::Options, JsValue> {
    let graph_base_url =
        get(options, "graphBaseUrl").as_string().unwrap_or_else(|| "https://graph.microsoft.com/v1.0".into());
    let get_token = get(options, "getToken").dyn_into::<js_sys::Function>().map_err(|_| {
        to_js(Error::new(
            Code::InvalidInput,
            "getToken",
            "`getToken` must be an async function returning a Graph access token",
        ))
    })?;
    let on_progress = get(options, "onProgress").dyn_into::<js_sys::Function>().ok();
    let on_journal = get(options, "onJournal").dyn_into::<js_sys::Function>().ok();
    let signal = get(options, "signal").dyn_into::<web_sys::AbortSignal>().ok();
    driver::check_base_url(&graph_base_url).map_err(to_js)?;
    Ok(driver::Options { graph_base_url, get_token, on_progress, on_journal, signal })
}

/// A run that stopped: an Error with code `runStopped`, the stop's kind and app, and the journal to resume with.
fn stopped(stop: &Stop, journal: Option<&Journal>) -> JsValue {
    let js = js_sys::Error::new(&stop.message);
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&js, &k.into(), &v);
    };
    set("code", "runStopped".into());
    set("kind", out(&stop.kind).unwrap_or(JsValue::NULL));
    set("key", stop.key.clone().map(JsValue::from).unwrap_or(JsValue::NULL));
    set("journal", journal.and_then(|j| out(j).ok()).unwrap_or(JsValue::NULL));
    set("secrets", out(&stop.secrets).unwrap_or(JsValue::NULL));
    set("removedSecrets", out(&stop.removed_secrets).unwrap_or(JsValue::NULL));
    js.into()
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

/// Registers every app of `plan` in the signed-in tenant: resumable from `options.journal`, cancellable with
/// `options.signal`. Resolves to the run report; rejects with a `runStopped` error carrying the journal.
#[wasm_bindgen(js_name = register)]
pub async fn register(plan: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let plan = Plan::from_json(from_js(plan, "plan")?).map_err(to_js)?;
    let opts = run_options(&options)?;
    let journal_js = get(&options, "journal");
    let journal = if given(&journal_js) {
        Some(Journal::from_json(from_js(journal_js, "journal")?).map_err(to_js)?)
    } else {
        None
    };
    let tenant_id = get(&options, "tenantId").as_string();
    let mut settings = Settings { seed: (js_sys::Math::random() * 1e15) as u64, ..Settings::default() };
    if let Some(ms) = get(&options, "replicationBudgetMs").as_f64() {
        settings.replication_budget_ms = ms.max(0.0) as u64;
    }
    settings.soft_deleted = match get(&options, "softDeleted").as_string().as_deref() {
        None | Some("ask") => crate::engine::SoftDeleted::Ask,
        Some("restore") => crate::engine::SoftDeleted::Restore,
        Some("purge") => crate::engine::SoftDeleted::Purge,
        Some(other) => {
            let message = format!("`softDeleted` must be \"ask\", \"restore\" or \"purge\", got {other:?}");
            return Err(to_js(Error::new(Code::InvalidInput, "softDeleted", message)));
        }
    };
    let engine = Engine::new(plan, journal, tenant_id, settings);
    drive(Box::new(driver::AsJson(engine)), opts).await
}

async fn drive(
    job: Box<dyn crate::engine::Job<Output = serde_json::Value>>,
    opts: driver::Options,
) -> Result<JsValue, JsValue> {
    // Type-erased so the driver's state machine is compiled once rather than inlined into every exported future.
    let run: std::pin::Pin<Box<dyn std::future::Future<Output = _>>> = Box::pin(driver::run(job, opts));
    match run.await.map_err(to_js)? {
        driver::Ended::Done(output) => to_plain(&output),
        driver::Ended::Stopped(stop, journal) => Err(stopped(&stop, journal.as_ref())),
    }
}

async fn run_job<J: crate::engine::Job + 'static>(job: J, options: &JsValue) -> Result<JsValue, JsValue>
where
    J::Output: Serialize,
{
    drive(Box::new(driver::AsJson(job)), run_options(options)?).await
}

/// Read-only drift check of a plan against the tenant: per app, what would be created, changed or is right.
#[wasm_bindgen(js_name = verify)]
pub async fn verify(plan: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let plan = Plan::from_json(from_js(plan, "plan")?).map_err(to_js)?;
    run_job(VerifyJob::new(plan), &options).await
}

/// Read-only: the tenant, the signed-in user, their roles and what they may grant; with `options.plan`, what
/// that plan needs that they cannot do.
#[wasm_bindgen(js_name = preflight)]
pub async fn preflight(options: JsValue) -> Result<JsValue, JsValue> {
    let plan_js = get(&options, "plan");
    let plan = if given(&plan_js) { Some(Plan::from_json(from_js(plan_js, "plan")?).map_err(to_js)?) } else { None };
    run_job(PreflightJob::new(plan), &options).await
}

/// Deletes what the journal records as created by this tool — never an application that existed before.
#[wasm_bindgen(js_name = rollback)]
pub async fn rollback(journal: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let journal = Journal::from_json(from_js(journal, "journal")?).map_err(to_js)?;
    run_job(RollbackJob::new(&journal), &options).await
}

/// The claims of an access token (audience, tenant, user, scopes, expiry), without verifying its signature.
#[wasm_bindgen(js_name = decodeToken)]
pub fn decode_token(jwt: &str) -> Result<JsValue, JsValue> {
    out(&crate::token::decode(jwt, js_sys::Date::now() as u64).map_err(to_js)?)
}

#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    crate::VERSION.to_string()
}
