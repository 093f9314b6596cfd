//! Input stage: reads `data/*.csv` and `playbook/` into a validated [`Dataset`].
//!
//! Nothing here computes a metric. Everything that cannot be used is reported: fatal problems
//! (a missing required export, a broken playbook) as diagnostics, bad rows as rejections.

pub mod accounts;
pub mod activities;
pub mod activity_fast;
pub mod activity_rows;
pub mod adjustments;
pub mod comp_lint;
pub mod csv_table;
pub mod day_window;
pub mod decoder;
pub mod derived;
pub mod files;
pub mod filters;
pub mod gaps;
pub mod header;
pub mod infer;
pub mod iso;
pub mod lead_index;
pub mod mapping;
pub mod mapping_yaml;
pub mod named;
pub mod pages;
pub mod playbook;
pub mod quotas;
pub mod refs;
pub mod reuse;
pub mod row;
pub mod rules;
pub mod spec;
pub mod tables;
pub mod values;
pub(crate) mod yaml_depth;
pub mod yaml_sources;

#[cfg(test)]
mod activity_tests;
#[cfg(test)]
mod shape_tests;

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use crate::error::{Diagnostic, Error, Severity};
use crate::model::Dataset;
use accounts::{Rejection, RowAccount};

/// Where a project's inputs are.
#[derive(Debug, Clone)]
pub struct ProjectPaths {
    pub root: PathBuf,
    pub data: PathBuf,
    pub playbook: PathBuf,
    pub templates: PathBuf,
}

impl ProjectPaths {
    /// The standard layout under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        ProjectPaths {
            data: root.join("data"),
            playbook: root.join("playbook"),
            templates: root.join("templates"),
            root,
        }
    }

    /// How a path under the project is shown in messages: relative, with `/`.
    pub fn display_prefix(&self, dir: &Path) -> String {
        let rel = dir.strip_prefix(&self.root).unwrap_or(dir);
        let s = rel.to_string_lossy().replace('\\', "/");
        if s.is_empty() {
            String::new()
        } else {
            format!("{}/", s.trim_end_matches('/'))
        }
    }
}

/// Reads a whole text file of at most `max` bytes, refusing links that lead out of its folder,
/// stripping a UTF-8 BOM and rejecting invalid UTF-8 with a clear message.
pub fn read_text(path: &Path, display: &str, max: u64) -> Result<String, Diagnostic> {
    check_inside(path, display)?;
    let file = std::fs::File::open(path)
        .map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(Diagnostic::error(
            display,
            format!(
                "file is larger than the {} MiB Baton reads",
                max / (1024 * 1024)
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        Diagnostic::error(display, "invalid UTF-8 (save the file as UTF-8)").at(line, None)
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Refuses a file that is a link resolving outside the folder that holds it.
pub fn check_inside(path: &Path, display: &str) -> Result<(), Diagnostic> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(());
    }
    let parent = path.parent().unwrap_or(Path::new("."));
    let (Ok(target), Ok(dir)) = (path.canonicalize(), parent.canonicalize()) else {
        return Err(Diagnostic::error(display, "is a broken link"));
    };
    if target.starts_with(&dir) {
        Ok(())
    } else {
        Err(Diagnostic::error(
            display,
            "is a link to a file outside its folder; Baton does not follow it",
        ))
    }
}

/// A loaded project: the dataset plus everything the build reports about its input.
pub struct Loaded {
    pub dataset: Dataset,
    pub accounts: Vec<RowAccount>,
    pub rejections: Vec<Rejection>,
    /// Warnings (and, for `check`, errors) that did not stop loading.
    pub diagnostics: Vec<Diagnostic>,
    /// Per-rep comp targets from the optional `quotas.csv`.
    pub quotas: crate::model::quota::Quotas,
    /// Manual comp lines from the optional `adjustments.csv`.
    pub adjustments: Vec<crate::model::manual::ManualAdjustment>,
    /// The lookup files the mapping read, with their table.
    pub lookups: Vec<files::LookupFile>,
    /// Files in `data/` that no table or lookup read.
    pub unread: Vec<String>,
}

/// Loads the playbook and every table. Fails with every fatal diagnostic of the run.
pub fn load(paths: &ProjectPaths) -> Result<Loaded, Error> {
    load_with(paths, |_| {})
}

/// [`load`], with `adjust` applied to the playbook before any table is read: how command-line
/// options override `playbook/site.yaml` (the time zone decides how timestamps are read).
pub fn load_with(
    paths: &ProjectPaths,
    adjust: impl FnOnce(&mut crate::playbook::Playbook),
) -> Result<Loaded, Error> {
    load_reusing(paths, adjust, None)
}

/// [`load_with`], taking the tables from `cache` when no data file and nothing of the
/// playbook that reading depends on changed since it kept them (`baton serve`; see
/// [`reuse`]).
pub fn load_reusing(
    paths: &ProjectPaths,
    adjust: impl FnOnce(&mut crate::playbook::Playbook),
    cache: Option<&mut reuse::ReadCache>,
) -> Result<Loaded, Error> {
    let mut diags = Vec::new();
    let pb_prefix = paths.display_prefix(&paths.playbook);
    let data_prefix = paths.display_prefix(&paths.data);
    if !paths.data.is_dir() {
        diags.push(Diagnostic::error(
            data_prefix.trim_end_matches('/'),
            "data folder not found (pass --data or run in a project folder)",
        ));
    }
    let (mut playbook, sources) = if paths.playbook.is_dir() {
        playbook::load(&paths.playbook, &pb_prefix, &mut diags)
    } else {
        diags.push(Diagnostic::warning(
            pb_prefix.trim_end_matches('/'),
            "playbook folder not found; using the playbook's defaults",
        ));
        (
            crate::playbook::Playbook::default(),
            yaml_sources::Sources::default(),
        )
    };
    let mut mapping = mapping_yaml::Mapping::default();
    if paths.playbook.is_dir() {
        playbook.pages = pages::load(&paths.playbook, &pb_prefix, &mut diags);
        mapping = mapping::load(&paths.playbook, &pb_prefix, &mut diags);
    }
    if diags.iter().any(|d| d.severity == Severity::Error) || !paths.data.is_dir() {
        return Err(Error::Input(diags));
    }
    adjust(&mut playbook);
    let tz: Tz = playbook.site.timezone.parse().unwrap_or(Tz::UTC);
    let read = || tables::read_all(&paths.data, &data_prefix, &playbook, &mapping, tz);
    let t = match cache {
        None => read(),
        Some(cache) => {
            // Everything `read_all` takes besides the files, written out.
            let depends = format!(
                "{data_prefix}\n{tz:?}\n{:?}\n{:?}\n{:?}\n{mapping:?}",
                playbook.qualification, playbook.handoff, playbook.segments
            );
            cache.tables(&paths.data, depends, read)
        }
    };
    diags.extend(t.fatal);
    diags.extend(t.warnings);
    if t.present.contains(&crate::model::Table::Reps) {
        check_team(&playbook, &t.reps, &pb_prefix, &sources, &mut diags);
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        // Show the rejected rows too: they often explain the fatal error.
        diags.extend(t.rejections.iter().map(Rejection::diagnostic));
        return Err(Error::Input(diags));
    }
    let dataset = Dataset {
        playbook,
        reps: t.reps,
        activity: t.activity,
        activity_files: t.activity_files,
        handoffs: t.handoffs,
        meetings: t.meetings,
        opportunities: t.opportunities,
        one_on_ones: t.one_on_ones,
        forecasts: t.forecasts,
        leads: t.leads,
        present: t.present,
        gaps: t.gaps,
    };
    let (mut accounts, mut rejections) = (t.accounts, t.rejections);
    let spec = mapping.spec("quotas");
    let name = spec.file_name("quotas");
    let (quotas, account, rejected, fatal) = quotas::read_quotas(
        &paths.data.join(&name),
        &format!("{data_prefix}{name}"),
        &dataset,
        &spec,
    );
    if !fatal.is_empty() {
        diags.extend(fatal);
        diags.extend(rejections.iter().map(Rejection::diagnostic));
        return Err(Error::Input(diags));
    }
    if account.read > 0 || paths.data.join(&name).is_file() {
        accounts.push(account);
    }
    rejections.extend(rejected);
    let spec = mapping.spec("adjustments");
    let name = spec.file_name("adjustments");
    let (adjustments, account, rejected, fatal) = adjustments::read_adjustments(
        &paths.data.join(&name),
        &format!("{data_prefix}{name}"),
        &dataset,
        &spec,
    );
    // A rejected adjustment would be a payment silently dropped: every one stops the build.
    if !fatal.is_empty() || !rejected.is_empty() {
        diags.extend(fatal);
        diags.extend(rejected.iter().map(Rejection::diagnostic));
        return Err(Error::Input(diags));
    }
    if account.read > 0 || paths.data.join(&name).is_file() {
        accounts.push(account);
    }
    let lookups = files::lookups(&mapping, &accounts, &data_prefix);
    let unread = files::unread(&paths.data, &data_prefix, &accounts, &lookups);
    Ok(Loaded {
        dataset,
        accounts,
        rejections,
        diagnostics: diags,
        quotas,
        adjustments,
        lookups,
        unread,
    })
}

/// Checks pods and pairings of `team.yaml` against `reps.csv`.
fn check_team(
    p: &crate::playbook::Playbook,
    reps: &[crate::model::Rep],
    prefix: &str,
    src: &yaml_sources::Sources,
    diags: &mut Vec<Diagnostic>,
) {
    let file = format!("{prefix}team.yaml");
    let locate = |needle: &str| src.line_of(&file, &["pairings:", needle]);
    for pair in &p.team.pairings {
        for (id, want_ae) in [(&pair.sdr, false), (&pair.ae, true)] {
            let needle = format!("{}: {id}", if want_ae { "ae" } else { "sdr" });
            let mut d = match reps.iter().find(|r| &r.id == id) {
                None => Diagnostic::error(
                    &file,
                    format!("pairing names unknown rep `{id}` (not in reps.csv)"),
                ),
                Some(r) if (r.role == crate::model::Role::Ae) != want_ae => Diagnostic::error(
                    &file,
                    format!(
                        "pairing names `{id}` as {} but reps.csv says {}",
                        if want_ae { "ae" } else { "sdr" },
                        r.role.as_str()
                    ),
                ),
                Some(_) => continue,
            };
            if let Some(l) = locate(&needle) {
                d = d.at(l, None);
            }
            diags.push(d);
        }
    }
    if !p.team.pods.is_empty() {
        let mut seen = std::collections::BTreeSet::new();
        for r in reps {
            if r.role != crate::model::Role::Manager
                && !p.team.pods.iter().any(|pod| pod.name == r.pod)
                && seen.insert(r.pod.clone())
            {
                diags.push(
                    Diagnostic::warning(
                        r.source.file.to_string(),
                        format!(
                            "pod `{}` of rep `{}` is not defined in {file}; treated as a pool pod",
                            r.pod, r.id
                        ),
                    )
                    .at(r.source.line, None),
                );
            }
        }
    }
}
