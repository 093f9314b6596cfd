//! The SDR × AE matrix (`matrix.html`): one cell per pair of the period with its hand-offs,
//! show rate, acceptance and wins from `metrics.current.pairs`, small samples greyed, and the
//! most common reasons the AE rejected the pair's held hand-offs.
//!
//! Figures are the metrics' own; the only thing counted here is how often each rejection
//! reason was given, which is text, not a metric.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use tera::Context;

use super::known::Known;
use super::links::rep_name;
use super::links::Links;
use super::site::Writer;
use crate::error::Error;
use crate::metrics::facts::Outcome;
use crate::metrics::stats::Rate;
use crate::model::notes::fold_case;
use crate::model::{Decision, Rep};
use crate::period::local_date;
use crate::prepared::Prepared;

/// How many rejection reasons a cell lists.
pub const TOP_REASONS: usize = 3;

/// The most AE columns one table of the page holds: with more AEs (the public exports have 11)
/// the matrix is cut into tables of this many AEs each, so that no table is wider than a
/// 1400 px window (seven columns of at least 9rem, `table.matrix` in style.css).
pub const AES_PER_TABLE: usize = 6;

/// A rejection reason and how many of the pair's rejected held hand-offs gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub text: String,
    pub count: u64,
}

/// A rate as the cell shows it: `67% (2/3)`, greyed when its denominator is small.
#[derive(Debug, Clone, Serialize)]
pub struct CellRate {
    pub text: String,
    pub small: bool,
}

/// One pair's cell.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Element id, for links: `cell-<pair slug>`.
    pub id: String,
    pub link: Option<String>,
    pub handoffs: u64,
    pub show_rate: CellRate,
    pub acceptance: CellRate,
    pub won: String,
    pub reasons: Vec<Reason>,
    /// Rejected held hand-offs that gave a reason beyond the ones listed.
    pub more_reasons: u64,
}

/// A person heading a row (SDR) or a column (AE).
#[derive(Debug, Clone, Serialize)]
pub struct Head {
    pub id: String,
    pub name: String,
    pub pod: String,
    pub link: String,
}

/// The matrix: AEs across, SDRs down; `cells[row][col]` is `None` where the pair had nothing.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub aes: Vec<Head>,
    pub rows: Vec<(Head, Vec<Option<Cell>>)>,
}

/// The `n` most given reasons, most frequent first (ties by text), and how many rejections
/// gave the others. Reasons are compared ignoring case and runs of white space and shown as
/// first written; an empty reason counts as "no reason given".
pub fn top_reasons<'a>(reasons: impl IntoIterator<Item = &'a str>, n: usize) -> (Vec<Reason>, u64) {
    let mut counts: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for r in reasons {
        let shown = r.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown = if shown.is_empty() {
            "no reason given".to_string()
        } else {
            shown
        };
        let e = counts
            .entry(fold_case(&shown))
            .or_insert_with(|| (shown, 0));
        e.1 += 1;
    }
    let mut all: Vec<Reason> = counts
        .into_values()
        .map(|(text, count)| Reason { text, count })
        .collect();
    all.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
    let rest = all.iter().skip(n).map(|r| r.count).sum();
    all.truncate(n);
    (all, rest)
}

fn cell_rate(k: Known, key: &str, r: &Rate, min: u64) -> CellRate {
    CellRate {
        text: k.rate(key, r),
        small: k.has(key) && r.is_small(min),
    }
}

fn head(p: &Prepared, links: &Links, id: &str, ae: bool) -> Head {
    let rep: Option<&Rep> = p.loaded.dataset.rep(id);
    Head {
        id: id.to_string(),
        name: rep_name(p, id),
        pod: rep.map(|r| r.pod.clone()).unwrap_or_default(),
        link: if ae { links.ae(id) } else { links.sdr(id) },
    }
}

/// The matrix of the build period.
pub fn matrix(p: &Prepared, links: &Links) -> Matrix {
    let ds = &p.loaded.dataset;
    let min = p.metrics.min_sample;
    let k = Known::of(p);
    // The rejection reasons of each pair's held hand-offs in the period (cohort rule).
    let mut rejected: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for (h, f) in ds.handoffs.iter().zip(&p.facts) {
        if f.outcome == Outcome::Held
            && f.decision == Decision::Rejected
            && h.handoff_at <= p.as_of
            && p.period.contains(local_date(h.handoff_at, p.tz))
        {
            rejected
                .entry((&*h.sdr_id, &*h.ae_id))
                .or_default()
                .push(&h.rejection_reason);
        }
    }
    let pairs = &p.metrics.current.pairs;
    let order = |id: &str, ae: bool| {
        let h = head(p, links, id, ae);
        (h.pod.clone(), h.name.clone(), h)
    };
    // Pairs by their two ids: a cell is looked up, not searched for among all pairs (with
    // 800 SDRs and 400 AEs the search made this page take 2.1 s).
    let mut by_ids: HashMap<(&str, &str), &crate::metrics::PairMetrics> = HashMap::new();
    for x in pairs {
        by_ids.entry((x.sdr.as_str(), x.ae.as_str())).or_insert(x);
    }
    let mut aes: Vec<(String, String, Head)> = Vec::new();
    let mut sdrs: Vec<(String, String, Head)> = Vec::new();
    let (mut seen_ae, mut seen_sdr) = (HashSet::new(), HashSet::new());
    for x in pairs {
        if seen_ae.insert(x.ae.as_str()) {
            aes.push(order(&x.ae, true));
        }
        if seen_sdr.insert(x.sdr.as_str()) {
            sdrs.push(order(&x.sdr, false));
        }
    }
    let by_pod_then_name = |a: &(String, String, Head), b: &(String, String, Head)| {
        (&a.0, &a.1, &a.2.id).cmp(&(&b.0, &b.1, &b.2.id))
    };
    aes.sort_by(by_pod_then_name);
    sdrs.sort_by(by_pod_then_name);
    let aes: Vec<Head> = aes.into_iter().map(|a| a.2).collect();
    let rows = sdrs
        .into_iter()
        .map(|(_, _, sdr)| {
            let cells = aes
                .iter()
                .map(|ae| {
                    let x = *by_ids.get(&(sdr.id.as_str(), ae.id.as_str()))?;
                    let c = &x.metrics.cohort;
                    let link = links.pair(&x.sdr, &x.ae);
                    let reasons = rejected
                        .get(&(x.sdr.as_str(), x.ae.as_str()))
                        .map(|v| v.iter().copied());
                    let (reasons, more_reasons) =
                        top_reasons(reasons.into_iter().flatten(), TOP_REASONS);
                    Some(Cell {
                        id: format!(
                            "cell-{}",
                            link.as_deref()
                                .and_then(|l| l.strip_prefix("pair/"))
                                .and_then(|l| l.strip_suffix(".html"))
                                .unwrap_or("pair")
                        ),
                        link,
                        handoffs: c.meetings_booked,
                        show_rate: cell_rate(k, "show_rate", &c.show_rate, min),
                        acceptance: cell_rate(k, "acceptance_rate", &c.acceptance_rate, min),
                        won: k.count("won", c.won),
                        reasons,
                        more_reasons,
                    })
                })
                .collect();
            (sdr, cells)
        })
        .collect();
    Matrix { aes, rows }
}

/// One table of the page: AEs `first` to `last` (counted from 1) of `of`, and the SDRs with a
/// cell among them.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub first: usize,
    pub last: usize,
    pub of: usize,
    pub matrix: Matrix,
}

/// The matrix cut into tables of at most `per` AEs each, in its order. An SDR with no cell in
/// a table's AEs is left out of that table (each SDR has a cell in at least one); a matrix of
/// `per` AEs or fewer is one table with every SDR.
pub fn parts(m: Matrix, per: usize) -> Vec<Part> {
    let of = m.aes.len();
    if of <= per {
        return vec![Part {
            first: 1,
            last: of,
            of,
            matrix: m,
        }];
    }
    let mut out = Vec::new();
    for (i, aes) in m.aes.chunks(per).enumerate() {
        let range = i * per..i * per + aes.len();
        let rows = m
            .rows
            .iter()
            .map(|(sdr, cells)| (sdr.clone(), cells[range.clone()].to_vec()))
            .filter(|(_, cells)| cells.iter().any(Option::is_some))
            .collect();
        out.push(Part {
            first: range.start + 1,
            last: range.end,
            of,
            matrix: Matrix {
                aes: aes.to_vec(),
                rows,
            },
        });
    }
    out
}

/// Writes `matrix.html`.
pub fn write(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    let mut ctx = Context::new();
    let m = matrix(p, links);
    ctx.insert("any", &!m.rows.is_empty());
    ctx.insert("parts", &parts(m, AES_PER_TABLE));
    ctx.insert("top_reasons", &TOP_REASONS);
    w.page(
        "matrix.html",
        "matrix.html",
        "SDR × AE matrix",
        "matrix",
        ctx,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(id: &str) -> Head {
        Head {
            id: id.into(),
            name: id.into(),
            pod: String::new(),
            link: String::new(),
        }
    }

    fn cell(id: &str) -> Option<Cell> {
        Some(Cell {
            id: id.into(),
            link: None,
            handoffs: 1,
            show_rate: CellRate {
                text: String::new(),
                small: true,
            },
            acceptance: CellRate {
                text: String::new(),
                small: true,
            },
            won: "0".into(),
            reasons: Vec::new(),
            more_reasons: 0,
        })
    }

    #[test]
    fn a_wide_matrix_is_cut_into_tables_of_at_most_so_many_aes() {
        // 5 AEs, 2 a table: AEs 1-2, 3-4, 5. s1 has cells with a1 and a5, s2 with a3 only: the
        // first table lists s1, the second s2, the third s1.
        let aes: Vec<Head> = ["a1", "a2", "a3", "a4", "a5"].map(head).to_vec();
        let rows = vec![
            (
                head("s1"),
                vec![cell("s1a1"), None, None, None, cell("s1a5")],
            ),
            (head("s2"), vec![None, None, cell("s2a3"), None, None]),
        ];
        let got = parts(Matrix { aes, rows }, 2);
        // (first, last, of, its AEs, its SDRs) of each table.
        type Shape<'a> = (usize, usize, usize, Vec<&'a str>, Vec<&'a str>);
        let shape: Vec<Shape> = got
            .iter()
            .map(|p| {
                (
                    p.first,
                    p.last,
                    p.of,
                    p.matrix.aes.iter().map(|a| a.id.as_str()).collect(),
                    p.matrix.rows.iter().map(|r| r.0.id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                (1, 2, 5, vec!["a1", "a2"], vec!["s1"]),
                (3, 4, 5, vec!["a3", "a4"], vec!["s2"]),
                (5, 5, 5, vec!["a5"], vec!["s1"]),
            ]
        );
        assert_eq!(
            got[2].matrix.rows[0].1[0].as_ref().map(|c| &*c.id),
            Some("s1a5")
        );
        // Few enough AEs: one table, every SDR, even one without a cell.
        let one = parts(
            Matrix {
                aes: vec![head("a1")],
                rows: vec![(head("s1"), vec![None])],
            },
            2,
        );
        assert_eq!((one.len(), one[0].matrix.rows.len()), (1, 1));
    }

    #[test]
    fn reasons_ranked_by_count_then_text_ignoring_case_and_spacing() {
        let (top, rest) = top_reasons(
            [
                "Poor fit",
                "poor  FIT",
                "No budget",
                "",
                "  ",
                "Timing",
                "No budget",
                "Wrong contact",
            ],
            3,
        );
        let got: Vec<(&str, u64)> = top.iter().map(|r| (r.text.as_str(), r.count)).collect();
        // Poor fit 2, No budget 2, no reason given 2, then Timing 1 and Wrong contact 1.
        assert_eq!(
            got,
            [("No budget", 2), ("Poor fit", 2), ("no reason given", 2)]
        );
        assert_eq!(rest, 2);
        assert_eq!(top_reasons([], 3), (Vec::new(), 0));
    }
}
