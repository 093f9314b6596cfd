//! Slugs made from ids (rep and pod page names, lead anchors): unique and valid for every set
//! of ids, and the same whatever order the rows come in.
//!
//! An id's slug is [`slugify`] of it, cut to [`MAX_SLUG`] bytes. It is used alone when no
//! other id of the set has the same slug, it was not cut and it is not a name Windows
//! reserves (`con`, `com1`...: [`reserved_on_windows`]). Otherwise a short hash of the id
//! itself is appended (`a-3f2c`), lengthened only when that name is taken too. So `a`, `A!`
//! and `a-2` each get a name of their own, a 261-character id gets a file name the writer
//! accepts, and the usual ids keep the names they always had. Which ids get a hash depends
//! only on the set of ids, never on their order: the ids are sorted first.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use super::output::reserved_on_windows;
use crate::input::pages::slugify;

/// The longest slug before its hash suffix, in bytes. File names may have 255 bytes; a pair's
/// page names two reps (`sdr--ae.html`), so each rep's slug, suffix included, stays under 120.
pub const MAX_SLUG: usize = 80;

/// The hash of an id in its slug: FNV-1a, then MurmurHash3's finalizer, as FNV alone leaves
/// the top bits of short ids alike (`a` and `A` both began `af63`). Written here rather than
/// taken from a hashing crate so a file name never changes because a crate changed its
/// algorithm or seed.
fn id_hash(s: &str) -> u64 {
    let mut h = s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Writes the slug of `id` into `buf` (emptied first), cut to [`MAX_SLUG`] bytes; returns
/// whether it may stand alone: not cut and not reserved. The usual letters-and-digits id
/// takes a shortcut that gives the same as [`slugify`] (there are 300,000 leads at scale).
fn base(id: &str, buf: &mut String) -> bool {
    buf.clear();
    if !id.is_empty() && id.len() <= MAX_SLUG && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        buf.extend(id.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        buf.push_str(&slugify(id));
    }
    let cut = buf.len() > MAX_SLUG;
    if cut {
        // `slugify` gives ASCII only, so any byte is a character boundary.
        buf.truncate(MAX_SLUG);
        while buf.ends_with('-') {
            buf.pop();
        }
    }
    !cut && !reserved_on_windows(buf)
}

/// The slugs of a set of ids. Only the ids that cannot use their plain slug keep a string
/// here; the others' slugs are made again when asked for, so a set of 300,000 leads costs
/// little more than the sorted ids.
#[derive(Debug, Default)]
pub struct Slugs<'a> {
    /// Every id, sorted and without repeats.
    ids: Vec<&'a str>,
    /// The slug of each id that shares its plain slug, was cut or is reserved.
    hashed: HashMap<&'a str, String>,
}

impl<'a> Slugs<'a> {
    /// The slugs of `ids`, in any order and with repeats.
    pub fn new(mut ids: Vec<&'a str>) -> Slugs<'a> {
        ids.sort_unstable();
        ids.dedup();
        // Plain slugs are found by their hashes (seeded per process): every match is checked
        // on the slug itself, so the seed never changes a result.
        let hasher = foldhash::fast::RandomState::default();
        let mut buf = String::new();
        let mut special: Vec<u32> = Vec::new();
        let mut by_hash: Vec<(u64, u32)> = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            if !base(id, &mut buf) {
                special.push(i as u32);
            }
            by_hash.push((hasher.hash_one(buf.as_str()), i as u32));
        }
        by_hash.sort_unstable();
        // Ids whose plain slugs are equal, found among those whose hashes are.
        let mut shared: HashMap<String, Vec<u32>> = HashMap::new();
        for run in by_hash.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
            for &(_, i) in run {
                base(ids[i as usize], &mut buf);
                shared.entry(buf.clone()).or_default().push(i);
            }
        }
        special.extend(shared.into_values().filter(|v| v.len() > 1).flatten());
        special.sort_unstable();
        special.dedup();
        let not_plain: HashSet<u32> = special.iter().copied().collect();
        // Whether `slug` is the plain slug of an id that keeps it.
        let held = |slug: &str, buf: &mut String| {
            let h = hasher.hash_one(slug);
            let from = by_hash.partition_point(|x| x.0 < h);
            by_hash[from..]
                .iter()
                .take_while(|x| x.0 == h)
                .any(|&(_, i)| {
                    !not_plain.contains(&i) && {
                        base(ids[i as usize], buf);
                        buf == slug
                    }
                })
        };
        let mut taken: HashSet<String> = HashSet::new();
        let mut hashed = HashMap::with_capacity(special.len());
        // In sorted order, so which of two ids gets the longer name never depends on rows.
        for i in special {
            let id = ids[i as usize];
            let mut stem = String::new();
            base(id, &mut stem);
            let h = id_hash(id);
            let candidates = [
                format!("{stem}-{:04x}", h >> 48),
                format!("{stem}-{:08x}", h >> 32),
                format!("{stem}-{h:016x}"),
            ]
            .into_iter()
            .chain((2u64..).map(|n| format!("{stem}-{h:016x}-{n}")));
            for slug in candidates {
                if !taken.contains(&slug) && !held(&slug, &mut buf) {
                    taken.insert(slug.clone());
                    hashed.insert(id, slug);
                    break;
                }
            }
        }
        Slugs { ids, hashed }
    }

    /// The slug of `id`, `None` when `id` is not in the set.
    pub fn get(&self, id: &str) -> Option<String> {
        self.ids.binary_search(&id).ok()?;
        if let Some(s) = self.hashed.get(id) {
            return Some(s.clone());
        }
        let mut s = String::new();
        base(id, &mut s);
        Some(s)
    }

    /// Every id with its slug.
    pub fn to_map(&self) -> HashMap<String, String> {
        self.ids
            .iter()
            .filter_map(|id| Some((id.to_string(), self.get(id)?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slugs(ids: &[&str]) -> Vec<String> {
        let s = Slugs::new(ids.to_vec());
        ids.iter()
            .map(|id| s.get(id).expect("in the set"))
            .collect()
    }

    fn assert_unique(ids: &[&str], got: &[String]) {
        let set: HashSet<&String> = got.iter().collect();
        assert_eq!(set.len(), got.len(), "{ids:?} -> {got:?}");
    }

    #[test]
    fn usual_ids_keep_their_plain_slug() {
        assert_eq!(slugs(&["s1", "A1", "Sam Diaz"]), ["s1", "a1", "sam-diaz"]);
    }

    #[test]
    fn clashing_ids_each_get_their_own_hashed_slug() {
        let ids = ["a", "a!", "a-2", "A"];
        let got = slugs(&ids);
        assert_unique(&ids, &got);
        assert_eq!(got[2], "a-2", "a-2 clashes with no one: {got:?}");
        for s in [&got[0], &got[1], &got[3]] {
            assert!(s.starts_with("a-") && s.len() == 6, "{got:?}");
        }
    }

    #[test]
    fn a_hashed_slug_that_is_another_ids_plain_slug_is_lengthened() {
        let first = slugs(&["a", "A"]);
        let ids = ["a", "A", first[0].as_str(), first[1].as_str()];
        let got = slugs(&ids);
        assert_unique(&ids, &got);
        assert_eq!(got[2], first[0]);
        assert_eq!(got[3], first[1]);
        assert!(got[0].len() == 10 && got[1].len() == 10, "{got:?}");
    }

    #[test]
    fn reserved_and_overlong_slugs_get_a_hash() {
        let long = "x".repeat(261);
        let ids = ["CON", "Aux", "com1.txt", "lpt9", long.as_str(), "console"];
        let got = slugs(&ids);
        assert_unique(&ids, &got);
        for s in [&got[0], &got[1], &got[3], &got[4]] {
            assert!(!reserved_on_windows(s), "{s}");
            assert!(s.len() <= MAX_SLUG + 5, "{s}");
        }
        assert_eq!(got[2], "com1-txt", "no longer a reserved name once slugged");
        assert!(
            got[0].starts_with("con-") && got[3].starts_with("lpt9-"),
            "{got:?}"
        );
        assert_eq!(got[5], "console");
    }

    #[test]
    fn slugs_do_not_depend_on_order() {
        let ids = ["b", "a!", "A", "a", "con", "a-2", "x y", "X-Y"];
        let got = slugs(&ids);
        let mut rev = ids;
        rev.reverse();
        let mut again = slugs(&rev);
        again.reverse();
        assert_eq!(got, again);
        assert_unique(&ids, &got);
    }

    #[test]
    fn every_set_of_ids_gets_unique_slugs() {
        // Before these slugs, `L2`, `l2` and `L2-2` were `l2`, `l2-2` and `l2-2`.
        let ids = [
            "L2", "l2", "L-2", "L2", "Ł2", "", "--", "L 1", "L1", "a/b", "A.B", "L2-2", "x", "2",
        ];
        let got = slugs(&ids);
        let mut distinct: Vec<(&str, &String)> = ids.iter().copied().zip(&got).collect();
        distinct.sort();
        distinct.dedup();
        let names: HashSet<&String> = distinct.iter().map(|x| x.1).collect();
        assert_eq!(names.len(), distinct.len(), "{distinct:?}");
        assert_eq!(
            (got[8].as_str(), got[11].as_str(), got[12].as_str()),
            ("l1", "l2-2", "x")
        );
    }

    #[test]
    fn only_ids_of_the_set_have_a_slug() {
        let s = Slugs::new(vec!["a"]);
        assert_eq!(s.get("b"), None);
        assert_eq!(s.to_map().get("a").map(String::as_str), Some("a"));
    }
}
