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

pub mod sandbox;
