//! Checks shared by the chart tests: XML well-formedness, text boxes and their overlaps.
//!
//! Set `BATON_DUMP_CHARTS=<dir>` to also write each checked chart there, to look at them.

use super::text::width;
use super::WIDTH;

pub(super) fn dump(name: &str, svg: &str) {
    if let Some(dir) = std::env::var_os("BATON_DUMP_CHARTS") {
        let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.svg")), svg);
    }
}

/// Checks that `svg` is well-formed XML as plotters and Baton write it: balanced tags, quoted
/// attributes without `<`, only the five XML entities or numeric ones, one root element.
pub(super) fn assert_well_formed(svg: &str) {
    fn check_entities(text: &str, svg: &str) {
        let mut rest = text;
        while let Some(i) = rest.find('&') {
            let after = &rest[i + 1..];
            let end = after
                .find(';')
                .unwrap_or_else(|| panic!("bare & in {text:?}\n{svg}"));
            let name = &after[..end];
            let known = ["lt", "gt", "amp", "quot", "apos"].contains(&name)
                || (name.starts_with('#') && name.len() > 1);
            assert!(known, "unknown entity &{name}; in {svg}");
            rest = &after[end + 1..];
        }
    }
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        assert!(!text.contains('>'), "raw > in text {text:?}");
        check_entities(text, svg);
        let close = rest[open..].find('>').expect("tag closes") + open;
        let tag = &rest[open + 1..close];
        assert!(
            !tag.starts_with('!') && !tag.starts_with('?'),
            "unexpected <{tag}>"
        );
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "mismatched </{name}>"
            );
        } else {
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name = body.split_whitespace().next().expect("tag name");
            // Attributes: name="value" pairs, values free of `<` and of `"`.
            let mut attrs = body[name.len()..].trim();
            let mut seen = Vec::new();
            while !attrs.is_empty() {
                let (key, after) = attrs.split_once("=\"").expect("attribute name=\"value\"");
                let (value, after) = after.split_once('"').expect("closing quote");
                assert!(!value.contains('<'), "< in attribute {key}");
                check_entities(value, svg);
                assert!(!seen.contains(&key.trim()), "attribute {key} twice");
                seen.push(key.trim());
                attrs = after.trim_start();
            }
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name.to_string());
            }
        }
        rest = &rest[close + 1..];
    }
    assert!(rest.trim().is_empty(), "text after the root: {rest:?}");
    assert!(stack.is_empty(), "unclosed {stack:?}");
    assert_eq!(roots, 1, "one root element");
}

/// A `<text>` element: its content (entities decoded) and estimated box.
#[derive(Debug)]
pub(super) struct TextBox {
    pub content: String,
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

pub(super) fn attr(tag: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let start = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
    tag[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

pub(super) fn text_boxes(svg: &str) -> Vec<TextBox> {
    let mut boxes = Vec::new();
    for piece in svg.split("<text ").skip(1) {
        let (tag, after) = piece.split_once('>').expect("text tag");
        let tag = &format!(" {tag}");
        let content = after.split("</text>").next().unwrap_or_default().trim();
        let content = content
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        let num = |n: &str| attr(tag, n).parse::<f64>().expect("number");
        let (x, y, size) = (num("x"), num("y"), num("font-size"));
        let w = width(&content, size, tag.contains("font-weight=\"bold\""));
        let (x0, x1) = match attr(tag, "text-anchor").as_str() {
            "start" => (x, x + w),
            "end" => (x - w, x),
            _ => (x - w / 2.0, x + w / 2.0),
        };
        let (y0, y1) = match attr(tag, "dy").as_str() {
            "0.76em" => (y, y + size),
            "-0.5ex" => (y - size, y),
            _ => (y - size / 2.0, y + size / 2.0),
        };
        boxes.push(TextBox {
            content,
            x0,
            x1,
            y0,
            y1,
        });
    }
    boxes
}

/// Every promise every chart keeps.
pub(super) fn assert_chart(name: &str, svg: &str, render_again: &str) {
    dump(name, svg);
    assert_well_formed(svg);
    assert_eq!(svg, render_again, "deterministic");
    assert!(svg.starts_with(&format!(
        "<svg role=\"img\" aria-labelledby=\"{name}-title {name}-desc\" "
    )));
    assert!(svg.contains(&format!(
        "<title id=\"{name}-title\">Title of {name} &lt;b&gt;</title>"
    )));
    assert!(svg.contains(&format!(
        "<desc id=\"{name}-desc\">What it shows &amp; why</desc>"
    )));
    let height = attr(svg, "height");
    assert!(svg.contains(&format!(" viewBox=\"0 0 {WIDTH} {height}\"")));
    assert!(!svg.contains("<script"), "no raw script element");
    assert_themed(svg);
    let height: f64 = height.parse().expect("height");
    let boxes = text_boxes(svg);
    for b in &boxes {
        assert!(
            b.x0 >= 0.0 && b.x1 <= WIDTH as f64,
            "{b:?} inside the width"
        );
        assert!(b.y0 >= 0.0 && b.y1 <= height, "{b:?} inside the height");
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
            assert!(!overlap, "labels overlap in {name}: {a:?} and {b:?}");
        }
    }
}

/// Every colour painted in the chart carries its theme class, so no part of a chart keeps a
/// light-mode colour in dark mode: a fill in `cf-<role>`, a stroke in `cs-<role>`.
pub(super) fn assert_themed(svg: &str) {
    let mut painted = 0;
    let get = |tag: &str, name: &str| {
        let key = format!(" {name}=\"");
        tag.find(&key)
            .map(|at| {
                tag[at + key.len()..]
                    .split('"')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .unwrap_or_default()
    };
    for tag in svg
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or(""))
    {
        let class = get(tag, "class");
        for (name, prefix) in [("fill", "cf-"), ("stroke", "cs-")] {
            let value = get(tag, name);
            if value.starts_with('#') {
                painted += 1;
                assert!(
                    class.split(' ').any(|c| c.starts_with(prefix)),
                    "{name} {value} without a {prefix} class in <{tag}>"
                );
            }
        }
    }
    assert!(painted > 0, "the chart paints something");
}

pub(super) fn has_text(svg: &str, content: &str) -> bool {
    text_boxes(svg).iter().any(|b| b.content == content)
}
