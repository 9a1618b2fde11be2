//! What the plan tells the admin besides the apps: the vendor errata that apply, least-privilege hints, and
//! consequences of their options (no consent, no credential).

use serde::Serialize;

use super::PlannedPermission;
use crate::catalog::{Component, Kind};
use crate::closed_set::closed_set;

closed_set! {
    pub enum WarningCode {
        /// A vendor erratum that applies to the component.
        Erratum = "erratum",
        /// A permission that reaches far beyond what its name suggests.
        BroadPermission = "broadPermission",
        /// An optional permission, included or left out.
        OptionalPermission = "optionalPermission",
        /// Application permissions but no client secret.
        NoCredential = "noCredential",
        /// Admin consent is switched off.
        NoConsent = "noConsent",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
    /// The component it concerns, or null for the whole plan.
    pub component: Option<String>,
}

/// Permissions that reach far beyond what their name suggests; said so the admin grants them knowingly.
/// Scope of each per the Microsoft Graph permissions reference.
const BROAD: [(&str, &str); 2] = [
    ("Files.ReadWrite.All", "Files.ReadWrite.All lets the app read, change and delete every file the signed-in user can reach (OneDrive and SharePoint)."),
    ("Mail.ReadWrite", "Mail.ReadWrite lets the app change and delete the signed-in user's mail, not just read it."),
];

pub fn for_component(component: &Component, chosen: &[PlannedPermission], secret: bool) -> Vec<Warning> {
    let code = Some(component.code.clone());
    let warn = |kind: WarningCode, message: String| Warning { code: kind, message, component: code.clone() };
    let mut out: Vec<Warning> =
        component.errata.iter().map(|e| warn(WarningCode::Erratum, format!("{}: {e}", component.code))).collect();
    for (value, why) in BROAD {
        if chosen.iter().any(|p| p.value == value) {
            out.push(warn(WarningCode::BroadPermission, format!("{}: {why}", component.code)));
        }
    }
    for p in component.permissions.iter().filter(|p| p.optional) {
        let included = chosen.iter().any(|c| c.value == p.value && c.kind == p.kind);
        let state = if included { "included" } else { "left out" };
        out.push(warn(
            WarningCode::OptionalPermission,
            format!("{}: optional permission {} is {state}.", component.code, p.value),
        ));
    }
    if !secret && chosen.iter().any(|p| p.kind == Kind::Application) {
        out.push(warn(
            WarningCode::NoCredential,
            format!(
                "{}: has application permissions but no client secret will be created; add a secret or certificate before LUCS can use it.",
                component.code
            ),
        ));
    }
    out
}

pub fn for_plan(consent: bool) -> Option<Warning> {
    (!consent).then(|| Warning {
        code: WarningCode::NoConsent,
        message: "Admin consent is switched off: the apps are registered with their permissions declared, but nothing is granted \
                  until an administrator consents (API permissions → Grant admin consent)."
            .to_string(),
        component: None,
    })
}
