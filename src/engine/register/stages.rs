//! Which steps each stage of a run starts with, given the journal (replies then add follow-ups).

use super::task::Op;
use crate::engine::journal::Journal;
use crate::engine::settings::Stage;
use crate::plan::{Plan, PlannedApp};

/// The steps a stage starts with; replies add follow-ups.
pub fn tasks_for(stage: Stage, plan: &Plan, journal: &Journal, resumed: bool) -> Vec<(Op, usize)> {
    let mut out = Vec::new();
    let rec = |a: &PlannedApp| journal.app(&a.key).cloned().unwrap_or_default();
    match stage {
        Stage::Discover => {
            if journal.tenant_id.is_none() {
                out.push((Op::ReadTenant, 0));
            }
            out.extend((0..plan.resource_app_ids().len()).map(|i| (Op::ReadResource(i), 0)));
            // Every app not created by this run is read with its owners and credentials (`provenance.rs`), also on
            // resume: whose it is decides whether anything may be written to it.
            for (i, a) in plan.applications.iter().enumerate() {
                if rec(a).existed != Some(false) {
                    out.push((Op::ReadApp, i));
                }
            }
        }
        Stage::Applications => {
            for (i, a) in plan.applications.iter().enumerate() {
                let r = rec(a);
                if !r.app_done {
                    out.push((Op::UpsertApp, i));
                } else if r.object_id.is_none() || r.app_id.is_none() {
                    // Updated before an interruption, ids not read yet.
                    out.push((Op::ReadAppIds, i));
                }
            }
        }
        Stage::ServicePrincipals => {
            for (i, a) in plan.applications.iter().enumerate() {
                if rec(a).service_principal_id.is_none() {
                    out.push((Op::UpsertSp, i));
                }
            }
        }
        Stage::Consent => {
            for (i, a) in plan.applications.iter().enumerate() {
                let r = rec(a);
                if a.grant_admin_consent && !r.consent_done {
                    // A service principal made by this run has no grants yet; any other is read first — also one made
                    // by an earlier part of a resumed run, whose last writes may have landed unrecorded.
                    let fresh = r.service_principal_created && !r.needs_lookup && !resumed;
                    for (g, grant) in a.delegated_grants.iter().enumerate() {
                        if !r.grants.iter().any(|x| x.resource_app_id == grant.resource_app_id) {
                            out.push((if fresh { Op::WriteGrant(g) } else { Op::ReadGrant(g) }, i));
                        }
                    }
                    for (k, role) in a.app_role_assignments.iter().enumerate() {
                        if !r.assignments.iter().any(|x| x.app_role_id == role.app_role_id) {
                            out.push((if fresh { Op::Assign(k) } else { Op::ReadAssignment(k) }, i));
                        }
                    }
                }
                // Secrets only for apps this tool created: an existing app keeps the credentials it has.
                if let Some(op) = super::secrets::first_step(a, &r, resumed) {
                    out.push((op, i));
                }
            }
        }
        Stage::Finished => {}
    }
    out
}
