//! `--tls-cert/--tls-key`: the server speaks HTTPS with the given certificate, refuses plain HTTP
//! on that port without stopping, and marks the session cookie Secure.

use std::io::{Read, Write};
use std::sync::Arc;

use crate::support::TestServer;

const CERT: &[u8] = include_bytes!("data/tls/cert.pem");
const KEY: &[u8] = include_bytes!("data/tls/key.pem");

fn start() -> TestServer {
    TestServer::start_with(None, "tls", |c| {
        c.tls = Some(levee_server::tls::server_config(CERT, KEY).expect("tls config"));
    })
}

fn agent(trusting: bool) -> ureq::Agent {
    let mut tls = ureq::tls::TlsConfig::builder();
    if trusting {
        let cert = ureq::tls::Certificate::from_pem(CERT).expect("pem");
        tls = tls.root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![cert])));
    }
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .tls_config(tls.build())
        .build()
        .into()
}

#[test]
fn https_with_the_given_certificate_and_plain_http_refused() {
    let s = start();
    let addr: std::net::SocketAddr = s.base.trim_start_matches("http://").parse().expect("addr");
    let port = addr.port();
    // A client that trusts the certificate gets answers over HTTPS.
    let health = agent(true)
        .get(&format!("https://localhost:{port}/health"))
        .call()
        .expect("https health");
    assert_eq!(health.status(), 200);
    let openapi = agent(true)
        .get(&format!("https://127.0.0.1:{port}/api/openapi.json"))
        .call()
        .expect("https openapi");
    assert_eq!(openapi.status(), 200);
    // One that does not is refused by its own verification (the certificate is self-signed).
    assert!(
        agent(false)
            .get(&format!("https://localhost:{port}/health"))
            .call()
            .is_err()
    );
    // Plain HTTP on the TLS port gets no HTTP answer, and the server goes on serving.
    let mut plain = std::net::TcpStream::connect(addr).expect("connect");
    plain
        .set_read_timeout(Some(std::time::Duration::from_secs(15)))
        .expect("timeout");
    plain
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("write");
    let mut buf = Vec::new();
    let _ = plain.read_to_end(&mut buf);
    assert!(
        !buf.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&buf)
    );
    // A client that connects and sends nothing does not hold up others.
    let _idle = std::net::TcpStream::connect(addr).expect("connect");
    let again = agent(true)
        .get(&format!("https://localhost:{port}/health"))
        .call()
        .expect("https after a failed handshake");
    assert_eq!(again.status(), 200);
    // Signing in over TLS sets a Secure session cookie without --secure-cookies.
    s.block_on(levee_server::admin::create_user(
        &s.store,
        "test",
        "ana",
        levee_store::Role::Assessor,
        "a long test password",
    ))
    .expect("user");
    let login = agent(true)
        .post(&format!("https://localhost:{port}/api/v1/session"))
        .header("content-type", "application/json")
        .send(r#"{"name": "ana", "password": "a long test password"}"#)
        .expect("login");
    assert!(login.status().is_success(), "{}", login.status());
    let cookie = login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("set-cookie")
        .to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
}
