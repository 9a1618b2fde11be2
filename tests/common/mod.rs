//! Shared helpers for the native integration tests.
#![allow(dead_code)]

use lucs_registrar::catalog;
use lucs_registrar::plan::{self, Plan, PlanRequest};
use lucs_registrar::Error;
use serde_json::{json, Value};

/// Every component, with two Conversation Recording and two Calendar Integration instances: 10 apps.
pub fn full_request() -> Value {
    json!({ "components": [
        { "code": "AC" },
        { "code": "CI", "instances": ["1", "2"] },
        { "code": "CIC" },
        { "code": "CR", "instances": ["1", "2"] },
        { "code": "FE" },
        { "code": "GalReader" },
        { "code": "TeamsAA" },
        { "code": "WebConfigurator" }
    ]})
}

pub fn plan_json(request: Value) -> Result<Plan, Error> {
    let req = PlanRequest::from_json(request)?;
    plan::plan(&req, &catalog::builtin())
}

pub fn full_plan() -> Plan {
    plan_json(full_request()).expect("the full LUCS set plans")
}

/// A custom catalog's component with Exchange Online's `full_access_as_app` app role (ids from Microsoft's EWS OAuth
/// guide), and a delegated Microsoft Graph scope if `delegated`: an app role of an API other than Microsoft Graph.
pub fn exchange_plan(delegated: bool) -> Plan {
    let mut permissions = vec![json!({"resourceAppId": "00000002-0000-0ff1-ce00-000000000000",
        "value": "full_access_as_app", "kind": "application", "id": "dc890d15-9560-4a4c-9b7f-a736ec74ec40",
        "adminConsentRequired": true})];
    if delegated {
        permissions.push(json!({"resourceAppId": "00000003-0000-0000-c000-000000000000", "value": "User.Read",
            "kind": "delegated", "id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "adminConsentRequired": false}));
    }
    let catalog = json!({"profile": "Contoso mail", "components": [{"code": "MBX", "name": "Mailbox reader",
        "purpose": "Reads mailboxes through EWS.", "multiInstance": false, "errata": [], "permissions": permissions}]});
    let catalog = catalog::load(catalog).expect("a valid catalog");
    let req = PlanRequest::from_json(json!({"components": [{"code": "MBX"}]})).expect("a valid request");
    plan::plan(&req, &catalog).expect("plans")
}

pub mod sandbox;
