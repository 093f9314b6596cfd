//! Where a key is in a playbook file's text. serde_yaml gives a position only for syntax
//! errors, so checks made after parsing (contradictions, comp plan lint) find the line of the
//! key they are about in the text that was read.

/// Source text of each file that was present, for locating keys in later checks.
#[derive(Default)]
pub struct Sources {
    pub texts: Vec<(String, String)>,
}

impl Sources {
    /// The line of the first `key:` found after the lines matching each of `path` in turn.
    pub fn line_of(&self, file: &str, path: &[&str]) -> Option<u64> {
        let text = &self.texts.iter().find(|(f, _)| f == file)?.1;
        // The full path, or failing that the longest prefix of it that is found.
        (1..=path.len())
            .rev()
            .find_map(|n| locate(text, &path[..n]))
    }
}

/// Finds the 1-based line on which the last of `path` occurs, each searched after the previous.
/// A needle ending in `:` matches a key; otherwise it matches text anywhere on the line.
pub fn locate(text: &str, path: &[&str]) -> Option<u64> {
    let mut from = 0usize;
    let lines: Vec<&str> = text.lines().collect();
    let mut found = None;
    for needle in path {
        let hit = lines.iter().enumerate().skip(from).find(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            if needle.ends_with(':') {
                t.starts_with(needle)
            } else {
                l.contains(needle)
            }
        })?;
        from = hit.0 + 1;
        found = Some(hit.0 as u64 + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_follows_the_path() {
        let text = "plans:\n  - name: A\n    weight: 1\n  - name: B\n    weight: 2\n";
        assert_eq!(locate(text, &["name: B", "weight:"]), Some(5));
        assert_eq!(locate(text, &["weight:"]), Some(3));
        assert_eq!(locate(text, &["name: C"]), None);
    }
}
