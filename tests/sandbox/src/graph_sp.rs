//! The Microsoft Graph service principal as a tenant shows it: real ids and values of the permissions LUCS uses,
//! plus the same names' other-kind ids (so a kind mix-up is caught), from Microsoft's published permission data
//! (microsoft-graph-devx-content permissions-descriptions.json and provisioningInfo.json).

use serde_json::{json, Value};

pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// (value, id, admin consent display name)
const SCOPES: [(&str, &str, &str); 11] = [
    (
        "Presence.Read.All",
        "9c7a330d-35b3-4aa1-963d-cb2b9f927841",
        "Read presence information of all users in your organization",
    ),
    ("MailboxSettings.Read", "87f447af-9fa4-4c32-9dfa-4a57a73d18ce", "Read user mailbox settings"),
    ("Mail.Read", "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", "Read user mail"),
    ("Mail.ReadWrite", "024d486e-b451-40bb-833d-3e66d98c5c73", "Read and write access to user mail"),
    ("Mail.Send", "e383f46e-2787-4529-855e-0e479a3ffac0", "Send mail as a user"),
    ("Calendars.Read", "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42", "Read user calendars"),
    ("Calendars.Read.Shared", "2b9c4092-424d-4249-948d-b43879977640", "Read user and shared calendars"),
    ("Contacts.Read", "ff74d97f-43af-4b68-9f2a-b77ee6968c5d", "Read user contacts"),
    ("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "Sign in and read user profile"),
    ("Files.ReadWrite.All", "863451e7-0667-486c-a5d6-d135439485f0", "Have full access to all files user can access"),
    ("User.Read.All", "a154be20-db9c-4678-8ab7-66f6cc099a59", "Read all users' full profiles"),
];

const ROLES: [(&str, &str, &str); 2] = [
    ("User.Read.All", "df021288-bdef-4463-88db-98f22de89214", "Read all users' full profiles"),
    ("Presence.Read.All", "a70e0c2d-e793-494c-94c4-118fa0a67f42", "Read presence information for all users"),
];

pub fn properties() -> Value {
    let scopes: Vec<Value> = SCOPES
        .iter()
        .map(|(value, id, name)| {
            json!({ "id": id, "value": value, "type": "Admin", "isEnabled": true, "adminConsentDisplayName": name })
        })
        .collect();
    let roles: Vec<Value> = ROLES
        .iter()
        .map(|(value, id, name)| {
            json!({ "id": id, "value": value, "isEnabled": true, "allowedMemberTypes": ["Application"], "displayName": name })
        })
        .collect();
    json!({ "appRoles": roles, "oauth2PermissionScopes": scopes })
}
