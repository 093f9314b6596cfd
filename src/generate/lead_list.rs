//! `leads.csv` of the generated project: the leads of each SDR's prospect book
//! ([`Book`]), written once the day loop is over.

use super::activity::Book;
use super::clock;
use super::csv_out::CsvOut;
use super::leads::push_lead;
use super::rng::Rng;
use super::team::Team;
use super::{GenOptions, Window};
use crate::error::Error;

/// The columns of `leads.csv`.
pub const LEAD_HEADER: [&str; 5] = [
    "lead_id",
    "sdr_id",
    "created_at",
    "first_touch_at",
    "disqualified_reason",
];

/// Why an SDR disqualifies a lead after working it.
const DISQUALIFICATIONS: [&str; 4] = [
    "No budget",
    "Wrong persona",
    "Not interested",
    "Bad contact data",
];

/// Writes `leads.csv`: every lead of every SDR's book created in the window, in book order,
/// with its first logged touch (empty while none by the window's end) and, for about a
/// quarter of the touched leads that were not handed off, the reason they were
/// disqualified. Returns (rows, bytes).
pub fn write_leads(
    opts: &GenOptions,
    team: &Team,
    w: &Window,
    books: &[Book],
    path: &std::path::Path,
) -> Result<(u64, u64), Error> {
    let mut out = CsvOut::create(path, &LEAD_HEADER)?;
    let mut rng = Rng::new(opts.seed, 7);
    let end = w.end_moment();
    for (s, book) in books.iter().enumerate() {
        let sdr = team.sdrs[s].id.as_bytes();
        for (k, l) in book.leads.iter().enumerate() {
            if l.created == i64::MIN || l.created > end {
                continue;
            }
            out.with(|b| push_lead(b, book.base + k as u64 * book.stride));
            out.raw(sdr);
            out.with(|b| clock::push_timestamp(b, l.created));
            let touched = l.first_touch <= end;
            if touched {
                out.with(|b| clock::push_timestamp(b, l.first_touch));
            } else {
                out.empty();
            }
            if touched && !l.handed_off && rng.chance(0.25) {
                out.raw(rng.pick(&DISQUALIFICATIONS).as_bytes());
            } else {
                out.empty();
            }
            out.end_row()?;
        }
    }
    out.finish()
}
