//! Windows of employment and of plans (issue 23, items 1 and 3): only work inside the days a
//! statement is prorated to is credited, and a quota for a payout period split between plans
//! is split by days. Default curve: threshold 0.5, accelerator 1.5, cap 2.

use super::*;
use crate::comp::statement::TargetSource;
use crate::model::quota::{Quota, Quotas};

/// `n` accepted hand-offs of `sdr` whose one meeting was held at `held`, with leads named
/// `{prefix}{i}` so several batches of one SDR never share a lead.
fn held(fx: &mut Fx, sdr: &str, prefix: &str, n: usize, held: &str) {
    for i in 0..n {
        let lead = format!("{prefix}{i}");
        fx.handoff(
            &lead,
            sdr,
            "ae",
            "2026-07-20 10:00",
            Decision::Accepted,
            None,
        );
        fx.meeting(&lead, held, MeetingStatus::Held);
    }
}

fn leaver() -> Fx {
    let mut fx = Fx::new();
    fx.ds.playbook.comp.plans = vec![sdr_plan()];
    fx.rep("ae", Role::Ae, "PA", "2024-01-01", None);
    fx.rep("s-left", Role::Sdr, "P1", "2025-01-01", Some("2026-08-15"));
    fx
}

#[test]
fn a_leaver_is_credited_only_up_to_the_last_day() {
    let mut fx = leaver();
    fx.activity("s-left", "2026-08-10", 300, 0); // inside: 300 points
    fx.activity("s-left", "2026-08-25", 400, 0); // after leaving on the 15th: not credited
    held(&mut fx, "s-left", "in", 3, "2026-08-12 15:00"); // inside
    held(&mut fx, "s-left", "out", 2, "2026-08-20 15:00"); // after leaving
    let r = report(&fx, "2026-08", &Quotas::default());
    let s = statement(&r, "s-left", "2026-08");
    assert_eq!(s.active_days, 15);
    // Activity: target 1000 × 15/31 = 15000/31; 300 / (15000/31) = 0.62 (linear);
    // 25000 × 0.2 × 0.62 × 15 / 372 = 46500 / 372 = 125.00. Counting the 400 dials of the
    // 25th would give 700 × 31 / 15000 = 1.4466… → 1.67 → 336.69.
    let a = line(s, CompMetric::ActivityPoints);
    assert_eq!((a.actual, a.attainment), (dec("300"), Some(dec("0.62"))));
    assert_eq!(a.payout, dec("125.00"));
    assert_eq!(a.evidence.len(), 1, "only the 10th is evidence");
    // Meetings: target 10 × 15/31 = 150/31; 3 / (150/31) = 0.62;
    // 25000 × 0.5 × 0.62 × 15 / 372 = 116250 / 372 = 312.50 (the two held on the 20th,
    // after leaving, would make it 5 → 1.0333… → 1.05 → 529.23).
    let m = line(s, CompMetric::AcceptedMeetings);
    assert_eq!((m.actual, m.payout), (dec("3"), dec("312.50")));
    // 125.00 + 312.50 + 0.00 (no pod revenue)
    assert_eq!(s.total, dec("437.50"));
}

#[test]
fn a_starter_is_not_credited_before_the_first_day() {
    let mut fx = Fx::new();
    fx.ds.playbook.comp.plans = vec![sdr_plan()];
    fx.rep("s-new", Role::Sdr, "P1", "2026-08-17", None);
    fx.activity("s-new", "2026-08-10", 400, 0); // before the start date: not credited
    fx.activity("s-new", "2026-08-20", 300, 0);
    let r = report(&fx, "2026-08", &Quotas::default());
    let s = statement(&r, "s-new", "2026-08");
    // 17-31 August = 15 of 31 days: as for the leaver, 300 points → 0.62 → 125.00.
    assert_eq!(s.active_days, 15);
    let a = line(s, CompMetric::ActivityPoints);
    assert_eq!((a.actual, a.payout), (dec("300"), dec("125.00")));
}

#[test]
fn a_quota_split_by_a_plan_change_is_prorated_by_days() {
    let mut fx = Fx::new();
    let new_plan = Plan {
        name: "SDR from mid-August".into(),
        reps: vec!["s-sw".into()],
        effective_from: day("2026-08-16"),
        ..sdr_plan()
    };
    fx.ds.playbook.comp.plans = vec![sdr_plan(), new_plan];
    fx.rep("ae", Role::Ae, "PA", "2024-01-01", None);
    fx.rep("s-sw", Role::Sdr, "P8", "2025-01-01", None);
    held(&mut fx, "s-sw", "a", 6, "2026-08-10 15:00"); // old plan, 1-15 August
    held(&mut fx, "s-sw", "b", 6, "2026-08-20 15:00"); // new plan, 16-31 August
    let source = Source {
        file: "data/quotas.csv".into(),
        line: 2,
    };
    let mut quotas = Quotas::default();
    let q = Quota {
        target: dec("12"),
        source: source.clone(),
    };
    let aug = Period::parse("2026-08").unwrap();
    assert!(quotas
        .insert("s-sw", aug, CompMetric::AcceptedMeetings, q)
        .is_none());
    let r = report(&fx, "2026-08", &quotas);
    let mine: Vec<&Statement> = r.statements.iter().filter(|s| s.rep_id == "s-sw").collect();
    let (old, new) = (mine[0], mine[1]);
    // Old plan: 15 of the 31 days → quota 12 × 15/31 = 180/31; 6 / (180/31) = 31/30 → 1.05;
    // 25000 × 0.5 × 1.05 × 15 / 372 = 529.233… → 529.23.
    let o = line(old, CompMetric::AcceptedMeetings);
    assert_eq!(
        o.target_source,
        TargetSource::QuotaProrated {
            source: source.clone(),
            days: 15,
            of: 31
        }
    );
    assert_eq!(o.payout, dec("529.23"));
    // New plan: 16 days → 12 × 16/31 = 192/31; 6 / (192/31) = 0.96875 (linear);
    // 25000 × 0.5 × 0.96875 × 16 / 372 = 520.833… → 520.83. Together 1,050.06 for 12 of
    // 12 meetings; with the whole quota on each half they made 0.5 each: 251.99 + 268.82.
    let n = line(new, CompMetric::AcceptedMeetings);
    assert_eq!(
        n.target_source,
        TargetSource::QuotaProrated {
            source,
            days: 16,
            of: 31
        }
    );
    assert_eq!(n.payout, dec("520.83"));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn a_quota_for_one_whole_window_is_taken_as_given() {
    // A starter's quota is set for the days they work: not prorated again (15 active days
    // are all the days any plan paid them).
    let mut fx = Fx::new();
    fx.ds.playbook.comp.plans = vec![sdr_plan()];
    fx.rep("ae", Role::Ae, "PA", "2024-01-01", None);
    fx.rep("s-new", Role::Sdr, "P1", "2026-08-17", None);
    held(&mut fx, "s-new", "a", 4, "2026-08-20 15:00");
    let mut quotas = Quotas::default();
    let q = Quota {
        target: dec("4"),
        source: Source {
            file: "data/quotas.csv".into(),
            line: 2,
        },
    };
    let aug = Period::parse("2026-08").unwrap();
    quotas.insert("s-new", aug, CompMetric::AcceptedMeetings, q);
    let r = report(&fx, "2026-08", &quotas);
    let l = line(
        statement(&r, "s-new", "2026-08"),
        CompMetric::AcceptedMeetings,
    );
    // 4 / 4 = 1 → 25000 × 0.5 × 15 / 372 = 504.032… → 504.03
    assert_eq!((l.target, l.payout), (dec("4"), dec("504.03")));
}
