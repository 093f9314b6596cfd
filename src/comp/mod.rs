//! Compensation: plans from the playbook, their lint, and payout statements (pure, no I/O).

pub mod lint;
pub mod plan;
