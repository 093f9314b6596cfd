//! Baton turns a sales team's CRM exports and playbook into a static site.
//!
//! The pipeline, one module per stage: [`input`] (CSV and YAML in) → [`model`] (validated rows)
//! → [`metrics`] and [`comp`] (pure computations) → [`render`] (the site out).

pub mod anonymize;
pub mod build;
pub mod cli;
pub mod comp;
pub mod error;
pub mod format;
pub mod gates;
pub mod generate;
pub mod history;
pub mod init;
pub mod input;
pub mod metrics;
pub mod model;
pub mod period;
pub mod playbook;
pub mod prepared;
pub mod progress;
pub mod rebuilds;
pub mod render;
pub mod report;
pub mod serve;
pub mod timings;

/// How many threads a step may use: `BATON_THREADS` if set to a number (`1` keeps every step on
/// one thread), else the machine's cores.
pub fn threads() -> usize {
    std::env::var("BATON_THREADS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}
