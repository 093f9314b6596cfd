//! The one rule for a figure the exports cannot give (metrics.json `unavailable`): every page,
//! chart, alert, ranking, agenda, digest, packet and export shows it through [`Known`], which
//! writes "not exported" with the reason (and so the export or column that would fill it)
//! instead of the 0 or the 100% that empty cells compute. Such a figure is never ranked, never
//! coloured as a change and never raises an alert; its chart is replaced by the same note.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::format;
use crate::metrics::stats::Rate;
use crate::prepared::Prepared;

/// What a page shows in place of a figure the exports cannot give.
pub const NOT_EXPORTED: &str = "not exported";

/// What a page shows in place of a change between periods the data covers unequally
/// (metrics.json `comparable` false): one wholly covered and one partly, for instance.
pub const NOT_COMPARABLE: &str = "not comparable";

/// How text marks a rate on a small sample (charts' data, lists built as text); templates
/// show it as the site's one marker (`m::marked`, `m::small_mark`).
pub const SMALL_MARK: &str = " *";

/// What follows a change whose previous value could not be taken at the same cohort age
/// (metrics.json `not_age_matched`): a timestamp it needs is not exported.
pub const NOT_AGE_MATCHED: &str = "not age-matched";

/// Figures that pages show under a key of their own, and the metrics.json figure they derive
/// from: the AE list's share followed up within the SLA is one minus the breach rate.
const DERIVED: [(&str, &str); 1] = [("sla_met", "sla_breach_rate")];

/// The unavailable figures of a build and how to show a figure that may be one of them.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    unavailable: &'a BTreeMap<String, String>,
    /// The period and the previous one cover the same span (metrics.json `comparable`).
    comparable: bool,
    /// Figures whose previous value is not taken at the same cohort age, with the reason
    /// (metrics.json `not_age_matched`).
    not_age_matched: Option<&'a BTreeMap<String, String>>,
    /// Acceptance counts every decided hand-off, not only held ones: there is no meetings
    /// export (metrics.json `acceptance_over` "decided").
    decided: bool,
}

impl<'a> Known<'a> {
    /// The rule for the figures `unavailable` names (metrics.json `unavailable`).
    pub fn new(unavailable: &'a BTreeMap<String, String>) -> Self {
        Known {
            unavailable,
            comparable: true,
            not_age_matched: None,
            decided: false,
        }
    }

    /// The same rule, for periods whose changes are (or are not) comparable.
    pub fn comparing(self, comparable: bool) -> Self {
        Known { comparable, ..self }
    }

    /// The rule for a build's figures.
    pub fn of(p: &'a Prepared) -> Self {
        Known {
            not_age_matched: Some(&p.metrics.not_age_matched),
            decided: p.metrics.acceptance_over == crate::metrics::AcceptanceOver::Decided,
            ..Known::new(&p.metrics.unavailable).comparing(p.metrics.comparable)
        }
    }

    /// The same rule, with the figures whose previous value is not age-matched.
    pub fn age_matching(self, not_age_matched: &'a BTreeMap<String, String>) -> Self {
        Known {
            not_age_matched: Some(not_age_matched),
            ..self
        }
    }

    /// Why the change of `key` is not age-matched, or None when it is.
    pub fn not_age_matched(&self, key: &str) -> Option<&'a str> {
        self.not_age_matched?.get(key).map(String::as_str)
    }

    /// True when acceptance counts every decided hand-off (no meetings export), so pages say
    /// so beside it.
    pub fn acceptance_over_decided(&self) -> bool {
        self.decided
    }

    /// True when changes from the previous period compare like with like.
    pub fn comparable(&self) -> bool {
        self.comparable
    }

    /// Why `key` cannot be given, or None when it can.
    pub fn reason(&self, key: &str) -> Option<&'a str> {
        let key = DERIVED
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, from)| from);
        self.unavailable.get(key).map(String::as_str)
    }

    /// True when the exports give `key`.
    pub fn has(&self, key: &str) -> bool {
        self.reason(key).is_none()
    }

    /// The first reason among `keys`, if any of them cannot be given.
    pub fn any(&self, keys: &[&str]) -> Option<&'a str> {
        keys.iter().find_map(|k| self.reason(k))
    }

    /// `shown`, or "not exported" when `key` cannot be given.
    pub fn text(&self, key: &str, shown: impl FnOnce() -> String) -> String {
        if self.has(key) {
            shown()
        } else {
            NOT_EXPORTED.to_string()
        }
    }

    /// A count, or "not exported".
    pub fn count(&self, key: &str, n: u64) -> String {
        self.text(key, || format::int(i128::from(n)))
    }

    /// A rate with its counts, `42% (21/50)`, or "not exported".
    pub fn rate(&self, key: &str, r: &Rate) -> String {
        self.text(key, || format::rate(r.value, r.num, r.den))
    }

    /// [`Known::rate`], ending with the small-sample mark `" *"` when its denominator is
    /// under `min` (templates show it through `m::marked`, as the site's one marker).
    pub fn rate_marked(&self, key: &str, r: &Rate, min: u64) -> String {
        let shown = self.rate(key, r);
        if self.has(key) && r.is_small(min) {
            shown + SMALL_MARK
        } else {
            shown
        }
    }

    /// An amount, or "not exported".
    pub fn money(&self, key: &str, amount: Decimal, symbol: &str) -> String {
        self.text(key, || format::money(amount, symbol))
    }

    /// A ranking value: None (not ranked) when `key` cannot be given.
    pub fn rank_value(&self, key: &str, value: Option<f64>) -> Option<f64> {
        value.filter(|_| self.has(key))
    }

    /// The note that replaces a chart (or any block) drawn from figures the exports cannot
    /// give: "not exported" with the reason, in place of the SVG.
    pub fn note(reason: &str) -> String {
        format!(
            "<p class=\"not-exported\" title=\"{r}\">{what} ({r}).</p>",
            what = "Not shown: not exported",
            r = tera::escape_html(reason)
        )
    }

    /// `svg`, or the note when any of `keys` cannot be given.
    pub fn chart(&self, keys: &[&str], svg: String) -> String {
        self.any(keys).map_or(svg, Known::note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::views;

    fn gaps() -> BTreeMap<String, String> {
        let mut u = BTreeMap::new();
        u.insert(
            "sla_breach_rate".to_string(),
            "handoffs.ae_first_contact_at is not exported".to_string(),
        );
        u.insert("won".to_string(), "no opportunities export".to_string());
        u
    }

    #[test]
    fn unavailable_figures_show_no_number_and_no_change() {
        let u = gaps();
        let k = Known::new(&u);
        // 0 wins now, 3 before: without the rule, "0" and "−3" in red.
        let figs = views::mark_unavailable(
            k,
            vec![
                views::count("won", "Won from hand-offs", 0, 3),
                views::count("held", "Held", 4, 2),
            ],
        );
        assert_eq!(figs[0].value, NOT_EXPORTED);
        assert_eq!(
            (figs[0].delta.as_str(), figs[0].delta_class),
            ("", "delta-flat")
        );
        assert_eq!(figs[0].unavailable, "no opportunities export");
        assert_eq!(figs[1].value, "4");
        assert_eq!(k.count("won", 0), NOT_EXPORTED);
        assert_eq!(k.count("held", 4), "4");
    }

    /// issue 20, section 3: `--period 2026-Q4` with one month of data showed "▼ −140 vs Q3".
    #[test]
    fn changes_between_unequal_periods_are_not_comparable() {
        let u = gaps();
        let k = Known::new(&u).comparing(false);
        let figs = views::mark_unavailable(
            k,
            vec![
                views::count("held", "Held", 60, 200),
                views::count("won", "Won from hand-offs", 0, 3),
            ],
        );
        assert_eq!(figs[0].value, "60");
        assert_eq!(figs[0].previous, "200");
        assert_eq!(figs[0].delta, NOT_COMPARABLE);
        assert!(!figs[0].delta_class.contains("delta-down"));
        // Not exported stays not exported.
        assert_eq!(figs[1].value, NOT_EXPORTED);
        assert_eq!(figs[1].delta, "");
    }

    #[test]
    fn a_derived_figure_follows_its_source_and_is_never_ranked() {
        let u = gaps();
        let k = Known::new(&u);
        assert!(!k.has("sla_met"));
        assert_eq!(k.rank_value("sla_met", Some(0.0)), None);
        assert_eq!(k.rank_value("show_rate", Some(0.5)), Some(0.5));
        assert!(k.rate("sla_met", &Rate::new(0, 33)).contains(NOT_EXPORTED));
        let note = k.chart(&["held", "won"], "<svg/>".into());
        assert!(note.contains("no opportunities export") && !note.contains("<svg"));
    }
}
