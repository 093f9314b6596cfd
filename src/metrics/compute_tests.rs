//! [`compute`] over a small team, every figure counted by hand (issue 25: the accumulators'
//! arithmetic is pinned in their own modules; these pin who gets each row and when).
//!
//! New York time (UTC-4 until 1 November 2026, UTC-5 after); the period is October 2026,
//! as_of 2026-11-05T12:00Z. Reps: SDRs s1 (pod P1) and s2 (P2), AEs a1 (P1) and a2 (P2), a
//! manager m1 (P1). P1 is dedicated, pairing s1 with a1; P2 is a pool. Weekly 1:1s: s1-a1 on
//! 31 October and 1 November, s2-a2 on 15 October, s1-a2 on 7 and 8 October.
//!
//! | lead | SDR → AE (warm unless said) | handoff_at (UTC) | local day | meeting |
//! |---|---|---|---|---|
//! | L1 | s1 → a1 | 10-01 03:30 | 30 Sept. 23:30: September | held |
//! | L2 | s1 → a1 | 11-01 03:30 | 31 Oct. 23:30: October | held 11-02 |
//! | L3 | s1 → a2 | 10-10 15:00 | October | held 10-12 |
//! | L4 | s2 → a2 (cold) | 10-15 15:00 | October | no-show 10-16 |
//! | L5 | s2 → a2 | 10-20 15:00 | October | held exactly at as_of |
//!
//! Deals: O3 on L3 (AE a2) won 1000 on 10-20; O4 on L4 lost on 10-25; O5 on L5 open, 500;
//! O8 on L1 (AE a1) won 300 on 11-02 (open at October's end); O9 with no lead (AE a1) won
//! 200 on 10-31, created 10-01.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::*;
use crate::model::{
    Handoff, HandoffType, Meeting, MeetingStatus, OneOnOne, Opportunity, Source, Table,
};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn src() -> Source {
    Source {
        file: "data/x.csv".into(),
        line: 2,
    }
}

fn rep(id: &str, role: Role, pod: &str) -> Rep {
    Rep {
        id: id.into(),
        name: id.into(),
        role,
        pod: pod.into(),
        start_date: d("2025-01-01"),
        end_date: None,
        payroll_id: None,
        source: src(),
    }
}

fn handoff(lead: &str, sdr: &str, ae: &str, at: &str) -> Handoff {
    Handoff {
        source: src(),
        ..Handoff::example(lead, sdr, ae, t(at))
    }
}

fn meeting(lead: &str, at: &str, status: MeetingStatus) -> Meeting {
    Meeting {
        meeting_id: format!("M{lead}").into(),
        lead_id: lead.into(),
        scheduled_for: t(at),
        status,
        source: src(),
    }
}

fn deal(
    id: &str,
    lead: Option<&str>,
    ae: &str,
    created: &str,
    amount: &str,
    close: Option<&str>,
    status: OpportunityStatus,
) -> Opportunity {
    Opportunity {
        opportunity_id: id.into(),
        lead_id: lead.map(str::to_string),
        ae_id: ae.into(),
        created_at: t(created),
        amount: amount.parse().unwrap(),
        close_date: close.map(d),
        status,
        loss_reason: String::new(),
        reversed_at: None,
        segments: Vec::new(),
        source: src(),
    }
}

fn one_on_one(sdr: &str, ae: &str, day: &str) -> OneOnOne {
    OneOnOne {
        sdr_id: sdr.into(),
        ae_id: ae.into(),
        date: d(day),
        duration_minutes: 30,
        notes: None,
        source: src(),
    }
}

fn counts(calls: u64, connected: u64) -> DayCounts {
    DayCounts {
        calls,
        connected,
        ..DayCounts::default()
    }
}

fn team() -> Dataset {
    use MeetingStatus::{Held, NoShow};
    use OpportunityStatus::{Lost, Open, Won};
    let mut playbook = crate::playbook::Playbook::default();
    playbook.site.timezone = "America/New_York".into();
    // P1 pairs s1 with a1 (a weekly 1:1); P2 is not in team.yaml, so a pool.
    playbook.team.pods = vec![crate::playbook::Pod {
        name: "P1".into(),
        pairing: Pairing::Dedicated,
        team_goal_share: Decimal::new(1, 1),
    }];
    playbook.team.pairings = vec![crate::playbook::PairDef {
        sdr: "s1".into(),
        ae: "a1".into(),
    }];
    Dataset {
        playbook,
        reps: vec![
            rep("s1", Role::Sdr, "P1"),
            rep("s2", Role::Sdr, "P2"),
            rep("a1", Role::Ae, "P1"),
            rep("a2", Role::Ae, "P2"),
            rep("m1", Role::Manager, "P1"),
        ],
        activity: [
            // s1 on 31 October and 1 November (not October); s2 on 1 October; the AE's and
            // the manager's calls are not the team's.
            (("s1", "2026-10-31"), counts(10, 2)),
            (("s1", "2026-11-01"), counts(5, 5)),
            (("s2", "2026-10-01"), counts(4, 1)),
            (("a1", "2026-10-05"), counts(3, 0)),
            (("m1", "2026-10-05"), counts(7, 7)),
        ]
        .into_iter()
        .map(|((r, day), c)| ((r.to_string(), d(day)), c))
        .collect(),
        activity_files: Vec::new(),
        handoffs: vec![
            handoff("L1", "s1", "a1", "2026-10-01T03:30:00Z"),
            handoff("L2", "s1", "a1", "2026-11-01T03:30:00Z"),
            handoff("L3", "s1", "a2", "2026-10-10T15:00:00Z"),
            Handoff {
                handoff_type: HandoffType::Cold,
                ..handoff("L4", "s2", "a2", "2026-10-15T15:00:00Z")
            },
            handoff("L5", "s2", "a2", "2026-10-20T15:00:00Z"),
        ],
        meetings: vec![
            meeting("L1", "2026-10-02T15:00:00Z", Held),
            meeting("L2", "2026-11-02T15:00:00Z", Held),
            meeting("L3", "2026-10-12T15:00:00Z", Held),
            meeting("L4", "2026-10-16T15:00:00Z", NoShow),
            meeting("L5", "2026-11-05T12:00:00Z", Held),
        ],
        opportunities: vec![
            deal(
                "O3",
                Some("L3"),
                "a2",
                "2026-10-13T15:00:00Z",
                "1000",
                Some("2026-10-20"),
                Won,
            ),
            deal(
                "O4",
                Some("L4"),
                "a2",
                "2026-10-17T15:00:00Z",
                "700",
                Some("2026-10-25"),
                Lost,
            ),
            // Open, expected to close on 15 December: an expected date is not an event.
            deal(
                "O5",
                Some("L5"),
                "a2",
                "2026-10-21T15:00:00Z",
                "500",
                Some("2026-12-15"),
                Open,
            ),
            deal(
                "O8",
                Some("L1"),
                "a1",
                "2026-10-05T15:00:00Z",
                "300",
                Some("2026-11-02"),
                Won,
            ),
            deal(
                "O9",
                None,
                "a1",
                "2026-10-01T12:00:00Z",
                "200",
                Some("2026-10-31"),
                Won,
            ),
        ],
        one_on_ones: vec![
            one_on_one("s1", "a1", "2026-10-31"),
            one_on_one("s1", "a1", "2026-11-01"),
            one_on_one("s2", "a2", "2026-10-15"),
            one_on_one("s1", "a2", "2026-10-07"),
            one_on_one("s1", "a2", "2026-10-08"),
        ],
        forecasts: Vec::new(),
        leads: Default::default(),
        present: vec![
            Table::Reps,
            Table::Activities,
            Table::Handoffs,
            Table::Meetings,
            Table::Opportunities,
            Table::OneOnOnes,
        ],
        gaps: Default::default(),
    }
}

const AS_OF: &str = "2026-11-05T12:00:00Z";

fn october() -> MetricsReport {
    compute(&team(), Period::month(2026, 10), t(AS_OF))
}

#[test]
fn the_data_runs_from_the_first_local_day_to_the_last_event() {
    let ds = team();
    let ny: Tz = "America/New_York".parse().unwrap();
    // The latest event is L5's meeting, exactly at 2026-11-05T12:00Z; O8's close (2 November,
    // through 23:59:59 local) and every other event are earlier. O5's expected close in
    // December is a forecast, not an event: it does not move the data's end.
    assert_eq!(data_as_of(&ds, ny), Some(t(AS_OF)));
    // The first is L1's hand-off, 03:30Z on 1 October: 30 September in New York.
    assert_eq!(data_first_day(&ds, ny), Some(d("2026-09-30")));
    let span = data_span(&ds, t(AS_OF), ny).unwrap();
    assert_eq!((span.from, span.to), (d("2026-09-30"), d("2026-11-05")));
}

#[test]
fn hand_offs_count_in_their_local_month_for_their_sdr_pod_ae_and_pair() {
    let m = october();
    let c = &m.current;
    // October's cohort: L2 (23:30 on the 31st local), L3, L4, L5; L1 is September's.
    assert_eq!(c.team.cohort.meetings_booked, 4);
    // Held L2, L3 and L5 (at as_of exactly); L4 no-show.
    assert_eq!((c.team.cohort.held, c.team.cohort.no_show), (3, 1));
    // Warm L2, L3, L5 all held: 3 of 3; cold L4 a no-show: 0 of 1.
    assert_eq!(c.team.cohort.show_rate_warm, stats::Rate::new(3, 3));
    assert_eq!(c.team.cohort.show_rate_cold, stats::Rate::new(0, 1));
    assert_eq!(m.previous.team.cohort.meetings_booked, 1);
    // By the SDR's pod: P1 has s1's L2, L3; P2 has s2's L4, L5.
    assert_eq!(c.pods["P1"].cohort.meetings_booked, 2);
    assert_eq!(c.pods["P2"].cohort.meetings_booked, 2);
    assert_eq!(c.sdrs["s1"].cohort.meetings_booked, 2);
    assert_eq!(c.sdrs["s2"].cohort.meetings_booked, 2);
    // By AE: a1 has L2; a2 has L3, L4, L5.
    assert_eq!(c.aes["a1"].cohort.meetings_booked, 1);
    assert_eq!(c.aes["a2"].cohort.meetings_booked, 3);
    let pair = |s: &str, a: &str| {
        c.pairs
            .iter()
            .find(|p| p.sdr == s && p.ae == a)
            .map(|p| p.metrics.cohort.meetings_booked)
    };
    assert_eq!(pair("s1", "a1"), Some(1));
    assert_eq!(pair("s1", "a2"), Some(1));
    assert_eq!(pair("s2", "a2"), Some(2));
    // The cohort's wins are its held hand-offs' deals won by as_of: O3 on L3, 1000.
    assert_eq!(c.team.cohort.won, 1);
    assert_eq!(c.team.cohort.won_amount, Decimal::from(1000));
}

#[test]
fn deals_close_in_their_month_for_the_sourcing_sdr_and_pod() {
    let m = october();
    let c = &m.current;
    let closed = |e: &EntityMetrics| {
        (
            e.closed.closed_won,
            e.closed.closed_lost,
            e.closed.closed_won_amount,
        )
    };
    let dec = Decimal::from;
    // Closed in October: O3 won 1000, O9 won 200, O4 lost; O8 closes in November.
    assert_eq!(closed(&c.team), (2, 1, dec(1200)));
    // O3 is sourced by s1 (pod P1) though its AE a2 is in P2; O9 has no SDR and goes to its
    // AE's pod, P1; O4 to s2's pod, P2.
    assert_eq!(closed(&c.pods["P1"]), (2, 0, dec(1200)));
    assert_eq!(closed(&c.pods["P2"]), (0, 1, dec(0)));
    assert_eq!(closed(&c.sdrs["s1"]), (1, 0, dec(1000)));
    assert_eq!(closed(&c.sdrs["s2"]), (0, 1, dec(0)));
    assert_eq!(closed(&c.aes["a1"]), (1, 0, dec(200)));
    assert_eq!(closed(&c.aes["a2"]), (1, 1, dec(1000)));
    // O3's cycle: created 13 October (local), won the 20th: 7 days; O9's: 1 to 31 October,
    // 30 days. Median (7 + 30) / 2 = 18.5.
    assert_eq!(c.team.closed.sales_cycle_days_n, 2);
    assert_eq!(c.team.closed.sales_cycle_days_median, Some(18.5));
    // Open at October's end: O5 (open, 500) and O8 (won only on 2 November, 300).
    assert_eq!(
        (
            c.team.closed.open_pipeline,
            c.team.closed.open_pipeline_amount
        ),
        (2, dec(800))
    );
    // September: O8 was created on 5 October, after it; nothing closed, nothing open.
    assert_eq!(closed(&m.previous.team), (0, 0, dec(0)));
    assert_eq!(m.previous.team.closed.open_pipeline, 0);
}

/// Forecasts of the period's months, per pod, against revenue closed won (1 − |actual −
/// forecast| / actual, floored at 0). October: P1 1,000 and P2 500, so the team 1,500
/// against 1,200 closed won: 1 − 300 / 1,200 = 0.75; P1 1 − |1,200 − 1,000| / 1,200 =
/// 0.8333…; P2 closed nothing: no accuracy. September's 999 is not October's. Without a
/// forecast row in the period there is no forecast figure at all.
#[test]
fn forecast_accuracy_sums_the_period_s_pods() {
    let none = october();
    assert!(none.current.team.forecast_accuracy.is_none());
    let mut ds = team();
    let forecast = |month, pod: &str, amount: i64| crate::model::Forecast {
        month: crate::model::YearMonth { year: 2026, month },
        pod: pod.into(),
        amount: Decimal::from(amount),
        source: src(),
    };
    ds.forecasts = vec![
        forecast(10, "P1", 1000),
        forecast(10, "P2", 500),
        forecast(9, "P1", 999),
    ];
    ds.present.push(Table::Forecasts);
    let m = compute(&ds, Period::month(2026, 10), t(AS_OF));
    let fa = |e: &EntityMetrics| {
        let f = e.forecast_accuracy.as_ref().expect("forecast");
        (f.value, f.actual, f.forecast)
    };
    let dec = Decimal::from;
    assert_eq!(fa(&m.current.team), (Some(0.75), dec(1200), dec(1500)));
    let (p1, ..) = fa(&m.current.pods["P1"]);
    assert!((p1.expect("P1") - 5.0 / 6.0).abs() < 1e-12, "{p1:?}");
    assert_eq!(fa(&m.current.pods["P2"]), (None, dec(0), dec(500)));
}

#[test]
fn activities_and_one_on_ones_count_on_their_days_for_their_reps() {
    let m = october();
    let c = &m.current;
    let dials = |e: &EntityMetrics| e.activity.as_ref().map(|a| (a.dials, a.conversations));
    // SDR calls in October: s1 10 (2 connected) on the 31st, s2 4 (1) on the 1st; s1's of
    // 1 November, the AE's and the manager's are not the team's.
    assert_eq!(dials(&c.team), Some((14, 3)));
    assert_eq!(dials(&c.pods["P1"]), Some((10, 2)));
    assert_eq!(dials(&c.pods["P2"]), Some((4, 1)));
    assert_eq!(dials(&c.sdrs["s1"]), Some((10, 2)));
    assert_eq!(dials(&c.aes["a1"]), Some((3, 0)));
    // The manager's calls are nobody's: no AE entry appears for m1.
    assert!(!c.aes.contains_key("m1"), "{:?}", c.aes.keys());
    // 1:1s in October: s1-a1 on the 31st, s2-a2 on the 15th, s1-a2 on the 7th and 8th;
    // s1-a1's of 1 November is not. Each counts for both reps, the pair and the SDR's pod.
    let held = |e: &EntityMetrics| e.cadence.as_ref().map(|x| x.one_on_ones_held);
    assert_eq!(held(&c.team), Some(4));
    assert_eq!(held(&c.pods["P1"]), Some(3));
    assert_eq!(held(&c.pods["P2"]), Some(1));
    assert_eq!(held(&c.sdrs["s1"]), Some(3));
    assert_eq!(held(&c.aes["a1"]), Some(1));
    assert_eq!(held(&c.aes["a2"]), Some(3));
    let pair = |s: &str, a: &str| {
        let p = c.pairs.iter().find(|p| p.sdr == s && p.ae == a).unwrap();
        p.metrics.cadence.clone().unwrap()
    };
    assert_eq!(pair("s1", "a1").one_on_ones_held, 1);
    assert_eq!(pair("s1", "a2").one_on_ones_held, 2);
    assert_eq!(pair("s2", "a2").one_on_ones_held, 1);
    // Units: P1's pairing s1-a1 and P2's pool unit s2 (with a2). October has 22 working
    // days, all before as_of and all employed: round(22 / 5) = 4 expected each. s1 met a1
    // once (its two 1:1s with a2 are not the pairing's), s2 met a2 once.
    let cadence = |e: &EntityMetrics| {
        let x = e.cadence.as_ref().unwrap();
        (x.one_on_ones_expected, x.one_on_one_adherence)
    };
    assert_eq!(cadence(&c.team), (8, stats::Rate::new(2, 8)));
    assert_eq!(cadence(&c.sdrs["s1"]), (4, stats::Rate::new(1, 4)));
    assert_eq!(cadence(&c.aes["a1"]), (4, stats::Rate::new(1, 4)));
    assert_eq!(cadence(&c.pods["P2"]), (4, stats::Rate::new(1, 4)));
    // A pair with no pairing expects nothing.
    assert_eq!(pair("s1", "a2").one_on_ones_expected, 0);
    assert_eq!(pair("s1", "a1").one_on_ones_expected, 4);
}

/// A period still running: as_of at noon on 5 October in New York (16:00Z). Activities count
/// through as_of's local day and not after it: s2's 4 calls (1 connected) of 1 October and
/// a1's 3 of the 5th (as_of's own day) count; s1's 10 of the 31st are not there yet.
#[test]
fn activities_count_through_as_of_day_and_not_after() {
    let m = compute(&team(), Period::month(2026, 10), t("2026-10-05T16:00:00Z"));
    let dials = |e: &EntityMetrics| e.activity.as_ref().map(|a| (a.dials, a.conversations));
    assert_eq!(dials(&m.current.team), Some((4, 1)));
    assert_eq!(dials(&m.current.sdrs["s2"]), Some((4, 1)));
    assert_eq!(dials(&m.current.aes["a1"]), Some((3, 0)));
    // s1 is listed (an SDR of the team) with no call by as_of: 0, a count, not unknown.
    assert_eq!(dials(&m.current.sdrs["s1"]), Some((0, 0)));
}

#[test]
fn the_previous_cohort_is_taken_at_the_same_age() {
    let ny: Tz = "America/New_York".parse().unwrap();
    // October ends at 2026-11-01T04:00Z (midnight, UTC-4), September at 2026-10-01T04:00Z;
    // as_of is 4 days 8 hours after October's end, so September is read at 2026-10-05T12:00Z.
    assert_eq!(
        age_matched_at(Period::month(2026, 10), t(AS_OF), ny),
        t("2026-10-05T12:00:00Z")
    );
}
