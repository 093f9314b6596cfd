//! How deeply a YAML text nests, measured before it is parsed.
//!
//! serde_yaml's parser takes time that grows much faster than the nesting: 200,000 levels of
//! `[` (400 KB, well under the 4 MiB size cap) ran for 79 s, a million for minutes. No
//! playbook, mapping or front matter needs more than a handful of levels, so a text nesting
//! deeper than [`MAX_DEPTH`] is refused by this linear scan, with the line where the limit is
//! crossed, and never reaches the parser.
//!
//! The scan is a sketch of YAML's structure, not a parser: it counts open flow collections
//! (`[`, `{` where a value starts, outside quotes and comments) plus block levels (each deeper
//! indentation, and each `- ` of a compact sequence such as `- - - x`). Text of block scalars
//! (`|`, `>`) and of quoted scalars is skipped. It can only over-count on text that is not
//! valid YAML anyway, and only by the brackets such text opens.

/// The most levels of nesting Baton reads in a YAML text: the playbook's own files use at
/// most six.
pub const MAX_DEPTH: usize = 64;

/// The 1-based line on which `text` nests deeper than `max` levels, if it does.
pub fn too_deep(text: &str, max: usize) -> Option<u64> {
    let mut scan = Scan::default();
    for (n, line) in text.lines().enumerate() {
        if scan.line(line) > max {
            return Some(n as u64 + 1);
        }
    }
    None
}

/// What the scan carries from one line to the next.
#[derive(Default)]
struct Scan {
    /// Columns of the open block levels, innermost last.
    blocks: Vec<usize>,
    /// Open `[` and `{`.
    flow: usize,
    /// The quote a scalar left open at the end of the previous line.
    quote: Option<u8>,
    /// Lines indented deeper than this column are a block scalar's text.
    block_scalar: Option<usize>,
}

impl Scan {
    /// Reads one line; returns the deepest nesting reached on it.
    fn line(&mut self, line: &str) -> usize {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|b| **b == b' ').count();
        let rest = &bytes[indent..];
        if let Some(col) = self.block_scalar {
            if rest.is_empty() || indent > col {
                return 0;
            }
            self.block_scalar = None;
        }
        let mut i = indent;
        if self.flow == 0 && self.quote.is_none() {
            if rest.is_empty() || rest[0] == b'#' {
                return 0;
            }
            while self.blocks.last().is_some_and(|c| *c > indent) {
                self.blocks.pop();
            }
            if self.blocks.last() != Some(&indent) {
                self.blocks.push(indent);
            }
            // Each `- ` of a compact sequence opens one more level.
            while bytes.get(i) == Some(&b'-') && matches!(bytes.get(i + 1), Some(b' ') | None) {
                i += 1;
                while bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
                self.blocks.push(i);
            }
        }
        let mut deepest = self.blocks.len() + self.flow;
        // At the start of a value, where a quote or a bracket opens a scalar or a collection;
        // inside a plain scalar (`title: a [b`) they are text.
        let mut at_value = true;
        while i < bytes.len() {
            let b = bytes[i];
            let spaced = matches!(bytes.get(i + 1), None | Some(b' ' | b'\t'));
            if let Some(q) = self.quote {
                // `\"` in a double-quoted scalar and `''` in a single-quoted one are text.
                let escaped = (b == b'\\' && q == b'"')
                    || (b == q && q == b'\'' && bytes.get(i + 1) == Some(&b'\''));
                if escaped {
                    i += 1;
                } else if b == q {
                    self.quote = None;
                    at_value = false;
                }
                i += 1;
                continue;
            }
            match b {
                b' ' | b'\t' => {}
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => break,
                b'"' | b'\'' if at_value => self.quote = Some(b),
                b'[' | b'{' if at_value || self.flow > 0 => {
                    self.flow += 1;
                    deepest = deepest.max(self.blocks.len() + self.flow);
                    at_value = true;
                }
                b']' | b'}' if self.flow > 0 => {
                    self.flow -= 1;
                    at_value = false;
                }
                b',' if self.flow > 0 => at_value = true,
                b':' if spaced
                    || (self.flow > 0 && matches!(bytes.get(i + 1), Some(b',' | b']' | b'}'))) =>
                {
                    at_value = true
                }
                b'-' | b'?' if at_value && spaced => {}
                b'|' | b'>' if at_value && self.flow == 0 => {
                    // A block scalar: its text is the lines indented deeper than this one.
                    self.block_scalar = Some(indent);
                    break;
                }
                _ => at_value = false,
            }
            i += 1;
        }
        deepest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playbook_shapes_are_shallow() {
        let text = "plans:\n  - name: A\n    tiers:\n      - {from: 0, rate: [1, 2]}\n    note: |\n      [unclosed [text\n       - - - - -\n    title: a [b {c\n    q: \"[[[\"\n    r: 'it''s [['\n";
        assert_eq!(too_deep(text, 7), None);
        assert_eq!(too_deep(text, 6), Some(4));
    }

    #[test]
    fn flow_nesting_is_found_on_its_line() {
        let text = format!("a: 1\nb: {}\n", "[".repeat(70));
        assert_eq!(too_deep(&text, MAX_DEPTH), Some(2));
        let text = format!("x:\n{}", "[\n".repeat(100));
        assert_eq!(too_deep(&text, MAX_DEPTH), Some(65));
    }

    #[test]
    fn block_nesting_by_indentation_and_compact_sequences() {
        let indented: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert_eq!(too_deep(&indented, MAX_DEPTH), Some(65));
        let dashes = format!("a:\n  {}x\n", "- ".repeat(100));
        assert_eq!(too_deep(&dashes, MAX_DEPTH), Some(2));
        let list: String = (0..100)
            .map(|i| format!("{}- \n", " ".repeat(2 * i)))
            .collect();
        assert_eq!(too_deep(&list, MAX_DEPTH), Some(64));
    }

    #[test]
    fn closed_collections_do_not_add_up() {
        let text = "[a]\n".repeat(1000);
        assert_eq!(too_deep(&text, 2), None);
    }
}
