#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Renewing a client secret without downtime: the lifetimes the tenant's policy allows, a new secret beside the
//! old, the old removed only as its own step — and never on an app the tool did not make.

mod common;

use common::full_plan;
use common::sandbox::{drive_job, run};
use lucs_registrar::engine::credentials::{RenewJob, RetireJob, SecretPolicyJob};
use lucs_registrar::engine::provenance::History;
use lucs_registrar::engine::{Action, Caller, Job, Journal, Response, StopKind};
use lucs_registrar::plan::PlannedApp;
use lucs_sandbox::{Exchange, Tenant};

const DEC_2026: u64 = 1_796_083_200_000;
const DAY: u64 = 86_400_000;

fn app(key: &str) -> PlannedApp {
    full_plan().applications.into_iter().find(|a| a.key == key).unwrap()
}

/// The full set registered, with the journal that says what this tool made.
fn registered(seed: u64) -> (Tenant, u64, Journal) {
    let mut tenant = Tenant::new(seed);
    let mut clock = DEC_2026;
    let report = run(&full_plan(), &mut tenant, None, &mut clock).result.expect("registers");
    (tenant, clock, report.journal)
}

fn may_read_policies(tenant: &mut Tenant) {
    tenant.token_scopes.push("Policy.Read.All".into());
}

#[test]
fn without_a_policy_every_preset_is_offered() {
    let (mut tenant, mut clock, journal) = registered(81);
    may_read_policies(&mut tenant);
    let history = History::from_journals([&journal]);
    let p = drive_job(
        SecretPolicyJob::new(app("lucs-fe"), clock).with_provenance(history, vec![]),
        &mut tenant,
        &mut clock,
    )
    .unwrap();
    assert!(p.policy_readable);
    assert_eq!(p.offered_months, [3, 6, 12, 18, 24]);
    assert_eq!(p.standing.map(|s| s.as_str()), Some("ours"));
    assert_eq!(p.secrets.len(), 1);
}

#[test]
fn a_180_day_policy_allows_only_what_fits_and_says_whose_it_is() {
    let (mut tenant, mut clock, _) = registered(82);
    may_read_policies(&mut tenant);
    tenant.set_default_app_policy(Some(180), false);
    let p = drive_job(SecretPolicyJob::new(app("lucs-fe"), clock), &mut tenant, &mut clock).unwrap();
    let rules = p.rules.unwrap();
    assert_eq!(rules.policy_id, "00000000-0000-0000-0000-000000000000");
    assert_eq!(rules.max_lifetime.as_deref(), Some("P180D"));
    assert_eq!(p.offered_months, [3], "six calendar months from December are 182 days");
    // A policy applied to the app takes the default's place.
    tenant.apply_app_policy("lucs-fe", None, true);
    let p = drive_job(SecretPolicyJob::new(app("lucs-fe"), clock), &mut tenant, &mut clock).unwrap();
    assert!(p.rules.unwrap().secrets_blocked);
    assert!(p.offered_months.is_empty());
}

#[test]
fn unreadable_policies_are_said_and_every_preset_offered() {
    let (mut tenant, mut clock, _) = registered(83);
    tenant.set_default_app_policy(Some(180), false);
    let p = drive_job(SecretPolicyJob::new(app("lucs-fe"), clock), &mut tenant, &mut clock).unwrap();
    assert!(!p.policy_readable);
    assert!(p.policy_note.as_deref().is_some_and(|n| n.contains("403")), "{:?}", p.policy_note);
    assert_eq!(p.offered_months.len(), 5);
}

#[test]
fn renewal_adds_beside_the_old_and_removal_is_its_own_step() {
    let (mut tenant, mut clock, journal) = registered(84);
    let history = History::from_journals([&journal]);
    let old = tenant.secret_key_ids("lucs-fe");
    assert_eq!(old.len(), 1);
    let renewal = drive_job(
        RenewJob::new(app("lucs-fe"), 6, clock).with_provenance(history.clone(), vec![]),
        &mut tenant,
        &mut clock,
    )
    .unwrap();
    assert_eq!(renewal.secret.secret_text.len(), 40);
    assert!(renewal.secret.end_date_time.starts_with("2027-06-01"), "{}", renewal.secret.end_date_time);
    assert_eq!(renewal.kept.len(), 1);
    assert_eq!(renewal.kept[0].key_id, old[0]);
    assert_eq!(tenant.secret_key_ids("lucs-fe").len(), 2, "the old one stays until LUCS uses the new one");
    assert_eq!(renewal.journal.apps[0].secret_key_id.as_deref(), Some(renewal.secret.key_id.as_str()));

    // The renewal's journal makes the new secret the tool's own: the app is still ours.
    let mut known = history;
    known.include(&renewal.journal);
    let retired = drive_job(
        RetireJob::new(app("lucs-fe"), old[0].clone()).with_provenance(known.clone(), vec![]),
        &mut tenant,
        &mut clock,
    )
    .unwrap();
    assert_eq!(retired.remaining, 1);
    assert_eq!(tenant.secret_key_ids("lucs-fe"), std::slice::from_ref(&renewal.secret.key_id));

    // Never the last one, never a key the app does not hold.
    let last = drive_job(
        RetireJob::new(app("lucs-fe"), renewal.secret.key_id.clone()).with_provenance(known.clone(), vec![]),
        &mut tenant,
        &mut clock,
    )
    .unwrap_err();
    assert!(last.message.contains("without a client secret"), "{}", last.message);
    let unknown = drive_job(
        RetireJob::new(app("lucs-fe"), old[0].clone()).with_provenance(known, vec![]),
        &mut tenant,
        &mut clock,
    )
    .unwrap_err();
    assert!(unknown.message.contains("holds no secret"), "{}", unknown.message);
    assert_eq!(tenant.secret_key_ids("lucs-fe").len(), 1);
}

#[test]
fn a_lifetime_the_policy_refuses_adds_nothing_and_names_the_policy() {
    let (mut tenant, mut clock, journal) = registered(85);
    tenant.set_default_app_policy(Some(180), false);
    let history = History::from_journals([&journal]);
    let stop =
        drive_job(RenewJob::new(app("lucs-fe"), 12, clock).with_provenance(history, vec![]), &mut tenant, &mut clock)
            .unwrap_err();
    assert_eq!(stop.kind, StopKind::PolicyRefused);
    assert!(
        stop.message.contains("default app management policy") && stop.message.contains("nothing was added"),
        "{}",
        stop.message
    );
    assert_eq!(tenant.secret_key_ids("lucs-fe").len(), 1);
}

#[test]
fn registration_under_a_policy_stops_with_its_words_and_resumes_once_allowed() {
    let mut tenant = Tenant::new(86);
    let mut clock = DEC_2026;
    tenant.set_default_app_policy(Some(180), false);
    let out = run(&full_plan(), &mut tenant, None, &mut clock);
    let stop = out.result.unwrap_err();
    assert_eq!(stop.kind, StopKind::PolicyRefused, "{}", stop.message);
    assert!(stop.message.contains("shorter lifetime"), "{}", stop.message);
    assert_eq!(tenant.secret_key_ids("lucs-fe").len(), 0, "the refusal added nothing");
    // The admin picks a lifetime the policy allows (3 months) and resumes from the journal.
    let mut plan = full_plan();
    plan.applications.iter_mut().for_each(|a| a.secret_lifetime_months = 3);
    let resumed = run(&plan, &mut tenant, Some(out.journal), &mut clock).result.expect("resumes");
    assert_eq!(resumed.secrets.len(), 4);
    assert!(tenant.duplicates().is_empty());
}

#[test]
fn a_squatted_app_gets_no_secret_and_no_removal() {
    let mut tenant = Tenant::new(87);
    let member = tenant.seed_member("member@contoso.example", "Member");
    let (id, _) = tenant.seed_owned_application("LUCS Frontend", Some("lucs-fe"), &[member], DEC_2026 - 10 * DAY);
    let key = tenant.seed_secret(&id, "member's", DEC_2026).unwrap();
    let writes = tenant.writes.len();
    let mut clock = DEC_2026;
    let stop = drive_job(RenewJob::new(app("lucs-fe"), 6, clock), &mut tenant, &mut clock).unwrap_err();
    assert_eq!(stop.kind, StopKind::ForeignApps);
    assert_eq!(stop.foreign.len(), 1);
    let stop = drive_job(RetireJob::new(app("lucs-fe"), key), &mut tenant, &mut clock).unwrap_err();
    assert_eq!(stop.kind, StopKind::ForeignApps);
    assert_eq!(tenant.secret_key_ids("lucs-fe").len(), 1);
    assert_eq!(tenant.writes.len(), writes, "nothing written: {:?}", tenant.writes);
}

#[test]
fn a_lost_reply_to_the_add_leaves_exactly_one_new_secret() {
    let (mut tenant, mut clock, journal) = registered(88);
    let history = History::from_journals([&journal]);
    let mut job = RenewJob::new(app("lucs-fe"), 6, clock).with_provenance(history, vec![]);
    let mut dropped = false;
    let renewal = loop {
        match job.poll(clock) {
            Action::Send(req) => {
                job.caller(&Caller {
                    tenant_id: Some(tenant.id.clone()),
                    user_id: Some(tenant.user.id.clone()),
                    scopes: vec![],
                });
                let body = req.body.clone().unwrap_or_default();
                let reply = tenant.exchange(req.method.as_str(), &req.url, None, &body, clock);
                clock += 50;
                // The add goes through, its reply is lost: the batch loop sends it again.
                let response = match reply {
                    Exchange::Reply(_) if !dropped && body.to_string().contains("addPassword") => {
                        dropped = true;
                        Response::NetworkError("reset".into())
                    }
                    Exchange::Reply(r) => Response::Http { status: r.status, retry_after: None, body: r.body },
                    Exchange::Dropped => Response::NetworkError("reset".into()),
                };
                job.on_response(response, clock);
            }
            Action::Wait { ms } => clock += ms,
            Action::NeedToken => job.token_refreshed(),
            Action::Done(r) => break r,
            Action::Stopped(s) => panic!("{s:?}"),
        }
    };
    assert!(dropped);
    assert_eq!(
        renewal.removed_duplicates.len(),
        1,
        "the copy nobody saw is removed: {:?} {:?}",
        renewal.removed_duplicates,
        tenant.writes
    );
    let held = tenant.secret_key_ids("lucs-fe");
    assert_eq!(held.len(), 2, "the old one and the one shown: {held:?}");
    assert!(held.contains(&renewal.secret.key_id));
}
