//! Delegated scopes, enforced per call as Microsoft Graph does: a call whose token lacks every scope its
//! permission table lists gets 403 `Authorization_RequestDenied` "Insufficient privileges to complete the
//! operation." — the same answer as a missing directory role (Microsoft Graph errors, concepts/errors.md; JSON
//! batching example). The table is a copy of the registrar's (src/engine/scopes.rs), taken from the
//! "Permissions" section of each API page on learn.microsoft.com/graph/api, Delegated (work or school account):
//! organization-list, user-get, user-list-transitivememberof (User.Read); application-get,
//! serviceprincipal-get, directory-deleteditems-list (Application.Read.All; higher Application.ReadWrite.All,
//! Directory.Read.All); application-upsert, -update, -delete, -addpassword, -removepassword,
//! directory-deleteditems-delete/-restore for applications (Application.ReadWrite.All, nothing higher);
//! serviceprincipal-upsert/-delete (Application.ReadWrite.All, Directory.ReadWrite.All);
//! oauth2permissiongrant-list (DelegatedPermissionGrant.Read.All, …) and -post/-update/-delete
//! (DelegatedPermissionGrant.ReadWrite.All, Directory.ReadWrite.All, Directory.AccessAsUser.All);
//! serviceprincipal-post-approleassignments ("AppRoleAssignment.ReadWrite.All and Application.Read.All");
//! unifiedroleeligibilityscheduleinstance-filterbycurrentuser (RoleEligibilitySchedule.Read.Directory, …).

use crate::tenant::Reply;

const USER_READ: &[&str] = &["User.Read", "Directory.Read.All", "Directory.ReadWrite.All", "User.Read.All"];
const APPS_READ: &[&str] = &["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"];
const APP_WRITE: &[&str] = &["Application.ReadWrite.All"];
const SP_WRITE: &[&str] = &["Application.ReadWrite.All", "Directory.ReadWrite.All"];
const GRANTS_READ: &[&str] = &[
    "DelegatedPermissionGrant.Read.All",
    "DelegatedPermissionGrant.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
const GRANT_WRITE: &[&str] =
    &["DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"];
const ASSIGNMENT_WRITE: &[&str] = &["AppRoleAssignment.ReadWrite.All"];
const ELIGIBILITY_READ: &[&str] = &[
    "RoleEligibilitySchedule.Read.Directory",
    "RoleEligibilitySchedule.ReadWrite.Directory",
    "RoleManagement.Read.All",
    "RoleManagement.Read.Directory",
    "RoleManagement.ReadWrite.Directory",
];

/// The scope groups a call needs (each group met by any one of its scopes); empty for unknown paths, which
/// the router answers itself.
pub fn requirement(method: &str, segs: &[&str]) -> &'static [&'static [&'static str]] {
    let first = segs.first().map(|s| s.split('(').next().unwrap_or(s)).unwrap_or("");
    let has = |name: &str| segs.contains(&name);
    match (method, first) {
        (_, "organization" | "me") => &[USER_READ],
        (_, "roleManagement") => &[ELIGIBILITY_READ],
        ("GET", "applications" | "servicePrincipals" | "directory") => &[APPS_READ],
        (_, "applications" | "directory") => &[APP_WRITE],
        ("POST", "servicePrincipals") if has("appRoleAssignments") || has("appRoleAssignedTo") => {
            &[ASSIGNMENT_WRITE, APPS_READ]
        }
        ("DELETE", "servicePrincipals") if has("appRoleAssignments") || has("appRoleAssignedTo") => &[ASSIGNMENT_WRITE],
        (_, "servicePrincipals") => &[SP_WRITE],
        ("GET", "oauth2PermissionGrants") => &[GRANTS_READ],
        (_, "oauth2PermissionGrants") => &[GRANT_WRITE],
        _ => &[],
    }
}

/// 403 as Graph answers it when `scopes` (the token's `scp`) meet none of a group's scopes.
pub fn refuse(scopes: &[String], method: &str, segs: &[&str]) -> Option<Reply> {
    let met = |group: &&[&str]| group.iter().any(|s| scopes.iter().any(|have| have.eq_ignore_ascii_case(s)));
    if requirement(method, segs).iter().all(met) {
        return None;
    }
    Some(Reply::error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."))
}
