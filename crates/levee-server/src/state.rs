//! The server's shared state and configuration.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use levee_catalog::Catalog;
use levee_core::Date;
use levee_engine::AdvisoryData;
use levee_store::Store;

use crate::metrics::Metrics;

/// How a server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it listens (loopback by default: put a TLS reverse proxy in front for the network).
    pub listen: SocketAddr,
    /// The largest JSON body, in bytes.
    pub json_limit: usize,
    /// The largest file upload (one blob), in bytes.
    pub blob_limit: usize,
    /// How long one request may take before it is answered 503.
    pub request_timeout: Duration,
    /// Set `Secure` on the session cookie (behind TLS).
    pub secure_cookies: bool,
    /// The report date; `None` is today (UTC) at each assessment.
    pub date: Option<Date>,
    /// Failed sign-ins per user name per minute before 429.
    pub login_attempts: u32,
    /// Serve HTTPS with this configuration (`--tls-cert/--tls-key`); the session cookie is then
    /// always `Secure`. `None` serves plain HTTP (loopback, or behind a TLS reverse proxy).
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Run the monitoring worker (re-evaluation, diffs, webhook deliveries, review notices)
    /// beside the API.
    pub monitor: bool,
    /// How long the worker waits when the queue is empty.
    pub worker_poll: Duration,
    /// How long a claimed job is leased before another worker may take it.
    pub job_lease: Duration,
    /// The first webhook retry waits this long; each further one twice as long.
    pub webhook_backoff: Duration,
    /// Attempts per webhook delivery before it is marked failed.
    pub webhook_attempts: u32,
    /// How long one webhook request may take.
    pub webhook_timeout: Duration,
    /// How often the worker checks which reviews are due or overdue.
    pub review_check: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            json_limit: 4 << 20,
            blob_limit: usize::try_from(levee_engine::bundle::MAX_FILE_BYTES).unwrap_or(64 << 20),
            request_timeout: Duration::from_secs(120),
            secure_cookies: false,
            date: None,
            login_attempts: 5,
            tls: None,
            monitor: true,
            worker_poll: Duration::from_millis(500),
            job_lease: Duration::from_secs(600),
            webhook_backoff: Duration::from_secs(2),
            webhook_attempts: 6,
            webhook_timeout: Duration::from_secs(10),
            review_check: Duration::from_secs(300),
        }
    }
}

struct Inner {
    store: Store,
    catalog: Catalog,
    base: RwLock<Arc<AdvisoryData>>,
    data: RwLock<(Arc<AdvisoryData>, Vec<String>)>,
    config: Config,
    metrics: Metrics,
    logins: Mutex<HashMap<String, (Instant, u32)>>,
    started: Instant,
}

/// Everything a request handler reaches, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// A server's state.
    pub fn new(store: Store, catalog: Catalog, data: AdvisoryData, config: Config) -> AppState {
        let base = Arc::new(data);
        AppState(Arc::new(Inner {
            store,
            catalog,
            data: RwLock::new((base.clone(), Vec::new())),
            base: RwLock::new(base),
            config,
            metrics: Metrics::default(),
            logins: Mutex::new(HashMap::new()),
            started: Instant::now(),
        }))
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.0.catalog
    }

    /// The advisory data now: what was opened at start plus the files imported through the API.
    pub fn data(&self) -> Arc<AdvisoryData> {
        match self.0.data.read() {
            Ok(d) => d.0.clone(),
            Err(poisoned) => poisoned.into_inner().0.clone(),
        }
    }

    /// The advisory data opened at start (or reopened after the store changed), before any file
    /// imported through the API.
    pub fn base_data(&self) -> Arc<AdvisoryData> {
        match self.0.base.read() {
            Ok(b) => b.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the base data (the store was updated beside the server); the imported files
    /// are added again by the next [`crate::monitor::sync_data`].
    pub fn set_base_data(&self, data: AdvisoryData) {
        let mut guard = match self.0.base.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = Arc::new(data);
        // Forget which files the current data holds, so they are added to the new base.
        let mut d = match self.0.data.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        *d = (guard.clone(), Vec::new());
    }

    /// The SHA-256 values of the imported files [`AppState::data`] holds, sorted.
    pub fn data_digests(&self) -> Vec<String> {
        match self.0.data.read() {
            Ok(d) => d.1.clone(),
            Err(poisoned) => poisoned.into_inner().1.clone(),
        }
    }

    /// Replaces the advisory data with `data`, which holds the imported files `digests`.
    pub fn set_data(&self, data: AdvisoryData, digests: Vec<String>) {
        let mut guard = match self.0.data.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = (Arc::new(data), digests);
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// The metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// Seconds since start.
    pub fn uptime(&self) -> f64 {
        self.0.started.elapsed().as_secs_f64()
    }

    /// The report date for an assessment now: the configured one, else today (UTC).
    pub fn report_date(&self) -> Date {
        self.0
            .config
            .date
            .unwrap_or_else(|| Date::from_unix(levee_store::now_ms() / 1000))
    }

    /// Whether `name` may try to sign in now; counts the attempt when `failed`.
    pub fn login_allowed(&self, name: &str, failed: bool) -> bool {
        let Ok(mut m) = self.0.logins.lock() else {
            return false;
        };
        let now = Instant::now();
        if m.len() > 10_000 {
            m.retain(|_, (t, _)| now.duration_since(*t) < Duration::from_secs(60));
        }
        let e = m.entry(name.to_owned()).or_insert((now, 0));
        if now.duration_since(e.0) >= Duration::from_secs(60) {
            *e = (now, 0);
        }
        if failed {
            e.1 += 1;
        }
        e.1 < self.0.config.login_attempts
    }
}
