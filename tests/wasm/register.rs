//! `register` through gloo-net against the running sandbox tenant (`make test-wasm` starts it and passes its URL
//! as LUCS_SANDBOX_URL at build time).

use gloo_net::http::Request;
use js_sys::{Array, Reflect, JSON};
use lucs_registrar::wasm_api::{decode_token, plan, register};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

fn sandbox() -> &'static str {
    match option_env!("LUCS_SANDBOX_URL") {
        Some(url) => url,
        None => panic!("LUCS_SANDBOX_URL is not set: run these tests with `make test-wasm`, which starts the sandbox"),
    }
}

async fn sandbox_json(method: &str, path: &str, body: Option<&str>) -> serde_json::Value {
    let url = format!("{}{path}", sandbox());
    let req = if method == "POST" { Request::post(&url) } else { Request::get(&url) };
    let resp = match body {
        Some(b) => req.header("Content-Type", "application/json").body(b.to_string()).unwrap().send().await,
        None => req.send().await,
    }
    .expect("sandbox reachable");
    serde_json::from_str(&resp.text().await.expect("sandbox reply")).expect("sandbox JSON")
}

async fn token() -> String {
    sandbox_json("GET", "/sandbox/token", None).await["access_token"].as_str().unwrap().to_string()
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |acc, key| match key.parse::<u32>() {
        Ok(i) => Array::from(&acc).get(i),
        Err(_) => Reflect::get(&acc, &key.into()).unwrap(),
    })
}

fn options(token: String, extra: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    let get_token =
        Closure::wrap(Box::new(move |_: JsValue| JsValue::from_str(&token)) as Box<dyn FnMut(JsValue) -> JsValue>);
    Reflect::set(&o, &"getToken".into(), get_token.as_ref()).unwrap();
    get_token.forget();
    Reflect::set(&o, &"graphBaseUrl".into(), &format!("{}/v1.0", sandbox()).into()).unwrap();
    for (k, v) in extra {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn full_request(prefix: &str) -> JsValue {
    JSON::parse(&format!(
        r#"{{"prefix":"{prefix}","components":[{{"code":"AC"}},{{"code":"CI","instances":["1","2"]}},{{"code":"CIC"}},
        {{"code":"CR","instances":["1","2"]}},{{"code":"FE"}},{{"code":"GalReader"}},{{"code":"TeamsAA"}},{{"code":"WebConfigurator"}}]}}"#
    ))
    .unwrap()
}

fn unique_prefix(name: &str) -> String {
    format!("{name} {}", (js_sys::Math::random() * 1e9) as u64)
}

#[wasm_bindgen_test]
async fn registers_the_full_set_in_four_round_trips() {
    let prefix = unique_prefix("Wasm");
    let p = plan(full_request(&prefix), JsValue::UNDEFINED).unwrap();
    let before = sandbox_json("GET", "/sandbox/state", None).await["graphRequests"].as_u64().unwrap();
    let events = Array::new();
    let sink = events.clone();
    let progress = Closure::wrap(Box::new(move |e: JsValue| {
        sink.push(&e);
    }) as Box<dyn FnMut(JsValue)>);
    let opts = options(token().await, &[("onProgress", progress.as_ref().clone())]);
    let report = register(p, opts).await.expect("registers");
    progress.forget();
    assert_eq!(get(&report, "roundTrips").as_f64(), Some(4.0));
    let after = sandbox_json("GET", "/sandbox/state", None).await;
    assert_eq!(after["graphRequests"].as_u64().unwrap() - before, 4, "4 HTTP requests reached Graph");
    assert_eq!(after["duplicates"], serde_json::json!([]));
    let apps = Array::from(&get(&report, "applications"));
    assert_eq!(apps.length(), 10);
    for app in apps.iter() {
        let key = get(&app, "key").as_string().unwrap();
        let found = after["applications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["uniqueName"] == key.as_str())
            .expect("in tenant");
        assert_eq!(get(&app, "appId").as_string().as_deref(), found["appId"].as_str(), "{key}");
        assert_eq!(get(&app, "consentGranted").as_bool(), Some(true));
    }
    assert_eq!(Array::from(&get(&report, "secrets")).length(), 4);
    assert!(events.length() >= 4, "progress was reported");
    assert_eq!(get(&events.get(0), "stage").as_string().as_deref(), Some("discover"));
}

/// The driver tells the engine the token's scopes through the same adapter every job goes through: a token without
/// Application.ReadWrite.All stops before the first write, naming that scope and no directory role.
#[wasm_bindgen_test]
async fn a_token_without_application_readwrite_all_stops_before_any_write() {
    let p = plan(full_request(&unique_prefix("Scope")), JsValue::UNDEFINED).unwrap();
    let scopes = "Application.Read.All AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All Directory.Read.All User.Read";
    let url = format!("/sandbox/token?scp={}", scopes.replace(' ', "%20"));
    let narrow = sandbox_json("GET", &url, None).await["access_token"].as_str().unwrap().to_string();
    let before = sandbox_json("GET", "/sandbox/state", None).await["writeRequests"].as_u64().unwrap();
    let err = register(p, options(narrow, &[])).await.expect_err("stops");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("insufficientScope"));
    let message = get(&err, "message").as_string().unwrap();
    assert!(message.contains("Application.ReadWrite.All"), "{message}");
    assert!(!message.contains("Administrator"), "a missing scope is not blamed on a role: {message}");
    let after = sandbox_json("GET", "/sandbox/state", None).await["writeRequests"].as_u64().unwrap();
    assert_eq!(after - before, 0, "no write request reached Graph");
}

#[wasm_bindgen_test]
async fn a_token_is_never_sent_to_another_host() {
    let p = plan(full_request(&unique_prefix("Host")), JsValue::UNDEFINED).unwrap();
    let opts = options("secret-token".into(), &[("graphBaseUrl", "https://graph.example.net/v1.0".into())]);
    let err = register(p, opts).await.expect_err("refused");
    assert_eq!(get(&err, "field").as_string().as_deref(), Some("graphBaseUrl"));
}

#[wasm_bindgen_test]
async fn a_cancelled_run_stops_with_a_journal_and_resumes() {
    let prefix = unique_prefix("Cancel");
    let p = plan(full_request(&prefix), JsValue::UNDEFINED).unwrap();
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let err = register(p.clone(), options(token().await, &[("signal", controller.signal().into())]))
        .await
        .expect_err("cancelled");
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("runStopped"));
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("cancelled"));
    let journal = get(&err, "journal");
    assert!(journal.is_object());
    let report = register(p, options(token().await, &[("journal", journal)])).await.expect("resumes");
    assert_eq!(Array::from(&get(&report, "applications")).length(), 10);
    assert_eq!(sandbox_json("GET", "/sandbox/state", None).await["duplicates"], serde_json::json!([]));
}

#[wasm_bindgen_test]
async fn decode_token_reads_a_sandbox_token() {
    let claims = decode_token(JsValue::from_str(&token().await)).unwrap();
    assert_eq!(get(&claims, "audienceIsGraph").as_bool(), Some(true));
    assert_eq!(get(&claims, "expired").as_bool(), Some(false));
    assert_eq!(Array::from(&get(&claims, "missingScopes")).length(), 0);
    let _ = JsCast::dyn_ref::<js_sys::Object>(&claims).expect("plain object");
}

#[wasm_bindgen_test]
async fn preflight_verify_and_rollback_through_the_driver() {
    use lucs_registrar::wasm_api::{preflight, rollback, verify};
    let prefix = unique_prefix("Jobs");
    let p = plan(full_request(&prefix), JsValue::UNDEFINED).unwrap();
    let pre_opts = options(token().await, &[("plan", p.clone())]);
    let pre = preflight(pre_opts).await.expect("preflight");
    assert_eq!(get(&pre, "roles.0").as_string().as_deref(), Some("Global Administrator"));
    assert_eq!(Array::from(&get(&pre, "blockers")).length(), 0);
    let before = verify(p.clone(), options(token().await, &[])).await.expect("verify");
    assert_eq!(get(&before, "create").as_f64(), Some(10.0));
    let report = register(p.clone(), options(token().await, &[])).await.expect("registers");
    let after = verify(p.clone(), options(token().await, &[])).await.expect("verify");
    assert_eq!(get(&after, "ok").as_f64(), Some(10.0));
    let undone = rollback(get(&report, "journal"), options(token().await, &[])).await.expect("rollback");
    assert_eq!(Array::from(&get(&undone, "deleted")).length(), 10);
    let gone = verify(p, options(token().await, &[])).await.expect("verify");
    assert_eq!(get(&gone, "create").as_f64(), Some(10.0));
}

#[wasm_bindgen_test]
async fn health_through_the_driver_finds_what_drifted() {
    use lucs_registrar::wasm_api::health;
    let prefix = unique_prefix("Health");
    let p = plan(full_request(&prefix), JsValue::UNDEFINED).unwrap();
    register(p.clone(), options(token().await, &[])).await.expect("registers");
    let fresh = health(p.clone(), options(token().await, &[])).await.expect("health");
    assert_eq!(get(&fresh, "roundTrips").as_f64(), Some(2.0));
    assert_eq!(get(&fresh, "attention").as_f64(), Some(0.0));
    assert_eq!(get(&fresh, "applications.0.permissions.state").as_string().as_deref(), Some("asPlanned"));
    let stem = format!("{}-", prefix.to_lowercase().replace(' ', "-"));
    let seeded = sandbox_json("POST", "/sandbox/health-states", Some(&format!(r#"{{"prefix":"{prefix}"}}"#))).await;
    assert_eq!(seeded["seeded"].as_array().map(Vec::len), Some(7), "{seeded}");
    // Ten days from now is "expiring" under the default 30, "ok" under a 5-day window.
    let later = health(p.clone(), options(token().await, &[])).await.expect("health");
    assert_eq!(get(&later, "attention").as_f64(), Some(6.0));
    let apps = Array::from(&get(&later, "applications"));
    let by_key = |key: &str| apps.iter().find(|a| get(a, "key").as_string().as_deref() == Some(key)).expect(key);
    assert_eq!(get(&by_key(&format!("{stem}cic")), "secrets.0.state").as_string().as_deref(), Some("expiring"));
    assert_eq!(get(&by_key(&format!("{stem}legacy")), "inPlan").as_bool(), Some(false));
    let narrow = health(p.clone(), options(token().await, &[("expiringWithinDays", 5.into())])).await.expect("health");
    let apps = Array::from(&get(&narrow, "applications"));
    let cic = apps.iter().find(|a| get(a, "key").as_string() == Some(format!("{stem}cic"))).unwrap();
    assert_eq!(get(&cic, "secrets.0.state").as_string().as_deref(), Some("ok"));
    let bad = health(p, options(token().await, &[("expiringWithinDays", 0.into())])).await.expect_err("refused");
    assert_eq!(get(&bad, "field").as_string().as_deref(), Some("expiringWithinDays"));
}

#[wasm_bindgen_test]
async fn a_secret_is_renewed_then_the_old_one_retired_through_the_driver() {
    use lucs_registrar::wasm_api::{renew_secret, retire_secret, secret_policy};
    let prefix = unique_prefix("Renew");
    let p = plan(full_request(&prefix), JsValue::UNDEFINED).unwrap();
    let report = register(p.clone(), options(token().await, &[])).await.expect("registers");
    let journals = Array::of1(&get(&report, "journal"));
    let key: JsValue = format!("{}-fe", prefix.to_lowercase().replace(' ', "-")).into();
    let policy =
        secret_policy(p.clone(), key.clone(), options(token().await, &[("journals", journals.clone().into())]))
            .await
            .expect("policy");
    assert_eq!(get(&policy, "standing").as_string().as_deref(), Some("ours"));
    assert_eq!(Array::from(&get(&policy, "secrets")).length(), 1);
    let old = get(&policy, "secrets.0.keyId");
    let no_months = renew_secret(p.clone(), key.clone(), options(token().await, &[])).await.expect_err("refused");
    assert_eq!(get(&no_months, "field").as_string().as_deref(), Some("lifetimeMonths"));
    let renewed = renew_secret(
        p.clone(),
        key.clone(),
        options(token().await, &[("lifetimeMonths", 6.into()), ("journals", journals.clone().into())]),
    )
    .await
    .expect("renews");
    assert_eq!(get(&renewed, "secret.secretText").as_string().map(|s| s.len()), Some(40));
    assert_eq!(get(&renewed, "kept.0.keyId").as_string(), old.as_string());
    journals.push(&get(&renewed, "journal"));
    let retired =
        retire_secret(p.clone(), key.clone(), old.clone(), options(token().await, &[("journals", journals.into())]))
            .await
            .expect("retires");
    assert_eq!(get(&retired, "remaining").as_f64(), Some(1.0));
    let bad = retire_secret(p, key, "not-a-key".into(), options(token().await, &[])).await.expect_err("refused");
    assert_eq!(get(&bad, "field").as_string().as_deref(), Some("keyId"));
}

#[wasm_bindgen_test]
async fn drift_is_previewed_then_fixed_through_the_driver() {
    use lucs_registrar::wasm_api::{drift_fix_preview, fix_drift, health};
    let prefix = unique_prefix("Fix");
    let stem = format!("{}-", prefix.to_lowercase().replace(' ', "-"));
    let p = plan(full_request(&prefix), JsValue::UNDEFINED).unwrap();
    let report = register(p.clone(), options(token().await, &[])).await.expect("registers");
    let journals: JsValue = Array::of1(&get(&report, "journal")).into();
    sandbox_json("POST", "/sandbox/health-states", Some(&format!(r#"{{"prefix":"{prefix}"}}"#))).await;
    let seen = health(p.clone(), options(token().await, &[("journals", journals.clone())])).await.expect("health");
    let preview = drift_fix_preview(p.clone(), seen.clone()).expect("preview");
    let keys: Vec<String> =
        Array::from(&get(&preview, "applications")).iter().filter_map(|a| get(&a, "key").as_string()).collect();
    assert_eq!(keys, [format!("{stem}ci-1"), format!("{stem}ci-2"), format!("{stem}fe")]);
    let tick = JSON::parse(r#"[{"key":"nope","source":"granted","name":"Sites.Read.All"}]"#).unwrap();
    let bad = fix_drift(p.clone(), seen.clone(), options(token().await, &[("removeExtras", tick)]))
        .await
        .expect_err("refused");
    assert_eq!(get(&bad, "field").as_string().as_deref(), Some("removeExtras[0]"));
    let fixed =
        fix_drift(p.clone(), seen, options(token().await, &[("journals", journals.clone())])).await.expect("fixes");
    assert_eq!(Array::from(&get(&fixed, "kept")).length(), 1, "the grant added by hand stays");
    assert_eq!(Array::from(&get(&fixed, "run.secrets")).length(), 0, "no secret is added");
    let after = health(p, options(token().await, &[("journals", journals)])).await.expect("health");
    for app in Array::from(&get(&after, "applications")).iter() {
        let key = get(&app, "key").as_string().unwrap_or_default();
        if [format!("{stem}ci-1"), format!("{stem}ci-2"), format!("{stem}fe")].contains(&key) {
            assert_eq!(get(&app, "permissions.state").as_string().as_deref(), Some("asPlanned"), "{key}");
            assert_eq!(get(&app, "consent.state").as_string().as_deref(), Some("complete"), "{key}");
        }
    }
}
