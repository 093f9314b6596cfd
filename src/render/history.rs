//! The history page (`history.html`): long trends of show rate, acceptance rate, meetings
//! booked and deals closed won across every snapshot in `history/` plus this build's period,
//! each snapshot's figures exactly as it reported them, with a lettered mark wherever the
//! metric definitions or the playbook changed between two points.

use serde::Serialize;
use tera::Context;

use super::charts;
use super::known::{Known, NOT_EXPORTED};
use super::site::Writer;
use crate::error::Error;
use crate::format;
use crate::history::Snapshot;
use crate::metrics::DEFINITIONS_VERSION;
use crate::prepared::Prepared;

/// One point of the long trend: a snapshot, or this build's own period.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub snapshot: Snapshot,
    /// True for the figures this build computed (the last point).
    pub this_build: bool,
}

/// A change between two consecutive points, lettered on the charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub label: String,
    /// Index of the later point.
    pub index: usize,
    pub text: String,
}

/// The points of the trend: snapshots of the same kind of period as the build (months for a
/// month, quarters for a quarter), except one of the build's own period, then the build.
pub fn points(p: &Prepared) -> (Vec<Point>, usize) {
    let current = current_point(p);
    let quarter = p.period.quarter;
    let mut skipped = 0;
    let mut out: Vec<Point> = p
        .history
        .iter()
        .filter(|s| {
            let same_kind = crate::period::Period::parse(&s.period)
                .is_some_and(|x| x.quarter == quarter && x.start < p.period.start);
            skipped += usize::from(!same_kind && s.period != current.period);
            same_kind
        })
        .map(|s| Point {
            snapshot: s.clone(),
            this_build: false,
        })
        .collect();
    out.push(Point {
        snapshot: current,
        this_build: true,
    });
    (out, skipped)
}

/// The chart, without the series that have no point to draw (the figure was not exported in
/// this build and no snapshot holds it); with none left, the note of [`Known::chart`].
fn drawn_or_note(k: Known, keys: &[&str], mut trend: charts::Trend) -> Result<String, Error> {
    trend
        .series
        .retain(|s| s.values.iter().any(Option::is_some));
    if trend.series.is_empty() {
        return Ok(Known::note(k.any(keys).unwrap_or_default()));
    }
    charts::trend(&trend)
}

/// This build's period as a snapshot would record it.
fn current_point(p: &Prepared) -> Snapshot {
    let t = &p.metrics.current.team;
    Snapshot {
        period: p.period.label(),
        file: String::new(),
        as_of: p
            .metrics
            .as_of
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        definitions_version: u64::from(DEFINITIONS_VERSION),
        playbook_fingerprint: Some(p.playbook_fingerprint.clone()),
        meetings_booked: t.cohort.meetings_booked,
        show_rate: t.cohort.show_rate,
        acceptance_rate: t.cohort.acceptance_rate,
        closed_won: t.closed.closed_won,
        closed_won_amount: t.closed.closed_won_amount.to_string(),
    }
}

/// Where consecutive points differ in definitions version or playbook fingerprint, lettered
/// A, B, ... in order. A point without a fingerprint is never compared on the playbook.
pub fn changes(points: &[Point]) -> Vec<Change> {
    let mut out = Vec::new();
    for (i, pair) in points.windows(2).enumerate() {
        let (a, b) = (&pair[0].snapshot, &pair[1].snapshot);
        let mut what = Vec::new();
        if a.definitions_version != b.definitions_version {
            what.push(format!(
                "metric definitions changed (version {} to {})",
                a.definitions_version, b.definitions_version
            ));
        }
        if let (Some(x), Some(y)) = (&a.playbook_fingerprint, &b.playbook_fingerprint) {
            if x != y {
                what.push(format!("the playbook changed ({x} to {y})"));
            }
        }
        if !what.is_empty() {
            let n = out.len();
            out.push(Change {
                label: letter(n),
                index: i + 1,
                text: format!(
                    "Between {} and {}: {}.",
                    a.period,
                    b.period,
                    what.join("; ")
                ),
            });
        }
    }
    out
}

/// A, B, ..., Z, AA, AB, ...
fn letter(n: usize) -> String {
    let c = |k: usize| char::from(b'A' + (k % 26) as u8);
    if n < 26 {
        c(n).to_string()
    } else {
        format!("{}{}", c(n / 26 - 1), c(n))
    }
}

/// Writes `history.html`.
pub fn write(p: &Prepared, w: &mut Writer) -> Result<(), Error> {
    let (points, skipped) = points(p);
    // This build's figures follow the rule of Known: what its exports cannot give is "not
    // exported" and left out of the charts (a snapshot holds what its own build reported).
    let k = Known::of(p);
    let shown = |x: &Point, key: &str, text: String| {
        if x.this_build && !k.has(key) {
            NOT_EXPORTED.to_string()
        } else {
            text
        }
    };
    let drawn = |x: &Point, key: &str, v: Option<f64>| v.filter(|_| !x.this_build || k.has(key));
    let changes = changes(&points);
    let months: Vec<String> = points.iter().map(|x| x.snapshot.period.clone()).collect();
    let markers: Vec<charts::TrendMarker> = changes
        .iter()
        .map(|c| charts::TrendMarker {
            index: c.index,
            label: c.label.clone(),
        })
        .collect();
    let span = format!(
        "from {} to {}",
        months.first().cloned().unwrap_or_default(),
        months.last().cloned().unwrap_or_default()
    );
    let marks = if changes.is_empty() {
        String::new()
    } else {
        " Lettered dotted lines mark where the definitions or the playbook changed.".into()
    };
    let rates_svg = drawn_or_note(
        k,
        &["show_rate", "acceptance_rate"],
        charts::Trend {
            meta: charts::ChartMeta {
                id: "history-rates".into(),
                title: "Show rate and acceptance rate, as reported".into(),
                description: format!("Team show rate and acceptance rate {span}.{marks}"),
            },
            months: months.clone(),
            series: vec![
                charts::TrendSeries {
                    name: "Show rate".into(),
                    values: points
                        .iter()
                        .map(|x| drawn(x, "show_rate", x.snapshot.show_rate.value))
                        .collect(),
                },
                charts::TrendSeries {
                    name: "Acceptance rate".into(),
                    values: points
                        .iter()
                        .map(|x| drawn(x, "acceptance_rate", x.snapshot.acceptance_rate.value))
                        .collect(),
                },
            ],
            format: charts::ValueFormat::Percent,
            benchmark: None,
            markers: markers.clone(),
        },
    )?;
    let counts_svg = drawn_or_note(
        k,
        &["meetings_booked", "closed_won"],
        charts::Trend {
            meta: charts::ChartMeta {
                id: "history-counts".into(),
                title: "Meetings booked and deals closed won, as reported".into(),
                description: format!("Team meetings booked and deals closed won {span}.{marks}"),
            },
            months,
            series: vec![
                charts::TrendSeries {
                    name: "Meetings booked".into(),
                    values: points
                        .iter()
                        .map(|x| {
                            drawn(
                                x,
                                "meetings_booked",
                                Some(x.snapshot.meetings_booked as f64),
                            )
                        })
                        .collect(),
                },
                charts::TrendSeries {
                    name: "Deals closed won".into(),
                    values: points
                        .iter()
                        .map(|x| drawn(x, "closed_won", Some(x.snapshot.closed_won as f64)))
                        .collect(),
                },
            ],
            format: charts::ValueFormat::Count,
            benchmark: None,
            markers,
        },
    )?;
    // A rate on fewer cases than this build's min_sample ends with the site's one mark.
    let min = w.site.min_sample;
    let small = |den: u64| {
        if den < min {
            super::views::SMALL_MARK
        } else {
            ""
        }
    };
    let rows: Vec<serde_json::Value> = points
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let s = &x.snapshot;
            serde_json::json!({
                "period": s.period,
                "source": if x.this_build { "this build".to_string() } else { s.file.clone() },
                "this_build": x.this_build,
                "booked": shown(x, "meetings_booked", format::int(i128::from(s.meetings_booked))),
                "show_rate": shown(x, "show_rate", format::rate(s.show_rate.value, s.show_rate.num, s.show_rate.den) + small(s.show_rate.den)),
                "acceptance": shown(x, "acceptance_rate", format::rate(s.acceptance_rate.value, s.acceptance_rate.num, s.acceptance_rate.den) + small(s.acceptance_rate.den)),
                "closed_won": shown(x, "closed_won", format::int(i128::from(s.closed_won))),
                "closed_won_amount": shown(x, "closed_won_amount", format::parse_decimal(&s.closed_won_amount)
                    .map_or_else(|| s.closed_won_amount.clone(), |d| format::money(d, &w.site.currency))),
                "changes": changes.iter().filter(|c| c.index == i).map(|c| c.label.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let rate_rows: Vec<[String; 3]> = points
        .iter()
        .map(|x| {
            let s = &x.snapshot;
            [
                s.period.clone(),
                shown(
                    x,
                    "show_rate",
                    format::rate(s.show_rate.value, s.show_rate.num, s.show_rate.den)
                        + small(s.show_rate.den),
                ),
                shown(
                    x,
                    "acceptance_rate",
                    format::rate(
                        s.acceptance_rate.value,
                        s.acceptance_rate.num,
                        s.acceptance_rate.den,
                    ) + small(s.acceptance_rate.den),
                ),
            ]
        })
        .collect();
    let count_rows: Vec<[String; 3]> = points
        .iter()
        .map(|x| {
            let s = &x.snapshot;
            [
                s.period.clone(),
                shown(
                    x,
                    "meetings_booked",
                    format::int(i128::from(s.meetings_booked)),
                ),
                shown(x, "closed_won", format::int(i128::from(s.closed_won))),
            ]
        })
        .collect();
    // A snapshot of this very period: shown for comparison, never drawn over this build.
    let same_period: Vec<&Snapshot> = p
        .history
        .iter()
        .filter(|s| s.period == p.period.label())
        .collect();
    let mut ctx = Context::new();
    ctx.insert("rates_svg", &rates_svg);
    ctx.insert("counts_svg", &counts_svg);
    ctx.insert("rows", &rows);
    ctx.insert("rate_rows", &rate_rows);
    ctx.insert("count_rows", &count_rows);
    ctx.insert("changes", &changes);
    ctx.insert("snapshots", &p.history.len());
    ctx.insert("skipped", &skipped);
    ctx.insert("same_period", &same_period);
    ctx.insert("fingerprint", &p.playbook_fingerprint);
    ctx.insert("definitions_version", &DEFINITIONS_VERSION);
    w.page("history.html", "history.html", "History", "history", ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::stats::Rate;

    fn snap(period: &str, version: u64, fp: Option<&str>) -> Point {
        Point {
            snapshot: Snapshot {
                period: period.into(),
                file: format!("history/{period}.json"),
                as_of: String::new(),
                definitions_version: version,
                playbook_fingerprint: fp.map(str::to_string),
                meetings_booked: 1,
                show_rate: Rate::new(1, 2),
                acceptance_rate: Rate::new(1, 1),
                closed_won: 0,
                closed_won_amount: "0".into(),
            },
            this_build: false,
        }
    }

    #[test]
    fn changes_are_lettered_where_version_or_playbook_differ() {
        let points = [
            snap("2026-06", 1, Some("fnv1a64:a")),
            snap("2026-07", 1, Some("fnv1a64:a")),
            snap("2026-08", 1, Some("fnv1a64:b")),
            snap("2026-09", 2, None),
            snap("2026-10", 2, Some("fnv1a64:c")),
        ];
        let c = changes(&points);
        assert_eq!(
            c,
            [
                Change {
                    label: "A".into(),
                    index: 2,
                    text: "Between 2026-07 and 2026-08: the playbook changed (fnv1a64:a to fnv1a64:b).".into()
                },
                Change {
                    label: "B".into(),
                    index: 3,
                    text: "Between 2026-08 and 2026-09: metric definitions changed (version 1 to 2).".into()
                },
            ]
        );
    }

    #[test]
    fn letters_go_on_after_z() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
    }
}
