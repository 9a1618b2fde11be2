//! Nothing in the tenant is ours until we made it. Any member may register an application and set its
//! `uniqueName` (authorizationPolicy `defaultUserRolePermissions.allowedToCreateApps`, true by default;
//! application-upsert: "a nonadmin member or guest with default user permissions"), so an app holding one of our
//! keys may belong to anyone — and writing to it (permissions, a service principal, tenant-wide consent) would hand
//! its owner what the plan grants.
//!
//! The rule: an app that exists under a planned key is the tool's own only when every owner is the signed-in user
//! (none at all counts only for an app a kept journal says this tool created) and every credential on it is one
//! this tool made (a key id a kept journal recorded). Anything else is *foreign*: it gets no write of any kind
//! until the admin adopts it, after being shown its owners and credentials. An app a kept journal records as
//! adopted stays adopted, so the admin is asked once.

use serde::Serialize;
use serde_json::Value;

use super::journal::Journal;
use crate::closed_set::closed_set;

/// What discovery reads of an existing app: its ids, when and where it was made, its owners (application resource:
/// `owners` "Supports $expand"; reading them needs Application.Read.All, application-list-owners) and its
/// credentials by key id, hint and end date — never a secret's text. Owners are expanded whole: a nested
/// `$select=userPrincipalName` on them has been refused with 400 "Invalid $select properties." because owners are
/// directoryObjects (microsoftgraph/microsoft-graph-docs#12838). Without a user-read scope their names come back
/// null (the limited-information rule; russrimm/AADAppSecretsnCertsExpirationNotification#6), so owners are
/// judged by id alone.
pub const QUERY: &str = "$select=id,appId,displayName,requiredResourceAccess,createdDateTime,publisherDomain,passwordCredentials,keyCredentials&$expand=owners";

closed_set! {
    /// Whose an existing app is, for this run.
    pub enum Standing {
        /// Made by this tool for the signed-in admin: written to without a question.
        Ours = "ours",
        /// Someone else's, or not provably ours: nothing is written to it.
        Foreign = "foreign",
        /// Foreign, but the admin chose to adopt it (now or in a run a kept journal records).
        Adopted = "adopted",
    }
}

closed_set! {
    pub enum CredentialKind {
        Password = "password",
        Certificate = "certificate",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Owner {
    pub id: String,
    /// Null when the token may not read that kind of object (Graph's limited-information rule).
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    pub kind: CredentialKind,
    pub key_id: String,
    pub display_name: Option<String>,
    /// The first characters of a secret, as Graph lists it; never the secret.
    pub hint: Option<String>,
    pub end_date_time: Option<String>,
    /// A kept journal of this tool recorded this key id.
    pub made_by_tool: bool,
}

/// An app found under a planned key, as shown to the admin before anything is written to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Existing {
    pub key: String,
    pub object_id: String,
    pub app_id: String,
    pub display_name: String,
    pub created_date_time: Option<String>,
    pub publisher_domain: Option<String>,
    pub owners: Vec<Owner>,
    pub credentials: Vec<Credential>,
    pub standing: Standing,
    /// Why it is not the tool's own (empty when it is).
    pub reasons: Vec<String>,
}

/// What kept journals of earlier runs say this tool made or the admin adopted: object ids and credential key ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    made: Vec<String>,
    adopted: Vec<String>,
    key_ids: Vec<String>,
}

impl History {
    pub fn from_journals<'a>(journals: impl IntoIterator<Item = &'a Journal>) -> History {
        let mut h = History::default();
        for app in journals.into_iter().flat_map(|j| &j.apps) {
            if let Some(id) = &app.object_id {
                if app.adopted {
                    h.adopted.push(id.to_ascii_lowercase());
                } else if app.existed == Some(false) {
                    h.made.push(id.to_ascii_lowercase());
                }
            }
            h.key_ids.extend(app.secret_key_id.iter().map(|k| k.to_ascii_lowercase()));
        }
        h
    }

    /// Adds what one more journal (the one a run resumes from) says.
    pub fn include(&mut self, journal: &Journal) {
        let more = History::from_journals([journal]);
        self.made.extend(more.made);
        self.adopted.extend(more.adopted);
        self.key_ids.extend(more.key_ids);
    }

    pub fn made(&self, object_id: &str) -> bool {
        self.made.contains(&object_id.to_ascii_lowercase())
    }

    pub fn adopted(&self, object_id: &str) -> bool {
        self.adopted.contains(&object_id.to_ascii_lowercase())
    }

    fn key_made(&self, key_id: &str) -> bool {
        self.key_ids.contains(&key_id.to_ascii_lowercase())
    }
}

/// Reads an application as Graph returned it for [`QUERY`]; its standing is decided by [`judge`].
pub fn read(key: &str, body: &Value) -> Existing {
    let text = |v: &Value, k: &str| v[k].as_str().map(str::to_string);
    let owners = body["owners"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| Owner {
            id: text(o, "id").unwrap_or_default(),
            display_name: text(o, "displayName"),
            user_principal_name: text(o, "userPrincipalName"),
        })
        .collect();
    let creds = |field: &str, kind: CredentialKind| -> Vec<Credential> {
        body[field]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| Credential {
                kind,
                key_id: text(c, "keyId").unwrap_or_default(),
                display_name: text(c, "displayName"),
                hint: text(c, "hint"),
                end_date_time: text(c, "endDateTime"),
                made_by_tool: false,
            })
            .collect()
    };
    let mut credentials = creds("passwordCredentials", CredentialKind::Password);
    credentials.extend(creds("keyCredentials", CredentialKind::Certificate));
    Existing {
        key: key.to_string(),
        object_id: text(body, "id").unwrap_or_default(),
        app_id: text(body, "appId").unwrap_or_default(),
        display_name: text(body, "displayName").unwrap_or_default(),
        created_date_time: text(body, "createdDateTime"),
        publisher_domain: text(body, "publisherDomain"),
        owners,
        credentials,
        standing: Standing::Foreign,
        reasons: vec![],
    }
}

/// Decides whose `e` is: `me` is the signed-in user's object id (the token's `oid`), `adopt` the keys the admin
/// chose to adopt in this run.
pub fn judge(e: &mut Existing, me: Option<&str>, history: &History, adopt: &[String]) {
    for c in &mut e.credentials {
        c.made_by_tool = history.key_made(&c.key_id);
    }
    let is_me = |id: &str| me.is_some_and(|m| m.eq_ignore_ascii_case(id));
    let made = history.made(&e.object_id);
    let mut reasons = Vec::new();
    let others: Vec<String> = e.owners.iter().filter(|o| !is_me(&o.id)).map(owner_name).collect();
    if !others.is_empty() {
        reasons.push(format!("owned by {}", others.join(", ")));
    } else if e.owners.is_empty() && !made {
        reasons.push("it has no owner, and no kept journal says this tool created it".to_string());
    }
    if me.is_none() && !e.owners.is_empty() {
        reasons.push("the signed-in user is not known (the token carries no oid claim)".to_string());
    }
    let unknown = e.credentials.iter().filter(|c| !c.made_by_tool).count();
    if unknown > 0 {
        let s = if unknown == 1 { "" } else { "s" };
        reasons.push(format!("{unknown} credential{s} on it that no kept journal of this tool recorded"));
    }
    e.standing = if reasons.is_empty() {
        Standing::Ours
    } else if history.adopted(&e.object_id) || adopt.iter().any(|k| k == &e.key) {
        Standing::Adopted
    } else {
        Standing::Foreign
    };
    e.reasons = reasons;
}

fn owner_name(o: &Owner) -> String {
    match (&o.user_principal_name, &o.display_name) {
        (Some(upn), Some(name)) => format!("{name} <{upn}>"),
        (Some(upn), None) => upn.clone(),
        (None, Some(name)) => format!("{name} ({})", o.id),
        (None, None) => format!("directory object {}", o.id),
    }
}

/// One line per app for a stop or a preview: "lucs-cr-1 \"Name\" (object id …): created …, owners …, 2 secrets — why".
pub fn describe(e: &Existing) -> String {
    let owners = if e.owners.is_empty() {
        "no owners".to_string()
    } else {
        format!("owners {}", e.owners.iter().map(owner_name).collect::<Vec<_>>().join(", "))
    };
    let secrets = e.credentials.len();
    format!(
        "{} \"{}\" (object id {}): created {}, {owners}, {secrets} credential{}{}",
        e.key,
        e.display_name,
        e.object_id,
        e.created_date_time.as_deref().unwrap_or("at an unknown time"),
        if secrets == 1 { "" } else { "s" },
        if e.reasons.is_empty() { String::new() } else { format!(" — {}", e.reasons.join("; ")) },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ME: &str = "11111111-1111-4111-8111-111111111111";

    fn app(owners: &[&str], secrets: &[&str]) -> Existing {
        let owners: Vec<Value> = owners.iter().map(|o| json!({ "id": o })).collect();
        let creds: Vec<Value> = secrets.iter().map(|k| json!({ "keyId": k, "hint": "abc" })).collect();
        read(
            "lucs-cr-1",
            &json!({ "id": "22222222-2222-4222-8222-222222222222", "appId": "x", "owners": owners, "passwordCredentials": creds }),
        )
    }

    #[test]
    fn only_the_signed_in_owner_with_known_credentials_is_ours() {
        let mut e = app(&[ME], &[]);
        judge(&mut e, Some(ME), &History::default(), &[]);
        assert_eq!(e.standing, Standing::Ours);

        let mut e = app(&[ME, "33333333-3333-4333-8333-333333333333"], &[]);
        judge(&mut e, Some(ME), &History::default(), &[]);
        assert_eq!(e.standing, Standing::Foreign);
        assert!(e.reasons[0].starts_with("owned by"), "{:?}", e.reasons);

        // The squatter made the admin its only owner but left a secret behind.
        let mut e = app(&[ME], &["44444444-4444-4444-8444-444444444444"]);
        judge(&mut e, Some(ME), &History::default(), &[]);
        assert_eq!(e.standing, Standing::Foreign);
        judge(&mut e, Some(ME), &History::default(), &["lucs-cr-1".to_string()]);
        assert_eq!(e.standing, Standing::Adopted);
    }

    #[test]
    fn no_owner_counts_only_for_an_app_a_journal_says_the_tool_made() {
        let mut e = app(&[], &[]);
        judge(&mut e, Some(ME), &History::default(), &[]);
        assert_eq!(e.standing, Standing::Foreign);
        let mut j = Journal::default();
        j.apps.push(super::super::journal::AppRecord {
            key: "lucs-cr-1".into(),
            existed: Some(false),
            object_id: Some(e.object_id.to_uppercase()),
            ..Default::default()
        });
        judge(&mut e, Some(ME), &History::from_journals([&j]), &[]);
        assert_eq!(e.standing, Standing::Ours);
        // Without knowing who is signed in, nobody's ownership vouches for an app.
        let mut e = app(&[ME], &[]);
        judge(&mut e, None, &History::default(), &[]);
        assert_eq!(e.standing, Standing::Foreign);
    }
}
