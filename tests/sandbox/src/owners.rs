//! Who made an application and who owns it: the facts a client needs to tell its own apps from anyone else's.
//!
//! - Any member may register an application and set its `uniqueName` (authorizationPolicy
//!   `defaultUserRolePermissions.allowedToCreateApps`, true by default; application-upsert: "a nonadmin member or
//!   guest with default user permissions"), and stays its owner.
//! - `owners` is a navigation property: returned only with `$expand=owners` (application resource: "Supports
//!   $expand … and $select nested in $expand"), as directoryObjects with their `@odata.type`.
//! - `POST /applications` (application-post-applications) creates and never updates: a `uniqueName` already held —
//!   by a live app or one in deleted items — is refused with 400 "Another object with the same value for property
//!   uniqueName already exists." (msgraph-bicep-types#137). `owners@odata.bind` adds owners at creation (the way the
//!   Azure CLI and Terraform's azuread provider create apps).
//! - An app created by a signed-in user has that user as its owner, as one registered in the portal has its creator.

use serde_json::{json, Map, Value};

use crate::tenant::{App, Reply, Tenant};

impl Tenant {
    /// The tenant's initial domain, which an app registered in it carries as `publisherDomain` until a verified
    /// domain is chosen (application resource).
    pub(crate) fn publisher_domain(&self) -> String {
        let initial = self.domains.iter().find(|(d, _)| d.ends_with(".onmicrosoft.com"));
        initial.or(self.domains.first()).map(|(d, _)| d.clone()).unwrap_or_default()
    }

    /// Owners as Graph expands them: users with their names; an id no user has is shown as a bare directoryObject.
    pub(crate) fn owners_json(&self, owners: &[String]) -> Vec<Value> {
        owners
            .iter()
            .map(|id| {
                let user = if *id == self.user.id {
                    Some((self.user.upn.as_str(), self.user.display_name.as_str()))
                } else {
                    self.members.iter().find(|(m, _, _)| m == id).map(|(_, upn, name)| (upn.as_str(), name.as_str()))
                };
                match user {
                    Some((upn, name)) => json!({
                        "@odata.type": "#microsoft.graph.user", "id": id, "displayName": name, "userPrincipalName": upn
                    }),
                    None => json!({ "@odata.type": "#microsoft.graph.directoryObject", "id": id }),
                }
            })
            .collect()
    }

    /// `POST /applications`: creates, never updates; the caller and any bound owners own the new app.
    pub(crate) fn create_application(&mut self, body: &Value, now: u64) -> Reply {
        if !self.may_register_apps() {
            return crate::routes::denied();
        }
        if body.get("displayName").and_then(Value::as_str).is_none_or(str::is_empty) {
            return Reply::error(
                400,
                "Request_BadRequest",
                "A value is required for property 'displayName' of resource 'Application'.",
            );
        }
        let unique = body.get("uniqueName").and_then(Value::as_str).map(str::to_string);
        if let Some(u) = &unique {
            let held = self.apps.iter().any(|a| a.unique_name.as_deref() == Some(u))
                || self.deleted_apps.iter().any(|(a, _)| a.unique_name.as_deref() == Some(u));
            if held {
                return Reply::error(
                    400,
                    "Request_BadRequest",
                    "Another object with the same value for property uniqueName already exists.",
                );
            }
        }
        let mut owners = vec![self.user.id.clone()];
        for bind in body.get("owners@odata.bind").and_then(Value::as_array).into_iter().flatten() {
            let id = bind.as_str().and_then(|b| b.rsplit('/').next()).unwrap_or_default().to_string();
            if !owners.contains(&id) {
                owners.push(id);
            }
        }
        let mut props = Map::new();
        for (k, v) in body.as_object().into_iter().flatten() {
            if k != "uniqueName" && k != "owners@odata.bind" {
                props.insert(k.clone(), v.clone());
            }
        }
        let (id, app_id) = (self.new_id(), self.new_id());
        let app = App { id, app_id, unique_name: unique, props, created: now, owners };
        let json = self.app_json(&app);
        self.apps.push(app);
        self.note("application created (POST)");
        Reply::json(201, json)
    }

    /// A user of the tenant other than the signed-in admin; returns their object id.
    pub fn seed_member(&mut self, user_principal_name: &str, display_name: &str) -> String {
        let id = self.new_id();
        self.members.push((id.clone(), user_principal_name.to_string(), display_name.to_string()));
        id
    }

    /// An application some member registered under `unique_name`, owned by `owners` (object ids), created at `at`
    /// (ms since the epoch): the squat a client must not adopt unasked. Returns (object id, appId).
    pub fn seed_owned_application(
        &mut self,
        display_name: &str,
        unique_name: Option<&str>,
        owners: &[String],
        at: u64,
    ) -> (String, String) {
        let (id, app_id) = (self.new_id(), self.new_id());
        let mut props = Map::new();
        props.insert("displayName".into(), json!(display_name));
        props.insert("requiredResourceAccess".into(), json!([]));
        self.apps.push(App {
            id: id.clone(),
            app_id: app_id.clone(),
            unique_name: unique_name.map(str::to_string),
            props,
            created: at,
            owners: owners.to_vec(),
        });
        (id, app_id)
    }

    /// Adds a client secret to an app as its owner could, outside any run (its text is never needed).
    pub fn seed_secret(&mut self, object_id: &str, display_name: &str, now: u64) -> Option<String> {
        let body = json!({ "passwordCredential": { "displayName": display_name } });
        let reply = self.handle("POST", &format!("/applications/{object_id}/addPassword"), None, &body, now);
        reply.body["keyId"].as_str().map(str::to_string)
    }

    /// The owners of the live app holding `unique_name`.
    pub fn owners_of(&self, unique_name: &str) -> Vec<String> {
        let app = self.apps.iter().find(|a| a.unique_name.as_deref() == Some(unique_name));
        app.map(|a| a.owners.clone()).unwrap_or_default()
    }
}

/// `owners` is a navigation property: without `$expand=owners`, Graph does not return it.
pub(crate) fn unless_expanded(reply: &mut Reply, query: &str) {
    if query.contains("$expand=owners") || query.contains("%24expand=owners") {
        return;
    }
    let strip = |v: &mut Value| {
        if let Some(o) = v.as_object_mut() {
            o.remove("owners");
        }
    };
    strip(&mut reply.body);
    if let Some(items) = reply.body.get_mut("value").and_then(Value::as_array_mut) {
        items.iter_mut().for_each(strip);
    }
}
