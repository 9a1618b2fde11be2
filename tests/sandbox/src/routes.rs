//! One Graph request against the tenant: URL → handler. Alternate keys `(uniqueName='…')`/`(appId='…')`, upsert
//! with `Prefer: create-if-missing` (201 created, 204 updated), replication windows for dependent calls, paging.

use serde_json::{json, Map, Value};

use crate::tenant::{App, Password, Reply, Sp, Tenant};

pub(crate) const NOT_PRESENT: &str = "does not exist or one of its queried reference-property objects are not present.";

pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `name(key='value')` → (name, Some((key, value))), OData quotes undoubled.
fn segment(s: &str) -> (&str, Option<(&str, String)>) {
    match s.split_once('(') {
        Some((name, rest)) => {
            let inner = rest.strip_suffix(')').unwrap_or(rest);
            match inner.split_once('=') {
                Some((k, v)) => (name, Some((k, v.trim_matches('\'').replace("''", "'")))),
                None => (name, Some(("id", inner.trim_matches('\'').to_string()))),
            }
        }
        None => (s, None),
    }
}

/// The `$filter` clauses `field eq 'value'` joined by `and`.
pub(crate) fn filter_eq(query: &str) -> Vec<(String, String)> {
    let filter = query.split('&').find_map(|p| p.strip_prefix("$filter=")).map(percent_decode).unwrap_or_default();
    filter
        .split(" and ")
        .filter_map(|c| {
            let (k, v) = c.split_once(" eq ")?;
            Some((k.trim().to_string(), v.trim().trim_matches('\'').replace("''", "'")))
        })
        .collect()
}

fn skip_token(query: &str) -> usize {
    query.split('&').find_map(|p| p.strip_prefix("$skiptoken=")).and_then(|v| v.parse().ok()).unwrap_or(0)
}

impl Tenant {
    pub(crate) fn page(&self, items: Vec<Value>, path: &str, query: &str) -> Reply {
        let start = skip_token(query).min(items.len());
        let end = (start + self.page_size).min(items.len());
        let mut body = json!({ "value": items[start..end] });
        if end < items.len() {
            let rest: Vec<&str> = query.split('&').filter(|p| !p.starts_with("$skiptoken=") && !p.is_empty()).collect();
            let mut q = rest.join("&");
            if !q.is_empty() {
                q.push('&');
            }
            body["@odata.nextLink"] = json!(format!("https://graph.microsoft.com/v1.0{path}?{q}$skiptoken={end}"));
        }
        Reply::json(200, body)
    }

    /// Handles one request (no faults). `url` is Graph-relative, e.g. `/applications(uniqueName='x')?$select=id`.
    pub fn handle(&mut self, method: &str, url: &str, prefer: Option<&str>, body: &Value, now: u64) -> Reply {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let create_if_missing = prefer.is_some_and(|p| p.contains("create-if-missing"));
        if method != "GET" {
            self.writes.push(format!("{method} {url} {body}"));
        }
        if let Some(denied) = crate::scopes::refuse(&self.token_scopes, method, &segs) {
            return denied;
        }
        if let Some(mut reply) = self.directory(method, &segs, path, query, now) {
            crate::owners::unless_expanded(&mut reply, query);
            return reply;
        }
        if let Some(mut reply) = self.applications(method, &segs, (path, query), create_if_missing, body, now) {
            crate::owners::unless_expanded(&mut reply, query);
            return reply;
        }
        if let Some(reply) = self.consent_objects(method, &segs, path, query, body, now) {
            return reply;
        }
        if let Some(reply) = self.sign_in_routes(method, &segs, query) {
            return reply;
        }
        match (method, segs.as_slice()) {
            ("GET", ["organization"]) => {
                let domains: Vec<Value> = self
                    .domains
                    .iter()
                    .map(|(name, default)| json!({ "name": name, "isDefault": default, "isInitial": name.ends_with(".onmicrosoft.com") }))
                    .collect();
                Reply::json(
                    200,
                    json!({ "value": [{ "id": self.id, "displayName": self.display_name, "verifiedDomains": domains }] }),
                )
            }
            ("GET", ["me"]) => Reply::json(
                200,
                json!({ "id": self.user.id, "userPrincipalName": self.user.upn, "displayName": self.user.display_name }),
            ),
            ("GET", [s]) if s.starts_with("servicePrincipals(") && query.contains("expand=") => match segment(s).1 {
                Some(("appId", app_id)) => self.sp_expanded(&app_id, query),
                _ => Reply::error(400, "BadRequest", "Invalid key"),
            },
            (_, [s]) if s.starts_with("servicePrincipals(") => self.sp_by_key(method, s, create_if_missing, body, now),
            ("GET", ["servicePrincipals", id]) => match self.sps.iter().find(|s| s.id == *id) {
                Some(sp) => Reply::json(200, self.sp_json(sp)),
                None => not_found(id),
            },
            ("DELETE", ["servicePrincipals", id]) => {
                let before = self.sps.len();
                self.sps.retain(|s| s.id != *id);
                if before == self.sps.len() {
                    return not_found(id);
                }
                self.grants.retain(|g| g.client_id != *id);
                self.assignments.retain(|a| a.principal_id != *id);
                Reply::empty(204)
            }
            _ => Reply::error(400, "BadRequest", &format!("Resource not found for the segment '{path}'.")),
        }
    }

    /// `/applications…`: by key (upsert), by id, and their passwords.
    fn applications(
        &mut self,
        method: &str,
        segs: &[&str],
        (path, query): (&str, &str),
        create: bool,
        body: &Value,
        now: u64,
    ) -> Option<Reply> {
        Some(match (method, segs) {
            (_, [s]) if s.starts_with("applications(") => self.application_by_key(method, s, create, body, now),
            ("POST", ["applications"]) => self.create_application(body, now),
            ("GET", ["applications"]) => self.list_applications(path, query),
            ("GET", ["applications", id]) => match self.apps.iter().find(|a| a.id == *id) {
                Some(a) => Reply::json(200, self.app_json(a)),
                None => not_found(id),
            },
            ("PATCH", ["applications", id]) => {
                if !self.may_register_apps() {
                    return Some(denied());
                }
                match self.apps.iter_mut().find(|a| a.id == *id) {
                    Some(a) => {
                        merge(&mut a.props, body);
                        Reply::empty(204)
                    }
                    None => not_found(id),
                }
            }
            ("DELETE", ["applications", id]) => self.delete_application(id, now),
            ("POST", ["applications", id, "addPassword"]) => self.add_password(id, body, now),
            ("POST", ["applications", id, "removePassword"]) => {
                let key = body["keyId"].as_str().unwrap_or("");
                let before = self.passwords.len();
                self.passwords.retain(|p| !(p.app == *id && p.key_id == key));
                if before == self.passwords.len() {
                    not_found(key)
                } else {
                    Reply::empty(204)
                }
            }
            _ => return None,
        })
    }

    fn application_by_key(&mut self, method: &str, seg: &str, create: bool, body: &Value, now: u64) -> Reply {
        let (_, key) = segment(seg);
        let Some((field, value)) = key else { return Reply::error(400, "BadRequest", "Invalid key") };
        let pos = self.apps.iter().position(|a| match field {
            "uniqueName" => a.unique_name.as_deref() == Some(value.as_str()),
            "appId" => a.app_id == value,
            _ => a.id == value,
        });
        match method {
            "GET" => match pos {
                Some(i) => Reply::json(200, self.app_json(&self.apps[i])),
                None => not_found(&value),
            },
            "PATCH" => {
                if !self.may_register_apps() {
                    return denied();
                }
                // An upsert must carry displayName (application-upsert); a plain update need not.
                if create && body.get("displayName").and_then(Value::as_str).is_none_or(str::is_empty) {
                    return Reply::error(
                        400,
                        "Request_BadRequest",
                        "A value is required for property 'displayName' of resource 'Application'.",
                    );
                }
                match pos {
                    Some(i) => {
                        merge(&mut self.apps[i].props, body);
                        Reply::empty(204)
                    }
                    None if create
                        && field == "uniqueName"
                        && self.deleted_apps.iter().any(|(a, _)| a.unique_name.as_deref() == Some(value.as_str())) =>
                    {
                        // A soft-deleted application keeps its uniqueName for its 30 days in deleted items
                        // (microsoftgraph/msgraph-bicep-types#137).
                        Reply::error(
                            400,
                            "Request_BadRequest",
                            "Another object with the same value for property uniqueName already exists.",
                        )
                    }
                    None if create && field == "uniqueName" => {
                        let (id, app_id) = (self.new_id(), self.new_id());
                        let mut props = Map::new();
                        merge(&mut props, body);
                        let owners = vec![self.user.id.clone()];
                        let app = App { id, app_id, unique_name: Some(value), props, created: now, owners };
                        let json = self.app_json(&app);
                        self.apps.push(app);
                        Reply::json(201, json)
                    }
                    None => not_found(&value),
                }
            }
            _ => {
                Reply::error(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
            }
        }
    }

    fn sp_by_key(&mut self, method: &str, seg: &str, create: bool, body: &Value, now: u64) -> Reply {
        let (_, key) = segment(seg);
        let Some((_, app_id)) = key else { return Reply::error(400, "BadRequest", "Invalid key") };
        let pos = self.sps.iter().position(|s| s.app_id == app_id);
        if let Some(refused) =
            crate::quirks::unnamed_sp_upsert(&self.quirks, body).filter(|_| create && method == "PATCH")
        {
            return refused;
        }
        match (method, pos) {
            ("GET", Some(i)) => Reply::json(200, self.sp_json(&self.sps[i])),
            ("GET", None) => not_found(&app_id),
            ("PATCH", _) if !self.may_register_apps() => denied(),
            ("PATCH", Some(i)) => {
                if let Some(n) = body["displayName"].as_str() {
                    self.sps[i].display_name = n.to_string();
                }
                Reply::empty(204)
            }
            ("PATCH", None) if create => {
                let Some(app) = self.apps.iter().find(|a| a.app_id == app_id) else {
                    let message = format!(
                        "The appId '{app_id}' of the service principal does not reference a valid application object."
                    );
                    return Reply::error(400, "Request_BadRequest", &message);
                };
                if self.replicating(app.created, now) {
                    let variant = self.rng.bool();
                    self.note(if variant {
                        "replication: service principal 400 no valid application object"
                    } else {
                        "replication: service principal 403 backing application"
                    });
                    let message = if variant {
                        format!("The appId '{app_id}' of the service principal does not reference a valid application object.")
                    } else {
                        "When using this permission, the backing application of the service principal being created must in the local tenant".to_string()
                    };
                    let status = if message.starts_with("When") { 403 } else { 400 };
                    let code = if status == 403 { "Authorization_RequestDenied" } else { "Request_BadRequest" };
                    return Reply::error(status, code, &message);
                }
                let name = body["displayName"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| app.props.get("displayName").and_then(Value::as_str).unwrap_or("").to_string());
                let sp = Sp { id: self.new_id(), app_id, display_name: name, created: now };
                let json = self.sp_json(&sp);
                self.sps.push(sp);
                Reply::json(201, json)
            }
            ("PATCH", None) => not_found(&app_id),
            _ => {
                Reply::error(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
            }
        }
    }

    fn add_password(&mut self, id: &str, body: &Value, now: u64) -> Reply {
        if !self.may_register_apps() {
            return denied();
        }
        match self.apps.iter().find(|a| a.id == id) {
            Some(a) if !self.replicating(a.created, now) => {}
            Some(_) => {
                self.note("replication: addPassword 404 Request_ResourceNotFound");
                return Reply::error(404, "Request_ResourceNotFound", &format!("Resource '{id}' {NOT_PRESENT}"));
            }
            None => return not_found(id),
        }
        let cred = &body["passwordCredential"];
        if let Some(refused) = self.refuse_secret(id, cred["endDateTime"].as_str(), now) {
            return refused;
        }
        let key_id = self.new_id();
        let secret: String = (0..40).map(|_| self.rng.alphanumeric()).collect();
        self.passwords.push(Password {
            app: id.to_string(),
            key_id: key_id.clone(),
            display_name: cred["displayName"].clone(),
            hint: secret[..3].to_string(),
            end: cred["endDateTime"].clone(),
        });
        Reply::json(
            200,
            json!({
                "keyId": key_id,
                "displayName": cred["displayName"],
                "endDateTime": cred["endDateTime"],
                "hint": &secret[..3],
                "secretText": secret,
            }),
        )
    }

    /// `DELETE /applications/{id}` moves the app to deleted items for 30 days (application-delete; Applications.yml
    /// "can be restored within 30 days").
    fn delete_application(&mut self, id: &str, now: u64) -> Reply {
        let Some(i) = self.apps.iter().position(|a| a.id == id) else { return not_found(id) };
        let app = self.apps.remove(i);
        // Deleting an application removes its service principal, and with it the grants and assignments.
        if let Some(sp) = self.sps.iter().position(|s| s.app_id == app.app_id) {
            let sp = self.sps.remove(sp);
            self.grants.retain(|g| g.client_id != sp.id);
            self.assignments.retain(|a| a.principal_id != sp.id);
        }
        self.deleted_apps.push((app, now));
        Reply::empty(204)
    }
}

fn merge(props: &mut Map<String, Value>, body: &Value) {
    if let Some(b) = body.as_object() {
        for (k, v) in b {
            props.insert(k.clone(), v.clone());
        }
    }
}

pub(crate) fn not_found(what: &str) -> Reply {
    Reply::error(404, "Request_ResourceNotFound", &format!("Resource '{what}' {NOT_PRESENT}"))
}

pub(crate) fn denied() -> Reply {
    Reply::error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
}
