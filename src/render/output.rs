//! The one writer: every file of the site goes out through [`Output`], built beside the output
//! folder and swapped into place only when the whole site is written.
//!
//! Layout, for an output folder `<parent>/<name>`:
//! - `<parent>/.baton-staging-<name>-<pid>`: the site being built;
//! - `<parent>/.baton-old-<name>-<pid>`: the previous site, for the instant of the swap;
//! - `<parent>/.baton-lock-<name>`: a lock file, held while a build writes, so that two builds
//!   into the same folder cannot undo each other's work (the OS drops the lock if Baton dies).
//!
//! On Linux the swap is one atomic step: `renameat2(RENAME_EXCHANGE)` trades the staging folder
//! and `<name>`, and the previous site, now under the staging name, is removed. Killed at any
//! moment, this leaves `<name>` holding either the previous site or the new one, complete,
//! never nothing. Where the exchange is not available (another system, or a file system that
//! refuses it) the swap is two renames: `<name>` → old, staging → `<name>`; a kill between
//! them leaves no `<name>` until the next [`Output::begin`] moves the old folder back. Either
//! way the next build cleans the leftovers (stale staging and old folders). This is about a
//! killed process, not power loss: files are not synced to disk.
//!
//! Only a folder Baton wrote is ever replaced: [`Output::begin`] refuses an output folder
//! holding anything the previous site's manifest does not list ([`super::site_folder`]), and
//! [`Output::commit`] writes the manifest of the new site.
//!
//! Paths given to [`Output::write`] are checked, not trusted: relative, `/`-separated, every
//! component a plain name. Nothing outside the staging folder can be written.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::site_folder::{self, GITKEEP, MANIFEST};
use crate::error::{Error, Result};

const STAGING: &str = ".baton-staging-";
const OLD: &str = ".baton-old-";
const LOCK: &str = ".baton-lock-";

/// A site being written. Dropped without [`Output::commit`], it removes what it wrote and
/// leaves the previous output folder as it was.
#[derive(Debug)]
pub struct Output {
    out_dir: PathBuf,
    staging: PathBuf,
    /// Paths written so far, as given.
    written: BTreeSet<String>,
    /// The same, lowercased: two names differing only in case are one file on some systems.
    folded: BTreeSet<String>,
    /// Folders under the staging folder made so far: each is made once, not once a file.
    made: BTreeSet<PathBuf>,
    /// The previous output's `.gitkeep`, written again unless the build writes its own.
    gitkeep: Option<Vec<u8>>,
    committed: bool,
    /// Held for the life of the build; `None` where the file system has no locks.
    _lock: Option<fs::File>,
}

impl Output {
    /// Starts a build of `out_dir`: takes the lock, repairs what an interrupted build left,
    /// and creates a fresh, empty staging folder beside `out_dir`.
    pub fn begin(out_dir: &Path) -> Result<Output> {
        let name = out_dir
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "output folder `{}` must end in a folder name",
                    out_dir.display()
                ))
            })?;
        let parent = match out_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let lock = take_lock(&parent.join(format!("{LOCK}{name}")), out_dir)?;
        recover(&parent, name, out_dir)?;
        // Checked before reading too (build::Options::check_output); again here, under the
        // lock, because the folder may have changed while the inputs were read.
        site_folder::check_ours(out_dir)?;
        let gitkeep = fs::read(out_dir.join(GITKEEP)).ok();
        let staging = parent.join(format!("{STAGING}{name}-{}", std::process::id()));
        fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
        Ok(Output {
            out_dir: out_dir.to_path_buf(),
            staging,
            written: BTreeSet::new(),
            folded: BTreeSet::new(),
            made: BTreeSet::new(),
            gitkeep,
            committed: false,
            _lock: lock,
        })
    }

    /// Writes `bytes` to `rel` (for example `sdr/ana-lima.html`) in the site being built,
    /// creating its folders. Refuses a path that is not a plain relative one and a path
    /// written before (also when it differs only in letter case).
    pub fn write(&mut self, rel: &str, bytes: impl AsRef<[u8]>) -> Result<()> {
        let path = self.claim(rel)?;
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        crate::progress::wrote();
        Ok(())
    }

    /// [`Output::write`] with the bytes written by `fill` straight into the file, so a page of
    /// 15 MB (the hand-offs and comp pages at scale) is never held whole in memory. An I/O
    /// error `fill` meets is reported with the file's path.
    pub fn write_with(
        &mut self,
        rel: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<()> {
        use std::io::Write;
        let path = self.claim(rel)?;
        let file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        let mut w = Remember {
            inner: std::io::BufWriter::with_capacity(1 << 16, file),
            failed: None,
        };
        let filled = fill(&mut w);
        if let Some(e) = w.failed.take() {
            return Err(Error::io(&path, e));
        }
        filled?;
        w.inner.flush().map_err(|e| Error::io(&path, e))?;
        crate::progress::wrote();
        Ok(())
    }

    /// Checks and records `rel` for [`Output::write`] and creates its folders; returns where
    /// its file goes.
    fn claim(&mut self, rel: &str) -> Result<PathBuf> {
        check_rel_path(rel)?;
        if rel == MANIFEST {
            return Err(Error::Other(format!(
                "refusing to write `{rel}`: the name of Baton's own manifest"
            )));
        }
        if !self.folded.insert(rel.to_lowercase()) {
            return Err(Error::Other(format!(
                "output path `{rel}` is written twice (two pages share a name, perhaps differing \
                 only in letter case)"
            )));
        }
        self.written.insert(rel.to_string());
        let path = self.staging.join(rel);
        if let Some(dir) = path.parent() {
            if !self.made.contains(dir) {
                fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                self.made.insert(dir.to_path_buf());
            }
        }
        Ok(path)
    }

    /// The paths written so far, sorted.
    pub fn written(&self) -> impl Iterator<Item = &str> {
        self.written.iter().map(String::as_str)
    }

    /// The folder the site will replace.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Publishes the site: writes its manifest, swaps the staging folder into the output
    /// folder's place and removes the previous site.
    pub fn commit(mut self) -> Result<()> {
        if let Some(bytes) = self.gitkeep.take() {
            if !self.written.contains(GITKEEP) {
                self.write(GITKEEP, bytes)?;
            }
        }
        let manifest = self.staging.join(MANIFEST);
        fs::write(
            &manifest,
            site_folder::manifest_text(self.written.iter().map(String::as_str)),
        )
        .map_err(|e| Error::io(&manifest, e))?;
        let old = self.old_path();
        let had_previous = self.out_dir.exists();
        if had_previous && exchange(&self.staging, &self.out_dir).is_ok() {
            // The staging name now holds the previous site.
            self.committed = true;
            return fs::remove_dir_all(&self.staging).map_err(|e| Error::io(&self.staging, e));
        }
        if had_previous {
            fs::rename(&self.out_dir, &old).map_err(|e| Error::io(&self.out_dir, e))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.out_dir) {
            // Put the previous site back before reporting.
            if had_previous {
                let _ = fs::rename(&old, &self.out_dir);
            }
            return Err(Error::io(&self.out_dir, e));
        }
        self.committed = true;
        if had_previous {
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(())
    }

    fn old_path(&self) -> PathBuf {
        let name = self
            .staging
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("");
        let suffix = name.strip_prefix(STAGING).unwrap_or(name);
        self.staging.with_file_name(format!("{OLD}{suffix}"))
    }
}

/// Trades the folders `a` and `b` in one atomic step (Linux `renameat2` with
/// `RENAME_EXCHANGE`): at every instant each name holds one complete folder.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// No atomic exchange here: the caller falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// A writer that keeps its first I/O error, which a caller such as Tera would otherwise report
/// as its own error, without the path.
struct Remember<W> {
    inner: W,
    failed: Option<std::io::Error>,
}

impl<W: std::io::Write> std::io::Write for Remember<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).inspect_err(|e| self.remember(e))
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(buf).inspect_err(|e| self.remember(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().inspect_err(|e| self.remember(e))
    }
}

impl<W> Remember<W> {
    fn remember(&mut self, e: &std::io::Error) {
        if self.failed.is_none() {
            self.failed = Some(std::io::Error::new(e.kind(), e.to_string()));
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether Windows reserves file name `name` (a device: CON, PRN, AUX, NUL, COM1-9, LPT1-9, in
/// any case and with any extension). Slugs ask too, so an id never names such a file.
pub fn reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit())
}

/// Checks that `rel` is a relative path of plain names joined by `/`: no `..` or `.`, no empty
/// component, no backslash, no drive or stream colon, no control character, no name that
/// Windows reserves, no component longer than 255 bytes.
pub fn check_rel_path(rel: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::Other(format!("refusing to write `{rel}`: {why}")));
    if rel.is_empty() {
        return bad("empty path");
    }
    if rel.starts_with('/') {
        return bad("absolute path");
    }
    if rel.contains('\\') {
        return bad("backslash in path");
    }
    for part in rel.split('/') {
        match part {
            "" => return bad("empty path component"),
            "." | ".." => return bad("`.` or `..` component"),
            _ => {}
        }
        if part.len() > 255 {
            return bad("name longer than 255 bytes");
        }
        if part.chars().any(|c| c.is_control() || c == ':') {
            return bad("control character or `:` in a name");
        }
        if reserved_on_windows(part) {
            return bad("a name Windows reserves");
        }
    }
    Ok(())
}

/// Takes the build lock, or fails if another build of the same folder holds it.
fn take_lock(path: &Path, out_dir: &Path) -> Result<Option<fs::File>> {
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    // Another process forking (as a test runner or `serve` does to run commands) briefly
    // holds a copy of every open file until it execs: a lock just released may still look
    // taken for that instant, so a busy lock is retried for half a second before giving up.
    let mut tries = 0;
    let outcome = loop {
        match file.try_lock() {
            Err(fs::TryLockError::WouldBlock) if tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => break other,
        }
    };
    match outcome {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => Err(Error::Other(format!(
            "another Baton build is writing `{}`; wait for it to finish",
            out_dir.display()
        ))),
        // A file system without locks: build anyway, as before locks existed.
        Err(fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => Ok(None),
        Err(fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
    }
}

/// Repairs what an interrupted build of `<parent>/<name>` left: restores the previous site if
/// the output folder is missing, then removes stale staging and old folders. Runs under the
/// lock, so nothing it removes belongs to a live build.
fn recover(parent: &Path, name: &str, out_dir: &Path) -> Result<()> {
    let mut stale: Vec<PathBuf> = Vec::new();
    let mut olds: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    let entries = fs::read_dir(parent).map_err(|e| Error::io(parent, e))?;
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let of_ours = |prefix: &str| {
            file_name
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        };
        if of_ours(STAGING) {
            stale.push(entry.path());
        } else if of_ours(OLD) {
            let modified = entry
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            olds.push((modified, entry.path()));
        }
    }
    // The newest old folder is the site that was live when the build was killed.
    olds.sort();
    if fs::symlink_metadata(out_dir).is_err() {
        if let Some((_, newest)) = olds.pop() {
            fs::rename(&newest, out_dir).map_err(|e| Error::io(&newest, e))?;
        }
    }
    stale.extend(olds.into_iter().map(|(_, p)| p));
    stale.sort();
    for dir in stale {
        fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "output_tests.rs"]
mod tests;
