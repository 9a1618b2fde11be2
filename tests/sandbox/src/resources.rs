//! APIs other than Microsoft Graph that a tenant has a service principal for, with their permissions — so a
//! catalog may plan an application permission of another API, whose consent other roles may grant
//! (permissions-reference.md: Application Administrator and Cloud Application Administrator consent to app roles of
//! any API "except for Microsoft Graph and Azure AD Graph"). Office 365 Exchange Online, with the ids Microsoft's
//! EWS guide gives (office-developer-exchange-docs, how-to-authenticate-an-ews-application-by-using-oauth.md:
//! `full_access_as_app` dc890d15-…, `EWS.AccessAsUser.All` 3b5f3d61-…).

use serde_json::{json, Value};

use crate::graph_sp::{self, GRAPH_APP_ID};
use crate::tenant::{guid, Sp};

pub const EXCHANGE_ONLINE_APP_ID: &str = "00000002-0000-0ff1-ce00-000000000000";
/// Azure AD Graph, retired, but its app roles still fall under the stricter consent rule.
pub const AZURE_AD_GRAPH_APP_ID: &str = "00000002-0000-0000-c000-000000000000";

/// (value, id, display name) of Exchange Online's app roles.
const EXCHANGE_ROLES: [(&str, &str, &str); 1] = [(
    "full_access_as_app",
    "dc890d15-9560-4a4c-9b7f-a736ec74ec40",
    "Use Exchange Web Services with full access to all mailboxes",
)];
const EXCHANGE_SCOPES: [(&str, &str, &str); 1] = [(
    "EWS.AccessAsUser.All",
    "3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5",
    "Access mailboxes as the signed-in user via Exchange Web Services",
)];

/// The other APIs' service principals a tenant starts with; their object ids come from their own seed, so the
/// tenant's other ids stay as they were.
pub(crate) fn service_principals(seed: u64) -> Vec<Sp> {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x0ff1_ce00);
    vec![Sp {
        id: guid(&mut rng),
        app_id: EXCHANGE_ONLINE_APP_ID.into(),
        display_name: "Office 365 Exchange Online".into(),
        created: 0,
    }]
}

/// The appRoles and oauth2PermissionScopes of a resource's service principal, if it is one.
pub(crate) fn properties(app_id: &str) -> Option<Value> {
    match app_id {
        GRAPH_APP_ID => Some(graph_sp::properties()),
        EXCHANGE_ONLINE_APP_ID => {
            let roles: Vec<Value> = EXCHANGE_ROLES
                .iter()
                .map(|(value, id, name)| json!({ "id": id, "value": value, "isEnabled": true, "allowedMemberTypes": ["Application"], "displayName": name }))
                .collect();
            let scopes: Vec<Value> = EXCHANGE_SCOPES
                .iter()
                .map(|(value, id, name)| json!({ "id": id, "value": value, "type": "Admin", "isEnabled": true, "adminConsentDisplayName": name }))
                .collect();
            Some(json!({ "appRoles": roles, "oauth2PermissionScopes": scopes }))
        }
        _ => None,
    }
}

/// Whether only Privileged Role Administrators and Global Administrators may consent to this API's app roles.
pub(crate) fn role_admins_only(app_id: &str) -> bool {
    app_id == GRAPH_APP_ID || app_id == AZURE_AD_GRAPH_APP_ID
}
