#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! The planner's output: exactly the Graph bodies and consent an admin expects for the full LUCS set.

mod common;

use common::{full_plan, plan_json};
use serde_json::json;

#[test]
fn full_set_is_ten_apps_with_stable_keys_and_names() {
    let plan = full_plan();
    let rows: Vec<(&str, &str)> = plan.applications.iter().map(|a| (a.key.as_str(), a.display_name.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("lucs-ac", "LUCS Agent Controller"),
            ("lucs-ci-1", "LUCS Calendar Integration (1)"),
            ("lucs-ci-2", "LUCS Calendar Integration (2)"),
            ("lucs-cic", "LUCS Customer Infrastructure Connector"),
            ("lucs-cr-1", "LUCS Conversation Recording (1)"),
            ("lucs-cr-2", "LUCS Conversation Recording (2)"),
            ("lucs-fe", "LUCS Frontend of the Web Application"),
            ("lucs-galreader", "LUCS Global Address List Reader"),
            ("lucs-teamsaa", "LUCS MS Teams AA"),
            ("lucs-webconfigurator", "LUCS Web Configurator"),
        ]
    );
    assert_eq!(plan, full_plan(), "planning is deterministic");
}

#[test]
fn cr_instance_body_is_the_exact_graph_application() {
    let plan = full_plan();
    let cr2 = plan.applications.iter().find(|a| a.key == "lucs-cr-2").unwrap();
    let body = serde_json::to_value(&cr2.application).unwrap();
    assert_eq!(
        body,
        json!({
            "displayName": "LUCS Conversation Recording (2)",
            "signInAudience": "AzureADMyOrg",
            "tags": ["LUCS", "LUCS-CR", "LUCS-instance-2"],
            "notes": "LUCS component CR (Conversation Recording), instance 2: Call recording and send via e-mail. Registered by LUCS App Registrar as lucs-cr-2.",
            "requiredResourceAccess": [{
                "resourceAppId": "00000003-0000-0000-c000-000000000000",
                "resourceAccess": [
                    { "id": "87f447af-9fa4-4c32-9dfa-4a57a73d18ce", "type": "Scope" },
                    { "id": "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", "type": "Scope" },
                    { "id": "024d486e-b451-40bb-833d-3e66d98c5c73", "type": "Scope" },
                    { "id": "e383f46e-2787-4529-855e-0e479a3ffac0", "type": "Scope" },
                    { "id": "863451e7-0667-486c-a5d6-d135439485f0", "type": "Scope" },
                    { "id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope" }
                ]
            }]
        })
    );
    assert_eq!(cr2.delegated_grants.len(), 1);
    assert_eq!(
        cr2.delegated_grants[0].scope,
        "MailboxSettings.Read Mail.Read Mail.ReadWrite Mail.Send Files.ReadWrite.All User.Read"
    );
    assert!(cr2.app_role_assignments.is_empty());
    assert!(!cr2.create_secret, "delegated-only components get no secret by default");
    assert!(cr2.application.tags.iter().all(|t| !t.contains(char::is_whitespace)));
}

#[test]
fn application_permission_components_get_a_role_assignment_and_a_secret() {
    let plan = full_plan();
    for key in ["lucs-cic", "lucs-fe", "lucs-galreader", "lucs-webconfigurator"] {
        let app = plan.applications.iter().find(|a| a.key == key).unwrap();
        assert!(app.create_secret, "{key}");
        assert_eq!(app.secret_lifetime_months, 12);
        assert!(app.delegated_grants.is_empty(), "{key}");
        assert_eq!(app.app_role_assignments.len(), 1);
        assert_eq!(app.app_role_assignments[0].app_role_id, "df021288-bdef-4463-88db-98f22de89214");
        assert_eq!(app.application.required_resource_access[0].resource_access[0].kind, "Role");
    }
}

#[test]
fn optional_permission_is_off_by_default_and_can_be_chosen() {
    let scope = |plan: &lucs_registrar::plan::Plan| plan.applications[0].delegated_grants[0].scope.clone();
    let off = plan_json(json!({"components": [{"code": "CI"}]})).unwrap();
    assert!(!scope(&off).contains("Calendars.Read.Shared"));
    assert!(off.warnings.iter().any(|w| w.code == "optionalPermission" && w.message.contains("left out")));
    let one =
        plan_json(json!({"components": [{"code": "CI", "optionalPermissions": ["Calendars.Read.Shared"]}]})).unwrap();
    assert!(scope(&one).contains("Calendars.Read.Shared"));
    let all = plan_json(json!({"components": [{"code": "CI"}], "options": {"includeOptional": true}})).unwrap();
    assert_eq!(scope(&one), scope(&all));
    assert_eq!(all.applications[0].permissions.len(), 8);
}

#[test]
fn default_instance_prefix_and_options() {
    let plan = plan_json(json!({"components": [{"code": "cr"}], "prefix": "Contoso LUCS"})).unwrap();
    let app = &plan.applications[0];
    assert_eq!(
        (app.key.as_str(), app.display_name.as_str()),
        ("contoso-lucs-cr-1", "Contoso LUCS Conversation Recording (1)")
    );
    assert_eq!(app.instance.as_deref(), Some("1"));
    assert!(plan.grant_admin_consent);
    let single = plan_json(json!({"components": [{"code": "AC"}]})).unwrap();
    assert_eq!(single.applications[0].instance, None);
}

#[test]
fn secret_and_consent_options_apply() {
    let plan = plan_json(json!({
        "components": [{"code": "FE"}, {"code": "AC", "createSecret": true}],
        "options": {"createSecret": false, "grantAdminConsent": false, "secretLifetimeMonths": 24}
    }))
    .unwrap();
    assert!(!plan.applications[0].create_secret);
    assert!(plan.applications[1].create_secret);
    assert_eq!(plan.applications[1].secret_lifetime_months, 24);
    assert!(!plan.grant_admin_consent && !plan.applications[0].grant_admin_consent);
    let codes: Vec<&str> = plan.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains(&"noConsent") && codes.contains(&"noCredential"), "{codes:?}");
}

#[test]
fn redirect_uris_go_to_their_platform_and_instance() {
    let plan = plan_json(json!({"components": [{
        "code": "CR", "instances": ["1", "2"],
        "redirectUris": { "web": ["https://lucs.contoso.com/signin-oidc"], "publicClient": ["http://localhost:5000"] },
        "instanceRedirectUris": { "2": { "spa": ["https://cr2.contoso.com/app"] } }
    }]}))
    .unwrap();
    let b1 = serde_json::to_value(&plan.applications[0].application).unwrap();
    assert_eq!(b1["web"], json!({"redirectUris": ["https://lucs.contoso.com/signin-oidc"]}));
    assert_eq!(b1["publicClient"], json!({"redirectUris": ["http://localhost:5000"]}));
    assert!(b1.get("spa").is_none());
    let b2 = serde_json::to_value(&plan.applications[1].application).unwrap();
    assert_eq!(b2["spa"], json!({"redirectUris": ["https://cr2.contoso.com/app"]}));
    assert!(b2.get("web").is_none(), "instance URIs replace the component's");
}

#[test]
fn plan_warns_about_errata_and_broad_permissions() {
    let plan = full_plan();
    let text: Vec<String> = plan.warnings.iter().map(|w| format!("{}|{}", w.code, w.message)).collect();
    assert!(text.iter().any(|t| t.starts_with("erratum|TeamsAA") && t.contains("User.Read")));
    assert!(text.iter().any(|t| t.starts_with("broadPermission|CR") && t.contains("Files.ReadWrite.All")));
    assert!(!text.iter().any(|t| t.starts_with("noConsent")));
}

#[test]
fn a_plan_round_trips_through_json() {
    let plan = full_plan();
    let v = serde_json::to_value(&plan).unwrap();
    assert_eq!(v["applications"][0]["component"], "AC");
    assert_eq!(v["applications"][0]["instance"], serde_json::Value::Null);
    assert_eq!(v["applications"][4]["delegatedGrants"][0]["resourceAppId"], "00000003-0000-0000-c000-000000000000");
    let back = lucs_registrar::plan::Plan::from_json(v).unwrap();
    assert_eq!(back, plan);
}

#[test]
fn a_component_applies_to_an_app_registered_by_hand_by_its_application_id() {
    let id = "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D";
    let plan = plan_json(json!({"components": [{"code": "AC", "targetAppId": id}, {"code": "FE"}]})).unwrap();
    let ac = &plan.applications[0];
    assert_eq!(ac.target_app_id.as_deref(), Some(id.to_ascii_lowercase().as_str()));
    assert!(!ac.create_secret, "an existing app keeps its own credentials, even with application permissions");
    assert_eq!(plan.applications[1].target_app_id, None);
    // Through JSON and back, as a plan travels to the engine.
    let again = lucs_registrar::plan::Plan::from_json(serde_json::to_value(&plan).unwrap()).unwrap();
    assert_eq!(again, plan);
}

#[test]
fn an_existing_app_target_is_checked_and_the_field_named() {
    let id = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    let refused = |request: serde_json::Value| plan_json(request).unwrap_err();
    let e = refused(json!({"components": [{"code": "AC", "targetAppId": "lucs-ac"}]}));
    assert_eq!((e.code.as_str(), e.field.as_deref()), ("invalidGuid", Some("components[0].targetAppId")));
    let e = refused(json!({"components": [{"code": "CR", "instances": ["1", "2"], "targetAppId": id}]}));
    assert_eq!(e.field.as_deref(), Some("components[0].targetAppId"), "{e:?}");
    let e = refused(json!({"components": [{"code": "AC", "targetAppId": id, "createSecret": true}]}));
    assert_eq!(e.field.as_deref(), Some("components[0].createSecret"), "{e:?}");
    let e = refused(json!({"components": [{"code": "AC", "targetAppId": id}, {"code": "FE", "targetAppId": id}]}));
    assert_eq!(e.field.as_deref(), Some("components[1].targetAppId"), "{e:?}");
    let one = plan_json(json!({"components": [{"code": "CR", "instances": ["main"], "targetAppId": id}]})).unwrap();
    assert_eq!(one.applications.len(), 1);
}
