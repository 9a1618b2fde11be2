#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! The sandbox enforces the same per-call scope table as the engine (src/engine/scopes.rs): the sandbox keeps its
//! own copy, so the two cannot agree by accident, and this test holds the copy to the engine's row by row.

use std::collections::BTreeSet;

use lucs_registrar::microsoft::scopes::Call;
use lucs_sandbox::{scopes as sandbox, Tenant};
use serde_json::Value;

/// The requests of each call, as the registrar sends them (GUIDs shortened: the table goes by path shape).
fn requests(call: Call) -> &'static [(&'static str, &'static str)] {
    match call {
        Call::ReadOrganization => &[("GET", "/organization")],
        Call::ReadMe => &[("GET", "/me")],
        Call::ReadMemberships => &[("GET", "/me/transitiveMemberOf"), ("GET", "/me/memberOf")],
        // Not a request of its own: what naming the roles in a membership list takes (checked below).
        Call::ReadRoleNames => &[],
        Call::ReadRoleEligibility => {
            &[("GET", "/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')")]
        }
        Call::ReadAuthorizationPolicy => &[("GET", "/policies/authorizationPolicy")],
        Call::ReadApplications => &[
            ("GET", "/applications(uniqueName='lucs-fe')"),
            ("GET", "/applications/a1"),
            ("GET", "/servicePrincipals(appId='a2')"),
            ("GET", "/servicePrincipals/s1/appRoleAssignments"),
            ("GET", "/directory/deletedItems/microsoft.graph.application"),
        ],
        Call::ReadGrants => &[("GET", "/oauth2PermissionGrants")],
        Call::WriteApplication => &[("PATCH", "/applications(uniqueName='lucs-fe')"), ("PATCH", "/applications/a1")],
        Call::WritePassword => &[("POST", "/applications/a1/addPassword"), ("POST", "/applications/a1/removePassword")],
        Call::DeleteApplication => &[("DELETE", "/applications/a1")],
        Call::WriteServicePrincipal => {
            &[("PATCH", "/servicePrincipals(appId='a2')"), ("DELETE", "/servicePrincipals/s1")]
        }
        Call::WriteGrant => &[
            ("POST", "/oauth2PermissionGrants"),
            ("PATCH", "/oauth2PermissionGrants/g1"),
            ("DELETE", "/oauth2PermissionGrants/g1"),
        ],
        Call::WriteAssignment => &[("POST", "/servicePrincipals/s1/appRoleAssignments")],
        Call::PurgeOrRestoreApplication => {
            &[("DELETE", "/directory/deletedItems/a1"), ("POST", "/directory/deletedItems/a1/restore")]
        }
        Call::ReadCredentialActivity => &[("GET", "/reports/appCredentialSignInActivities")],
    }
}

fn segs(path: &str) -> Vec<&str> {
    path.trim_start_matches('/').split('/').collect()
}

fn as_sets(groups: &[&[&str]]) -> BTreeSet<BTreeSet<String>> {
    groups.iter().map(|g| g.iter().map(|s| s.to_string()).collect()).collect()
}

fn scopes(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_sandbox_enforces_the_engine_s_table_row_for_row() {
    for call in Call::ALL {
        let want = call.requirement();
        for (method, path) in requests(call) {
            let got = sandbox::requirement(method, &segs(path));
            assert_eq!(as_sets(got), as_sets(want), "{call:?}: {method} {path}");
            // Exactly the least privileged scope of each group passes; none of the listed ones is refused.
            let least: Vec<&str> = want.iter().map(|g| g[0]).collect();
            assert!(sandbox::refuse(&scopes(&least), method, &segs(path)).is_none(), "{call:?} {method} {path}");
            let refused = sandbox::refuse(&scopes(&["Mail.Read"]), method, &segs(path)).expect("403");
            assert_eq!(
                (refused.status, &refused.body["error"]["code"]),
                (403, &Value::from("Authorization_RequestDenied"))
            );
        }
    }
    assert_eq!(as_sets(&[sandbox::ROLE_NAMES_READ]), as_sets(Call::ReadRoleNames.requirement()));
}

#[test]
fn role_names_come_with_exactly_the_scope_the_engine_names() {
    let mut t = Tenant::new(7);
    let roles = |t: &mut Tenant| -> Value {
        let reply = t.handle("GET", "/me/transitiveMemberOf", None, &Value::Null, 0);
        assert_eq!(reply.status, 200);
        reply.body["value"][0].clone()
    };
    t.token_scopes = scopes(&["User.Read"]);
    assert!(roles(&mut t)["roleTemplateId"].is_null(), "limited information without a directory-read scope");
    let least = Call::ReadRoleNames.requirement()[0][0];
    t.token_scopes = scopes(&["User.Read", least]);
    assert_eq!(roles(&mut t)["roleTemplateId"], "62e90394-69f5-4237-9190-012177145e10");
}
