//! The upkeep of an installation through the JS API: its health, renewing a client secret in two separate steps
//! (the lifetimes the tenant allows, a new secret beside the old, the old removed on its own) with when each secret
//! last signed in between the two, and drift fixed after a preview of what changes.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{drive, from_js, get, given, job_settings, opt, out, provenance_options, run_job, string_arg, to_js, Run};
use crate::engine::credentials::{ActivityJob, RenewJob, RetireJob, SecretPolicyJob};
use crate::engine::health::{HealthJob, EXPIRING_WITHIN_DAYS};
use crate::engine::journal::Journal;
use crate::engine::repair::{self, FixJob};
use crate::error::{Code, Error};
use crate::plan::{Plan, PlannedApp};

/// `options.now` (a Date or ms since the epoch), else the browser's clock.
fn now(options: &JsValue) -> Result<u64, JsValue> {
    let time = |v: JsValue| match v.dyn_ref::<js_sys::Date>() {
        Some(d) => Some(d.get_time()),
        None => v.as_f64(),
    };
    Ok(opt(options, "now", "a Date or milliseconds since the epoch", time)?
        .filter(|t| t.is_finite() && *t >= 0.0)
        .unwrap_or_else(js_sys::Date::now) as u64)
}

/// The planned app `key` names, or an error naming the field.
fn planned(plan: &Plan, key: &JsValue) -> Result<PlannedApp, JsValue> {
    let key = string_arg(key, "key")?;
    plan.applications.iter().find(|a| a.key == key).cloned().ok_or_else(|| {
        to_js(Error::new(
            Code::InvalidInput,
            "key",
            format!("`key` must be the key of an app in the plan (such as lucs-fe), got {key:?}"),
        ))
    })
}

fn plan_of(plan: JsValue) -> Result<Plan, JsValue> {
    Plan::from_json(from_js(plan, "plan")?).map_err(to_js)
}

/// Read-only health of an installation: per planned app (and each tagged app the plan no longer has) its
/// permissions, consent, credentials by expiry and owners. `now` (ms since the epoch or a Date) is when expiry is
/// measured from; `expiringWithinDays` (1–365, default 30) what counts as expiring.
#[wasm_bindgen(js_name = health)]
pub async fn health(plan: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    drive(health_run(plan, options)).await
}

fn health_run(plan: JsValue, options: JsValue) -> Run {
    let plan = plan_of(plan)?;
    let (adopt, history) = provenance_options(&options, &plan)?;
    let now = now(&options)?;
    let days = |v: JsValue| v.as_f64().filter(|d| d.fract() == 0.0 && (1.0..=365.0).contains(d));
    let warn = opt(&options, "expiringWithinDays", "a whole number of days from 1 to 365", days)?
        .map_or(EXPIRING_WITHIN_DAYS, |d| d as u32);
    run_job(HealthJob::new(plan, now, warn).with_provenance(history, adopt), &options)
}

/// Read-only: app `key`'s secrets and the lifetimes (months) the tenant's app management policies allow a new one.
#[wasm_bindgen(js_name = secretPolicy)]
pub async fn secret_policy(plan: JsValue, key: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    drive(secret_policy_run(plan, key, options)).await
}

fn secret_policy_run(plan: JsValue, key: JsValue, options: JsValue) -> Run {
    let plan = plan_of(plan)?;
    let app = planned(&plan, &key)?;
    let (adopt, history) = provenance_options(&options, &plan)?;
    run_job(SecretPolicyJob::new(app, now(&options)?).with_provenance(history, adopt), &options)
}

/// Adds a new client secret to app `key` beside its old ones, valid `options.lifetimeMonths` (1–24).
#[wasm_bindgen(js_name = renewSecret)]
pub async fn renew_secret(plan: JsValue, key: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    drive(renew_secret_run(plan, key, options)).await
}

fn renew_secret_run(plan: JsValue, key: JsValue, options: JsValue) -> Run {
    let plan = plan_of(plan)?;
    let app = planned(&plan, &key)?;
    let (adopt, history) = provenance_options(&options, &plan)?;
    let months = |v: JsValue| v.as_f64().filter(|m| m.fract() == 0.0 && (1.0..=24.0).contains(m));
    let Some(months) = opt(&options, "lifetimeMonths", "a whole number of months from 1 to 24", months)? else {
        let e = Error::new(
            Code::InvalidInput,
            "lifetimeMonths",
            "`lifetimeMonths` is required: a whole number of months from 1 to 24".to_string(),
        );
        return Err(to_js(e));
    };
    run_job(RenewJob::new(app, months as u32, now(&options)?).with_provenance(history, adopt), &options)
}

/// Removes the secret `keyId` from app `key` — never the app's last one.
#[wasm_bindgen(js_name = retireSecret)]
pub async fn retire_secret(plan: JsValue, key: JsValue, key_id: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    drive(retire_secret_run(plan, key, key_id, options)).await
}

fn retire_secret_run(plan: JsValue, key: JsValue, key_id: JsValue, options: JsValue) -> Run {
    let plan = plan_of(plan)?;
    let app = planned(&plan, &key)?;
    let key_id = string_arg(&key_id, "keyId")?;
    if !crate::guid::is_guid(&key_id) {
        return Err(to_js(Error::new(
            Code::InvalidInput,
            "keyId",
            format!("`keyId` must be a secret's key ID (a GUID), got {key_id:?}"),
        )));
    }
    let (adopt, history) = provenance_options(&options, &plan)?;
    run_job(RetireJob::new(app, key_id).with_provenance(history, adopt), &options)
}

/// What a fix of the drift `health` found would change, per app: permissions added, consent granted, the extras
/// found (each left alone unless ticked), and the drifted apps the fix will not touch and why. Pure.
#[wasm_bindgen(js_name = driftFixPreview)]
pub fn drift_fix_preview(plan: JsValue, health: JsValue) -> Result<JsValue, JsValue> {
    let plan = plan_of(plan)?;
    let seen = repair::read_health(&from_js(health, "health")?).map_err(to_js)?;
    out(&repair::preview(&plan, &seen))
}

/// Fixes the drift `health` found: removes the extras `options.removeExtras` ticks, then re-applies the plan to the
/// drifted apps through the registration engine (never a secret, never a foreign app). `options.journal` resumes
/// a fix that stopped.
#[wasm_bindgen(js_name = fixDrift)]
pub async fn fix_drift(plan: JsValue, health: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    drive(fix_drift_run(plan, health, options)).await
}

fn fix_drift_run(plan: JsValue, health: JsValue, options: JsValue) -> Run {
    let plan = plan_of(plan)?;
    let seen = repair::read_health(&from_js(health, "health")?).map_err(to_js)?;
    let preview = repair::preview(&plan, &seen);
    let ticks_js = get(&options, "removeExtras");
    let ticks = if given(&ticks_js) {
        repair::read_ticks(&from_js(ticks_js, "removeExtras")?, &preview).map_err(to_js)?
    } else {
        vec![]
    };
    let journal_js = get(&options, "journal");
    let journal = if given(&journal_js) {
        Some(Journal::from_json(from_js(journal_js, "journal")?).map_err(to_js)?)
    } else {
        None
    };
    let mut settings = job_settings(&options)?;
    (settings.adopt, settings.history) = provenance_options(&options, &plan)?;
    run_job(FixJob::new(plan, &seen, preview, ticks, journal, settings), &options)
}

/// The most apps one activity read takes: each is a round trip of its own (the report is beta only, outside `$batch`).
const ACTIVITY_APPS: usize = 20;

/// Read-only: when each credential of the apps `appIds` last signed in (`/beta/reports/appCredentialSignInActivities`,
/// one round trip per app), or why that could not be read.
#[wasm_bindgen(js_name = credentialActivity)]
pub async fn credential_activity(app_ids: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    drive(credential_activity_run(app_ids, options)).await
}

fn credential_activity_run(app_ids: JsValue, options: JsValue) -> Run {
    let wrong = |got: String| {
        to_js(Error::new(
            Code::InvalidInput,
            "appIds",
            format!("`appIds` must be an array of 1 to {ACTIVITY_APPS} Application (client) IDs (GUIDs), got {got}"),
        ))
    };
    let Some(list) = app_ids.dyn_ref::<js_sys::Array>() else { return Err(wrong(format!("{app_ids:?}"))) };
    if list.length() == 0 || list.length() as usize > ACTIVITY_APPS {
        return Err(wrong(format!("{} items", list.length())));
    }
    let mut ids = Vec::new();
    for v in list.iter() {
        match v.as_string().filter(|s| crate::guid::is_guid(s)) {
            Some(id) => ids.push(id),
            None => return Err(wrong(format!("the item {v:?}"))),
        }
    }
    run_job(ActivityJob::new(ids), &options)
}
