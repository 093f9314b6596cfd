//! The seeded example-data generator: a realistic SDR/AE company written as a Baton project.
//!
//! `write_project` writes all eight tables of docs/data-model.md under `data/` and, unless told
//! not to, the playbook under `playbook/`. The same seed always gives byte-identical files (the
//! generator has its own PRNG, see [`rng`]), so the shipped example is this code's output and
//! the scale dataset of the performance benchmark is one call away. Rows are streamed: memory
//! holds the team, the leads in flight (a few weeks of hand-offs) and, for leads.csv, 24 bytes
//! per lead of each SDR's book, never the activities.
//!
//! What makes the data realistic, not uniform: warm hand-offs are attended more often than cold
//! ones; some SDRs document every section of a hand-off note and others skip; one AE in three
//! follows up late and a few hand-offs are never followed up; AEs reject some leads with a
//! reason; a few meetings are rescheduled and then held; some losses are put down to the
//! hand-off; the AE's note of the pain point usually matches the SDR's; an SDR joins halfway;
//! one pairing's weekly 1:1s lapse; forecasts miss by a realistic margin. Nothing after the
//! window's last day is reported as happened: later meetings are `scheduled`, later closes
//! `open`, so the data's as-of date is the window's last day.

mod activity;
mod clock;
mod csv_out;
mod lead_list;
mod leads;
mod names;
mod playbook;
pub mod rng;
mod team;

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Error;
use activity::{Book, Touch};
use clock::{DAY, HOUR};
use csv_out::CsvOut;
use rng::Rng;

/// What to generate. Volumes are means; each rep varies around them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenOptions {
    pub seed: u64,
    /// Pods share the reps evenly; even-numbered pods pair SDRs with AEs, odd ones pool them.
    pub pods: usize,
    /// SDRs and BDRs (every sixth is a BDR).
    pub sdrs: usize,
    pub aes: usize,
    /// Length of the window in calendar months.
    pub months: u32,
    /// The window's last month `(year, month)`; its last day is the data's as-of date.
    pub end_month: (i32, u32),
    /// Activities an SDR logs on a working day; AEs log a fifth of that.
    pub activities_per_sdr_day: u32,
    /// Hand-offs an SDR makes per month.
    pub handoffs_per_sdr_month: u32,
    /// Percent of accepted, held first meetings that become an opportunity.
    pub opportunity_rate_pct: u32,
    /// Whether to write `playbook/` as well as `data/`.
    pub write_playbook: bool,
}

impl GenOptions {
    /// The shipped example: two pods, six SDRs (one a BDR), four AEs, six months to 2026-10.
    pub fn example() -> GenOptions {
        GenOptions {
            seed: 20_261_031,
            pods: 2,
            sdrs: 6,
            aes: 4,
            months: 6,
            end_month: (2026, 10),
            activities_per_sdr_day: 30,
            handoffs_per_sdr_month: 15,
            opportunity_rate_pct: 65,
            write_playbook: true,
        }
    }

    /// The performance workload of docs/scale.md at `factor` times its size: at 1, 200 SDRs and
    /// 100 AEs over 12 months, about 10 million activities, 300,000 hand-offs with their
    /// meetings and 100,000 opportunities.
    pub fn scale(factor: u32) -> GenOptions {
        let f = factor.max(1) as usize;
        GenOptions {
            seed: 8,
            pods: 20 * f,
            sdrs: 200 * f,
            aes: 100 * f,
            months: 12,
            end_month: (2026, 10),
            activities_per_sdr_day: 173,
            handoffs_per_sdr_month: 131,
            opportunity_rate_pct: 73,
            write_playbook: true,
        }
    }
}

/// One written file: its path under the project root, data rows (CSV only) and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    pub path: String,
    pub rows: u64,
    pub bytes: u64,
}

/// What `write_project` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenSummary {
    pub files: Vec<FileSummary>,
    /// The data's as-of date (`YYYY-MM-DD`): the window's last day.
    pub as_of: String,
}

/// The generated period, as day numbers (see [`clock`]).
pub(crate) struct Window {
    pub start: i64,
    /// Last day, inclusive.
    pub end: i64,
    pub opportunity_rate: f64,
}

impl Window {
    fn new(opts: &GenOptions) -> Window {
        let (y, m) = opts.end_month;
        let m = i64::from(m.clamp(1, 12));
        Window {
            start: clock::first_of_month(y, m - i64::from(opts.months.max(1))),
            end: clock::first_of_month(y, m) - 1,
            opportunity_rate: f64::from(opts.opportunity_rate_pct.min(100)) / 100.0,
        }
    }

    /// The last second of the window.
    pub fn end_moment(&self) -> i64 {
        (self.end + 1) * DAY - 1
    }

    /// Month numbers (`year * 12 + month0`) of the window.
    pub fn months(&self) -> impl Iterator<Item = i64> {
        team::month_of(self.start)..=team::month_of(self.end)
    }

    pub fn month_after(&self) -> i64 {
        team::month_of(self.end) + 1
    }
}

/// Writes `data/*.csv` (and `playbook/` when asked) under `root`, creating folders as needed.
/// The files under `root/data` (and `root/playbook` when the playbook is written) that exist
/// already, relative and `/`-separated: a project `write_project` would replace.
pub fn files_in_the_way(opts: &GenOptions, root: &Path) -> Vec<String> {
    let mut dirs = vec!["data"];
    if opts.write_playbook {
        dirs.push("playbook");
    }
    let mut found = Vec::new();
    for dir in dirs {
        let walk = walkdir::WalkDir::new(root.join(dir))
            .min_depth(1)
            .sort_by_file_name();
        for entry in walk.into_iter().filter_map(|e| e.ok()) {
            if !entry.file_type().is_dir() {
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found
}

pub fn write_project(opts: &GenOptions, root: &Path) -> Result<GenSummary, Error> {
    if opts.sdrs == 0 || opts.aes == 0 {
        return Err(Error::Usage(
            "the generator needs at least one SDR and one AE".into(),
        ));
    }
    if opts.aes < opts.pods.max(1) || opts.sdrs < opts.pods.max(1) {
        return Err(Error::Usage(format!(
            "{} pods need at least {0} SDRs and {0} AEs",
            opts.pods
        )));
    }
    let w = Window::new(opts);
    let team = team::build(opts, &w);
    let data = root.join("data");
    std::fs::create_dir_all(&data).map_err(|e| Error::io(&data, e))?;
    let mut files = Vec::new();
    let mut note = |name: &str, (rows, bytes): (u64, u64)| {
        files.push(FileSummary {
            path: format!("data/{name}"),
            rows,
            bytes,
        })
    };
    note("reps.csv", team::write_reps(&team, &data)?);
    let won = write_activity_and_leads(opts, &team, &w, &data, &mut note)?;
    note(
        "one_on_ones.csv",
        team::write_one_on_ones(opts, &team, &w, &data)?,
    );
    note(
        "forecasts.csv",
        team::write_forecasts(opts, &team, &w, &won, &data)?,
    );
    if opts.write_playbook {
        for (path, bytes) in playbook::write(opts, &team, &w, root)? {
            files.push(FileSummary {
                path,
                rows: 0,
                bytes,
            });
        }
    }
    Ok(GenSummary {
        files,
        as_of: clock::date_string(w.end),
    })
}

/// The day loop: activities, and the leads whose first touch is among them, with their
/// hand-offs, meetings and deals. Returns the closed-won cents per (pod, month) for forecasts.
fn write_activity_and_leads(
    opts: &GenOptions,
    team: &team::Team,
    w: &Window,
    data: &Path,
    note: &mut impl FnMut(&str, (u64, u64)),
) -> Result<BTreeMap<(usize, i64), u64>, Error> {
    let mut acts = CsvOut::create(&data.join("activities.csv"), &activity::HEADER)?;
    let mut lw = leads::LeadWriters::new(
        CsvOut::create(&data.join("handoffs.csv"), &leads::HANDOFF_HEADER)?,
        CsvOut::create(&data.join("meetings.csv"), &leads::MEETING_HEADER)?,
        CsvOut::create(&data.join("opportunities.csv"), &leads::OPPORTUNITY_HEADER)?,
    );
    let mut rng_act = Rng::new(opts.seed, 2);
    let mut rng_lead = Rng::new(opts.seed, 3);
    let mut rng_own = Rng::new(opts.seed, 6);
    let stride = team.sdrs.len() as u64;
    let mut books: Vec<Book> = (0..stride)
        .map(|s| Book::new(1_000_000 + s, stride))
        .collect();
    let act_mean = f64::from(opts.activities_per_sdr_day);
    let ae_mean = act_mean / 5.0;
    // Hand-offs per working day: a year has about 261 working days.
    let leads_per_day = f64::from(opts.handoffs_per_sdr_month) * 12.0 / 261.0;
    let mut pending: BTreeMap<(i64, u64), leads::Lead> = BTreeMap::new();
    let mut ae_touches: BTreeMap<(i64, usize), Vec<Touch>> = BTreeMap::new();
    let mut won: BTreeMap<(usize, i64), u64> = BTreeMap::new();
    let mut last_day_events = 0u64;
    let mut tally = |pod: usize, d: &leads::Deal, last: &mut u64| {
        if d.status == "won" {
            *won.entry((pod, team::month_of(d.close_day))).or_default() += d.cents;
        }
        if d.status != "open" && d.close_day == w.end {
            *last += 1;
        }
    };
    let mut touches = Vec::new();
    for day in w.start - 30..=w.end {
        let writing = day >= w.start;
        let weekend = clock::is_weekend(day);
        for (s, sdr) in team.sdrs.iter().enumerate() {
            if day < sdr.start_day || (!weekend && rng_act.chance(0.04)) {
                continue;
            }
            touches.clear();
            if !weekend {
                let ramp = if day - sdr.start_day < 30 { 0.5 } else { 1.0 };
                let mean = leads_per_day * sdr.productivity * ramp * (0.5 + rng_lead.unit());
                for _ in 0..rng_lead.count(mean) {
                    let at = day * DAY + 8 * HOUR + 1800 + rng_lead.range(0, 9 * HOUR);
                    touches.push(Touch {
                        at,
                        lead: books[s].add(at),
                    });
                }
                touches.sort_unstable();
            }
            for t in &touches {
                let lead = leads::plan(&mut rng_lead, team, w, s, t.at, t.lead);
                if let Some(b) = books[s].get_mut(t.lead) {
                    // leads.csv lists the leads created in the window (a hand-off of an
                    // older lead has no lead row, as the export allows).
                    b.created = if lead.created < w.start * DAY {
                        i64::MIN
                    } else {
                        lead.created
                    };
                    b.first_touch = b.first_touch.min(t.at);
                    b.handed_off = lead.handoff <= w.end_moment();
                }
                if lead.handoff < w.start * DAY || lead.handoff > w.end_moment() {
                    continue;
                }
                if let Some(c) = lead.ae_contact {
                    let touch = Touch {
                        at: c,
                        lead: t.lead,
                    };
                    ae_touches
                        .entry((c.div_euclid(DAY), lead.ae))
                        .or_default()
                        .push(touch);
                }
                pending.insert((lead.handoff, t.lead), lead);
            }
            if writing {
                let n = if weekend {
                    if rng_act.chance(0.05) {
                        rng_act.range(1, 4) as u64
                    } else {
                        0
                    }
                } else {
                    let noise = 0.7 + 0.6 * rng_act.unit();
                    rng_act.count(act_mean * sdr.productivity * noise)
                };
                let mix = if sdr.bdr {
                    activity::BDR_MIX
                } else {
                    activity::SDR_MIX
                };
                let rows = activity::write_day(
                    &mut acts,
                    &mut rng_act,
                    sdr.id.as_bytes(),
                    day,
                    n,
                    mix,
                    Some(&mut books[s]),
                    &touches,
                )?;
                if day == w.end {
                    last_day_events += rows;
                }
            }
        }
        for (a, ae) in team.aes.iter().enumerate() {
            let mut forced = ae_touches.remove(&(day, a)).unwrap_or_default();
            if !writing || day < ae.start_day {
                continue;
            }
            forced.sort_unstable();
            let n = if weekend || rng_act.chance(0.04) {
                0
            } else {
                let noise = 0.7 + 0.6 * rng_act.unit();
                rng_act.count(ae_mean * noise)
            };
            let rows = activity::write_day(
                &mut acts,
                &mut rng_act,
                ae.id.as_bytes(),
                day,
                n,
                activity::AE_MIX,
                None,
                &forced,
            )?;
            if day == w.end {
                last_day_events += rows;
            }
            // Deals the AE sources alone: about one and a half a month.
            if !weekend && rng_own.chance(1.5 / 21.0) {
                let created = day * DAY + 9 * HOUR + rng_own.range(0, 8 * HOUR);
                let d = leads::deal(&mut rng_own, w, created, 0.35, 0);
                tally(ae.pod, &d, &mut last_day_events);
                lw.write_deal(&ae.id, None, &d)?;
            }
        }
        let until = (day + 1) * DAY;
        while let Some(entry) = pending.first_entry() {
            if entry.key().0 >= until {
                break;
            }
            let lead = entry.remove();
            if let Some(d) = &lead.deal {
                tally(team.sdrs[lead.sdr].pod, d, &mut last_day_events);
            }
            lw.write(team, &lead)?;
        }
    }
    if last_day_events == 0 {
        // Guarantees the as-of date: something happens on the window's last day, as in any
        // real export pulled that evening (here one SDR's weekend follow-up email).
        if let Some(sdr) = team.sdrs.iter().find(|s| s.start_day <= w.end) {
            acts.raw(sdr.id.as_bytes());
            acts.with(|b| clock::push_timestamp(b, w.end * DAY + 10 * HOUR + 17 * 60));
            acts.raw(b"email");
            acts.empty();
            acts.empty();
            acts.end_row()?;
        }
    }
    note("activities.csv", acts.finish()?);
    note(
        "leads.csv",
        lead_list::write_leads(opts, team, w, &books, &data.join("leads.csv"))?,
    );
    note("handoffs.csv", lw.handoffs.finish()?);
    note("meetings.csv", lw.meetings.finish()?);
    note("opportunities.csv", lw.opportunities.finish()?);
    Ok(won)
}
