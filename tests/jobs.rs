#![cfg(not(target_arch = "wasm32"))]
//! Pre-flight, verify (drift) and rollback against the sandbox tenant.

mod common;

use common::sandbox::{drive_job, run};
use common::{full_plan, plan_json};
use lucs_registrar::engine::{PreflightJob, RollbackJob, VerifyJob};
use lucs_sandbox::{Faults, Tenant};
use serde_json::json;

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
    tenant.user.roles = vec!["Cloud Application Administrator".into()];
    tenant.page_size = 1;
    tenant.user.roles.push("Reports Reader".into());
    let mut clock = 0;
    let p = drive_job(PreflightJob::new(Some(full_plan())), &mut tenant, &mut clock).unwrap();
    assert_eq!(p.roles.len(), 2, "every page of memberOf is read");
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
    assert_eq!(rb.kept, ["application lucs-ac"]);
    assert!(rb.deleted.contains(&"application lucs-fe".to_string()));
    assert!(rb.deleted.contains(&"service principal of lucs-ac".to_string()), "{rb:?}");
    assert!(rb.failed.is_empty());
    assert_eq!(tenant.application_count(), 1, "the pre-existing app stays");
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
