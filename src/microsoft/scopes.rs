//! Which delegated scopes each Graph call needs: one table, from Microsoft's permission tables for each API
//! (`learn.microsoft.com/graph/api/<page>`, "Permissions", Delegated (work or school account) row). Used to tell
//! the admin before a run which scopes the token lacks per job, and to say after a 403 whether the token's
//! scopes — not the signed-in user's directory role — are the cause.
//!
//! A requirement is a list of groups; every group must be met, by any one of its scopes. The first scope of a
//! group is the least privileged one the table names (that is the scope an error message asks for); the others
//! are the "higher privileged" ones the same table lists. No substitution is made that the tables do not list.

/// One kind of Graph call the registrar makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `GET /organization` (organization-list).
    ReadOrganization,
    /// `GET /me` (user-get).
    ReadMe,
    /// `GET /me/transitiveMemberOf` and `/me/memberOf` (user-list-transitivememberof, user-list-memberof).
    ReadMemberships,
    /// The directory roles among those memberships with their names and roleTemplateIds. Without a scope that
    /// reads directoryRole objects, Graph returns them with only `@odata.type` and `id` ("limited information",
    /// user-list-transitivememberof), so what reading a role needs (directoryrole-get) is what naming it needs.
    ReadRoleNames,
    /// `GET /roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')`
    /// (unifiedroleeligibilityscheduleinstance-filterbycurrentuser).
    ReadRoleEligibility,
    /// `GET /policies/authorizationPolicy` (authorizationpolicy-get): whether members may register applications.
    ReadAuthorizationPolicy,
    /// `GET /applications…`, `GET /servicePrincipals…`, app role assignments (application-get,
    /// serviceprincipal-get, serviceprincipal-list-approleassignments), deleted applications
    /// (directory-deleteditems-list, application row).
    ReadApplications,
    /// `GET /oauth2PermissionGrants` (oauth2permissiongrant-list).
    ReadGrants,
    /// `PATCH /applications(uniqueName='…')` with `Prefer: create-if-missing` (application-upsert); also
    /// `PATCH /applications/{id}` (application-update) and `POST /applications` (application-post-applications).
    WriteApplication,
    /// `POST /applications/{id}/addPassword` and `removePassword` (application-addpassword,
    /// application-removepassword).
    WritePassword,
    /// `DELETE /applications/{id}` (application-delete).
    DeleteApplication,
    /// `PATCH /servicePrincipals(appId='…')` upsert, `DELETE /servicePrincipals/{id}` (serviceprincipal-upsert,
    /// serviceprincipal-delete).
    WriteServicePrincipal,
    /// `POST`, `PATCH`, `DELETE` on `/oauth2PermissionGrants` (oauth2permissiongrant-post, -update, -delete).
    WriteGrant,
    /// `POST` and `DELETE` on `/servicePrincipals/{id}/appRoleAssignments`
    /// (serviceprincipal-post-approleassignments, serviceprincipal-delete-approleassignments).
    WriteAssignment,
    /// `DELETE /directory/deletedItems/{id}` and `POST …/restore` on an application
    /// (directory-deleteditems-delete, directory-deleteditems-restore, application row).
    PurgeOrRestoreApplication,
    /// `GET /beta/reports/appCredentialSignInActivities` (reportroot-list-appcredentialsigninactivities): when each
    /// credential last signed in.
    ReadCredentialActivity,
}

/// user-get, user-list-transitivememberof: least User.Read.
const USER_READ: &[&str] = &["User.Read", "Directory.Read.All", "Directory.ReadWrite.All", "User.Read.All"];
/// organization-list: least User.Read; higher Organization.Read.All, Directory.Read.All and their ReadWrite forms
/// (User.Read.All is not listed).
const ORGANIZATION_READ: &[&str] = &[
    "User.Read",
    "Organization.Read.All",
    "Directory.Read.All",
    "Organization.ReadWrite.All",
    "Directory.ReadWrite.All",
];
/// directoryrole-get: least RoleManagement.Read.Directory; higher Directory.Read.All, Directory.ReadWrite.All,
/// RoleManagement.ReadWrite.Directory.
const ROLE_NAMES_READ: &[&str] = &[
    "RoleManagement.Read.Directory",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "RoleManagement.ReadWrite.Directory",
];
/// authorizationpolicy-get: Policy.Read.All; higher Policy.ReadWrite.Authorization.
const POLICY_READ: &[&str] = &["Policy.Read.All", "Policy.ReadWrite.Authorization"];
/// application-get: least Application.Read.All; higher Application.ReadWrite.All, Directory.Read.All.
const APPS_READ: &[&str] = &["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"];
/// application-upsert, application-update, application-delete, application-post-applications:
/// Application.ReadWrite.All, "Not available" for anything higher.
const APP_WRITE: &[&str] = &["Application.ReadWrite.All"];
/// application-addpassword, application-removepassword: least Application.ReadWrite.All; higher
/// Directory.ReadWrite.All.
const PASSWORD_WRITE: &[&str] = &["Application.ReadWrite.All", "Directory.ReadWrite.All"];
/// serviceprincipal-upsert (and -delete): Application.ReadWrite.All; higher Directory.ReadWrite.All.
const SP_WRITE: &[&str] = &["Application.ReadWrite.All", "Directory.ReadWrite.All"];
/// oauth2permissiongrant-list: least Directory.Read.All; higher DelegatedPermissionGrant.ReadWrite.All,
/// Directory.ReadWrite.All. (DelegatedPermissionGrant.Read.All is not listed for it, nor for any Graph method.)
const GRANTS_READ: &[&str] =
    &["Directory.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All"];
/// oauth2permissiongrant-post: DelegatedPermissionGrant.ReadWrite.All, Directory.ReadWrite.All,
/// Directory.AccessAsUser.All.
const GRANT_WRITE: &[&str] =
    &["DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"];
/// serviceprincipal-post-approleassignments: "AppRoleAssignment.ReadWrite.All and Application.Read.All" (higher:
/// "… and Directory.Read.All"); the Application.Read.All half is met as application-get says.
const ASSIGNMENT_WRITE: &[&str] = &["AppRoleAssignment.ReadWrite.All"];
/// reportroot-list-appcredentialsigninactivities: least AuditLog.Read.All; higher Directory.Read.All.
const AUDIT_READ: &[&str] = &["AuditLog.Read.All", "Directory.Read.All"];
/// unifiedroleeligibilityscheduleinstance-filterbycurrentuser: least RoleEligibilitySchedule.Read.Directory.
const ELIGIBILITY_READ: &[&str] = &[
    "RoleEligibilitySchedule.Read.Directory",
    "RoleEligibilitySchedule.ReadWrite.Directory",
    "RoleManagement.Read.All",
    "RoleManagement.Read.Directory",
    "RoleManagement.ReadWrite.Directory",
];

impl Call {
    /// Every call of the table, in its order.
    pub const ALL: [Call; 16] = [
        Call::ReadOrganization,
        Call::ReadMe,
        Call::ReadMemberships,
        Call::ReadRoleNames,
        Call::ReadRoleEligibility,
        Call::ReadAuthorizationPolicy,
        Call::ReadApplications,
        Call::ReadGrants,
        Call::WriteApplication,
        Call::WritePassword,
        Call::DeleteApplication,
        Call::WriteServicePrincipal,
        Call::WriteGrant,
        Call::WriteAssignment,
        Call::PurgeOrRestoreApplication,
        Call::ReadCredentialActivity,
    ];

    /// Every group must be met by one of its scopes.
    pub fn requirement(self) -> &'static [&'static [&'static str]] {
        match self {
            Call::ReadOrganization => &[ORGANIZATION_READ],
            Call::ReadMe | Call::ReadMemberships => &[USER_READ],
            Call::ReadRoleNames => &[ROLE_NAMES_READ],
            Call::ReadRoleEligibility => &[ELIGIBILITY_READ],
            Call::ReadAuthorizationPolicy => &[POLICY_READ],
            Call::ReadApplications => &[APPS_READ],
            Call::ReadGrants => &[GRANTS_READ],
            Call::WriteApplication | Call::DeleteApplication => &[APP_WRITE],
            Call::WritePassword => &[PASSWORD_WRITE],
            Call::PurgeOrRestoreApplication => &[APP_WRITE],
            Call::WriteServicePrincipal => &[SP_WRITE],
            Call::WriteGrant => &[GRANT_WRITE],
            Call::WriteAssignment => &[ASSIGNMENT_WRITE, APPS_READ],
            Call::ReadCredentialActivity => &[AUDIT_READ],
        }
    }

    /// The least privileged scopes of the groups `scopes` does not meet (empty: the call is allowed).
    pub fn missing(self, scopes: &[String]) -> Vec<&'static str> {
        self.requirement()
            .iter()
            .filter(|group| !group.iter().any(|s| scopes.iter().any(|have| have.eq_ignore_ascii_case(s))))
            .map(|group| group[0])
            .collect()
    }
}

/// The calls each job makes. Pre-flight's row includes what answers it directly: role names
/// (`ReadRoleNames`) and PIM eligibility; without them it still runs, but warns that it cannot tell, so a token
/// that covers the row is the one to pick. The authorization policy is read only to excuse a missing role, and
/// without it pre-flight warns the same way; it is not listed.
pub const PREFLIGHT: &[Call] =
    &[Call::ReadOrganization, Call::ReadMe, Call::ReadMemberships, Call::ReadRoleNames, Call::ReadRoleEligibility];
pub const VERIFY: &[Call] = &[Call::ReadApplications, Call::ReadGrants];
pub const REGISTER: &[Call] = &[
    Call::ReadApplications,
    Call::ReadGrants,
    Call::WriteApplication,
    Call::WriteServicePrincipal,
    Call::WriteGrant,
    Call::WriteAssignment,
    Call::WritePassword,
];
pub const APPLY: &[Call] = REGISTER;
pub const ROLLBACK: &[Call] = &[
    Call::ReadApplications,
    Call::DeleteApplication,
    Call::PurgeOrRestoreApplication,
    Call::WriteApplication,
    Call::WriteServicePrincipal,
    Call::WriteGrant,
    Call::WriteAssignment,
];

/// What a sign-in asks Microsoft for (the options page's authorization code flow): the least scopes that cover
/// registering and rolling back, so the token it gets can do every write the extension makes.
pub fn sign_in() -> Vec<String> {
    let calls: Vec<Call> = REGISTER.iter().chain(ROLLBACK).copied().collect();
    missing_for(&calls, &[])
}

/// The least privileged scopes `scopes` lacks for any of `calls`, each once, in table order. A group that a
/// scope already asked for would also meet (a read the job's write scope covers) is not asked for again.
pub fn missing_for(calls: &[Call], scopes: &[String]) -> Vec<String> {
    let unmet: Vec<&[&str]> = calls
        .iter()
        .flat_map(|c| c.requirement().iter().copied())
        .filter(|group| !group.iter().any(|s| scopes.iter().any(|have| have.eq_ignore_ascii_case(s))))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for group in &unmet {
        let covered = unmet.iter().any(|other| other[0] != group[0] && group.contains(&other[0]));
        if !covered && !out.iter().any(|o| o == group[0]) {
            out.push(group[0].to_string());
        }
    }
    out
}

#[cfg(test)]
mod sign_in_tests {
    #[test]
    fn a_sign_in_asks_for_the_three_write_scopes() {
        let scopes = super::sign_in();
        assert_eq!(
            scopes,
            ["Application.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "AppRoleAssignment.ReadWrite.All"]
        );
        let have: Vec<String> = scopes.clone();
        let jobs = [super::REGISTER, super::ROLLBACK, super::VERIFY];
        assert!(jobs.iter().all(|calls| super::missing_for(calls, &have).is_empty()), "covers every write job");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(list: &str) -> Vec<String> {
        list.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn directory_read_write_does_not_stand_in_for_application_upsert() {
        let scopes =
            s("Directory.ReadWrite.All AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All");
        assert_eq!(Call::WriteApplication.missing(&scopes), vec!["Application.ReadWrite.All"]);
        assert!(Call::WriteServicePrincipal.missing(&scopes).is_empty(), "listed as higher for SP upsert");
        assert!(Call::WriteGrant.missing(&scopes).is_empty(), "listed as higher for grants");
    }

    #[test]
    fn an_assignment_also_needs_a_way_to_read_applications() {
        assert_eq!(Call::WriteAssignment.missing(&s("AppRoleAssignment.ReadWrite.All")), vec!["Application.Read.All"]);
        assert!(Call::WriteAssignment.missing(&s("AppRoleAssignment.ReadWrite.All Directory.Read.All")).is_empty());
    }

    #[test]
    fn per_job_coverage_names_least_privileged_scopes_once() {
        let missing = missing_for(REGISTER, &s("User.Read"));
        assert_eq!(
            missing,
            vec![
                "Application.ReadWrite.All",
                "DelegatedPermissionGrant.ReadWrite.All",
                "AppRoleAssignment.ReadWrite.All"
            ],
            "reads the write scopes cover are not asked for separately"
        );
        assert_eq!(missing_for(VERIFY, &s("User.Read")), vec!["Directory.Read.All"], "reads apps and grants");
        assert!(missing_for(PREFLIGHT, &s("user.read rolemanagement.read.directory")).is_empty(), "without case");
    }

    #[test]
    fn listing_grants_takes_directory_read_all_not_a_scope_no_method_lists() {
        // oauth2permissiongrant-list: Directory.Read.All; DelegatedPermissionGrant.Read.All is listed nowhere.
        let reader = s("Application.Read.All DelegatedPermissionGrant.Read.All");
        assert_eq!(Call::ReadGrants.missing(&reader), vec!["Directory.Read.All"]);
        assert_eq!(missing_for(VERIFY, &reader), vec!["Directory.Read.All"]);
        assert!(Call::ReadGrants.missing(&s("DelegatedPermissionGrant.ReadWrite.All")).is_empty());
    }

    #[test]
    fn the_organization_and_passwords_take_what_their_pages_list() {
        // organization-list lists Organization.Read.All and the Directory scopes, not User.Read.All.
        assert!(Call::ReadOrganization.missing(&s("Organization.Read.All")).is_empty());
        assert!(Call::ReadOrganization.missing(&s("Directory.Read.All")).is_empty());
        assert_eq!(Call::ReadOrganization.missing(&s("User.Read.All")), vec!["User.Read"]);
        // application-addpassword / -removepassword list Directory.ReadWrite.All as higher; application-upsert not.
        assert!(Call::WritePassword.missing(&s("Directory.ReadWrite.All")).is_empty());
        assert_eq!(Call::WriteApplication.missing(&s("Directory.ReadWrite.All")), vec!["Application.ReadWrite.All"]);
    }

    #[test]
    fn preflight_names_what_reading_role_names_and_eligibility_takes() {
        // Without a directory-read scope roles come back nameless (user-list-transitivememberof); eligibility needs
        // RoleEligibilitySchedule.Read.Directory, which RoleManagement.Read.Directory also covers.
        assert_eq!(missing_for(PREFLIGHT, &s("User.Read")), vec!["RoleManagement.Read.Directory"]);
        assert_eq!(
            missing_for(PREFLIGHT, &s("User.Read Directory.Read.All")),
            vec!["RoleEligibilitySchedule.Read.Directory"]
        );
        assert!(missing_for(PREFLIGHT, &s("User.Read Directory.Read.All RoleEligibilitySchedule.Read.Directory"))
            .is_empty());
    }
}
