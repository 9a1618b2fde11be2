//! Answers that differ from tenant to tenant, or rest on behaviour Graph practises but does not document; each off
//! by default and switched on by a test to see the registrar cope.

use serde_json::Value;

use crate::tenant::Reply;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quirks {
    /// A second grant for the same client and resource is answered `400 Request_BadRequest` "Permission entry
    /// already exists." instead of the 409 (microsoft/fhir-server Grant-ClientAppDelegatedPermissions.ps1 handles
    /// both).
    pub duplicate_grant_400: bool,
    /// A service principal upsert must name it: `{}` is refused with 400. Every documented example sends
    /// `displayName` (serviceprincipal-upsert); that an empty body works is practised, not documented.
    pub sp_upsert_needs_display_name: bool,
    /// `Prefer` headers inside `$batch` items are ignored, so an upsert in a batch acts as a plain PATCH (404 for
    /// what does not exist). Public code upserts this way and counts 201/204; Microsoft's docs do not say either
    /// way (json-batching, application-upsert).
    pub batch_ignores_prefer: bool,
    /// `tags/any(t:t eq '…')` on `/applications` refused without advanced-query headers (the application resource
    /// says `tags` supports `$filter` eq; whether the lambda needs `ConsistencyLevel: eventual` is not stated).
    pub tag_filter_needs_advanced_query: bool,
    /// `$expand=oauth2PermissionGrants` on a service principal refused (it is a documented relationship, but no
    /// example expands it).
    pub refuse_grants_expand: bool,
}

/// The 400 for a service principal upsert without a name, when the tenant wants one (worded as Graph words the
/// same omission on an application upsert).
pub(crate) fn unnamed_sp_upsert(quirks: &Quirks, body: &Value) -> Option<Reply> {
    let named = body.get("displayName").and_then(Value::as_str).is_some_and(|n| !n.is_empty());
    (quirks.sp_upsert_needs_display_name && !named).then(|| {
        Reply::error(
            400,
            "Request_BadRequest",
            "A value is required for property 'displayName' of resource 'ServicePrincipal'.",
        )
    })
}
