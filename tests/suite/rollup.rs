//! Daily roll-ups (`activity_daily.csv`, docs/scale.md): a generated project whose raw
//! activities are replaced by their GROUP BY must give the same metrics.json, figure for figure.

use std::collections::BTreeMap;
use std::path::Path;

use baton::build::{prepare, Options};
use baton::generate::{write_project, GenOptions};

/// Rolls `activities.csv` up by local date, rep, type and outcome, as the warehouse query of
/// docs/scale.md does, and writes `activity_daily.csv` beside it.
fn roll_up(data: &Path) -> usize {
    let mut groups: BTreeMap<(String, String, String, String), u64> = BTreeMap::new();
    let mut rdr = csv::Reader::from_path(data.join("activities.csv")).expect("read");
    let headers = rdr.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (rep, date, kind, outcome) = (col("rep_id"), col("date"), col("type"), col("outcome"));
    for rec in rdr.records() {
        let rec = rec.expect("row");
        // The generator writes naive local timestamps: the local date is their first ten bytes.
        let stamp = &rec[date];
        assert!(stamp.len() == 19 || stamp.len() == 10, "{stamp}");
        let key = (
            stamp[..10].to_string(),
            rec[rep].to_string(),
            rec[kind].to_string(),
            rec[outcome].to_string(),
        );
        *groups.entry(key).or_default() += 1;
    }
    let mut w = csv::Writer::from_path(data.join("activity_daily.csv")).expect("write");
    w.write_record(["date", "rep_id", "type", "outcome", "count"])
        .expect("header");
    for ((d, r, k, o), n) in &groups {
        w.write_record([d, r, k, o, &n.to_string()]).expect("row");
    }
    w.flush().expect("flush");
    groups.len()
}

fn metrics_json(root: &Path) -> serde_json::Value {
    let p = match prepare(&Options::new(root)) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    assert!(p.loaded.rejections.is_empty(), "{:?}", p.loaded.rejections);
    serde_json::to_value(&p.metrics).expect("json")
}

fn generated() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    write_project(&GenOptions::example(), dir.path()).expect("generate");
    dir
}

#[test]
fn a_daily_roll_up_gives_the_metrics_of_raw_activities() {
    let raw = generated();
    let rolled = generated();
    let data = rolled.path().join("data");
    let groups = roll_up(&data);
    std::fs::remove_file(data.join("activities.csv")).expect("remove");
    let lines = std::fs::read_to_string(raw.path().join("data/activities.csv"))
        .expect("read")
        .lines()
        .count();
    // The roll-up is what makes it worth it: far fewer rows than activities.
    assert!(groups * 2 < lines, "{groups} groups of {lines} activities");
    let (a, b) = (metrics_json(raw.path()), metrics_json(rolled.path()));
    assert_eq!(a["current"]["team"]["dials"], b["current"]["team"]["dials"]);
    assert!(a["current"]["team"]["dials"]
        .as_u64()
        .is_some_and(|d| d > 1000));
    assert_eq!(a, b);
}

#[test]
fn raw_and_rolled_up_days_together_are_added_and_warned_about() {
    let p = generated();
    let data = p.path().join("data");
    roll_up(&data);
    let both = match prepare(&Options::new(p.path())) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let warning = both
        .diagnostics
        .iter()
        .find(|d| d.file == "data/activity_daily.csv")
        .expect("overlap warning");
    assert!(
        warning
            .message
            .contains("have activity in both data/activities.csv and this roll-up"),
        "{}",
        warning.message
    );
    let raw_only = generated();
    let (twice, once) = (
        serde_json::to_value(&both.metrics).expect("json"),
        metrics_json(raw_only.path()),
    );
    let dials = |m: &serde_json::Value| m["current"]["team"]["dials"].as_u64().expect("dials");
    assert_eq!(dials(&twice), 2 * dials(&once));
}

#[test]
fn roll_up_rows_are_checked_like_raw_ones() {
    let p = generated();
    let data = p.path().join("data");
    roll_up(&data);
    std::fs::remove_file(data.join("activities.csv")).expect("remove");
    let path = data.join("activity_daily.csv");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str(
        "2026-10-30,S01,call,connected,many\n2026-10-30,S01,fax,,3\n2026-10-30,S01,call,,\n",
    );
    // A zero count is a row, but no activity: it must not move the data's as-of date.
    text.push_str("2026-12-31,S01,call,,0\n");
    std::fs::write(&path, text).expect("write");
    let p = match prepare(&Options::new(p.path())) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let why: Vec<String> = p
        .loaded
        .rejections
        .iter()
        .map(|r| format!("{}: {}", r.column_name, r.reason))
        .collect();
    assert_eq!(
        why,
        [
            "count: \"many\" is not a whole number ≥ 0",
            "type: unknown value \"fax\" (expected one of: call, email, social, prospect_added)",
            "count: is empty but required",
        ]
    );
    let local = p.as_of.with_timezone(&p.tz).date_naive();
    assert_eq!(local.to_string(), "2026-10-31");
}
