#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! The sandbox answers as Microsoft Graph documents: upsert 201/204, batching rules, paging, errors.

use lucs_sandbox::{Exchange, Tenant};
use serde_json::{json, Value};

fn call(t: &mut Tenant, method: &str, url: &str, prefer: Option<&str>, body: Value) -> (u16, Value) {
    match t.exchange(method, url, prefer, &body, 1_000) {
        Exchange::Reply(r) => (r.status, r.body),
        Exchange::Dropped => panic!("no faults configured"),
    }
}

#[test]
fn upsert_by_unique_name_creates_then_updates() {
    let mut t = Tenant::new(1);
    let url = "/applications(uniqueName='lucs-ac')";
    let (s, _) = call(&mut t, "PATCH", url, None, json!({"displayName": "A"}));
    assert_eq!(s, 404, "without Prefer: create-if-missing a missing app is 404");
    let (s, b) = call(&mut t, "PATCH", url, Some("create-if-missing"), json!({"displayName": "A"}));
    assert_eq!(s, 201);
    assert!(b["appId"].is_string() && b["id"].is_string());
    let (s, b) = call(&mut t, "PATCH", url, Some("create-if-missing"), json!({"displayName": "B"}));
    assert_eq!((s, b), (204, Value::Null));
    let (_, b) = call(&mut t, "GET", "/applications(uniqueName='lucs-ac')?$select=id", None, Value::Null);
    assert_eq!(b["displayName"], "B");
    let (s, b) = call(&mut t, "PATCH", "/applications(uniqueName='x')", Some("create-if-missing"), json!({}));
    assert_eq!(s, 400);
    assert!(b["error"]["message"].as_str().unwrap().contains("displayName"));
}

#[test]
fn batches_follow_the_json_batching_rules() {
    let mut t = Tenant::new(2);
    let too_many: Vec<Value> = (0..21).map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me"})).collect();
    let (s, _) = call(&mut t, "POST", "/$batch", None, json!({ "requests": too_many }));
    assert_eq!(s, 400);
    let dup =
        json!({"requests": [{"id": "a", "method": "GET", "url": "/me"}, {"id": "A", "method": "GET", "url": "/me"}]});
    assert_eq!(call(&mut t, "POST", "/$batch", None, dup).0, 400, "ids are case-insensitive and unique");
    let chained = json!({"requests": [
        {"id": "1", "method": "GET", "url": "/applications(uniqueName='missing')"},
        {"id": "2", "method": "GET", "url": "/me", "dependsOn": ["1"]},
        {"id": "3", "method": "GET", "url": "/organization"},
        {"id": "4", "method": "PATCH", "url": "/applications(uniqueName='z')", "body": {"displayName": "Z"}}
    ]});
    let (s, b) = call(&mut t, "POST", "/$batch", None, chained);
    assert_eq!(s, 200);
    let status =
        |id: &str| b["responses"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()["status"].as_u64();
    assert_eq!((status("1"), status("2"), status("3"), status("4")), (Some(404), Some(424), Some(200), Some(400)));
    let first = b["responses"].as_array().unwrap().iter().find(|r| r["id"] == "1").unwrap();
    assert_eq!(first["body"]["error"]["code"], "Request_ResourceNotFound", "Graph's error shape");
    assert!(first["body"]["error"]["innerError"]["request-id"].is_string());
}

#[test]
fn collections_page_with_next_link() {
    let mut t = Tenant::new(3);
    t.page_size = 2;
    t.user.roles = vec!["A".into(), "B".into(), "C".into()];
    let (_, b) = call(&mut t, "GET", "/me/memberOf?$select=displayName", None, Value::Null);
    assert_eq!(b["value"].as_array().unwrap().len(), 2);
    let next = b["@odata.nextLink"].as_str().unwrap();
    let rel = &next[next.find("/v1.0").unwrap() + 5..];
    let (_, b) = call(&mut t, "GET", rel, None, Value::Null);
    assert_eq!(b["value"].as_array().unwrap().len(), 1);
    assert!(b.get("@odata.nextLink").is_none());
}

#[test]
fn graph_service_principal_carries_the_real_permissions() {
    let mut t = Tenant::new(4);
    let (s, b) =
        call(&mut t, "GET", "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')", None, Value::Null);
    assert_eq!(s, 200);
    let scope = |v: &str| {
        b["oauth2PermissionScopes"].as_array().unwrap().iter().find(|x| x["value"] == v).unwrap()["id"].clone()
    };
    assert_eq!(scope("Mail.Send"), "e383f46e-2787-4529-855e-0e479a3ffac0");
    let role = b["appRoles"].as_array().unwrap().iter().find(|x| x["value"] == "User.Read.All").unwrap();
    assert_eq!(role["id"], "df021288-bdef-4463-88db-98f22de89214");
}

#[test]
fn a_new_app_is_invisible_to_dependent_calls_during_replication() {
    let mut t = Tenant::new(5);
    t.faults.replication_ms = 10_000;
    let (_, app) =
        call(&mut t, "PATCH", "/applications(uniqueName='r')", Some("create-if-missing"), json!({"displayName": "R"}));
    let sp_url = format!("/servicePrincipals(appId='{}')", app["appId"].as_str().unwrap());
    let (s, b) = call(&mut t, "PATCH", &sp_url, Some("create-if-missing"), json!({}));
    assert!(s == 400 || s == 403, "{s}");
    let m = b["error"]["message"].as_str().unwrap();
    assert!(m.contains("does not reference a valid application object") || m.contains("backing application"));
    match t.exchange("PATCH", &sp_url, Some("create-if-missing"), &json!({}), 20_000) {
        Exchange::Reply(r) => assert_eq!(r.status, 201, "visible after the window"),
        Exchange::Dropped => unreachable!(),
    }
}

#[test]
fn every_call_needs_the_scopes_its_permission_table_lists() {
    let mut t = Tenant::new(5);
    let denied = |t: &mut Tenant, method: &str, url: &str, body: Value| {
        let (s, b) = call(t, method, url, Some("create-if-missing"), body);
        s == 403 && b["error"]["code"] == "Authorization_RequestDenied"
    };
    // Directory.ReadWrite.All is not listed for application upsert (application-upsert: "Not available").
    t.token_scopes = vec!["Directory.ReadWrite.All".into(), "User.Read".into()];
    assert!(denied(&mut t, "PATCH", "/applications(uniqueName='a')", json!({"displayName": "A"})));
    assert!(!denied(&mut t, "GET", "/me", Value::Null), "User.Read reads /me");
    t.token_scopes = vec!["Application.ReadWrite.All".into()];
    let (s, app) =
        call(&mut t, "PATCH", "/applications(uniqueName='a')", Some("create-if-missing"), json!({"displayName": "A"}));
    assert_eq!(s, 201);
    assert!(denied(&mut t, "GET", "/organization", Value::Null), "no User.Read");
    assert!(denied(&mut t, "GET", "/oauth2PermissionGrants", Value::Null));
    let sp = format!("/servicePrincipals(appId='{}')", app["appId"].as_str().unwrap());
    let (s, sp) = call(&mut t, "PATCH", &sp, Some("create-if-missing"), json!({}));
    assert_eq!(s, 201);
    let graph = t.graph_sp_id().to_string();
    let body = json!({"clientId": sp["id"], "consentType": "AllPrincipals", "resourceId": graph, "scope": "User.Read"});
    assert!(denied(&mut t, "POST", "/oauth2PermissionGrants", body.clone()));
    let url = format!("/servicePrincipals/{}/appRoleAssignments", sp["id"].as_str().unwrap());
    let assign =
        json!({"principalId": sp["id"], "resourceId": graph, "appRoleId": "df021288-bdef-4463-88db-98f22de89214"});
    assert!(denied(&mut t, "POST", &url, assign.clone()));
    // serviceprincipal-post-approleassignments: "AppRoleAssignment.ReadWrite.All and Application.Read.All".
    t.token_scopes = vec!["AppRoleAssignment.ReadWrite.All".into()];
    assert!(denied(&mut t, "POST", &url, assign.clone()));
    t.token_scopes = vec!["AppRoleAssignment.ReadWrite.All".into(), "Application.Read.All".into()];
    assert_eq!(call(&mut t, "POST", &url, None, assign).0, 201);
    t.token_scopes = vec!["Directory.ReadWrite.All".into()];
    assert_eq!(call(&mut t, "POST", "/oauth2PermissionGrants", None, body).0, 201, "listed for grants");
}

#[test]
fn beta_answers_as_v1_inside_batches_too() {
    assert_eq!(lucs_sandbox::graph_path("/beta/me?$select=id"), Some("/me?$select=id"));
    assert_eq!(lucs_sandbox::graph_path("/v1.0/$batch"), Some("/$batch"));
    assert_eq!(lucs_sandbox::graph_path("/betamax"), None);
    let mut t = Tenant::new(6);
    let batch = json!({"requests": [{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/beta/me"}]});
    let (_, b) = call(&mut t, "POST", "/$batch", None, batch);
    assert_eq!(b["responses"][0]["status"], 200);
}

#[test]
fn the_sign_in_report_is_answered_under_beta_alone_as_graph_documents_it() {
    let refused = lucs_sandbox::version_refusal("/v1.0/reports/appCredentialSignInActivities?$filter=appId eq 'x'")
        .expect("v1.0 has no such segment");
    assert_eq!(refused.status, 400);
    assert_eq!(refused.body["error"]["message"], "Resource not found for the segment 'appCredentialSignInActivities'.");
    assert!(lucs_sandbox::version_refusal("/beta/reports/appCredentialSignInActivities").is_none());
    assert!(lucs_sandbox::version_refusal("/v1.0/applications").is_none());
    let mut t = Tenant::new(6);
    t.token_scopes = vec!["AuditLog.Read.All".into()];
    let url = |v: &str| format!("https://graph.microsoft.com/{v}/reports/appCredentialSignInActivities");
    let batch = json!({"requests": [
        {"id": "1", "method": "GET", "url": url("v1.0")},
        {"id": "2", "method": "GET", "url": url("beta")},
    ]});
    let (_, b) = call(&mut t, "POST", "/$batch", None, batch);
    let status =
        |id: &str| b["responses"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()["status"].clone();
    assert_eq!(status("1"), 400);
    assert_eq!(status("2"), 200);
}

#[test]
fn tokens_carry_the_client_app_and_scopes() {
    use lucs_sandbox::token::{Grant, Signer};
    let grant = Grant {
        tenant_id: "t",
        user_id: "o",
        upn: "u",
        audience: "aud",
        scopes: "User.Read Application.Read.All",
        appid: "app-1",
        issued_at_s: 1,
        expires_at_s: 9,
    };
    let jwt = Signer::with_key(&[7; 32]).unwrap().issue(&grant);
    let c = lucs_sandbox::token::claims(&jwt).unwrap();
    assert_eq!(c["appid"], "app-1");
    let scopes = lucs_sandbox::token::scopes_of(Some(&format!("Bearer {jwt}")));
    assert_eq!(scopes, vec!["User.Read", "Application.Read.All"]);
    assert!(lucs_sandbox::token::scopes_of(Some("Basic x")).is_empty());
}

#[test]
fn a_deleted_application_keeps_its_unique_name_until_purged_or_restored() {
    let mut t = Tenant::new(7);
    let url = "/applications(uniqueName='lucs-fe')";
    let (_, app) = call(&mut t, "PATCH", url, Some("create-if-missing"), json!({"displayName": "FE"}));
    let id = app["id"].as_str().unwrap().to_string();
    assert_eq!(call(&mut t, "DELETE", &format!("/applications/{id}"), None, Value::Null).0, 204);
    let (s, b) = call(&mut t, "PATCH", url, Some("create-if-missing"), json!({"displayName": "FE"}));
    assert_eq!(s, 400);
    assert_eq!(b["error"]["message"], "Another object with the same value for property uniqueName already exists.");
    let (_, list) = call(&mut t, "GET", "/directory/deletedItems/microsoft.graph.application", None, Value::Null);
    assert_eq!(list["value"][0]["uniqueName"], "lucs-fe");
    assert!(list["value"][0]["deletedDateTime"].as_str().unwrap().ends_with('Z'));
    let (s, restored) = call(&mut t, "POST", &format!("/directory/deletedItems/{id}/restore"), None, Value::Null);
    assert_eq!((s, restored["appId"].clone()), (200, app["appId"].clone()), "restored with its Application ID");
    assert_eq!(call(&mut t, "DELETE", &format!("/applications/{id}"), None, Value::Null).0, 204);
    assert_eq!(call(&mut t, "DELETE", &format!("/directory/deletedItems/{id}"), None, Value::Null).0, 204);
    assert_eq!(call(&mut t, "PATCH", url, Some("create-if-missing"), json!({"displayName": "FE"})).0, 201);
}

#[test]
fn roles_through_groups_are_transitive_only_and_eligible_roles_are_listed_apart() {
    let mut t = Tenant::new(8);
    t.user.roles = vec!["Application Administrator".into()];
    t.user.group_roles = vec!["Global Administrator".into()];
    t.user.eligible_roles = vec!["Privileged Role Administrator".into()];
    let templates = |b: &Value| -> Vec<String> {
        b["value"].as_array().unwrap().iter().filter_map(|m| m["roleTemplateId"].as_str().map(String::from)).collect()
    };
    let (_, direct) = call(&mut t, "GET", "/me/memberOf", None, Value::Null);
    assert_eq!(templates(&direct), ["9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"]);
    let (_, all) = call(&mut t, "GET", "/me/transitiveMemberOf", None, Value::Null);
    assert_eq!(templates(&all), ["9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "62e90394-69f5-4237-9190-012177145e10"]);
    let eligible = "/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')";
    assert_eq!(call(&mut t, "GET", eligible, None, Value::Null).0, 403, "needs RoleEligibilitySchedule.Read.Directory");
    t.token_scopes.push("RoleEligibilitySchedule.Read.Directory".into());
    let (_, e) = call(&mut t, "GET", eligible, None, Value::Null);
    assert_eq!(e["value"][0]["roleDefinitionId"], "e8611ab8-c189-46e8-94e1-60213ab1f814");
    // Without a scope that reads directory roles, members come back as type and id only.
    t.token_scopes = vec!["User.Read".into()];
    let (_, bare) = call(&mut t, "GET", "/me/transitiveMemberOf", None, Value::Null);
    assert!(bare["value"][0]["id"].is_string() && bare["value"][0].get("roleTemplateId").is_none());
}

#[test]
fn secrets_are_listed_without_their_text() {
    let mut t = Tenant::new(9);
    let (_, app) =
        call(&mut t, "PATCH", "/applications(uniqueName='a')", Some("create-if-missing"), json!({"displayName": "A"}));
    let id = app["id"].as_str().unwrap();
    let body = json!({"passwordCredential": {"displayName": "LUCS App Registrar 2026"}});
    let (_, secret) = call(&mut t, "POST", &format!("/applications/{id}/addPassword"), None, body);
    let (_, read) = call(&mut t, "GET", &format!("/applications/{id}?$select=passwordCredentials"), None, Value::Null);
    let cred = &read["passwordCredentials"][0];
    assert_eq!((&cred["keyId"], &cred["displayName"]), (&secret["keyId"], &json!("LUCS App Registrar 2026")));
    assert!(cred["secretText"].is_null());
}
