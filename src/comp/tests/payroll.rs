//! comp.csv as payroll reads it (issue 23, item 5): ids byte-exact, free text defused.

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
        "-S1,'+Ann,'=Plan,2026-08,activity_points,0.2,1000,0,0,below_threshold,0,0.00"
    );
}
