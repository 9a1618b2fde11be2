//! The tenant's directory: applications, service principals, grants, app role assignments, secrets, the
//! organization and the signed-in user. One request at a time, as Microsoft Graph v1.0 answers it.

use serde_json::{json, Map, Value};

use crate::faults::Faults;
use crate::graph_sp::GRAPH_APP_ID;

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Reply {
        Reply { status, headers: vec![], body }
    }

    pub fn empty(status: u16) -> Reply {
        Reply { status, headers: vec![], body: Value::Null }
    }

    /// Graph's error shape.
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        let inner = json!({ "date": "2026-01-01T00:00:00", "request-id": "sandbox", "client-request-id": "sandbox" });
        Reply::json(status, json!({ "error": { "code": code, "message": message, "innerError": inner } }))
    }

    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

pub struct User {
    pub id: String,
    pub upn: String,
    pub display_name: String,
    /// Directory roles assigned to the user directly and active, by display name, e.g. "Global Administrator".
    pub roles: Vec<String>,
    /// Roles held through a role-assignable group the user is a member of (active, but not in /me/memberOf).
    pub group_roles: Vec<String>,
    /// Roles the user is eligible for in Privileged Identity Management but has not activated: they grant
    /// nothing until activated and appear in neither memberOf nor transitiveMemberOf.
    pub eligible_roles: Vec<String>,
    /// (role, directoryScopeId) of roles the user is eligible for on one app or administrative unit only.
    pub scoped_eligible_roles: Vec<(String, String)>,
}

pub(crate) struct App {
    pub id: String,
    pub app_id: String,
    pub unique_name: Option<String>,
    pub props: Map<String, Value>,
    pub created: u64,
    /// Directory object ids of the app's owners (users of this tenant: the signed-in admin or `members`).
    pub owners: Vec<String>,
}

pub(crate) struct Sp {
    pub id: String,
    pub app_id: String,
    pub display_name: String,
    pub created: u64,
}

pub(crate) struct Grant {
    pub id: String,
    pub client_id: String,
    pub consent_type: String,
    pub resource_id: String,
    pub scope: String,
}

pub(crate) struct Assignment {
    pub id: String,
    pub principal_id: String,
    pub resource_id: String,
    pub app_role_id: String,
}

pub(crate) struct Password {
    pub app: String,
    pub key_id: String,
    pub display_name: Value,
    pub hint: String,
    pub end: Value,
}

pub struct Tenant {
    pub id: String,
    pub display_name: String,
    /// (domain, is default)
    pub domains: Vec<(String, bool)>,
    pub user: User,
    /// Other users of the tenant (id, userPrincipalName, displayName): any member may register applications and
    /// own them (authorizationPolicy `allowedToCreateApps`, true by default).
    pub members: Vec<(String, String, String)>,
    pub faults: Faults,
    /// Real Graph refuses a second grant for the same client and resource; the soak turns this off to count
    /// duplicates a buggy client would make.
    pub refuse_duplicates: bool,
    /// Collection page size before @odata.nextLink.
    pub page_size: usize,
    /// How many requests were refused with 401 by the expired-token fault.
    pub expired_tokens: u64,
    /// How often each modelled behaviour happened (replication variants, duplicates, lost replies per kind of
    /// write), for the soak's tally.
    pub tally: std::collections::BTreeMap<String, u64>,
    /// The delegated scopes of the token the current request carries (the HTTP server sets them per request;
    /// in-process callers set them to model a token). Every call is checked against them.
    pub token_scopes: Vec<String>,
    /// Every write request the tenant acted on, as "METHOD url body": tests read what reached an object.
    pub writes: Vec<String>,
    pub(crate) rng: fastrand::Rng,
    pub(crate) graph_sp_id: String,
    pub(crate) apps: Vec<App>,
    /// Soft-deleted applications: restorable for 30 days, and their uniqueName stays taken meanwhile.
    pub(crate) deleted_apps: Vec<(App, u64)>,
    pub(crate) sps: Vec<Sp>,
    pub(crate) grants: Vec<Grant>,
    pub(crate) assignments: Vec<Assignment>,
    pub(crate) passwords: Vec<Password>,
    /// Whether every member may register applications (`policy.rs`).
    pub authorization_policy: crate::policy::AuthorizationPolicy,
    /// Answers that differ between tenants or that Graph does not document (`quirks.rs`).
    pub quirks: crate::quirks::Quirks,
    /// The tenant's app management policies (`app_policy.rs`).
    pub app_policies: crate::app_policy::AppPolicies,
    /// (credential key id, last sign-in ms): the beta sign-in activity report (`sign_ins.rs`).
    pub sign_ins: Vec<(String, u64)>,
    /// (application object id, when) of the last credential write that went through on each app (`concurrency.rs`).
    pub(crate) credential_writes: Vec<(String, u64)>,
}

impl Tenant {
    pub fn new(seed: u64) -> Tenant {
        let mut rng = fastrand::Rng::with_seed(seed);
        let id = guid(&mut rng);
        let graph_sp_id = guid(&mut rng);
        let user_id = guid(&mut rng);
        let mut tenant = Tenant {
            id,
            display_name: "Contoso (sandbox)".to_string(),
            domains: vec![("contoso.onmicrosoft.com".to_string(), false), ("contoso.example".to_string(), true)],
            user: User {
                id: user_id,
                upn: "admin@contoso.example".to_string(),
                display_name: "Sandbox Admin".to_string(),
                roles: vec!["Global Administrator".to_string()],
                group_roles: vec![],
                eligible_roles: vec![],
                scoped_eligible_roles: vec![],
            },
            members: vec![],
            faults: Faults::none(),
            refuse_duplicates: true,
            page_size: 100,
            expired_tokens: 0,
            tally: Default::default(),
            writes: vec![],
            token_scopes: crate::token::ADMIN_SCOPES.split(' ').map(str::to_string).collect(),
            rng,
            graph_sp_id: graph_sp_id.clone(),
            apps: vec![],
            deleted_apps: vec![],
            sps: vec![],
            grants: vec![],
            assignments: vec![],
            passwords: vec![],
            authorization_policy: Default::default(),
            quirks: Default::default(),
            app_policies: Default::default(),
            sign_ins: vec![],
            credential_writes: vec![],
        };
        tenant.sps.push(Sp {
            id: graph_sp_id,
            app_id: GRAPH_APP_ID.into(),
            display_name: "Microsoft Graph".into(),
            created: 0,
        });
        tenant.sps.extend(crate::resources::service_principals(seed));
        tenant
    }

    pub fn graph_sp_id(&self) -> &str {
        &self.graph_sp_id
    }

    pub(crate) fn note(&mut self, what: &str) {
        *self.tally.entry(what.to_string()).or_default() += 1;
    }

    pub(crate) fn new_id(&mut self) -> String {
        guid(&mut self.rng)
    }

    /// Active roles count, whether assigned directly or through a group; PIM-eligible ones do not.
    pub(crate) fn has_role(&self, any_of: &[&str]) -> bool {
        self.user.roles.iter().chain(&self.user.group_roles).any(|r| any_of.contains(&r.as_str()))
    }

    /// Still within the replication window: dependent calls do not see it yet.
    pub(crate) fn replicating(&self, created: u64, now: u64) -> bool {
        now < created.saturating_add(self.faults.replication_ms)
    }

    pub(crate) fn app_json(&self, a: &App) -> Value {
        let mut v = Value::Object(a.props.clone());
        v["id"] = json!(a.id);
        v["appId"] = json!(a.app_id);
        v["uniqueName"] = json!(a.unique_name);
        // passwordCredentials list every secret by keyId, displayName and hint, never its text (application
        // resource; application-addpassword: "There is no way to retrieve this password in the future").
        let creds: Vec<Value> = self
            .passwords
            .iter()
            .filter(|p| p.app == a.id)
            .map(|p| json!({ "keyId": p.key_id, "displayName": p.display_name, "hint": p.hint, "endDateTime": p.end, "secretText": null }))
            .collect();
        v["passwordCredentials"] = json!(creds);
        v["keyCredentials"] = v.get("keyCredentials").cloned().unwrap_or(json!([]));
        v["createdDateTime"] = json!(crate::directory::iso(a.created));
        v["publisherDomain"] = json!(self.publisher_domain());
        v["owners"] = json!(self.owners_json(&a.owners));
        v
    }

    pub(crate) fn sp_json(&self, sp: &Sp) -> Value {
        let mut v = json!({ "id": sp.id, "appId": sp.app_id, "displayName": sp.display_name });
        if let Some(props) = crate::resources::properties(&sp.app_id) {
            v["appRoles"] = props["appRoles"].clone();
            v["oauth2PermissionScopes"] = props["oauth2PermissionScopes"].clone();
        }
        v
    }

    /// What exists, for tests: (uniqueName or appId, count) of apps per key, SPs per appId, grants and
    /// assignments per client — any count above 1 is a duplicate.
    pub fn duplicates(&self) -> Vec<String> {
        let mut out = Vec::new();
        for a in &self.apps {
            if let Some(u) = &a.unique_name {
                if self.apps.iter().filter(|b| b.unique_name.as_ref() == Some(u)).count() > 1 {
                    out.push(format!("application {u}"));
                }
            }
        }
        for s in &self.sps {
            if self.sps.iter().filter(|t| t.app_id == s.app_id).count() > 1 {
                out.push(format!("service principal {}", s.app_id));
            }
        }
        for g in &self.grants {
            let same = |h: &&Grant| {
                h.client_id == g.client_id && h.resource_id == g.resource_id && h.consent_type == g.consent_type
            };
            if self.grants.iter().filter(same).count() > 1 {
                out.push(format!("grant {}", g.client_id));
            }
        }
        for a in &self.assignments {
            let same = |b: &&Assignment| {
                b.principal_id == a.principal_id && b.resource_id == a.resource_id && b.app_role_id == a.app_role_id
            };
            if self.assignments.iter().filter(same).count() > 1 {
                out.push(format!("assignment {}", a.principal_id));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The app registered under `unique_name`, with its service principal, delegated scopes (per resource appId)
    /// and assigned app role ids — what a test asserts a run produced.
    pub fn registration(&self, unique_name: &str) -> Option<Registration> {
        let app = self.apps.iter().find(|a| a.unique_name.as_deref() == Some(unique_name))?;
        Some(self.registration_of(app))
    }

    /// The same for an app addressed by its Application ID (one registered by hand has no uniqueName).
    pub fn registration_by_app_id(&self, app_id: &str) -> Option<Registration> {
        let app = self.apps.iter().find(|a| a.app_id == app_id)?;
        Some(self.registration_of(app))
    }

    fn registration_of(&self, app: &App) -> Registration {
        let sp = self.sps.iter().find(|s| s.app_id == app.app_id);
        let sp_id = sp.map(|s| s.id.clone());
        let scopes = self
            .grants
            .iter()
            .filter(|g| Some(&g.client_id) == sp_id.as_ref())
            .map(|g| g.scope.clone())
            .collect::<Vec<_>>()
            .join(" ");
        let roles = self
            .assignments
            .iter()
            .filter(|a| Some(&a.principal_id) == sp_id.as_ref())
            .map(|a| a.app_role_id.clone())
            .collect();
        Registration {
            object_id: app.id.clone(),
            app_id: app.app_id.clone(),
            display_name: app.props.get("displayName").and_then(Value::as_str).unwrap_or("").to_string(),
            body: Value::Object(app.props.clone()),
            service_principal_id: sp_id,
            scopes,
            app_role_ids: roles,
            secrets: self.passwords.iter().filter(|p| p.app == app.id).count(),
        }
    }

    /// What tests and the demo page read back: the tenant, every application with its ids, duplicates, and
    /// how many Graph requests were served.
    pub fn summary(&self, requests: u64) -> Value {
        let apps: Vec<Value> = self
            .apps
            .iter()
            .map(|a| {
                let reg = Some(self.registration_of(a));
                json!({
                    "uniqueName": a.unique_name,
                    "displayName": a.props.get("displayName"),
                    "appId": a.app_id,
                    "objectId": a.id,
                    "servicePrincipalId": reg.as_ref().and_then(|r| r.service_principal_id.clone()),
                    "scopes": reg.as_ref().map(|r| r.scopes.clone()),
                    "appRoleIds": reg.as_ref().map(|r| r.app_role_ids.clone()),
                    "secrets": reg.as_ref().map(|r| r.secrets),
                    "requiredResourceAccess": a.props.get("requiredResourceAccess"),
                })
            })
            .collect();
        json!({
            "tenantId": self.id,
            "user": { "id": self.user.id, "upn": self.user.upn, "roles": self.user.roles },
            "applications": apps,
            "duplicates": self.duplicates(),
            "graphRequests": requests,
            "writeRequests": self.writes.len(),
            "expiredTokens": self.expired_tokens,
        })
    }

    pub fn application_count(&self) -> usize {
        self.apps.len()
    }

    /// Applications in deleted items (soft-deleted, restorable).
    pub fn deleted_count(&self) -> usize {
        self.deleted_apps.len()
    }

    /// The key ids of the secrets an application holds.
    pub fn secret_key_ids(&self, unique_name: &str) -> Vec<String> {
        let Some(app) = self.apps.iter().find(|a| a.unique_name.as_deref() == Some(unique_name)) else {
            return vec![];
        };
        self.passwords.iter().filter(|p| p.app == app.id).map(|p| p.key_id.clone()).collect()
    }

    /// An application someone deleted (it sits in deleted items, holding its uniqueName), as after a rollback by
    /// an older tool or by hand in the portal.
    pub fn seed_deleted_application(&mut self, display_name: &str, unique_name: &str, deleted_at: u64) -> String {
        let (id, app_id) = (self.new_id(), self.new_id());
        let mut props = Map::new();
        props.insert("displayName".into(), json!(display_name));
        props.insert("requiredResourceAccess".into(), json!([]));
        let app = App {
            id: id.clone(),
            app_id,
            unique_name: Some(unique_name.to_string()),
            props,
            created: 0,
            owners: vec![],
        };
        self.deleted_apps.push((app, deleted_at));
        id
    }

    /// Registers an application as the signed-in admin would in the portal (for tests of existing apps): its
    /// creator is its owner.
    pub fn seed_application(&mut self, display_name: &str, unique_name: Option<&str>) -> (String, String) {
        let admin = [self.user.id.clone()];
        self.seed_owned_application(display_name, unique_name, &admin, 0)
    }
}

#[derive(Debug, Clone)]
pub struct Registration {
    pub object_id: String,
    pub app_id: String,
    pub display_name: String,
    pub body: Value,
    pub service_principal_id: Option<String>,
    pub scopes: String,
    pub app_role_ids: Vec<String>,
    pub secrets: usize,
}

pub fn guid(rng: &mut fastrand::Rng) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        rng.u32(..),
        rng.u16(..),
        rng.u16(..0x1000),
        8 + rng.u8(..4),
        rng.u16(..0x1000),
        rng.u64(..1 << 48)
    )
}
