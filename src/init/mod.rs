//! `baton init`: a new project that builds as it is.
//!
//! The project is the generator's example company (`data/` and `playbook/`, see
//! [`crate::generate`]), a `.gitignore` for the built site and a README saying what to export
//! from the CRM and where to put it. The default templates are not copied unless asked
//! (`--templates`): a copy freezes a page against Baton's upgrades, so a project takes only the
//! ones it changes, with `baton templates eject NAME` ([`eject`]).
//!
//! Every file is made in memory first, so that a refusal writes nothing: an existing file is
//! never overwritten unless `force` is set, and the error lists every file in the way.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::generate::{write_project, GenOptions};
use crate::render::templates::{DEFAULT_ASSETS, DEFAULT_TEMPLATES};

/// The project's README: what is where, what to export, how to publish.
const README: &str = include_str!("README.md");

/// The built site and what an interrupted build leaves beside it are never committed.
const GITIGNORE: &str = "\
# The built site: `baton build` writes it again from data/, playbook/ and templates/.
/output/
# The build lock (.baton-lock-output), kept after every build, and the staging folders a build
# writes beside output/ (an interrupted one leaves them; the next build removes them).
/.baton-*
";

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct InitSummary {
    /// Paths under the project folder, `/`-separated, in the order written.
    pub files: Vec<String>,
    /// Of those, the files that existed and were overwritten (with `force`).
    pub overwritten: Vec<String>,
}

/// Writes a new project into `dir` (created if missing). Refuses, writing nothing, when any of
/// its files already exists, unless `force`.
pub fn init(dir: &Path, force: bool, templates: bool) -> Result<InitSummary, Error> {
    let files = project_files(templates)?;
    let mut in_the_way = Vec::new();
    for (rel, _) in &files {
        if let Some(blocker) = not_a_folder(dir, rel) {
            return Err(Error::Other(format!(
                "`{}` exists and is not a folder: baton init needs it to be one",
                blocker.display()
            )));
        }
        if dir.join(rel).symlink_metadata().is_ok() {
            in_the_way.push(rel.clone());
        }
    }
    if !in_the_way.is_empty() && !force {
        return Err(Error::Other(format!(
            "baton init would overwrite {} existing file(s) in `{}`:\n  {}\nnothing was written; \
             run `baton init --force` to overwrite them, or choose an empty folder",
            in_the_way.len(),
            dir.display(),
            in_the_way.join("\n  ")
        )));
    }
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    }
    Ok(InitSummary {
        files: files.into_iter().map(|(rel, _)| rel).collect(),
        overwritten: in_the_way,
    })
}

/// The first folder on the way to `rel` under `dir` that exists as something else.
fn not_a_folder(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut path = dir.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        path.push(part);
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_dir()) {
            return Some(path);
        }
    }
    None
}

/// Every file of a new project, `(path under the project, bytes)`, sorted by path; the
/// default templates and assets under `templates/` when `templates` is set.
pub fn project_files(templates: bool) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut files = example_files()?;
    if templates {
        files.extend(default_templates());
    }
    files.push((".gitignore".into(), GITIGNORE.as_bytes().to_vec()));
    files.push(("README.md".into(), README.as_bytes().to_vec()));
    files.sort();
    Ok(files)
}

/// Every default template and asset as `(path under the project, bytes)`:
/// `templates/base.html`, `templates/assets/style.css`...
fn default_templates() -> Vec<(String, Vec<u8>)> {
    DEFAULT_TEMPLATES
        .iter()
        .chain(DEFAULT_ASSETS)
        .map(|(name, text)| (format!("templates/{name}"), text.as_bytes().to_vec()))
        .collect()
}

/// The names `baton templates eject` takes: every default template and asset, as found
/// under `templates/` (`base.html`, `assets/style.css`).
pub fn template_names() -> Vec<&'static str> {
    DEFAULT_TEMPLATES
        .iter()
        .chain(DEFAULT_ASSETS)
        .map(|(name, _)| *name)
        .collect()
}

/// Copies the default templates named (all of them when `names` is empty) into
/// `root/templates/`, to be edited there; a copy replaces the built-in file of its name.
/// Refuses, writing nothing, an unknown name or a file that exists, unless `force`. Returns
/// the paths written, relative to `root`.
pub fn eject(root: &Path, names: &[String], force: bool) -> Result<Vec<String>, Error> {
    let all = default_templates();
    let wanted: Vec<&(String, Vec<u8>)> = if names.is_empty() {
        all.iter().collect()
    } else {
        let mut picked = Vec::new();
        for name in names {
            let rel = format!("templates/{}", name.trim_start_matches("templates/"));
            match all.iter().find(|(p, _)| *p == rel) {
                Some(f) => picked.push(f),
                None => {
                    return Err(Error::Usage(format!(
                        "`{name}` is not a default template; `baton templates list` names them"
                    )))
                }
            }
        }
        picked
    };
    let in_the_way: Vec<&str> = wanted
        .iter()
        .filter(|(rel, _)| root.join(rel).symlink_metadata().is_ok())
        .map(|(rel, _)| rel.as_str())
        .collect();
    if !in_the_way.is_empty() && !force {
        return Err(Error::Other(format!(
            "baton templates eject would overwrite {} existing file(s) in `{}`:\n  {}\nnothing \
             was written; run it with --force to overwrite them",
            in_the_way.len(),
            root.display(),
            in_the_way.join("\n  ")
        )));
    }
    let mut written = Vec::new();
    for (rel, bytes) in wanted {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        written.push(rel.clone());
    }
    Ok(written)
}

/// The generator's example project, written to a private temporary folder and read back.
fn example_files() -> Result<Vec<(String, Vec<u8>)>, Error> {
    let scratch = Scratch::new()?;
    let summary = write_project(&GenOptions::example(), &scratch.0)?;
    summary
        .files
        .iter()
        .map(|f| {
            let path = scratch.0.join(&f.path);
            std::fs::read(&path)
                .map(|bytes| (f.path.clone(), bytes))
                .map_err(|e| Error::io(&path, e))
        })
        .collect()
}

/// A temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, Error> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("baton-init-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_has_data_playbook_and_readme_and_templates_only_when_asked() {
        let without = project_files(false).expect("files");
        assert!(without.iter().all(|(n, _)| !n.starts_with("templates/")));
        let files = project_files(true).expect("files");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for want in [
            ".gitignore",
            "README.md",
            "data/reps.csv",
            "data/handoffs.csv",
            "playbook/site.yaml",
            "templates/base.html",
            "templates/assets/style.css",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        assert_eq!(
            names.iter().filter(|n| n.starts_with("templates/")).count(),
            DEFAULT_TEMPLATES.len() + DEFAULT_ASSETS.len()
        );
        let mut sorted = names.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "a path is written twice");
    }

    #[test]
    fn a_file_on_the_way_to_a_folder_is_found() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::write(tmp.path().join("data"), "not a folder").expect("write");
        assert_eq!(
            not_a_folder(tmp.path(), "data/reps.csv"),
            Some(tmp.path().join("data"))
        );
        assert_eq!(not_a_folder(tmp.path(), "playbook/site.yaml"), None);
        assert_eq!(not_a_folder(tmp.path(), "README.md"), None);
    }

    #[test]
    fn eject_copies_the_named_defaults_and_refuses_to_overwrite() {
        let tmp = tempfile::tempdir().expect("tmp");
        let written = eject(
            tmp.path(),
            &["base.html".into(), "assets/style.css".into()],
            false,
        )
        .expect("eject");
        assert_eq!(
            written,
            ["templates/base.html", "templates/assets/style.css"]
        );
        let base = std::fs::read_to_string(tmp.path().join("templates/base.html")).expect("read");
        let default = DEFAULT_TEMPLATES.iter().find(|(n, _)| *n == "base.html");
        assert_eq!(Some(base.as_str()), default.map(|(_, t)| *t));
        std::fs::write(tmp.path().join("templates/base.html"), "mine").expect("edit");
        let err = eject(tmp.path(), &["base.html".into()], false).expect_err("exists");
        assert!(err.to_string().contains("templates/base.html"), "{err}");
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("templates/base.html")).expect("kept"),
            "mine"
        );
        assert!(matches!(
            eject(tmp.path(), &["nope.html".into()], false),
            Err(Error::Usage(_))
        ));
        eject(tmp.path(), &["base.html".into()], true).expect("forced");
        assert_ne!(
            std::fs::read_to_string(tmp.path().join("templates/base.html")).expect("read"),
            "mine"
        );
    }
}
