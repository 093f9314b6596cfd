//! How Baton compares free text that people typed: the SDR's and the AE's pain-point notes of
//! a hand-off (message continuity), and rejection reasons. A property of the data, read once
//! per hand-off while loading and used by metrics and display alike.
//!
//! "Ignoring case", wherever Baton says it (loss reasons, mapping.yaml values, enumerations,
//! column names, notes), is full Unicode case folding ([`fold_case`], [`same_ignoring_case`]):
//! `MAUVAISE QUALITÉ` is `Mauvaise qualité`, `STRASSE` is `Straße`, `ΟΔΟΣ` is `οδος`. Accents
//! matter (`qualite` is not `qualité`), and text is compared as written: no Unicode
//! normalization, so an `é` typed as one character differs from `e` and a combining accent.

use unicase::UniCase;

/// `s` with Unicode's full case folding (CaseFolding.txt, C and F): the key under which text
/// is looked up ignoring case. ASCII text is just lowercased.
pub fn fold_case(s: &str) -> String {
    UniCase::new(s).to_folded_case()
}

/// Whether `a` and `b` are the same text ignoring case (full Unicode case folding).
pub fn same_ignoring_case(a: &str, b: &str) -> bool {
    unicase::eq(a, b)
}

/// Case-folded ([`fold_case`]) with every run of white space collapsed to one space, trimmed.
pub fn normalize_text(s: &str) -> String {
    s.split_whitespace()
        .map(fold_case)
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
            "οδοσ",
            "STRASSE",
            "straße",
            "qualite",
            "QUALITÉ",
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

    /// Issue 19, item 4: ignoring case is Unicode's, not ASCII's; accents still matter.
    #[test]
    fn ignoring_case_is_full_unicode_case_folding() {
        assert!(same_ignoring_case("MAUVAISE QUALITÉ", "Mauvaise qualité"));
        assert!(same_ignoring_case("STRASSE", "Straße"));
        assert!(same_ignoring_case("ΟΔΟΣ", "οδος"));
        assert!(same_ignoring_case("οδος", "οδοσ"));
        // The Kelvin sign folds to k.
        assert!(same_ignoring_case("\u{212a}ey", "key"));
        assert!(!same_ignoring_case("Mauvaise qualite", "Mauvaise qualité"));
        assert!(!same_ignoring_case("qualité", "qualite\u{301}"));
        assert_eq!(fold_case("MAUVAISE QUALITÉ"), "mauvaise qualité");
        assert_eq!(fold_case("Straße"), "strasse");
        assert_eq!(normalize_text(" ÄRGER  mit\tERP "), "ärger mit erp");
        assert!(continuity("Mauvaise QUALITÉ", "mauvaise  qualité").unwrap());
    }

    #[test]
    fn pain_points_compare_ignoring_case_and_space() {
        assert_eq!(
            normalize_text("  Manual   Reporting\ttakes DAYS "),
            "manual reporting takes days"
        );
    }
}
