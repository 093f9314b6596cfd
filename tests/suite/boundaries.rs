//! Issue 25, "Bugs the suite lets through": the `boundaries` fixture (America/New_York, its own
//! qualification, hand-off and sample settings) puts an event on each boundary a bug would move.
//! Every expected figure is counted by hand in `tests/fixtures/boundaries/README.md`.

use std::path::Path;

use serde_json::{json, Value};

use crate::util::{baton, copy_fixture};

/// Builds a copy of the fixture with `args` and returns its metrics.json and the copy.
fn build(args: &[&str]) -> (Value, tempfile::TempDir) {
    let tmp = copy_fixture("boundaries");
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let out = baton(tmp.path(), &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (metrics(tmp.path()), tmp)
}

fn metrics(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("output/metrics.json")).expect("metrics.json");
    serde_json::from_str(&text).expect("json")
}

fn rate(num: u64, den: u64) -> (Value, Value) {
    (json!(num), json!(den))
}

fn num_den(v: &Value) -> (Value, Value) {
    (v["num"].clone(), v["den"].clone())
}

#[test]
fn as_of_is_the_meeting_held_last() {
    let (m, _) = build(&[]);
    assert_eq!(m["as_of"], "2026-10-31T22:00:00Z");
    assert_eq!(m["period"], "2026-10");
}

/// L1, handed off 2026-09-30 23:30 New York time (10-01 03:30 UTC, first AE contact on
/// 10-01), is September's.
#[test]
fn a_hand_off_late_on_a_month_end_is_filed_by_its_local_date() {
    let (m, _) = build(&[]);
    assert_eq!(m["current"]["team"]["meetings_booked"], 4);
    assert_eq!(m["previous"]["team"]["meetings_booked"], 1);
    let sdr = &m["previous"]["sdrs"]["s1"];
    assert_eq!(sdr["meetings_booked"], 1, "{sdr}");
}

/// O2: SDR s1 of East, AE a2 of West; O3: s2 and a2, both West.
#[test]
fn a_closed_deal_counts_for_the_sourcing_sdrs_pod() {
    let (m, _) = build(&[]);
    let pods = &m["current"]["pods"];
    assert_eq!(
        (
            &pods["East"]["closed_won"],
            &pods["East"]["closed_won_amount"]
        ),
        (&json!(1), &json!("7000.00"))
    );
    assert_eq!(
        (
            &pods["West"]["closed_won"],
            &pods["West"]["closed_won_amount"]
        ),
        (&json!(1), &json!("3000.00"))
    );
    let team = &m["current"]["team"];
    assert_eq!(
        (&team["closed_won"], &team["closed_won_amount"]),
        (&json!(2), &json!("10000.00"))
    );
    // The AE a2 owns both; the SDRs each sourced one.
    assert_eq!(m["current"]["aes"]["a2"]["closed_won"], 2);
    assert_eq!(m["current"]["sdrs"]["s1"]["closed_won_amount"], "7000.00");
}

/// O3 is won on L3, whose meeting was a no-show: outside the nested funnel.
#[test]
fn a_win_on_a_hand_off_without_a_held_meeting_is_not_a_hand_off_won() {
    let (m, _) = build(&[]);
    let team = &m["current"]["team"];
    assert_eq!(team["won"], 1);
    assert_eq!(team["won_amount"], "7000.00");
    assert_eq!(num_den(&team["handoff_to_win"]), rate(1, 4));
    assert_eq!(m["current"]["sdrs"]["s2"]["won"], 0);
}

/// sales_ready: min_met 2 with `authority` required; two documentation sections, one cell of
/// spaces only.
#[test]
fn the_playbooks_own_qualification_and_checklist_are_followed() {
    let (m, _) = build(&[]);
    let team = &m["current"]["team"];
    assert_eq!(num_den(&team["sales_ready_share"]), rate(2, 4));
    assert_eq!(num_den(&team["doc_completeness"]), rate(5, 8));
    // L2 (s1, not sales-ready, 1 of 2 documented) and L5 (s1, sales-ready, 2 of 2).
    let s1 = &m["current"]["sdrs"]["s1"];
    assert_eq!(num_den(&s1["sales_ready_share"]), rate(1, 2));
    assert_eq!(num_den(&s1["doc_completeness"]), rate(3, 4));
}

/// Q3's forecast is the sum of its three months: 3000.00 against 2500.00 won.
#[test]
fn a_quarters_forecast_sums_its_months() {
    let (m, _) = build(&["--period", "2026-Q3"]);
    for fc in [
        &m["current"]["team"]["forecast_accuracy"],
        &m["current"]["pods"]["East"]["forecast_accuracy"],
    ] {
        assert_eq!(fc["forecast"], "3000.00", "{fc}");
        assert_eq!(fc["actual"], "2500.00", "{fc}");
        assert!((fc["value"].as_f64().unwrap() - 0.8).abs() < 1e-9, "{fc}");
    }
}

/// M5 is held exactly at as_of; L4 has had exactly its 48 h SLA at as_of; show_rate's
/// denominator is exactly min_sample (3).
#[test]
fn events_exactly_on_a_boundary_fall_on_the_right_side() {
    let (m, _) = build(&[]);
    let team = &m["current"]["team"];
    assert_eq!(
        (&team["held"], &team["no_show"], &team["pending"]),
        (&json!(2), &json!(1), &json!(1)),
        "{team}"
    );
    assert_eq!(m["current"]["aes"]["a1"]["held"], 1);
    assert_eq!(team["ae_never_followed_up"], 0);
    assert_eq!(team["sla_breaches"], 0);
    assert_eq!(num_den(&team["sla_breach_rate"]), rate(0, 3));
    assert_eq!(num_den(&team["show_rate"]), rate(2, 3));
    let small: Vec<&str> = team["small_sample"]
        .as_array()
        .expect("small_sample")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!small.contains(&"show_rate"), "{small:?}");
    // acceptance_rate: of the held L2 (accepted) and L5 (no decision yet), 1/1: under 3.
    assert_eq!(num_den(&team["acceptance_rate"]), rate(1, 1));
    assert!(small.contains(&"acceptance_rate"), "{small:?}");
}

/// The rejected activity's rep is a formula: rejected.csv gives it a leading quote.
#[test]
fn a_formula_in_a_rejected_row_is_defused_in_rejected_csv() {
    let (_, tmp) = build(&[]);
    let text = std::fs::read_to_string(tmp.path().join("output/rejected.csv")).expect("csv");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1, "{text}");
    let row = &rows[0];
    assert_eq!(&row[0], "data/activities.csv");
    assert_eq!(&row[1], "3");
    assert!(
        row[5].starts_with("'=HYPERLINK(\"http://evil.example\",\"x\")"),
        "{text}"
    );
}

/// comp.csv's rows of `rep` as (component, curve_step, factor, payout).
fn comp_lines(dir: &Path, rep: &str) -> Vec<(String, String, String, String)> {
    let text = std::fs::read_to_string(dir.join("output/comp.csv")).expect("comp.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header = rdr.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (rep_id, component, step, factor, payout) = (
        col("rep_id"),
        col("component"),
        col("curve_step"),
        col("factor"),
        col("payout"),
    );
    rdr.records()
        .map(|r| r.expect("row"))
        .filter(|r| &r[rep_id] == rep)
        .map(|r| {
            (
                r[component].to_string(),
                r[step].to_string(),
                r[factor].to_string(),
                r[payout].to_string(),
            )
        })
        .collect()
}

fn line(
    component: &str,
    step: &str,
    factor: &str,
    payout: &str,
) -> (String, String, String, String) {
    (
        component.to_string(),
        step.to_string(),
        factor.to_string(),
        payout.to_string(),
    )
}

/// a2's attainment is exactly the cap (2): factor 2.5 capped to 2, 10000.00. O9, reversed
/// exactly `clawback_days` (30) after its close, is clawed back from a1: −2500.00.
#[test]
fn attainment_at_the_cap_and_a_reversal_at_the_clawback_limit() {
    let (_, tmp) = build(&[]);
    assert_eq!(
        comp_lines(tmp.path(), "a2"),
        [line("won_amount", "capped", "2", "10000.00")]
    );
    assert_eq!(
        comp_lines(tmp.path(), "a1"),
        [
            line("won_amount", "below_threshold", "0", "0.00"),
            line("clawback", "", "", "-2500.00"),
        ]
    );
}
