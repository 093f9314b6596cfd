use std::fs;

use serde_json::json;

use super::*;

fn site_context(extra: serde_json::Value) -> Context {
    let mut value = json!({
        "site": {
            "title": "Acme <Sales> & \"Co\"",
            "period": "2026-10",
            "as_of": "2026-10-31", "as_of_iso": "2026-10-31T23:59:00-04:00",
            "generated_from": "data/ exports, newest row 2026-10-31",
        },
        "root": "../",
        "page": {"title": "Ana <script>alert(1)</script>", "section": "sdrs"},
    });
    if let (Some(obj), serde_json::Value::Object(more)) = (value.as_object_mut(), extra) {
        obj.extend(more);
    }
    Context::from_value(value).expect("context")
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

#[test]
fn base_renders_nav_footer_and_escapes_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let tera = load_tera(&tmp.path().join("templates")).expect("defaults load");
    let html = render(&tera, "base.html", &site_context(json!({}))).expect("renders");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(
        html.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#)
    );
    // The stylesheet and links are relative to the page (`root`'s `/` is written as &#x2F;).
    assert!(html.contains(r#"<link rel="stylesheet" href="..&#x2F;assets/style.css">"#));
    assert!(html.contains(r#"<a href="..&#x2F;sdrs.html" aria-current="page">SDRs</a>"#));
    assert_eq!(html.matches("aria-current").count(), 1);
    for label in [
        "Dashboard",
        "SDRs",
        "AEs",
        "Pods",
        "Hand-offs",
        "Comp",
        "Playbook",
    ] {
        assert!(html.contains(&format!(">{label}</a>")), "nav has {label}");
    }
    assert!(html.contains("Period <strong>2026-10</strong>"));
    assert!(html.contains(r#"<time datetime="2026-10-31T23:59:00-04:00">2026-10-31</time>"#));
    assert!(html.contains("data&#x2F; exports, newest row 2026-10-31"));
    assert!(!html.contains("<script"), "page title is escaped");
    assert!(html.contains("Ana &lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    assert!(html.contains("Acme &lt;Sales&gt; &amp; &quot;Co&quot;"));
}

#[test]
fn project_file_overrides_its_default_and_adds_pages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("templates");
    write(
        &dir,
        "base.html",
        "<p>{{ page.title }}</p>{% block content %}{% endblock %}",
    );
    write(
        &dir,
        "pages/sdr.html",
        "{% extends \"base.html\" %}{% block content %}<b>{{ n | num }}</b>{% endblock %}",
    );
    write(&dir, ".hidden.html", "{% broken");
    write(&dir, ".git/config.html", "{% broken");
    let tera = load_tera(&dir).expect("loads");
    let html = render(&tera, "pages/sdr.html", &site_context(json!({"n": 12345}))).expect("ok");
    assert_eq!(
        html,
        "<p>Ana &lt;script&gt;alert(1)&lt;&#x2F;script&gt;</p><b>12,345</b>"
    );
    // The defaults not overridden are still there.
    assert!(tera.get_template_names().any(|n| n == "macros.html"));
    assert!(!tera.get_template_names().any(|n| n.contains("hidden")));
}

#[test]
fn macros_render_rate_cells_charts_and_definitions() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("templates");
    write(
        &dir,
        "t.html",
        r#"{% import "macros.html" as m %}{{ m::rate_cell(rate=big, min_sample=20) }}
{{ m::rate_cell(rate=small, min_sample=20) }}
{{ m::chart(svg=svg, caption=caption, headers=["Stage", "Count"], rows=rows, id="funnel") }}
{{ m::define(term="Show rate", definition=def, anchor="show-rate", root=root) }}"#,
    );
    let tera = load_tera(&dir).expect("loads");
    let ctx = site_context(json!({
        "big": {"value": 0.42, "num": 21, "den": 50},
        "small": {"value": 0.5, "num": 3, "den": 6},
        "svg": "<svg role=\"img\"><title>Funnel</title></svg>",
        "caption": "Hand-off funnel <b>",
        "rows": [["Booked <i>", "1,204"], ["Held", "845"]],
        "def": "Held meetings \"over\" booked",
    }));
    let html = render(&tera, "t.html", &ctx).expect("renders");
    let lines: Vec<&str> = html.lines().collect();
    assert_eq!(lines[0], r#"<td class="num">42% (21&#x2F;50)</td>"#);
    assert!(lines[1]
        .starts_with(r#"<td class="num small-sample">50% (3&#x2F;6)<span class="sample-marker""#));
    assert!(lines[1].contains("fewer than 20"));
    assert!(html.contains(r#"<figure class="chart" id="funnel">"#));
    // The chart's box scrolls on phones, so it is focusable and named (caption escaped).
    assert!(html.contains(
        r#"<div class="chart-image" tabindex="0" role="region" aria-label="Chart: Hand-off funnel &lt;b&gt;"><svg role="img"><title>Funnel</title></svg></div>"#
    ));
    assert!(html.contains(r#"<th scope="col">Stage</th><th scope="col" class="num">Count</th>"#));
    assert!(html.contains(r#"<th scope="row">Booked &lt;i&gt;</th><td class="num">1,204</td>"#));
    assert!(html.contains("<figcaption>Hand-off funnel &lt;b&gt;</figcaption>"));
    assert!(html.contains(
        r#"<a class="define" href="..&#x2F;glossary.html#show-rate"><abbr title="Held meetings &quot;over&quot; booked">Show rate</abbr></a>"#
    ));
}

#[test]
fn syntax_error_names_the_file_and_its_reason() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("templates");
    write(&dir, "ok.html", "fine");
    write(&dir, "bad.html", "line one\n{% if x %}unclosed");
    let err = load_tera(&dir).expect_err("bad template");
    assert!(matches!(err, Error::Template { .. }));
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("template {}/bad.html:", dir.display())),
        "{text}"
    );
    assert!(text.contains("\n  reason: "), "cause chain shown: {text}");
    assert!(text.contains("Failed to parse 'bad.html'"), "{text}");
    assert!(
        text.contains(" --> 2:19"),
        "line and column of the error: {text}"
    );
}

#[test]
fn extending_a_missing_template_names_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("templates");
    write(&dir, "page.html", "{% extends \"layout.html\" %}");
    let text = load_tera(&dir).expect_err("missing parent").to_string();
    assert!(text.contains("'layout.html'"), "{text}");
    assert!(
        text.starts_with(&format!("template {}:", dir.display())),
        "{text}"
    );
}

#[test]
fn render_errors_carry_tera_reasons() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("templates");
    write(&dir, "page.html", "{{ nope.missing }}");
    write(&dir, "money.html", "{{ amount | money }}");
    let tera = load_tera(&dir).expect("loads");
    let text = render(&tera, "page.html", &site_context(json!({})))
        .expect_err("unknown variable")
        .to_string();
    assert!(text.starts_with("template page.html: "), "{text}");
    assert!(
        text.contains("reason: Variable `nope.missing` not found"),
        "{text}"
    );
    let text = render(&tera, "money.html", &site_context(json!({"amount": 1.5})))
        .expect_err("float money")
        .to_string();
    assert!(
        text.contains("reason: filter `money` expects a decimal string"),
        "{text}"
    );
}

#[test]
fn unreadable_templates_are_input_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("templates");
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(dir.join("latin1.html"), b"caf\xe9").expect("write");
    match load_tera(&dir) {
        Err(Error::Input(diags)) => {
            assert_eq!(diags.len(), 1);
            assert!(diags[0]
                .to_string()
                .contains("latin1.html:1: error: invalid UTF-8"));
        }
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_templates_folder_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("templates");
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(tmp.path().join("secret.txt"), "password").expect("secret");
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), dir.join("leak.html"))
        .expect("symlink");
    fs::create_dir_all(dir.join("assets")).expect("mkdir");
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), dir.join("assets/leak.css"))
        .expect("symlink");
    let Err(Error::Input(diags)) = load_tera(&dir) else {
        panic!("link out of the folder must be refused");
    };
    assert!(diags[0].message.contains("outside its folder"), "{diags:?}");
    let Err(Error::Input(diags)) = load_assets(&dir) else {
        panic!("link out of the assets folder must be refused");
    };
    assert!(diags[0].message.contains("outside its folder"), "{diags:?}");
}

#[test]
fn assets_default_and_override() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("templates");
    let defaults = load_assets(&dir).expect("defaults");
    let paths: Vec<&str> = defaults.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths, ["assets/sort.js", "assets/style.css"]);
    let css = String::from_utf8(defaults[1].bytes.clone()).expect("utf-8");
    assert!(css.contains("@media print") && css.contains("prefers-color-scheme: dark"));

    write(&dir, "assets/style.css", "body { color: red }");
    fs::write(dir.join("assets/logo.png"), [0x89, b'P', b'N', b'G', 0xff]).expect("png");
    write(&dir, "base.html", "{% block content %}{% endblock %}");
    let assets = load_assets(&dir).expect("overridden");
    let paths: Vec<&str> = assets.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(
        paths,
        ["assets/logo.png", "assets/sort.js", "assets/style.css"]
    );
    assert_eq!(assets[0].bytes, [0x89, b'P', b'N', b'G', 0xff]);
    assert_eq!(assets[2].bytes, b"body { color: red }");
    // Assets are never parsed as templates.
    let tera = load_tera(&dir).expect("loads");
    assert!(!tera.get_template_names().any(|n| n.starts_with("assets/")));
}
