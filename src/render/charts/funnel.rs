//! The hand-off funnel: one horizontal bar per stage, its count written at the bar's end.

use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{self, Font, Rows};
use super::svg;
use super::{series_color, ChartMeta, WIDTH};
use crate::error::Result;
use crate::format;

/// A funnel, stages in order (booked, held, accepted, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Funnel {
    pub meta: ChartMeta,
    pub stages: Vec<FunnelStage>,
}

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelStage {
    pub label: String,
    pub count: u64,
    /// Written after the count, as given (for example `70% of held`); the chart computes
    /// nothing.
    pub note: Option<String>,
}

/// Room kept at the right of the longest bar for its count and note.
const MAX_END_LABEL: f64 = 220.0;

/// Draws the funnel. Bars share one scale from zero to the largest count.
pub fn funnel(input: &Funnel) -> Result<String> {
    let rows = Rows::STANDARD;
    let n = input.stages.len();
    let height = (rows.bottom(n.max(2)) + 8) as u32;
    svg::render(&input.meta, height, |area| {
        if n == 0 {
            return draw::no_data(area, height);
        }
        let font = Font::LABEL;
        let ends: Vec<String> = input
            .stages
            .iter()
            .map(|s| {
                let count = format::int(s.count.into());
                let text = match &s.note {
                    Some(note) => format!("{count} · {note}"),
                    None => count,
                };
                font.fit(&text, MAX_END_LABEL)
            })
            .collect();
        let widest_end = ends.iter().map(|e| font.width(e)).fold(0.0, f64::max);
        let x0 = rows.label_w;
        let x_max = WIDTH as i32 - 12 - 6 - widest_end.ceil() as i32;
        let max = input.stages.iter().map(|s| s.count).max().unwrap_or(0);
        let labels: Vec<&str> = input.stages.iter().map(|s| s.label.as_str()).collect();
        rows.labels(area, &labels, font.bold())?;
        draw::line(
            area,
            vec![(x0, rows.top), (x0, rows.bottom(n))],
            super::GRID,
            1,
        )?;
        for (i, (stage, end)) in input.stages.iter().zip(&ends).enumerate() {
            let (y0, y1) = rows.bar_y(i);
            let x1 = if max == 0 {
                x0
            } else {
                x0 + ((x_max - x0) as f64 * stage.count as f64 / max as f64).round() as i32
            };
            if x1 > x0 {
                draw::bar(area, (x0, y0), (x1, y1), series_color(0))?;
            }
            draw::label(
                area,
                end,
                (x1 + 6, rows.mid(i)),
                font,
                HPos::Left,
                VPos::Center,
            )?;
        }
        Ok(())
    })
}
