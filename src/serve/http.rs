//! Just enough HTTP/1.1 to preview a static site: `GET` and `HEAD`, one request per
//! connection, files from one folder and nothing outside it.
//!
//! The request target is untrusted: it is percent-decoded, then every segment must be a plain
//! name (no `..`, `.`, hidden names, backslashes or drive letters), and the file found must
//! still be inside the served folder once links are resolved. The server answers only to a
//! `Host` of `localhost`, `127.0.0.1` or `[::1]`, so a web page cannot read the site through a
//! DNS name rebound to this machine.
//!
//! A client gets [`HEAD_DEADLINE`] from the moment it was accepted to send its whole request
//! head, and [`WRITE_DEADLINE`] to take the answer: a deadline for the whole, not a timeout
//! per read, so a client that drips one byte a second cannot hold a worker (issue 17).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The longest request head read.
const MAX_HEAD: u64 = 16 * 1024;
/// How long a connection may take to send its request head, counted from when it was
/// accepted (time queued for a worker included). A browser sends it at once.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// How long a client may take to read an answer (the largest pages are a few MB).
const WRITE_DEADLINE: Duration = Duration::from_secs(20);

/// A connection whose reads (or writes) all end by `until`: each call waits at most for the
/// time left, then fails with `TimedOut`.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Deadline<'_> {
    fn left(&self) -> io::Result<Duration> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        Ok(left)
    }
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.set_read_timeout(Some(self.left()?))?;
        (&mut &*self.stream).read(buf)
    }
}

impl Write for Deadline<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.set_write_timeout(Some(self.left()?))?;
        (&mut &*self.stream).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&mut &*self.stream).flush()
    }
}

/// What a failed read of the head is answered with: 408 when the client ran out of time.
fn read_failed(e: &io::Error) -> Response {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
            Response::text(408, "the request took too long")
        }
        _ => Response::text(400, "bad request"),
    }
}

/// A parsed request line and the one header the server looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path, percent-decoded, without query or fragment.
    pub path: String,
    pub host: Option<String>,
}

/// An answer: status, content type and body. A `HEAD` answer sends the headers only.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub location: Option<String>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            content_type,
            body: body.into(),
            location: None,
        }
    }

    pub fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    /// A permanent redirect to the folder `path` names (asked for without its trailing `/`),
    /// by [`folder_location`]: always a path on this server, never `//host/`.
    pub fn to_folder(path: &str) -> Response {
        Response {
            location: Some(folder_location(path)),
            ..Response::text(301, "moved")
        }
    }
}

/// The `Location` of the folder `path` (a decoded request path): its non-empty segments,
/// percent-encoded, between single slashes. `//sdr` gives `/sdr/`, not the scheme-relative
/// `//sdr/` a browser would take for another host (an open redirect, issue 17), so the result
/// always starts with one `/` followed by neither `/` nor `\`.
pub fn folder_location(path: &str) -> String {
    let mut to = String::from("/");
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        for b in segment.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&b) {
                to.push(char::from(b));
            } else {
                to.push_str(&format!("%{b:02X}"));
            }
        }
        to.push('/');
    }
    to
}

/// Reads one request from `stream`, which was accepted at `accepted`, giving it until
/// [`HEAD_DEADLINE`] after that.
pub fn read_request(stream: &TcpStream, accepted: Instant) -> Result<Request, Response> {
    let deadline = Deadline {
        stream,
        until: accepted + HEAD_DEADLINE,
    };
    let mut reader = BufReader::new(deadline.take(MAX_HEAD));
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|e| read_failed(&e))?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(Response::text(400, "bad request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(Response::text(505, "HTTP/1.x only"));
    }
    let mut host = None;
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) => return Err(Response::text(400, "incomplete request")),
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
            Err(e) => return Err(read_failed(&e)),
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("host") {
                host = Some(value.trim().to_string());
            }
        }
    }
    let raw = target.split(['?', '#']).next().unwrap_or_default();
    if !raw.starts_with('/') {
        return Err(Response::text(400, "the target must be a path"));
    }
    let path = percent_decode(raw).ok_or_else(|| Response::text(400, "bad percent-encoding"))?;
    Ok(Request {
        method: method.to_string(),
        path,
        host,
    })
}

/// Whether `host` (a `Host` header) names this machine's loopback interface.
pub fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

/// Writes `r` (within [`WRITE_DEADLINE`]) and closes the connection; for `HEAD` the body is
/// left out.
pub fn write_response(stream: &TcpStream, r: &Response, head_only: bool) {
    let mut stream = Deadline {
        stream,
        until: Instant::now() + WRITE_DEADLINE,
    };
    let reason = match r.status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Internal Server Error",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        r.status,
        r.content_type,
        r.body.len()
    );
    if let Some(to) = &r.location {
        head.push_str(&format!("Location: {to}\r\n"));
    }
    if r.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    if r.status == 503 {
        head.push_str("Retry-After: 1\r\n");
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if !head_only {
        let _ = stream.write_all(&r.body);
    }
    let _ = stream.flush();
}

/// Decodes `%XX` escapes; `None` for a malformed escape, invalid UTF-8 or a NUL byte.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    (!decoded.contains('\0')).then_some(decoded)
}

/// What a request path names under the served folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file, by its path relative to the folder.
    File(PathBuf),
    /// A path that can name nothing Baton serves.
    Refused,
}

/// Turns a decoded request path into a relative file path, refusing anything that is not a
/// sequence of plain names. A path ending in `/` (or empty) means its `index.html`.
pub fn target(path: &str) -> Target {
    let mut rel = PathBuf::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let plain = !segment.starts_with('.')
            && !segment.contains(['\\', ':'])
            && !segment.chars().any(char::is_control);
        if !plain {
            return Target::Refused;
        }
        rel.push(segment);
    }
    if path.ends_with('/') || rel.as_os_str().is_empty() {
        rel.push("index.html");
    }
    Target::File(rel)
}

/// The file for `rel` inside `root`, once links are resolved; `None` if it is missing or
/// would lead outside `root`.
pub fn resolve(root: &Path, rel: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    let found = root.join(rel).canonicalize().ok()?;
    found.starts_with(&root).then_some(found)
}

/// The content type of a served file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_plain_relative_paths() {
        let file = |s: &str| Target::File(PathBuf::from(s));
        assert_eq!(target("/"), file("index.html"));
        assert_eq!(target("/sdr/ana.html"), file("sdr/ana.html"));
        assert_eq!(target("/playbook/"), file("playbook/index.html"));
        assert_eq!(target("//sdr//ana.html"), file("sdr/ana.html"));
        for bad in [
            "/../Cargo.toml",
            "/sdr/../../x",
            "/./index.html",
            "/.gitkeep",
            "/a\\..\\b",
            "/C:/Windows",
            "/a\u{1}b",
        ] {
            assert_eq!(target(bad), Target::Refused, "{bad}");
        }
    }

    #[test]
    fn percent_decoding_cannot_smuggle_a_parent() {
        let decoded = percent_decode("/%2e%2e/secret").expect("decodes");
        assert_eq!(decoded, "/../secret");
        assert_eq!(target(&decoded), Target::Refused);
        assert_eq!(percent_decode("/a%20b%C3%A9").as_deref(), Some("/a bé"));
        assert_eq!(percent_decode("/a%2"), None);
        assert_eq!(percent_decode("/a%zz"), None);
        assert_eq!(percent_decode("/a%00"), None);
        assert_eq!(percent_decode("/%ff"), None);
    }

    #[test]
    fn resolve_stays_inside_the_root() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("output");
        std::fs::create_dir(&root).expect("mkdir");
        std::fs::write(root.join("index.html"), "x").expect("write");
        std::fs::write(tmp.path().join("secret.txt"), "x").expect("write");
        assert!(resolve(&root, Path::new("index.html")).is_some());
        assert!(resolve(&root, Path::new("missing.html")).is_none());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("leak.txt"))
                .expect("link");
            assert!(resolve(&root, Path::new("leak.txt")).is_none());
        }
    }

    #[test]
    fn folder_redirects_stay_on_this_server() {
        assert_eq!(folder_location("/sdr"), "/sdr/");
        assert_eq!(folder_location("//sdr"), "/sdr/");
        assert_eq!(folder_location("///evil.example//x"), "/evil.example/x/");
        assert_eq!(folder_location("/a b/é"), "/a%20b/%C3%A9/");
        for hostile in [
            "//evil.example",
            "/\\evil.example",
            "/\\/x",
            "//",
            "/%2F",
            "/?x",
        ] {
            let to = folder_location(hostile);
            let second = to.chars().nth(1);
            assert!(to.starts_with('/'), "{hostile}: {to}");
            assert!(!matches!(second, Some('/' | '\\')), "{hostile}: {to}");
            assert!(
                !to.contains(['\\', '?', '#', '\r', '\n']),
                "{hostile}: {to}"
            );
        }
    }

    #[test]
    fn only_loopback_hosts() {
        for ok in [
            "localhost",
            "localhost:8000",
            "127.0.0.1:43211",
            "[::1]:8000",
            "LOCALHOST",
        ] {
            assert!(is_local_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8000",
            "127.0.0.1.evil.example",
        ] {
            assert!(!is_local_host(bad), "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/b.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("chart.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("metrics.json")), "application/json");
        assert_eq!(
            content_type(Path::new("comp.csv")),
            "text/csv; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }
}
