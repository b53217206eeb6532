//! Levee's HTTP API: axum on tokio over `levee-store` and `levee-engine`.
//!
//! - [`api`]: the route table that builds both the router and the OpenAPI 3.1 document;
//! - [`auth`]: Bearer tokens, session cookies with CSRF, argon2id, per-project roles, and the gate
//!   of every route (authentication, authorisation, audit of refused changes, metrics, logs);
//! - [`projects`]: push (content-addressed blobs, then a manifest that commits a revision the
//!   engine assessed), pull, the summary and the report;
//! - [`resources`]: zones, conduits, assets, responses, evidence, risk scenarios, findings (with
//!   VEX triage), SBOMs, assessments and scans;
//! - [`admin`]: users, tokens, sessions, members, the audit log, `/health`, `/metrics`;
//! - [`client`]: the push and pull client `levee push`/`levee pull` use;
//! - [`problem`]: RFC 9457 problem details and the JSON body reader;
//! - [`ui`]: the web UI, server-rendered pages over the same handlers and access rules.
//!
//! Every use case is an engine call (`levee_engine::assess_bundle`, `SbomScan`): the server holds
//! no assessment logic. It listens on loopback by default; TLS belongs to a reverse proxy.

#![forbid(unsafe_code)]

pub mod admin;
pub mod api;
pub mod auth;
pub mod client;
mod derive;
pub mod http;
pub mod metrics;
pub mod monitor;
pub mod problem;
pub mod projects;
pub mod resources;
pub mod state;
pub mod tls;
pub mod ui;
pub mod wire;

use std::future::Future;

pub use api::{openapi, router, routes};
pub use state::{AppState, Config};

/// Why the server stopped or could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Binds `state.config().listen` and serves until `shutdown` completes, then finishes the requests
/// under way (graceful shutdown). `ready` gets the bound address (port 0 picks one).
pub async fn serve(
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
    ready: impl FnOnce(std::net::SocketAddr),
) -> Result<(), ServeError> {
    let addr = state.config().listen;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    ready(listener.local_addr()?);
    let tls = state.config().tls.clone();
    // The monitoring worker runs beside the API and ends with the process.
    let worker = state
        .config()
        .monitor
        .then(|| tokio::spawn(monitor::run_worker(state.clone())));
    let app = router(state);
    match tls {
        Some(config) => {
            axum::serve(tls::TlsListener::new(listener, config)?, app)
                .with_graceful_shutdown(shutdown)
                .await?;
        }
        None => {
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await?;
        }
    }
    if let Some(w) = worker {
        w.abort();
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests under way");
}
