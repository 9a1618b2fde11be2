//! The built-in catalog: the LUCS components from Luware's registration guide, with the guide's mistakes
//! corrected (the errata are part of the data so users are told about them).
//!
//! Every permission id and admin-consent flag below is Microsoft's: read from
//! github.com/microsoftgraph/microsoft-graph-devx-content `permissions/permissions-descriptions.json`
//! (commit e88c5679), the data behind Graph Explorer, and cross-checked against the id table the Microsoft Graph
//! permissions reference is built from (microsoft-graph-docs-contrib `concepts/includes/permissions-ids.md`,
//! commit 43b49839; learn.microsoft.com/graph/permissions-reference). Application permissions always need admin
//! consent. A run re-checks each id against the tenant's own Microsoft Graph service principal.

use super::{Catalog, Component, Kind, Permission, MICROSOFT_GRAPH_APP_ID};

/// (value, kind, id, admin consent required, Microsoft's admin-consent display name)
type GraphPermission = (&'static str, Kind, &'static str, bool, &'static str);

const PRESENCE_READ_ALL: GraphPermission = (
    "Presence.Read.All",
    Kind::Delegated,
    "9c7a330d-35b3-4aa1-963d-cb2b9f927841",
    false,
    "Read presence information of all users in your organization",
);
const MAILBOX_SETTINGS_READ: GraphPermission = (
    "MailboxSettings.Read",
    Kind::Delegated,
    "87f447af-9fa4-4c32-9dfa-4a57a73d18ce",
    false,
    "Read user mailbox settings",
);
const MAIL_READ: GraphPermission =
    ("Mail.Read", Kind::Delegated, "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", false, "Read user mail");
const MAIL_READ_WRITE: GraphPermission = (
    "Mail.ReadWrite",
    Kind::Delegated,
    "024d486e-b451-40bb-833d-3e66d98c5c73",
    false,
    "Read and write access to user mail",
);
const MAIL_SEND: GraphPermission =
    ("Mail.Send", Kind::Delegated, "e383f46e-2787-4529-855e-0e479a3ffac0", false, "Send mail as a user");
const CALENDARS_READ: GraphPermission =
    ("Calendars.Read", Kind::Delegated, "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42", false, "Read user calendars");
const CALENDARS_READ_SHARED: GraphPermission = (
    "Calendars.Read.Shared",
    Kind::Delegated,
    "2b9c4092-424d-4249-948d-b43879977640",
    false,
    "Read user and shared calendars",
);
const CONTACTS_READ: GraphPermission =
    ("Contacts.Read", Kind::Delegated, "ff74d97f-43af-4b68-9f2a-b77ee6968c5d", false, "Read user contacts");
const USER_READ: GraphPermission =
    ("User.Read", Kind::Delegated, "e1fe6dd8-ba31-4d61-89e7-88639da4683d", false, "Sign in and read user profile");
const FILES_READ_WRITE_ALL: GraphPermission = (
    "Files.ReadWrite.All",
    Kind::Delegated,
    "863451e7-0667-486c-a5d6-d135439485f0",
    false,
    "Have full access to all files user can access",
);
const USER_READ_ALL_APP: GraphPermission =
    ("User.Read.All", Kind::Application, "df021288-bdef-4463-88db-98f22de89214", true, "Read all users' full profiles");

/// Every Microsoft Graph permission the built-in catalog uses, for the tests and the sandbox tenant.
pub const GRAPH_PERMISSIONS: [GraphPermission; 11] = [
    PRESENCE_READ_ALL,
    MAILBOX_SETTINGS_READ,
    MAIL_READ,
    MAIL_READ_WRITE,
    MAIL_SEND,
    CALENDARS_READ,
    CALENDARS_READ_SHARED,
    CONTACTS_READ,
    USER_READ,
    FILES_READ_WRITE_ALL,
    USER_READ_ALL_APP,
];

const USERS_READ_ERRATUM: &str =
    "The vendor's guide says \"Users.Read\"; Microsoft Graph has no such permission. Corrected to User.Read.";
const USERS_READ_ALL_ERRATUM: &str =
    "The vendor's guide says \"Users.Read.All\"; Microsoft Graph has no such permission. Corrected to User.Read.All.";
const EXCHANGE_API_ERRATUM: &str =
    "The vendor's guide says \"O365 Exchange API\"; these permissions all belong to Microsoft Graph \
     (00000003-0000-0000-c000-000000000000), not to the \"Office 365 Exchange Online\" resource.";
const SECRET_NOTE: &str =
    "Application permissions need a credential to be used, so a client secret is created by default for this component.";

fn permission(p: GraphPermission, optional: bool) -> Permission {
    let (value, kind, id, admin_consent_required, description) = p;
    Permission {
        resource_app_id: MICROSOFT_GRAPH_APP_ID.to_string(),
        value: value.to_string(),
        kind,
        id: id.to_string(),
        admin_consent_required,
        optional,
        description: Some(description.to_string()),
    }
}

fn component(code: &str, name: &str, purpose: &str, multi: bool, errata: &[&str], perms: Vec<Permission>) -> Component {
    Component {
        code: code.to_string(),
        name: name.to_string(),
        purpose: purpose.to_string(),
        multi_instance: multi,
        errata: errata.iter().map(|e| e.to_string()).collect(),
        permissions: perms,
    }
}

/// The catalog shipped with the product.
pub fn builtin() -> Catalog {
    let req = |p| permission(p, false);
    let mail = || vec![req(MAILBOX_SETTINGS_READ), req(MAIL_READ), req(MAIL_READ_WRITE), req(MAIL_SEND)];
    let app_only_user_dir = |code: &str, name: &str, purpose: &str| {
        component(code, name, purpose, false, &[USERS_READ_ALL_ERRATUM, SECRET_NOTE], vec![req(USER_READ_ALL_APP)])
    };
    let mut ci = mail();
    ci.extend([req(CALENDARS_READ), permission(CALENDARS_READ_SHARED, true), req(CONTACTS_READ), req(USER_READ)]);
    let mut cr = mail();
    cr.extend([req(FILES_READ_WRITE_ALL), req(USER_READ)]);
    Catalog {
        profile: "LUCS (Luware Team Manager app registration guide, corrected)".to_string(),
        components: vec![
            component(
                "AC",
                "Agent Controller",
                "Get user presence over Graph API",
                false,
                &["The vendor's guide names no permission for the Agent Controller; Presence.Read.All (delegated) is the one \
                   Luware's newer Team Manager documentation names."],
                vec![req(PRESENCE_READ_ALL)],
            ),
            component(
                "CI",
                "Calendar Integration",
                "Read and write O365/Exchange calendars (e.g. opening hours)",
                true,
                &[
                    USERS_READ_ERRATUM,
                    EXCHANGE_API_ERRATUM,
                    "Calendars.Read.Shared is only needed for shared calendars; it is optional and off by default.",
                ],
                ci,
            ),
            app_only_user_dir("CIC", "Customer Infrastructure Connector", "User directory synchronization"),
            component(
                "CR",
                "Conversation Recording",
                "Call recording and send via e-mail",
                true,
                &[USERS_READ_ERRATUM, EXCHANGE_API_ERRATUM],
                cr,
            ),
            app_only_user_dir("FE", "Frontend of the Web Application", "User authentication"),
            app_only_user_dir("GalReader", "Global Address List Reader", "User directory synchronization & caching for search"),
            component("TeamsAA", "MS Teams AA", "O365 user authentication for login", false, &[USERS_READ_ERRATUM], vec![req(USER_READ)]),
            app_only_user_dir("WebConfigurator", "Web Configurator", "User authentication"),
        ],
    }
}
