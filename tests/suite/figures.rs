//! Issue 19, "Figures": defects found against an independent implementation, on
//! `tests/fixtures/figures`. Every expected figure is counted by hand in the fixture's README.

use baton::metrics::cadence::CadenceMetrics;
use baton::metrics::facts::{handoff_facts, Sla};
use baton::metrics::stats::Rate;
use baton::metrics::{compute, data_as_of, MetricsReport};
use baton::period::Period;
use chrono::{DateTime, Utc};

use crate::util::load;

/// October 2026 at as_of 2026-11-02T09:00:00Z, given rather than found, so items 1 and 5 are
/// tested apart from item 6.
fn report() -> MetricsReport {
    let loaded = load("figures");
    assert!(loaded.rejections.is_empty(), "{:?}", loaded.rejections);
    compute(&loaded.dataset, Period::month(2026, 10), as_of())
}

fn as_of() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-02T09:00:00Z")
        .expect("as_of")
        .with_timezone(&Utc)
}

/// (held, expected, adherence) of one entity's 1:1 cadence.
fn cadence(c: Option<&CadenceMetrics>) -> (u64, u64, Rate) {
    let c = c.expect("1:1 cadence");
    (
        c.one_on_ones_held,
        c.one_on_ones_expected,
        c.one_on_one_adherence,
    )
}

/// Item 6: a slot that was canceled did not happen at its slot time, so M2 (canceled, slot
/// 2026-12-03) moves neither as_of, nor the default period, nor L4's never-followed-up check.
#[test]
fn a_canceled_slot_does_not_count_toward_as_of() {
    let loaded = load("figures");
    let ds = &loaded.dataset;
    let as_of = data_as_of(ds, chrono_tz::UTC).expect("as_of");
    assert_eq!(as_of.to_rfc3339(), "2026-11-02T09:00:00+00:00");
    assert_eq!(Period::default_for(as_of.date_naive()).label(), "2026-10");
    let facts = handoff_facts(ds, as_of, chrono_tz::UTC);
    let l4 = ds
        .handoffs
        .iter()
        .position(|h| h.lead_id == "L4")
        .expect("L4");
    assert_eq!(
        facts[l4].sla,
        Sla::Open,
        "L4 was handed off at as_of itself"
    );
    let november = compute(ds, Period::month(2026, 11), as_of)
        .current
        .team
        .cohort;
    assert_eq!(
        (november.sla_breaches, november.ae_never_followed_up),
        (0, 0)
    );
}

/// Item 1: 1:1s held count every row of the period for both reps; only expected and adherence
/// follow the cadence units.
#[test]
fn one_on_ones_held_count_every_row_for_both_reps() {
    let m = report().current;
    let r = Rate::new;
    assert_eq!(cadence(m.team.cadence.as_ref()), (5, 8, r(3, 8)));
    assert_eq!(cadence(m.pods["North"].cadence.as_ref()), (2, 4, r(1, 4)));
    assert_eq!(cadence(m.pods["South"].cadence.as_ref()), (3, 4, r(2, 4)));
    assert_eq!(cadence(m.sdrs["s1"].cadence.as_ref()), (2, 4, r(1, 4)));
    assert_eq!(cadence(m.sdrs["s2"].cadence.as_ref()), (3, 4, r(2, 4)));
    assert_eq!(cadence(m.aes["a1"].cadence.as_ref()), (2, 4, r(1, 4)));
    assert_eq!(cadence(m.aes["a2"].cadence.as_ref()), (1, 0, r(0, 0)));
    // An AE of a pool pod with two 1:1s.
    assert_eq!(cadence(m.aes["a3"].cadence.as_ref()), (2, 0, r(0, 0)));
    let held = |c: Option<&CadenceMetrics>| c.map_or(0, |c| c.one_on_ones_held);
    let aes: u64 = m.aes.values().map(|e| held(e.cadence.as_ref())).sum();
    let pairs: u64 = m
        .pairs
        .iter()
        .map(|p| held(p.metrics.cadence.as_ref()))
        .sum();
    assert_eq!((aes, pairs), (5, 5), "AEs and pairs add up to the team");
}

/// Item 5: the pairs listed are the playbook's pairings and every pair with a hand-off, a deal
/// closed or a 1:1 in the period.
#[test]
fn pairs_listed_are_pairings_and_pairs_with_something_in_the_period() {
    let m = report().current;
    let listed: Vec<(&str, &str)> = m
        .pairs
        .iter()
        .map(|p| (p.sdr.as_str(), p.ae.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("s1", "a1"),
            ("s1", "a2"),
            ("s1", "a3"),
            ("s2", "a1"),
            ("s2", "a3")
        ]
    );
    let pair = |s: &str, a: &str| {
        &m.pairs
            .iter()
            .find(|p| p.sdr == s && p.ae == a)
            .expect("pair")
            .metrics
    };
    let deal = pair("s1", "a3");
    assert_eq!(deal.cohort.meetings_booked, 0);
    assert_eq!(deal.closed.closed_won, 1);
    assert_eq!(deal.closed.closed_won_amount.to_string(), "1000.00");
    assert_eq!(cadence(deal.cadence.as_ref()), (0, 0, Rate::new(0, 0)));
    let r = Rate::new;
    assert_eq!(cadence(pair("s1", "a1").cadence.as_ref()), (1, 4, r(1, 4)));
    assert_eq!(cadence(pair("s1", "a2").cadence.as_ref()), (1, 0, r(0, 0)));
    assert_eq!(cadence(pair("s2", "a1").cadence.as_ref()), (1, 0, r(0, 0)));
    assert_eq!(cadence(pair("s2", "a3").cadence.as_ref()), (2, 0, r(0, 0)));
}

/// Item 3: sub-second timestamps, naive (`.fff`) and with an offset, are kept through parsing
/// and the SLA is compared strictly: 24 h and half a second, or one millisecond, is late.
#[test]
fn the_sla_is_compared_to_the_fraction_of_a_second() {
    let loaded = load("figures");
    assert!(loaded.rejections.is_empty(), "{:?}", loaded.rejections);
    let ds = &loaded.dataset;
    let facts = handoff_facts(ds, as_of(), chrono_tz::UTC);
    let of = |lead: &str| {
        &facts[ds
            .handoffs
            .iter()
            .position(|h| h.lead_id == lead)
            .expect(lead)]
    };
    assert_eq!(of("L5").sla, Sla::Late);
    assert_eq!(of("L6").sla, Sla::Late);
    assert_eq!(of("L7").sla, Sla::Met);
    let hours = of("L5").follow_up_hours.get().expect("L5 was contacted");
    assert!((hours - (24.0 + 0.5 / 3600.0)).abs() < 1e-9, "{hours}");
    let c = report().current.team.cohort;
    assert_eq!(c.sla_breaches, 2);
    assert_eq!(c.sla_breach_rate, Rate::new(2, 5));
}

/// Item 4: every "ignoring case" match is full Unicode case folding, accents kept: a header
/// `MASSNAHME` for the mapping's `Maßnahme`, values `abgesagt (gross)` for `Abgesagt (Groß)`,
/// and loss reason `MAUVAISE QUALITÉ` for the playbook's `Mauvaise qualité`.
#[test]
fn ignoring_case_is_unicode_case_folding() {
    let loaded = load("figures");
    assert!(loaded.rejections.is_empty(), "{:?}", loaded.rejections);
    let ds = &loaded.dataset;
    let status = |id: &str| {
        let m = ds.meetings.iter().find(|m| &*m.meeting_id == id).expect(id);
        format!("{:?}", m.status)
    };
    assert_eq!(
        (status("M1"), status("M2")),
        ("Held".into(), "Canceled".into())
    );
    let closed = report().current.team.closed;
    assert_eq!((closed.closed_won, closed.closed_lost), (1, 2));
    assert_eq!(closed.handoff_related_loss_share, Rate::new(1, 2));
}
