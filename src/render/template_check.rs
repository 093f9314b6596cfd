//! What `baton check` finds in a project's templates and assets without rendering a page:
//! everything that stops `build` from loading them (a file it cannot read, a template that does
//! not parse, a parent or macro file that does not exist), and every name a page's rendering
//! would find unknown (a filter, a test, a function, an included template, a macro), each at
//! its file and line.
//!
//! Tera checks those names only when a page reaches them, so a typo in a branch the example
//! data never takes would pass `build` today and fail next month; `check` finds them all.

use std::collections::BTreeMap;
use std::path::Path;

use tera::ast::{Expr, ExprVal, FunctionCall, Node};
use tera::Tera;

use super::templates::{load, load_assets, project_files, DEFAULT_TEMPLATES, MAX_FILE_BYTES};
use crate::error::{Diagnostic, Error};

/// Every problem of the templates under `dir` (which may be missing); `shown` is the folder
/// as messages name it, ending with `/` (`templates/`). Built-in templates are named
/// `built-in NAME` (a project's replacement of a macro file can break a default page).
pub fn validate(dir: &Path, shown: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // name -> (as shown, text)
    let mut sources: BTreeMap<String, (String, String)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), (format!("built-in {n}"), t.to_string())))
        .collect();
    for file in project_files(dir, false, &mut diags) {
        let display = format!("{shown}{}", file.name);
        match crate::input::read_text(&file.path, &display, MAX_FILE_BYTES) {
            Ok(text) => match tera::Template::new(&file.name, None, &text) {
                Ok(_) => {
                    sources.insert(file.name, (display, text));
                }
                Err(e) => diags.push(parse_error(&display, &e)),
            },
            Err(d) => diags.push(d),
        }
    }
    if let Err(e) = load_assets(dir) {
        for d in as_diagnostics(e, shown) {
            if !diags.contains(&d) {
                diags.push(d);
            }
        }
    }
    if !diags.is_empty() {
        return diags;
    }
    let tera = match load(dir) {
        Ok(t) => t.tera,
        Err(e) => return as_diagnostics(e, shown),
    };
    for (name, (display, text)) in &sources {
        let Ok(template) = tera.get_template(name) else {
            continue;
        };
        let mut uses = Vec::new();
        nodes(&template.ast, &mut uses);
        uses.sort();
        uses.dedup();
        for u in uses {
            if let Some(message) = unknown(&tera, template, &u) {
                let mut d = Diagnostic::error(display.clone(), message);
                if let Some(line) = line_of(text, &u) {
                    d = d.at(line, None);
                }
                diags.push(d);
            }
        }
    }
    diags
}

/// A name a template uses, to be looked up.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Use {
    Filter(String),
    Test(String),
    Function(String),
    /// Included templates (the first that exists is used) when a missing one is an error.
    Include(Vec<String>),
    Macro {
        namespace: String,
        name: String,
    },
}

/// Why `u` would fail a page's rendering, if it would.
fn unknown(tera: &Tera, template: &tera::Template, u: &Use) -> Option<String> {
    match u {
        // Handled by Tera's renderer itself, not registered.
        Use::Filter(n) if n == "safe" || n == "default" => None,
        Use::Filter(n) => tera
            .get_filter(n)
            .is_err()
            .then(|| format!("unknown filter `{n}` (docs/templates.md lists Baton's filters)")),
        Use::Test(n) => tera
            .get_tester(n)
            .is_err()
            .then(|| format!("unknown test `{n}`")),
        Use::Function(n) => tera
            .get_function(n)
            .is_err()
            .then(|| format!("unknown function `{n}`")),
        Use::Include(names) => names
            .iter()
            .all(|n| tera.get_template(n).is_err())
            .then(|| format!("includes `{}`, which does not exist", names.join("`, `"))),
        Use::Macro { namespace, name } => macro_problem(tera, template, namespace, name),
    }
}

/// A macro call whose namespace names a macro file that lacks the macro, or no import at all.
/// `self::` is looked up in the template and its parents.
fn macro_problem(
    tera: &Tera,
    template: &tera::Template,
    namespace: &str,
    name: &str,
) -> Option<String> {
    let mut chain = vec![template];
    chain.extend(
        template
            .parents
            .iter()
            .filter_map(|p| tera.get_template(p).ok()),
    );
    if namespace == "self" {
        return (!chain.iter().any(|t| t.macros.contains_key(name)))
            .then(|| format!("calls `self::{name}`, a macro this template does not define"));
    }
    let file = chain.iter().find_map(|t| {
        t.imported_macro_files
            .iter()
            .find(|(_, ns)| ns == namespace)
            .map(|(file, _)| file.clone())
    });
    match file {
        None => Some(format!(
            "calls `{namespace}::{name}`, but no `import ... as {namespace}` names `{namespace}`"
        )),
        Some(file) => match tera.get_template(&file) {
            Ok(t) if t.macros.contains_key(name) => None,
            _ => Some(format!(
                "calls `{namespace}::{name}`, a macro `{file}` does not define"
            )),
        },
    }
}

fn nodes(ast: &[Node], uses: &mut Vec<Use>) {
    for node in ast {
        match node {
            Node::VariableBlock(_, e) => expr(e, uses),
            Node::MacroDefinition(_, m, _) => {
                for e in m.args.values().flatten() {
                    expr(e, uses);
                }
                nodes(&m.body, uses);
            }
            Node::Include(_, names, ignore_missing) => {
                if !ignore_missing {
                    uses.push(Use::Include(names.clone()));
                }
            }
            Node::Set(_, s) => expr(&s.value, uses),
            Node::FilterSection(_, f, _) => {
                call(&f.filter, uses, Use::Filter);
                nodes(&f.body, uses);
            }
            Node::Block(_, b, _) => nodes(&b.body, uses),
            Node::Forloop(_, f, _) => {
                expr(&f.container, uses);
                nodes(&f.body, uses);
                if let Some(body) = &f.empty_body {
                    nodes(body, uses);
                }
            }
            Node::If(i, _) => {
                for (_, cond, body) in &i.conditions {
                    expr(cond, uses);
                    nodes(body, uses);
                }
                if let Some((_, body)) = &i.otherwise {
                    nodes(body, uses);
                }
            }
            Node::Super
            | Node::Text(_)
            | Node::Extends(..)
            | Node::ImportMacro(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }
}

fn call(f: &FunctionCall, uses: &mut Vec<Use>, kind: fn(String) -> Use) {
    uses.push(kind(f.name.clone()));
    for e in f.args.values() {
        expr(e, uses);
    }
}

fn expr(e: &Expr, uses: &mut Vec<Use>) {
    for f in &e.filters {
        call(f, uses, Use::Filter);
    }
    match &e.val {
        ExprVal::Math(m) => {
            expr(&m.lhs, uses);
            expr(&m.rhs, uses);
        }
        ExprVal::Logic(l) => {
            expr(&l.lhs, uses);
            expr(&l.rhs, uses);
        }
        ExprVal::In(i) => {
            expr(&i.lhs, uses);
            expr(&i.rhs, uses);
        }
        ExprVal::Test(t) => {
            uses.push(Use::Test(t.name.clone()));
            for a in &t.args {
                expr(a, uses);
            }
        }
        ExprVal::MacroCall(m) => {
            uses.push(Use::Macro {
                namespace: m.namespace.clone(),
                name: m.name.clone(),
            });
            for a in m.args.values() {
                expr(a, uses);
            }
        }
        ExprVal::FunctionCall(f) => call(f, uses, Use::Function),
        ExprVal::Array(items) => {
            for i in items {
                expr(i, uses);
            }
        }
        ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_)
        | ExprVal::StringConcat(_) => {}
    }
}

/// The first line (from 1) of `text` where `u` is written; Tera's syntax tree keeps no positions.
fn line_of(text: &str, u: &Use) -> Option<u64> {
    let found = |line: &str| match u {
        Use::Filter(n) => word(line, n, |before, _| {
            before.ends_with('|') || before.ends_with("filter")
        }),
        Use::Test(n) => word(line, n, |before, _| {
            before.ends_with(" is") || before.ends_with(" is not")
        }),
        Use::Function(n) => word(line, n, |before, after| {
            after.starts_with('(') && !before.ends_with("::")
        }),
        Use::Include(names) => {
            line.contains("include")
                && (line.contains(&format!("\"{}\"", names[0]))
                    || line.contains(&format!("'{}'", names[0])))
        }
        Use::Macro { namespace, name } => word(line, &format!("{namespace}::{name}"), |_, _| true),
    };
    text.lines().position(found).map(|i| i as u64 + 1)
}

/// Whether `line` holds `name` as a whole word whose text before (trimmed at its end) and after
/// (trimmed at its start) satisfy `context`.
fn word(line: &str, name: &str, context: impl Fn(&str, &str) -> bool) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(name).any(|(i, _)| {
        let (before, after) = (&line[..i], &line[i + name.len()..]);
        !before.ends_with(ident)
            && !after.starts_with(ident)
            && context(before.trim_end(), after.trim_start())
    })
}

/// Tera's parse error as a located finding: its message holds ` --> LINE:COLUMN` and the
/// reason on its last `= ` line.
fn parse_error(display: &str, e: &tera::Error) -> Diagnostic {
    let text = e.to_string();
    let reason = text
        .lines()
        .rev()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .unwrap_or(text.trim());
    let mut d = Diagnostic::error(display, format!("the template does not parse: {reason}"));
    let position = text.split("--> ").nth(1).and_then(|rest| {
        let mut parts = rest.split(|c: char| !c.is_ascii_digit());
        let line = parts.next()?.parse::<u64>().ok()?;
        let column = parts.next()?.parse::<u64>().ok()?;
        Some((line, column))
    });
    if let Some((line, column)) = position {
        d = d.at(line, Some(column));
    }
    d
}

/// A loading error as findings: input errors as they are, anything else on the folder.
fn as_diagnostics(e: Error, shown: &str) -> Vec<Diagnostic> {
    match e {
        Error::Input(d) => d,
        other => vec![Diagnostic::error(
            shown.trim_end_matches('/'),
            other.to_string(),
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn found(files: &[(&str, &str)]) -> Vec<String> {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("templates");
        for (rel, text) in files {
            write(&dir, rel, text);
        }
        validate(&dir, "templates/")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_defaults_have_no_problem() {
        assert_eq!(found(&[]), Vec::<String>::new());
    }

    #[test]
    fn a_syntax_error_is_located() {
        let d = found(&[("glossary.html", "a\nb {{ x | }}\n")]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].starts_with("templates/glossary.html:2:"), "{}", d[0]);
        assert!(d[0].contains("the template does not parse"), "{}", d[0]);
    }

    #[test]
    fn unknown_names_are_found_in_branches_never_rendered() {
        let page = "{% extends \"base.html\" %}\n{% block content %}\n\
                    {% if false %}{{ 1 | nosuch }}{% endif %}\n\
                    {% if x is nosuchtest %}{% endif %}\n\
                    {{ nosuchfn() }}\n{% include \"nosuch.html\" %}\n\
                    {{ macros::nosuchmacro() }}\n{{ 2 | money }}\n{% endblock content %}\n";
        let d = found(&[("glossary.html", page)]);
        assert_eq!(
            d,
            vec![
                "templates/glossary.html:3: error: unknown filter `nosuch` (docs/templates.md lists Baton's filters)",
                "templates/glossary.html:4: error: unknown test `nosuchtest`",
                "templates/glossary.html:5: error: unknown function `nosuchfn`",
                "templates/glossary.html:6: error: includes `nosuch.html`, which does not exist",
                "templates/glossary.html:7: error: calls `macros::nosuchmacro`, but no `import ... as macros` names `macros`",
            ]
        );
    }

    #[test]
    fn a_replaced_macro_file_that_lacks_a_macro_breaks_the_defaults() {
        let d = found(&[("macros.html", "{% macro other() %}x{% endmacro other %}\n")]);
        assert!(!d.is_empty());
        assert!(
            d.iter()
                .all(|l| l.starts_with("built-in ") && l.contains("does not define")),
            "{d:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_asset_linked_from_outside_is_an_error() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("templates");
        write(&dir, "assets/logo.txt", "ok");
        std::fs::write(tmp.path().join("secret.css"), "x").expect("write");
        std::os::unix::fs::symlink(tmp.path().join("secret.css"), dir.join("assets/extra.css"))
            .expect("link");
        let d: Vec<String> = validate(&dir, "templates/")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].contains("extra.css: error: is a link to a file outside its folder"),
            "{}",
            d[0]
        );
    }

    #[test]
    fn a_missing_parent_is_an_error() {
        let d = found(&[("glossary.html", "{% extends \"nosuch.html\" %}\n")]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].starts_with("templates: error: "), "{}", d[0]);
        assert!(d[0].contains("nosuch.html"), "{}", d[0]);
    }
}
