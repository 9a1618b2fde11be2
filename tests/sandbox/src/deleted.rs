//! The tenant's deleted items. `DELETE /applications/{id}` moves an application to deleted items for 30 days,
//! where it keeps its uniqueName (application-delete; microsoftgraph/msgraph-bicep-types#137).
//! `GET /directory/deletedItems/microsoft.graph.application` lists them, `GET /directory/deletedItems/{id}` reads
//! one, `DELETE /directory/deletedItems/{id}` deletes one permanently and `POST …/{id}/restore` brings it back
//! (directory-deleteditems-list, -get, -delete, -restore). Service principals are soft-deleted too
//! (directory-deleteditems-delete: "application, group, servicePrincipal, or user"); the sandbox keeps only
//! applications there, the only deleted items whose key a later run needs.
//!
//! Right after the soft delete a permanent delete can miss the item: Entra's directory replicates, and Microsoft
//! documents no replication time ("There are no documented replication SLAs", msgraph-bicep-types#193). Real
//! tenants have answered `DELETE /directory/deletedItems/{id}` with 404 moments after the soft delete while the
//! item stayed in deleted items, readable and holding its uniqueName. `Faults::purge_lag_ms` models it: within
//! that time of the soft delete a purge answers 404 and changes nothing.

use serde_json::{json, Value};

use crate::directory::iso;
use crate::routes::not_found;
use crate::tenant::{Reply, Tenant};

impl Tenant {
    /// `/directory/deletedItems…`; `None` for any other path.
    pub(crate) fn deleted_items(
        &mut self,
        method: &str,
        segs: &[&str],
        path: &str,
        query: &str,
        now: u64,
    ) -> Option<Reply> {
        let reply = match (method, segs) {
            ("GET", ["directory", "deletedItems", "microsoft.graph.application"]) => {
                let items: Vec<Value> = self
                    .deleted_apps
                    .iter()
                    .map(|(a, at)| {
                        let mut v = self.app_json(a);
                        v["deletedDateTime"] = json!(iso(*at));
                        v
                    })
                    .collect();
                self.page(items, path, query)
            }
            ("GET", ["directory", "deletedItems", id]) => match self.deleted_apps.iter().find(|(a, _)| a.id == *id) {
                Some((a, at)) => {
                    let mut v = self.app_json(a);
                    v["@odata.type"] = json!("#microsoft.graph.application");
                    v["deletedDateTime"] = json!(iso(*at));
                    Reply::json(200, v)
                }
                None => not_found(id),
            },
            ("DELETE", ["directory", "deletedItems", id]) => self.purge(id, now),
            ("POST", ["directory", "deletedItems", id, "restore"]) => {
                let Some(i) = self.deleted_apps.iter().position(|(a, _)| a.id == *id) else {
                    return Some(not_found(id));
                };
                let (mut app, _) = self.deleted_apps.remove(i);
                app.created = now;
                let v = self.app_json(&app);
                self.apps.push(app);
                Reply::json(200, v)
            }
            _ => return None,
        };
        Some(reply)
    }

    /// A permanent delete: the item and its secrets are gone and its uniqueName is free — unless it was
    /// soft-deleted less than `purge_lag_ms` ago, when the purge misses it (see the module comment).
    fn purge(&mut self, id: &str, now: u64) -> Reply {
        let Some(i) = self.deleted_apps.iter().position(|(a, _)| a.id == id) else { return not_found(id) };
        let deleted_at = self.deleted_apps[i].1;
        if now < deleted_at.saturating_add(self.faults.purge_lag_ms) {
            self.note("replication: purge 404 right after the soft delete");
            return not_found(id);
        }
        let (app, _) = self.deleted_apps.remove(i);
        self.passwords.retain(|p| p.app != app.id);
        Reply::empty(204)
    }
}
