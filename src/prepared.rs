//! What computing produces and rendering takes: a project loaded, its period and as_of
//! chosen, and every figure computed (metrics, comp statements, hand-off facts), with the
//! findings of the run. `build` makes it; `render` only reads it, and never reads an input
//! file or computes a rate of its own.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::error::Diagnostic;
use crate::input::Loaded;
use crate::metrics::MetricsReport;
use crate::period::Period;

/// A project loaded and computed, ready to render.
pub struct Prepared {
    pub loaded: Loaded,
    pub tz: Tz,
    pub period: Period,
    pub as_of: DateTime<Utc>,
    pub metrics: MetricsReport,
    /// What is known of each hand-off at as_of, in the order of `dataset.handoffs`.
    pub facts: Vec<crate::metrics::facts::HandoffFacts>,
    pub comp: crate::comp::CompReport,
    /// Warnings and row rejections, in input order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many of `diagnostics` are about rejected rows (one per row, or one for many rows
    /// rejected because the row they refer to was): `build` counts every rejected row as an
    /// error, and fails on any other error.
    pub rejection_findings: usize,
    /// Snapshots of earlier periods from `history/`, oldest first, as they were reported.
    pub history: Vec<crate::history::Snapshot>,
    /// This build's playbook fingerprint (see `history::fingerprint`).
    pub playbook_fingerprint: String,
}

impl Prepared {
    /// Drops the meeting and lead rows and the activity counts: they are read while the
    /// figures are computed (gates, facts, metrics, comp), and pages see them only through
    /// those. [`build`] drops them before rendering: about 38, 110 and 15 MB at 1x.
    pub fn release_unrendered_inputs(&mut self) {
        self.loaded.dataset.meetings = Vec::new();
        self.loaded.dataset.activity = std::collections::BTreeMap::new();
        // Pages show the leads' figures (metrics), never a lead row: 110 MB at 1x.
        self.loaded.dataset.leads = Default::default();
    }

    /// as_of in the playbook's time zone, e.g. `2026-10-31 23:59 America/New_York`.
    pub fn local_label(&self) -> String {
        format!(
            "{} {}",
            self.as_of.with_timezone(&self.tz).format("%Y-%m-%d %H:%M"),
            self.tz.name()
        )
    }
}
