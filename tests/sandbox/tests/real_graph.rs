#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! The sandbox's newer models of real Graph and real tenants: the concurrency 409 on close credential writes, the
//! authorization policy, another API's app roles and who may consent to them, PIM scopes, a duplicate grant's 400,
//! and the two undocumented upsert behaviours switched off.

use lucs_sandbox::{Exchange, Faults, Tenant};
use serde_json::{json, Value};

fn call(t: &mut Tenant, method: &str, url: &str, prefer: Option<&str>, body: Value, now: u64) -> (u16, Value) {
    match t.exchange(method, url, prefer, &body, now) {
        Exchange::Reply(r) => (r.status, r.body),
        Exchange::Dropped => panic!("no faults configured"),
    }
}

/// A registered application with its service principal: (object id, service principal id).
fn registered(t: &mut Tenant, key: &str) -> (String, String) {
    let (_, app) = call(
        t,
        "PATCH",
        &format!("/applications(uniqueName='{key}')"),
        Some("create-if-missing"),
        json!({"displayName": key}),
        0,
    );
    let url = format!("/servicePrincipals(appId='{}')", app["appId"].as_str().unwrap());
    let (_, sp) = call(t, "PATCH", &url, Some("create-if-missing"), json!({}), 0);
    (app["id"].as_str().unwrap().to_string(), sp["id"].as_str().unwrap().to_string())
}

fn status_of(batch: &Value, id: &str) -> u64 {
    batch["responses"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()["status"].as_u64().unwrap()
}

#[test]
fn close_credential_writes_on_one_app_answer_the_concurrency_409() {
    let mut t = Tenant::new(1);
    let (app, _) = registered(&mut t, "a");
    let (other, _) = registered(&mut t, "b");
    let add = |id: &str, n: &str| {
        json!({"id": n, "method": "POST", "url": format!("/applications/{id}/addPassword"),
        "headers": {"Content-Type": "application/json"}, "body": {"passwordCredential": {}}})
    };
    let batch = json!({"requests": [add(&app, "1"), add(&app, "2"), add(&other, "3")]});
    let (s, b) = call(&mut t, "POST", "/$batch", None, batch, 1_000);
    assert_eq!(s, 200);
    assert_eq!((status_of(&b, "1"), status_of(&b, "2"), status_of(&b, "3")), (200, 409, 200), "{b:#}");
    let refused = b["responses"].as_array().unwrap().iter().find(|r| r["id"] == "2").unwrap();
    assert_eq!(refused["body"]["error"]["code"], "Directory_ConcurrencyViolation");
    assert_eq!(t.secret_key_ids("a").len(), 1, "the refused write changed nothing");
    // A later round trip is no longer close; with a spacing window it is, until the window passes.
    let url = format!("/applications/{app}/addPassword");
    assert_eq!(call(&mut t, "POST", &url, None, json!({}), 1_050).0, 200);
    t.faults = Faults { credential_spacing_ms: 2_000, ..Faults::none() };
    assert_eq!(call(&mut t, "POST", &url, None, json!({}), 2_000).0, 409);
    assert_eq!(call(&mut t, "POST", &url, None, json!({}), 3_100).0, 200);
}

#[test]
fn the_authorization_policy_lets_members_register_apps_unless_turned_off() {
    let mut t = Tenant::new(2);
    t.user.roles = vec!["Reports Reader".into()];
    let policy = "/policies/authorizationPolicy";
    assert_eq!(call(&mut t, "GET", policy, None, Value::Null, 0).0, 403, "Policy.Read.All");
    t.token_scopes.push("Policy.Read.All".into());
    let (s, p) = call(&mut t, "GET", policy, None, Value::Null, 0);
    assert_eq!((s, &p["defaultUserRolePermissions"]["allowedToCreateApps"]), (200, &json!(true)));
    let upsert = |t: &mut Tenant, key: &str| {
        call(
            t,
            "PATCH",
            &format!("/applications(uniqueName='{key}')"),
            Some("create-if-missing"),
            json!({"displayName": key}),
            0,
        )
        .0
    };
    assert_eq!(upsert(&mut t, "a"), 201, "a member with default permissions");
    t.authorization_policy.allowed_to_create_apps = false;
    assert_eq!(
        call(&mut t, "GET", policy, None, Value::Null, 0).1["defaultUserRolePermissions"]["allowedToCreateApps"],
        false
    );
    assert_eq!(upsert(&mut t, "b"), 403);
}

#[test]
fn application_administrators_may_consent_to_other_apis_app_roles_but_not_graph_s() {
    let mut t = Tenant::new(3);
    let (_, sp) = registered(&mut t, "a");
    let (s, exo) =
        call(&mut t, "GET", "/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')", None, Value::Null, 0);
    assert_eq!(s, 200);
    assert_eq!(exo["appRoles"][0]["value"], "full_access_as_app");
    t.user.roles = vec!["Cloud Application Administrator".into()];
    let assign = |resource: &Value, role: &str| json!({"principalId": sp, "resourceId": resource, "appRoleId": role});
    let url = format!("/servicePrincipals/{sp}/appRoleAssignments");
    let on_exchange = assign(&exo["id"], "dc890d15-9560-4a4c-9b7f-a736ec74ec40");
    assert_eq!(call(&mut t, "POST", &url, None, on_exchange, 0).0, 201);
    let graph = json!(t.graph_sp_id());
    assert_eq!(call(&mut t, "POST", &url, None, assign(&graph, "df021288-bdef-4463-88db-98f22de89214"), 0).0, 403);
    t.user.roles = vec!["Application Developer".into()];
    let again = assign(&exo["id"], "dc890d15-9560-4a4c-9b7f-a736ec74ec40");
    assert_eq!(call(&mut t, "POST", &url, None, again, 0).0, 403, "no consent role at all");
}

#[test]
fn eligible_roles_carry_their_scope() {
    let mut t = Tenant::new(4);
    t.token_scopes.push("RoleEligibilitySchedule.Read.Directory".into());
    t.user.eligible_roles = vec!["Privileged Role Administrator".into()];
    t.user.scoped_eligible_roles = vec![("Application Administrator".into(), "/administrativeUnits/au1".into())];
    let url = "/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')";
    let (_, b) = call(&mut t, "GET", url, None, Value::Null, 0);
    let scopes: Vec<&str> =
        b["value"].as_array().unwrap().iter().map(|i| i["directoryScopeId"].as_str().unwrap()).collect();
    assert_eq!(scopes, ["/", "/administrativeUnits/au1"]);
}

#[test]
fn a_duplicate_grant_can_be_answered_with_the_400_wording() {
    let mut t = Tenant::new(5);
    let (_, sp) = registered(&mut t, "a");
    let grant =
        json!({"clientId": sp, "consentType": "AllPrincipals", "resourceId": t.graph_sp_id(), "scope": "User.Read"});
    assert_eq!(call(&mut t, "POST", "/oauth2PermissionGrants", None, grant.clone(), 0).0, 201);
    assert_eq!(call(&mut t, "POST", "/oauth2PermissionGrants", None, grant.clone(), 0).0, 409);
    t.quirks.duplicate_grant_400 = true;
    let (s, b) = call(&mut t, "POST", "/oauth2PermissionGrants", None, grant, 0);
    assert_eq!((s, b["error"]["message"].as_str()), (400, Some("Permission entry already exists.")));
}

#[test]
fn the_undocumented_upsert_forms_can_be_refused() {
    let mut t = Tenant::new(6);
    let (_, app) = call(
        &mut t,
        "PATCH",
        "/applications(uniqueName='a')",
        Some("create-if-missing"),
        json!({"displayName": "A"}),
        0,
    );
    let sp_url = format!("/servicePrincipals(appId='{}')", app["appId"].as_str().unwrap());
    t.quirks.sp_upsert_needs_display_name = true;
    assert_eq!(call(&mut t, "PATCH", &sp_url, Some("create-if-missing"), json!({}), 0).0, 400);
    t.quirks.batch_ignores_prefer = true;
    let item = json!({"requests": [{"id": "1", "method": "PATCH", "url": sp_url, "headers": {"Content-Type": "application/json", "Prefer": "create-if-missing"}, "body": {"displayName": "A"}}]});
    let (_, b) = call(&mut t, "POST", "/$batch", None, item, 0);
    assert_eq!(status_of(&b, "1"), 404, "a plain PATCH of what does not exist");
    let (s, sp) = call(&mut t, "PATCH", &sp_url, Some("create-if-missing"), json!({"displayName": "A"}), 0);
    assert_eq!((s, sp["displayName"].as_str()), (201, Some("A")), "the documented form on its own");
}
