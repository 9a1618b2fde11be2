#![cfg(not(target_arch = "wasm32"))]
//! Fault soak: seeded random fault schedules (throttling, server errors before or after acting, dropped
//! connections, replication windows, expired tokens) and random interruptions. Every run must end with exactly
//! one app per planned key, each with its service principal, grant and role assignments — resuming from the
//! journal where it stopped — and never a duplicate. The sandbox accepts duplicates here, so any would be counted.

mod common;

use common::full_plan;
use common::sandbox::{assert_registered, drive};
use lucs_registrar::engine::{Engine, Settings};
use lucs_sandbox::{Faults, Tenant};

const RUNS: u64 = 1000;
const MAX_RESUMES: u32 = 20;

#[test]
fn a_thousand_fault_schedules_end_registered_without_duplicates() {
    let plan = full_plan();
    let (mut retries, mut resumes, mut interrupted, mut refreshes, mut stops) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let only: Option<u64> = std::env::var("SOAK_SEED").ok().and_then(|s| s.parse().ok());
    for seed in 0..RUNS {
        if only.is_some_and(|o| o != seed) {
            continue;
        }
        let mut schedule = fastrand::Rng::with_seed(seed);
        let mut tenant = Tenant::new(seed);
        tenant.faults = Faults::random(&mut schedule);
        tenant.refuse_duplicates = false;
        let mut clock = 1_790_000_000_000u64;
        let settings = Settings { seed, ..Settings::default() };
        let mut journal = None;
        let mut finished = false;
        for attempt in 0..=MAX_RESUMES {
            let mut engine = Engine::new(plan.clone(), journal.take(), Some(tenant.id.clone()), settings.clone());
            // Some runs are cut off mid-way, as a closed popup or a stopped service worker would.
            let cut = (attempt == 0 && schedule.bool()).then(|| schedule.u32(1..6));
            match drive(&mut engine, &mut tenant, &mut clock, cut) {
                None => {
                    interrupted += 1;
                    journal = Some(engine.journal().clone());
                }
                Some(out) => {
                    refreshes += u64::from(out.token_refreshes);
                    match out.result {
                        Ok(report) => {
                            retries += u64::from(report.retries);
                            finished = true;
                        }
                        Err(stop) => {
                            stops += 1;
                            journal = Some(out.journal);
                            // SOAK_SEED=n SOAK_DEBUG=1 replays one schedule and says why each part stopped.
                            if std::env::var("SOAK_DEBUG").is_ok() {
                                eprintln!("seed {seed} attempt {attempt}: {stop:?}");
                            }
                        }
                    }
                }
            }
            if finished {
                break;
            }
            resumes += 1;
        }
        assert!(finished, "seed {seed}: not finished after {MAX_RESUMES} resumes ({:?})", tenant.faults);
        let dups = tenant.duplicates();
        assert!(dups.is_empty(), "seed {seed}: duplicates {dups:?} with {:?}", tenant.faults);
        assert_registered(&plan, &tenant);
        assert_eq!(tenant.application_count(), plan.applications.len(), "seed {seed}");
    }
    println!(
        "soak: runs={RUNS} retries={retries} resumes={resumes} interrupted={interrupted} stops={stops} token_refreshes={refreshes} duplicates=0"
    );
}
