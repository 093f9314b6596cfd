//! `baton serve`: a live preview. Builds the site, serves the output folder on 127.0.0.1,
//! rebuilds when anything under `data/`, `playbook/` or `templates/` changes, and reloads the
//! pages open in a browser.
//!
//! - Watching is polling ([`watch`]) every half second; a change waits a moment for the editor
//!   to finish saving, then rebuilds.
//! - Serving is a small HTTP/1.1 file server ([`http`]) on a fixed pool of threads ([`pool`]);
//!   a request head must arrive within a few seconds, and folder redirects stay on this server.
//! - Live reload: HTML pages are served with a short script (added on the way out, never
//!   written into the built files) that asks `/__baton/status` every second and reloads the page
//!   when a new build has been published. A failed build publishes nothing (the output writer
//!   swaps folders only on success), so the last good site stays served; the error is printed
//!   in the terminal and the script shows it in a banner on the page until a build succeeds.

pub mod http;
pub mod pool;
pub mod watch;

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::build::{self, Options, Summary};
use crate::error::{Error, Severity};
use crate::rebuilds::Rebuilds;
use http::{Response, Target};
use watch::Snapshot;

/// How often the watched folders are polled.
const POLL: Duration = Duration::from_millis(500);
/// How long a change is left to settle before rebuilding (an editor may save in steps).
const SETTLE: Duration = Duration::from_millis(150);
/// Findings shown in the page's error banner at most.
const BANNER_LINES: usize = 30;

/// What `baton serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: Options,
    /// 0 lets the system choose a free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Print only errors and each build's summary line.
    pub quiet: bool,
}

/// What the request threads and the rebuild thread share.
struct State {
    /// Builds published so far; pages reload when it changes.
    version: AtomicU64,
    /// The findings of the last build when it failed; `None` when it succeeded.
    failure: Mutex<Option<String>>,
    output: PathBuf,
}

/// Builds, then serves until the process is stopped. Fails only when it cannot listen.
pub fn serve(opts: &ServeOptions) -> Result<(), Error> {
    let listener = TcpListener::bind(("127.0.0.1", opts.port)).map_err(|e| {
        Error::Usage(format!(
            "cannot listen on 127.0.0.1:{}: {e} (choose another port with --port N, or --port 0 \
             for any free one)",
            opts.port
        ))
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Other(format!("cannot tell the port listened on: {e}")))?;
    let state = Arc::new(State {
        version: AtomicU64::new(0),
        failure: Mutex::new(None),
        output: opts.build.output.clone(),
    });
    let seen = Snapshot::take(&watched(&opts.build));
    let mut cache = Rebuilds::default();
    rebuild(opts, &state, &mut cache);
    let url = format!("http://{addr}/");
    println!("serving {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    if opts.open {
        open_browser(&url);
    }
    let (watch_opts, watch_state) = (opts.clone(), Arc::clone(&state));
    std::thread::spawn(move || watch_loop(&watch_opts, &watch_state, seen, cache));
    pool::run(&listener, move |stream, accepted| {
        handle(&stream, accepted, &state)
    });
    Ok(())
}

fn watched(opts: &Options) -> [&Path; 3] {
    [
        opts.paths.data.as_path(),
        opts.paths.playbook.as_path(),
        opts.paths.templates.as_path(),
    ]
}

/// Polls the inputs for ever, rebuilding after each change (reusing what was read of `data/`
/// when no export changed).
fn watch_loop(opts: &ServeOptions, state: &State, mut seen: Snapshot, mut cache: Rebuilds) {
    loop {
        std::thread::sleep(POLL);
        let now = Snapshot::take(&watched(&opts.build));
        let Some(changed) = now.changed_since(&seen) else {
            continue;
        };
        let shown = changed
            .strip_prefix(&opts.build.paths.root)
            .unwrap_or(changed)
            .display()
            .to_string();
        eprintln!("\n{} changed: rebuilding", crate::error::terminal(&shown));
        std::thread::sleep(SETTLE);
        // Taken before building: a change made during the build triggers the next one.
        seen = Snapshot::take(&watched(&opts.build));
        rebuild(opts, state, &mut cache);
    }
}

/// Builds once, prints the summary, and publishes the outcome to the pages.
fn rebuild(opts: &ServeOptions, state: &State, cache: &mut Rebuilds) {
    let summary = build::build_reusing(&opts.build, Some(cache));
    eprint!(
        "{}",
        crate::error::terminal(&crate::report::text(&summary, "build", opts.quiet))
    );
    let mut failure = state.failure.lock().unwrap_or_else(|e| e.into_inner());
    if summary.ok {
        *failure = None;
        let v = state.version.fetch_add(1, Ordering::SeqCst) + 1;
        if v > 1 {
            eprintln!("site updated: open pages reload");
        }
    } else {
        *failure = Some(banner_text(&summary));
        eprintln!("build failed: still serving the last good site");
    }
}

/// The findings that failed a build, for the page's banner.
fn banner_text(s: &Summary) -> String {
    let errors: Vec<String> = s
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    let lines = if errors.is_empty() {
        // Failed on warnings (--deny-warnings).
        s.diagnostics.iter().map(ToString::to_string).collect()
    } else {
        errors
    };
    let mut text: Vec<String> = lines.iter().take(BANNER_LINES).cloned().collect();
    if lines.len() > BANNER_LINES {
        text.push(format!("... and {} more", lines.len() - BANNER_LINES));
    }
    if text.is_empty() {
        text.push("the build failed".into());
    }
    text.join("\n")
}

fn handle(stream: &TcpStream, accepted: Instant, state: &State) {
    match http::read_request(stream, accepted) {
        Ok(req) => {
            let response = respond(&req, state);
            http::write_response(stream, &response, req.method == "HEAD");
        }
        Err(response) => http::write_response(stream, &response, false),
    }
}

fn respond(req: &http::Request, state: &State) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        return Response::text(405, "baton serve answers GET and HEAD only");
    }
    if req.host.as_deref().is_some_and(|h| !http::is_local_host(h)) {
        return Response::text(403, "baton serve answers to localhost only");
    }
    let version = state.version.load(Ordering::SeqCst);
    match req.path.as_str() {
        "/__baton/version" => return Response::text(200, &version.to_string()),
        "/__baton/status" => {
            let failure = state.failure.lock().map(|f| f.clone()).unwrap_or_default();
            let status = serde_json::json!({
                "version": version,
                "ok": failure.is_none(),
                "error": failure.unwrap_or_default(),
            });
            return Response::new(200, "application/json", status.to_string());
        }
        _ => {}
    }
    let Target::File(rel) = http::target(&req.path) else {
        return not_found(&req.path, version);
    };
    let Some(file) = http::resolve(&state.output, &rel) else {
        return not_found(&req.path, version);
    };
    if file.is_dir() {
        return Response::to_folder(&req.path);
    }
    let Ok(bytes) = std::fs::read(&file) else {
        return not_found(&req.path, version);
    };
    let kind = http::content_type(&file);
    if kind.starts_with("text/html") {
        Response::new(200, kind, inject(&bytes, version))
    } else {
        Response::new(200, kind, bytes)
    }
}

/// A 404 page that reloads itself once a build publishes (say, after a failed first build).
fn not_found(path: &str, version: u64) -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title>\
         </head><body><h1>Not found</h1><p><code>{}</code> is not in the built site.</p>\
         <p><a href=\"/\">Home</a></p></body></html>\n",
        escape(path)
    );
    Response::new(
        404,
        "text/html; charset=utf-8",
        inject(page.as_bytes(), version),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The live-reload script for a page served at build `version`. The banner's text is set with
/// `textContent`, so an error quoting CRM data cannot inject markup.
fn reload_script(version: u64) -> String {
    format!(
        r#"<script>/* added by baton serve: live reload; not in the built files */
(function () {{
  var version = {version};
  function banner(error) {{
    var b = document.getElementById("baton-serve-error");
    if (!error) {{ if (b) b.remove(); return; }}
    if (!b) {{
      b = document.createElement("pre");
      b.id = "baton-serve-error";
      b.setAttribute("role", "alert");
      b.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;margin:0;" +
        "max-height:45vh;overflow:auto;padding:1em;background:#7a0b0b;color:#fff;" +
        "font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(b);
    }}
    b.textContent = "The last build failed; this is the last good site.\n\n" + error;
  }}
  function poll() {{
    fetch("/__baton/status", {{ cache: "no-store" }})
      .then(function (r) {{ return r.json(); }})
      .then(function (s) {{
        if (s.version !== version) {{ location.reload(); return; }}
        banner(s.ok ? "" : s.error);
        setTimeout(poll, 1000);
      }})
      .catch(function () {{ setTimeout(poll, 2000); }});
  }}
  poll();
}})();
</script>
"#
    )
}

/// `html` with the reload script added before its last `</body>` (or at its end).
fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let script = reload_script(version);
    let lower = html.to_ascii_lowercase();
    let at = lower
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Opens `url` in the default browser, saying so when it cannot.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    match std::process::Command::new(program)
        .args(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("could not open a browser ({program}: {e}); open {url} yourself"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, 7)).expect("utf-8");
        let script = out.find("<script>").expect("script");
        assert!(script > out.find("<p>x</p>").expect("content"));
        assert!(script < out.find("</BODY>").expect("end"));
        assert!(out.contains("var version = 7;"));
        assert!(out.ends_with("</BODY></html>"));
        let bare = String::from_utf8(inject(b"<p>no body</p>", 1)).expect("utf-8");
        assert!(bare.starts_with("<p>no body</p><script>"));
    }

    #[test]
    fn not_found_escapes_the_path() {
        let r = not_found("/<img src=x onerror=alert(1)>", 3);
        let body = String::from_utf8(r.body).expect("utf-8");
        assert_eq!(r.status, 404);
        assert!(!body.contains("<img"));
        assert!(body.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }
}
