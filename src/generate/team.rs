//! The generated sales team: pods, reps with their working habits, and pairings; plus the
//! tables that depend only on the team (`reps.csv`, `one_on_ones.csv`, `forecasts.csv`).

use std::collections::BTreeMap;
use std::path::Path;

use super::clock;
use super::csv_out::CsvOut;
use super::names;
use super::rng::Rng;
use super::{GenOptions, Window};
use crate::error::Error;

const POD_NAMES: [&str; 8] = [
    "East", "West", "Central", "South", "North", "EMEA", "APAC", "LATAM",
];

/// How an SDR writes hand-off notes: the chance of filling each of the five sections.
const DOC_STYLES: [[f64; 5]; 3] = [
    // Thorough: documents everything.
    [0.99, 0.98, 0.97, 0.97, 0.96],
    // Partial: usually complete, sometimes skips a section.
    [0.97, 0.92, 0.75, 0.8, 0.7],
    // Sparse: company and pain only, the rest rarely.
    [0.95, 0.8, 0.3, 0.45, 0.25],
];

pub struct Pod {
    pub name: String,
    /// Dedicated pairings (each SDR hands off to one named AE) or a pool.
    pub dedicated: bool,
    pub sdrs: Vec<usize>,
    pub aes: Vec<usize>,
}

pub struct Sdr {
    pub id: String,
    pub name: String,
    pub bdr: bool,
    pub pod: usize,
    pub start_day: i64,
    /// Multiplies activity and hand-off volume.
    pub productivity: f64,
    pub warm_share: f64,
    /// Qualification discipline, 0.55-0.95: raises the chance each criterion is met.
    pub quality: f64,
    pub docs: [f64; 5],
    /// The AE of a dedicated pairing.
    pub paired_ae: Option<usize>,
    /// Whether this pair's 1:1s lapse in the second half of the window.
    pub lapsed: bool,
}

/// How quickly an AE follows up on hand-offs.
#[derive(Clone, Copy)]
pub struct Speed {
    pub late: f64,
    pub never: f64,
}

pub struct Ae {
    pub id: String,
    pub name: String,
    pub pod: usize,
    pub start_day: i64,
    pub speed: Speed,
}

pub struct Team {
    pub pods: Vec<Pod>,
    pub sdrs: Vec<Sdr>,
    pub aes: Vec<Ae>,
    pub managers: Vec<(String, String, usize)>,
}

fn id(prefix: char, i: usize, n: usize) -> String {
    let width = n.to_string().len().max(2);
    format!("{prefix}{:0width$}", i + 1)
}

/// Builds the team: `opts.pods` pods sharing SDRs and AEs evenly; even pods are dedicated.
pub fn build(opts: &GenOptions, w: &Window) -> Team {
    let mut rng = Rng::new(opts.seed, 1);
    let pods_n = opts.pods.max(1);
    let pod_name = |p: usize| {
        if pods_n <= POD_NAMES.len() {
            POD_NAMES[p].to_string()
        } else {
            format!("Pod {:02}", p + 1)
        }
    };
    let mut pods: Vec<Pod> = (0..pods_n)
        .map(|p| Pod {
            name: pod_name(p),
            dedicated: p % 2 == 0,
            sdrs: Vec::new(),
            aes: Vec::new(),
        })
        .collect();
    let mut name_i = rng.below(100) as usize;
    let mut next_name = || {
        name_i += 1;
        names::person(name_i % 2304)
    };
    let mut aes = Vec::new();
    for i in 0..opts.aes {
        let pod = i * pods_n / opts.aes.max(1);
        // One AE in three is slow to follow up; the rest are mostly prompt.
        let speed = match i % 3 {
            1 => Speed {
                late: 0.22,
                never: 0.04,
            },
            _ => Speed {
                late: 0.05 + rng.unit() * 0.05,
                never: 0.005,
            },
        };
        aes.push(Ae {
            id: id('A', i, opts.aes),
            name: next_name(),
            pod,
            start_day: w.start - rng.range(200, 1500),
            speed,
        });
        pods[pod].aes.push(i);
    }
    let style_offset = rng.below(3) as usize;
    let mut sdrs = Vec::new();
    for i in 0..opts.sdrs {
        let pod = i * pods_n / opts.sdrs.max(1);
        // The last SDR of every 25 (of a smaller team: the last one) joins halfway through the
        // window, on a Monday.
        let joins = (i + 1) % 25 == 0 || (opts.sdrs < 25 && i + 1 == opts.sdrs);
        let start_day = if joins {
            let mid = w.start + (w.end - w.start) / 2;
            mid - clock::weekday(mid)
        } else {
            w.start - rng.range(60, 900)
        };
        sdrs.push(Sdr {
            id: id('S', i, opts.sdrs),
            name: next_name(),
            bdr: i % 6 == 3,
            pod,
            start_day,
            productivity: 0.8 + rng.unit() * 0.4,
            warm_share: 0.3 + rng.unit() * 0.5,
            quality: 0.55 + rng.unit() * 0.4,
            docs: DOC_STYLES[(i + style_offset) % 3],
            paired_ae: None,
            lapsed: false,
        });
        pods[pod].sdrs.push(i);
    }
    for pod in &pods {
        if !pod.dedicated || pod.aes.is_empty() {
            continue;
        }
        for (k, &s) in pod.sdrs.iter().enumerate() {
            sdrs[s].paired_ae = Some(pod.aes[k % pod.aes.len()]);
        }
        if let Some(&last) = pod.sdrs.last() {
            sdrs[last].lapsed = true;
        }
    }
    let managers = (0..pods_n)
        .map(|p| (id('M', p, pods_n), next_name(), p))
        .collect();
    Team {
        pods,
        sdrs,
        aes,
        managers,
    }
}

/// Writes `reps.csv`.
pub fn write_reps(team: &Team, dir: &Path) -> Result<(u64, u64), Error> {
    let mut out = CsvOut::create(
        &dir.join("reps.csv"),
        &["rep_id", "name", "role", "pod", "start_date", "end_date"],
    )?;
    let mut row = |id: &str, name: &str, role: &str, pod: usize, start: i64| {
        out.raw(id.as_bytes());
        out.text(name);
        out.raw(role.as_bytes());
        out.text(&team.pods[pod].name);
        out.with(|b| clock::push_date(b, start));
        out.empty();
        out.end_row()
    };
    for (id, name, pod) in &team.managers {
        let start = clock::days_from_civil(2021, 3, 1) + 7 * *pod as i64;
        row(id, name, "manager", *pod, start)?;
    }
    for s in &team.sdrs {
        row(
            &s.id,
            &s.name,
            if s.bdr { "bdr" } else { "sdr" },
            s.pod,
            s.start_day,
        )?;
    }
    for a in &team.aes {
        row(&a.id, &a.name, "ae", a.pod, a.start_day)?;
    }
    out.finish()
}

/// What a 1:1's `notes` cell says: often nothing, usually a line or two, now and then a long
/// paragraph (the agenda shows its first 280 characters and the rest on request).
const ONE_ON_ONE_NOTES: [&str; 8] = [
    "",
    "",
    "Rebook last week's no-shows before Friday; confirm the meeting the day before.",
    "Agreed: fill in \"Current solution\" on every hand-off, the AE flags a gap within a day.",
    "Pain point read differently on two hand-offs: walk through the qualification guide together.",
    "Ask about budget earlier in discovery.\nAE to reply to each hand-off within the 24 h SLA.",
    "Good week: two accepted, one won.",
    "Reviewed the rejections one by one. Most were about budget: the prospect had no budget this \
     fiscal year and the SDR had not asked. Agreed to ask the budget question in the first call, \
     to note the answer in the hand-off, and to hold a hand-off without it until the AE has \
     seen it. The AE will also say within a day when a hand-off is missing the decision maker, \
     so the SDR can go back to the account while it is warm.",
];

/// Writes `one_on_ones.csv`: every SDR meets an AE weekly on a fixed weekday (dedicated pods:
/// the paired AE; pools: the pod's AEs in turn). A few weeks are skipped; lapsed pairs skip
/// most weeks of the window's second half. Each 1:1 has notes (drawn from their own stream,
/// so the rest of the file is as it was before the column).
pub fn write_one_on_ones(
    opts: &GenOptions,
    team: &Team,
    w: &Window,
    dir: &Path,
) -> Result<(u64, u64), Error> {
    let mut rng = Rng::new(opts.seed, 4);
    let mut rng_notes = Rng::new(opts.seed, 7);
    let mut out = CsvOut::create(
        &dir.join("one_on_ones.csv"),
        &["sdr_id", "ae_id", "date", "duration_minutes", "notes"],
    )?;
    let weekday_of: Vec<i64> = team.sdrs.iter().map(|_| rng.range(0, 4)).collect();
    let half = w.start + (w.end - w.start) / 2;
    let monday = w.start - clock::weekday(w.start);
    let mut week = 0usize;
    let mut day0 = monday;
    while day0 <= w.end {
        for (i, s) in team.sdrs.iter().enumerate() {
            let day = day0 + weekday_of[i];
            if day < w.start || day > w.end || day < s.start_day {
                continue;
            }
            let pod = &team.pods[s.pod];
            let ae = match s.paired_ae {
                Some(a) => a,
                None if !pod.aes.is_empty() => pod.aes[(week + i) % pod.aes.len()],
                None => continue,
            };
            let skip = if s.lapsed && day >= half { 0.8 } else { 0.1 };
            if rng.chance(skip) {
                continue;
            }
            // Mostly on time, sometimes a day later.
            let day = if rng.chance(0.15) {
                clock::next_working_day(day + 1)
            } else {
                day
            };
            if day > w.end {
                continue;
            }
            out.raw(s.id.as_bytes());
            out.raw(team.aes[ae].id.as_bytes());
            out.with(|b| clock::push_date(b, day));
            out.num(*rng.pick(&[30, 30, 30, 32, 32, 25, 45, 20]));
            let note = *rng_notes.pick(&ONE_ON_ONE_NOTES);
            out.text(note);
            out.end_row()?;
        }
        week += 1;
        day0 += 7;
    }
    out.finish()
}

/// Writes `forecasts.csv`: each pod's forecast per month of the window and the month after,
/// off the actual closed-won amount by a realistic margin (more for later months).
pub fn write_forecasts(
    opts: &GenOptions,
    team: &Team,
    w: &Window,
    won: &BTreeMap<(usize, i64), u64>,
    dir: &Path,
) -> Result<(u64, u64), Error> {
    let mut rng = Rng::new(opts.seed, 5);
    let mut out = CsvOut::create(
        &dir.join("forecasts.csv"),
        &["period", "pod", "forecast_amount"],
    )?;
    for (p, pod) in team.pods.iter().enumerate() {
        let actuals: Vec<u64> = w
            .months()
            .map(|m| won.get(&(p, m)).copied().unwrap_or(0))
            .collect();
        let nonzero: Vec<u64> = actuals.iter().copied().filter(|a| *a > 0).collect();
        let typical = if nonzero.is_empty() {
            0
        } else {
            nonzero.iter().sum::<u64>() / nonzero.len() as u64
        };
        for (k, m) in w
            .months()
            .chain(std::iter::once(w.month_after()))
            .enumerate()
        {
            let base = actuals
                .get(k)
                .copied()
                .filter(|a| *a > 0)
                .unwrap_or(typical);
            // Forecast = actual x (0.75 .. 1.30), rounded to the nearest $1,000.
            let factor = 750 + rng.below(551);
            let cents = base / 1000 * factor;
            let rounded = (cents + 50_000) / 100_000 * 100_000;
            let (y, mo) = clock::year_month(first_day(m));
            out.with(|b| {
                super::csv_out::push_u64(b, y as u64);
                b.push(b'-');
                b.push(b'0' + (mo / 10) as u8);
                b.push(b'0' + (mo % 10) as u8);
            });
            out.text(&pod.name);
            out.cents(rounded);
            out.end_row()?;
        }
    }
    out.finish()
}

/// Months are numbered `year * 12 + month0`; the first day of one.
fn first_day(m: i64) -> i64 {
    clock::first_of_month(0, m)
}

/// The month number (`year * 12 + month0`) of a day.
pub fn month_of(day: i64) -> i64 {
    let (y, m) = clock::year_month(day);
    i64::from(y) * 12 + i64::from(m) - 1
}
