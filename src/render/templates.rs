//! Templates the Zola way: defaults embedded in the binary, overridden file by file.
//!
//! The defaults are the repository's top-level `templates/` folder, built into Baton with
//! `include_str!`. A project's `templates/` folder may hold a file of the same name to replace
//! one default (a file `base.html` replaces the default `base.html`) and new files besides.
//! Files under `templates/assets/` are not templates: they are copied to `output/assets/` as
//! they are, with the same override rule ([`load_assets`]). Hidden files (a name starting with
//! `.`) are ignored, and links leading out of their folder are refused.
//!
//! Autoescaping is on for `.html`, `.htm`, `.xml` and `.svg` templates; the site's filters
//! (see [`super::filters`]) are registered on the returned [`Tera`].

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use tera::{Context, Tera};

use crate::error::{Diagnostic, Error, Result};

/// The default templates (Tera sources), by name.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("people.html", include_str!("../../templates/people.html")),
    ("rep.html", include_str!("../../templates/rep.html")),
    (
        "statement.html",
        include_str!("../../templates/statement.html"),
    ),
    (
        "statement_page.html",
        include_str!("../../templates/statement_page.html"),
    ),
    (
        "statement_private.html",
        include_str!("../../templates/statement_private.html"),
    ),
    ("pods.html", include_str!("../../templates/pods.html")),
    ("pod.html", include_str!("../../templates/pod.html")),
    ("segment.html", include_str!("../../templates/segment.html")),
    ("pair.html", include_str!("../../templates/pair.html")),
    (
        "handoffs.html",
        include_str!("../../templates/handoffs.html"),
    ),
    (
        "handoff_row.html",
        include_str!("../../templates/handoff_row.html"),
    ),
    (
        "handoffs_page.html",
        include_str!("../../templates/handoffs_page.html"),
    ),
    (
        "handoffs_view.html",
        include_str!("../../templates/handoffs_view.html"),
    ),
    ("comp.html", include_str!("../../templates/comp.html")),
    ("plan.html", include_str!("../../templates/plan.html")),
    (
        "playbook_index.html",
        include_str!("../../templates/playbook_index.html"),
    ),
    (
        "playbook_page.html",
        include_str!("../../templates/playbook_page.html"),
    ),
    (
        "playbook_qualification.html",
        include_str!("../../templates/playbook_qualification.html"),
    ),
    (
        "playbook_handoff.html",
        include_str!("../../templates/playbook_handoff.html"),
    ),
    (
        "playbook_meetings.html",
        include_str!("../../templates/playbook_meetings.html"),
    ),
    (
        "glossary.html",
        include_str!("../../templates/glossary.html"),
    ),
    ("data.html", include_str!("../../templates/data.html")),
    ("review.html", include_str!("../../templates/review.html")),
    ("matrix.html", include_str!("../../templates/matrix.html")),
    ("history.html", include_str!("../../templates/history.html")),
    ("digest.html", include_str!("../../templates/digest.html")),
];

/// The default static assets, by their path under the output folder.
pub const DEFAULT_ASSETS: &[(&str, &str)] = &[
    (
        "assets/style.css",
        include_str!("../../templates/assets/style.css"),
    ),
    (
        "assets/sort.js",
        include_str!("../../templates/assets/sort.js"),
    ),
];

/// The folder under `templates/` whose files are copied, not rendered.
const ASSETS_DIR: &str = "assets";

/// Largest template or asset file Baton reads.
pub(super) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A static file to publish: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The site's templates: Tera, and the names of the defaults the project replaced with a text
/// of its own (a copy of a default, as `baton init` writes one, replaces nothing).
pub struct Templates {
    pub tera: Tera,
    pub replaced: std::collections::BTreeSet<String>,
}

/// Builds the site's [`Tera`]: the defaults, then every template file of
/// `project_templates_dir` (which may be missing), a file replacing the default of its name.
///
/// A file that cannot be read is an input error listing every such file; a template that does
/// not parse is [`Error::Template`] naming the first such file, with Tera's reasons.
pub fn load_tera(project_templates_dir: &Path) -> Result<Tera> {
    load(project_templates_dir).map(|t| t.tera)
}

/// [`load_tera`], with the names of the defaults the project replaced.
pub fn load(project_templates_dir: &Path) -> Result<Templates> {
    let mut replaced = std::collections::BTreeSet::new();
    let mut sources: BTreeMap<String, String> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    let mut diags = Vec::new();
    for file in project_files(project_templates_dir, false, &mut diags) {
        match crate::input::read_text(&file.path, &file.display, MAX_FILE_BYTES) {
            Ok(text) => {
                // Parsed alone first, so a syntax error names the file that has it.
                if let Err(e) = tera::Template::new(&file.name, None, &text) {
                    let source = tera::Error::chain(format!("Failed to parse '{}'", file.name), e);
                    return Err(Error::Template {
                        name: file.display,
                        source,
                    });
                }
                if sources
                    .get(&file.name)
                    .is_some_and(|default| *default != text)
                {
                    replaced.insert(file.name.clone());
                }
                sources.insert(file.name, text);
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(Error::Input(diags));
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    super::filters::register(&mut tera);
    tera.add_raw_templates(sources)
        .map_err(|source| Error::Template {
            name: display_dir(project_templates_dir),
            source,
        })?;
    Ok(Templates { tera, replaced })
}

/// The static assets to publish: the defaults, then every file under
/// `project_templates_dir/assets/`, a file replacing the default of its name. Sorted by path.
pub fn load_assets(project_templates_dir: &Path) -> Result<Vec<Asset>> {
    let mut assets: BTreeMap<String, Vec<u8>> = DEFAULT_ASSETS
        .iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
        .collect();
    let mut diags = Vec::new();
    for file in project_files(project_templates_dir, true, &mut diags) {
        match read_bytes(&file.path, &file.display) {
            Ok(bytes) => {
                assets.insert(file.name, bytes);
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(Error::Input(diags));
    }
    Ok(assets
        .into_iter()
        .map(|(path, bytes)| Asset { path, bytes })
        .collect())
}

/// Renders template `name`, turning Tera's error into [`Error::Template`] with its reasons.
pub fn render(tera: &Tera, name: &str, context: &Context) -> Result<String> {
    tera.render(name, context)
        .map_err(|source| Error::Template {
            name: name.to_string(),
            source,
        })
}

/// [`render`] straight into `write`.
pub fn render_to(
    tera: &Tera,
    name: &str,
    context: &Context,
    write: impl std::io::Write,
) -> Result<()> {
    tera.render_to(name, context, write)
        .map_err(|source| Error::Template {
            name: name.to_string(),
            source,
        })
}

/// A file found in the project's templates folder.
pub(super) struct ProjectFile {
    /// The name it is known by: its path under the folder, with `/`.
    pub(super) name: String,
    pub(super) path: std::path::PathBuf,
    /// How messages show it.
    display: String,
}

/// The project's template files (`assets == false`) or asset files (`assets == true`),
/// sorted by name; hidden files and folders skipped; links to folders not followed.
pub(super) fn project_files(
    dir: &Path,
    assets: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ProjectFile> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    let shown = display_dir(dir);
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(&shown, format!("cannot list: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let is_file = entry.file_type().is_file()
            || (entry.file_type().is_symlink() && path.metadata().is_ok_and(|m| m.is_file()));
        if !is_file {
            continue;
        }
        let rel = path.strip_prefix(dir).unwrap_or(path);
        let name = rel.to_string_lossy().replace('\\', "/");
        let is_asset = name.starts_with(&format!("{ASSETS_DIR}/"));
        if is_asset == assets {
            files.push(ProjectFile {
                display: format!("{shown}/{name}"),
                name,
                path: path.to_path_buf(),
            });
        }
    }
    files
}

/// Reads a binary file of at most [`MAX_FILE_BYTES`], refusing links out of its folder.
fn read_bytes(path: &Path, display: &str) -> Result<Vec<u8>, Diagnostic> {
    crate::input::check_inside(path, display)?;
    let file = std::fs::File::open(path)
        .map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            display,
            format!(
                "file is larger than the {} MiB Baton reads",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(bytes)
}

fn display_dir(dir: &Path) -> String {
    let s = dir.to_string_lossy().replace('\\', "/");
    let trimmed = s.trim_end_matches('/');
    if trimmed.is_empty() {
        s
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
#[path = "templates_tests.rs"]
mod tests;
