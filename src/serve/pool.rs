//! Serving connections with a fixed number of threads: [`WORKERS`] threads take accepted
//! connections from a queue of [`QUEUE`]; when the queue is full, the connection is answered
//! `503` at once and closed. Before this, each connection had a thread of its own, and 2,000
//! slow connections made 1,380 threads and 271 MB (issue 17).
//!
//! Hand-written rather than `tiny_http`: measured with tiny_http 0.12, 1,000 idle connections
//! held 989 threads, still there 20 s later (its task pool adds a thread whenever none is idle,
//! and it has no read deadline), the very fault this fixes.

use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::http::{self, Response};

/// Connections served at once. A browser opens about six per site; the rest wait in the
/// queue, at most [`http::HEAD_DEADLINE`] each when they send nothing.
pub const WORKERS: usize = 16;
/// Accepted connections waiting for a worker before new ones are turned away with `503`.
pub const QUEUE: usize = 64;

/// Accepts connections from `listener` for ever, calling `handle` on one of [`WORKERS`]
/// threads with each connection and the moment it was accepted.
pub fn run<F>(listener: &TcpListener, handle: F)
where
    F: Fn(TcpStream, Instant) + Send + Sync + 'static,
{
    let (queue, waiting) = mpsc::sync_channel::<(TcpStream, Instant)>(QUEUE);
    let waiting = Arc::new(Mutex::new(waiting));
    let handle = Arc::new(handle);
    for _ in 0..WORKERS {
        let (waiting, handle) = (Arc::clone(&waiting), Arc::clone(&handle));
        std::thread::spawn(move || work(&waiting, &*handle));
    }
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => match queue.try_send((stream, Instant::now())) {
                Ok(()) => {}
                Err(TrySendError::Full((stream, _))) => busy(&stream),
                Err(TrySendError::Disconnected(_)) => return,
            },
            Err(e) => eprintln!("serve: connection failed: {e}"),
        }
    }
}

/// A worker: handles queued connections one at a time until the queue is gone.
fn work<F: Fn(TcpStream, Instant)>(waiting: &Mutex<Receiver<(TcpStream, Instant)>>, handle: &F) {
    loop {
        // The lock is held only while waiting for the next connection, not while serving it.
        let next = waiting.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok((stream, accepted)) = next else {
            return;
        };
        handle(stream, accepted);
    }
}

/// Turns a connection away: the answer is a few bytes written into a fresh socket's empty
/// send buffer, so the accepting thread does not wait on the client.
fn busy(stream: &TcpStream) {
    let _ = stream.set_nonblocking(true);
    http::write_response(
        stream,
        &Response::text(503, "baton serve is busy; try again"),
        false,
    );
}
