#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Who may consent to what, said the same way after a 403 and in the az export's header: Application and Cloud
//! Application Administrators may consent to app roles of any API except Microsoft Graph and Azure AD Graph
//! (permissions-reference.md; grant-admin-consent).

mod common;

use common::sandbox::run;
use common::{exchange_plan, full_plan};
use lucs_registrar::engine::StopKind;
use lucs_registrar::export::{export, Format};
use lucs_sandbox::Tenant;

const OTHER_APIS: &str = "Consent to application permissions of other APIs needs the Global Administrator, Privileged Role Administrator, Application Administrator or Cloud Application Administrator role.";
const GRAPH: &str = "Consent to application permissions of Microsoft Graph or Azure AD Graph needs the Global Administrator or Privileged Role Administrator role.";

#[test]
fn a_refused_app_role_names_the_roles_that_may_consent_to_its_api() {
    // An Application Developer registers (so may any member here) but consents to nothing.
    let mut tenant = Tenant::new(80);
    tenant.user.roles = vec!["Application Developer".into()];
    let stop = run(&exchange_plan(false), &mut tenant, None, &mut 0).result.expect_err("consent is refused");
    assert_eq!(stop.kind, StopKind::Forbidden);
    assert!(stop.message.contains(OTHER_APIS), "{}", stop.message);
    let mut tenant = Tenant::new(81);
    tenant.user.roles = vec!["Cloud Application Administrator".into()];
    let stop = run(&full_plan(), &mut tenant, None, &mut 0).result.expect_err("Graph's app roles are refused");
    assert!(stop.message.contains(GRAPH), "{}", stop.message);
}

#[test]
fn the_az_header_says_who_may_consent_to_the_plan_s_app_roles() {
    let other = export(&exchange_plan(true), Format::AzCli, None);
    assert!(other.contains(&format!("# {OTHER_APIS}\n")), "{other}");
    assert!(!other.contains(GRAPH), "no Microsoft Graph app role in this plan");
    let graph = export(&full_plan(), Format::AzCli, None);
    assert!(graph.contains(&format!("# {GRAPH}\n")) && !graph.contains(OTHER_APIS));
}
