//! `baton init`: a new project that builds as it is.
//!
//! The project is the generator's example company (`data/` and `playbook/`, see
//! [`crate::generate`]), the default templates and stylesheet written out under `templates/`
//! so they can be edited, a `.gitignore` for the built site and a README saying what to export
//! from the CRM and where to put it.
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
# Left beside output/ while a build runs (or by one that was interrupted); removed by the next build.
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
pub fn init(dir: &Path, force: bool) -> Result<InitSummary, Error> {
    let files = project_files()?;
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

/// Every file of a new project, `(path under the project, bytes)`, sorted by path.
pub fn project_files() -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut files = example_files()?;
    for (name, text) in DEFAULT_TEMPLATES {
        files.push((format!("templates/{name}"), text.as_bytes().to_vec()));
    }
    for (path, text) in DEFAULT_ASSETS {
        files.push((format!("templates/{path}"), text.as_bytes().to_vec()));
    }
    files.push((".gitignore".into(), GITIGNORE.as_bytes().to_vec()));
    files.push(("README.md".into(), README.as_bytes().to_vec()));
    files.sort();
    Ok(files)
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
    fn project_has_data_playbook_templates_and_readme() {
        let files = project_files().expect("files");
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
}
