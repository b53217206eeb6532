//! A server in the test process, on an ephemeral loopback port, on SQLite and (when
//! `LEVEE_TEST_POSTGRES_URL` is set) on a fresh PostgreSQL database; and a small HTTP client.

use std::path::{Path, PathBuf};

use levee_server::{AppState, Config};
use levee_store::{Role, Store};

/// The report date every test server assesses with, so reports compare byte for byte.
pub const DATE: &str = "2026-11-28";

/// A running server.
pub struct TestServer {
    pub base: String,
    pub store: Store,
    pub backend: &'static str,
    /// The PostgreSQL database, dropped at the end.
    postgres: Option<levee_store::TestDatabase>,
    rt: tokio::runtime::Runtime,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// A response.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The problem code of a problem answer.
    pub fn problem(&self) -> String {
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.text()
        );
        let v = self.json();
        assert_eq!(v["status"].as_u64(), Some(u64::from(self.status)));
        v["type"]
            .as_str()
            .and_then(|t| t.rsplit('/').next())
            .unwrap_or("")
            .to_owned()
    }
}

pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// One server per store this run tests: SQLite always, PostgreSQL when configured.
pub fn servers(test: &str) -> Vec<TestServer> {
    let mut out = vec![TestServer::start(None, test)];
    if let Some(base) = levee_testutil::postgres_url(test) {
        out.push(TestServer::start(Some(base), test));
    }
    out
}

impl TestServer {
    pub fn start(postgres: Option<String>, test: &str) -> TestServer {
        TestServer::start_with(postgres, test, |_| {})
    }

    /// [`TestServer::start`] with the configuration changed by `configure` first.
    pub fn start_with(
        postgres: Option<String>,
        test: &str,
        configure: impl FnOnce(&mut Config),
    ) -> TestServer {
        let data = levee_engine::AdvisoryData::open(&levee_engine::DataRequest::default()).expect("data");
        TestServer::start_with_data(postgres, test, data, configure)
    }

    /// [`TestServer::start_with`] on the given advisory data.
    pub fn start_with_data(
        postgres: Option<String>,
        test: &str,
        data: levee_engine::AdvisoryData,
        configure: impl FnOnce(&mut Config),
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("tmp");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let (url, backend, pg) = match postgres {
            Some(base) => {
                let db = rt
                    .block_on(levee_store::TestDatabase::create(&base, test))
                    .expect("database");
                (db.url.clone(), "postgres", Some(db))
            }
            None => (
                format!("sqlite:{}", dir.path().join("server.db").display()),
                "sqlite",
                None,
            ),
        };
        let store = rt.block_on(Store::open(&url)).expect("store");
        let catalog = levee_catalog::Catalog::bundled().expect("catalog");
        let mut config = Config {
            listen: "127.0.0.1:0".parse().expect("addr"),
            date: Some(DATE.parse().expect("date")),
            json_limit: 1 << 20,
            ..Config::default()
        };
        configure(&mut config);
        let state = AppState::new(store.clone(), catalog, data, config);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (tx, rx) = std::sync::mpsc::channel();
        rt.spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            let r = levee_server::serve(state, shutdown, move |addr| {
                let _ = tx.send(addr);
            })
            .await;
            if let Err(e) = r {
                eprintln!("server: {e}");
            }
        });
        let addr = rx.recv().expect("the server bound an address");
        TestServer {
            base: format!("http://{addr}"),
            store,
            backend,
            postgres: pg,
            rt,
            stop: Some(stop),
            _dir: dir,
        }
    }

    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// Creates a user and returns a token for it.
    pub fn user(&self, name: &str, role: Role) -> String {
        self.block_on(levee_server::admin::create_user(
            &self.store,
            "test",
            name,
            role,
            "a long test password",
        ))
        .expect("user");
        self.token(name, None)
    }

    pub fn token(&self, user: &str, project: Option<&str>) -> String {
        self.block_on(levee_server::admin::create_token(
            &self.store,
            "test",
            user,
            project,
            None,
        ))
        .expect("token")
        .token
    }

    pub fn remote(&self, token: &str) -> levee_server::client::Remote {
        levee_server::client::Remote::new(&self.base, token).expect("remote")
    }

    /// One request; `body` is (content type, bytes).
    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<(&str, &[u8])>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .build()
            .into();
        let url = format!("{}{path}", self.base);
        let mut req = ureq::http::Request::builder().method(method).uri(&url);
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = match body {
            Some((ct, bytes)) => {
                let r = req
                    .header("Content-Type", ct)
                    .body(bytes.to_vec())
                    .expect("request");
                agent.run(r)
            }
            None => agent.run(req.body(()).expect("request")),
        };
        let mut resp = resp.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = resp
            .body_mut()
            .with_config()
            .limit(256 << 20)
            .read_to_vec()
            .unwrap_or_default();
        Answer {
            status,
            headers,
            body,
        }
    }

    /// A request that declares a body of `declared` bytes and sends none of it, over a plain
    /// socket: a server that checks the declared length answers at once (a client that went on
    /// writing a body the server refused would race the server closing the connection).
    pub fn call_declaring(&self, method: &str, path: &str, token: &str, ct: &str, declared: usize) -> Answer {
        use std::io::{Read, Write};
        let addr = self.base.trim_start_matches("http://");
        let mut sock = std::net::TcpStream::connect(addr).expect("connect");
        sock.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .expect("timeout");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: {ct}\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
        );
        sock.write_all(head.as_bytes()).expect("write head");
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        let (status, headers, body) = loop {
            let n = sock
                .read(&mut buf)
                .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
            raw.extend_from_slice(&buf[..n]);
            let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                assert!(n > 0, "{method} {path}: connection closed before an answer");
                continue;
            };
            let text = String::from_utf8_lossy(&raw[..end]).into_owned();
            let mut lines = text.split("\r\n");
            let status: u16 = lines
                .next()
                .and_then(|l| l.split(' ').nth(1))
                .and_then(|c| c.parse().ok())
                .expect("status line");
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
            let len: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .expect("the answer has a length");
            while raw.len() < end + 4 + len {
                let n = sock.read(&mut buf).expect("read body");
                assert!(n > 0, "{method} {path}: body cut short");
                raw.extend_from_slice(&buf[..n]);
            }
            break (status, headers, raw[end + 4..end + 4 + len].to_vec());
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub fn get(&self, path: &str, token: &str) -> Answer {
        self.call("GET", path, Some(token), None, &[])
    }

    pub fn send_json(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: &serde_json::Value,
        headers: &[(&str, &str)],
    ) -> Answer {
        let text = serde_json::to_vec(body).expect("json");
        let token = (!token.is_empty()).then_some(token);
        self.call(method, path, token, Some(("application/json", &text)), headers)
    }

    /// Audit entries from `after`.
    pub fn audit(&self, after: i64) -> Vec<levee_store::AuditEntry> {
        self.block_on(self.store.audit_entries(after, 10_000))
            .expect("audit")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(db) = self.postgres.take() {
            self.rt.block_on(self.store.close());
            drop(db);
        }
    }
}
