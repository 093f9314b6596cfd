//! The canonical tables of `data/` (docs/data-model.md), each read into validated model rows.
//!
//! A row that cannot be used is rejected with its reason and counted; a problem with the
//! file as a whole (unreadable, a required column missing) is a fatal diagnostic.

use chrono_tz::Tz;

use super::activity_rows::LeadIndex;
use super::mapping_yaml::Mapping;
use super::refs::{Leads, Reps};
use crate::model::*;
use crate::playbook::Playbook;
use crate::timings::time;

mod activity;
mod common;
mod handoffs;
mod leads;
mod outcomes;
mod people;
mod rows;

use activity::read_activities;
pub use common::{record_gaps, Tables};
use handoffs::read_handoffs;
use leads::read_leads;
use outcomes::{read_forecasts, read_meetings, read_opportunities};
use people::{read_one_on_ones, read_reps};

/// Reads every table of `dir` (shown in messages as `prefix` + file name).
pub fn read_all(
    dir: &std::path::Path,
    prefix: &str,
    playbook: &Playbook,
    mapping: &Mapping,
    tz: Tz,
) -> Tables {
    let mut out = Tables::default();
    time("load reps", || {
        read_reps(dir, prefix, mapping, tz, &mut out)
    });
    if !out.present.contains(&Table::Reps) {
        // Every other table refers to reps: reading them would only repeat this error.
        return out;
    }
    let reps = Reps::new(
        out.reps
            .iter()
            .map(|r| (r.id.as_str().into(), r.role))
            .collect(),
        out.rejected_reps.clone(),
        format!("{prefix}{}", mapping.spec("reps").file_name("reps")),
    );
    // Activities need only the reps: they are read beside the hand-offs, meetings and
    // opportunities (which need the hand-offs), and merged after them in the usual order.
    // Leads first, on the same thread: reading activities keeps the earliest touch of each
    // lead of leads.csv (docs/metrics.md, "Leads"), and only of those.
    let (leads, activities) = std::thread::scope(|s| {
        let activities = s.spawn(|| {
            let mut l = Tables::default();
            time("load leads", || {
                read_leads(dir, prefix, mapping, playbook, tz, &reps, &mut l)
            });
            let index = LeadIndex::new(l.leads.iter().map(|l| &*l.lead_id));
            let mut t = Tables::default();
            time("load activities", || {
                read_activities(dir, prefix, mapping, tz, &reps, &index, &mut t)
            });
            (l, t)
        });
        let fatal_before = out.fatal.len();
        time("load handoffs", || {
            read_handoffs(dir, prefix, mapping, playbook, tz, &reps, &mut out)
        });
        let handoffs_ok = out.fatal.len() == fatal_before;
        // Meetings and opportunities refer to hand-offs: without them every row would fail.
        if handoffs_ok {
            // Taken out of `out` while it is written to, so the lead ids can be borrowed.
            let handoffs = std::mem::take(&mut out.handoffs);
            let rejected = std::mem::take(&mut out.rejected_leads);
            let leads = Leads::new(
                handoffs.iter().map(|h| h.lead_id.as_str()),
                &rejected,
                format!("{prefix}{}", mapping.spec("handoffs").file_name("handoffs")),
            );
            // Opportunities beside meetings (by then the activities are mostly read), merged
            // after them so that accounts and rejections keep the file order.
            let opportunities = std::thread::scope(|s| {
                let opportunities = s.spawn(|| {
                    let mut t = Tables::default();
                    time("load opportunities", || {
                        read_opportunities(
                            dir, prefix, mapping, playbook, tz, &reps, &leads, &mut t,
                        )
                    });
                    t
                });
                time("load meetings", || {
                    read_meetings(dir, prefix, mapping, tz, &leads, &mut out)
                });
                opportunities.join()
            });
            match opportunities {
                Ok(t) => out.absorb(t),
                Err(panic) => std::panic::resume_unwind(panic),
            }
            drop(leads);
            out.handoffs = handoffs;
            out.rejected_leads = rejected;
        }
        match activities.join() {
            Ok(both) => both,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let touches = activities.lead_touches.clone();
    out.absorb(activities);
    // Leads keep their place in the row accounting and the rejections: after activities.
    out.absorb(leads);
    for (l, day) in out.leads.iter_mut().zip(touches) {
        l.touched_on = day;
    }
    time("load one_on_ones", || {
        read_one_on_ones(dir, prefix, mapping, tz, &reps, &mut out)
    });
    let pods: Vec<String> = out.reps.iter().map(|r| r.pod.clone()).collect();
    time("load forecasts", || {
        read_forecasts(dir, prefix, mapping, &pods, &mut out)
    });
    out.present.sort();
    out.present.dedup();
    // A team without SDRs exports its pipeline only: hand-offs are required unless
    // opportunities are there (issue 21).
    let has = |t: Table| out.present.contains(&t);
    if !has(Table::Handoffs) && !has(Table::Opportunities) && out.fatal.is_empty() {
        out.fatal.push(crate::error::Diagnostic::error(
            format!("{prefix}{}", mapping.spec("handoffs").file_name("handoffs")),
            "required export is missing: hand-offs, or opportunities for a team without SDRs (see docs/data-model.md)",
        ));
    }
    out
}
