#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! The engine against the sandbox tenant: what ends up in the tenant, in how many round trips.

mod common;

use common::sandbox::{assert_registered, drive, drive_cut, run};
use common::{full_plan, plan_json};
use lucs_registrar::engine::{Engine, Journal, Settings, SoftDeleted, StopKind};
use lucs_sandbox::{Exchange, Faults, Tenant};
use serde_json::json;

#[test]
fn full_set_registers_in_four_round_trips() {
    let plan = full_plan();
    let mut tenant = Tenant::new(1);
    let mut clock = 1_790_000_000_000;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let report = out.result.expect("completes");
    assert_eq!(out.round_trips, 4, "discover, applications, service principals, consent + secrets");
    assert_eq!(report.round_trips, 4);
    assert_registered(&plan, &tenant);
    assert_eq!(tenant.application_count(), 10);
    for app in &report.applications {
        let reg = tenant.registration(&app.key).unwrap();
        assert_eq!(app.app_id.as_deref(), Some(reg.app_id.as_str()), "{}", app.key);
        assert_eq!(app.object_id.as_deref(), Some(reg.object_id.as_str()));
        assert!(app.created && app.consent_granted);
        assert_eq!(
            reg.body["tags"],
            serde_json::to_value(&plan.applications.iter().find(|a| a.key == app.key).unwrap().application.tags)
                .unwrap()
        );
    }
    let with_secret: Vec<&str> = report.secrets.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(with_secret, ["lucs-cic", "lucs-fe", "lucs-galreader", "lucs-webconfigurator"]);
    assert!(report.secrets.iter().all(|s| s.secret_text.len() >= 16 && s.end_date_time.starts_with("2027-")));
    assert_eq!(report.tenant_id.as_deref(), Some(tenant.id.as_str()));
}

#[test]
fn the_journal_never_holds_a_secret() {
    let plan = full_plan();
    let mut tenant = Tenant::new(2);
    let mut clock = 1_790_000_000_000;
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let journal = serde_json::to_string(&report.journal).unwrap();
    for s in &report.secrets {
        assert!(!journal.contains(&s.secret_text));
        assert!(journal.contains(&s.key_id));
    }
}

#[test]
fn a_second_run_changes_nothing_and_creates_nothing() {
    let plan = full_plan();
    let mut tenant = Tenant::new(3);
    let mut clock = 1_790_000_000_000;
    let first = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    // The first run's journal is kept, so its apps and secrets are known to be this tool's.
    let history = lucs_registrar::engine::provenance::History::from_journals([&first.journal]);
    let mut engine =
        Engine::new(plan.clone(), None, Some(tenant.id.clone()), Settings { history, ..Settings::default() });
    let again = drive(&mut engine, &mut tenant, &mut clock, None).unwrap();
    let second = again.result.expect("re-run completes");
    assert_registered(&plan, &tenant);
    assert_eq!(tenant.application_count(), 10);
    for (a, b) in first.applications.iter().zip(&second.applications) {
        assert_eq!(a.app_id, b.app_id);
        assert!(!b.created, "{} reported as created on re-run", b.key);
    }
    assert!(second.secrets.is_empty(), "existing apps keep their secrets");
    assert_eq!(tenant.registration("lucs-fe").unwrap().secrets, 1);
}

#[test]
fn an_interrupted_run_resumes_from_its_journal() {
    let plan = full_plan();
    for cut in 1..=3 {
        let mut tenant = Tenant::new(10 + cut as u64);
        let mut clock = 1_790_000_000_000;
        let mut engine = Engine::new(plan.clone(), None, Some(tenant.id.clone()), Settings::default());
        assert!(drive(&mut engine, &mut tenant, &mut clock, Some(cut)).is_none());
        // The journal goes through JSON, as it does through storage in the extension.
        let saved = serde_json::to_value(engine.journal()).unwrap();
        let journal = Journal::from_json(saved).unwrap();
        let out = run(&plan, &mut tenant, Some(journal), &mut clock);
        let report = out.result.unwrap_or_else(|s| panic!("cut {cut}: {s:?}"));
        assert_registered(&plan, &tenant);
        assert!(
            report.applications.iter().all(|a| a.created),
            "cut {cut}: apps made by the first part count as created"
        );
        assert_eq!(report.secrets.len(), 4, "cut {cut}: secrets come with the consent stage");
    }
}

#[test]
fn a_permission_the_tenant_does_not_have_stops_before_writing() {
    let mut cat = serde_json::to_value(lucs_registrar::catalog::builtin()).unwrap();
    // The delegated User.Read.All id given as the application permission: a kind mix-up.
    for c in [2, 4, 5, 7] {
        cat["components"][c]["permissions"][0]["id"] = json!("a154be20-db9c-4678-8ab7-66f6cc099a59");
    }
    let cat = lucs_registrar::catalog::load(cat).unwrap();
    let req =
        lucs_registrar::plan::PlanRequest::from_json(json!({"components": [{"code": "AC"}, {"code": "CIC"}]})).unwrap();
    let plan = lucs_registrar::plan::plan(&req, &cat).unwrap();
    let mut tenant = Tenant::new(4);
    let mut clock = 0;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let stop = out.result.expect_err("stops");
    assert_eq!(stop.kind, StopKind::PermissionMismatch);
    assert!(
        stop.message.contains("User.Read.All") && stop.message.contains("delegated permission"),
        "{}",
        stop.message
    );
    assert_eq!(tenant.application_count(), 0, "nothing written");
    assert_eq!(out.round_trips, 1);
}

#[test]
fn a_missing_role_stops_with_the_role_to_ask_for() {
    let plan = full_plan();
    let mut tenant = Tenant::new(5);
    tenant.user.roles = vec!["Application Administrator".into()];
    let mut clock = 0;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let stop = out.result.expect_err("stops");
    assert_eq!(stop.kind, StopKind::Forbidden);
    assert!(stop.message.contains("Privileged Role Administrator"), "{}", stop.message);
    // Granting the role and resuming finishes the job.
    tenant.user.roles.push("Privileged Role Administrator".into());
    run(&plan, &mut tenant, Some(out.journal), &mut clock).result.expect("resumes");
    assert_registered(&plan, &tenant);
}

#[test]
fn replication_delay_is_waited_out() {
    let plan = full_plan();
    let mut tenant = Tenant::new(6);
    tenant.faults = Faults { replication_ms: 20_000, ..Faults::none() };
    let mut clock = 0;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let report = out.result.expect("completes");
    assert!(report.retries > 0 && out.waited_ms >= 15_000, "retries {} waited {}", report.retries, out.waited_ms);
    let waits: Vec<_> = out.events.iter().filter(|e| e.status == "retrying").collect();
    assert!(
        !waits.is_empty() && waits.iter().all(|e| e.reason.map(|r| r.as_str()) == Some("replication")),
        "replication waits are said as such"
    );
    assert!(out.events.iter().any(|e| e.stage == "consent" && e.status == "started"));
    assert_registered(&plan, &tenant);
}

#[test]
fn replication_that_never_ends_stops_resumably() {
    let plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    let mut tenant = Tenant::new(7);
    tenant.faults = Faults { replication_ms: 60 * 60 * 1000, ..Faults::none() };
    let mut clock = 0;
    let out = run(&plan, &mut tenant, None, &mut clock);
    assert_eq!(out.result.expect_err("stops").kind, StopKind::ReplicationTimeout);
    tenant.faults = Faults::none();
    run(&plan, &mut tenant, Some(out.journal), &mut clock).result.expect("resumes");
    assert_registered(&plan, &tenant);
}

#[test]
fn an_expired_token_is_refreshed_and_the_run_goes_on() {
    let plan = full_plan();
    let mut tenant = Tenant::new(8);
    tenant.faults = Faults { expire_token: 0.3, ..Faults::none() };
    let mut clock = 0;
    let out = run(&plan, &mut tenant, None, &mut clock);
    out.result.expect("completes");
    assert!(out.token_refreshes > 0);
    assert_registered(&plan, &tenant);
}

#[test]
fn throttling_honours_retry_after() {
    let plan = full_plan();
    let mut tenant = Tenant::new(9);
    tenant.faults = Faults { throttle: 0.3, retry_after_s: 7, ..Faults::none() };
    let mut clock = 0;
    let out = run(&plan, &mut tenant, None, &mut clock);
    out.result.expect("completes");
    assert!(out.waited_ms >= 7000 && out.waited_ms % 7000 == 0, "waited {}", out.waited_ms);
    assert_registered(&plan, &tenant);
}

#[test]
fn the_tenant_id_is_read_in_discovery_when_not_given() {
    let plan = full_plan();
    let mut tenant = Tenant::new(30);
    let mut clock = 0;
    let mut engine = Engine::new(plan.clone(), None, None, Settings::default());
    let out = drive(&mut engine, &mut tenant, &mut clock, None).unwrap();
    let report = out.result.unwrap();
    assert_eq!(report.tenant_id.as_deref(), Some(tenant.id.as_str()));
    assert_eq!(out.round_trips, 4, "read in the discovery batch, no extra round trip");
}

#[test]
fn permissions_are_applied_onto_an_app_registered_by_hand() {
    let mut tenant = Tenant::new(31);
    let (_, app_id) = tenant.seed_application("Contoso LUCS FE (manual)", None);
    let mut plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    plan.applications[0].target_app_id = Some(app_id.clone());
    // Through JSON, as the extension hands it over.
    let plan = lucs_registrar::plan::Plan::from_json(serde_json::to_value(&plan).unwrap()).unwrap();
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.expect("applies");
    assert_eq!(report.applications[0].app_id.as_deref(), Some(app_id.as_str()));
    assert!(!report.applications[0].created && report.applications[0].consent_granted);
    assert!(report.secrets.is_empty(), "an existing app keeps its credentials");
    assert_eq!(tenant.application_count(), 1, "nothing new was registered");
    let state = tenant.summary(0);
    let app = &state["applications"][0];
    assert_eq!(app["displayName"], "Contoso LUCS FE (manual)", "not renamed");
    assert_eq!(app["requiredResourceAccess"][0]["resourceAccess"][0]["id"], "df021288-bdef-4463-88db-98f22de89214");
    assert_eq!(app["appRoleIds"][0], "df021288-bdef-4463-88db-98f22de89214");
    assert_eq!(tenant.duplicates(), Vec::<String>::new());
}

#[test]
fn the_planner_input_for_an_existing_app_applies_onto_it() {
    let mut tenant = Tenant::new(33);
    let (_, app_id) = tenant.seed_application("Contoso LUCS AC (manual)", None);
    let plan = plan_json(json!({"components": [{"code": "AC", "targetAppId": app_id}]})).unwrap();
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.expect("applies");
    assert_eq!(report.applications[0].app_id.as_deref(), Some(app_id.as_str()));
    assert!(!report.applications[0].created && report.applications[0].consent_granted);
    assert!(report.secrets.is_empty(), "no secret on an app registered by hand");
    assert_eq!(tenant.application_count(), 1, "nothing new was registered");
    assert_eq!(tenant.duplicates(), Vec::<String>::new());
}

#[test]
fn applying_onto_an_unknown_application_id_stops_before_writing() {
    let mut tenant = Tenant::new(32);
    let mut plan = plan_json(json!({"components": [{"code": "AC"}]})).unwrap();
    plan.applications[0].target_app_id = Some("11111111-2222-4333-8444-555555555555".into());
    let mut clock = 0;
    let stop = run(&plan, &mut tenant, None, &mut clock).result.expect_err("stops");
    assert!(stop.message.contains("11111111-2222-4333-8444-555555555555"), "{}", stop.message);
    assert_eq!(tenant.application_count(), 0);
}

#[test]
fn a_token_without_application_readwrite_all_stops_naming_it_before_writing() {
    let plan = full_plan();
    let mut tenant = Tenant::new(33);
    tenant.token_scopes.retain(|s| s != "Application.ReadWrite.All");
    let mut clock = 0;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let stop = out.result.expect_err("stops");
    assert_eq!(stop.kind, StopKind::InsufficientScope);
    assert!(
        stop.message.contains("Application.ReadWrite.All") && stop.message.contains("To resume"),
        "{}",
        stop.message
    );
    assert_eq!(tenant.application_count(), 0, "nothing written");
    tenant.token_scopes.push("Application.ReadWrite.All".into());
    run(&plan, &mut tenant, Some(out.journal), &mut clock).result.expect("resumes with a full token");
    assert_registered(&plan, &tenant);
}

/// The engine through `AsJson`, the adapter the Wasm drives every job through: the caller's scopes reach it, so the
/// stop before the first write fires there too (an adapter that dropped `caller` would not compile: `Job` has no
/// default method bodies).
#[test]
fn through_the_wasm_adapter_a_token_without_a_write_scope_stops_before_writing() {
    let plan = full_plan();
    let mut tenant = Tenant::new(47);
    tenant.token_scopes.retain(|s| s != "Application.ReadWrite.All");
    let mut clock = 1_790_000_000_000;
    let engine = Engine::new(plan, None, Some(tenant.id.clone()), Settings::default());
    let stop =
        common::sandbox::drive_job(lucs_registrar::driver::AsJson(engine), &mut tenant, &mut clock).expect_err("stops");
    assert_eq!(stop.kind, StopKind::InsufficientScope);
    assert!(stop.message.contains("Application.ReadWrite.All") && !stop.message.contains("Administrator"));
    assert!(tenant.writes.is_empty(), "{:?}", tenant.writes);
}

#[test]
fn a_soft_deleted_holder_of_the_unique_name_is_explained_then_purged_or_restored() {
    let plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    for choice in [SoftDeleted::Purge, SoftDeleted::Restore] {
        let mut tenant = Tenant::new(34);
        tenant.seed_deleted_application("LUCS Front End (deleted)", "lucs-fe", 1_000);
        let mut clock = 1_790_000_000_000;
        let out = run(&plan, &mut tenant, None, &mut clock);
        let stop = out.result.expect_err("stops and explains");
        assert_eq!(stop.kind, StopKind::SoftDeleted);
        assert!(stop.message.contains("restore") && stop.message.contains("purge"), "{}", stop.message);
        assert!(stop.message.contains("LUCS Front End (deleted)"), "{}", stop.message);
        // The seeded holder is nobody's the tool knows: restoring it takes the admin's adoption.
        let settings = Settings { soft_deleted: choice, adopt: vec!["lucs-fe".into()], ..Settings::default() };
        let mut engine = Engine::new(plan.clone(), Some(out.journal), Some(tenant.id.clone()), settings);
        let report = drive(&mut engine, &mut tenant, &mut clock, None).unwrap().result.expect("goes on");
        assert_registered(&plan, &tenant);
        assert_eq!((tenant.application_count(), tenant.deleted_count()), (1, 0));
        assert_eq!(report.applications[0].created, choice == SoftDeleted::Purge, "a restored app existed");
    }
}

#[test]
fn a_lost_reply_to_the_consent_batch_leaves_no_secret_nobody_has() {
    let plan = full_plan();
    let mut tenant = Tenant::new(35);
    let mut clock = 1_790_000_000_000;
    let mut engine = Engine::new(plan.clone(), None, Some(tenant.id.clone()), Settings::default());
    // The fourth batch (grants, assignments, secrets) acts, but its reply is lost with the worker.
    assert!(drive_cut(&mut engine, &mut tenant, &mut clock, Some(3), true).is_none());
    assert_eq!(tenant.secret_key_ids("lucs-fe").len(), 1, "a secret nobody was shown");
    let report = run(&plan, &mut tenant, Some(engine.journal().clone()), &mut clock).result.unwrap();
    assert_registered(&plan, &tenant);
    assert_eq!(report.removed_secrets.len(), 4, "the unseen secrets are removed and said so");
    for s in &report.secrets {
        assert_eq!(tenant.secret_key_ids(&s.key), vec![s.key_id.clone()], "exactly the secret shown");
    }
}

#[test]
fn a_stop_hands_over_the_secrets_made_before_it() {
    let plan = full_plan();
    let mut tenant = Tenant::new(36);
    tenant.user.roles = vec!["Application Administrator".into()];
    let mut clock = 0;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let stop = out.result.expect_err("app role consent needs more");
    assert_eq!(stop.secrets.len(), 4, "made in the same batch as the refused assignments");
    tenant.user.roles.push("Privileged Role Administrator".into());
    let report = run(&plan, &mut tenant, Some(out.journal), &mut clock).result.unwrap();
    assert!(report.secrets.is_empty() && report.removed_secrets.is_empty(), "no new secrets: they were shown");
    for s in &stop.secrets {
        assert_eq!(tenant.secret_key_ids(&s.key), vec![s.key_id.clone()]);
    }
}

#[test]
fn a_resource_the_tenant_lacks_stops_at_once_instead_of_waiting() {
    let mut cat = serde_json::to_value(lucs_registrar::catalog::builtin()).unwrap();
    cat["components"][0]["permissions"][0]["resourceAppId"] = json!("12345678-1234-4234-8234-123456789012");
    let cat = lucs_registrar::catalog::load(cat).unwrap();
    let req = lucs_registrar::plan::PlanRequest::from_json(json!({"components": [{"code": "AC"}]})).unwrap();
    let plan = lucs_registrar::plan::plan(&req, &cat).unwrap();
    let mut tenant = Tenant::new(37);
    let mut clock = 0;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let stop = out.result.expect_err("stops");
    assert_eq!(stop.kind, StopKind::PermissionMismatch);
    assert!(stop.message.contains("12345678-1234-4234-8234-123456789012"), "{}", stop.message);
    assert_eq!((out.waited_ms, tenant.application_count()), (0, 0), "no replication wait, nothing written");
}

#[test]
fn applying_to_an_app_registered_by_hand_keeps_its_enterprise_app_name() {
    let mut tenant = Tenant::new(38);
    let (_, app_id) = tenant.seed_application("Contoso FE", None);
    let sp_url = format!("/servicePrincipals(appId='{app_id}')");
    let named = json!({"displayName": "FE enterprise app (named by hand)"});
    assert!(matches!(tenant.exchange("PATCH", &sp_url, Some("create-if-missing"), &named, 0), Exchange::Reply(_)));
    let mut plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    plan.applications[0].target_app_id = Some(app_id);
    let mut clock = 0;
    run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let Exchange::Reply(r) = tenant.exchange("GET", &sp_url, None, &json!(null), clock) else { panic!() };
    assert_eq!(r.body["displayName"], "FE enterprise app (named by hand)");
}

#[test]
fn assignment_lookups_read_every_page() {
    let plan = full_plan();
    let mut tenant = Tenant::new(39);
    tenant.refuse_duplicates = false;
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    tenant.page_size = 1;
    // A journal that lost its assignment records: every one must be found again, whatever page it is on.
    let mut journal = report.journal.clone();
    for a in &mut journal.apps {
        a.assignments.clear();
        a.consent_done = false;
    }
    run(&plan, &mut tenant, Some(journal), &mut clock).result.unwrap();
    assert_eq!(tenant.duplicates(), Vec::<String>::new());
}

#[test]
fn a_journal_from_before_secret_delivery_was_recorded_keeps_its_secrets() {
    let plan = full_plan();
    let mut tenant = Tenant::new(47);
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let mut old = serde_json::to_value(&report.journal).unwrap();
    old["version"] = json!(1);
    for a in old["apps"].as_array_mut().unwrap() {
        a.as_object_mut().unwrap().remove("secretDelivered");
        a["consentDone"] = json!(false);
    }
    let journal = Journal::from_json(old).unwrap();
    let again = run(&plan, &mut tenant, Some(journal), &mut clock).result.unwrap();
    assert!(again.removed_secrets.is_empty() && again.secrets.is_empty(), "a secret that may be in use stays");
    assert_eq!(tenant.secret_key_ids("lucs-fe").len(), 1);
}
