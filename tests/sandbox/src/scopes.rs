//! Delegated scopes, enforced per call as Microsoft Graph does: a call whose token lacks every scope its
//! permission table lists gets 403 `Authorization_RequestDenied` "Insufficient privileges to complete the
//! operation." — the same answer as a missing directory role (Microsoft Graph errors, concepts/errors.md; JSON
//! batching example). The table is a copy of the registrar's (src/engine/scopes.rs), taken from the
//! "Permissions" section of each API page on learn.microsoft.com/graph/api, Delegated (work or school account),
//! and held to it by the registrar's tests/scopes.rs:
//! organization-list (User.Read; higher Organization.Read.All, Directory.Read.All, their ReadWrite forms);
//! user-get, user-list-transitivememberof (User.Read); directoryrole-get (RoleManagement.Read.Directory; higher
//! Directory.Read.All, Directory.ReadWrite.All, RoleManagement.ReadWrite.Directory — what naming a role in a
//! membership list takes, `directory.rs`); authorizationpolicy-get (Policy.Read.All, Policy.ReadWrite.Authorization);
//! application-get, serviceprincipal-get, directory-deleteditems-list (Application.Read.All; higher
//! Application.ReadWrite.All, Directory.Read.All); application-upsert, -update, -delete,
//! directory-deleteditems-delete/-restore for applications (Application.ReadWrite.All, nothing higher);
//! application-addpassword, -removepassword (Application.ReadWrite.All; higher Directory.ReadWrite.All);
//! serviceprincipal-upsert/-delete (Application.ReadWrite.All, Directory.ReadWrite.All); oauth2permissiongrant-list
//! (Directory.Read.All; higher DelegatedPermissionGrant.ReadWrite.All, Directory.ReadWrite.All) and
//! -post/-update/-delete (DelegatedPermissionGrant.ReadWrite.All, Directory.ReadWrite.All,
//! Directory.AccessAsUser.All); serviceprincipal-post-approleassignments ("AppRoleAssignment.ReadWrite.All and
//! Application.Read.All"); unifiedroleeligibilityscheduleinstance-filterbycurrentuser
//! (RoleEligibilitySchedule.Read.Directory, …); reportroot-list-appcredentialsigninactivities (AuditLog.Read.All;
//! higher Directory.Read.All).

use crate::tenant::Reply;

pub const USER_READ: &[&str] = &["User.Read", "Directory.Read.All", "Directory.ReadWrite.All", "User.Read.All"];
pub const ORGANIZATION_READ: &[&str] = &[
    "User.Read",
    "Organization.Read.All",
    "Directory.Read.All",
    "Organization.ReadWrite.All",
    "Directory.ReadWrite.All",
];
/// What reading a directoryRole takes; without one, roles in `/me/transitiveMemberOf` come back bare.
pub const ROLE_NAMES_READ: &[&str] = &[
    "RoleManagement.Read.Directory",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "RoleManagement.ReadWrite.Directory",
];
pub const POLICY_READ: &[&str] = &["Policy.Read.All", "Policy.ReadWrite.Authorization"];
pub const APP_POLICY_READ: &[&str] = &["Policy.Read.All", "Policy.ReadWrite.ApplicationConfiguration"];
pub const APPS_READ: &[&str] = &["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"];
pub const APP_WRITE: &[&str] = &["Application.ReadWrite.All"];
pub const PASSWORD_WRITE: &[&str] = &["Application.ReadWrite.All", "Directory.ReadWrite.All"];
pub const SP_WRITE: &[&str] = &["Application.ReadWrite.All", "Directory.ReadWrite.All"];
pub const GRANTS_READ: &[&str] =
    &["Directory.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All"];
pub const GRANT_WRITE: &[&str] =
    &["DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"];
pub const ASSIGNMENT_WRITE: &[&str] = &["AppRoleAssignment.ReadWrite.All"];
pub const AUDIT_READ: &[&str] = &["AuditLog.Read.All", "Directory.Read.All"];
pub const ELIGIBILITY_READ: &[&str] = &[
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
        (_, "organization") => &[ORGANIZATION_READ],
        (_, "me") => &[USER_READ],
        (_, "roleManagement") => &[ELIGIBILITY_READ],
        // App management policies: Policy.Read.All (tenantappmanagementpolicy-get, application-list-appmanagementpolicies).
        ("GET", "policies" | "applications") if has("defaultAppManagementPolicy") || has("appManagementPolicies") => {
            &[APP_POLICY_READ]
        }
        ("GET", "policies") => &[POLICY_READ],
        ("GET", "applications" | "servicePrincipals" | "directory") => &[APPS_READ],
        ("POST", "applications") if has("addPassword") || has("removePassword") => &[PASSWORD_WRITE],
        (_, "applications" | "directory") => &[APP_WRITE],
        ("POST", "servicePrincipals") if has("appRoleAssignments") || has("appRoleAssignedTo") => {
            &[ASSIGNMENT_WRITE, APPS_READ]
        }
        ("DELETE", "servicePrincipals") if has("appRoleAssignments") || has("appRoleAssignedTo") => &[ASSIGNMENT_WRITE],
        (_, "servicePrincipals") => &[SP_WRITE],
        ("GET", "oauth2PermissionGrants") => &[GRANTS_READ],
        ("GET", "reports") => &[AUDIT_READ],
        (_, "oauth2PermissionGrants") => &[GRANT_WRITE],
        _ => &[],
    }
}

/// Whether `scopes` (the token's `scp`) meet one of `group`.
pub fn meets(scopes: &[String], group: &[&str]) -> bool {
    group.iter().any(|s| scopes.iter().any(|have| have.eq_ignore_ascii_case(s)))
}

/// 403 as Graph answers it when `scopes` (the token's `scp`) meet none of a group's scopes.
pub fn refuse(scopes: &[String], method: &str, segs: &[&str]) -> Option<Reply> {
    if requirement(method, segs).iter().all(|group| meets(scopes, group)) {
        return None;
    }
    Some(Reply::error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."))
}
