//! Compensation: plans from the playbook, their lint, and payout statements (pure, no I/O).
//!
//! `plan` and `lint` describe and check plans; `coverage` decides which plan pays whom on
//! which day; `actuals` measures each component with the rows behind it; `curve` turns
//! attainment into a factor; `statement` assembles payouts; `adjust` adds draws and
//! clawbacks to them; `payroll` writes comp.csv.

pub mod actuals;
pub mod adjust;
pub mod close;
pub mod coverage;
pub mod curve;

pub mod payroll;

pub mod report;
pub mod statement;

pub use actuals::{Actual, Evidence, Scope};
pub use coverage::Window;
pub use curve::{curve_factor, what_if, CurveStep, WhatIf};
pub use payroll::comp_csv;
pub use report::{statements, CompReport};
pub use statement::{Adjustment, AdjustmentKind, Statement, StatementLine, TargetSource};

#[cfg(test)]
mod tests;
