//! The canvas every chart draws on, and what Baton adds to plotters' SVG so that a chart is
//! accessible and scales: `role="img"`, `aria-labelledby`, `<title>` and `<desc>`.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend, WHITE};

use super::{text, ChartMeta, GRID, HATCH, INK, MUTED, PALETTE, SMALL_SAMPLE_FILL, WIDTH};
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
    let body = themed(body);
    Ok(format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" {attributes}>\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n{body}",
        escape(&text::clean(&meta.title)),
        escape(&text::clean(&meta.description)),
    ))
}

/// The role of each colour Baton draws with, as the class names [`themed`] gives it: the
/// stylesheet colours each role from the page's theme, so a chart follows light and dark mode.
/// A reader without the stylesheet (a mail client) keeps the colours written in the SVG.
fn colour_role(hex: &str) -> Option<String> {
    let named = [
        ((255, 255, 255), "bg"),
        ((INK.0, INK.1, INK.2), "ink"),
        ((MUTED.0, MUTED.1, MUTED.2), "muted"),
        ((GRID.0, GRID.1, GRID.2), "grid"),
        (
            (
                SMALL_SAMPLE_FILL.0,
                SMALL_SAMPLE_FILL.1,
                SMALL_SAMPLE_FILL.2,
            ),
            "small",
        ),
        ((HATCH.0, HATCH.1, HATCH.2), "hatch"),
    ];
    let rgb = |(r, g, b): (u8, u8, u8)| format!("#{r:02X}{g:02X}{b:02X}");
    if let Some((_, role)) = named.iter().find(|(c, _)| rgb(*c) == hex) {
        return Some((*role).to_string());
    }
    PALETTE
        .iter()
        .position(|c| rgb((c.0, c.1, c.2)) == hex)
        .map(|i| format!("s{i}"))
}

/// Gives every element drawn in one of Baton's colours a class per painted colour: `cf-<role>`
/// for its fill and `cs-<role>` for its stroke (roles from [`colour_role`]). plotters writes
/// no class of its own, and text content never holds `fill="`: `<`, `>` and `"` in text are
/// escaped.
fn themed(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 8);
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..=start + len];
        rest = &rest[start + len + 1..];
        let mut classes = Vec::new();
        for (attribute, prefix) in [(" fill=\"", "cf-"), (" stroke=\"", "cs-")] {
            let role = tag
                .find(attribute)
                .map(|at| &tag[at + attribute.len()..])
                .and_then(|value| value.split('"').next())
                .and_then(colour_role);
            if let Some(role) = role {
                classes.push(format!("{prefix}{role}"));
            }
        }
        match tag.find(|c: char| c.is_whitespace()) {
            Some(name_end) if !classes.is_empty() && !tag.contains(" class=") => {
                out.push_str(&tag[..name_end]);
                out.push_str(&format!(" class=\"{}\"", classes.join(" ")));
                out.push_str(&tag[name_end..]);
            }
            _ => out.push_str(tag),
        }
    }
    out.push_str(rest);
    out
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
