//! `comp.csv` for payroll: one row per rep, payout period and component (and each adjustment),
//! each carrying what it takes to recompute it: the window, its days, whether it is final or
//! to date, the currency and the variable target. A rep's total for a statement is the sum of
//! its rows. Reps without a plan get a `no_plan` row with no amounts.

use rust_decimal::Decimal;

use super::report::CompReport;
use super::statement::Statement;
use crate::format::defuse_formula;
use crate::playbook::comp::CreditScope;

/// The header of comp.csv, in column order.
pub const COLUMNS: [&str; 25] = [
    "rep_id",
    "payroll_id",
    "rep_name",
    "plan",
    "payout_period",
    "window_start",
    "window_end",
    "window_days",
    "active_days",
    "period_days",
    "status",
    "as_of",
    "currency",
    "variable_target",
    "component",
    "scope",
    "weight",
    "target",
    "actual",
    "attainment",
    "curve_step",
    "factor",
    "payout",
    "source",
    "reason",
];

/// comp.csv: the statements' lines in the report's order (rep id, payout period, plan) and
/// each plan's component order, then the statement's adjustments (`draw`, `draw_recovery`,
/// `clawback`, `manual`: of the component columns only the payout is filled, with the rows
/// behind it in `source` and why in `reason`), then one `no_plan` row
/// per run of days an SDR, BDR or AE was employed without a plan. Payouts carry exactly the
/// currency's decimals (two for cents, none for yen); other numbers are exact and without trailing zeros; an attainment that could
/// not be measured is empty.
pub fn comp_csv(report: &CompReport) -> String {
    let mut out = String::new();
    push_row(&mut out, COLUMNS.iter().map(|c| c.to_string()));
    let as_of = report.as_of_day.to_string();
    for s in &report.statements {
        let head = statement_cells(s, &as_of, &report.currency);
        for l in &s.lines {
            push_row(
                &mut out,
                head.iter().cloned().chain([
                    l.metric.as_str().to_string(),
                    l.scope.unwrap_or(CreditScope::Rep).as_str().to_string(),
                    exact(l.weight),
                    exact(l.target),
                    exact(l.actual),
                    l.attainment.map(exact).unwrap_or_default(),
                    l.step.as_str().to_string(),
                    exact(l.factor),
                    format!("{:.*}", s.minor_units as usize, l.payout),
                    String::new(),
                    String::new(),
                ]),
            );
        }
        for a in &s.adjustments {
            let empty = String::new;
            push_row(
                &mut out,
                head.iter().cloned().chain([
                    a.kind.as_str().to_string(),
                    empty(),
                    empty(),
                    empty(),
                    empty(),
                    empty(),
                    empty(),
                    empty(),
                    format!("{:.*}", s.minor_units as usize, a.amount),
                    a.sources
                        .iter()
                        .map(|x| format!("{}:{}", x.file, x.line))
                        .collect::<Vec<_>>()
                        .join("; "),
                    defuse_formula(&a.label),
                ]),
            );
        }
    }
    for n in &report.no_plan {
        let days = (n.to - n.from).num_days() + 1;
        let mut cells = vec![
            n.rep_id.clone(),
            n.payroll_id.clone().unwrap_or_default(),
            defuse_formula(&n.rep_name),
            String::new(),
            report.period.label(),
            n.from.to_string(),
            n.to.to_string(),
            days.to_string(),
            days.to_string(),
            report.period.days().to_string(),
            "no_plan".to_string(),
            as_of.clone(),
        ];
        cells.resize(COLUMNS.len(), String::new());
        push_row(&mut out, cells);
    }
    out
}

/// The columns a statement's rows share, up to `variable_target`.
fn statement_cells(s: &Statement, as_of: &str, currency: &str) -> Vec<String> {
    vec![
        s.rep_id.clone(),
        s.payroll_id.clone().unwrap_or_default(),
        defuse_formula(&s.rep_name),
        defuse_formula(&s.plan),
        s.payout_period.label(),
        s.window_start.to_string(),
        s.window_end.to_string(),
        s.window_days.to_string(),
        s.active_days.to_string(),
        s.period_days.to_string(),
        match (s.closed_on, s.partial) {
            (Some(_), _) => "closed",
            (None, true) => "to_date",
            (None, false) => "final",
        }
        .to_string(),
        as_of.to_string(),
        currency.to_string(),
        exact(s.variable_target),
    ]
}

fn exact(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Appends one CSV record (RFC 4180 quoting) and a `\n`.
fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) || cell.trim() != cell {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_formula_defusing() {
        let mut out = String::new();
        push_row(
            &mut out,
            [
                "a,b".to_string(),
                "say \"hi\"".into(),
                defuse_formula("=SUM(A1)"),
                " x".into(),
            ],
        );
        assert_eq!(out, "\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),\" x\"\n");
    }

    #[test]
    fn payouts_always_have_two_decimals() {
        assert_eq!(format!("{:.2}", Decimal::new(125, 0)), "125.00");
        assert_eq!(format!("{:.2}", Decimal::new(41667, 2)), "416.67");
        assert_eq!(exact(Decimal::new(2000, 4)), "0.2");
    }
}
