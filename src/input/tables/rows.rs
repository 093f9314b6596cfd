//! Reading a table's rows on two threads: each thread reads its part of the file into rows,
//! and rows keyed by an id (hand-offs by lead, meetings, deals) are checked for duplicates
//! across parts, the first in file order winning.

use foldhash::{HashMap, HashMapExt};

use crate::input::accounts::Reject;

use crate::input::csv_table::CsvFile;

use super::common::Tables;

/// Reads a table keyed by the id in `key_col`: `read` sees the ids taken so far (to name the
/// first line of a duplicate). Returns the rows and the ids whose row was rejected, so rows
/// that refer to them can say why.
/// Rows collected into one vector sized from the file's estimated row count
/// ([`CsvFile::estimated_rows`]), and, past that, in fixed-size chunks moved once into a vector
/// of exactly their number. A vector grown by doubling copies its rows at every step into
/// freshly zeroed memory (the allocator cannot grow 100 MB blocks in place): at 1x that was 14%
/// of reading the exports; chunks alone still copied every row once more at the end, into
/// fresh pages (18% of reading hand-offs). Capacity the estimate gave too much is never
/// written, so it costs address space, not memory.
pub(crate) struct Rows<T> {
    head: Vec<T>,
    chunks: Vec<Vec<T>>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            head: Vec::new(),
            chunks: Vec::new(),
        }
    }
}

impl<T> Rows<T> {
    const CHUNK: usize = 8192;

    /// Room for the rows `f` is estimated to hold, with an eighth more for shorter lines
    /// further on; none when that much cannot be had (the chunks take them).
    pub(crate) fn for_file(f: &CsvFile) -> Self {
        let mut rows = Rows::default();
        let estimate = f.estimated_rows();
        let _ = rows
            .head
            .try_reserve_exact(estimate.saturating_add(estimate / 8));
        rows
    }

    pub(crate) fn push(&mut self, row: T) {
        if self.head.len() < self.head.capacity() {
            self.head.push(row);
            return;
        }
        match self.chunks.last_mut() {
            Some(c) if c.len() < Self::CHUNK => c.push(row),
            _ => {
                let mut c = Vec::with_capacity(Self::CHUNK);
                c.push(row);
                self.chunks.push(c);
            }
        }
    }

    /// How many rows there are.
    pub(crate) fn len(&self) -> usize {
        // Every chunk but the last is full.
        self.head.len()
            + self
                .chunks
                .last()
                .map_or(0, |c| (self.chunks.len() - 1) * Self::CHUNK + c.len())
    }

    /// Row `i` in the order pushed.
    pub(crate) fn get(&self, i: usize) -> &T {
        match i.checked_sub(self.head.len()) {
            None => &self.head[i],
            Some(j) => &self.chunks[j / Self::CHUNK][j % Self::CHUNK],
        }
    }

    pub(crate) fn into_vec(self) -> Vec<T> {
        let mut all = self.head;
        if self.chunks.is_empty() {
            // Frees the unused capacity; when that is small the allocator keeps the block
            // where it is (mimalloc's realloc does not move a block shrunk by half or less).
            all.shrink_to_fit();
            return all;
        }
        if all.is_empty() {
            all = Vec::with_capacity(self.chunks.iter().map(Vec::len).sum());
        } else {
            all.reserve_exact(self.chunks.iter().map(Vec::len).sum());
        }
        for c in self.chunks {
            all.extend(c);
        }
        all
    }
}

/// Rows of a table keyed by id, with the ids taken so far for the duplicate check. An id is
/// not copied: the map holds its hash (foldhash, seeded per process) and its row's index, and a
/// row with that hash settles whether it is the same id. An id whose hash another id already
/// has (a 64-bit collision) is kept whole beside. Half the memory of a map of owned ids, and
/// one allocation less a row.
pub(crate) struct Keyed<T> {
    rows: Rows<T>,
    hasher: foldhash::fast::RandomState,
    by_hash: std::collections::HashMap<u64, usize, std::hash::BuildHasherDefault<Prehashed>>,
    collided: HashMap<String, usize>,
    key_of: fn(&T) -> &str,
    line_of: fn(&T) -> u64,
}

/// The hasher of keys that are already hashes.
#[derive(Default)]
pub(crate) struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl<T> Keyed<T> {
    /// Room for the rows `f` is estimated to hold ([`Rows::for_file`]).
    pub(crate) fn for_file(f: &CsvFile, key_of: fn(&T) -> &str, line_of: fn(&T) -> u64) -> Self {
        let rows = Rows::for_file(f);
        let mut by_hash = std::collections::HashMap::default();
        let _ = by_hash.try_reserve(rows.head.capacity());
        Keyed {
            rows,
            hasher: foldhash::fast::RandomState::default(),
            by_hash,
            collided: HashMap::new(),
            key_of,
            line_of,
        }
    }

    /// The row that took `id`, if one did.
    pub(crate) fn first(&self, id: &str) -> Option<&T> {
        use std::hash::BuildHasher;
        let i = *self.by_hash.get(&self.hasher.hash_one(id))?;
        let row = self.rows.get(i);
        if (self.key_of)(row) == id {
            return Some(row);
        }
        self.collided.get(id).map(|i| self.rows.get(*i))
    }

    /// The line of the row that took `id`, if one did.
    pub(crate) fn get(&self, id: &str) -> Option<u64> {
        self.first(id).map(self.line_of)
    }

    /// Adds a row whose id is not taken yet.
    pub(crate) fn push(&mut self, row: T) {
        use std::collections::hash_map::Entry;
        use std::hash::BuildHasher;
        let i = self.rows.len();
        let id = (self.key_of)(&row);
        match self.by_hash.entry(self.hasher.hash_one(id)) {
            Entry::Vacant(e) => {
                e.insert(i);
            }
            Entry::Occupied(_) => {
                self.collided.insert(id.to_string(), i);
            }
        }
        self.rows.push(row);
    }

    pub(crate) fn into_vec(self) -> Vec<T> {
        self.rows.into_vec()
    }
}

pub(crate) fn read_keyed<T>(
    f: &mut CsvFile,
    out: &mut Tables,
    key_col: &str,
    key_of: fn(&T) -> &str,
    line_of: fn(&T) -> u64,
    mut read: impl FnMut(&crate::input::row::Row, &Keyed<T>) -> Result<T, Reject>,
) -> (Vec<T>, HashMap<String, u64>) {
    let mut seen = Keyed::for_file(f, key_of, line_of);
    let mut rejected = HashMap::new();
    let account = f.for_each_row(&mut out.rejections, |row| match read(row, &seen) {
        Ok(item) => {
            seen.push(item);
            Ok(())
        }
        Err(e) => {
            let id = row.text(key_col);
            if !id.is_empty() && seen.first(id).is_none() {
                rejected.insert(id.to_string(), row.line);
            }
            Err(e)
        }
    });
    out.accounts.push(account);
    out.fatal.extend(f.take_fatal());
    out.warnings.extend(f.take_warnings());
    (seen.into_vec(), rejected)
}

#[cfg(test)]
mod tests {
    use super::{Keyed, Rows};

    #[test]
    fn rows_keep_their_order_across_chunks_and_fill_exactly() {
        let mut rows = Rows::default();
        let n = 3 * Rows::<u32>::CHUNK as u32 + 5;
        for i in 0..n {
            rows.push(i);
        }
        let all = rows.into_vec();
        assert_eq!(all.len(), all.capacity());
        assert!(all.iter().copied().eq(0..n));
        assert!(Rows::<u32>::default().into_vec().is_empty());
    }

    #[test]
    fn keyed_rows_tell_taken_ids_even_when_hashes_collide() {
        use std::hash::BuildHasher;
        let mut seen: Keyed<(String, u64)> = Keyed {
            rows: Rows::default(),
            hasher: foldhash::fast::RandomState::default(),
            by_hash: std::collections::HashMap::default(),
            collided: foldhash::HashMap::default(),
            key_of: |r| &r.0,
            line_of: |r| r.1,
        };
        seen.push(("a".into(), 2));
        // As if "b" had the hash of "a": it is kept whole, and neither hides the other.
        let b = seen.hasher.hash_one("b");
        seen.by_hash.insert(b, 0);
        seen.push(("b".into(), 3));
        seen.push(("c".into(), 4));
        assert_eq!(seen.get("a"), Some(2));
        assert_eq!(seen.get("b"), Some(3));
        assert_eq!(seen.get("c"), Some(4));
        assert_eq!(seen.get("d"), None);
        assert_eq!(seen.collided.len(), 1);
        let rows = seen.into_vec();
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), [2, 3, 4]);
    }

    #[test]
    fn rows_past_the_estimate_go_on_in_chunks() {
        for (room, n) in [
            (100, 60),
            (100, 100),
            (100, 101),
            (10, 3 * 8192 + 7),
            (0, 5),
        ] {
            let mut rows = Rows {
                head: Vec::with_capacity(room),
                chunks: Vec::new(),
            };
            for i in 0..n {
                rows.push(i);
            }
            assert_eq!(rows.len(), n, "{room} {n}");
            assert!((0..n).all(|i| *rows.get(i) == i));
            let all = rows.into_vec();
            assert_eq!(all.len(), n, "{room} {n}");
            assert!(all.iter().copied().eq(0..n));
        }
    }
}
