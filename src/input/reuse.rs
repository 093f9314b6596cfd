//! What a rebuild of `baton serve` reuses of the last read of `data/` (issue 24, "rebuilds
//! that reuse what they read"): the tables read, kept in memory with a key made of every data
//! file's size, modification time and content hash, and of what reading takes from the
//! playbook (the time zone, qualification.yaml, handoff.yaml, segments.yaml, mapping.yaml).
//! A change to a template, a Markdown page or any other playbook file leaves the key as it
//! was: the rebuild renders from the tables kept and reads no export. Any other change reads
//! every export again, as a build does (a table refers to others: meetings to hand-offs, every
//! table to reps, activities to leads; re-reading one export only is not done).
//!
//! Content hashes are taken once per file and kept with its size and modification time; an
//! unchanged size and time is trusted without reading the file again only when the time is
//! older than [`RACY`] at the moment the stamp was taken, as git trusts its index: a file
//! rewritten within a clock tick of its last stamp, at the same size, is hashed again.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::tables::Tables;

/// How close to the stamp's moment a modification time must be for the stamp alone not to be
/// trusted: coarser than any file system's clock (FAT keeps two seconds).
const RACY: Duration = Duration::from_secs(3);

/// One file as a key knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

/// Everything reading the tables depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    files: Vec<Stamp>,
    /// What reading takes from the playbook and the options, written out.
    playbook: String,
}

/// The tables of the last read of `data/`, with the key they were read under.
#[derive(Default)]
pub struct ReadCache {
    kept: Option<(Key, SystemTime, Tables)>,
    /// The stamps [`ReadCache::data_unchanged`] took of a folder, and when, for the next
    /// [`ReadCache::tables`] of that folder to use rather than take them again.
    taken: Option<(PathBuf, SystemTime, Vec<Stamp>)>,
    /// How many times the exports were read (not reused): for tests and the serve log.
    pub reads: u64,
}

impl ReadCache {
    /// The tables for `playbook` (the fingerprint of what reading takes from it) and the
    /// files under `data`: a copy of those kept when nothing they depend on changed,
    /// otherwise `read()`, kept for next time when it met no fatal problem.
    pub fn tables(
        &mut self,
        data: &Path,
        playbook: String,
        read: impl FnOnce() -> Tables,
    ) -> Tables {
        let (now, files) = match self.taken.take() {
            Some((dir, at, files)) if dir == data => (at, files),
            _ => self.stamp(data),
        };
        let key = Key { files, playbook };
        if let Some((kept, _, tables)) = &self.kept {
            if *kept == key {
                return tables.clone();
            }
        }
        self.kept = None;
        self.reads += 1;
        let tables = read();
        if tables.fatal.is_empty() {
            self.kept = Some((key, now, tables.clone()));
        }
        tables
    }
}

impl ReadCache {
    /// Whether every file under `data` is as when the tables kept were read (and some are
    /// kept): the stamps taken are used by the next [`ReadCache::tables`] of `data`, so a
    /// changed file is hashed once. Call it at the start of each build that may read, so the
    /// stamps kept for the read are never those of an earlier build.
    pub fn data_unchanged(&mut self, data: &Path) -> bool {
        let (at, files) = self.stamp(data);
        let same = (self.kept.as_ref()).is_some_and(|(key, _, _)| key.files == files);
        self.taken = Some((data.to_path_buf(), at, files));
        same
    }

    /// The stamps of the files under `data` now, knowing those of the tables kept.
    fn stamp(&self, data: &Path) -> (SystemTime, Vec<Stamp>) {
        let now = SystemTime::now();
        let known = self.kept.as_ref().map(|(key, at, _)| (key, *at));
        (now, stamps(data, known, |_| true))
    }
}

/// The stamps of every file under `dir` that `keep` takes, each hashed (for small folders:
/// the playbook, history/).
pub fn hashed_stamps(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<Stamp> {
    stamps(dir, None, keep)
}

/// The stamps of every file under `data` (a missing folder has none), in path order. A file
/// whose size and time equal those of `known` (stamped at the given moment) and whose time
/// is older than [`RACY`] then keeps its hash; any other is hashed. A file that cannot be
/// read gets hash 0 and its error is left to the reading.
fn stamps(
    data: &Path,
    known: Option<(&Key, SystemTime)>,
    keep: impl Fn(&Path) -> bool,
) -> Vec<Stamp> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(data)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() || !keep(entry.path()) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let path = entry.path().to_path_buf();
        let (len, modified) = (meta.len(), meta.modified().ok());
        let same = known.and_then(|(key, at)| {
            let old = key.files.iter().find(|s| s.path == path)?;
            let settled = modified.is_some_and(|m| m + RACY < at);
            (old.len == len && old.modified == modified && settled).then_some(old.hash)
        });
        let hash = same.unwrap_or_else(|| content_hash(&path));
        out.push(Stamp {
            path,
            len,
            modified,
            hash,
        });
    }
    out
}

/// A hash of the file's bytes (fixed seed, full blocks, so the same bytes hash the same).
fn content_hash(path: &Path) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let Ok(mut file) = std::fs::File::open(path) else {
        return 0;
    };
    let mut h = foldhash::quality::FixedState::with_seed(24).build_hasher();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let mut filled = 0;
        while filled < buf.len() {
            match file.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return 0,
            }
        }
        h.write(&buf[..filled]);
        if filled < buf.len() {
            return h.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_same_hash_other_bytes_other_hash() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (a, b) = (tmp.path().join("a.csv"), tmp.path().join("b.csv"));
        let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&a, &big).expect("write");
        std::fs::write(&b, &big).expect("write");
        assert_eq!(content_hash(&a), content_hash(&b));
        let mut other = big.clone();
        other[2_500_000] ^= 1;
        std::fs::write(&b, &other).expect("write");
        assert_ne!(content_hash(&a), content_hash(&b));
    }

    /// A file rewritten at the same size within a clock tick is read again: its stamp alone
    /// is not trusted, its bytes are hashed.
    #[test]
    fn a_rewrite_of_the_same_size_and_time_is_seen() {
        let tmp = tempfile::tempdir().expect("tmp");
        let file = tmp.path().join("reps.csv");
        std::fs::write(&file, "rep_id\ns1\n").expect("write");
        let mut cache = ReadCache::default();
        let read = || Tables::default();
        cache.tables(tmp.path(), String::new(), read);
        cache.tables(tmp.path(), String::new(), read);
        assert_eq!(cache.reads, 1);
        let modified = std::fs::metadata(&file)
            .and_then(|m| m.modified())
            .expect("time");
        std::fs::write(&file, "rep_id\ns2\n").expect("write");
        std::fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_modified(modified))
            .expect("set time");
        cache.tables(tmp.path(), String::new(), read);
        assert_eq!(cache.reads, 2);
        cache.tables(tmp.path(), "another time zone".into(), read);
        assert_eq!(cache.reads, 3);
    }
}
