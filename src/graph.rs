//! Microsoft Graph request bodies, shaped exactly as the v1.0 `application` resource documents them
//! (learn.microsoft.com/graph/api/resources/application). Field names are Graph's; absent optional settings are
//! left out so an update never clears what the admin configured by hand.

use serde::Serialize;

/// Single tenant: LUCS apps serve one organisation.
pub const SIGN_IN_AUDIENCE: &str = "AzureADMyOrg";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub display_name: String,
    pub sign_in_audience: String,
    pub tags: Vec<String>,
    pub notes: String,
    pub required_resource_access: Vec<RequiredResourceAccess>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<RedirectSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spa: Option<RedirectSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_client: Option<RedirectSettings>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequiredResourceAccess {
    pub resource_app_id: String,
    pub resource_access: Vec<ResourceAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceAccess {
    pub id: String,
    /// "Scope" (delegated) or "Role" (application).
    #[serde(rename = "type")]
    pub kind: String,
}

/// `web`, `spa` and `publicClient` all carry `redirectUris`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectSettings {
    pub redirect_uris: Vec<String>,
}

impl RedirectSettings {
    pub fn from_uris(uris: &[String]) -> Option<Self> {
        (!uris.is_empty()).then(|| RedirectSettings { redirect_uris: uris.to_vec() })
    }
}
