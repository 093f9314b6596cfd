//! History without a warehouse: `baton build --snapshot` keeps the period's metrics.json as
//! `history/<period>.json` in the project, which the team commits; later builds read every
//! snapshot back and draw long trends from them, as they were reported (never recomputed).
//!
//! A snapshot is metrics.json plus `playbook_fingerprint`, a stable hash of the playbook
//! settings that can change a figure; with metrics.json's `definitions_version` it tells the
//! history page where a definition or the playbook changed between two snapshots.
//! Parsing and fingerprinting are pure; [`read_dir`] and [`write`] are the only I/O.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::comp::close::{Closed, InputHash};
use crate::error::{Diagnostic, Error};
use crate::metrics::stats::Rate;
use crate::metrics::MetricsReport;
use crate::period::Period;
use crate::playbook::Playbook;

/// The folder under the project root that holds the snapshots.
pub const DIR: &str = "history";

/// Largest snapshot read.
const MAX_SNAPSHOT_BYTES: u64 = 64 * 1024 * 1024;

/// The `.json` files of a folder (snapshots, closed periods), by name, hidden ones left out:
/// both readers take them in the same order.
fn json_names(entries: std::fs::ReadDir) -> Vec<String> {
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// The figures of one snapshot the history page draws, exactly as the snapshot has them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub period: String,
    /// Where it was read from, e.g. `history/2026-09.json`.
    pub file: String,
    pub as_of: String,
    pub definitions_version: u64,
    /// `None` for a snapshot written without one (then no playbook change can be told).
    pub playbook_fingerprint: Option<String>,
    pub meetings_booked: u64,
    pub show_rate: Rate,
    pub acceptance_rate: Rate,
    pub closed_won: u64,
    /// As written in the snapshot (an exact decimal string).
    pub closed_won_amount: String,
}

/// 64-bit FNV-1a of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The playbook's fingerprint: FNV-1a over the JSON of every setting that can change a
/// figure (time zone, minimum sample, qualification criteria and sales-ready rule, hand-off
/// rules, 1:1 template, team and comp plans), written `fnv1a64:<16 hex digits>`. Titles,
/// currency, links, review dates, gates and the Markdown pages are left out: changing them
/// changes no number.
pub fn fingerprint(pb: &Playbook) -> String {
    let q = &pb.qualification;
    let config = serde_json::json!({
        "timezone": pb.site.timezone,
        "min_sample": pb.site.min_sample,
        "qualification": { "framework": q.framework, "criteria": q.criteria, "sales_ready": q.sales_ready },
        "handoff": pb.handoff,
        "meetings": pb.meetings,
        "team": pb.team,
        "comp": pb.comp,
    });
    format!("fnv1a64:{:016x}", fnv1a64(config.to_string().as_bytes()))
}

/// What `--snapshot` writes: metrics.json with the playbook's fingerprint added at the end.
#[derive(Serialize)]
struct SnapshotOut<'a> {
    #[serde(flatten)]
    metrics: &'a MetricsReport,
    playbook_fingerprint: &'a str,
}

/// The snapshot file's text for `metrics` under a playbook of fingerprint `fp`.
pub fn snapshot_json(metrics: &MetricsReport, fp: &str) -> Result<String, Error> {
    serde_json::to_string_pretty(&SnapshotOut {
        metrics,
        playbook_fingerprint: fp,
    })
    .map(|s| s + "\n")
    .map_err(|e| Error::Other(format!("writing the snapshot: {e}")))
}

fn rate(v: &serde_json::Value) -> Option<Rate> {
    let num = v.get("num")?.as_u64()?;
    let den = v.get("den")?.as_u64()?;
    (num <= den).then(|| Rate::new(num, den))
}

/// Reads one snapshot's text; `file` is how messages name it. The error says what is missing.
pub fn parse(text: &str, file: &str) -> Result<Snapshot, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON ({e})"))?;
    let team = &v["current"]["team"];
    let missing = |what: &str| format!("not a Baton snapshot: `{what}` is missing or malformed");
    let text_of = |key: &str| {
        v[key]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| missing(key))
    };
    let count = |key: &str| {
        team[key]
            .as_u64()
            .ok_or_else(|| missing(&format!("current.team.{key}")))
    };
    let rate_of =
        |key: &str| rate(&team[key]).ok_or_else(|| missing(&format!("current.team.{key}")));
    Ok(Snapshot {
        period: text_of("period")?,
        file: file.to_string(),
        as_of: text_of("as_of")?,
        definitions_version: v["definitions_version"]
            .as_u64()
            .ok_or_else(|| missing("definitions_version"))?,
        playbook_fingerprint: v["playbook_fingerprint"].as_str().map(str::to_string),
        meetings_booked: count("meetings_booked")?,
        show_rate: rate_of("show_rate")?,
        acceptance_rate: rate_of("acceptance_rate")?,
        closed_won: count("closed_won")?,
        closed_won_amount: team["closed_won_amount"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| missing("current.team.closed_won_amount"))?,
    })
}

/// Reads every `<period>.json` of `dir` (which may be missing), oldest period first. A file
/// that cannot be used is left out with a warning naming it and why; `prefix` is how the
/// folder is shown (`history/`).
pub fn read_dir(dir: &Path, prefix: &str) -> (Vec<Snapshot>, Vec<Diagnostic>) {
    let mut found: Vec<(Period, Snapshot)> = Vec::new();
    let mut diags = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (Vec::new(), diags);
    };
    let names = json_names(entries);
    for name in names {
        let display = format!("{prefix}{name}");
        let stem = name.trim_end_matches(".json");
        let Some(period) = Period::parse(stem).filter(|p| p.label() == stem) else {
            diags.push(Diagnostic::warning(
                &display,
                "not named after a period (YYYY-MM.json or YYYY-Qn.json); ignored",
            ));
            continue;
        };
        let read = crate::input::read_text(&dir.join(&name), &display, MAX_SNAPSHOT_BYTES)
            .map_err(|d| d.message)
            .and_then(|text| parse(&text, &display));
        match read {
            Ok(s) if s.period == period.label() => found.push((period, s)),
            Ok(s) => diags.push(Diagnostic::warning(
                &display,
                format!("holds period {} but is named {name}; ignored", s.period),
            )),
            Err(why) => diags.push(Diagnostic::warning(&display, format!("{why}; ignored"))),
        }
    }
    found.sort_by_key(|a| a.0);
    (found.into_iter().map(|(_, s)| s).collect(), diags)
}

/// Writes `text` as `dir/<period>.json` (creating `dir`), through a temporary file renamed
/// into place so a failed write never leaves half a snapshot. Returns the path written.
pub fn write(dir: &Path, period: &Period, text: &str) -> Result<PathBuf, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let path = dir.join(format!("{}.json", period.label()));
    let tmp = dir.join(format!(".{}.json.tmp", period.label()));
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// The folder under `history/` that holds closed periods (`baton close`, docs/comp.md).
pub const CLOSED_DIR: &str = "closed";

/// Reads every closed period of `dir` (`history/closed`, which may be missing), keyed by
/// period. A closed file is paid history: one that cannot be read, is not named after a
/// period, or does not hold what its name says is an error naming it (the build stops rather
/// than show recomputed figures for a paid period). `prefix` is how the folder is shown.
pub fn read_closed(
    dir: &Path,
    prefix: &str,
) -> Result<std::collections::BTreeMap<Period, Closed>, Vec<Diagnostic>> {
    let mut found = std::collections::BTreeMap::new();
    let mut errors = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(found);
    };
    let names = json_names(entries);
    for name in names {
        let display = format!("{prefix}{name}");
        let stem = name.trim_end_matches(".json");
        let Some(period) = Period::parse(stem).filter(|p| p.label() == stem) else {
            errors.push(Diagnostic::error(
                &display,
                "a closed period's file must be named after it (YYYY-MM.json or YYYY-Qn.json)",
            ));
            continue;
        };
        let read = crate::input::read_text(&dir.join(&name), &display, MAX_SNAPSHOT_BYTES)
            .map_err(|d| d.message)
            .and_then(|text| parse_closed(&text, &period));
        match read {
            Ok(c) => {
                found.insert(period, c);
            }
            Err(why) => errors.push(Diagnostic::error(&display, why)),
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// Reads one closed period's text, named after `period`; the error says what is wrong.
pub fn parse_closed(text: &str, period: &Period) -> Result<Closed, String> {
    let c: Closed =
        serde_json::from_str(text).map_err(|e| format!("not a Baton closed period ({e})"))?;
    crate::comp::close::validate(&c, period)?;
    Ok(c)
}

/// The closed file's text.
pub fn closed_json(c: &Closed) -> Result<String, Error> {
    serde_json::to_string_pretty(c)
        .map(|s| s + "\n")
        .map_err(|e| Error::Other(format!("writing the closed period: {e}")))
}

/// The hash of every file directly under each of `dirs` (data/, playbook/), named as
/// `prefix` + file name, sorted by name: what a closed period was computed from.
pub fn input_hashes(dirs: &[(&Path, String)]) -> Result<Vec<InputHash>, Error> {
    let mut out = Vec::new();
    for (dir, prefix) in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).map_err(|e| Error::io(&f, e))?;
            let name = f.file_name().map(|n| n.to_string_lossy().to_string());
            out.push(InputHash {
                file: format!("{prefix}{}", name.unwrap_or_default()),
                hash: format!("fnv1a64:{:016x}", fnv1a64(&bytes)),
            });
        }
    }
    Ok(out)
}

/// Writes the closed file `dir/<period>.json` (creating `dir`) through a temporary file.
/// An existing one is replaced only with `force`.
pub fn write_closed(
    dir: &Path,
    period: &Period,
    text: &str,
    force: bool,
) -> Result<PathBuf, Error> {
    let path = dir.join(format!("{}.json", period.label()));
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "{} is already closed ({}): a closed period is what was paid; pass --force only to \
             replace a closing that was never paid",
            period.label(),
            path.display()
        )));
    }
    write(dir, period, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        // From the FNV reference (draft-eastlake-fnv): "" and "a" and "foobar".
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fingerprint_follows_figures_not_presentation() {
        let base = Playbook::default();
        let fp = fingerprint(&base);
        assert!(fp.starts_with("fnv1a64:") && fp.len() == 8 + 16, "{fp}");
        assert_eq!(fp, fingerprint(&base.clone()), "stable");
        let mut titled = base.clone();
        titled.site.title = "Another title".into();
        titled.site.base_url = Some("https://example.com/".into());
        assert_eq!(fingerprint(&titled), fp);
        let mut sla = base.clone();
        sla.handoff.sla_hours = 48;
        assert_ne!(fingerprint(&sla), fp);
        let mut ready = base.clone();
        ready.qualification.sales_ready.min_met = 2;
        assert_ne!(fingerprint(&ready), fp);
        // lead_aging_days (issue 21) counts only once set away from its default.
        let rules = serde_json::to_string(&base.handoff).unwrap();
        assert!(!rules.contains("lead_aging_days"), "{rules}");
        let mut aging = base;
        aging.handoff.lead_aging_days = 5;
        assert_ne!(fingerprint(&aging), fp);
    }

    #[test]
    fn parse_takes_the_figures_as_written_and_names_what_is_missing() {
        let text = r#"{"definitions_version": 1, "period": "2026-09", "as_of": "2026-09-30T23:59:59Z",
            "current": {"team": {"meetings_booked": 12, "closed_won": 3, "closed_won_amount": "4500.50",
            "show_rate": {"value": 0.75, "num": 6, "den": 8},
            "acceptance_rate": {"value": null, "num": 0, "den": 0}}},
            "playbook_fingerprint": "fnv1a64:0000000000000001"}"#;
        let s = parse(text, "history/2026-09.json").expect("parses");
        assert_eq!(s.meetings_booked, 12);
        assert_eq!(s.show_rate, Rate::new(6, 8));
        assert_eq!(s.acceptance_rate.value, None);
        assert_eq!(s.closed_won_amount, "4500.50");
        assert_eq!(
            s.playbook_fingerprint.as_deref(),
            Some("fnv1a64:0000000000000001")
        );
        let broken = text.replace("\"closed_won\": 3,", "");
        assert_eq!(
            parse(&broken, "x").unwrap_err(),
            "not a Baton snapshot: `current.team.closed_won` is missing or malformed"
        );
        assert!(parse("{", "x").unwrap_err().starts_with("not valid JSON"));
    }
}
