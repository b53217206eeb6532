//! The web UI in a real headless Chromium: `e2e/ui.test.mjs` (Playwright's `playwright-core`
//! driving Debian's `/usr/bin/chromium`) against a `levee serve` started here on loopback with the
//! water-treatment example pushed. It signs in, uploads an SBOM onto an asset, triages one of its
//! findings as not affected (first without a justification, refused) and checks that the
//! dashboard's counts follow. Screenshots go to `target/ci-artifacts/ui` (CI keeps them).
//!
//! Needs Node.js, `npm ci` run in `e2e/` and Chromium; in CI (`CI=true`) each missing piece is a
//! failure, elsewhere the test says `SKIPPED:` and returns.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::macros::levee_in;
use crate::server::{Server, admin};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Node, the installed `playwright-core` and Chromium, or why not (a failure in CI).
fn browser_kit() -> Option<(PathBuf, PathBuf)> {
    let e2e = workspace().join("e2e");
    let chromium = PathBuf::from("/usr/bin/chromium");
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = if !node {
        Some("node is not installed")
    } else if !e2e.join("node_modules/playwright-core").is_dir() {
        Some("e2e/node_modules is missing (run `npm ci` in e2e/)")
    } else if !chromium.exists() {
        Some("chromium is not installed (apt install chromium)")
    } else {
        None
    };
    if let Some(why) = missing {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the web UI end-to-end test needs it in CI: {why}"
        );
        eprintln!("SKIPPED: {why}; the web UI was not tested in a browser");
        return None;
    }
    Some((e2e, chromium))
}

#[test]
fn web_ui_sign_in_upload_triage_and_dashboard_in_headless_chromium() {
    let Some((e2e, chromium)) = browser_kit() else {
        return;
    };
    let home = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite:{}", home.path().join("levee.db").display());
    let token = admin(home.path(), &db, "alice", "admin");
    let server = Server::start(home.path(), &db);
    let example = workspace().join("examples/water-treatment");
    let push = levee_in(
        home.path(),
        &[
            "push",
            example.to_str().expect("utf-8 path"),
            "--server",
            &server.url,
            "--token",
            &token,
        ],
    );
    assert_code!(push, 0);
    let shots = std::env::var_os("LEVEE_ARTIFACTS")
        .map_or_else(|| workspace().join("target/ci-artifacts"), PathBuf::from)
        .join("ui");
    // The PLC's SBOM onto a second asset: the same firmware on another controller.
    let sbom = home.path().join("plc-filtration.cdx.json");
    std::fs::copy(example.join("sbom/plc-chem-dosing.cdx.json"), &sbom).expect("copy the SBOM");
    let run = Command::new("node")
        .args(["--test", "--test-reporter=spec", "ui.test.mjs"])
        .current_dir(&e2e)
        .env("LEVEE_E2E_URL", &server.url)
        .env("LEVEE_E2E_USER", "alice")
        .env("LEVEE_E2E_PASS", "a long enough password")
        .env("LEVEE_E2E_SBOM", &sbom)
        .env("LEVEE_E2E_ASSET", "plc-filtration")
        .env("LEVEE_E2E_SHOTS", &shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let out = String::from_utf8_lossy(&run.stdout);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the browser test failed:\n{out}\n{err}");
    for shot in ["dashboard.png", "project.png", "findings.png"] {
        let len = std::fs::metadata(shots.join(shot)).map_or(0, |m| m.len());
        assert!(len > 10_000, "screenshot {shot} was taken ({len} bytes)");
    }
}
