//! Drawing helpers the chart kinds share: text, legends, hatched bars, value axes and the row
//! layout of horizontal bar charts.

use plotters::element::{Circle, PathElement, Polygon, Rectangle};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle, TextStyle};

use super::svg::{Area, Drawn};
use super::text::{self, Scale};
use super::{FONT_FAMILY, FONT_PX, GRID, INK, MUTED, SMALL_FONT_PX, WIDTH};

/// How a piece of text is set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Font {
    pub px: f64,
    pub color: RGBColor,
    pub bold: bool,
    pub italic: bool,
}

impl Font {
    pub const LABEL: Font = Font {
        px: FONT_PX,
        color: INK,
        bold: false,
        italic: false,
    };
    pub const TICK: Font = Font {
        px: SMALL_FONT_PX,
        color: MUTED,
        bold: false,
        italic: false,
    };

    pub fn bold(self) -> Font {
        Font { bold: true, ..self }
    }

    pub fn italic(self, color: RGBColor) -> Font {
        Font {
            italic: true,
            color,
            ..self
        }
    }

    /// `label` cut to fit `max_px` in this font.
    pub fn fit(&self, label: &str, max_px: f64) -> String {
        text::fit(label, max_px, self.px, self.bold)
    }

    /// Estimated width of `label` in this font.
    pub fn width(&self, label: &str) -> f64 {
        text::width(label, self.px, self.bold)
    }
}

/// Draws one line of text anchored at `at`. The text is cleaned again here, so nothing XML
/// forbids reaches the SVG whatever the caller passed.
pub(crate) fn label(area: &Area, s: &str, at: (i32, i32), font: Font, h: HPos, v: VPos) -> Drawn {
    let style = if font.bold {
        FontStyle::Bold
    } else if font.italic {
        FontStyle::Italic
    } else {
        FontStyle::Normal
    };
    // plotters writes font-size = size / 1.24.
    let desc = FontDesc::new(FontFamily::from(FONT_FAMILY), font.px * 1.24, style);
    let style = TextStyle {
        font: desc,
        color: font.color.to_backend_color(),
        pos: Pos::new(h, v),
    };
    area.draw_text(&text::clean(s), &style, at)?;
    Ok(())
}

/// A filled rectangle between two corners.
pub(crate) fn bar(area: &Area, a: (i32, i32), b: (i32, i32), fill: RGBColor) -> Drawn {
    area.draw(&Rectangle::new([a, b], fill.filled()))?;
    Ok(())
}

/// A rectangle filled with `fill` and hatched with diagonal `hatch` lines, for figures drawn
/// from too few observations to trust.
pub(crate) fn hatched(
    area: &Area,
    a: (i32, i32),
    b: (i32, i32),
    fill: RGBColor,
    hatch: RGBColor,
) -> Drawn {
    bar(area, a, b, fill)?;
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    let h = y1 - y0;
    let style = ShapeStyle::from(hatch).stroke_width(1);
    // Lines rising to the right, 6 px apart, clipped to the rectangle.
    let mut t = x0 - h;
    while t < x1 {
        let u0 = (x0 - t).max(0);
        let u1 = (x1 - t).min(h);
        if u1 > u0 {
            let from = (t + u0, y1 - u0);
            let to = (t + u1, y1 - u1);
            area.draw(&PathElement::new(vec![from, to], style))?;
        }
        t += 6;
    }
    area.draw(&Rectangle::new(
        [a, b],
        ShapeStyle::from(hatch).stroke_width(1),
    ))?;
    Ok(())
}

/// A straight line.
pub(crate) fn line(area: &Area, points: Vec<(i32, i32)>, color: RGBColor, width: u32) -> Drawn {
    area.draw(&PathElement::new(
        points,
        ShapeStyle::from(color).stroke_width(width),
    ))?;
    Ok(())
}

/// A dashed horizontal line from `x0` to `x1` at `y`.
pub(crate) fn dashed(area: &Area, x0: i32, x1: i32, y: i32, color: RGBColor) -> Drawn {
    let mut x = x0;
    while x < x1 {
        line(area, vec![(x, y), ((x + 6).min(x1), y)], color, 2)?;
        x += 10;
    }
    Ok(())
}

/// Point markers, one shape per series so series differ by more than colour.
pub(crate) fn marker(area: &Area, kind: usize, (x, y): (i32, i32), color: RGBColor) -> Drawn {
    let style = color.filled();
    match kind % 4 {
        0 => area.draw(&Circle::new((x, y), 4, style))?,
        1 => area.draw(&Rectangle::new([(x - 4, y - 4), (x + 4, y + 4)], style))?,
        2 => area.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)],
            style,
        ))?,
        _ => area.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)],
            style,
        ))?,
    }
    Ok(())
}

/// What a legend entry shows beside its name.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    Box(RGBColor),
    /// A line with the series' marker.
    Line(RGBColor, usize),
    /// A dashed line, for a benchmark.
    Dashed(RGBColor),
}

/// Height of one legend line.
pub(crate) const LEGEND_LINE: i32 = 20;

/// Where each legend entry goes when the legend starts at `(x0, y0)`: entries left to right,
/// wrapping to a new line at the chart's right edge; also the names cut to fit one line (a
/// benchmark's sentence needs most of it).
fn legend_layout(names: &[&str], x0: i32, y0: i32) -> Vec<(String, i32, i32)> {
    let font = Font::LABEL;
    let right = WIDTH as i32 - 12;
    let (mut x, mut y) = (x0, y0);
    let mut placed = Vec::with_capacity(names.len());
    for name in names {
        let name = font.fit(name, f64::from(right - x0 - 26));
        let w = 26 + font.width(&name).ceil() as i32;
        if x > x0 && x + w > right {
            x = x0;
            y += LEGEND_LINE;
        }
        placed.push((name, x, y));
        x += w + 16;
    }
    placed
}

/// Height of the legend of `names` starting at `x0`.
pub(crate) fn legend_height(names: &[&str], x0: i32) -> i32 {
    legend_layout(names, x0, 0)
        .last()
        .map_or(0, |(_, _, y)| y + LEGEND_LINE)
}

/// Draws a legend from `(x0, y0)` across the chart (see [`legend_height`]).
pub(crate) fn legend(area: &Area, items: &[(String, Swatch)], x0: i32, y0: i32) -> Drawn {
    let names: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
    for ((name, x, y), (_, swatch)) in legend_layout(&names, x0, y0).into_iter().zip(items) {
        let mid = y + LEGEND_LINE / 2;
        match *swatch {
            Swatch::Box(c) => bar(area, (x, mid - 6), (x + 12, mid + 6), c)?,
            Swatch::Line(c, kind) => {
                line(area, vec![(x - 2, mid), (x + 14, mid)], c, 2)?;
                marker(area, kind, (x + 6, mid), c)?;
            }
            Swatch::Dashed(c) => dashed(area, x - 2, x + 14, mid, c)?,
        }
        label(
            area,
            &name,
            (x + 18, mid),
            Font::LABEL,
            HPos::Left,
            VPos::Center,
        )?;
    }
    Ok(())
}

/// A value axis along the bottom of horizontal bars: gridlines from `top` to `bottom` at each
/// tick between pixels `x0` and `x1`, tick labels under `bottom`. Labels that would touch
/// their neighbour are thinned to every other one.
pub(crate) fn x_axis(
    area: &Area,
    scale: &Scale,
    tick: &dyn Fn(f64) -> String,
    x0: i32,
    x1: i32,
    top: i32,
    bottom: i32,
) -> Drawn {
    let ticks = scale.ticks();
    let labels: Vec<String> = ticks.iter().map(|t| tick(*t)).collect();
    let widest = labels
        .iter()
        .map(|l| Font::TICK.width(l))
        .fold(0.0, f64::max);
    let spacing = (x1 - x0) as f64 / (ticks.len().max(2) - 1) as f64;
    let every = if widest + 8.0 > spacing { 2 } else { 1 };
    for (i, (t, l)) in ticks.iter().zip(&labels).enumerate() {
        let x = scale.map(*t, x0, x1);
        line(area, vec![(x, top), (x, bottom)], GRID, 1)?;
        if i % every == 0 {
            label(
                area,
                l,
                (x, bottom + 4),
                Font::TICK,
                HPos::Center,
                VPos::Top,
            )?;
        }
    }
    Ok(())
}

/// A value axis at the left of vertical bars or lines: gridlines from `x0` to `x1` at each
/// tick between pixels `bottom` and `top`, tick labels right-aligned before `x0`.
pub(crate) fn y_axis(
    area: &Area,
    scale: &Scale,
    tick: &dyn Fn(f64) -> String,
    x0: i32,
    x1: i32,
    bottom: i32,
    top: i32,
) -> Drawn {
    for t in scale.ticks() {
        let y = scale.map(t, bottom, top);
        line(area, vec![(x0, y), (x1, y)], GRID, 1)?;
        label(
            area,
            &tick(t),
            (x0 - 6, y),
            Font::TICK,
            HPos::Right,
            VPos::Center,
        )?;
    }
    Ok(())
}

/// Rows of a horizontal bar chart: a label column, then bars.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rows {
    /// Top of the first row.
    pub top: i32,
    pub row_h: i32,
    pub bar_h: i32,
    /// Width of the label column; bars start at its right edge.
    pub label_w: i32,
}

impl Rows {
    pub const STANDARD: Rows = Rows {
        top: 8,
        row_h: 30,
        bar_h: 20,
        label_w: 170,
    };

    /// Top and bottom of the bar of row `i`.
    pub fn bar_y(&self, i: usize) -> (i32, i32) {
        let y0 = self.top + i as i32 * self.row_h + (self.row_h - self.bar_h) / 2;
        (y0, y0 + self.bar_h)
    }

    /// Vertical middle of row `i`.
    pub fn mid(&self, i: usize) -> i32 {
        self.top + i as i32 * self.row_h + self.row_h / 2
    }

    /// Bottom of `n` rows.
    pub fn bottom(&self, n: usize) -> i32 {
        self.top + n as i32 * self.row_h
    }

    /// Draws each row's label, right-aligned in the label column and cut to fit it.
    pub fn labels(&self, area: &Area, labels: &[&str], font: Font) -> Drawn {
        for (i, l) in labels.iter().enumerate() {
            let fitted = font.fit(l, (self.label_w - 16) as f64);
            label(
                area,
                &fitted,
                (self.label_w - 8, self.mid(i)),
                font,
                HPos::Right,
                VPos::Center,
            )?;
        }
        Ok(())
    }
}

/// The message a chart shows when it has nothing to draw.
pub(crate) fn no_data(area: &Area, height: u32) -> Drawn {
    let at = (WIDTH as i32 / 2, height as i32 / 2);
    label(
        area,
        "No data for this period",
        at,
        Font::TICK,
        HPos::Center,
        VPos::Center,
    )
}
