//! `baton serve` as a user runs it: started on a free port in a copy of the small fixture,
//! asked for pages over real HTTP, its data changed under it. Every wait is bounded, and the
//! server is killed when the test ends, passes or fails.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::copy_fixture;

/// Longest wait for the first build, or for a rebuild to be served. Builds of the fixture take
/// well under a second; the margin is for a loaded machine.
const PATIENCE: Duration = Duration::from_secs(30);

/// The running server; killed when dropped. Also used by `reliability_serve`.
pub(crate) struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    pub(crate) fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
            .current_dir(root)
            .args(["serve", "--port", "0"])
            .env("TZ", "Pacific/Kiritimati")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start baton serve");
        let log = Arc::new(Mutex::new(String::new()));
        // Drain stderr so the server never blocks on a full pipe; keep it for failure messages.
        let (stderr, sink) = (child.stderr.take().expect("stderr"), Arc::clone(&log));
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut log) = sink.lock() {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            addr: String::new(),
            log,
        };
        let line = rx.recv_timeout(PATIENCE).unwrap_or_else(|_| {
            panic!(
                "no URL printed within {PATIENCE:?}; stderr:\n{}",
                server.log()
            )
        });
        let addr = line
            .strip_prefix("serving http://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        server.addr = addr.to_string();
        server
    }

    pub(crate) fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub(crate) fn addr(&self) -> &str {
        &self.addr
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `request` as it is and returns the whole answer, head and body.
    pub(crate) fn raw(&self, request: &str) -> String {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        stream.write_all(request.as_bytes()).expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("response");
        String::from_utf8_lossy(&raw).into_owned()
    }

    /// `GET path` with `Host: host`: (status, content type, body).
    fn get_as(&self, path: &str, host: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("response");
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").expect("head and body");
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        let content_type = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Type: "))
            .unwrap_or_default()
            .to_string();
        (status, content_type, body.to_string())
    }

    pub(crate) fn get(&self, path: &str) -> (u16, String, String) {
        self.get_as(path, &self.addr.clone())
    }

    fn json(&self, path: &str) -> serde_json::Value {
        let (status, kind, body) = self.get(path);
        assert_eq!((status, kind.as_str()), (200, "application/json"), "{path}");
        serde_json::from_str(&body).expect("json")
    }

    /// Polls until `done` holds, failing with the server's log after [`PATIENCE`].
    fn wait_for(&self, what: &str, done: impl Fn(&Server) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < PATIENCE,
                "{what}: not within {PATIENCE:?}; stderr:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn booked(s: &Server) -> u64 {
    s.json("/metrics.json")["current"]["team"]["meetings_booked"]
        .as_u64()
        .expect("meetings_booked")
}

#[test]
fn serve_rebuilds_on_change_reloads_and_keeps_the_last_good_site() {
    let project = copy_fixture("small");
    let root = project.path();
    std::fs::write(root.join("secret.txt"), "TOP SECRET").expect("secret");
    let server = Server::start(root);

    let (status, kind, page) = server.get("/index.html");
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(page.contains("7 meetings booked, 4 held"), "{page}");
    // The reload script is added when served, never written into the site.
    assert!(page.contains("/__baton/status") && page.contains("var version = 1;"));
    let built = std::fs::read_to_string(root.join("output/index.html")).expect("built");
    assert!(!built.contains("__baton"));
    assert_eq!(server.get("/").2, page);
    assert_eq!(server.get("/__baton/version").2, "1");
    assert_eq!(booked(&server), 7);
    let (status, kind, _) = server.get("/assets/style.css");
    assert_eq!((status, kind.as_str()), (200, "text/css; charset=utf-8"));

    // Nothing outside output/, whatever the path says.
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/sdr/../../secret.txt",
        "/.gitkeep",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("TOP SECRET"), "{path} leaked");
    }
    assert_eq!(server.get("/no-such-page.html").0, 404);
    assert_eq!(server.get_as("/index.html", "evil.example").0, 403);

    // A new hand-off in the data: rebuilt and served without a restart.
    let handoffs = root.join("data/handoffs.csv");
    let mut csv = std::fs::read_to_string(&handoffs).expect("handoffs");
    csv.push_str(
        "L9,Umbrella Corp,s2,a1,2026-10-27T09:00:00Z,2026-10-27T10:00:00Z,2026-10-28T09:00:00Z,\
         cold,y,y,y,n,a,b,c,d,e,Costs,,pending,,\n",
    );
    std::fs::write(&handoffs, &csv).expect("add a hand-off");
    server.wait_for("the new hand-off served", |s| booked(s) == 8);
    assert!(server
        .get("/index.html")
        .2
        .contains("8 meetings booked, 4 held"));
    // The new site is in place before the build returns (it then removes the previous one),
    // and the version moves when it has returned: on a busy machine the test can read the
    // new pages under the old version, so it waits for the version too (checked exactly below).
    server.wait_for("the new version announced", |s| {
        s.get("/__baton/version").2 == "2"
    });
    let status = server.json("/__baton/status");
    assert_eq!(
        (status["ok"].as_bool(), status["version"].as_u64()),
        (Some(true), Some(2))
    );

    // A broken export (a renamed column; the size changes too, for clocks too coarse to tell):
    // the error is reported, the last good site stays served.
    std::fs::write(&handoffs, csv.replacen("handoff_at", "handoff_moment", 1)).expect("break");
    server.wait_for("the failed build reported", |s| {
        s.json("/__baton/status")["ok"] == false
    });
    let status = server.json("/__baton/status");
    let error = status["error"].as_str().expect("error text");
    assert!(
        error.contains("data/handoffs.csv:1: error: missing required column `handoff_at`"),
        "{error}"
    );
    assert_eq!(status["version"], 2);
    let (code, _, page) = server.get("/index.html");
    assert_eq!(code, 200);
    assert!(page.contains("8 meetings booked, 4 held"));
    assert!(server
        .log()
        .contains("build failed: still serving the last good site"));

    // Fixed again: served, and the banner's source is clear.
    std::fs::write(&handoffs, &csv).expect("fix");
    server.wait_for("the fixed build served", |s| {
        s.json("/__baton/status")["version"] == 3
    });
    assert_eq!(server.json("/__baton/status")["ok"], true);
}
