//! The canvas every chart draws on, and what Baton adds to plotters' SVG so that a chart is
//! accessible and scales: `role="img"`, `aria-labelledby`, `<title>` and `<desc>`.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend, WHITE};

use super::{text, ChartMeta, WIDTH};
use crate::error::{Error, Result};

/// The area a chart draws on, in pixels from the top left corner.
pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// What a drawing step returns; plotters' errors are boxed and reported with the chart's id.
pub(crate) type Drawn = std::result::Result<(), Box<dyn std::error::Error>>;

/// Draws a chart [`WIDTH`] wide and `height` high on a white canvas and returns its SVG,
/// wrapped by [`finish`].
pub(crate) fn render(
    meta: &ChartMeta,
    height: u32,
    draw: impl FnOnce(&Area) -> Drawn,
) -> Result<String> {
    let mut buf = String::new();
    let drawn = (|| -> Drawn {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
        Ok(())
    })();
    drawn.map_err(|e| Error::Other(format!("chart `{}`: {e}", meta.id)))?;
    finish(&buf, meta)
}

/// Adds the accessibility attributes and elements to the SVG plotters wrote.
pub(crate) fn finish(svg: &str, meta: &ChartMeta) -> Result<String> {
    let unexpected = || Error::Other(format!("chart `{}`: unexpected SVG from plotters", meta.id));
    let open = svg.strip_prefix("<svg ").ok_or_else(unexpected)?;
    let (attributes, body) = open.split_once(">\n").ok_or_else(unexpected)?;
    if !attributes.contains("viewBox=") {
        return Err(unexpected());
    }
    let id = element_id(&meta.id);
    Ok(format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" {attributes}>\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n{body}",
        escape(&text::clean(&meta.title)),
        escape(&text::clean(&meta.description)),
    ))
}

/// `id` reduced to ASCII letters, digits, `-` and `_` (others become `-`); `chart` if empty.
pub(crate) fn element_id(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "chart".to_string()
    } else {
        cleaned
    }
}

/// Escapes text for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
