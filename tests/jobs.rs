#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Pre-flight, verify (drift) and rollback against the sandbox tenant.

mod common;

use common::sandbox::{drive_job, run};
use common::{full_plan, plan_json};
use lucs_registrar::engine::{Journal, PreflightJob, RollbackJob, StopKind, VerifyJob};
use lucs_sandbox::{Faults, Tenant};
use serde_json::json;

/// A token that may also read PIM eligibility (RoleEligibilitySchedule.Read.Directory), so pre-flight is certain.
fn with_eligibility(tenant: &mut Tenant) {
    tenant.token_scopes.push("RoleEligibilitySchedule.Read.Directory".into());
}

#[test]
fn preflight_names_the_tenant_the_user_and_what_they_may_do() {
    let mut tenant = Tenant::new(21);
    let mut clock = 0;
    let p = drive_job(PreflightJob::new(Some(full_plan())), &mut tenant, &mut clock).unwrap();
    assert_eq!(p.tenant_id, tenant.id);
    assert_eq!(p.tenant_name, "Contoso (sandbox)");
    assert_eq!(p.default_domain.as_deref(), Some("contoso.example"));
    assert_eq!(p.verified_domains.len(), 2);
    assert_eq!(p.user_principal_name, "admin@contoso.example");
    assert_eq!(p.roles, ["Global Administrator"]);
    assert!(p.can_create_apps && p.can_grant_delegated && p.can_grant_application);
    assert!(p.blockers.is_empty());
    assert_eq!(tenant.application_count(), 0, "read-only");
}

#[test]
fn preflight_flags_a_plan_the_user_cannot_finish() {
    let mut tenant = Tenant::new(22);
    with_eligibility(&mut tenant);
    tenant.user.roles = vec!["Cloud Application Administrator".into()];
    tenant.page_size = 1;
    tenant.user.roles.push("Reports Reader".into());
    let mut clock = 0;
    let p = drive_job(PreflightJob::new(Some(full_plan())), &mut tenant, &mut clock).unwrap();
    assert_eq!(p.roles.len(), 2, "every page of transitiveMemberOf is read");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert!(p.can_create_apps && p.can_grant_delegated && !p.can_grant_application);
    assert_eq!(p.blockers.len(), 1);
    assert!(
        p.blockers[0].contains("CIC, FE, GalReader, WebConfigurator")
            && p.blockers[0].contains("Privileged Role Administrator")
    );
    let delegated_only = plan_json(json!({"components": [{"code": "CR"}]})).unwrap();
    let p = drive_job(PreflightJob::new(Some(delegated_only)), &mut tenant, &mut clock).unwrap();
    assert!(p.blockers.is_empty());
}

#[test]
fn verify_before_and_after_a_run() {
    let plan = full_plan();
    let mut tenant = Tenant::new(23);
    let mut clock = 0;
    let before = drive_job(VerifyJob::new(plan.clone()), &mut tenant, &mut clock).unwrap();
    assert_eq!((before.create, before.change, before.ok), (10, 0, 0));
    run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let after = drive_job(VerifyJob::new(plan.clone()), &mut tenant, &mut clock).unwrap();
    assert_eq!(
        (after.create, after.change, after.ok),
        (0, 0, 10),
        "{:#?}",
        after.applications.iter().find(|a| a.status != "ok")
    );
    assert!(after.applications.iter().all(|a| a.consent == "granted" && a.service_principal));
}

#[test]
fn verify_names_drift() {
    let plan = full_plan();
    let mut tenant = Tenant::new(24);
    let mut clock = 0;
    run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    // A plan that now also wants Calendars.Read.Shared for CI and calls CR something else.
    let changed = plan_json(json!({"components": [
        {"code": "CI", "instances": ["1", "2"], "optionalPermissions": ["Calendars.Read.Shared"]},
        {"code": "FE"}
    ]}))
    .unwrap();
    let d = drive_job(VerifyJob::new(changed), &mut tenant, &mut clock).unwrap();
    let ci = d.applications.iter().find(|a| a.key == "lucs-ci-1").unwrap();
    assert_eq!(ci.status, "change");
    assert_eq!(ci.missing_permissions, ["Calendars.Read.Shared"]);
    assert_eq!(ci.consent, "partial");
    assert_eq!(ci.missing_scopes, ["Calendars.Read.Shared"]);
    assert_eq!(d.applications.iter().find(|a| a.key == "lucs-fe").unwrap().status, "ok");
}

#[test]
fn rollback_deletes_what_the_run_created_and_keeps_what_existed() {
    let plan = plan_json(json!({"components": [{"code": "AC"}, {"code": "FE"}]})).unwrap();
    let mut tenant = Tenant::new(25);
    // The Agent Controller app was registered by hand before (with this key), FE is new.
    tenant.seed_application("LUCS Agent Controller", Some("lucs-ac"));
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    assert_eq!(tenant.application_count(), 2);
    let rb = drive_job(RollbackJob::new(&report.journal), &mut tenant, &mut clock).unwrap();
    assert_eq!(rb.kept.len(), 1);
    assert!(rb.kept[0].starts_with("application lucs-ac"));
    assert!(rb.kept[0].contains("existed before"), "{rb:?}");
    assert!(rb.deleted.iter().any(|d| d.starts_with("application lucs-fe (deleted permanently")), "{rb:?}");
    assert!(rb.deleted.contains(&"service principal of lucs-ac".to_string()), "{rb:?}");
    assert!(rb.failed.is_empty());
    assert_eq!(tenant.application_count(), 1, "the pre-existing app stays");
    assert_eq!(tenant.deleted_count(), 0, "nothing left in deleted items to hold a uniqueName");
    let ac = tenant.registration("lucs-ac").unwrap();
    assert!(ac.service_principal_id.is_none() && ac.scopes.is_empty());
}

#[test]
fn jobs_ride_out_throttling() {
    let mut tenant = Tenant::new(26);
    tenant.faults = Faults { throttle: 0.4, server_error: 0.1, ..Faults::none() };
    let mut clock = 0;
    let d = drive_job(VerifyJob::new(full_plan()), &mut tenant, &mut clock).unwrap();
    assert_eq!(d.create, 10);
}

#[test]
fn a_group_assigned_global_administrator_is_not_blocked() {
    let mut tenant = Tenant::new(40);
    with_eligibility(&mut tenant);
    tenant.user.roles = vec![];
    tenant.user.group_roles = vec!["Global Administrator".into()];
    let mut clock = 0;
    let p = drive_job(PreflightJob::new(Some(full_plan())), &mut tenant, &mut clock).unwrap();
    assert_eq!(p.roles, ["Global Administrator"], "read transitively");
    assert_eq!(p.role_template_ids, ["62e90394-69f5-4237-9190-012177145e10"]);
    assert!(p.can_create_apps && p.can_grant_application);
    assert!(p.blockers.is_empty() && p.warnings.is_empty(), "{p:?}");
    let ga = p.role_table.iter().find(|r| r.role.name == "Global Administrator").unwrap();
    assert_eq!(ga.held, "active");
    // And the run itself goes through.
    run(&full_plan(), &mut tenant, None, &mut clock).result.expect("a group-held role works");
}

#[test]
fn an_eligible_but_inactive_role_is_named_with_what_to_do() {
    let mut tenant = Tenant::new(41);
    with_eligibility(&mut tenant);
    tenant.user.roles = vec!["Application Administrator".into()];
    tenant.user.eligible_roles = vec!["Privileged Role Administrator".into()];
    let mut clock = 0;
    let p = drive_job(PreflightJob::new(Some(full_plan())), &mut tenant, &mut clock).unwrap();
    assert_eq!(p.eligible_roles, ["Privileged Role Administrator"]);
    assert!(!p.can_grant_application);
    assert_eq!(p.blockers.len(), 1, "{p:?}");
    assert!(p.blockers[0].contains("activate it in Privileged Identity Management"), "{}", p.blockers[0]);
    let pra = p.role_table.iter().find(|r| r.role.name == "Privileged Role Administrator").unwrap();
    assert_eq!((pra.held.as_str(), pra.role.role_template_id), ("eligible", "e8611ab8-c189-46e8-94e1-60213ab1f814"));
}

#[test]
fn without_scopes_to_read_roles_preflight_warns_instead_of_blocking() {
    let mut tenant = Tenant::new(42);
    // A token with User.Read and the write scopes only: roles come back bare, eligibility cannot be read.
    tenant.token_scopes = [
        "User.Read",
        "Application.ReadWrite.All",
        "AppRoleAssignment.ReadWrite.All",
        "DelegatedPermissionGrant.ReadWrite.All",
    ]
    .map(String::from)
    .to_vec();
    let mut clock = 0;
    let p = drive_job(PreflightJob::new(Some(full_plan())), &mut tenant, &mut clock).unwrap();
    assert!(p.roles.is_empty());
    assert!(p.blockers.is_empty(), "not certain, so not blocked: {:?}", p.blockers);
    assert!(p.warnings.iter().any(|w| w.contains("without their names")), "{:?}", p.warnings);
    assert!(p.warnings.iter().any(|w| w.contains("Privileged Identity Management")));
}

#[test]
fn register_rollback_register_completes() {
    let plan = full_plan();
    let mut tenant = Tenant::new(43);
    let mut clock = 1_790_000_000_000;
    let first = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let rb = drive_job(RollbackJob::new(&first.journal), &mut tenant, &mut clock).unwrap();
    assert!(rb.failed.is_empty(), "{rb:?}");
    assert_eq!(rb.deleted.len(), 10);
    assert_eq!((tenant.application_count(), tenant.deleted_count()), (0, 0));
    let again = run(&plan, &mut tenant, None, &mut clock).result.expect("registers again at once");
    assert!(again.applications.iter().all(|a| a.created));
    common::sandbox::assert_registered(&plan, &tenant);
}

#[test]
fn a_tampered_journal_is_refused_and_nothing_is_deleted() {
    let plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    let mut tenant = Tenant::new(44);
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let mut value = serde_json::to_value(&report.journal).unwrap();
    value["apps"][0]["objectId"] = json!("../servicePrincipals/abc");
    let e = Journal::from_json(value.clone()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("apps[0].objectId"), "{e:?}");
    // Built in Rust and handed in as is, it is refused the same way.
    let mut journal = report.journal.clone();
    journal.apps[0].object_id = Some("../servicePrincipals/abc".into());
    let stop = drive_job(RollbackJob::new(&journal), &mut tenant, &mut clock).unwrap_err();
    assert!(stop.message.contains("apps[0].objectId"), "{}", stop.message);
    let mut journal = report.journal.clone();
    journal.apps[0].existed = Some(true);
    journal.apps[0].service_principal_created = false;
    journal.apps[0].assignments[0].id = "x/../../applications/y".into();
    let stop = drive_job(RollbackJob::new(&journal), &mut tenant, &mut clock).unwrap_err();
    assert!(stop.message.contains("assignments[0].id"), "{}", stop.message);
    assert_eq!(tenant.application_count(), 1, "nothing deleted");
    let resumed = lucs_registrar::engine::Engine::new(
        plan.clone(),
        Some(journal),
        None,
        lucs_registrar::engine::Settings::default(),
    );
    let mut engine = resumed;
    let out = common::sandbox::drive(&mut engine, &mut tenant, &mut clock, None).unwrap();
    let stop = out.result.unwrap_err();
    assert_eq!(stop.kind, StopKind::Failed);
    assert!(stop.message.contains("journal is not valid"), "{}", stop.message);
}

#[test]
fn rollback_undoes_what_it_added_to_an_app_registered_by_hand() {
    let mut tenant = Tenant::new(45);
    let (_, app_id) = tenant.seed_application("Contoso LUCS CR (manual)", None);
    let mut plan = plan_json(json!({"components": [{"code": "CR"}]})).unwrap();
    plan.applications[0].target_app_id = Some(app_id.clone());
    let mut clock = 0;
    // The admin had made its service principal and granted one scope of their own.
    let call = |t: &mut Tenant, method: &str, url: &str, body: serde_json::Value| match t.exchange(
        method,
        url,
        Some("create-if-missing"),
        &body,
        0,
    ) {
        lucs_sandbox::Exchange::Reply(r) => r.body,
        lucs_sandbox::Exchange::Dropped => unreachable!("no faults"),
    };
    let sp = call(&mut tenant, "PATCH", &format!("/servicePrincipals(appId='{app_id}')"), json!({}));
    let graph = tenant.graph_sp_id().to_string();
    let grant =
        json!({"clientId": sp["id"], "consentType": "AllPrincipals", "resourceId": graph, "scope": "Calendars.Read"});
    call(&mut tenant, "POST", "/oauth2PermissionGrants", grant);
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let during = tenant.summary(0)["applications"][0]["scopes"].as_str().unwrap().to_string();
    assert!(during.starts_with("Calendars.Read ") && during.len() > "Calendars.Read ".len(), "{during}");
    let rb = drive_job(RollbackJob::new(&report.journal), &mut tenant, &mut clock).unwrap();
    assert!(rb.failed.is_empty(), "{rb:?}");
    assert!(rb.changed.iter().any(|c| c.contains("restored the permissions")), "{rb:?}");
    let state = tenant.summary(0);
    let app = &state["applications"][0];
    assert_eq!(app["requiredResourceAccess"], json!([]), "declared permissions as before");
    assert_eq!(app["scopes"], "Calendars.Read", "only the scopes this tool added are removed");
    assert!(app["servicePrincipalId"].is_string(), "the admin's service principal stays");
    assert_eq!(app["displayName"], "Contoso LUCS CR (manual)");
    assert_eq!(tenant.application_count(), 1);
}

#[test]
fn verify_finds_an_app_registered_by_hand_by_its_application_id() {
    let mut tenant = Tenant::new(46);
    let (_, app_id) = tenant.seed_application("Contoso LUCS FE (manual)", None);
    let mut plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    plan.applications[0].target_app_id = Some(app_id.clone());
    let mut clock = 0;
    let d = drive_job(VerifyJob::new(plan.clone()), &mut tenant, &mut clock).unwrap();
    assert_eq!(d.applications[0].app_id.as_deref(), Some(app_id.as_str()), "{d:?}");
    assert_ne!(d.applications[0].status, "create");
}

#[test]
fn rollback_deletes_the_service_principal_a_lost_reply_made_for_an_app_registered_by_hand() {
    let mut tenant = Tenant::new(47);
    let (_, app_id) = tenant.seed_application("Contoso LUCS FE (manual)", None);
    let mut plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    plan.applications[0].target_app_id = Some(app_id.clone());
    let mut clock = 0;
    let mut engine = lucs_registrar::engine::Engine::new(
        plan.clone(),
        None,
        Some(tenant.id.clone()),
        lucs_registrar::engine::Settings::default(),
    );
    // Up to the service principal upsert, which acts while its reply is lost with the worker.
    let mut sends = 0;
    loop {
        let lucs_registrar::engine::Action::Send(req) = engine.poll(clock) else { panic!("runs to the upsert") };
        let body = req.body.clone().unwrap_or_default();
        let upsert =
            body["requests"].as_array().into_iter().flatten().any(|r| {
                r["method"] == "PATCH" && r["url"].as_str().is_some_and(|u| u.starts_with("/servicePrincipals("))
            });
        let lucs_sandbox::Exchange::Reply(r) = tenant.exchange("POST", &req.url, None, &body, clock) else {
            panic!("no faults")
        };
        if upsert {
            break;
        }
        sends += 1;
        assert!(sends < 10);
        clock += 50;
        let response = lucs_registrar::engine::Response::Http { status: r.status, retry_after: None, body: r.body };
        engine.on_response(response, clock);
    }
    let report = run(&plan, &mut tenant, Some(engine.journal().clone()), &mut clock).result.unwrap();
    let rb = drive_job(RollbackJob::new(&report.journal), &mut tenant, &mut clock).unwrap();
    assert!(rb.failed.is_empty(), "{rb:?}");
    let reg = tenant.registration_by_app_id(&app_id).unwrap();
    assert!(reg.service_principal_id.is_none(), "the run made it, so rollback removes it: {rb:?}");
}
