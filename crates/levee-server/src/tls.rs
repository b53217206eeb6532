//! TLS for `levee serve --tls-cert/--tls-key`: a rustls server configuration read from PEM, and a
//! listener that completes handshakes off the accept loop.
//!
//! A handshake runs in a task of its own with a deadline, so a client that connects and sends
//! nothing (or sends slowly) holds one task until the deadline, never the listener; at most
//! [`MAX_HANDSHAKES`] run at once and further connections wait in the kernel's backlog. Failed
//! handshakes (a plain-HTTP client, an unknown CA, a timeout) are logged and dropped; the server
//! goes on.

use std::sync::Arc;
use std::time::Duration;

pub use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// How long a client has to complete the TLS handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How many handshakes run at once.
pub const MAX_HANDSHAKES: usize = 256;

/// Why a certificate or key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// The certificate file holds no PEM certificate, or one that does not parse.
    #[error("the certificate file holds no usable PEM certificate ({0})")]
    Certificate(String),
    /// The key file holds no PEM private key (PKCS#8, PKCS#1 or SEC1), or one that does not parse.
    #[error("the key file holds no usable PEM private key ({0})")]
    Key(String),
    /// rustls refused the pair (the key does not match the certificate, an unsupported algorithm).
    #[error("the certificate and key cannot be used together: {0}")]
    Config(String),
}

/// A rustls server configuration (TLS 1.3 and 1.2, HTTP/1.1 over ALPN) from a PEM certificate
/// chain (leaf first) and a PEM private key.
pub fn server_config(cert_pem: &[u8], key_pem: &[u8]) -> Result<Arc<ServerConfig>, TlsError> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError::Certificate(e.to_string()))?;
    if chain.is_empty() {
        return Err(TlsError::Certificate("no CERTIFICATE block".into()));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| TlsError::Key(e.to_string()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| TlsError::Config(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A listener whose connections are TLS streams, for `axum::serve`.
#[derive(Debug)]
pub struct TlsListener {
    local: std::net::SocketAddr,
    ready: mpsc::Receiver<(TlsStream<TcpStream>, std::net::SocketAddr)>,
}

impl TlsListener {
    /// Accepts on `tcp` and hands out the connections whose handshake with `config` succeeded.
    pub fn new(tcp: TcpListener, config: Arc<ServerConfig>) -> std::io::Result<TlsListener> {
        let local = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        let acceptor = TlsAcceptor::from(config);
        let permits = Arc::new(Semaphore::new(MAX_HANDSHAKES));
        tokio::spawn(async move {
            loop {
                let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
                    return;
                };
                let (stream, peer) = match tcp.accept().await {
                    Ok(c) => c,
                    Err(e) => {
                        // Out of file descriptors and the like: wait a moment, as axum does.
                        tracing::warn!("accepting a connection failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let sender = tx.clone();
                tokio::spawn(async move {
                    let _permit = permit;
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            let _ = sender.send((tls, peer)).await;
                        }
                        Ok(Err(e)) => tracing::debug!("TLS handshake with {peer} failed: {e}"),
                        Err(_) => tracing::debug!("TLS handshake with {peer} timed out"),
                    }
                });
                if tx.is_closed() {
                    return;
                }
            }
        });
        Ok(TlsListener { local, ready })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(c) => c,
            // The accept task ended (its listener failed for good): serve nothing more.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_pem_is_a_clear_error() {
        let none = server_config(b"not pem", b"not pem");
        assert!(matches!(none, Err(TlsError::Certificate(_))), "{none:?}");
        let cert = include_bytes!("../tests/data/tls/cert.pem");
        let key = server_config(
            cert,
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        );
        assert!(
            matches!(key, Err(TlsError::Key(_) | TlsError::Config(_))),
            "{key:?}"
        );
        let other_key = include_bytes!("../tests/data/tls/other-key.pem");
        let mismatch = server_config(cert, other_key);
        assert!(matches!(mismatch, Err(TlsError::Config(_))), "{mismatch:?}");
        let good = server_config(cert, include_bytes!("../tests/data/tls/key.pem"));
        assert!(good.is_ok(), "{good:?}");
    }
}
