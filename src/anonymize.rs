//! `--anonymize`: replaces people and companies with stable pseudonyms after everything is
//! computed and before anything is rendered, so a site can be shared beyond the team.
//!
//! Why after: quotas (`quotas.csv`), comp plans (`reps: [S05]`), pairings and one-on-ones name
//! reps by their real ids. Renaming the inputs first made those lookups miss, so an anonymized
//! site paid other amounts than the real one (issue 17). Figures are therefore computed from
//! the real data, and [`anonymize`] rewrites only what the pages, `metrics.json`, `comp.csv`,
//! `rejected.csv` and the file names are made from: every figure is the same with and without
//! the flag (`tests/suite/reliability_anonymize.rs` compares them).
//!
//! Rep ids and names become `sdr-01`/`SDR 01`, `ae-03`/`AE 03`... numbered per role in the
//! order of the sorted ids; companies become `Company 001`...; lead, meeting and deal ids become
//! `Lead 00001`, `Meeting 00001`, `Deal 00001` in input order; rejection reasons become a label
//! that keeps equal texts equal. Text made from the input (warnings, the evidence and
//! adjustments of comp statements) has every known id, name and company replaced where it
//! stands as a whole word, and any e-mail address withheld; rejected rows keep where, not what.
//! Categorical values (loss reasons, stages), pods and the playbook's own text are kept.

use std::collections::{BTreeMap, HashMap};

use aho_corasick::AhoCorasick;

use crate::comp::actuals::Evidence;
use crate::metrics::{EntityMetrics, PeriodMetrics};
use crate::model::notes::normalize_text;
use crate::model::{Dataset, Role};
use crate::prepared::Prepared;

/// What a rejected row's reason becomes: the row stays counted and located, its content is not
/// shown.
pub const WITHHELD: &str =
    "row rejected (details withheld in an anonymized build; run `baton check`)";

/// What an e-mail address in a message becomes.
const EMAIL: &str = "[e-mail withheld]";

/// Assigns numbered pseudonyms in first-come order.
struct Namer {
    prefix: &'static str,
    width: usize,
    map: HashMap<String, String>,
}

impl Namer {
    fn new(prefix: &'static str, width: usize) -> Self {
        Namer {
            prefix,
            width,
            map: HashMap::new(),
        }
    }

    fn name(&mut self, original: &str) -> String {
        if original.is_empty() {
            return String::new();
        }
        let next = self.map.len() + 1;
        let (prefix, width) = (self.prefix, self.width);
        self.map
            .entry(original.to_string())
            .or_insert_with(|| format!("{prefix} {next:0width$}"))
            .clone()
    }

    /// The pseudonym of `original`, or `original` itself when it was never named.
    fn get(&self, original: &str) -> String {
        self.map
            .get(original)
            .cloned()
            .unwrap_or_else(|| original.to_string())
    }
}

/// The pseudonym of every person, company and id of a dataset, assigned in the same order as
/// before issue 17 so an anonymized site keeps its names from build to build.
pub struct Pseudonyms {
    /// Real rep id → (pseudonym id, pseudonym name).
    reps: HashMap<String, (String, String)>,
    companies: Namer,
    leads: Namer,
    meetings: Namer,
    deals: Namer,
    reasons: Namer,
    /// Finds every real id, name and company in free text; `replacement[i]` is pattern `i`'s.
    finder: Option<AhoCorasick>,
    replacement: Vec<String>,
}

impl Pseudonyms {
    /// Names everyone in `ds`, which must be the real (not yet anonymized) dataset.
    pub fn of(ds: &Dataset) -> Pseudonyms {
        let mut ids: Vec<(Role, &str)> = ds.reps.iter().map(|r| (r.role, r.id.as_str())).collect();
        ids.sort();
        let mut per_role: BTreeMap<Role, usize> = BTreeMap::new();
        let mut reps = HashMap::new();
        for (role, id) in ids {
            let n = per_role.entry(role).or_default();
            *n += 1;
            let label = match role {
                Role::Sdr => "SDR",
                Role::Bdr => "BDR",
                Role::Ae => "AE",
                Role::Manager => "Manager",
            };
            let new_id = format!("{}-{:02}", label.to_lowercase(), n);
            reps.insert(id.to_string(), (new_id, format!("{label} {n:02}")));
        }
        let mut p = Pseudonyms {
            reps,
            companies: Namer::new("Company", 3),
            leads: Namer::new("Lead", 5),
            meetings: Namer::new("Meeting", 5),
            deals: Namer::new("Deal", 5),
            reasons: Namer::new("Reason", 2),
            finder: None,
            replacement: Vec::new(),
        };
        for h in &ds.handoffs {
            p.leads.name(&h.lead_id);
            p.companies.name(&h.company);
            p.reasons.name(&normalize_text(&h.rejection_reason));
        }
        for m in &ds.meetings {
            p.leads.name(&m.lead_id);
        }
        for m in &ds.meetings {
            p.meetings.name(&m.meeting_id);
        }
        for o in &ds.opportunities {
            p.deals.name(&o.opportunity_id);
            if let Some(l) = &o.lead_id {
                p.leads.name(l);
            }
        }
        p.build_finder(ds);
        p
    }

    fn build_finder(&mut self, ds: &Dataset) {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for r in &ds.reps {
            if let Some((id, name)) = self.reps.get(&r.id) {
                pairs.push((r.id.clone(), id.clone()));
                pairs.push((r.name.clone(), name.clone()));
            }
        }
        for namer in [&self.companies, &self.leads, &self.meetings, &self.deals] {
            pairs.extend(namer.map.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        pairs.retain(|(k, _)| !k.trim().is_empty());
        // One pattern per text: the first pseudonym given wins (a rep id also used as a lead id
        // reads as the rep).
        let mut seen = std::collections::HashSet::new();
        pairs.retain(|(k, _)| seen.insert(k.clone()));
        let (patterns, replacement): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        self.finder = AhoCorasick::new(&patterns).ok();
        self.replacement = replacement;
    }

    /// The pseudonym id of rep `id` (unchanged when `id` is no rep's).
    pub fn rep(&self, id: &str) -> String {
        self.reps
            .get(id)
            .map_or_else(|| id.to_string(), |r| r.0.clone())
    }

    /// `text` with every real rep id and name, company, lead, meeting and deal id that stands
    /// as a whole word replaced by its pseudonym, and every e-mail address withheld. A word is
    /// bounded by characters that are not letters, digits or `_`, and not by `.`, `,`, `-`,
    /// `:` or `/` between two such characters: lead `1001` is replaced in "lead 1001 (", not
    /// in the amount "1001.00" nor the date "1001-02-03".
    pub fn text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        if let Some(finder) = &self.finder {
            // Every match at a word boundary, then the leftmost-longest of those that overlap.
            let mut found: Vec<(usize, usize, usize)> = finder
                .find_overlapping_iter(text)
                .filter(|m| whole_word(text, m.start(), m.end()))
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            for (start, end, pattern) in found {
                if start < at {
                    continue;
                }
                out.push_str(&text[at..start]);
                out.push_str(&self.replacement[pattern]);
                at = end;
            }
        }
        out.push_str(&text[at..]);
        withhold_emails(&out)
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `text[start..end]` is a whole word (see [`Pseudonyms::text`]).
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let joins = |c: char| matches!(c, '.' | ',' | '-' | ':' | '/');
    let mut before = text[..start].chars().rev();
    let ok_before = match (before.next(), before.next()) {
        (Some(c), _) if is_word(c) => false,
        (Some(c), Some(d)) if joins(c) && is_word(d) => false,
        _ => true,
    };
    let mut after = text[end..].chars();
    let ok_after = match (after.next(), after.next()) {
        (Some(c), _) if is_word(c) => false,
        (Some(c), Some(d)) if joins(c) && is_word(d) => false,
        _ => true,
    };
    ok_before && ok_after
}

/// `text` with every word that looks like an e-mail address (`x@y.z`) replaced by [`EMAIL`]:
/// an address not in the data (an unknown owner in a warning) has no pseudonym.
fn withhold_emails(text: &str) -> String {
    if !text.contains('@') {
        return text.to_string();
    }
    let part = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let local = rest[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| part(c))
            .last()
            .map_or(at, |(i, _)| i);
        let domain_len: usize = rest[at + 1..]
            .chars()
            .take_while(|&c| part(c))
            .map(char::len_utf8)
            .sum();
        let domain = &rest[at + 1..at + 1 + domain_len];
        if local < at && domain.trim_end_matches('.').contains('.') {
            out.push_str(&rest[..local]);
            out.push_str(EMAIL);
            // Keep a full stop that ends the sentence.
            let kept = domain.len() - domain.trim_end_matches('.').len();
            rest = &rest[at + 1 + domain_len - kept..];
        } else {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Rewrites everything `p`'s pages and files are made from with pseudonyms. Call it once the
/// figures are computed: it never changes one.
pub fn anonymize(p: &mut Prepared) {
    let names = Pseudonyms::of(&p.loaded.dataset);
    dataset(&mut p.loaded.dataset, &names);
    for period in [
        &mut p.metrics.current,
        &mut p.metrics.previous,
        &mut p.metrics.previous_at_age,
    ] {
        metrics(period, &names);
    }
    for why in p.metrics.unavailable.values_mut() {
        *why = names.text(why);
    }
    comp(&mut p.comp, &names);
    // Rejected rows quote the input: keep where, withhold what.
    let mut withheld = HashMap::new();
    for r in &mut p.loaded.rejections {
        let real = r.diagnostic();
        r.record.clear();
        r.reason = WITHHELD.into();
        withheld.insert((real.file, real.line, real.column), r.diagnostic().message);
    }
    for d in &mut p.diagnostics {
        d.message = match withheld.get(&(d.file.clone(), d.line, d.column)) {
            Some(m) if d.severity == crate::error::Severity::Error => m.clone(),
            _ => names.text(&d.message),
        };
    }
}

/// What `--anonymize` leaves of a 1:1's notes.
pub const NOTES_WITHHELD: &str = "(notes withheld: the site was built with --anonymize)";

fn dataset(ds: &mut Dataset, names: &Pseudonyms) {
    for r in &mut ds.reps {
        if let Some((id, name)) = names.reps.get(&r.id) {
            r.id = id.clone();
            r.name = name.clone();
            // A payroll id names the person as surely as the rep id; it has no pseudonym.
            r.payroll_id = None;
        }
    }
    ds.activity = std::mem::take(&mut ds.activity)
        .into_iter()
        .map(|((id, day), c)| ((names.rep(&id), day), c))
        .collect();
    for p in &mut ds.playbook.team.pairings {
        p.sdr = names.rep(&p.sdr);
        p.ae = names.rep(&p.ae);
    }
    for plan in &mut ds.playbook.comp.plans {
        for rep in &mut plan.reps {
            *rep = names.rep(rep);
        }
    }
    for o in &mut ds.one_on_ones {
        o.sdr_id = names.rep(&o.sdr_id).into();
        o.ae_id = names.rep(&o.ae_id).into();
        // Free text may name anyone, in any form: a 1:1's notes are withheld, never shown.
        if let Some(n) = o.notes.as_mut().filter(|n| !n.is_empty()) {
            *n = NOTES_WITHHELD.to_string();
        }
    }
    for h in &mut ds.handoffs {
        h.lead_id = names.leads.get(&h.lead_id).into();
        h.company = names.companies.get(&h.company).into();
        h.sdr_id = names.rep(&h.sdr_id).into();
        h.ae_id = names.rep(&h.ae_id).into();
        h.rejection_reason = names
            .reasons
            .get(&normalize_text(&h.rejection_reason))
            .into();
    }
    for m in &mut ds.meetings {
        m.lead_id = names.leads.get(&m.lead_id).into();
        m.meeting_id = names.meetings.get(&m.meeting_id).into();
    }
    for o in &mut ds.opportunities {
        o.opportunity_id = names.deals.get(&o.opportunity_id);
        o.lead_id = o.lead_id.as_deref().map(|l| names.leads.get(l));
        o.ae_id = names.rep(&o.ae_id).into();
    }
}

fn metrics(period: &mut PeriodMetrics, names: &Pseudonyms) {
    let rekey = |m: &mut BTreeMap<String, EntityMetrics>| {
        *m = std::mem::take(m)
            .into_iter()
            .map(|(id, v)| (names.rep(&id), v))
            .collect();
    };
    rekey(&mut period.sdrs);
    rekey(&mut period.aes);
    for pair in &mut period.pairs {
        pair.sdr = names.rep(&pair.sdr);
        pair.ae = names.rep(&pair.ae);
    }
}

fn comp(c: &mut crate::comp::CompReport, names: &Pseudonyms) {
    for s in &mut c.statements {
        if let Some((id, name)) = names.reps.get(&s.rep_id) {
            s.rep_id = id.clone();
            s.rep_name = name.clone();
        }
        s.payroll_id = None;
        for line in &mut s.lines {
            for e in &mut line.evidence {
                if let Evidence::Rows { label, .. } = e {
                    *label = names.text(label).into();
                }
            }
            if let Some(note) = &mut line.note {
                *note = names.text(note);
            }
        }
        for a in &mut s.adjustments {
            a.label = names.text(&a.label);
        }
    }
    for n in &mut c.no_plan {
        if let Some((id, name)) = names.reps.get(&n.rep_id) {
            n.rep_id = id.clone();
            n.rep_name = name.clone();
        }
        n.payroll_id = None;
    }
    for (rep, why) in &mut c.uncovered {
        *rep = names.rep(rep);
        *why = names.text(why);
    }
    for w in &mut c.warnings {
        *w = names.text(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only_and_numbers_are_left_alone() {
        assert!(whole_word("lead 1001 (Acme)", 5, 9));
        assert!(!whole_word("paid 1001.00", 5, 9));
        assert!(!whole_word("on 1001-02-03", 3, 7));
        assert!(!whole_word("as1x", 1, 3));
        assert!(whole_word("rep `s1`: none.", 5, 7));
        assert!(whole_word("by s1.", 3, 5));
    }

    #[test]
    fn e_mail_addresses_are_withheld() {
        assert_eq!(
            withhold_emails("rep jo.park+crm@example.co.uk is unknown."),
            "rep [e-mail withheld] is unknown."
        );
        assert_eq!(
            withhold_emails("owner x@y.com."),
            "owner [e-mail withheld]."
        );
        assert_eq!(withhold_emails("a @ b and x@y"), "a @ b and x@y");
    }
}
