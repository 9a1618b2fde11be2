//! Discovery answered from a check the admin ran moments ago (`discovery.rs` says what a snapshot may answer and
//! why that is safe): the API's permissions and the keys nobody held. Everything else — an app that exists, its
//! service principal — is read as always, in the same round trip discovery would have made.

use super::task::Op;
use super::Engine;
use crate::engine::discovery::{app_url, resource_url, Discovery};
use crate::engine::http::ItemResponse;
use crate::engine::settings::Stage;

/// A snapshot offered to the run, before and after it is judged.
pub enum Preread {
    None,
    Offered(Box<Discovery>),
    /// It serves this run: discovery's requests it answers are not sent.
    Serving(Box<Discovery>),
}

impl Engine {
    /// Answers the ready discovery requests the snapshot holds, without a round trip; `true` if it answered any.
    /// Judged once, at the first poll: it serves only a run whose caller is known (the first write binds the
    /// signed-in user as owner, and the token's scopes are checked before it) and in its tenant, for the same
    /// plan, within a minute of the check.
    pub(super) fn answer_from_check(&mut self, now: u64) -> bool {
        if let Preread::Offered(d) = std::mem::replace(&mut self.preread, Preread::None) {
            let tenant = self.caller_tenant.as_deref().filter(|_| self.settings.user_id.is_some());
            let same_tenant =
                self.journal.tenant_id.as_deref().is_none_or(|t| tenant.is_some_and(|c| c.eq_ignore_ascii_case(t)));
            if same_tenant && tenant.is_some_and(|t| d.serves(&self.plan, t, now)) {
                self.preread = Preread::Serving(d);
            }
        }
        let Preread::Serving(d) = &self.preread else { return false };
        if self.stage != Stage::Discover {
            self.preread = Preread::None;
            return false;
        }
        let plan = &self.plan;
        let answered = self.batch.answer_here(now, |task| match task.work.op {
            // The tenant the check read is the one the token in use speaks for (judged above).
            Op::ReadTenant => Some(ItemResponse {
                status: 200,
                retry_after: None,
                body: serde_json::json!({ "value": [{ "id": d.tenant_id }] }),
            }),
            Op::ReadResource(r) => d.reply(&resource_url(plan.resource_app_ids().get(r)?), 200),
            Op::ReadApp => {
                let app = plan.applications.get(task.work.app)?;
                app.target_app_id.is_none().then(|| d.reply(&app_url(app), 404)).flatten()
            }
            _ => None,
        });
        let any = !answered.is_empty();
        for (task, reply) in answered {
            self.handle(task, &reply, now);
        }
        any
    }
}
