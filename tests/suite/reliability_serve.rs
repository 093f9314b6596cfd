//! `baton serve` under hostile clients (issue 17): a folder redirect cannot send the browser to
//! another host, many idle connections do not make a thread each and do not lock out a real
//! request, and a client dripping its request is cut off. Loopback only; every wait is bounded.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::util::copy_fixture;
use crate::workflow::serve::Server;

/// The `Location` header of a raw answer.
fn location(raw: &str) -> Option<&str> {
    raw.split("\r\n\r\n")
        .next()?
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
}

#[test]
fn serve_folder_redirects_stay_on_the_origin() {
    let project = copy_fixture("small");
    let server = Server::start(project.path());
    for (path, to) in [
        ("/sdr", "/sdr/"),
        ("//sdr", "/sdr/"),
        ("///sdr", "/sdr/"),
        ("/%2Fsdr", "/sdr/"),
        ("/.%2F/sdr", ""),
    ] {
        let host = server.addr().to_string();
        let raw = server.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        if to.is_empty() {
            assert!(raw.starts_with("HTTP/1.1 404"), "{path}: {raw}");
            continue;
        }
        assert!(raw.starts_with("HTTP/1.1 301"), "{path}: {raw}");
        assert_eq!(location(&raw), Some(to), "{path}");
    }
}

/// Threads of process `pid` (Linux), or `None` where /proc is not there.
fn threads(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

#[test]
fn serve_many_idle_connections_use_a_bounded_number_of_threads() {
    const IDLE: usize = 300;
    let project = copy_fixture("small");
    let server = Server::start(project.path());
    let before = threads(server.pid());
    let idle: Vec<TcpStream> = (0..IDLE)
        .map(|_| TcpStream::connect(server.addr()).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    if let (Some(before), Some(during)) = (before, threads(server.pid())) {
        // 16 workers beside the main, watch and build threads; a thread per connection was 300.
        assert!(
            during <= before + 20,
            "{during} threads with {IDLE} idle connections ({before} before)"
        );
    }
    // A real request is answered while they hang on: turned away (503) or queued at first,
    // served once the idle ones have used up their few seconds.
    let start = Instant::now();
    loop {
        let answer = std::panic::catch_unwind(|| server.get("/index.html"));
        match answer {
            Ok((200, _, page)) => {
                assert!(page.contains("meetings booked"), "{page}");
                break;
            }
            Ok((503, _, _)) | Err(_) => {}
            Ok((status, _, body)) => panic!("{status}: {body}"),
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no answer within 20 s; stderr:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // The idle connections were closed by the server (a 408 or 503, then end of stream).
    for mut stream in idle.into_iter().take(20) {
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .expect("timeout");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.is_empty()
                || answer.starts_with("HTTP/1.1 408")
                || answer.starts_with("HTTP/1.1 503"),
            "{answer}"
        );
    }
}

#[test]
fn serve_closes_a_connection_that_drips_its_request() {
    let project = copy_fixture("small");
    let server = Server::start(project.path());
    let mut stream = TcpStream::connect(server.addr()).expect("connect");
    let mut reader = stream.try_clone().expect("clone");
    let host = server.addr().to_string();
    write!(stream, "GET /index.html HTTP/1.1\r\nHost: {host}\r\n").expect("send");
    let start = Instant::now();
    // One header byte every 300 ms, for at most 20 s: each read of the server gets something
    // well within any per-read timeout, so only a deadline for the whole head ends it.
    let drip = std::thread::spawn(move || {
        while start.elapsed() < Duration::from_secs(20) {
            if stream.write_all(b"X").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    });
    reader
        .set_read_timeout(Some(Duration::from_secs(25)))
        .expect("timeout");
    let mut answer = Vec::new();
    let _ = reader.read_to_end(&mut answer);
    let closed_after = start.elapsed();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    assert!(
        closed_after < Duration::from_secs(12),
        "still open after {closed_after:?}: {answer}"
    );
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let _ = drip.join();
}
