//! What `baton serve` keeps from one build to the next (issue 24, "rebuilds that reuse what
//! they read"): the tables read of `data/` ([`ReadCache`]) and the figures computed from them
//! ([`Prepared`]: metrics, comp statements, hand-off facts, findings).
//!
//! The figures are kept under a key of everything computing them reads besides the Markdown
//! pages: every data file (size, modification time, content hash, as the tables' key), every
//! other file of the playbook and of `history/` (hashed: they are small), and the build's
//! options. After an edit of a template or of a Markdown page of the playbook the key is as
//! it was: the rebuild reads the pages again, puts them in the figures kept and renders,
//! without reading an export or computing a figure. Any other change computes again (reading
//! the exports only when a data file or what reading takes from the playbook changed).
//!
//! Markdown pages reach the figures only as the pages the site renders, and whatever they
//! make the build report (a page that cannot be read, a link out of the folder) is among the
//! build's findings: the figures are reused only when the pages load without a finding, both
//! when they were kept and now, so a finding is never shown stale nor lost.

use std::path::Path;

use crate::input::pages;
use crate::input::reuse::{hashed_stamps, ReadCache, Stamp};
use crate::input::ProjectPaths;
use crate::prepared::Prepared;

/// What a rebuild may reuse of the builds before it.
#[derive(Default)]
pub struct Rebuilds {
    /// The tables of the last read of `data/`.
    pub tables: ReadCache,
    kept: Option<Kept>,
    /// How many times the figures were computed (not reused): for tests and the serve log.
    pub computed: u64,
}

/// Figures computed, with what they were computed from.
struct Kept {
    key: Key,
    prepared: Prepared,
}

/// Everything computing the figures reads but the data files and the Markdown pages.
#[derive(Debug, PartialEq, Eq)]
pub struct Key {
    playbook: Vec<Stamp>,
    history: Vec<Stamp>,
    /// The build's options, written out.
    options: String,
}

impl Key {
    /// The key of a build of `paths` with `history` and `options` (written out) now.
    pub fn take(paths: &ProjectPaths, history: &Path, options: String) -> Key {
        Key {
            playbook: hashed_stamps(&paths.playbook, |p| !is_page(p)),
            history: hashed_stamps(history, |_| true),
            options,
        }
    }
}

/// Whether `path` is a Markdown page of the playbook (`input::pages` reads those).
fn is_page(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

impl Rebuilds {
    /// The figures kept, when nothing they were computed from changed (`key` now, and every
    /// data file under `paths.data`), with the playbook's Markdown pages read again; `None`
    /// otherwise, or without a key (figures not to be kept), the figures kept then dropped
    /// (they are computed again). Never reused when the pages have a finding (see the
    /// module's comment). Called at the start of every build with these rebuilds: the data
    /// files are stamped here, once, for the tables too.
    pub fn figures(&mut self, paths: &ProjectPaths, key: Option<&Key>) -> Option<Prepared> {
        // Stamped first, whatever else: the tables' next read takes these stamps, which must
        // be of this build, never of one before it.
        let same_data = self.tables.data_unchanged(&paths.data);
        let kept = self.kept.take()?;
        if key != Some(&kept.key) || !same_data {
            return None;
        }
        let mut findings = Vec::new();
        let fresh = read_pages(paths, &mut findings);
        if !findings.is_empty() {
            return None;
        }
        let mut prepared = kept.prepared;
        prepared.loaded.dataset.playbook.pages = fresh;
        Some(prepared)
    }

    /// Keeps `prepared`, computed under `key`, for the next rebuild, when its pages loaded
    /// without a finding (none among its findings, none now).
    pub fn keep(&mut self, paths: &ProjectPaths, key: Key, prepared: Prepared) {
        let prefix = paths.display_prefix(&paths.playbook);
        let about_pages = (prepared.diagnostics.iter())
            .any(|d| d.file.starts_with(&prefix) && d.file.ends_with(".md"));
        let mut findings = Vec::new();
        read_pages(paths, &mut findings);
        self.kept = (findings.is_empty() && !about_pages).then_some(Kept { key, prepared });
    }
}

/// The playbook's Markdown pages, as loading the project reads them.
fn read_pages(
    paths: &ProjectPaths,
    findings: &mut Vec<crate::error::Diagnostic>,
) -> Vec<crate::playbook::Page> {
    if !paths.playbook.is_dir() {
        return Vec::new();
    }
    pages::load(
        &paths.playbook,
        &paths.display_prefix(&paths.playbook),
        findings,
    )
}
