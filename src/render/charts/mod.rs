//! The site's charts: plotters draws each one as an SVG string at build time.
//!
//! One file per chart kind, each a pure function from a small input struct to an SVG string:
//! [`funnel()`], [`rate_bars()`], [`trend()`], [`leaderboard()`], [`stacked()`]. They share the
//! size, font and palette constants below, the canvas and accessibility wrapper of `svg.rs`
//! and the drawing helpers of `draw.rs`.
//!
//! Every chart:
//! - carries `role="img"`, a `<title>` and a `<desc>` (referenced by `aria-labelledby`) and a
//!   `viewBox`, so it scales to its box and screen readers can name and describe it;
//! - writes untrusted text (rep names, labels) escaped: plotters' SVG backend escapes `<`, `>`,
//!   `&`, `"` and `'` in text and attributes (tested below), and characters XML forbids are
//!   replaced before drawing;
//! - truncates long labels with an ellipsis to the room they have, measured with a
//!   conservative estimate of glyph widths (`text.rs`), so labels never overlap;
//! - is deterministic: the same input gives the same bytes.
//!
//! Charts draw figures the metrics computed; they never compute a rate themselves.

mod draw;
mod funnel;
mod leaderboard;
mod rate_bars;
mod stacked;
mod svg;
mod text;
mod trend;

pub use funnel::{funnel, Funnel, FunnelStage};
pub use leaderboard::{leaderboard, LeaderRow, Leaderboard};
pub use rate_bars::{rate_bars, RateBar, RateBars, RateGroup};
pub use stacked::{stacked, Stacked, StackedRow};
pub use trend::{trend, Trend, TrendMarker, TrendSeries};

use plotters::style::RGBColor;

/// Width of every chart, in SVG user units (pixels at 100%).
pub const WIDTH: u32 = 720;
/// The font family written into the SVG; the reader's default sans-serif.
pub const FONT_FAMILY: &str = "sans-serif";
/// Size of labels and values, in pixels (a size whose plotters size, ×1.24, divides back
/// exactly, so the SVG says `font-size="14"`).
pub const FONT_PX: f64 = 14.0;
/// Size of axis ticks and notes, in pixels.
pub const SMALL_FONT_PX: f64 = 12.0;

/// The Okabe-Ito palette, distinguishable with the common colour-vision deficiencies, in the
/// order series take it (yellow last: it has the least contrast on white).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xF0, 0xE4, 0x42), // yellow
    RGBColor(0x00, 0x00, 0x00), // black
];
/// Text colour (15:1 on white).
pub const INK: RGBColor = RGBColor(0x1B, 0x1F, 0x24);
/// Secondary text: ticks, notes, small samples (6.2:1 on white).
pub const MUTED: RGBColor = RGBColor(0x57, 0x60, 0x6A);
/// Gridlines and axes.
pub const GRID: RGBColor = RGBColor(0xD0, 0xD7, 0xDE);
/// Fill of a bar drawn from a small sample (with [`HATCH`] lines over it).
pub const SMALL_SAMPLE_FILL: RGBColor = RGBColor(0xD8, 0xDC, 0xE0);
/// Hatching over small-sample bars.
pub const HATCH: RGBColor = RGBColor(0x8C, 0x95, 0x9F);

/// The colour of series `i`, cycling through [`PALETTE`].
pub fn series_color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// What every chart says about itself, for screen readers and for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartMeta {
    /// Unique on its page; characters other than ASCII letters, digits, `-` and `_` are
    /// replaced, and the SVG's ids are `<id>-title` and `<id>-desc`.
    pub id: String,
    /// A short name, like the figure caption.
    pub title: String,
    /// A sentence or two telling what the chart shows, for readers who cannot see it.
    pub description: String,
}

/// A reference value drawn across a chart as a dashed line, named in the legend (for
/// example the playbook's 40% show-rate benchmark).
#[derive(Debug, Clone, PartialEq)]
pub struct Benchmark {
    /// As the legend shows it, for example `Playbook benchmark (40%)`.
    pub label: String,
    /// On the chart's scale (a fraction for rates).
    pub value: f64,
    /// Drawn over this group only (the bar the reference is for); `None`: across the chart.
    pub group: Option<usize>,
}

/// How a value axis and the values at bar ends are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFormat {
    /// A fraction written as a percentage (`0.42` → `42%`).
    Percent,
    /// A count, with thousands separators.
    Count,
    /// Hours with one decimal.
    Hours,
}

impl ValueFormat {
    /// A value at a bar's end.
    pub fn value(self, v: f64) -> String {
        use crate::format;
        match self {
            ValueFormat::Percent => format::pct(Some(v), 0),
            ValueFormat::Count => format::num(Some(v), 0),
            ValueFormat::Hours => format::hours(Some(v)),
        }
    }

    /// A tick of an axis whose ticks are `step` apart.
    pub fn tick(self, v: f64, step: f64) -> String {
        use crate::format;
        match self {
            ValueFormat::Percent => format::pct(Some(v), if step < 0.01 { 1 } else { 0 }),
            ValueFormat::Count => format::num(Some(v), if step < 1.0 { 1 } else { 0 }),
            ValueFormat::Hours => {
                format!("{} h", format::num(Some(v), if step < 1.0 { 1 } else { 0 }))
            }
        }
    }
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
