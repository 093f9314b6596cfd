//! Helpers: load a fixture, copy it to a fresh temp dir, run the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Loads a fixture project through the input stage; panics with every diagnostic on failure.
pub fn load(name: &str) -> baton::input::Loaded {
    match baton::input::load(&baton::input::ProjectPaths::new(fixture(name))) {
        Ok(l) => l,
        Err(e) => panic!("fixture {name} failed to load:\n{e}"),
    }
}

/// Copies a fixture project into a new temp dir, so a test may build into it.
#[allow(dead_code)]
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(name), tmp.path());
    tmp
}

#[allow(dead_code)]
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Runs the real `baton` binary in `dir` with `args`.
#[allow(dead_code)]
pub fn baton(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_baton"))
        .current_dir(dir)
        .args(args)
        .env("TZ", "Pacific/Kiritimati")
        .output()
        .expect("run baton")
}

/// Adds `text` at the end of the file at `path`.
pub fn append(path: impl AsRef<Path>, text: &str) {
    let path = path.as_ref();
    let mut s = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    s.push_str(text);
    std::fs::write(path, s).expect("write");
}

/// Every `href="..."` value, with Tera's `&#x2F;` turned back into `/`.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&#x2F;", "/"))
        .collect()
}
