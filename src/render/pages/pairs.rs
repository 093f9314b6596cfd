//! Each SDR–AE pair's page and its 1:1 agenda.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::common::{feedback, pair_summary, prev_of, symbol, Feedback};
use crate::error::Error;
use crate::format;
use crate::prepared::Prepared;
use crate::render::known::Known;
use crate::render::links::{rep_name, Links};
use crate::render::rows::{Brief, Cohort, Listed};
use crate::render::site::{Page, Writer};
use crate::render::views::{self};

/// One agenda section of the next 1:1, pre-filled from the data.
#[derive(Serialize)]
pub(crate) struct AgendaSection {
    pub(crate) name: String,
    pub(crate) minutes: u32,
    /// The first [`AGENDA_TOP`] items, most pressing first.
    pub(crate) items: Vec<AgendaItem>,
    /// How many items did not fit, and where they all are (relative to the site root).
    pub(crate) more: usize,
    pub(crate) more_href: Option<String>,
    pub(crate) empty_note: &'static str,
}

/// Items an agenda section shows; the rest are a link away.
pub(crate) const AGENDA_TOP: usize = 3;

#[derive(Serialize)]
pub(crate) struct AgendaItem {
    pub(crate) text: String,
    pub(crate) href: Option<String>,
}

/// The most characters of a 1:1's notes the agenda shows before "all notes" (the rest opens
/// in place, without JavaScript).
pub(crate) const NOTES_PREVIEW: usize = 280;

/// The pair's last 1:1 on or before as_of, carried forward to the next one's agenda.
#[derive(Serialize)]
pub(crate) struct LastOneOnOne {
    /// Its day, `YYYY-MM-DD`, and length in minutes (0 when not exported).
    pub(crate) date: String,
    pub(crate) minutes: u32,
    /// Whether one_on_ones.csv has a notes column: without it the notes are unknown.
    pub(crate) notes_exported: bool,
    /// The notes as exported (empty when none were written), and the first
    /// [`NOTES_PREVIEW`] characters of them, cut at a space, when they are longer.
    pub(crate) notes: String,
    pub(crate) preview: Option<String>,
    /// The notes' length in characters.
    pub(crate) chars: usize,
}

/// The first `max` characters of `text`, cut at the last white space among them when there is
/// one (a word is not cut in two), with "…" after; `None` when `text` is no longer than `max`.
/// After a full stop, question or exclamation mark the "…" stands apart ("it. …", a no-break
/// space between, so it never starts a line alone), never glued to the sentence's end ("it.…").
pub(crate) fn preview(text: &str, max: usize) -> Option<String> {
    let end = text.char_indices().nth(max)?.0;
    let head = &text[..end];
    let cut = head
        .rfind(char::is_whitespace)
        .filter(|&i| i > 0)
        .unwrap_or(end);
    let kept = head[..cut].trim_end();
    let gap = if kept.ends_with(['.', '!', '?']) {
        "\u{a0}"
    } else {
        ""
    };
    Some(format!("{kept}{gap}\u{2026}"))
}

/// The last 1:1 of each SDR–AE pair dated on or before as_of's day (the latest line of the
/// export among 1:1s on the same day).
fn last_one_on_ones(p: &Prepared) -> HashMap<(&str, &str), &crate::model::OneOnOne> {
    let today = crate::period::local_date(p.as_of, p.tz);
    let mut out: HashMap<(&str, &str), &crate::model::OneOnOne> = HashMap::new();
    for o in p
        .loaded
        .dataset
        .one_on_ones
        .iter()
        .filter(|o| o.date <= today)
    {
        let e = out.entry((&*o.sdr_id, &*o.ae_id)).or_insert(o);
        if (o.date, o.source.line) > (e.date, e.source.line) {
            *e = o;
        }
    }
    out
}

/// Which part of the data a template section gets, from its name (see docs/templates.md).
pub(crate) fn agenda_kind(name: &str) -> &'static str {
    let n = name.to_lowercase();
    if n.contains("win") || n.contains("opening") || n.contains("celebrat") {
        "wins"
    } else if n.contains("goal") || n.contains("progress") {
        "goals"
    } else if n.contains("quality") || n.contains("feedback") {
        "feedback"
    } else if n.contains("alignment") || n.contains("next") || n.contains("open") {
        "open"
    } else {
        "none"
    }
}

pub(crate) fn pairs(
    p: &Prepared,
    links: &Links,
    cohort: &Cohort,
    w: &mut Writer,
) -> Result<(), Error> {
    let min = p.metrics.min_sample;
    let sym = symbol(w);
    let ds = &p.loaded.dataset;
    // The period's wins, and who sourced each won lead (one hand-off per lead): looked up once,
    // not per pair, and only for the won leads (a map of every lead was 30 MB at scale).
    let mut won: HashMap<&str, Vec<&crate::model::Opportunity>> = HashMap::new();
    for o in &ds.opportunities {
        if o.status == crate::model::OpportunityStatus::Won
            && o.close_date.is_some_and(|d| p.period.contains(d))
        {
            won.entry(&*o.ae_id).or_default().push(o);
        }
    }
    let won_leads: std::collections::HashSet<&str> = won
        .values()
        .flatten()
        .filter_map(|o| o.lead_id.as_deref())
        .collect();
    let sdr_of: HashMap<&str, (&str, &str)> = ds
        .handoffs
        .iter()
        .filter(|h| won_leads.contains(h.lead_id.as_str()))
        .map(|h| (h.lead_id.as_str(), (&*h.sdr_id, &*h.company)))
        .collect();
    let last = last_one_on_ones(p);
    let has_one_on_ones = ds.has(crate::model::Table::OneOnOnes);
    w.pages(&p.metrics.current.pairs, |x| {
        let Some(rel) = links.pair(&x.sdr, &x.ae) else {
            return Ok(None);
        };
        let prev = p
            .metrics
            .previous_at_age
            .pairs
            .iter()
            .find(|y| y.sdr == x.sdr && y.ae == x.ae)
            .map(|y| &y.metrics);
        let prev = prev_of(p, prev);
        let rows = cohort.of(p, &x.sdr, false, |h| *h.ae_id == *x.ae);
        let fb = feedback(&rows);
        let wins: Vec<AgendaItem> = rows
            .iter()
            .map(|l| l.row)
            .filter(|r| r.decision == "accepted" && r.outcome == "held")
            .map(|r| AgendaItem {
                text: format!("{} accepted ({})", r.company, r.lead),
                href: Some(r.link.clone()),
            })
            .chain(
                won.get(x.ae.as_str())
                    .into_iter()
                    .flatten()
                    .filter_map(|o| {
                        let (sdr, company) = sdr_of.get(o.lead_id.as_deref()?)?;
                        (*sdr == x.sdr.as_str()).then_some((o, *company))
                    })
                    .map(|(o, company)| AgendaItem {
                        text: format!(
                            "Deal closed won: {company}, {} ({})",
                            Known::of(p).money("closed_won_amount", o.amount, &sym),
                            o.opportunity_id
                        ),
                        href: o.lead_id.as_ref().and_then(|l| links.lead(l)),
                    }),
            )
            .collect();
        // Goals are the rep's comp lines (attainment, no pay), linked to the statement only
        // where the site publishes statements; none where it publishes no comp.
        let publish = p.loaded.dataset.playbook.site.comp.publish;
        let goals: Vec<AgendaItem> = p
            .comp
            .statements
            .iter()
            .enumerate()
            .filter(|(_, s)| publish != crate::playbook::Publish::None && s.rep_id == x.sdr)
            .flat_map(|(i, s)| s.lines.iter().map(move |l| (i, s, l)))
            .map(|(i, s, l)| {
                let (target, actual) =
                    crate::render::statements::target_and_actual(l, &sym, s.minor_units);
                AgendaItem {
                    text: format!(
                        "{}: {actual} of {target} ({}){}",
                        l.label,
                        l.attainment.map_or_else(
                            || "not measured".to_string(),
                            |a| format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&a), 0)
                        ),
                        if s.partial { ", to date" } else { "" }
                    ),
                    href: (publish == crate::playbook::Publish::Individual)
                        .then(|| links.statement[i].clone()),
                }
            })
            .collect();
        let table = format!("{rel}#handoffs");
        let feedback_items = patterns(&rows, &fb, &table);
        let open = next_steps(&rows, &fb);
        let statement = p
            .comp
            .statements
            .iter()
            .position(|s| publish == crate::playbook::Publish::Individual && s.rep_id == x.sdr)
            .map(|i| links.statement[i].clone());
        let mut buckets = [
            ("wins", wins, Some(table.clone())),
            ("goals", goals, statement),
            ("feedback", feedback_items, Some(table.clone())),
            ("open", open, Some(table)),
        ];
        let agenda: Vec<AgendaSection> = p
            .loaded
            .dataset
            .playbook
            .meetings
            .sections
            .iter()
            .map(|s| {
                let kind = agenda_kind(&s.name);
                let (mut items, more_href) = buckets
                    .iter_mut()
                    .find(|(k, _, _)| *k == kind)
                    .map(|(_, v, href)| (std::mem::take(v), href.take()))
                    .unwrap_or_default();
                let more = items.len().saturating_sub(AGENDA_TOP);
                items.truncate(AGENDA_TOP);
                AgendaSection {
                    name: s.name.clone(),
                    minutes: s.minutes,
                    items,
                    more,
                    more_href: more_href.filter(|_| more > 0),
                    empty_note: match kind {
                        "wins" => "No wins this period yet.",
                        "goals" => "No comp plan goals for this SDR.",
                        "feedback" => "No rejections, no-shows or missing documentation.",
                        "open" => {
                            "Nothing to follow up: no hand-off awaiting the AE, no no-show to \
                             rebook, no meeting pending."
                        }
                        _ => "",
                    },
                }
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("pair", &pair_summary(p, links, x));
        ctx.insert("sdr_link", &links.sdr(&x.sdr));
        ctx.insert("ae_link", &links.ae(&x.ae));
        ctx.insert(
            "funnel",
            &views::funnel_figs(Known::of(p), &x.metrics, prev, min, &sym),
        );
        ctx.insert(
            "quality",
            &views::quality_figs(Known::of(p), &x.metrics, prev, min),
        );
        ctx.insert("cadence", &x.metrics.cadence);
        ctx.insert("agenda", &agenda);
        ctx.insert("has_one_on_ones", &has_one_on_ones);
        ctx.insert(
            "last_one_on_one",
            &last.get(&(x.sdr.as_str(), x.ae.as_str())).map(|o| {
                let notes = o.notes.clone().unwrap_or_default();
                LastOneOnOne {
                    date: o.date.to_string(),
                    minutes: o.duration_minutes,
                    notes_exported: o.notes.is_some(),
                    preview: preview(&notes, NOTES_PREVIEW),
                    chars: notes.chars().count(),
                    notes,
                }
            }),
        );
        ctx.insert("handoffs", &rows.iter().map(|l| l.html).collect::<Vec<_>>());
        let title = format!("{} & {}", rep_name(p, &x.sdr), rep_name(p, &x.ae));
        Ok(Some(Page {
            rel,
            name: "pair.html",
            title,
            section: "matrix",
            ctx,
        }))
    })
}

/// The quality and feedback section as patterns, most frequent first: each documentation
/// section missing, each rejection reason, the no-shows and the pain points the AE heard
/// differently, counted over the pair's hand-offs of the period (`table` is where they are).
fn patterns(rows: &[Listed], fb: &Feedback, table: &str) -> Vec<AgendaItem> {
    let n = rows.len();
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut missing: Vec<(&str, usize)> = Vec::new();
    for r in &fb.missing_docs {
        for section in &r.missing_sections {
            match missing.iter_mut().find(|(s, _)| s == section) {
                Some((_, k)) => *k += 1,
                None => missing.push((section, 1)),
            }
        }
    }
    for (section, k) in missing {
        found.push((k, format!("{section} missing in {k} of {n} hand-offs")));
    }
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for r in &fb.rejections {
        let reason = if r.rejection_reason.is_empty() {
            "no reason given"
        } else {
            r.rejection_reason.as_str()
        };
        match reasons.iter_mut().find(|(x, _)| *x == reason) {
            Some((_, cs)) => cs.push(&r.company),
            None => reasons.push((reason, vec![&r.company])),
        }
    }
    for (reason, companies) in reasons {
        let k = companies.len();
        found.push((
            k,
            format!(
                "Rejected by the AE, {reason}: {k} of {n} hand-offs ({})",
                some_of(&companies)
            ),
        ));
    }
    if !fb.no_shows.is_empty() {
        let k = fb.no_shows.len();
        let due = rows
            .iter()
            .filter(|l| l.row.outcome == "held" || l.row.outcome == "no-show")
            .count();
        let companies: Vec<&str> = fb.no_shows.iter().map(|r| r.company.as_str()).collect();
        found.push((
            k,
            format!(
                "No-shows: {k} of {due} meetings held or missed ({})",
                some_of(&companies)
            ),
        ));
    }
    let differs = rows
        .iter()
        .filter(|l| l.row.continuity == "differs")
        .count();
    if differs > 0 {
        found.push((
            differs,
            format!("The AE heard a different pain point in {differs} of {n} hand-offs"),
        ));
    }
    // Most frequent first; equal counts keep the order above.
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found
        .into_iter()
        .map(|(_, text)| AgendaItem {
            text,
            href: Some(table.to_string()),
        })
        .collect()
}

/// Up to three companies, then how many more: `Acme, Birch, Cedar and 2 more`.
fn some_of(companies: &[&str]) -> String {
    let shown = companies
        .iter()
        .take(3)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    match companies.len().saturating_sub(3) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// The next steps, most pressing first: SLAs missed, no-shows to rebook, hand-offs awaiting
/// the AE's contact or decision, meetings still pending.
fn next_steps(rows: &[Listed], fb: &Feedback) -> Vec<AgendaItem> {
    let item = |r: &Brief, what: String| AgendaItem {
        text: format!("{}: {what}", r.company),
        href: Some(r.link.clone()),
    };
    let awaiting = |sla: &'static str| fb.awaiting.iter().filter(move |r| r.sla == sla).copied();
    let mut steps: Vec<AgendaItem> = awaiting("never")
        .map(|r| item(r, "no AE contact, SLA missed".into()))
        .collect();
    steps.extend(fb.no_shows.iter().map(|r| {
        item(
            r,
            format!("no-show to rebook (handed off {})", r.handed_off),
        )
    }));
    steps.extend(awaiting("open").map(|r| item(r, "awaiting AE contact".into())));
    steps.extend(
        fb.awaiting
            .iter()
            .filter(|r| r.sla != "never" && r.sla != "open")
            .map(|r| item(r, "AE decision pending".into())),
    );
    steps.extend(
        rows.iter()
            .map(|l| l.row)
            .filter(|r| r.outcome == "pending" && !fb.awaiting.iter().any(|a| std::ptr::eq(*a, *r)))
            .map(|r| {
                item(
                    r,
                    format!("meeting still pending (handed off {})", r.handed_off),
                )
            }),
    );
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_note_is_cut_at_a_space_within_the_first_characters() {
        // 12 characters fit: "ab cd ef gh " has its last space at 11, "ab cd ef gh".
        assert_eq!(
            preview("ab cd ef gh ij", 12).as_deref(),
            Some("ab cd ef gh\u{2026}")
        );
        // No longer than the cap: shown whole.
        assert_eq!(preview("ab cd", 5), None);
        // No space: cut at the cap, by characters, not bytes ("é" is two bytes).
        assert_eq!(preview("éééééé", 4).as_deref(), Some("éééé\u{2026}"));
        // A space only at the start is not a place to cut.
        assert_eq!(preview(" abcdef", 4).as_deref(), Some(" abc\u{2026}"));
    }

    #[test]
    fn a_note_cut_after_a_full_sentence_reads_it_then_the_ellipsis_apart() {
        // 10 characters fit: "Chase it. " has its last space at 9, "Chase it.", then " …"
        // (a no-break space), not "Chase it.…".
        assert_eq!(
            preview("Chase it. Then call", 10).as_deref(),
            Some("Chase it.\u{a0}\u{2026}")
        );
        assert_eq!(
            preview("Why? Budget first", 6).as_deref(),
            Some("Why?\u{a0}\u{2026}")
        );
        assert_eq!(
            preview("Won it! Next one", 9).as_deref(),
            Some("Won it!\u{a0}\u{2026}")
        );
        // Mid-sentence the ellipsis stays on the word; a comma is no sentence's end.
        assert_eq!(
            preview("Chase it, then call", 10).as_deref(),
            Some("Chase it,\u{2026}")
        );
    }
}
