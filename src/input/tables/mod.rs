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

pub(crate) mod activity;
mod common;
mod handoffs;
mod leads;
mod outcomes;
mod people;
mod rows;

use activity::{export_bytes, read_activities as read_activities_into, Opened};
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
    // Two threads read the exports. One reads leads.csv, then activities.csv from its header
    // to a cut; the other reads the hand-offs, then meetings beside opportunities (which refer
    // to the hand-offs), then activities.csv from the cut to its end: reading activities looks
    // each row's lead up among leads.csv's ids (docs/metrics.md, "Leads"), so the second part
    // waits for them. The cut makes both threads end together (`activity::Fast::cut`). What
    // was read is merged in the usual order: hand-offs, meetings, opportunities, activities,
    // leads.
    let mut activities = Tables::default();
    let opened = activity::open_activities(dir, prefix, mapping, &reps, &mut activities);
    let (fast, general, read_activities) = match opened {
        Some(Opened::Fast(fast)) => (Some(fast), None, true),
        Some(Opened::General(f)) => (None, Some(f), true),
        Some(Opened::Unusable) => (None, None, false),
        None => (None, None, true),
    };
    let cut = fast.as_ref().and_then(|fast| {
        let others = [Table::Handoffs, Table::Meetings, Table::Opportunities]
            .iter()
            .map(|t| export_bytes(dir, mapping, *t))
            .sum();
        fast.cut(export_bytes(dir, mapping, Table::Leads), others)
    });
    let lead_index = std::sync::OnceLock::new();
    let (ready, numbered) = std::sync::mpsc::channel::<()>();
    let (leads, raw) = std::thread::scope(|s| {
        let (fast, index, reps) = (fast.as_ref(), &lead_index, &reps);
        let first = s.spawn(move || {
            let mut l = Tables::default();
            time("load leads", || {
                read_leads(dir, prefix, mapping, playbook, tz, reps, &mut l)
            });
            let index: &LeadIndex =
                index.get_or_init(|| LeadIndex::new(l.leads.iter().map(|l| &*l.lead_id)));
            // The other thread may read the second part of activities from now on.
            let _ = ready.send(());
            let start = std::time::Instant::now();
            let head = fast.map(|fast| fast.reading(index, reps, tz).head(cut));
            let general = general.map(|mut f| {
                let mut rejections = Vec::new();
                let read = crate::input::activities::read_general(
                    &mut f,
                    reps,
                    index,
                    tz,
                    &mut rejections,
                );
                (read, f.file.clone(), rejections)
            });
            (l, head, general, start)
        });
        let fatal_before = out.fatal.len();
        time("load handoffs", || {
            read_handoffs(dir, prefix, mapping, playbook, tz, reps, &mut out)
        });
        let handoffs_ok = out.fatal.len() == fatal_before;
        // Meetings and opportunities refer to hand-offs: without them every row would fail.
        if handoffs_ok {
            // Taken out of `out` while it is written to, so the lead ids can be borrowed.
            let handoffs = std::mem::take(&mut out.handoffs);
            let rejected = std::mem::take(&mut out.rejected_leads);
            let leads = Leads::new(
                &handoffs,
                &rejected,
                format!("{prefix}{}", mapping.spec("handoffs").file_name("handoffs")),
            );
            // Opportunities beside meetings, merged after them so that accounts and
            // rejections keep the file order.
            let opportunities = std::thread::scope(|s| {
                let opportunities = s.spawn(|| {
                    let mut t = Tables::default();
                    time("load opportunities", || {
                        read_opportunities(dir, prefix, mapping, playbook, tz, reps, &leads, &mut t)
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
        // The second part of activities, once leads.csv's ids are numbered (the channel is
        // closed without a message only if the other thread failed: its panic is raised below).
        let tail = match (fast, cut) {
            (Some(fast), Some(cut)) if numbered.recv().is_ok() => index.get().map(|index| {
                time("load activity tail", || {
                    fast.reading(index, reps, tz).tail(cut)
                })
            }),
            _ => None,
        };
        let (l, head, general, start) = match first.join() {
            Ok(read) => read,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let raw = match (head, general) {
            (Some(head), _) => fast.zip(index.get()).map(|(fast, index)| {
                let part = fast.reading(index, reps, tz).join(head, tail);
                let mut rejections = Vec::new();
                let read = crate::input::activities::from_part(part, &fast.index, &mut rejections);
                (read, fast.f.file.clone(), rejections)
            }),
            (None, general) => general,
        };
        crate::timings::report("load activities", start);
        (l, raw)
    });
    let index = lead_index.into_inner().unwrap_or_default();
    if read_activities {
        let raw = raw.map(|(read, file, rejections)| activity::Raw {
            read,
            file,
            rejections,
        });
        read_activities_into(
            dir,
            prefix,
            mapping,
            tz,
            &reps,
            &index,
            raw,
            &mut activities,
        );
    }
    drop(index);
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
