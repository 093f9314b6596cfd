//! comp.csv as payroll reads it: ids byte-exact, free text defused (issue 23, item 5); every
//! row recomputable, to-date figures marked, reps without a plan listed (items 4 and 6).

use super::*;
use crate::comp::comp_csv;
use crate::model::quota::Quotas;

#[test]
fn ids_stay_byte_exact_and_names_are_defused() {
    let mut fx = Fx::new();
    let mut plan = sdr_plan();
    plan.name = "=Plan".into();
    fx.ds.playbook.comp.plans = vec![plan];
    fx.rep("-S1", Role::Sdr, "P1", "2025-01-01", None);
    fx.ds.reps[0].name = "+Ann".into();
    let csv = comp_csv(&report(&fx, "2026-08", &Quotas::default()));
    let row = csv.lines().nth(1).unwrap();
    // The id as the HR system spells it; the rep's and plan's names (free text) get a `'`.
    // Nothing was done: 0 of 1000 points is below the 0.5 threshold, so 0.00.
    assert_eq!(
        row,
        "-S1,,'+Ann,'=Plan,2026-08,2026-08-01,2026-08-31,31,31,31,final,2026-08-31,USD,\
         2083.3333333333333333333333333,activity_points,rep,0.2,1000,0,0,below_threshold,0,0.00,,"
    );
}

/// The cell of `column` in comp.csv row `row` (0 is the first row after the header).
fn cell(csv: &str, row: usize, column: &str) -> String {
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let i = rdr
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    rdr.records().nth(row).expect("row").unwrap()[i].to_string()
}

#[test]
fn a_month_build_of_a_quarterly_plan_says_its_figures_are_the_quarter_to_date() {
    // A quarterly plan ($25k a year → 25000 / 4 = 6250 a quarter), built for August with
    // as_of 31 August: the statement is 2026-Q3 through 31 August, not final.
    let mut fx = Fx::new();
    let mut plan = sdr_plan();
    plan.payout_period = PayoutPeriod::Quarterly;
    fx.ds.playbook.comp.plans = vec![plan];
    fx.rep("s1", Role::Sdr, "P1", "2025-01-01", None);
    fx.ds.reps[0].payroll_id = Some("007-ab".into());
    let csv = comp_csv(&report(&fx, "2026-08", &Quotas::default()));
    assert_eq!(cell(&csv, 0, "payroll_id"), "007-ab");
    assert_eq!(cell(&csv, 0, "payout_period"), "2026-Q3");
    assert_eq!(cell(&csv, 0, "status"), "to_date");
    assert_eq!(cell(&csv, 0, "as_of"), "2026-08-31");
    assert_eq!(cell(&csv, 0, "window_start"), "2026-07-01");
    assert_eq!(cell(&csv, 0, "window_end"), "2026-09-30");
    // July 31 + August 31 + September 30 = 92 days, all employed.
    assert_eq!(cell(&csv, 0, "window_days"), "92");
    assert_eq!(cell(&csv, 0, "active_days"), "92");
    assert_eq!(cell(&csv, 0, "period_days"), "92");
    assert_eq!(cell(&csv, 0, "variable_target"), "6250");
    assert_eq!(cell(&csv, 0, "currency"), "USD");
}

#[test]
fn a_window_cut_by_a_start_date_shows_its_days_and_prorated_target() {
    // Starting on 17 August: 15 of August's 31 days. Variable target 25000 × 15 / (12 × 31)
    // = 375000 / 372 = 1008.06451612903225806451612903…, cut at the 96-bit mantissa of an
    // exact decimal (28 significant digits here).
    let mut fx = Fx::new();
    fx.ds.playbook.comp.plans = vec![sdr_plan()];
    fx.rep("s1", Role::Sdr, "P1", "2026-08-17", None);
    let csv = comp_csv(&report(&fx, "2026-08", &Quotas::default()));
    assert_eq!(cell(&csv, 0, "status"), "final");
    assert_eq!(cell(&csv, 0, "window_start"), "2026-08-01");
    assert_eq!(cell(&csv, 0, "window_end"), "2026-08-31");
    assert_eq!(cell(&csv, 0, "window_days"), "31");
    assert_eq!(cell(&csv, 0, "active_days"), "15");
    assert_eq!(
        cell(&csv, 0, "variable_target"),
        "1008.064516129032258064516129"
    );
}

#[test]
fn a_rep_without_a_plan_is_listed_with_no_amounts() {
    // The AE has no plan (only the SDR plan exists): one `no_plan` row for the days employed
    // in August, every amount empty (unknown, not 0.00).
    let mut fx = Fx::new();
    fx.ds.playbook.comp.plans = vec![sdr_plan()];
    fx.rep("a1", Role::Ae, "P1", "2026-08-10", None);
    fx.ds.reps[0].payroll_id = Some("P-9".into());
    let csv = comp_csv(&report(&fx, "2026-08", &Quotas::default()));
    assert_eq!(
        csv.lines().nth(1).unwrap(),
        "a1,P-9,Name of a1,,2026-08,2026-08-10,2026-08-31,22,22,31,no_plan,2026-08-31,,,,,,,,,,,,,"
    );
    assert_eq!(csv.lines().count(), 2);
}

#[test]
fn the_rows_of_a_statement_add_up_to_its_total() {
    // The worked example of docs/comp.md: 541.67 + 1354.17 + 906.25 = 2802.09.
    let mut fx = Fx::new();
    fx.ds.playbook.comp.plans = vec![sdr_plan()];
    fx.rep("s1", Role::Sdr, "P1", "2025-01-01", None);
    fx.activity("s1", "2026-08-03", 1200, 0);
    fx.accepted("s1", "a1", 12, "2026-08-05 15:00");
    fx.rep("a1", Role::Ae, "P1", "2025-01-01", None);
    fx.won("O1", Some("s1-L0"), "a1", "130000", "2026-08-20");
    let r = report(&fx, "2026-08", &Quotas::default());
    let csv = comp_csv(&r);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let sum: Decimal = rdr
        .records()
        .map(|x| x.unwrap())
        .filter(|x| &x[0] == "s1")
        .map(|x| x[22].parse::<Decimal>().unwrap())
        .sum();
    assert_eq!(sum, dec("2802.09"));
    assert_eq!(statement(&r, "s1", "2026-08").total, dec("2802.09"));
}

#[test]
fn yen_payouts_are_rounded_to_the_yen() {
    // ¥1,000,000 a year, weights 20/50/30, every component exactly at 100%: the month's
    // variable target is 1000000 / 12 = 83333.33…; activity 83333.33… × 0.2 = 16666.66… →
    // ¥16,667; meetings × 0.5 = 41666.66… → ¥41,667; pod revenue × 0.3 = ¥25,000. Total
    // 16667 + 41667 + 25000 = ¥83,334 (in cents it would have been 83,333.34).
    let mut fx = Fx::new();
    fx.ds.playbook.site.currency = "JPY".into();
    let mut plan = sdr_plan();
    plan.annual_variable = dec("1000000");
    fx.ds.playbook.comp.plans = vec![plan];
    fx.rep("s1", Role::Sdr, "P1", "2025-01-01", None);
    fx.activity("s1", "2026-08-03", 1000, 0);
    fx.accepted("s1", "a1", 10, "2026-08-05 15:00");
    fx.rep("a1", Role::Ae, "P1", "2025-01-01", None);
    fx.won("O1", Some("s1-L0"), "a1", "100000", "2026-08-20");
    let r = report(&fx, "2026-08", &Quotas::default());
    let s = statement(&r, "s1", "2026-08");
    assert_eq!(payouts(s), [dec("16667"), dec("41667"), dec("25000")]);
    assert_eq!(s.total, dec("83334"));
    let csv = comp_csv(&r);
    assert_eq!(cell(&csv, 0, "currency"), "JPY");
    let paid: Vec<String> = (0..3).map(|i| cell(&csv, i, "payout")).collect();
    assert_eq!(paid, ["16667", "41667", "25000"]);
}
