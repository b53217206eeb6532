//! A tiny HTTP/1.1 file server on 127.0.0.1 for the update tests: serves fixture bytes by path,
//! answers `Range` requests with 206, can cut a response short once, and logs every request.
//!
//! It only listens on loopback, handles at most a bounded number of connections, and stops when
//! dropped.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How the server answers one path.
#[derive(Clone, Default)]
pub struct Route {
    /// The body.
    pub body: Vec<u8>,
    /// Cut the next full (non-range) response after this many bytes, then serve normally.
    pub cut_once_at: Option<usize>,
    /// Answer with this status and no body instead.
    pub status: Option<u16>,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The path and query.
    pub target: String,
    /// The `Range` header, if any.
    pub range: Option<String>,
}

/// The server; stops when dropped.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

/// The most connections one server accepts before it stops by itself.
const MAX_CONNECTIONS: usize = 2000;

impl Server {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (r, s, st) = (routes.clone(), seen.clone(), stop.clone());
        let handle = std::thread::spawn(move || {
            let mut workers = Vec::new();
            for conn in listener.incoming().take(MAX_CONNECTIONS) {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (r, s) = (r.clone(), s.clone());
                workers.push(std::thread::spawn(move || serve(conn, &r, &s)));
            }
            for w in workers {
                let _ = w.join();
            }
        });
        Self {
            base,
            routes,
            seen,
            stop,
            handle: Some(handle),
        }
    }

    /// Serves `body` at `path`.
    pub fn put(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.route(
            path,
            Route {
                body: body.into(),
                ..Route::default()
            },
        );
    }

    /// Sets how `path` is answered.
    pub fn route(&self, path: &str, route: Route) {
        self.routes.lock().expect("lock").insert(path.to_owned(), route);
    }

    /// The URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.base.trim_start_matches("http://"));
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn serve(conn: TcpStream, routes: &Mutex<HashMap<String, Route>>, seen: &Mutex<Vec<Seen>>) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = conn.set_write_timeout(Some(Duration::from_secs(10)));
    let Ok(read_half) = conn.try_clone() else { return };
    let mut reader = BufReader::new(read_half);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut range = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.trim().eq_ignore_ascii_case("range")
        {
            range = Some(v.trim().to_owned());
        }
    }
    seen.lock().expect("lock").push(Seen {
        target: target.clone(),
        range: range.clone(),
    });
    let path = target.split('?').next().unwrap_or("").to_owned();
    let route = {
        let mut routes = routes.lock().expect("lock");
        // NVD pages are routed by their full target (path and query).
        let key = if routes.contains_key(&target) {
            target.clone()
        } else {
            path
        };
        let r = routes.get(&key).cloned();
        if let Some(live) = routes.get_mut(&key)
            && range.is_none()
        {
            live.cut_once_at = None;
        }
        r
    };
    let mut out = conn;
    let Some(route) = route else {
        let _ = out.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    if let Some(status) = route.status {
        let _ = write!(
            out,
            "HTTP/1.1 {status} Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        return;
    }
    let total = route.body.len();
    let start = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok());
    match start {
        Some(s) if s < total => {
            let _ = write!(
                out,
                "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {s}-{}/{total}\r\nConnection: close\r\n\r\n",
                total - s,
                total - 1
            );
            let _ = out.write_all(&route.body[s..]);
        }
        Some(_) => {
            let _ = write!(
                out,
                "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{total}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
        None => {
            let _ = write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {total}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n"
            );
            let cut = route.cut_once_at.unwrap_or(total).min(total);
            let _ = out.write_all(&route.body[..cut]);
        }
    }
    let _ = out.flush();
}
