//! `playbook/gates.yaml`: the level at which each sales sanity gate reports (the gates
//! themselves are in `crate::gates`).

use serde::{Deserialize, Serialize};

/// How a gate's findings are reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateLevel {
    /// Not checked.
    Off,
    /// Reported; fails only with `--deny-warnings`.
    #[default]
    Warning,
    /// Fails `baton check` and `baton build`.
    Error,
}

/// `playbook/gates.yaml`: one level per gate; a gate not listed is a warning.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GateConfig {
    /// A held meeting whose `scheduled_for` is before its hand-off's `handoff_at`.
    pub meeting_before_handoff: GateLevel,
    /// An `ae_first_contact_at` before the hand-off's `handoff_at`.
    pub contact_before_handoff: GateLevel,
    /// A `handoff_at` before the lead's `lead_created_at`.
    pub handoff_before_lead: GateLevel,
    /// A won or lost opportunity whose `close_date` is before the local date of `created_at`.
    pub closed_before_created: GateLevel,
    /// A won opportunity on a lead whose hand-off the AE rejected.
    pub won_after_rejection: GateLevel,
    /// Activities on days a rep was not employed (before `start_date` or after `end_date`).
    pub activity_outside_employment: GateLevel,
}
