//! Properties that hold for any team: counts add up within every entity, and the pods', SDRs'
//! and AEs' figures sum to the team's. Checked on generated teams of several seeds and shapes,
//! for every period the report carries (current, previous and the six trend months).

use baton::generate::{write_project, GenOptions};
use baton::metrics::{compute, data_as_of, EntityMetrics, MetricsReport, PeriodMetrics};
use baton::period::Period;
use rust_decimal::Decimal;

fn report(opts: &GenOptions, period: &str) -> MetricsReport {
    let dir = tempfile::tempdir().expect("tmp");
    write_project(opts, dir.path()).expect("generate");
    let loaded = baton::input::load(&baton::input::ProjectPaths::new(dir.path())).expect("load");
    assert!(loaded.rejections.is_empty());
    let tz: chrono_tz::Tz = loaded.dataset.playbook.site.timezone.parse().expect("tz");
    let as_of = data_as_of(&loaded.dataset, tz).expect("as_of");
    compute(
        &loaded.dataset,
        Period::parse(period).expect("period"),
        as_of,
    )
}

fn entity_invariants(what: &str, m: &EntityMetrics) {
    let c = &m.cohort;
    assert_eq!(
        c.held + c.no_show + c.canceled + c.pending,
        c.meetings_booked,
        "{what}"
    );
    assert!(c.accepted + c.rejected <= c.held, "{what}");
    assert!(c.opportunities <= c.held, "{what}");
    assert!(
        c.sla_breaches <= c.meetings_booked && c.ae_never_followed_up <= c.sla_breaches,
        "{what}"
    );
    for (key, r) in c.rates() {
        assert!(
            r.num <= r.den || key == "handoff_to_win",
            "{what} {key}: {r:?}"
        );
        match r.value {
            None => assert_eq!(r.den, 0, "{what} {key}"),
            Some(v) => assert!(
                (v - r.num as f64 / r.den as f64).abs() < 1e-12,
                "{what} {key}"
            ),
        }
    }
    if let Some(ci) = c.show_rate_warm_ci {
        let v = c.show_rate_warm.value.expect("rate with its interval");
        assert!(ci[0] <= v && v <= ci[1], "{what}: warm {v} outside {ci:?}");
    }
}

type Counts = (u64, u64, u64, u64, u64, u64, Decimal);

fn counts(m: &EntityMetrics) -> Counts {
    let c = &m.cohort;
    (
        c.meetings_booked,
        c.held,
        c.no_show,
        c.accepted,
        c.won,
        c.sla_breaches,
        c.won_amount,
    )
}

fn sum<'a>(ms: impl Iterator<Item = &'a EntityMetrics>) -> Counts {
    ms.fold((0, 0, 0, 0, 0, 0, Decimal::ZERO), |a, m| {
        let b = counts(m);
        (
            a.0 + b.0,
            a.1 + b.1,
            a.2 + b.2,
            a.3 + b.3,
            a.4 + b.4,
            a.5 + b.5,
            a.6 + b.6,
        )
    })
}

fn period_invariants(p: &PeriodMetrics) {
    let label = &p.period;
    entity_invariants(&format!("{label} team"), &p.team);
    for (k, m) in p.pods.iter().chain(&p.sdrs).chain(&p.aes) {
        entity_invariants(&format!("{label} {k}"), m);
    }
    for x in &p.pairs {
        entity_invariants(&format!("{label} {}-{}", x.sdr, x.ae), &x.metrics);
    }
    let team = counts(&p.team);
    assert_eq!(sum(p.pods.values()), team, "{label}: pods");
    assert_eq!(sum(p.sdrs.values()), team, "{label}: SDRs");
    assert_eq!(sum(p.aes.values()), team, "{label}: AEs");
    assert_eq!(
        sum(p.pairs.iter().map(|x| &x.metrics)),
        team,
        "{label}: pairs"
    );
    // Activity: pods and SDRs partition the team's prospecting.
    let dials = |ms: &mut dyn Iterator<Item = &EntityMetrics>| -> u64 {
        ms.map(|m| m.activity.as_ref().map_or(0, |a| a.dials)).sum()
    };
    let team_dials = p.team.activity.as_ref().map_or(0, |a| a.dials);
    assert_eq!(
        dials(&mut p.pods.values()),
        team_dials,
        "{label}: pod dials"
    );
    assert_eq!(
        dials(&mut p.sdrs.values()),
        team_dials,
        "{label}: SDR dials"
    );
    // Closed deals: every deal belongs to exactly one pod and one AE.
    let won: Decimal = p.pods.values().map(|m| m.closed.closed_won_amount).sum();
    assert_eq!(
        won, p.team.closed.closed_won_amount,
        "{label}: pod closed won"
    );
    let won: Decimal = p.aes.values().map(|m| m.closed.closed_won_amount).sum();
    assert_eq!(
        won, p.team.closed.closed_won_amount,
        "{label}: AE closed won"
    );
    let lost: u64 = p.pods.values().map(|m| m.closed.closed_lost).sum();
    assert_eq!(lost, p.team.closed.closed_lost, "{label}: pod closed lost");
    // 1:1s: every row counts once for its SDR, its AE, its SDR's pod and its pair, so each of
    // them adds up to the team (issue 19, item 1).
    let held = |ms: &mut dyn Iterator<Item = &EntityMetrics>| -> u64 {
        ms.filter_map(|m| m.cadence.as_ref())
            .map(|c| c.one_on_ones_held)
            .sum()
    };
    let team_held = p.team.cadence.as_ref().map_or(0, |c| c.one_on_ones_held);
    assert_eq!(held(&mut p.pods.values()), team_held, "{label}: pod 1:1s");
    assert_eq!(held(&mut p.sdrs.values()), team_held, "{label}: SDR 1:1s");
    assert_eq!(held(&mut p.aes.values()), team_held, "{label}: AE 1:1s");
    assert_eq!(
        held(&mut p.pairs.iter().map(|x| &x.metrics)),
        team_held,
        "{label}: pair 1:1s"
    );
}

#[test]
fn counts_add_up_for_generated_teams() {
    let shapes = [(1, 2, 6, 4), (2, 3, 9, 5), (3, 1, 4, 2), (4, 4, 12, 6)];
    for (seed, pods, sdrs, aes) in shapes {
        let opts = GenOptions {
            seed,
            pods,
            sdrs,
            aes,
            months: 4,
            activities_per_sdr_day: 8,
            handoffs_per_sdr_month: 6,
            ..GenOptions::example()
        };
        for period in ["2026-10", "2026-Q3"] {
            let m = report(&opts, period);
            period_invariants(&m.current);
            period_invariants(&m.previous);
            for t in &m.trend {
                entity_invariants(&t.period, &t.team);
            }
            // The quarter's cohort is the sum of its months'.
            if period == "2026-Q3" {
                let months: u64 = ["2026-07", "2026-08", "2026-09"]
                    .iter()
                    .map(|p| report(&opts, p).current.team.cohort.meetings_booked)
                    .sum();
                assert_eq!(months, m.current.team.cohort.meetings_booked, "seed {seed}");
            }
        }
    }
}
