//! The report pages, one file per family: the dashboard, the people lists and rep pages,
//! pods, pairs with their 1:1 agendas, segments, the hand-offs table and the review packet. Each builds
//! what its template receives from the computed figures; none computes a figure.

mod common;
mod dashboard;
mod handoffs;
mod pairs;
mod people;
mod pods;
mod review;
mod segments;

use super::links::{Links, List};
use super::rows::Cohort;
use super::selections::Selection;
use super::site::Writer;
use crate::error::Error;
use crate::prepared::Prepared;

/// Writes every report page.
/// `cohort` is the hand-offs table's order ([`super::rows::cohort_order`]), the one `links` has;
/// `selections` the filtered views ([`super::selections::selections`]).
pub fn write_all(
    p: &Prepared,
    links: &Links,
    cohort: Vec<usize>,
    selections: &[Selection],
    w: &mut Writer,
) -> Result<(), Error> {
    use crate::timings::time;
    let threads = super::site::render_threads();
    let cohort = time("render cohort rows", || {
        Cohort::new(p, links, cohort, w.rows, threads)
    })?;
    time("render dashboard", || {
        dashboard::dashboard(p, links, selections, w)
    })?;
    time("render sdr pages", || {
        people::people(p, links, &cohort, w, List::Sdrs)
    })?;
    time("render ae pages", || {
        people::people(p, links, &cohort, w, List::Aes)
    })?;
    time("render pod pages", || pods::pods(p, links, w))?;
    time("render pair pages", || pairs::pairs(p, links, &cohort, w))?;
    time("render segment pages", || segments::segments(p, links, w))?;
    time("render handoffs page", || {
        handoffs::handoffs(p, links, &cohort, selections, w)
    })?;
    time("render handoff views", || {
        handoffs::views(p, &cohort, selections, w)
    })?;
    // The last page that lists hand-offs: free its rows before the comp page, the largest.
    drop(cohort);
    time("render review", || review::review(p, links, selections, w))
}
