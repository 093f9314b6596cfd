//! Markdown pages of the human playbook: `playbook/**/*.md` with YAML front matter.
//!
//! Raw HTML in a page is escaped and shown as text, never passed through, and links whose
//! scheme is not http, https, mailto or a relative path are dropped to their text: the
//! playbook is written by people, but published to the whole company (docs/security.md).

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

use crate::error::Diagnostic;
use crate::playbook::Page;

const MAX_PAGE_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    slug: Option<String>,
    weight: i64,
}

/// Turns any text into a safe file stem: lowercase ASCII letters, digits and single dashes.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "page".to_string()
    } else {
        out
    }
}

/// Splits `---` front matter from the body. Returns (front matter, body, body's first line).
fn split_front_matter(text: &str) -> (Option<&str>, &str, u64) {
    let rest = match text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    {
        Some(r) => r,
        None => return (None, text, 1),
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let fm = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let lines = 2 + fm.lines().count() as u64;
            return (Some(fm), body, lines + 1);
        }
        offset += line.len();
    }
    (None, text, 1)
}

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        // A colon before any slash, ? or # is a scheme.
        Some(i) if !lower[..i].contains(['/', '?', '#']) => {
            matches!(&lower[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Renders Markdown to HTML with raw HTML escaped and unsafe links neutralised.
pub fn render_markdown(body: &str) -> String {
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    // One entry per open link or image: whether its start tag was dropped.
    let mut open: Vec<bool> = Vec::new();
    let events = parser.filter_map(|ev| match ev {
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::Link { ref dest_url, .. })
        | Event::Start(Tag::Image { ref dest_url, .. }) => {
            let safe = safe_url(dest_url);
            open.push(!safe);
            safe.then_some(ev)
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            let dropped = open.pop().unwrap_or(false);
            (!dropped).then_some(ev)
        }
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Reads every Markdown page under `dir`, never following links out of it.
pub fn load(dir: &Path, prefix: &str, diags: &mut Vec<Diagnostic>) -> Vec<Page> {
    let mut pages = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(
                    prefix.trim_end_matches('/'),
                    format!("cannot list: {e}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        // A link is read like the file it names when it stays inside the folder, and refused
        // with an error when it leads out of it or nowhere (`read_text`), never skipped unseen.
        let link = entry.file_type().is_symlink() && !path.metadata().is_ok_and(|m| m.is_dir());
        if !(entry.file_type().is_file() || link) || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = path.strip_prefix(dir).unwrap_or(path);
        let display = format!("{prefix}{}", rel.to_string_lossy().replace('\\', "/"));
        let text = match super::read_text(path, &display, MAX_PAGE_BYTES) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let (fm, body, _) = split_front_matter(&text);
        let depth = super::yaml_depth::MAX_DEPTH;
        if let Some(line) = fm.and_then(|fm| super::yaml_depth::too_deep(fm, depth)) {
            // Line 1 is the opening `---`.
            diags.push(
                Diagnostic::error(
                    display.clone(),
                    format!("front matter: {}", super::playbook::too_deep_message()),
                )
                .at(line + 1, None),
            );
            continue;
        }
        let front: FrontMatter = match fm.map(serde_yaml::from_str::<FrontMatter>) {
            None => FrontMatter::default(),
            Some(Ok(f)) => f,
            Some(Err(e)) => {
                let mut d = Diagnostic::error(
                    display.clone(),
                    format!("front matter: {}", super::playbook::yaml_message(&e)),
                );
                if let Some(l) = e.location() {
                    // Line 1 is the opening `---`.
                    d = d.at(l.line() as u64 + 1, Some(l.column() as u64));
                }
                diags.push(d);
                continue;
            }
        };
        let stem = rel
            .with_extension("")
            .to_string_lossy()
            .replace(['/', '\\'], "-");
        let title = front.title.clone().unwrap_or_else(|| {
            body.lines()
                .find_map(|l| l.strip_prefix("# "))
                .map(str::to_string)
                .unwrap_or_else(|| stem.clone())
        });
        let slug = slugify(front.slug.as_deref().unwrap_or(&stem));
        if let Some(other) = pages.iter().find(|p: &&Page| p.slug == slug) {
            diags.push(Diagnostic::error(
                display.clone(),
                format!("page slug `{slug}` is already used by {}", other.source),
            ));
            continue;
        }
        pages.push(Page {
            title,
            slug,
            weight: front.weight,
            html: render_markdown(body),
            source: display,
        });
    }
    pages.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.slug.cmp(&b.slug)));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_cannot_escape() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Warm Hand-off Protocol"), "warm-hand-off-protocol");
        assert_eq!(slugify("///"), "page");
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = render_markdown("Hi <script>alert(1)</script>\n\n<div onclick=x>y</div>\n");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<div"), "{html}");
    }

    #[test]
    fn javascript_links_are_dropped() {
        let html =
            render_markdown("[click](javascript:alert(1)) [ok](https://x.test) [rel](a.html)");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("href=\"https://x.test\""), "{html}");
        assert!(html.contains("href=\"a.html\""), "{html}");
    }

    #[test]
    fn front_matter_is_split() {
        let (fm, body, _) = split_front_matter("---\ntitle: A\n---\n# Body\n");
        assert_eq!(fm, Some("title: A\n"));
        assert_eq!(body, "# Body\n");
    }
}
