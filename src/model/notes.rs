//! How Baton compares free text that people typed: the SDR's and the AE's pain-point notes of
//! a hand-off (message continuity), and rejection reasons. A property of the data, read once
//! per hand-off while loading and used by metrics and display alike.

/// Lowercase with every run of white space collapsed to one space, trimmed.
pub fn normalize_text(s: &str) -> String {
    s.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Message continuity of a hand-off from its two pain-point notes: whether they say the same
/// (equal after [`normalize_text`]), `None` when either is blank.
pub fn continuity(sdr: &str, ae: &str) -> Option<bool> {
    let blank = |s: &str| s.split_whitespace().next().is_none();
    (!blank(sdr) && !blank(ae)).then(|| same_text(sdr, ae))
}

/// Whether `a` and `b` are equal after [`normalize_text`]; ASCII text (nearly all notes) is
/// compared word by word without building the two normalized strings.
fn same_text(a: &str, b: &str) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return normalize_text(a) == normalize_text(b);
    }
    let (mut x, mut y) = (a.split_ascii_whitespace(), b.split_ascii_whitespace());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(q) => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_is_equality_after_normalizing() {
        let texts = [
            "",
            " ",
            "Legacy ERP",
            "legacy  erp",
            " LEGACY\terp\n",
            "legacy erp.",
            "legacyerp",
            "Ärger mit ERP",
            "ärger MIT erp",
            "ΟΔΟΣ",
            "οδος",
            "a\u{a0}b",
            "a b",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(
                    same_text(a, b),
                    normalize_text(a) == normalize_text(b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn pain_points_compare_ignoring_case_and_space() {
        assert_eq!(
            normalize_text("  Manual   Reporting\ttakes DAYS "),
            "manual reporting takes days"
        );
    }
}
