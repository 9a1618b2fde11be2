//! Words for a step, and what a refusal means: a 403 `Authorization_RequestDenied` is the same answer for a
//! missing scope and a missing role (learn.microsoft.com/graph/errors), so the token's scopes, when known, decide which to name —
//! both from one table each (`scopes.rs`, `roles.rs`).

use super::task::Op;
use crate::engine::report::{Stop, StopKind};
use crate::microsoft::roles::Capability;
use crate::microsoft::scopes::Call;
use crate::plan::PlannedApp;

pub fn describe(op: &Op) -> &'static str {
    match op {
        Op::ReadTenant => "reading the organization",
        Op::ReadResource(_) => "reading the service principal of an API the plan uses",
        Op::ReadApp | Op::ReadAppIds | Op::RecheckApp | Op::FindCreated => "reading the application",
        Op::UpsertApp => "creating or updating the application",
        Op::UpsertSp | Op::ReadSp | Op::FindSp { .. } | Op::CreateSp => "creating the service principal",
        Op::ReadGrant(_) | Op::WriteGrant(_) | Op::PatchGrant { .. } => "granting consent to delegated permissions",
        Op::ReadAssignment(_) | Op::ReadAssignmentPage(..) | Op::Assign(_) => {
            "granting consent to an application permission"
        }
        Op::ReadPasswords | Op::RemoveSecret(_) | Op::AddSecret => "adding a client secret",
        Op::FindDeleted(_) => "looking for a deleted application holding the unique name",
        Op::RestoreDeleted(_) => "restoring the deleted application",
        Op::PurgeDeleted(_) => "permanently deleting the deleted application",
    }
}

/// The call's entry in Microsoft's permission tables (`scopes.rs`).
pub fn call_of(op: &Op) -> Call {
    match op {
        Op::ReadTenant => Call::ReadOrganization,
        Op::ReadGrant(_) => Call::ReadGrants,
        Op::WriteGrant(_) | Op::PatchGrant { .. } => Call::WriteGrant,
        Op::Assign(_) => Call::WriteAssignment,
        Op::UpsertApp => Call::WriteApplication,
        Op::UpsertSp | Op::CreateSp => Call::WriteServicePrincipal,
        Op::RemoveSecret(_) | Op::AddSecret => Call::WritePassword,
        Op::RestoreDeleted(_) | Op::PurgeDeleted(_) => Call::PurgeOrRestoreApplication,
        _ => Call::ReadApplications,
    }
}

/// What the signed-in user's role must allow for the call; an app role's consent depends on its API (`roles.rs`).
fn capability_of(op: &Op, app: Option<&PlannedApp>) -> Capability {
    match op {
        Op::ReadAssignment(k) | Op::ReadAssignmentPage(k, _) | Op::Assign(k) => {
            let resource = app.and_then(|a| a.app_role_assignments.get(*k)).map(|r| r.resource_app_id.as_str());
            // Unknown: the stricter rule (Microsoft Graph's).
            resource.map_or(Capability::GrantApplication, Capability::for_app_role)
        }
        Op::ReadGrant(_) | Op::WriteGrant(_) | Op::PatchGrant { .. } => Capability::GrantDelegated,
        _ => Capability::CreateApps,
    }
}

/// A 403 `Authorization_RequestDenied` means a missing scope or a missing role, with the same words
/// (learn.microsoft.com/graph/errors); the token's scopes, when known, tell which. `app` is the planned app the
/// step is for.
pub fn forbidden(
    op: &Op,
    app: Option<&PlannedApp>,
    key: Option<String>,
    message: &str,
    scopes: Option<&[String]>,
) -> Stop {
    let call = call_of(op);
    let role = capability_of(op, app).sentence();
    match scopes.map(|s| call.missing(s)) {
        Some(missing) if !missing.is_empty() => Stop::new(
            StopKind::InsufficientScope,
            key,
            format!(
                "{}: Microsoft Graph refused ({message}) because the token lacks the {} permission (Microsoft's permission table for this call). Sign in again with a token that carries it.",
                describe(op),
                missing.join(" and ")
            ),
        ),
        Some(_) => Stop::new(StopKind::Forbidden, key, format!("{}: {message} {role}", describe(op))),
        None => {
            let least: Vec<&str> = call.requirement().iter().map(|g| g[0]).collect();
            Stop::new(
                StopKind::Forbidden,
                key,
                format!(
                    "{}: {message} Either the token lacks the {} permission, or the signed-in user lacks a role: {role}",
                    describe(op),
                    least.join(" and ")
                ),
            )
        }
    }
}
