#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Drift fixed in one click: what the health check found is previewed, re-applied through the registration engine
//! for the drifted apps only, extras stay unless ticked, a foreign app gets nothing, and a lost reply resumes
//! without a duplicate.

mod common;

use common::full_plan;
use common::sandbox::{drive_job, run};
use lucs_registrar::engine::health::{ConsentState, PermissionState, EXPIRING_WITHIN_DAYS};
use lucs_registrar::engine::provenance::History;
use lucs_registrar::engine::repair::{self, ExtraSource, FixJob, Fixed, Seen, SkipReason, Tick};
use lucs_registrar::engine::{Action, Caller, Health, HealthJob, Job, Journal, Response, Settings};
use lucs_sandbox::{Exchange, Tenant};

const DEC_2026: u64 = 1_796_083_200_000;

fn registered(seed: u64) -> (Tenant, u64, Journal) {
    let mut tenant = Tenant::new(seed);
    let mut clock = DEC_2026;
    let out = run(&full_plan(), &mut tenant, None, &mut clock);
    out.result.expect("the full set registers");
    (tenant, clock, out.journal)
}

fn check(tenant: &mut Tenant, clock: &mut u64, journal: &Journal) -> Health {
    let job = HealthJob::new(full_plan(), *clock, EXPIRING_WITHIN_DAYS)
        .with_provenance(History::from_journals([journal]), vec![]);
    drive_job(job, tenant, clock).expect("checks")
}

fn seen(h: &Health) -> Vec<Seen> {
    h.applications.iter().map(Seen::from).collect()
}

fn settings(journal: &Journal) -> Settings {
    Settings { history: History::from_journals([journal]), ..Settings::default() }
}

fn tick(key: &str, source: ExtraSource, name: &str) -> Tick {
    Tick { key: key.into(), source, name: name.into() }
}

fn fix(tenant: &mut Tenant, clock: &mut u64, journal: &Journal, ticks: Vec<Tick>) -> Fixed {
    let h = check(tenant, clock, journal);
    let seen = seen(&h);
    let preview = repair::preview(&full_plan(), &seen);
    let job = FixJob::new(full_plan(), &seen, preview, ticks, None, settings(journal));
    drive_job(job, tenant, clock).expect("fixes")
}

fn app<'a>(h: &'a Health, key: &str) -> &'a lucs_registrar::engine::health::AppHealth {
    h.applications.iter().find(|a| a.key == key).unwrap()
}

#[test]
fn the_preview_names_each_change_and_each_extra() {
    let (mut tenant, mut clock, journal) = registered(91);
    tenant.seed_health_states("LUCS", clock);
    let h = check(&mut tenant, &mut clock, &journal);
    let p = repair::preview(&full_plan(), &seen(&h));
    let keys: Vec<&str> = p.applications.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(keys, ["lucs-ci-1", "lucs-ci-2", "lucs-fe"], "only the drifted apps, in the report's order");
    let ci2 = &p.applications[1];
    assert_eq!(ci2.add_permissions, ["Calendars.Read"]);
    assert!(ci2.grant_scopes.is_empty() && ci2.extras.is_empty());
    let fe = &p.applications[2];
    let planned_fe = full_plan().applications.into_iter().find(|a| a.key == "lucs-fe").unwrap();
    assert_eq!(fe.grant_scopes.len() + fe.grant_roles.len(), planned_fe.permissions.len());
    assert!(fe.add_permissions.is_empty());
    let ci1 = &p.applications[0];
    assert_eq!(ci1.extras.len(), 1);
    assert_eq!((ci1.extras[0].source, ci1.extras[0].name.as_str()), (ExtraSource::Granted, "Sites.Read.All"));
    let skipped: Vec<(&str, SkipReason)> = p.skipped.iter().map(|s| (s.key.as_str(), s.reason)).collect();
    assert!(skipped.is_empty(), "the leftover declares nothing and holds no grant: nothing drifted: {skipped:?}");
}

#[test]
fn drifted_permissions_and_revoked_consent_are_fixed_and_the_extra_left_alone() {
    let (mut tenant, mut clock, journal) = registered(92);
    tenant.seed_health_states("LUCS", clock);
    let secrets_before: Vec<Vec<String>> =
        full_plan().applications.iter().map(|a| tenant.secret_key_ids(&a.key)).collect();
    let fixed = fix(&mut tenant, &mut clock, &journal, vec![]);
    assert!(fixed.removed.is_empty());
    assert_eq!(fixed.kept.len(), 1, "{:?}", fixed.kept);
    assert_eq!(fixed.kept[0].name, "Sites.Read.All");
    let run = fixed.run.as_ref().expect("the engine ran");
    eprintln!("fix_round_trips={} (nothing ticked)", fixed.round_trips);
    // Discovery, applications, service principals, then consent: read what exists, write what is missing.
    assert!(fixed.round_trips <= 5, "the engine alone: {}", fixed.round_trips);
    assert!(run.secrets.is_empty(), "no secret is added to an app that exists");
    let secrets_after: Vec<Vec<String>> =
        full_plan().applications.iter().map(|a| tenant.secret_key_ids(&a.key)).collect();
    assert_eq!(secrets_before, secrets_after);
    let keys: Vec<&str> = run.applications.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(keys, ["lucs-ci-1", "lucs-ci-2", "lucs-fe"], "the engine touched only the drifted apps");

    let after = check(&mut tenant, &mut clock, &journal);
    for key in ["lucs-fe", "lucs-ci-1", "lucs-ci-2"] {
        let a = app(&after, key);
        assert_eq!(a.permissions.state, PermissionState::AsPlanned, "{a:?}");
        assert_eq!(a.consent.state, ConsentState::Complete, "{a:?}");
    }
    assert_eq!(app(&after, "lucs-ci-1").consent.extra, ["Sites.Read.All"], "not ticked, so still granted");
    assert!(tenant.duplicates().is_empty(), "{:?}", tenant.duplicates());
}

#[test]
fn a_ticked_extra_grant_is_removed_and_the_planned_scopes_stay() {
    let (mut tenant, mut clock, journal) = registered(93);
    tenant.grant_by_hand("lucs-ci-1", "Sites.Read.All");
    tenant.grant_by_hand("lucs-ci-2", "Files.Read.All");
    let fixed = fix(&mut tenant, &mut clock, &journal, vec![tick("lucs-ci-1", ExtraSource::Granted, "Sites.Read.All")]);
    assert_eq!(fixed.removed.len(), 1, "{fixed:?}");
    assert_eq!(fixed.kept.len(), 1);
    eprintln!("fix_round_trips={} (one extra ticked)", fixed.round_trips);
    assert!(fixed.round_trips <= 6, "a read and a removal before the engine: {}", fixed.round_trips);
    assert_eq!((fixed.kept[0].key.as_str(), fixed.kept[0].name.as_str()), ("lucs-ci-2", "Files.Read.All"));
    let after = check(&mut tenant, &mut clock, &journal);
    let ci1 = app(&after, "lucs-ci-1");
    assert!(ci1.consent.extra.is_empty(), "{ci1:?}");
    assert_eq!(ci1.consent.state, ConsentState::Complete, "the planned scopes of the same grant stay");
    assert_eq!(app(&after, "lucs-ci-2").consent.extra, ["Files.Read.All"], "the unticked one survives");
    assert_eq!(after.attention, 1);
}

#[test]
fn a_grant_holding_only_ticked_scopes_is_deleted() {
    let (mut tenant, mut clock, journal) = registered(94);
    // The Access Control app asks for no delegated Graph scope, so the grant made by hand holds only the extra.
    let key = full_plan()
        .applications
        .iter()
        .find(|a| a.delegated_grants.is_empty() && a.grant_admin_consent)
        .map(|a| a.key.clone())
        .expect("an app without delegated grants");
    assert!(tenant.grant_by_hand(&key, "Sites.Read.All"));
    let fixed = fix(&mut tenant, &mut clock, &journal, vec![tick(&key, ExtraSource::Granted, "Sites.Read.All")]);
    assert_eq!(fixed.removed.len(), 1, "{fixed:?}");
    assert!(tenant.writes.iter().any(|w| w.starts_with("DELETE /oauth2PermissionGrants/")), "{:?}", tenant.writes);
    let after = check(&mut tenant, &mut clock, &journal);
    assert!(app(&after, &key).consent.extra.is_empty());
    assert_eq!(after.attention, 0);
}

#[test]
fn a_foreign_app_gets_nothing_and_is_named() {
    let (mut tenant, mut clock, journal) = registered(95);
    tenant.seed_health_states("LUCS", clock);
    // A secret no kept journal recorded makes the revoked app no longer provably the tool's own.
    let fe = tenant.registration("lucs-fe").unwrap();
    tenant.seed_secret(&fe.object_id, "added by someone", clock).unwrap();
    let writes = tenant.writes.len();
    let fixed = fix(&mut tenant, &mut clock, &journal, vec![]);
    let skipped = fixed.skipped.iter().find(|s| s.key == "lucs-fe").expect("said");
    assert_eq!(skipped.reason, SkipReason::Foreign);
    assert!(tenant.writes[writes..].iter().all(|w| !w.contains(&fe.object_id) && !w.contains(&fe.app_id)));
    let after = check(&mut tenant, &mut clock, &journal);
    assert_eq!(app(&after, "lucs-fe").consent.state, ConsentState::Missing, "untouched");
    assert_eq!(app(&after, "lucs-ci-2").permissions.state, PermissionState::AsPlanned, "the others are fixed");
}

#[test]
fn a_tick_the_fix_does_not_list_is_refused_by_field() {
    let (mut tenant, mut clock, journal) = registered(96);
    tenant.grant_by_hand("lucs-ci-1", "Sites.Read.All");
    let h = check(&mut tenant, &mut clock, &journal);
    let p = repair::preview(&full_plan(), &seen(&h));
    let ticks = serde_json::json!([{ "key": "lucs-ci-1", "source": "granted", "name": "Mail.Send" }]);
    let e = repair::read_ticks(&ticks, &p).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("removeExtras[0]"), "{e:?}");
    let bad = serde_json::json!([{ "key": "lucs-ci-1", "source": "both", "name": "Sites.Read.All" }]);
    assert_eq!(repair::read_ticks(&bad, &p).unwrap_err().field.as_deref(), Some("removeExtras[0].source"));
    let ok = serde_json::json!([{ "key": "lucs-ci-1", "source": "granted", "name": "Sites.Read.All" }]);
    assert_eq!(repair::read_ticks(&ok, &p).unwrap().len(), 1);
    let health = serde_json::to_value(&h).unwrap();
    assert_eq!(repair::read_health(&health).unwrap().len(), h.applications.len());
    let broken = serde_json::json!({ "applications": [{ "key": "lucs-fe" }] });
    assert_eq!(repair::read_health(&broken).unwrap_err().field.as_deref(), Some("health.applications[0].found"));
}

/// Drives a fix, losing the reply to the first request whose URL contains `lose`; a stop is returned with the
/// journal to resume from.
fn fix_losing(
    tenant: &mut Tenant,
    clock: &mut u64,
    job: &mut FixJob,
    lose: &str,
    stop_after_loss: bool,
) -> Result<Fixed, Option<Journal>> {
    let mut lost = false;
    loop {
        match job.poll(*clock) {
            Action::Send(req) => {
                job.caller(&Caller {
                    tenant_id: Some(tenant.id.clone()),
                    user_id: Some(tenant.user.id.clone()),
                    scopes: tenant.token_scopes.clone(),
                });
                let body = req.body.clone().unwrap_or_default();
                let reply = tenant.exchange(req.method.as_str(), &req.url, None, &body, *clock);
                *clock += 50;
                let response = match reply {
                    Exchange::Reply(_) if !lost && body.to_string().contains(lose) => {
                        lost = true;
                        if stop_after_loss {
                            return Err(job.journal());
                        }
                        Response::NetworkError("reset".into())
                    }
                    Exchange::Reply(r) => Response::Http { status: r.status, retry_after: None, body: r.body },
                    Exchange::Dropped => Response::NetworkError("reset".into()),
                };
                job.on_response(response, *clock);
            }
            Action::Wait { ms } => *clock += ms,
            Action::NeedToken => job.token_refreshed(),
            Action::Done(f) => return Ok(f),
            Action::Stopped(s) => panic!("{s:?}"),
        }
    }
}

#[test]
fn a_lost_reply_resumes_without_duplicates() {
    let (mut tenant, mut clock, journal) = registered(97);
    tenant.seed_health_states("LUCS", clock);
    tenant.grant_by_hand("lucs-ci-2", "Files.Read.All");
    let h = check(&mut tenant, &mut clock, &journal);
    let seen = seen(&h);
    let preview = repair::preview(&full_plan(), &seen);
    let ticks = vec![tick("lucs-ci-2", ExtraSource::Granted, "Files.Read.All")];
    // The grant re-made for the revoked app goes through, its reply is lost and the worker stops there.
    let mut job = FixJob::new(full_plan(), &seen, preview.clone(), ticks.clone(), None, settings(&journal));
    let resume = fix_losing(&mut tenant, &mut clock, &mut job, "AllPrincipals", true).unwrap_err();
    let resume = resume.expect("a journal to resume from");
    // Run again with the journal, as the caller does after a stop; the removal is worked out again.
    let mut again = FixJob::new(full_plan(), &seen, preview, ticks, Some(resume), settings(&journal));
    let fixed = fix_losing(&mut tenant, &mut clock, &mut again, "scope", false).unwrap();
    assert!(tenant.duplicates().is_empty(), "{:?}", tenant.duplicates());
    assert_eq!(fixed.already_gone.len() + fixed.removed.len(), 1, "{fixed:?}");
    let after = check(&mut tenant, &mut clock, &journal);
    for key in ["lucs-fe", "lucs-ci-2"] {
        let a = app(&after, key);
        assert_eq!((a.permissions.state, a.consent.state), (PermissionState::AsPlanned, ConsentState::Complete));
        assert!(a.consent.extra.is_empty(), "{a:?}");
    }
}

#[test]
fn a_scope_granted_twice_is_one_tick_and_removed_whole() {
    let (mut tenant, mut clock, journal) = registered(98);
    tenant.grant_by_hand("lucs-ci-1", "Sites.Read.All");
    tenant.grant_by_hand("lucs-ci-1", "Sites.Read.All");
    let h = check(&mut tenant, &mut clock, &journal);
    let p = repair::preview(&full_plan(), &seen(&h));
    assert_eq!(p.applications[0].extras.len(), 1, "{:?}", p.applications[0].extras);
    fix(&mut tenant, &mut clock, &journal, vec![tick("lucs-ci-1", ExtraSource::Granted, "Sites.Read.All")]);
    let after = check(&mut tenant, &mut clock, &journal);
    assert!(app(&after, "lucs-ci-1").consent.extra.is_empty());
    assert_eq!(app(&after, "lucs-ci-1").consent.state, ConsentState::Complete);
}

/// An admin adds a permission to the registration by hand (the portal's API permissions blade writes
/// requiredResourceAccess), here Sites.Read.All, delegated, which no LUCS component asks for.
fn declare_by_hand(tenant: &mut Tenant, key: &str, clock: u64) {
    const SITES_READ_ALL: &str = "205e70e5-aba6-4c52-a976-6d2d46c48043";
    let reg = tenant.registration(key).unwrap();
    let mut access = reg.body["requiredResourceAccess"].clone();
    access[0]["resourceAccess"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({ "id": SITES_READ_ALL, "type": "Scope" }));
    let body = serde_json::json!({ "requiredResourceAccess": access });
    let reply = tenant.exchange("PATCH", &format!("/applications/{}", reg.object_id), None, &body, clock);
    assert!(matches!(reply, Exchange::Reply(r) if r.ok()));
}

#[test]
fn a_permission_declared_by_hand_stays_in_the_registration_unless_ticked() {
    let (mut tenant, mut clock, journal) = registered(99);
    tenant.seed_health_states("LUCS", clock);
    declare_by_hand(&mut tenant, "lucs-ci-2", clock);
    let h = check(&mut tenant, &mut clock, &journal);
    let declared = app(&h, "lucs-ci-2").permissions.extra.clone();
    assert_eq!(declared.len(), 1, "{declared:?}");
    assert!(declared[0].ends_with("(Scope)"), "named by resource and id: {declared:?}");

    let fixed = fix(&mut tenant, &mut clock, &journal, vec![]);
    assert!(fixed.kept.iter().any(|k| k.key == "lucs-ci-2" && k.source == ExtraSource::Declared), "{fixed:?}");
    let after = check(&mut tenant, &mut clock, &journal);
    let ci2 = app(&after, "lucs-ci-2");
    assert!(ci2.permissions.missing.is_empty(), "Calendars.Read is back: {ci2:?}");
    assert_eq!(ci2.permissions.extra, declared, "the permission declared by hand is still declared");

    let fixed = fix(&mut tenant, &mut clock, &journal, vec![tick("lucs-ci-2", ExtraSource::Declared, &declared[0])]);
    assert_eq!(fixed.removed.len(), 1, "{fixed:?}");
    let after = check(&mut tenant, &mut clock, &journal);
    assert_eq!(app(&after, "lucs-ci-2").permissions.state, PermissionState::AsPlanned);
}
