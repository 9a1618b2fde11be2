#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Fault soak: seeded random schedules of everything the sandbox models of real Graph — throttling, server errors
//! before or after acting, dropped connections (so lost replies on every kind of write), replication windows
//! answered in each documented wording, expired tokens, duplicates answered 400/409 as Graph does, the
//! concurrency 409 on credential writes (in every schedule, at a random rate and spacing) — plus, per schedule, a
//! soft-deleted holder of a uniqueName, an admin whose role comes through a group, an admin whose role is
//! PIM-eligible but not active, a Privileged Role Administrator registering as a member where the tenant allows it,
//! a tenant answering a duplicate grant 400 or refusing the undocumented upsert forms, a token with too few scopes,
//! and register → rollback → register. Runs are also cut off mid-way at random.
//!
//! Every stop must be resumable and, resumed, end complete; an `Ok` must mean the tenant is complete (no silent
//! partial state); no duplicates (half the schedules let the sandbox accept duplicates so any would be counted);
//! and every app ends with exactly the secrets the admin was shown.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::full_plan;
use common::sandbox::{drive_cut, drive_job, registration_problems};
use lucs_registrar::engine::{Engine, Journal, PreflightJob, RollbackJob, Settings, SoftDeleted, StopKind};
use lucs_registrar::plan::Plan;
use lucs_sandbox::{Faults, Tenant};

const RUNS: u64 = 1000;
const MAX_RESUMES: u32 = 20;
const WRITE_SCOPES: [&str; 3] =
    ["Application.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "AppRoleAssignment.ReadWrite.All"];

#[derive(Default)]
struct Tally {
    retries: u64,
    resumes: u64,
    interrupted: u64,
    refreshes: u64,
    stops: BTreeMap<String, u64>,
    scenarios: BTreeMap<&'static str, u64>,
    counting: u64,
    silent_partial: Vec<String>,
    orphaned: Vec<String>,
}

/// One planned app applied onto an app registered by hand (by Application ID), which may already have its
/// service principal and a grant of the admin's own.
struct Existing {
    app: usize,
    with_sp: bool,
    with_grant: bool,
}

/// What a schedule adds to the random faults.
struct Scenario {
    soft_deleted: Option<usize>,
    existing: Option<Existing>,
    group_admin: bool,
    pim_admin: bool,
    dropped_scope: Option<&'static str>,
    rollback: bool,
    /// Registering as a member (no app role) where the authorization policy allows it.
    member_pra: bool,
    /// Graph's other answers: (duplicate grant 400, service principal upsert needs a name, batch ignores Prefer).
    quirks: Option<(bool, bool, bool)>,
}

fn scenario(rng: &mut fastrand::Rng, apps: usize) -> Scenario {
    let soft_deleted = (rng.u8(..5) == 0).then(|| rng.usize(..apps));
    let group_admin = rng.u8(..6) == 0;
    let existing = (rng.u8(..5) == 0).then(|| {
        let with_sp = rng.bool();
        Existing { app: rng.usize(..apps), with_sp, with_grant: with_sp && rng.bool() }
    });
    let by_hand = existing.is_some();
    let pim_admin = !group_admin && rng.u8(..5) == 0;
    let dropped_scope = (rng.u8(..6) == 0).then(|| WRITE_SCOPES[rng.usize(..3)]);
    // Rollback of an app registered by hand undoes edits rather than deleting: tried more often.
    let rollback = soft_deleted.is_none() && rng.u8(..if by_hand { 2 } else { 8 }) == 0;
    let member_pra = !group_admin && !pim_admin && rng.u8(..8) == 0;
    let quirks = (rng.u8(..6) == 0).then(|| loop {
        let q = (rng.bool(), rng.bool(), rng.bool());
        if q != (false, false, false) {
            break q;
        }
    });
    Scenario { soft_deleted, existing, group_admin, pim_admin, dropped_scope, rollback, member_pra, quirks }
}

/// Registers until done, resuming after every stop or cut, fixing what an admin would fix when told.
/// One seeded schedule: what it adds, its randomness, and every secret shown to the admin so far.
struct Schedule {
    seed: u64,
    sc: Scenario,
    rng: fastrand::Rng,
    shown: BTreeSet<String>,
}

fn register(plan: &Plan, t: &mut Tenant, clock: &mut u64, s: &mut Schedule, tally: &mut Tally) -> Journal {
    let (seed, rng, shown, sc) = (s.seed, &mut s.rng, &mut s.shown, &s.sc);
    let mut settings = Settings { seed, ..Settings::default() };
    let mut journal = None;
    for attempt in 0..=MAX_RESUMES {
        let mut engine = Engine::new(plan.clone(), journal.take(), Some(t.id.clone()), settings.clone());
        // Some runs are cut off mid-way, as a closed popup or a stopped service worker would — between requests,
        // or with one in flight (it acts; its reply and the journal update are lost).
        let cut = (attempt < 2 && rng.bool()).then(|| rng.u32(1..8));
        let Some(out) = drive_cut(&mut engine, t, clock, cut, rng.bool()) else {
            tally.interrupted += 1;
            tally.resumes += 1;
            journal = Some(engine.journal().clone());
            continue;
        };
        tally.refreshes += u64::from(out.token_refreshes);
        match out.result {
            Ok(report) => {
                tally.retries += u64::from(report.retries);
                shown.extend(report.secrets.iter().map(|s| s.key_id.clone()));
                let problems = registration_problems(plan, t);
                if !problems.is_empty() {
                    tally.silent_partial.push(format!("seed {seed}: {problems:?}"));
                }
                return report.journal;
            }
            Err(stop) => {
                *tally.stops.entry(format!("{:?}", stop.kind)).or_default() += 1;
                shown.extend(stop.secrets.iter().map(|s| s.key_id.clone()));
                assert!(stop.message.contains("To resume"), "seed {seed}: {}", stop.message);
                if std::env::var("SOAK_DEBUG").is_ok() {
                    eprintln!("seed {seed} attempt {attempt}: {stop:?}");
                }
                match stop.kind {
                    StopKind::SoftDeleted => {
                        assert!(stop.message.contains("restore") && stop.message.contains("purge"), "{}", stop.message);
                        settings.soft_deleted = if rng.bool() { SoftDeleted::Restore } else { SoftDeleted::Purge };
                    }
                    StopKind::InsufficientScope => {
                        let scope = sc.dropped_scope.expect("only a token made short lacks scopes");
                        assert!(stop.message.contains(scope), "seed {seed}: {}", stop.message);
                        t.token_scopes.push(scope.to_string());
                    }
                    StopKind::Forbidden => {
                        assert!(sc.pim_admin, "seed {seed}: forbidden without cause: {}", stop.message);
                        assert!(stop.message.contains("Privileged Role Administrator"), "{}", stop.message);
                        // The admin activates the eligible role in PIM.
                        t.user.roles.append(&mut t.user.eligible_roles);
                    }
                    _ => {}
                }
                journal = Some(out.journal);
                tally.resumes += 1;
            }
        }
    }
    panic!("seed {seed}: not finished after {MAX_RESUMES} resumes ({:?})", t.faults);
}

const ADMINS_SCOPE: &str = "Contacts.Read";

/// Registers an app by hand (no faults yet), with its service principal and a grant if the scenario says.
fn seed_existing(t: &mut Tenant, e: &Existing) -> String {
    let (_, app_id) = t.seed_application("Registered by hand", None);
    let mut call = |method: &str, url: &str, body: serde_json::Value| match t.exchange(
        method,
        url,
        Some("create-if-missing"),
        &body,
        0,
    ) {
        lucs_sandbox::Exchange::Reply(r) => r.body,
        lucs_sandbox::Exchange::Dropped => unreachable!("no faults while seeding"),
    };
    if e.with_sp {
        let sp = call(
            "PATCH",
            &format!("/servicePrincipals(appId='{app_id}')"),
            serde_json::json!({"displayName": "Named by hand"}),
        );
        if e.with_grant {
            let graph = t.graph_sp_id().to_string();
            let grant = serde_json::json!({"clientId": sp["id"], "consentType": "AllPrincipals", "resourceId": graph, "scope": ADMINS_SCOPE});
            let mut call = |method: &str, url: &str, body: serde_json::Value| t.exchange(method, url, None, &body, 0);
            let _ = call("POST", "/oauth2PermissionGrants", grant);
        }
    }
    app_id
}

/// After rollback, an app registered by hand is as it was: its permissions, its service principal, the admin's
/// grant — and nothing else of the tool's.
fn assert_restored(t: &Tenant, app_id: &str, e: &Existing, seed: u64) {
    let reg = t.registration_by_app_id(app_id).expect("the app registered by hand stays");
    assert_eq!(reg.body["requiredResourceAccess"], serde_json::json!([]), "seed {seed}");
    assert_eq!(reg.service_principal_id.is_some(), e.with_sp, "seed {seed}");
    assert_eq!(reg.scopes, if e.with_grant { ADMINS_SCOPE } else { "" }, "seed {seed}");
    assert!(reg.app_role_ids.is_empty(), "seed {seed}");
}

/// Pre-flight without faults: a group-held role passes, a PIM-eligible one is named with what to do.
fn check_preflight(plan: &Plan, t: &mut Tenant, clock: &mut u64, sc: &Scenario, seed: u64) {
    let faults = std::mem::replace(&mut t.faults, Faults::none());
    let p = drive_job(PreflightJob::new(Some(plan.clone())), t, clock).expect("pre-flight reads");
    t.faults = faults;
    if sc.pim_admin {
        assert!(p.blockers.iter().any(|b| b.contains("activate it")), "seed {seed}: {p:?}");
    } else if sc.group_admin {
        assert!(p.blockers.is_empty(), "seed {seed}: a group-held Global Administrator is blocked: {p:?}");
    } else if sc.member_pra {
        assert!(p.blockers.is_empty(), "seed {seed}: a Privileged Role Administrator is blocked: {p:?}");
    }
}

#[test]
fn a_thousand_fault_schedules_end_registered_without_duplicates_or_orphaned_secrets() {
    let base = full_plan();
    let mut tally = Tally::default();
    let mut sandbox: BTreeMap<String, u64> = BTreeMap::new();
    let only: Option<u64> = std::env::var("SOAK_SEED").ok().and_then(|s| s.parse().ok());
    for seed in (0..RUNS).filter(|s| only.is_none_or(|o| o == *s)) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut t = Tenant::new(seed);
        let faults = Faults::random(&mut rng);
        // Real Graph refuses duplicates (400/409); half the schedules accept them so any would be counted.
        t.refuse_duplicates = rng.bool();
        tally.counting += u64::from(!t.refuse_duplicates);
        let mut clock = 1_790_000_000_000u64;
        let sc = scenario(&mut rng, base.applications.len());
        let mut plan = base.clone();
        let by_hand = sc.existing.as_ref().map(|e| {
            *tally.scenarios.entry("applied onto an app registered by hand").or_default() += 1;
            let app_id = seed_existing(&mut t, e);
            plan.applications[e.app].target_app_id = Some(app_id.clone());
            app_id
        });
        t.faults = faults;
        if let Some(i) = sc.soft_deleted {
            t.seed_deleted_application("Deleted earlier", &plan.applications[i].key, clock - 86_400_000);
            *tally.scenarios.entry("soft-deleted uniqueName holder").or_default() += 1;
        }
        if sc.group_admin || sc.pim_admin {
            t.token_scopes.push("RoleEligibilitySchedule.Read.Directory".into());
        }
        if sc.group_admin {
            t.user.roles.clear();
            t.user.group_roles = vec!["Global Administrator".into()];
            *tally.scenarios.entry("group-assigned Global Administrator").or_default() += 1;
        }
        if sc.pim_admin {
            t.user.roles = vec!["Application Administrator".into()];
            t.user.eligible_roles = vec!["Privileged Role Administrator".into()];
            *tally.scenarios.entry("PIM-eligible Privileged Role Administrator").or_default() += 1;
        }
        if sc.member_pra {
            t.user.roles = vec!["Privileged Role Administrator".into()];
            t.token_scopes.extend(["RoleEligibilitySchedule.Read.Directory", "Policy.Read.All"].map(String::from));
            *tally.scenarios.entry("Privileged Role Administrator registering as a member").or_default() += 1;
        }
        if let Some((dup400, named, unbatched)) = sc.quirks {
            t.quirks.duplicate_grant_400 = dup400;
            t.quirks.sp_upsert_needs_display_name = named;
            t.quirks.batch_ignores_prefer = unbatched;
            *tally.scenarios.entry("Graph's other answers (duplicate grant 400, upsert forms refused)").or_default() +=
                1;
        }
        if let Some(scope) = sc.dropped_scope {
            t.token_scopes.retain(|s| s != scope);
            *tally.scenarios.entry("token with too few scopes").or_default() += 1;
        }
        check_preflight(&plan, &mut t, &mut clock, &sc, seed);
        let rollback = sc.rollback;
        let mut s = Schedule { seed, sc, rng, shown: BTreeSet::new() };
        let mut journal = register(&plan, &mut t, &mut clock, &mut s, &mut tally);
        if rollback {
            *tally.scenarios.entry("register, rollback, register").or_default() += 1;
            // Rollback over a flaky connection: its deletes and edits lose replies too.
            let calm = t.faults.clone();
            t.faults.drop = t.faults.drop.max(0.3);
            t.faults.server_error = t.faults.server_error.max(0.1);
            if std::env::var("SOAK_DEBUG").is_ok() {
                eprintln!("journal before rollback: {}", serde_json::to_string(&journal).unwrap());
                eprintln!("tally: {:?}", t.tally);
            }
            for _ in 0..5 {
                let rb = drive_job(RollbackJob::new(&journal), &mut t, &mut clock).expect("rollback runs");
                if std::env::var("SOAK_DEBUG").is_ok() {
                    eprintln!("seed {seed} rollback: {rb:?}");
                }
                if rb.failed.is_empty() {
                    break;
                }
            }
            t.faults = calm;
            let left = usize::from(by_hand.is_some());
            assert_eq!((t.application_count(), t.deleted_count()), (left, 0), "seed {seed}: rollback left objects");
            if let (Some(app_id), Some(e)) = (&by_hand, &s.sc.existing) {
                assert_restored(&t, app_id, e, seed);
            }
            journal = register(&plan, &mut t, &mut clock, &mut s, &mut tally);
        }
        for app in plan.applications.iter().filter(|a| a.create_secret) {
            let ours = journal.app(&app.key).is_some_and(|r| r.existed == Some(false));
            let live = t.secret_key_ids(&app.key);
            for k in live.iter().filter(|k| !s.shown.contains(*k)) {
                tally.orphaned.push(format!("seed {seed}: {} secret {k} never shown", app.key));
            }
            if ours && live.len() != 1 {
                tally.orphaned.push(format!("seed {seed}: {} has {} secrets", app.key, live.len()));
            }
        }
        let dups = t.duplicates();
        assert!(dups.is_empty(), "seed {seed}: duplicates {dups:?} with {:?}", t.faults);
        assert_eq!(t.application_count(), plan.applications.len(), "seed {seed}");
        for (k, v) in &t.tally {
            *sandbox.entry(k.clone()).or_default() += v;
        }
    }
    assert_eq!(tally.silent_partial, Vec::<String>::new(), "an Ok run left the tenant incomplete");
    assert_eq!(tally.orphaned, Vec::<String>::new(), "orphaned secrets");
    if only.is_none() {
        // Each modelled behaviour actually happened somewhere in the soak.
        for needed in [
            "lost reply: application create",
            "lost reply: service principal upsert",
            "lost reply: grant",
            "lost reply: app role assignment",
            "lost reply: addPassword",
            "lost reply: application delete",
            "lost reply: permanent delete",
            "lost reply: application update",
            "lost reply: grant update",
            "lost reply: app role assignment delete",
            "lost reply: grant delete",
            "lost reply: service principal delete",
            "replication: grant 404 Request_ResourceNotFound",
            "replication: grant 404 Directory_ObjectNotFound company information",
            "replication: grant 400 not present",
            "replication: assignment 400 Not a valid reference update",
            "replication: assignment 404 Request_ResourceNotFound",
            "replication: service principal 400 no valid application object",
            "replication: service principal 403 backing application",
            "concurrency: credential write 409 Directory_ConcurrencyViolation",
            "lost reply: removePassword",
        ] {
            assert!(sandbox.get(needed).is_some_and(|n| *n > 0), "never happened: {needed}; {sandbox:#?}");
        }
        assert_eq!(tally.scenarios.len(), 8, "{:?}", tally.scenarios);
    }
    println!(
        "soak: runs={RUNS} duplicates=0 orphaned_secrets=0 silent_partial_states=0 schedules_counting_duplicates={} retries={} resumes={} interrupted={} token_refreshes={} stops={:?} scenarios={:?}",
        tally.counting, tally.retries, tally.resumes, tally.interrupted, tally.refreshes, tally.stops, tally.scenarios
    );
    println!("soak sandbox: {sandbox:?}");
}
