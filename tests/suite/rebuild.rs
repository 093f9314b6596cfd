//! Rebuilds that reuse what they read (issue 24, `baton serve`): after a change to a template,
//! a Markdown page or a playbook file reading does not depend on, the rebuild takes the tables
//! it kept instead of reading `data/` again; after a change to an export it reads them again.
//! Either way the site is the one a full build writes, byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

use baton::build::{build, build_reusing, Options};
use baton::generate::{write_project, GenOptions};
use baton::input::reuse::ReadCache;

use crate::util::{append, baton};

/// Every file under `dir`, by its path relative to `dir`.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Replaces the first `from` of the file at `path` with `to`.
fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{}: no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn a_rebuild_reading_only_what_changed_writes_the_site_of_a_full_build() {
    let project = tempfile::tempdir().expect("tmp");
    let root = project.path();
    write_project(&GenOptions::example(), root).expect("generate");
    let ejected = baton(root, &["templates", "eject", "base.html"]);
    assert!(ejected.status.success(), "{ejected:?}");
    let sites = tempfile::tempdir().expect("tmp");
    let mut reusing = Options::new(root);
    reusing.output = sites.path().join("reusing");
    let mut full = Options::new(root);
    full.output = sites.path().join("full");
    let mut cache = ReadCache::default();

    type Edit = fn(&Path);
    let edits: [(&str, Edit, u64); 6] = [
        ("nothing (the first build)", |_| {}, 1),
        (
            "a template",
            |r| append(r.join("templates/base.html"), "<!-- edited -->\n"),
            1,
        ),
        (
            "a Markdown page of the playbook",
            |r| append(r.join("playbook/handoff-guide.md"), "\nOne more line.\n"),
            1,
        ),
        (
            "site.yaml's title",
            |r| {
                replace(
                    &r.join("playbook/site.yaml"),
                    "hand-off report",
                    "hand-off review",
                )
            },
            1,
        ),
        (
            "an export (an email becomes a social touch)",
            |r| replace(&r.join("data/activities.csv"), ",email,", ",social,"),
            2,
        ),
        (
            "qualification.yaml (what hand-offs are read with)",
            |r| append(r.join("playbook/qualification.yaml"), "\n"),
            // A blank line changes no rule: nothing reading depends on changed.
            2,
        ),
    ];
    for (what, edit, reads) in edits {
        edit(root);
        let s = build_reusing(&reusing, Some(&mut cache));
        assert!(s.ok, "after {what}: {:?}", s.diagnostics);
        assert_eq!(cache.reads, reads, "exports read after {what}");
        let s = build(&full);
        assert!(s.ok, "after {what}: {:?}", s.diagnostics);
        let (a, b) = (files(&reusing.output), files(&full.output));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "after {what}"
        );
        for (name, bytes) in &a {
            assert!(
                bytes == &b[name],
                "after {what}: {name} differs from a full build"
            );
        }
    }
    // The edits did change the site: the page, the title and the counts are there.
    let index = std::fs::read_to_string(reusing.output.join("index.html")).expect("index");
    assert!(index.contains("hand-off review"));
    assert!(index.contains("<!-- edited -->"));
}
