//! One table of the Microsoft Entra built-in roles a registration needs, by roleTemplateId (the same in every
//! tenant; display names are not, and with few scopes Graph returns them as null). Pre-flight, the message after
//! a 403 and the az export's header all read it, so they never disagree.
//!
//! Template ids: entra-docs permissions-reference.md. What each role may do: Application Administrator and Cloud
//! Application Administrator create and manage app registrations and enterprise apps and grant tenant-wide consent
//! to delegated permissions and to application permissions of any API except Microsoft Graph and Azure AD Graph;
//! Privileged Role Administrator and Global Administrator may grant consent to anything, including those two APIs'
//! app roles (permissions-reference.md; learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent);
//! Application Developer may register applications (and their service principals, serviceprincipal-upsert) but not
//! consent for the tenant. Without any of these, a member may still register applications where the tenant's
//! authorization policy allows it (`preflight.rs`).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub role_template_id: &'static str,
    pub name: &'static str,
    pub create_apps: bool,
    pub grant_delegated: bool,
    /// Consent to application permissions of Microsoft Graph and Azure AD Graph (app role assignments on their
    /// service principals).
    pub grant_application: bool,
    /// Consent to application permissions of any other API.
    pub grant_other_application: bool,
}

/// Microsoft Graph and Azure AD Graph: only Privileged Role Administrator and Global Administrator may consent to
/// their application permissions (permissions-reference.md, Application Administrator and Cloud Application
/// Administrator: "except for Microsoft Graph and Azure AD Graph").
pub const ROLE_ADMIN_ONLY_APIS: [&str; 2] =
    ["00000003-0000-0000-c000-000000000000", "00000002-0000-0000-c000-000000000000"];

pub const ROLES: [Role; 5] = [
    Role {
        role_template_id: "62e90394-69f5-4237-9190-012177145e10",
        name: "Global Administrator",
        create_apps: true,
        grant_delegated: true,
        grant_application: true,
        grant_other_application: true,
    },
    Role {
        role_template_id: "e8611ab8-c189-46e8-94e1-60213ab1f814",
        name: "Privileged Role Administrator",
        create_apps: false,
        grant_delegated: true,
        grant_application: true,
        grant_other_application: true,
    },
    Role {
        role_template_id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        name: "Application Administrator",
        create_apps: true,
        grant_delegated: true,
        grant_application: false,
        grant_other_application: true,
    },
    Role {
        role_template_id: "158c047a-c907-4556-b7ef-446551a6b5f7",
        name: "Cloud Application Administrator",
        create_apps: true,
        grant_delegated: true,
        grant_application: false,
        grant_other_application: true,
    },
    Role {
        role_template_id: "cf1c38e5-3621-4004-a7cb-879624dced7c",
        name: "Application Developer",
        create_apps: true,
        grant_delegated: false,
        grant_application: false,
        grant_other_application: false,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    CreateApps,
    GrantDelegated,
    /// Consent to application permissions of Microsoft Graph or Azure AD Graph.
    GrantApplication,
    /// Consent to application permissions of any other API.
    GrantOtherApplication,
}

impl Capability {
    pub fn allowed_by(self, role: &Role) -> bool {
        match self {
            Capability::CreateApps => role.create_apps,
            Capability::GrantDelegated => role.grant_delegated,
            Capability::GrantApplication => role.grant_application,
            Capability::GrantOtherApplication => role.grant_other_application,
        }
    }

    /// What consenting to an application permission (app role) of the API `resource_app_id` takes.
    pub fn for_app_role(resource_app_id: &str) -> Capability {
        if ROLE_ADMIN_ONLY_APIS.iter().any(|a| a.eq_ignore_ascii_case(resource_app_id)) {
            Capability::GrantApplication
        } else {
            Capability::GrantOtherApplication
        }
    }

    /// "the A, B or C role": every role that allows this, in the table's order.
    pub fn holders(self) -> String {
        let names: Vec<&str> = ROLES.iter().filter(|r| self.allowed_by(r)).map(|r| r.name).collect();
        match names.split_last() {
            Some((last, [])) => format!("the {last} role"),
            Some((last, rest)) => format!("the {} or {last} role", rest.join(", ")),
            None => String::new(),
        }
    }

    pub fn what(self) -> &'static str {
        match self {
            Capability::CreateApps => "Registering applications",
            Capability::GrantDelegated => "Consent to delegated permissions",
            Capability::GrantApplication => "Consent to application permissions of Microsoft Graph or Azure AD Graph",
            Capability::GrantOtherApplication => "Consent to application permissions of other APIs",
        }
    }

    /// "Consent to … needs the A or B role."
    pub fn sentence(self) -> String {
        self.sentence_for("")
    }

    /// The same sentence, saying what it is for: "Consent to … (CR, CI) needs the A or B role."
    pub fn sentence_for(self, which: &str) -> String {
        format!("{}{which} needs {}.", self.what(), self.holders())
    }
}

pub fn by_template(id: &str) -> Option<&'static Role> {
    ROLES.iter().find(|r| r.role_template_id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_from_the_table() {
        assert_eq!(
            Capability::GrantApplication.sentence(),
            "Consent to application permissions of Microsoft Graph or Azure AD Graph needs the Global Administrator or Privileged Role Administrator role."
        );
        assert_eq!(
            Capability::GrantOtherApplication.sentence(),
            "Consent to application permissions of other APIs needs the Global Administrator, Privileged Role Administrator, Application Administrator or Cloud Application Administrator role."
        );
        assert_eq!(Capability::for_app_role("00000003-0000-0000-C000-000000000000"), Capability::GrantApplication);
        assert_eq!(Capability::for_app_role("00000002-0000-0000-c000-000000000000"), Capability::GrantApplication);
        let exchange_online = "00000002-0000-0ff1-ce00-000000000000";
        assert_eq!(Capability::for_app_role(exchange_online), Capability::GrantOtherApplication);
        assert!(Capability::CreateApps.holders().contains("Application Developer"));
        assert!(!Capability::CreateApps.holders().contains("Privileged Role Administrator"));
        assert!(Capability::GrantDelegated.holders().contains("Privileged Role Administrator"));
        assert_eq!(by_template("62E90394-69F5-4237-9190-012177145E10").map(|r| r.name), Some("Global Administrator"));
    }
}
