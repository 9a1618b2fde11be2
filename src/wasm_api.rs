//! The JavaScript facade: every exported function, and the only file that takes JS arguments apart. Plain
//! objects in and out through serde-wasm-bindgen (the conversion is the driver's `to_plain`); errors are thrown as
//! JS `Error`s carrying `code` and, for input errors, `field`. Names and shapes follow the JS API contract,
//! `src/lucs_registrar.d.ts`. The driver (`driver.rs`) is the other file that knows JS: it runs jobs with fetch,
//! setTimeout and the caller's callbacks.

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::catalog::{self as catalogs, Catalog};
use crate::driver;
use crate::engine::discovery::Discovery;
use crate::engine::journal::Journal;
use crate::engine::preflight::PreflightJob;
use crate::engine::provenance::History;
use crate::engine::register::Engine;
use crate::engine::report::Stop;
use crate::engine::rollback::RollbackJob;
use crate::engine::settings::{Settings, SoftDeleted};
use crate::engine::verify::VerifyJob;
use crate::error::{Code, Error};
use crate::export::{self, Format, Results};
use crate::plan::{self as planner, Plan, PlanRequest};

mod upkeep;
pub use upkeep::{drift_fix_preview, fix_drift, health, renew_secret, retire_secret, secret_policy};

fn to_js(err: Error) -> JsValue {
    let js = js_sys::Error::new(&err.message);
    let _ = js_sys::Reflect::set(&js, &"code".into(), &err.code.as_str().into());
    if let Some(field) = &err.field {
        let _ = js_sys::Reflect::set(&js, &"field".into(), &field.as_str().into());
    }
    js.into()
}

fn bad_data(what: &str, why: String) -> JsValue {
    to_js(Error::new(Code::InvalidInput, what, format!("`{what}` must be plain JSON data: {why}")))
}

/// Any JS value as JSON text: `undefined`, functions and symbols become `null`; BigInts and cycles are refused.
fn json_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    let text = js_sys::JSON::stringify(value).map_err(|_| bad_data(what, "it cannot be written as JSON".into()))?;
    Ok(text.as_string().unwrap_or_else(|| "null".to_string()))
}

fn from_js(value: JsValue, what: &str) -> Result<serde_json::Value, JsValue> {
    serde_json::from_str(&json_text(&value, what)?).map_err(|e| bad_data(what, e.to_string()))
}

/// A custom catalog: its size is checked on the JSON text, before anything is parsed.
#[cfg(feature = "custom-catalogs")]
fn catalog_from_js(value: &JsValue) -> Result<Catalog, JsValue> {
    catalogs::load_str(&json_text(value, "catalog")?).map_err(to_js)
}

/// A build without the `custom-catalogs` feature (the extension's) plans the built-in catalog only.
#[cfg(not(feature = "custom-catalogs"))]
fn catalog_from_js(_: &JsValue) -> Result<Catalog, JsValue> {
    Err(to_js(Error::new(
        Code::InvalidInput,
        "catalog",
        "a custom `catalog` is loaded by the planner page; this build (the extension's) plans the built-in catalog only",
    )))
}

fn wrong_type(field: &str, expected: &str, value: &JsValue) -> JsValue {
    let got = value.js_typeof().as_string().unwrap_or_default();
    let got = if value.is_null() { "null".to_string() } else { got };
    to_js(Error::new(Code::InvalidInput, field, format!("`{field}` must be {expected}, got {got}")))
}

/// A string argument: wasm-bindgen's own `&str` conversion does not check the type (a number reaches the Wasm
/// as a bad pointer), so arguments arrive as `JsValue` and are checked here.
fn string_arg(value: &JsValue, field: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| wrong_type(field, "a string", value))
}

/// An optional option: absent (`undefined` or `null`) is `None`, anything but the expected type is an error.
fn opt<T>(
    options: &JsValue,
    name: &str,
    expected: &str,
    cast: impl FnOnce(JsValue) -> Option<T>,
) -> Result<Option<T>, JsValue> {
    let v = get(options, name);
    if !given(&v) {
        return Ok(None);
    }
    cast(v.clone()).map(Some).ok_or_else(|| wrong_type(name, expected, &v))
}

/// A JSON value as a plain JS object.
fn to_plain(value: &serde_json::Value) -> Result<JsValue, JsValue> {
    driver::to_plain(value).map_err(to_js)
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
    if !options.is_object() {
        return Err(wrong_type("options", "an object with getToken", options));
    }
    let graph_base_url = opt(options, "graphBaseUrl", "a string", |v| v.as_string())?
        .unwrap_or_else(|| driver::GRAPH_BASE_URL.to_string());
    let get_token = get(options, "getToken").dyn_into::<js_sys::Function>().map_err(|_| {
        to_js(Error::new(
            Code::InvalidInput,
            "getToken",
            "`getToken` must be an async function returning a Graph access token",
        ))
    })?;
    let function = |v: JsValue| v.dyn_into::<js_sys::Function>().ok();
    let on_progress = opt(options, "onProgress", "a function", function)?;
    let on_journal = opt(options, "onJournal", "a function", function)?;
    let signal = opt(options, "signal", "an AbortSignal", |v| v.dyn_into::<web_sys::AbortSignal>().ok())?;
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
    set("foreign", out(&stop.foreign).unwrap_or(JsValue::NULL));
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
    let catalog: Catalog = if given(&custom_catalog) { catalog_from_js(&custom_catalog)? } else { catalogs::builtin() };
    let request = PlanRequest::from_json(from_js(request, "request")?).map_err(to_js)?;
    out(&planner::plan(&request, &catalog).map_err(to_js)?)
}

/// Renders a plan for another tool; `results` (a run report) fills in the IDs of `ids-csv`.
#[wasm_bindgen(js_name = exportPlan)]
pub fn export_plan(plan: JsValue, format: JsValue, results: JsValue) -> Result<String, JsValue> {
    let format = Format::read(&string_arg(&format, "format")?, "format", Code::UnknownFormat).map_err(to_js)?;
    let plan = Plan::from_json(from_js(plan, "plan")?).map_err(to_js)?;
    let results = if results.is_undefined() || results.is_null() {
        None
    } else {
        Some(Results::from_json(from_js(results, "results")?).map_err(to_js)?)
    };
    export::render(&plan, format, results.as_ref()).map_err(to_js)
}

/// Validates a custom catalog and returns it normalised, so a page can show errors before planning.
#[wasm_bindgen(js_name = loadCatalog)]
pub fn load_catalog(value: JsValue) -> Result<JsValue, JsValue> {
    out(&catalog_from_js(&value)?)
}

/// Registers every app of `plan` in the signed-in tenant: resumable from `options.journal`, cancellable with
/// `options.signal`, starting from `options.discovery` (what `verify` returned) when it serves this run. Resolves
/// to the run report; rejects with a `runStopped` error carrying the journal.
#[wasm_bindgen(js_name = register)]
pub async fn register(plan: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    drive(register_run(plan, options)).await
}

fn register_run(plan: JsValue, options: JsValue) -> Run {
    let plan = Plan::from_json(from_js(plan, "plan")?).map_err(to_js)?;
    let opts = run_options(&options)?;
    let journal_js = get(&options, "journal");
    let journal = if given(&journal_js) {
        Some(Journal::from_json(from_js(journal_js, "journal")?).map_err(to_js)?)
    } else {
        None
    };
    let tenant_id = opt(&options, "tenantId", "a string", |v| v.as_string())?;
    let mut settings = job_settings(&options)?;
    if let Some(word) = opt(&options, "softDeleted", "a string", |v| v.as_string())? {
        settings.soft_deleted = SoftDeleted::read(&word, "softDeleted", Code::InvalidInput).map_err(to_js)?;
    }
    (settings.adopt, settings.history) = provenance_options(&options, &plan)?;
    let discovery_js = get(&options, "discovery");
    let mut engine = Engine::new(plan, journal, tenant_id, settings);
    if given(&discovery_js) {
        engine = engine.with_discovery(Discovery::from_json(from_js(discovery_js, "discovery")?).map_err(to_js)?);
    }
    Ok((Box::new(driver::AsJson(engine)), opts))
}

/// A job ready to run, with its run options; or why its arguments were refused.
type Run = Result<(Box<dyn crate::engine::job::Job<Output = serde_json::Value>>, driver::Options), JsValue>;

/// The one future every job export awaits. Each export only takes its arguments apart (a plain function) and
/// awaits this: the driver's state machine, and every export's own, then hold a box rather than a job, so no
/// export compiles its own copy of the run (5 KB of the extension's Wasm for the ten exports).
fn drive(run: Run) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>> {
    Box::pin(async move {
        let (job, opts) = run?;
        match driver::run(job, opts).await.map_err(to_js)? {
            driver::Ended::Done(output) => to_plain(&output),
            driver::Ended::Stopped(stop, journal) => Err(stopped(&stop, journal.as_ref())),
        }
    })
}

/// A job with its output as JSON and the run options: the job first, then the options, as every export checks
/// its arguments in that order.
fn run_job<J: crate::engine::job::Job + 'static>(job: J, options: &JsValue) -> Run
where
    J::Output: Serialize,
{
    Ok((Box::new(driver::AsJson(job)), run_options(options)?))
}

/// What register and rollback share: a random backoff seed and the replication budget (`replicationBudgetMs`).
fn job_settings(options: &JsValue) -> Result<Settings, JsValue> {
    let mut settings = Settings { seed: (js_sys::Math::random() * 1e15) as u64, ..Settings::default() };
    let budget = opt(options, "replicationBudgetMs", "a number ≥ 0", |v| v.as_f64().filter(|ms| *ms >= 0.0))?;
    if let Some(ms) = budget {
        settings.replication_budget_ms = ms as u64;
    }
    Ok(settings)
}

/// `adopt` (keys of planned apps the admin adopts after seeing their owners and credentials) and `journals` (kept
/// journals of earlier runs: what this tool made, so the admin's own apps are not questioned).
fn provenance_options(options: &JsValue, plan: &Plan) -> Result<(Vec<String>, History), JsValue> {
    let adopt_js = get(options, "adopt");
    let mut adopt = Vec::new();
    if given(&adopt_js) {
        let list = from_js(adopt_js, "adopt")?;
        let items = list.as_array().ok_or_else(|| {
            to_js(Error::new(Code::InvalidInput, "adopt", "`adopt` must be an array of app keys".to_string()))
        })?;
        for (i, item) in items.iter().enumerate() {
            let field = format!("adopt[{i}]");
            match item.as_str() {
                Some(k) if plan.applications.iter().any(|a| a.key == k) => adopt.push(k.to_string()),
                _ => {
                    let message =
                        format!("`{field}` must be the key of an app in the plan (such as lucs-cr-1), got {item}");
                    return Err(to_js(Error::new(Code::InvalidInput, &field, message)));
                }
            }
        }
    }
    let journals_js = get(options, "journals");
    let mut kept = Vec::new();
    if given(&journals_js) {
        let list = from_js(journals_js, "journals")?;
        let items = list.as_array().ok_or_else(|| {
            to_js(Error::new(Code::InvalidInput, "journals", "`journals` must be an array of journals".to_string()))
        })?;
        for (i, item) in items.iter().enumerate() {
            let journal = Journal::from_json(item.clone()).map_err(|mut e| {
                e.field =
                    Some(format!("journals[{i}]{}", e.field.as_deref().unwrap_or("").trim_start_matches("journal")));
                to_js(e)
            })?;
            kept.push(journal);
        }
    }
    Ok((adopt, History::from_journals(&kept)))
}

/// Read-only drift check of a plan against the tenant: per app, what would be created, changed or is right.
#[wasm_bindgen(js_name = verify)]
pub async fn verify(plan: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    drive(verify_run(plan, options)).await
}

fn verify_run(plan: JsValue, options: JsValue) -> Run {
    let plan = Plan::from_json(from_js(plan, "plan")?).map_err(to_js)?;
    let (adopt, history) = provenance_options(&options, &plan)?;
    run_job(VerifyJob::new(plan).with_provenance(history, adopt), &options)
}

/// Read-only: the tenant, the signed-in user, their roles and what they may grant; with `options.plan`, what
/// that plan needs that they cannot do.
#[wasm_bindgen(js_name = preflight)]
pub async fn preflight(options: JsValue) -> Result<JsValue, JsValue> {
    drive(preflight_run(options)).await
}

fn preflight_run(options: JsValue) -> Run {
    let plan_js = get(&options, "plan");
    let plan = if given(&plan_js) { Some(Plan::from_json(from_js(plan_js, "plan")?).map_err(to_js)?) } else { None };
    run_job(PreflightJob::new(plan).at(js_sys::Date::now() as u64), &options)
}

/// Deletes what the journal records as created by this tool — never an application that existed before.
#[wasm_bindgen(js_name = rollback)]
pub async fn rollback(journal: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    drive(rollback_run(journal, options)).await
}

fn rollback_run(journal: JsValue, options: JsValue) -> Run {
    let journal = Journal::from_json(from_js(journal, "journal")?).map_err(to_js)?;
    run_job(RollbackJob::with_settings(&journal, &job_settings(&options)?), &options)
}

/// The claims of an access token (audience, tenant, user, scopes, expiry), without verifying its signature.
#[wasm_bindgen(js_name = decodeToken)]
pub fn decode_token(jwt: JsValue) -> Result<JsValue, JsValue> {
    let jwt = string_arg(&jwt, "jwt")?;
    out(&crate::token::decode(&jwt, js_sys::Date::now() as u64).map_err(to_js)?)
}

/// The delegated Graph scopes a sign-in asks for: the least that cover every write the extension makes
/// (`microsoft::scopes`, Microsoft's per-call permission tables).
#[wasm_bindgen(js_name = signInScopes)]
pub fn sign_in_scopes() -> Vec<String> {
    crate::microsoft::scopes::sign_in()
}

#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    crate::VERSION.to_string()
}
