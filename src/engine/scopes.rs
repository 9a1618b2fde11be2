//! Which delegated scopes each Graph call needs: one table, from Microsoft's permission tables for each API
//! (learn.microsoft.com/graph/api/<page>, "Permissions", Delegated (work or school account) row). Used to tell
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
    /// `GET /roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')`
    /// (unifiedroleeligibilityscheduleinstance-filterbycurrentuser).
    ReadRoleEligibility,
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
}

/// organization-list, user-get, user-list-transitivememberof: least User.Read.
const USER_READ: &[&str] = &["User.Read", "Directory.Read.All", "Directory.ReadWrite.All", "User.Read.All"];
/// application-get: least Application.Read.All; higher Application.ReadWrite.All, Directory.Read.All.
const APPS_READ: &[&str] = &["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"];
/// application-upsert, application-update, application-delete, application-addpassword,
/// application-post-applications: Application.ReadWrite.All, "Not available" for anything higher.
const APP_WRITE: &[&str] = &["Application.ReadWrite.All"];
/// serviceprincipal-upsert (and -delete): Application.ReadWrite.All; higher Directory.ReadWrite.All.
const SP_WRITE: &[&str] = &["Application.ReadWrite.All", "Directory.ReadWrite.All"];
/// oauth2permissiongrant-list: DelegatedPermissionGrant.Read.All; higher the ReadWrite and Directory scopes.
const GRANTS_READ: &[&str] = &[
    "DelegatedPermissionGrant.Read.All",
    "DelegatedPermissionGrant.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
/// oauth2permissiongrant-post: DelegatedPermissionGrant.ReadWrite.All, Directory.ReadWrite.All,
/// Directory.AccessAsUser.All.
const GRANT_WRITE: &[&str] =
    &["DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"];
/// serviceprincipal-post-approleassignments: "AppRoleAssignment.ReadWrite.All and Application.Read.All" (higher:
/// "… and Directory.Read.All"); the Application.Read.All half is met as application-get says.
const ASSIGNMENT_WRITE: &[&str] = &["AppRoleAssignment.ReadWrite.All"];
/// unifiedroleeligibilityscheduleinstance-filterbycurrentuser.
const ELIGIBILITY_READ: &[&str] = &[
    "RoleEligibilitySchedule.Read.Directory",
    "RoleEligibilitySchedule.ReadWrite.Directory",
    "RoleManagement.Read.All",
    "RoleManagement.Read.Directory",
    "RoleManagement.ReadWrite.Directory",
];

impl Call {
    /// Every group must be met by one of its scopes.
    pub fn requirement(self) -> &'static [&'static [&'static str]] {
        match self {
            Call::ReadOrganization | Call::ReadMe | Call::ReadMemberships => &[USER_READ],
            Call::ReadRoleEligibility => &[ELIGIBILITY_READ],
            Call::ReadApplications => &[APPS_READ],
            Call::ReadGrants => &[GRANTS_READ],
            Call::WriteApplication | Call::WritePassword | Call::DeleteApplication => &[APP_WRITE],
            Call::PurgeOrRestoreApplication => &[APP_WRITE],
            Call::WriteServicePrincipal => &[SP_WRITE],
            Call::WriteGrant => &[GRANT_WRITE],
            Call::WriteAssignment => &[ASSIGNMENT_WRITE, APPS_READ],
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

/// The calls each job makes. Pre-flight's role-eligibility read is optional (without its scope pre-flight says
/// it cannot tell), so it is not listed.
pub const PREFLIGHT: &[Call] = &[Call::ReadOrganization, Call::ReadMe, Call::ReadMemberships];
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
        assert_eq!(
            missing_for(VERIFY, &s("User.Read")),
            vec!["Application.Read.All", "DelegatedPermissionGrant.Read.All"]
        );
        assert!(missing_for(PREFLIGHT, &s("user.read")).is_empty(), "scope names compare without case");
    }
}
