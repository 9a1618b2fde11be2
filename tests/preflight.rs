#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Pre-flight against who may do what in a real tenant: consent to another API's app roles (Application and Cloud
//! Application Administrators may), registering applications as a member where the tenant's authorization policy
//! allows it (by default it does), and PIM eligibility scoped to one app or administrative unit.

mod common;

use common::sandbox::{assert_registered, drive_job, run};
use common::{exchange_plan, full_plan};
use lucs_registrar::engine::{Action, Job, Preflight, PreflightJob};
use lucs_registrar::plan::Plan;
use lucs_sandbox::Tenant;

/// A token that reads role names, PIM eligibility and the authorization policy: pre-flight is certain.
fn reads_everything(tenant: &mut Tenant) {
    tenant.token_scopes.extend(["RoleEligibilitySchedule.Read.Directory", "Policy.Read.All"].map(String::from));
}

fn preflight(plan: &Plan, tenant: &mut Tenant) -> Preflight {
    drive_job(PreflightJob::new(Some(plan.clone())), tenant, &mut 0).expect("pre-flight reads")
}

#[test]
fn a_cloud_application_administrator_may_consent_to_another_api_s_app_role() {
    let plan = exchange_plan(true);
    let mut tenant = Tenant::new(70);
    reads_everything(&mut tenant);
    tenant.user.roles = vec!["Cloud Application Administrator".into()];
    let p = preflight(&plan, &mut tenant);
    assert!(p.blockers.is_empty() && p.warnings.is_empty(), "{p:#?}");
    assert!(p.can_grant_other_application && !p.can_grant_application);
    // And Graph agrees: the run goes through, the Exchange app role assigned by a Cloud Application Administrator.
    let report = run(&plan, &mut tenant, None, &mut 0).result.expect("registers");
    assert!(report.applications[0].consent_granted);
    assert_registered(&plan, &tenant);
}

#[test]
fn graph_app_roles_still_need_a_privileged_role_administrator() {
    let mut tenant = Tenant::new(71);
    reads_everything(&mut tenant);
    tenant.user.roles = vec!["Application Administrator".into()];
    let p = preflight(&full_plan(), &mut tenant);
    assert_eq!(p.blockers.len(), 1, "{p:#?}");
    assert!(p.blockers[0].starts_with("Consent to application permissions of Microsoft Graph or Azure AD Graph"));
    assert!(p.blockers[0].contains("Privileged Role Administrator"), "{}", p.blockers[0]);
}

#[test]
fn a_privileged_role_administrator_in_a_default_tenant_is_not_blocked() {
    let plan = full_plan();
    let mut tenant = Tenant::new(72);
    reads_everything(&mut tenant);
    tenant.user.roles = vec!["Privileged Role Administrator".into()];
    let p = preflight(&plan, &mut tenant);
    assert_eq!(p.members_can_create_apps, Some(true));
    assert!(p.can_create_apps && p.can_grant_delegated && p.can_grant_application);
    assert!(p.blockers.is_empty() && p.warnings.is_empty(), "{p:#?}");
    run(&plan, &mut tenant, None, &mut 0).result.expect("members may register apps here");
    assert_registered(&plan, &tenant);
}

#[test]
fn a_tenant_that_keeps_registration_to_admins_blocks_a_privileged_role_administrator() {
    let mut tenant = Tenant::new(73);
    reads_everything(&mut tenant);
    tenant.user.roles = vec!["Privileged Role Administrator".into()];
    tenant.authorization_policy.allowed_to_create_apps = false;
    let p = preflight(&full_plan(), &mut tenant);
    assert_eq!(p.members_can_create_apps, Some(false));
    assert!(!p.can_create_apps);
    assert_eq!(p.blockers.len(), 1, "{p:#?}");
    assert!(p.blockers[0].starts_with("Registering applications needs") && p.blockers[0].contains("does not let"));
}

#[test]
fn without_the_policy_a_missing_app_role_is_a_warning_never_a_blocker() {
    let mut tenant = Tenant::new(74);
    tenant.token_scopes.push("RoleEligibilitySchedule.Read.Directory".into());
    tenant.user.roles = vec!["Privileged Role Administrator".into()];
    tenant.authorization_policy.allowed_to_create_apps = false;
    let p = preflight(&full_plan(), &mut tenant);
    assert_eq!(p.members_can_create_apps, None, "the token cannot read the policy (Policy.Read.All)");
    assert!(p.blockers.is_empty(), "{:?}", p.blockers);
    assert!(p
        .warnings
        .iter()
        .any(|w| w.starts_with("Registering applications needs") && w.contains("Policy.Read.All")));
}

#[test]
fn an_eligibility_scoped_to_one_app_is_not_a_tenant_wide_role() {
    let mut tenant = Tenant::new(75);
    reads_everything(&mut tenant);
    tenant.user.roles = vec!["Application Administrator".into()];
    let app_scope = "/8c4c3dd5-1c8e-4d4f-9f4d-6b0b8f1c2a3e".to_string();
    tenant.user.scoped_eligible_roles = vec![("Privileged Role Administrator".into(), app_scope)];
    let p = preflight(&full_plan(), &mut tenant);
    assert!(p.eligible_roles.is_empty(), "{:?}", p.eligible_roles);
    let pra = p.role_table.iter().find(|r| r.role.name == "Privileged Role Administrator").unwrap();
    assert_eq!(pra.held, "none");
    assert_eq!(p.blockers.len(), 1, "{p:#?}");
    assert!(!p.blockers[0].contains("activate"), "activating it would not help: {}", p.blockers[0]);
    // The same role eligible tenant-wide is named with what to do.
    tenant.user.eligible_roles = vec!["Privileged Role Administrator".into()];
    let p = preflight(&full_plan(), &mut tenant);
    assert!(p.blockers[0].contains("activate it in Privileged Identity Management"), "{}", p.blockers[0]);
}

const DEC_2026: u64 = 1_796_083_200_000;

#[test]
fn the_tenant_s_secret_policy_is_reported_before_registering() {
    let plan = full_plan();
    let mut tenant = Tenant::new(74);
    reads_everything(&mut tenant);
    let at = |tenant: &mut Tenant| {
        drive_job(PreflightJob::new(Some(plan.clone())).at(DEC_2026), tenant, &mut 0).expect("pre-flight reads")
    };
    // No policy enabled: every preset, the policy read.
    let p = at(&mut tenant);
    assert!(p.secret_lifetimes.policy_readable);
    assert_eq!(p.secret_lifetimes.offered_months, [3, 6, 12, 18, 24]);
    // 180 days: six calendar months from December are 182 days, so 3 months only — and 12 never.
    tenant.set_default_app_policy(Some(180), false);
    let p = at(&mut tenant);
    assert_eq!(p.secret_lifetimes.offered_months, [3]);
    let rules = p.secret_lifetimes.rules.expect("rules");
    assert_eq!(
        (rules.policy_id.as_str(), rules.max_lifetime.as_deref()),
        ("00000000-0000-0000-0000-000000000000", Some("P180D"))
    );
    // No round trip of its own: the policy rides pre-flight's one batch.
    let mut job = PreflightJob::new(Some(plan.clone())).at(DEC_2026);
    let Action::Send(batch) = job.poll(0) else { panic!("pre-flight asks") };
    let urls: Vec<&str> = batch.body.as_ref().unwrap()["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert!(
        urls.contains(&"/policies/defaultAppManagementPolicy")
            && urls.contains(&"/organization?$select=id,displayName,verifiedDomains"),
        "{urls:?}"
    );
    // Secrets blocked: none offered.
    tenant.set_default_app_policy(None, true);
    assert!(at(&mut tenant).secret_lifetimes.offered_months.is_empty());
    // Without Policy.Read.All: unreadable, said, every preset offered, pre-flight not stopped.
    tenant.token_scopes.retain(|s| s != "Policy.Read.All");
    let p = at(&mut tenant);
    assert!(!p.secret_lifetimes.policy_readable);
    assert!(
        p.secret_lifetimes.policy_note.as_deref().is_some_and(|n| n.contains("403")),
        "{:?}",
        p.secret_lifetimes.policy_note
    );
    assert_eq!(p.secret_lifetimes.offered_months.len(), 5);
}
