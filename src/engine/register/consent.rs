//! Consent steps' replies: the tenant-wide delegated grant per resource and the app role assignments, found or
//! written, recorded in the journal — with the scopes and objects this tool added, so rollback removes only those.

use serde_json::Value;

use super::task::{app_mut, done, Op, Outcome};
use crate::engine::http::relative;
use crate::engine::journal::{AssignmentRecord, GrantRecord, Journal};
use crate::plan::Plan;

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// The AllPrincipals grant of the app for the planned grant `g`'s resource, as read: none (write it), with every
/// planned scope (record it), or short of some (add them).
pub fn grant_read(journal: &mut Journal, plan: &Plan, app: usize, g: usize, body: &Value) -> Outcome {
    let grant = &plan.applications[app].delegated_grants[g];
    let res = grant.resource_app_id.clone();
    let existing = body["value"].as_array().and_then(|v| v.first()).cloned();
    let Some(existing) = existing else {
        intend(journal, plan, app, format!("grant:{res}"));
        return done(vec![Op::WriteGrant(g)]);
    };
    let id = text(&existing, "id").unwrap_or_default();
    let current = text(&existing, "scope").unwrap_or_default();
    let mut scopes: Vec<&str> = current.split_whitespace().collect();
    let missing: Vec<&str> = grant.scope.split(' ').filter(|s| !scopes.contains(s)).collect();
    let rec = app_mut(journal, plan, app);
    // Found after this tool set out to write it (its reply lost): it is ours, or holds scopes we added.
    let ours = rec.intents.iter().any(|i| *i == format!("grant:{res}"));
    let prefix = format!("scopes:{res}:");
    let mut added: Vec<String> = rec
        .intents
        .iter()
        .filter_map(|i| i.strip_prefix(&prefix))
        .flat_map(|s| s.split(' ').map(str::to_string))
        .collect();
    if missing.is_empty() {
        record_grant(journal, plan, app, &res, id, ours);
        if let Some(g) = app_mut(journal, plan, app).grants.iter_mut().find(|g| g.resource_app_id == res) {
            g.added_scopes = if ours { vec![] } else { added };
        }
        return done(vec![]);
    }
    // Scopes granted by someone else stay; ours are added (and only ours are removed by rollback).
    added.extend(missing.iter().map(|s| s.to_string()));
    added.dedup();
    intend(journal, plan, app, format!("{prefix}{}", added.join(" ")));
    scopes.extend(missing);
    done(vec![Op::PatchGrant { grant: g, id, scope: scopes.join(" "), added }])
}

/// A page of the client's app role assignments, read for the planned assignment `k`.
pub fn assignment_read(journal: &mut Journal, plan: &Plan, app: usize, k: usize, body: &Value) -> Outcome {
    let role = &plan.applications[app].app_role_assignments[k];
    let res_sp = journal.resource_sp(&role.resource_app_id).unwrap_or("").to_string();
    let found = body["value"].as_array().into_iter().flatten().find(|a| {
        a["appRoleId"].as_str() == Some(role.app_role_id.as_str()) && a["resourceId"].as_str() == Some(&res_sp)
    });
    let role_id = role.app_role_id.clone();
    match found.and_then(|a| text(a, "id")) {
        Some(id) => {
            // Found after this tool set out to make it (its reply lost): it is ours to undo.
            let ours = app_mut(journal, plan, app).intents.contains(&format!("role:{role_id}"));
            record_assignment(journal, plan, app, &role_id, id, ours);
            done(vec![])
        }
        // Not on this page: the next one, if any (Graph pages collections; user-list etc.).
        None => match body["@odata.nextLink"].as_str() {
            Some(next) => done(vec![Op::ReadAssignmentPage(k, relative(next))]),
            None => {
                intend(journal, plan, app, format!("role:{role_id}"));
                done(vec![Op::Assign(k)])
            }
        },
    }
}

/// The grant was written (`created`) or its scopes patched, adding `added`.
pub fn grant_written(journal: &mut Journal, plan: &Plan, app: usize, g: usize, id: String, added: Option<Vec<String>>) {
    let resource = plan.applications[app].delegated_grants[g].resource_app_id.clone();
    record_grant(journal, plan, app, &resource, id, added.is_none());
    if let Some(added) = added {
        if let Some(g) = app_mut(journal, plan, app).grants.iter_mut().find(|g| g.resource_app_id == resource) {
            g.added_scopes = added;
        }
    }
}

pub fn assigned(journal: &mut Journal, plan: &Plan, app: usize, k: usize, id: String) {
    let role_id = plan.applications[app].app_role_assignments[k].app_role_id.clone();
    record_assignment(journal, plan, app, &role_id, id, true);
}

fn record_grant(journal: &mut Journal, plan: &Plan, app: usize, resource: &str, id: String, created: bool) {
    let rec = app_mut(journal, plan, app);
    rec.grants.retain(|g| g.resource_app_id != resource);
    rec.grants.push(GrantRecord { resource_app_id: resource.to_string(), id, created, added_scopes: vec![] });
    settle_consent(journal, plan, app);
}

fn record_assignment(journal: &mut Journal, plan: &Plan, app: usize, role: &str, id: String, created: bool) {
    let rec = app_mut(journal, plan, app);
    rec.assignments.retain(|a| a.app_role_id != role);
    rec.assignments.push(AssignmentRecord { app_role_id: role.to_string(), id, created });
    settle_consent(journal, plan, app);
}

fn settle_consent(journal: &mut Journal, plan: &Plan, app: usize) {
    let planned = &plan.applications[app];
    let rec = app_mut(journal, plan, app);
    let grants =
        planned.delegated_grants.iter().all(|g| rec.grants.iter().any(|x| x.resource_app_id == g.resource_app_id));
    let roles =
        planned.app_role_assignments.iter().all(|r| rec.assignments.iter().any(|x| x.app_role_id == r.app_role_id));
    if grants && roles {
        rec.consent_done = true;
        rec.needs_lookup = false;
        rec.intents.clear();
    }
}

/// Records, before the write is sent, that this tool is about to make something on a service principal it did
/// not create — so a lookup after a lost reply knows the object it finds is the tool's own.
pub(super) fn intend(journal: &mut Journal, plan: &Plan, app: usize, intent: String) {
    let rec = app_mut(journal, plan, app);
    let kind = intent.rsplit_once(':').map(|(k, _)| k.to_string()).unwrap_or_default();
    if intent.starts_with("scopes:") {
        rec.intents.retain(|i| !i.starts_with(&format!("{kind}:")));
    }
    if !rec.intents.contains(&intent) {
        rec.intents.push(intent);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::ops::apply;
    use super::super::task::{Op, Outcome, Step, Task};
    use crate::engine::http::ItemResponse;
    use crate::plan::{plan, PlanRequest};

    #[test]
    fn an_existing_grant_answered_with_either_wording_is_looked_up() {
        let req = PlanRequest::from_json(json!({"components": [{"code": "FE"}]})).unwrap();
        let plan = plan(&req, &crate::catalog::builtin()).unwrap();
        let task = Task {
            id: 1,
            work: Step { op: Op::WriteGrant(0), app: 0 },
            attempt: 0,
            spent: 0,
            not_before: 0,
            first_failure: None,
        };
        // 409 (terraform-provider-azuread#690) and, in some tenants, 400 (microsoft/fhir-server
        // Grant-ClientAppDelegatedPermissions.ps1 handles both).
        for (status, code) in [(409, "Request_MultipleObjectsWithSameKeyValue"), (400, "Request_BadRequest")] {
            let reply = ItemResponse {
                status,
                retry_after: None,
                body: json!({"error": {"code": code, "message": "Permission entry already exists."}}),
            };
            match apply(&task, &reply, &plan, &mut Default::default(), &Default::default(), 0) {
                Outcome::Done { follow_up, .. } => assert_eq!(follow_up, vec![Op::ReadGrant(0)], "{status}"),
                _ => panic!("{status}: not looked up"),
            }
        }
    }
}
