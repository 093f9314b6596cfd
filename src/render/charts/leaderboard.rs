//! Leaderboards: one horizontal bar per rep or pair, in the order given, with figures drawn
//! from small samples greyed, hatched and labelled `small sample`.

use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{self, Font, Rows};
use super::svg;
use super::text::Scale;
use super::{series_color, ChartMeta, ValueFormat, HATCH, MUTED, SMALL_SAMPLE_FILL, WIDTH};
use crate::error::Result;

/// A leaderboard; rows are drawn top to bottom as given (sort them before).
#[derive(Debug, Clone, PartialEq)]
pub struct Leaderboard {
    pub meta: ChartMeta,
    pub format: ValueFormat,
    pub rows: Vec<LeaderRow>,
}

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaderRow {
    pub label: String,
    /// `None` when the figure is undefined (no hand-offs): no bar, `n/a`.
    pub value: Option<f64>,
    /// The figure rests on fewer observations than the playbook's minimum.
    pub small_sample: bool,
}

/// What follows the value of a small-sample row.
pub(crate) const SMALL_SAMPLE_NOTE: &str = "small sample";

/// Draws the leaderboard with a value axis along the bottom.
pub fn leaderboard(input: &Leaderboard) -> Result<String> {
    let rows = Rows::STANDARD;
    let n = input.rows.len();
    let axis_h = 24;
    let height = (rows.bottom(n.max(2)) + axis_h + 4) as u32;
    svg::render(&input.meta, height, |area| {
        if n == 0 {
            return draw::no_data(area, height);
        }
        let plain = Font::LABEL;
        let small = Font::LABEL.italic(MUTED);
        let values = || {
            input
                .rows
                .iter()
                .filter_map(|r| r.value.filter(|v| v.is_finite()))
        };
        let lo = values().fold(0.0, f64::min);
        let hi = values().fold(0.0, f64::max);
        let scale = Scale::nice(lo, hi, 5, input.format == ValueFormat::Count);
        let ends: Vec<(String, Font)> = input
            .rows
            .iter()
            .map(|r| {
                let value = match r.value.filter(|v| v.is_finite()) {
                    Some(v) => input.format.value(v),
                    None => crate::format::NOT_AVAILABLE.to_string(),
                };
                if r.small_sample {
                    (format!("{value} · {SMALL_SAMPLE_NOTE}"), small)
                } else {
                    (value, plain)
                }
            })
            .collect();
        let widest_end = ends.iter().map(|(e, f)| f.width(e)).fold(0.0, f64::max);
        let x0 = rows.label_w;
        let x1 = WIDTH as i32 - 12 - 6 - widest_end.ceil() as i32;
        let bottom = rows.bottom(n);
        let tick = |t: f64| input.format.tick(t, scale.step);
        draw::x_axis(area, &scale, &tick, x0, x1, rows.top, bottom)?;
        let labels: Vec<&str> = input.rows.iter().map(|r| r.label.as_str()).collect();
        rows.labels(area, &labels, plain)?;
        let zero = scale.map(0.0, x0, x1);
        for (i, (row, (end, font))) in input.rows.iter().zip(&ends).enumerate() {
            let (y0, y1) = rows.bar_y(i);
            let x = match row.value.filter(|v| v.is_finite()) {
                Some(v) => scale.map(v, x0, x1),
                None => zero,
            };
            if x != zero {
                if row.small_sample {
                    draw::hatched(area, (zero, y0), (x, y1), SMALL_SAMPLE_FILL, HATCH)?;
                } else {
                    draw::bar(area, (zero, y0), (x, y1), series_color(0))?;
                }
            }
            // Values of negative bars are still written to the right of the zero line.
            let at = (x.max(zero) + 6, rows.mid(i));
            draw::label(area, end, at, *font, HPos::Left, VPos::Center)?;
        }
        Ok(())
    })
}
