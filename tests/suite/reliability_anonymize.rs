//! Issue 17: `--anonymize` must change names, never figures, and must leave no real name, id,
//! company or e-mail address in any file or file name it writes.
//!
//! Every project that builds (each fixture under `tests/fixtures/`, the invalid ones that still
//! build with warnings, and the shipped example) is built with and without the flag. The
//! `anonymize` fixture has long, distinctive ids (some are e-mail addresses, as CRM owner ids
//! often are), a plan that names a rep in `reps:` and per-rep quotas: the lookups that renaming
//! the inputs before computing used to break.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::util::{baton, fixture};

/// Every project to try: the shipped example and each folder with a `data/` under
/// `tests/fixtures` (the invalid ones included: those that fail are skipped by the caller).
fn projects() -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR"))];
    for e in walkdir::WalkDir::new(fixture(""))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
    {
        if e.file_type().is_dir() && e.path().join("data").is_dir() {
            out.push(e.path().to_path_buf());
        }
    }
    out
}

/// Builds `root` into `out`; `None` when the build fails.
fn build(root: &Path, out: &Path, anonymize: bool) -> Option<BTreeMap<String, Vec<u8>>> {
    let mut args = vec!["build", "--quiet", "--output", out.to_str().expect("utf-8")];
    if anonymize {
        args.push("--anonymize");
    }
    let o = baton(root, &args);
    o.status.success().then(|| files(out))
}

/// Every file under `dir` by its path relative to `dir`.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Every figure of `metrics.json` with its path: numbers, booleans and strings that read as a
/// decimal amount. Entries of the per-rep maps (`sdrs`, `aes`) and of `pairs` are keyed by
/// rep ids, which the flag changes, so their path says `*`: figures there are compared as a
/// multiset per path.
fn figures(v: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    let by_rep = path.ends_with("/sdrs") || path.ends_with("/aes") || path.ends_with("/pairs");
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let k = if by_rep { "*" } else { k.as_str() };
                figures(v, &format!("{path}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                let i = if by_rep {
                    "*".to_string()
                } else {
                    i.to_string()
                };
                figures(v, &format!("{path}/{i}"), out);
            }
        }
        Value::Number(n) => out.push((path.to_string(), n.to_string())),
        Value::Bool(b) => out.push((path.to_string(), b.to_string())),
        Value::String(s) => {
            if let Ok(d) = s.parse::<Decimal>() {
                out.push((path.to_string(), d.normalize().to_string()));
            }
        }
        Value::Null => out.push((path.to_string(), "null".into())),
    }
}

fn metric_figures(site: &BTreeMap<String, Vec<u8>>) -> Vec<(String, String)> {
    let json: serde_json::Value =
        serde_json::from_slice(&site["metrics.json"]).expect("metrics.json parses");
    let mut out = Vec::new();
    figures(&json, "", &mut out);
    out.sort();
    out
}

/// The rows of comp.csv without the columns that name a rep, sorted: what must not change.
fn comp_rows(site: &BTreeMap<String, Vec<u8>>) -> Vec<Vec<String>> {
    let Some(bytes) = site.get("comp.csv") else {
        return Vec::new();
    };
    let mut rdr = csv::Reader::from_reader(&bytes[..]);
    let headers = rdr.headers().expect("header").clone();
    let keep: Vec<usize> = (0..headers.len())
        .filter(|&i| !matches!(&headers[i], "rep_id" | "payroll_id" | "rep_name" | "reason"))
        .collect();
    let mut rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| {
            let r = r.expect("row");
            keep.iter().map(|&i| r[i].to_string()).collect()
        })
        .collect();
    rows.sort();
    rows
}

/// What must not appear in an anonymized site: each rep's id and name, each company, lead,
/// meeting and deal id (as loaded, whatever the mapping), and every e-mail address in the
/// exports. Ids of fewer than 3 characters, or all digits and shorter than 6, are left out:
/// `s1` or `L1` match SVG path data and figures by accident (the `anonymize` fixture holds the
/// distinctive ones).
fn originals(root: &Path) -> Vec<String> {
    let loaded = baton::input::load(&baton::input::ProjectPaths::new(root)).expect("loads");
    let ds = &loaded.dataset;
    let mut ids: Vec<&str> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for r in &ds.reps {
        ids.push(&r.id);
        names.push(&r.name);
    }
    for h in &ds.handoffs {
        ids.push(&h.lead_id);
        names.push(&h.company);
    }
    ids.extend(ds.opportunities.iter().map(|o| o.opportunity_id.as_str()));
    ids.extend(ds.meetings.iter().map(|m| &*m.meeting_id));
    let distinctive = |s: &&str| {
        let n = s.chars().count();
        n >= 6 || (n >= 3 && s.chars().any(char::is_alphabetic))
    };
    let mut out: Vec<String> = ids
        .into_iter()
        .filter(distinctive)
        .chain(names.into_iter().filter(|s| s.trim().chars().count() >= 3))
        .map(str::to_string)
        .collect();
    for e in std::fs::read_dir(root.join("data")).expect("data") {
        let text = std::fs::read_to_string(e.expect("entry").path()).unwrap_or_default();
        out.extend(
            text.split(|c: char| c.is_whitespace() || ",;\t\"<>()".contains(c))
                .filter(|w| w.contains('@') && w.contains('.'))
                .map(str::to_string),
        );
    }
    out.sort();
    out.dedup();
    out
}

/// The forms `s` takes in the output: as is, escaped for HTML by Tera, and as a file name.
fn forms(s: &str) -> Vec<String> {
    let html = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;");
    let slug = baton::input::pages::slugify(s);
    let mut out = vec![s.to_string(), html];
    if slug.len() >= 4 && slug != "page" {
        out.push(slug);
    }
    out.dedup();
    out
}

/// Where `needle` occurs in `text` as a whole word: not inside a longer run of letters and
/// digits.
fn find_word(text: &str, needle: &str) -> Option<usize> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(needle).map(|(i, _)| i).find(|&i| {
        !word(text[..i].chars().next_back()) && !word(text[i + needle.len()..].chars().next())
    })
}

fn assert_names_no_one(project: &Path, site: &BTreeMap<String, Vec<u8>>) {
    let originals = originals(project);
    for (rel, bytes) in site {
        let text = String::from_utf8_lossy(bytes);
        for original in &originals {
            for form in forms(original) {
                if let Some(at) = find_word(rel, &form) {
                    panic!(
                        "{}: file name {rel} holds {form:?} at {at}",
                        project.display()
                    );
                }
                if let Some(at) = find_word(&text, &form) {
                    let from = text.floor_char_boundary(at.saturating_sub(60));
                    let to = text.ceil_char_boundary((at + form.len() + 60).min(text.len()));
                    panic!(
                        "{}: {rel} holds {form:?}: ...{}...",
                        project.display(),
                        &text[from..to]
                    );
                }
            }
        }
    }
}

#[test]
fn anonymized_builds_have_the_same_figures_and_name_no_one() {
    let mut built = 0;
    for project in projects() {
        let tmp = tempfile::tempdir().expect("tmp");
        let Some(plain) = build(&project, &tmp.path().join("plain"), false) else {
            continue;
        };
        let shown = project.display();
        let anon = build(&project, &tmp.path().join("anon"), true)
            .unwrap_or_else(|| panic!("{shown}: builds, but not with --anonymize"));
        assert_eq!(
            metric_figures(&plain),
            metric_figures(&anon),
            "{shown}: metrics.json figures differ"
        );
        assert_eq!(
            comp_rows(&plain),
            comp_rows(&anon),
            "{shown}: comp.csv amounts differ"
        );
        assert_eq!(
            plain.len(),
            anon.len(),
            "{shown}: not the same number of files"
        );
        assert_names_no_one(&project, &anon);
        built += 1;
    }
    // The example, small, small-hubspot, small-salesforce, hostile, anonymize and the invalid
    // projects that only warn.
    assert!(built >= 6, "only {built} projects built");
}

#[test]
fn plans_and_quotas_that_name_reps_still_apply_when_anonymized() {
    let tmp = tempfile::tempdir().expect("tmp");
    let project = fixture("anonymize");
    let plain = build(&project, &tmp.path().join("plain"), false).expect("builds");
    let anon = build(&project, &tmp.path().join("anon"), true).expect("builds anonymized");
    for site in [&plain, &anon] {
        let csv = String::from_utf8_lossy(&site["comp.csv"]);
        // Jo Park's plan names her in `reps:`; Sam Diaz's quota of 2 meetings replaces 4.
        assert!(csv.contains("West AE plan"), "{csv}");
        assert!(
            csv.lines()
                .any(|l| l.contains("accepted_meetings") && l.contains(",2,")),
            "{csv}"
        );
    }
    assert_eq!(comp_rows(&plain), comp_rows(&anon));
    // Warnings and rejected rows are shown without the ids and addresses they quote.
    let data = String::from_utf8_lossy(&anon["data.html"]);
    assert!(data.contains("details withheld"), "{data}");
    assert!(!data.contains("crm-owners.example"), "{data}");
}
