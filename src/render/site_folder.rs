//! Which folder a build may replace. Publishing a site renames the output folder aside and
//! removes it, so a wrong `--output` would delete whatever it names: `--output data` once
//! replaced every CRM export with the site, and `--output .` a whole project. Two rules keep
//! that from happening, both checked before anything is read (and again under the build lock):
//!
//! 1. The output folder is not an input: it is not, does not contain and is not inside the
//!    data, playbook, templates or history folder; it is not and does not contain the project
//!    root (the default `ROOT/output` is inside the root, which is fine) or the current folder.
//! 2. Baton replaces only a folder it can prove it wrote: every site it publishes carries a
//!    manifest, [`MANIFEST`], listing each file it wrote. An existing output folder must be
//!    empty (a `.gitkeep` aside) or hold a manifest that accounts for every file and folder in
//!    it. A file someone added to the site since (a `CNAME`, a copied export) makes the build
//!    refuse, naming it, rather than delete it.
//!
//! Both are usage errors (exit code 2): the command line, not the data, is wrong.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The manifest every published site carries: a first line naming the format, then one
/// `/`-separated path per line, sorted, of every file Baton wrote there.
pub const MANIFEST: &str = ".baton-site";

/// The manifest's first line.
const MANIFEST_HEADER: &str = "baton-site 1";

/// A file Baton keeps in an output folder that is otherwise its own (the repository's
/// `output/.gitkeep`): allowed in a folder without a manifest and carried over by every build.
pub const GITKEEP: &str = ".gitkeep";

/// How many foreign names an error lists before it says "and N more".
const SHOWN: usize = 5;

/// The manifest's text for the files of a site.
pub fn manifest_text<'a>(files: impl IntoIterator<Item = &'a str>) -> String {
    let mut sorted: Vec<&str> = files.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut text = String::from(MANIFEST_HEADER);
    text.push('\n');
    for f in sorted {
        text.push_str(f);
        text.push('\n');
    }
    text
}

/// Refuses an output folder that is, contains or is inside one of `inputs` (named, e.g.
/// `("data", path)`), that is or contains `root` or the current folder, or that is a file or a
/// link. `inputs` need not exist.
pub fn check_not_an_input(out: &Path, root: &Path, inputs: &[(&str, &Path)]) -> Result<()> {
    let shown = out.display();
    if out.as_os_str().is_empty() || out.file_name().is_none() {
        return Err(Error::Usage(format!(
            "--output `{shown}` must name a folder of its own (not `/`, `.` or `..`)"
        )));
    }
    let o = resolve(out)?;
    let refuse = |what: &str| {
        Err(Error::Usage(format!(
            "--output `{shown}` {what}: publishing replaces the output folder as a whole, which \
             would delete it. Choose a folder of its own, e.g. `{}`",
            Path::new(&root).join("output").display()
        )))
    };
    let r = resolve(root)?;
    if o == r || r.starts_with(&o) {
        return refuse("is or contains the project folder");
    }
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(cwd) = resolve(&cwd) {
            if cwd.starts_with(&o) {
                return refuse("is or contains the current folder");
            }
        }
    }
    for (name, dir) in inputs {
        let d = resolve(dir)?;
        if o == d {
            return refuse(&format!("is the {name} folder"));
        }
        if d.starts_with(&o) {
            return refuse(&format!("contains the {name} folder `{}`", dir.display()));
        }
        if o.starts_with(&d) {
            return refuse(&format!("is inside the {name} folder `{}`", dir.display()));
        }
    }
    Ok(())
}

/// Refuses an existing `out` that Baton cannot prove it wrote: not a folder, a link, or a
/// folder holding anything besides a `.gitkeep` that its manifest does not list. A missing
/// folder is fine.
pub fn check_ours(out: &Path) -> Result<()> {
    let shown = out.display();
    let meta = match fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(out, e)),
    };
    if meta.file_type().is_symlink() {
        return Err(Error::Usage(format!(
            "output folder `{shown}` is a link; pass the folder it points to with --output"
        )));
    }
    if !meta.is_dir() {
        return Err(Error::Usage(format!(
            "output `{shown}` exists and is not a folder"
        )));
    }
    let listed = read_manifest(out)?;
    let foreign = foreign_entries(out, listed.as_ref())?;
    if foreign.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = foreign.iter().take(SHOWN).cloned().collect();
    if foreign.len() > SHOWN {
        names.push(format!("and {} more", foreign.len() - SHOWN));
    }
    let why = if listed.is_some() {
        "holds files Baton did not write (they are not in its manifest, `.baton-site`)"
    } else {
        "is not empty and was not written by Baton (it has no `.baton-site` manifest)"
    };
    Err(Error::Usage(format!(
        "output folder `{shown}` {why}: {}. Publishing would delete them. Move them out, or \
         choose another --output (a new or empty folder). A site built by a Baton older than \
         0.2 has no manifest: remove that folder once by hand.",
        names.join(", ")
    )))
}

/// The paths listed by `out`'s manifest, or `None` when it has none.
fn read_manifest(out: &Path) -> Result<Option<BTreeSet<String>>> {
    let path = out.join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let mut lines = text.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        return Ok(None);
    }
    Ok(Some(lines.map(str::to_string).collect()))
}

/// Every file under `out`, relative and `/`-separated, that `listed` does not account for.
/// The manifest itself and a top-level `.gitkeep` are Baton's; folders are not reported (an
/// empty one holds nothing to lose), links are, and are never followed. Sorted.
fn foreign_entries(out: &Path, listed: Option<&BTreeSet<String>>) -> Result<Vec<String>> {
    let mut foreign = Vec::new();
    let walk = walkdir::WalkDir::new(out)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(out).to_path_buf();
            Error::io(&path, std::io::Error::other(e.to_string()))
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(out)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let ours = rel == MANIFEST || rel == GITKEEP || listed.is_some_and(|l| l.contains(&rel));
        if !ours {
            foreign.push(rel);
        }
    }
    Ok(foreign)
}

/// Refuses a folder of private files (`baton export --statements DIR`) that is, is inside or
/// contains the shared site's folder `site`: the next publish would carry them to everyone,
/// or delete them.
pub fn check_not_in_site(dir: &Path, site: &Path) -> Result<()> {
    let (d, s) = (resolve(dir)?, resolve(site)?);
    if d.starts_with(&s) || s.starts_with(&d) {
        return Err(Error::Usage(format!(
            "`{}` is, is inside or holds the site's folder `{}`: statements exported for \
             private delivery must stay out of the shared site. Choose a folder of their own",
            dir.display(),
            site.display()
        )));
    }
    Ok(())
}

/// Refuses a folder of private files inside any folder Baton writes as a whole (one holding
/// its [`MANIFEST`]: a site built with any `--output`, or another export): the next build or
/// export there replaces that folder and the statements with it, or publishes them. The
/// project's own `output/` is [`check_not_in_site`]'s; this finds the others.
pub fn check_not_in_baton_folder(dir: &Path) -> Result<()> {
    let d = resolve(dir)?;
    if let Some(outer) = d.ancestors().skip(1).find(|a| a.join(MANIFEST).is_file()) {
        return Err(Error::Usage(format!(
            "`{}` is inside `{}`, a folder Baton writes as a whole (it holds {MANIFEST}): its \
             next build or export would delete or publish the statements. Choose a folder of \
             their own",
            dir.display(),
            outer.display()
        )));
    }
    Ok(())
}

/// `p` made absolute, with links resolved as far as the path exists and `.` and `..` taken
/// lexically beyond that, so that two spellings of one folder compare equal.
fn resolve(p: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(p).map_err(|e| Error::io(p, e))?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return Ok(out);
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("tempdir");
        for d in ["data", "playbook", "templates"] {
            fs::create_dir(tmp.path().join(d)).expect("mkdir");
        }
        fs::write(tmp.path().join("data/reps.csv"), "rep_id\n").expect("write");
        tmp
    }

    fn check(root: &Path, out: &Path) -> Result<()> {
        let (d, p, t, h) = (
            root.join("data"),
            root.join("playbook"),
            root.join("templates"),
            root.join("history"),
        );
        check_not_an_input(
            out,
            root,
            &[
                ("data", &d),
                ("playbook", &p),
                ("templates", &t),
                ("history", &h),
            ],
        )
    }

    #[test]
    fn an_input_folder_or_the_root_is_never_an_output() {
        let tmp = project();
        let root = tmp.path();
        for out in [
            root.join("data"),
            root.join("data/site"),
            root.join("playbook/../data"),
            root.join("history"),
            root.to_path_buf(),
            root.join("."),
            root.parent().expect("parent").to_path_buf(),
            PathBuf::from("/"),
        ] {
            let err = check(root, &out).expect_err(&out.display().to_string());
            assert!(matches!(err, Error::Usage(_)), "{err}");
        }
        check(root, &root.join("output")).expect("the default is fine");
        check(root, &root.join("public/site")).expect("a new folder is fine");
    }

    #[test]
    fn a_folder_with_files_baton_did_not_write_is_refused() {
        let tmp = project();
        let out = tmp.path().join("data");
        let err = check_ours(&out).expect_err("the exports").to_string();
        assert!(
            err.contains("reps.csv") && err.contains("no `.baton-site`"),
            "{err}"
        );

        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("sdr")).expect("mkdir");
        check_ours(&site).expect("an empty folder is fine");
        fs::write(site.join(GITKEEP), "").expect("gitkeep");
        fs::write(site.join("index.html"), "home").expect("write");
        fs::write(site.join("sdr/ana.html"), "Ana").expect("write");
        fs::write(
            site.join(MANIFEST),
            manifest_text(["sdr/ana.html", "index.html"]),
        )
        .expect("manifest");
        check_ours(&site).expect("every file is listed");

        fs::write(site.join("CNAME"), "reports.example.com").expect("write");
        fs::create_dir(site.join("notes")).expect("mkdir");
        fs::write(site.join("notes/todo.txt"), "call Ana").expect("write");
        let err = check_ours(&site).expect_err("foreign files").to_string();
        assert!(err.contains("CNAME, notes/todo.txt."), "{err}");
        assert!(err.contains("not in its manifest"), "{err}");
    }

    #[test]
    fn a_file_or_a_missing_folder() {
        let tmp = project();
        let err = check_ours(&tmp.path().join("data/reps.csv")).expect_err("a file");
        assert!(matches!(err, Error::Usage(_)));
        check_ours(&tmp.path().join("nothing-here")).expect("missing is fine");
    }
}
