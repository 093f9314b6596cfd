//! Rebuilds that reuse what they read (issue 24, `baton serve`): after a change to a template
//! or a Markdown page, the rebuild takes the figures it kept and only renders; after a change
//! to a playbook file reading does not depend on, it takes the tables it kept instead of
//! reading `data/` again and computes; after a change to an export it reads them again.
//! Either way the site is the one a full build writes, byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

use baton::build::{build, build_reusing, Options};
use baton::generate::{write_project, GenOptions};
use baton::rebuilds::Rebuilds;

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
    let mut cache = Rebuilds::default();

    // Each edit, then how many times the exports were read and the figures computed so far.
    type Edit = fn(&Path);
    let edits: [(&str, Edit, u64, u64); 9] = [
        ("nothing (the first build)", |_| {}, 1, 1),
        (
            "a template",
            |r| append(r.join("templates/base.html"), "<!-- edited -->\n"),
            1,
            1,
        ),
        (
            "a Markdown page of the playbook",
            |r| append(r.join("playbook/handoff-guide.md"), "\nOne more line.\n"),
            1,
            1,
        ),
        (
            "a new Markdown page",
            |r| {
                std::fs::write(
                    r.join("playbook/extra.md"),
                    "---\ntitle: Extra\n---\nA page added while serving.\n",
                )
                .expect("write")
            },
            1,
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
            // The site's settings are the figures' input too: computed again.
            1,
            2,
        ),
        (
            "an export (an email becomes a social touch)",
            |r| replace(&r.join("data/activities.csv"), ",email,", ",social,"),
            2,
            3,
        ),
        (
            "qualification.yaml (what hand-offs are read with)",
            |r| append(r.join("playbook/qualification.yaml"), "\n"),
            // A blank line changes no rule: nothing reading depends on changed, but the
            // figures are computed again (the file's bytes changed).
            2,
            4,
        ),
        (
            "a template, after the figures were computed again",
            |r| append(r.join("templates/base.html"), "<!-- edited again -->\n"),
            2,
            4,
        ),
        (
            // After a rebuild that reused the figures, an edit of the playbook (whose key is
            // checked first) and of an export at once: the export is read again, not judged
            // by the stamps of the rebuild before.
            "site.yaml and an export together",
            |r| {
                replace(
                    &r.join("playbook/site.yaml"),
                    "hand-off review",
                    "hand-off reviews",
                );
                replace(&r.join("data/activities.csv"), ",social,", ",email,");
            },
            3,
            5,
        ),
    ];
    for (what, edit, reads, computed) in edits {
        edit(root);
        let s = build_reusing(&reusing, Some(&mut cache));
        assert!(s.ok, "after {what}: {:?}", s.diagnostics);
        assert_eq!(cache.tables.reads, reads, "exports read after {what}");
        assert_eq!(cache.computed, computed, "figures computed after {what}");
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
    assert!(index.contains("<!-- edited again -->"));
    assert!(reusing.output.join("playbook/extra.html").is_file());
}
