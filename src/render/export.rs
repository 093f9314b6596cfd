//! Single-file export of any built page (`baton export PAGE -o FILE`): the page with its
//! stylesheet inlined as a `<style>` block (dark mode and print rules included), its script
//! (the table sorter of the hand-off pages) inlined as a `<script>` block, and its charts
//! already inline SVG, so the file can be mailed or attached and opened anywhere.
//!
//! It works on the built site, not the project: the page is read from the output folder as
//! Baton wrote it. A page that needs a file it cannot inline (an image, a stylesheet that
//! itself loads something) is refused rather than exported half self-contained. Links to
//! other pages stay relative unless a base URL makes them absolute.

use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The built site's folder (`output/`).
    pub site: PathBuf,
    /// The page, relative to the site's folder: `index.html`, `sdr/s01.html`.
    pub page: String,
    /// The file to write.
    pub out: PathBuf,
    /// When set, links to other pages become `<base_url>/<path>`.
    pub base_url: Option<String>,
}

/// The normalized path of `href` (as written in `page`) relative to the site root, or `None`
/// when it is not a link into the site (an anchor, an absolute URL, a data URI).
fn resolve(page: &str, href: &str) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    if href.is_empty()
        || href.starts_with('#')
        || ["http:", "https:", "mailto:", "data:", "tel:"]
            .iter()
            .any(|s| lower.starts_with(s))
    {
        return None;
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Attribute values of `attr` (e.g. `href`) in `html`, with their byte range.
fn attributes<'a>(html: &'a str, attr: &str) -> Vec<(usize, usize, &'a str)> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle) {
        let start = from + i + needle.len();
        let Some(len) = html[start..].find('"') else {
            break;
        };
        out.push((start, start + len, &html[start..start + len]));
        from = start + len;
    }
    out
}

/// Tera escapes `/` in attribute values; links are resolved on the plain text.
fn unescape_slash(s: &str) -> String {
    s.replace("&#x2F;", "/")
}

/// Whether the attribute starting at byte `at` of `html` is inside a `<script …>` tag.
fn in_script_tag(html: &str, at: usize) -> bool {
    html[..at]
        .rfind('<')
        .is_some_and(|lt| html[lt..].starts_with("<script "))
}

/// Each `<script src="…"></script>` of the site replaced by a `<script>` block with the file's
/// text: in place, or just before `</body>` when it was `defer`, since an inline script cannot
/// be deferred and the table sorter must run once the tables are parsed. Refuses a script
/// that is not a file of the site, and one whose text would end or confuse the block
/// (`</script` or `<!--`).
fn inline_scripts(
    html: &str,
    page: &str,
    read: &impl Fn(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(html.len() + 4 * 1024);
    let mut deferred = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script ") {
        let Some(len) = rest[i..].find('>') else {
            break;
        };
        let end = i + len + 1;
        let tag = &rest[i..end];
        let Some(&(_, _, src)) = attributes(tag, "src").first() else {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        };
        let src = unescape_slash(src);
        let after = rest[end..]
            .strip_prefix("</script>")
            .ok_or_else(|| format!("{page}: the script {src:?} has text of its own"))?;
        out.push_str(&rest[..i]);
        rest = after;
        let path = resolve(page, &src)
            .ok_or_else(|| format!("{page} loads {src:?}, which export cannot inline"))?;
        let js = read(&path)?;
        let lower = js.to_ascii_lowercase();
        if lower.contains("</script") || lower.contains("<!--") {
            return Err(format!("{path} contains `</script` or `<!--`"));
        }
        let block = format!("<script>\n{js}\n</script>");
        if tag.contains(" defer") {
            deferred.push_str(&block);
        } else {
            out.push_str(&block);
        }
    }
    out.push_str(rest);
    let at = out.rfind("</body>").unwrap_or(out.len());
    out.insert_str(at, &deferred);
    Ok(out)
}

/// The page as one file: each `<link rel="stylesheet">` replaced by a `<style>` block and each
/// `<script src>` by a `<script>` block with the file's text (`read` gets it by its site
/// path), every link into the site rewritten under `base_url` when given. Refuses a page with
/// any other `src=` attribute (an image it would still need) and a stylesheet that loads
/// anything itself (`url(` or `@import`).
pub fn single_file(
    html: &str,
    page: &str,
    base_url: Option<&str>,
    read: impl Fn(&str) -> Result<String, String>,
) -> Result<String, String> {
    let foreign = attributes(html, "src")
        .into_iter()
        .find(|&(start, _, _)| !in_script_tag(html, start));
    if let Some((_, _, src)) = foreign {
        return Err(format!(
            "{page} loads {:?}, which export cannot inline",
            unescape_slash(src)
        ));
    }
    let mut out = String::with_capacity(html.len() + 16 * 1024);
    let mut rest = html;
    while let Some(i) = rest.find("<link ") {
        let Some(len) = rest[i..].find('>') else {
            break;
        };
        let tag = &rest[i..i + len + 1];
        out.push_str(&rest[..i]);
        rest = &rest[i + len + 1..];
        if !tag.contains("rel=\"stylesheet\"") {
            out.push_str(tag);
            continue;
        }
        let href = attributes(tag, "href")
            .first()
            .map(|(_, _, h)| unescape_slash(h))
            .ok_or_else(|| format!("{page}: a stylesheet link without href"))?;
        let path = resolve(page, &href)
            .ok_or_else(|| format!("{page}: the stylesheet {href:?} is not a file of the site"))?;
        let css = read(&path)?;
        let lower = css.to_ascii_lowercase();
        if lower.contains("url(") || lower.contains("@import") {
            return Err(format!(
                "{path} loads other files (url() or @import), which export cannot inline"
            ));
        }
        if lower.contains("</style") {
            return Err(format!("{path} contains `</style`"));
        }
        out.push_str("<style>\n");
        out.push_str(&css);
        out.push_str("\n</style>");
    }
    out.push_str(rest);
    let Some(base) = base_url else {
        return inline_scripts(&out, page, &read);
    };
    let mut linked = String::with_capacity(out.len());
    let mut last = 0;
    for (start, end, value) in attributes(&out, "href") {
        if let Some(path) = resolve(page, &unescape_slash(value)) {
            linked.push_str(&out[last..start]);
            linked.push_str(&super::digest::site_link(Some(base), &path));
            last = end;
        }
    }
    linked.push_str(&out[last..]);
    // Last, so that the script's own text is not taken for links.
    inline_scripts(&linked, page, &read)
}

/// Checks that `page` names a file inside the site: relative, no `..`, ending in `.html`.
fn page_path(site: &Path, page: &str) -> Result<PathBuf, Error> {
    let rel = Path::new(page);
    let inside = rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside || !page.ends_with(".html") {
        return Err(Error::Usage(format!(
            "page {page:?} must be an .html file of the site, relative to it (e.g. index.html, sdr/s01.html)"
        )));
    }
    let path = site.join(rel);
    if !path.is_file() {
        return Err(Error::Usage(format!(
            "no page {page} in {} (run `baton build` first)",
            site.display()
        )));
    }
    Ok(path)
}

/// Exports one page; returns the number of bytes written.
pub fn export(opts: &ExportOptions) -> Result<usize, Error> {
    if let Some(url) = &opts.base_url {
        crate::playbook::check_base_url(url).map_err(Error::Usage)?;
    }
    let path = page_path(&opts.site, &opts.page)?;
    let html = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let page = opts.page.trim_start_matches("./").to_string();
    let read = |rel: &str| {
        let p = opts.site.join(rel);
        crate::input::check_inside(&p, rel).map_err(|d| d.message)?;
        std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))
    };
    let text = single_file(&html, &page, opts.base_url.as_deref(), read).map_err(Error::Other)?;
    std::fs::write(&opts.out, &text).map_err(|e| Error::io(&opts.out, e))?;
    Ok(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"..&#x2F;assets&#x2F;style.css\">\
<link rel=\"icon\" href=\"data:,\"></head><body><a href=\"..&#x2F;index.html\">home</a> \
<a href=\"#top\">top</a> <a href=\"..&#x2F;pair&#x2F;s1--a1.html#x\">pair</a> \
<svg role=\"img\"><text>chart</text></svg></body></html>";

    fn css(path: &str) -> Result<String, String> {
        assert_eq!(path, "assets/style.css");
        Ok(
            "body { color: red }\n@media (prefers-color-scheme: dark) { body { color: pink } }"
                .into(),
        )
    }

    /// The stylesheet, and a sorter that looks for tables when it runs.
    fn site(path: &str) -> Result<String, String> {
        match path {
            "assets/sort.js" => Ok("document.querySelectorAll(\"table.sortable\");".into()),
            _ => css(path),
        }
    }

    #[test]
    fn inlines_a_deferred_script_after_the_content() {
        let page = PAGE.replace(
            "<link rel=\"icon\"",
            "<script src=\"..&#x2F;assets&#x2F;sort.js\" defer></script><link rel=\"icon\"",
        );
        let page = page.replace("<svg", "<table class=\"sortable\"></table><svg");
        for base in [None, Some("https://r.example.com/")] {
            let out = single_file(&page, "sdr/s1.html", base, site).expect("exports");
            assert!(!out.contains(" src="), "{out}");
            let script = out
                .find("<script>\ndocument.querySelectorAll(\"table.sortable\");\n</script>")
                .expect("inlined");
            assert!(
                script > out.find("<table").expect("table"),
                "runs after the table"
            );
            assert!(out[script..].starts_with("<script>") && out.ends_with("</body></html>"));
        }
        let closes = |p: &str| match p {
            "assets/sort.js" => Ok("var s = \"</SCRIPT><img src=x>\";".to_string()),
            _ => css(p),
        };
        assert_eq!(
            single_file(&page, "sdr/s1.html", None, closes).unwrap_err(),
            "assets/sort.js contains `</script` or `<!--`"
        );
        let remote = page.replace("..&#x2F;assets&#x2F;sort.js", "https://cdn.example/x.js");
        assert!(single_file(&remote, "sdr/s1.html", None, site)
            .unwrap_err()
            .contains("cannot inline"));
    }

    #[test]
    fn inlines_the_stylesheet_and_keeps_charts_and_anchors() {
        let out = single_file(PAGE, "sdr/s1.html", None, css).expect("exports");
        assert!(!out.contains("rel=\"stylesheet\""));
        assert!(out.contains("<style>\nbody { color: red }\n@media (prefers-color-scheme: dark)"));
        assert!(out.contains("<svg role=\"img\"><text>chart</text></svg>"));
        assert!(
            out.contains("<link rel=\"icon\" href=\"data:,\">"),
            "the data: icon stays"
        );
        assert!(
            out.contains("href=\"..&#x2F;index.html\""),
            "links stay relative"
        );
    }

    #[test]
    fn links_into_the_site_become_absolute_under_a_base_url() {
        let out =
            single_file(PAGE, "sdr/s1.html", Some("https://r.example.com/b/"), css).expect("ok");
        assert!(out.contains("href=\"https://r.example.com/b/index.html\""));
        assert!(out.contains("href=\"https://r.example.com/b/pair/s1--a1.html#x\""));
        assert!(out.contains("href=\"#top\"") && out.contains("href=\"data:,\""));
    }

    #[test]
    fn refuses_what_it_cannot_inline() {
        let img = PAGE.replace("<body>", "<body><img src=\"logo.png\" alt=\"\">");
        assert_eq!(
            single_file(&img, "index.html", None, css).unwrap_err(),
            "index.html loads \"logo.png\", which export cannot inline"
        );
        let font = |_: &str| Ok("@font-face { src: url(f.woff) }".to_string());
        assert!(single_file(PAGE, "sdr/s1.html", None, font)
            .unwrap_err()
            .contains("url() or @import"));
    }

    #[test]
    fn resolves_relative_links_and_refuses_escapes() {
        assert_eq!(
            resolve("sdr/s1.html", "../index.html").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            resolve("index.html", "pod/east.html").as_deref(),
            Some("pod/east.html")
        );
        assert_eq!(resolve("index.html", "../../etc/passwd"), None);
        assert_eq!(resolve("index.html", "https://x"), None);
        let site = Path::new("/nonexistent");
        for bad in ["../secret.html", "/etc/passwd.html", "style.css"] {
            assert!(
                matches!(page_path(site, bad), Err(Error::Usage(_))),
                "{bad}"
            );
        }
    }
}
