//! Loading `playbook/*.yaml` into [`Playbook`] and checking that it does not contradict itself.
//!
//! Every file is optional and falls back to the playbook's recommended defaults. YAML syntax and
//! type errors carry serde_yaml's line and column; semantic errors point at the line of the key
//! they concern.

use std::path::Path;

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;

use super::yaml_sources::Sources;
use crate::error::Diagnostic;
use crate::model::Flags;
use crate::playbook::comp::CompConfig;
use crate::playbook::*;

/// The YAML files Baton reads from `playbook/`; any other `.yaml` there is reported.
pub const FILES: [&str; 9] = [
    "mapping.yaml",
    "site.yaml",
    "qualification.yaml",
    "handoff.yaml",
    "meetings.yaml",
    "team.yaml",
    "comp.yaml",
    "gates.yaml",
    "segments.yaml",
];

/// Largest playbook file read, so a hostile file cannot exhaust memory.
const MAX_YAML_BYTES: u64 = 4 * 1024 * 1024;

pub(crate) fn read_yaml<T: DeserializeOwned + Default>(
    dir: &Path,
    prefix: &str,
    name: &str,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> T {
    let path = dir.join(name);
    let display = format!("{prefix}{name}");
    if !path.is_file() {
        return T::default();
    }
    let text = match super::read_text(&path, &display, MAX_YAML_BYTES) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return T::default();
        }
    };
    sources.texts.push((display.clone(), text.clone()));
    if text.trim().is_empty() {
        return T::default();
    }
    if let Some(line) = super::yaml_depth::too_deep(&text, super::yaml_depth::MAX_DEPTH) {
        diags.push(Diagnostic::error(display, too_deep_message()).at(line, None));
        return T::default();
    }
    match serde_yaml::from_str::<T>(&text) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::error(display, yaml_message(&e));
            if let Some(loc) = e.location() {
                d = d.at(loc.line() as u64, Some(loc.column() as u64));
            }
            diags.push(d);
            T::default()
        }
    }
}

/// Why a YAML text nesting deeper than [`super::yaml_depth::MAX_DEPTH`] is not read.
pub(crate) fn too_deep_message() -> String {
    format!(
        "YAML nested more than {} levels deep (a playbook needs a few); not read",
        super::yaml_depth::MAX_DEPTH
    )
}

/// serde_yaml appends "at line N column M" to its messages; the location is shown in front.
pub fn yaml_message(e: &serde_yaml::Error) -> String {
    let m = e.to_string();
    match m.find(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m,
    }
}

/// Reads the playbook's YAML files. Returns the playbook and the sources for locating keys.
pub fn load(dir: &Path, prefix: &str, diags: &mut Vec<Diagnostic>) -> (Playbook, Sources) {
    let mut sources = Sources::default();
    let mut playbook = Playbook {
        site: read_yaml(dir, prefix, "site.yaml", &mut sources, diags),
        qualification: read_yaml(dir, prefix, "qualification.yaml", &mut sources, diags),
        handoff: read_yaml(dir, prefix, "handoff.yaml", &mut sources, diags),
        meetings: read_yaml(dir, prefix, "meetings.yaml", &mut sources, diags),
        team: read_yaml(dir, prefix, "team.yaml", &mut sources, diags),
        comp: read_yaml::<CompConfig>(dir, prefix, "comp.yaml", &mut sources, diags),
        gates: read_yaml(dir, prefix, "gates.yaml", &mut sources, diags),
        segments: read_yaml(dir, prefix, "segments.yaml", &mut sources, diags),
        pages: Vec::new(),
    };
    let segments = format!("{prefix}segments.yaml");
    for d in &mut playbook.segments.dimensions {
        // The column's line after the dimension's name, else the name's.
        let (name, column) = (format!("name: {}", d.name), format!("column: {}", d.column));
        d.declared_at = (sources.line_of(&segments, &["dimensions:", &name, &column]))
            .map(|l| (segments.clone(), l));
    }
    validate(&playbook, prefix, &sources, diags);
    unknown_files(dir, prefix, diags);
    (playbook, sources)
}

/// Warns about YAML files in `playbook/` that Baton does not read (a typo in a file name
/// would otherwise silently fall back to the defaults).
fn unknown_files(dir: &Path, prefix: &str, diags: &mut Vec<Diagnostic>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .filter(|n| !FILES.contains(&n.as_str()))
        .collect();
    names.sort();
    for n in names {
        diags.push(Diagnostic::warning(
            format!("{prefix}{n}"),
            format!(
                "Baton does not read this file (playbook files: {})",
                FILES.join(", ")
            ),
        ));
    }
}

/// Checks the playbook against itself. Checks against the data live in `input::mod`.
pub fn validate(p: &Playbook, prefix: &str, src: &Sources, diags: &mut Vec<Diagnostic>) {
    let mut err = |file: &str, path: &[&str], msg: String| {
        let file = format!("{prefix}{file}");
        let mut d = Diagnostic::error(file.clone(), msg);
        if let Some(line) = src.line_of(&file, path) {
            d = d.at(line, None);
        }
        diags.push(d);
    };

    if p.site.timezone.parse::<chrono_tz::Tz>().is_err() {
        err(
            "site.yaml",
            &["timezone:"],
            format!(
                "unknown time zone {:?} (use an IANA name such as Europe/Berlin)",
                p.site.timezone
            ),
        );
    }
    if let Some(period) = &p.site.default_period {
        if crate::period::Period::parse(period).is_none() {
            err(
                "site.yaml",
                &["default_period:"],
                format!(
                    "default_period {period:?} is not YYYY-MM or YYYY-Qn (e.g. 2026-10, 2026-Q3)"
                ),
            );
        }
    }
    if let Some(url) = &p.site.base_url {
        if let Err(why) = crate::playbook::check_base_url(url) {
            err("site.yaml", &["base_url:"], why);
        }
    }
    if p.site.min_sample == 0 {
        err(
            "site.yaml",
            &["min_sample:"],
            "min_sample must be at least 1".into(),
        );
    }
    if p.site.handoffs_per_page == 0 {
        err(
            "site.yaml",
            &["handoffs_per_page:"],
            "handoffs_per_page must be at least 1".into(),
        );
    }

    let q = &p.qualification;
    if q.criteria.is_empty() {
        err(
            "qualification.yaml",
            &["criteria:"],
            "no qualification criteria".into(),
        );
    }
    if q.criteria.len() > Flags::MAX {
        err(
            "qualification.yaml",
            &["criteria:"],
            format!(
                "{} qualification criteria are defined; Baton supports at most {}",
                q.criteria.len(),
                Flags::MAX
            ),
        );
    }
    for (i, c) in q.criteria.iter().enumerate() {
        if q.criteria[..i].iter().any(|o| o.key == c.key) {
            err(
                "qualification.yaml",
                &[
                    "criteria:",
                    &format!("key: {}", c.key),
                    &format!("key: {}", c.key),
                ],
                format!("criterion key `{}` is defined twice", c.key),
            );
        }
    }
    if q.sales_ready.min_met > q.criteria.len() {
        err(
            "qualification.yaml",
            &["min_met:"],
            format!(
                "sales_ready.min_met is {} but only {} criteria are defined",
                q.sales_ready.min_met,
                q.criteria.len()
            ),
        );
    }
    for key in &q.sales_ready.required {
        if !q.criteria.iter().any(|c| &c.key == key) {
            err(
                "qualification.yaml",
                &["required:"],
                format!("sales_ready.required names unknown criterion `{key}`"),
            );
        }
    }

    let h = &p.handoff;
    if h.sla_hours == 0 {
        err(
            "handoff.yaml",
            &["sla_hours:"],
            "sla_hours must be at least 1".into(),
        );
    }
    if !(h.warm_lift_claim.is_finite() && h.warm_lift_claim > 0.0) {
        err(
            "handoff.yaml",
            &["warm_lift_claim:"],
            format!(
                "warm_lift_claim must be a lift above 0, like 0.40 for +40%; found {}",
                h.warm_lift_claim
            ),
        );
    }
    if h.sections.len() > Flags::MAX {
        err(
            "handoff.yaml",
            &["sections:"],
            format!(
                "{} documentation sections are defined; Baton supports at most {}",
                h.sections.len(),
                Flags::MAX
            ),
        );
    }
    for (i, s) in h.sections.iter().enumerate() {
        if h.sections[..i].iter().any(|o| o.key == s.key) {
            err(
                "handoff.yaml",
                &[
                    "sections:",
                    &format!("key: {}", s.key),
                    &format!("key: {}", s.key),
                ],
                format!("documentation section `{}` is defined twice", s.key),
            );
        }
    }

    let m = &p.meetings;
    let total: u32 = m.sections.iter().map(|s| s.minutes).sum();
    if total > m.length_minutes {
        err(
            "meetings.yaml",
            &["sections:"],
            format!(
                "the 1:1 sections add up to {total} minutes, more than the meeting's {} (length_minutes)",
                m.length_minutes
            ),
        );
    }

    for (i, pod) in p.team.pods.iter().enumerate() {
        if p.team.pods[..i].iter().any(|o| o.name == pod.name) {
            err(
                "team.yaml",
                &[
                    "pods:",
                    &format!("name: {}", pod.name),
                    &format!("name: {}", pod.name),
                ],
                format!("pod `{}` is defined twice", pod.name),
            );
        }
        if pod.team_goal_share < Decimal::ZERO || pod.team_goal_share > Decimal::ONE {
            err(
                "team.yaml",
                &[&format!("name: {}", pod.name), "team_goal_share:"],
                format!(
                    "team_goal_share {} of pod `{}` is not a share between 0 and 1",
                    pod.team_goal_share, pod.name
                ),
            );
        }
    }

    for (i, d) in p.segments.dimensions.iter().enumerate() {
        let at = ["dimensions:", &format!("name: {}", d.name)];
        if d.name.trim().is_empty() {
            err(
                "segments.yaml",
                &["dimensions:"],
                format!(
                    "segment dimension {} has an empty name (pages are titled by it)",
                    i + 1
                ),
            );
        }
        if d.column.trim().is_empty() {
            err(
                "segments.yaml",
                &at,
                format!("segment `{}` names no column", d.name),
            );
        }
        let fold = crate::model::notes::fold_case(d.name.trim());
        if (p.segments.dimensions[..i].iter())
            .any(|o| crate::model::notes::fold_case(o.name.trim()) == fold)
        {
            err(
                "segments.yaml",
                &at,
                format!("segment `{}` is defined twice", d.name),
            );
        }
    }

    crate::input::comp_lint::lint(&p.comp, p, prefix, src, diags);
}
