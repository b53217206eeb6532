//! The web UI's pages over HTTP: the headers every page carries, sign-in and the session
//! cookie, redirects for the signed-out, roles and CSRF on every change, uploads of the wrong
//! kind or size, and escaping of what a project names. (The browser flow is in the CLI's
//! headless-Chromium test.)

use levee_store::Role;

use crate::support::{TestServer, example};

fn pushed(s: &TestServer) -> String {
    let token = s.user("ana", Role::Admin);
    let bundle = levee_engine::ProjectBundle::read_dir(&example("water-treatment")).expect("read");
    s.remote(&token)
        .push("water-treatment", &bundle, None)
        .expect("push");
    token
}

const FORM: &str = "application/x-www-form-urlencoded";

fn sign_in(s: &TestServer, user: &str) -> (String, String) {
    let r = s.call(
        "POST",
        "/login",
        None,
        Some((
            FORM,
            format!("username={user}&password=a+long+test+password&next=%2Fprojects").as_bytes(),
        )),
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/projects"));
    let cookie = r.header("set-cookie").expect("a session cookie").to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().expect("pair").to_owned();
    let page = s.call("GET", "/projects", None, None, &[("Cookie", &pair)]);
    assert_eq!(page.status, 200);
    let html = page.text();
    let at = html.find("name=\"csrf-token\" content=\"").expect("csrf meta") + 27;
    let csrf = html[at..at + html[at..].find('"').expect("end")].to_owned();
    assert!(csrf.len() >= 16, "{csrf}");
    (pair, csrf)
}

#[test]
fn pages_carry_strict_headers_and_escape_what_projects_name() {
    let s = TestServer::start(None, "ui_headers");
    let token = pushed(&s);
    for path in [
        "/login",
        "/projects",
        "/projects/water-treatment",
        "/projects/water-treatment/findings",
    ] {
        let r = s.call("GET", path, Some(&token), None, &[]);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(
            r.header("content-security-policy"),
            Some(levee_server::ui::CSP),
            "{path}"
        );
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        let html = r.text();
        assert!(
            !html.contains("<script>") && !html.contains(" style=\""),
            "{path}: no inline script or style"
        );
        if path.ends_with("findings") || path == "/login" {
            assert!(html.contains("<label"), "{path}: labelled controls");
        }
    }
    // A project whose names hold markup shows them as text.
    let dir = tempfile::tempdir().expect("tmp");
    let mut bundle = levee_engine::ProjectBundle::read_dir(&example("water-treatment")).expect("read");
    let zones = std::fs::read_to_string(example("water-treatment").join("zones.toml")).expect("zones");
    let evil = zones.replacen(
        "name = \"Enterprise network\"",
        "name = \"<script>alert(1)</script>\"",
        1,
    );
    assert_ne!(zones, evil);
    bundle.insert("zones.toml", evil.into_bytes()).expect("zones");
    s.remote(&token).push("evil", &bundle, None).expect("push");
    let html = s.call("GET", "/projects/evil", Some(&token), None, &[]).text();
    assert!(
        !html.contains("<script>alert"),
        "markup from the project is escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    drop(dir);
}

#[test]
fn signed_out_pages_redirect_and_changes_need_the_role_and_the_csrf_token() {
    let s = TestServer::start(None, "ui_access");
    let _admin = pushed(&s);
    let r = s.call("GET", "/projects/water-treatment", None, None, &[]);
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("/login?next=%2Fprojects%2Fwater-treatment")
    );
    // Wrong password: the form again, with the reason, and no cookie.
    let r = s.call(
        "POST",
        "/login",
        None,
        Some((FORM, b"username=ana&password=wrong+password+here")),
        &[],
    );
    assert_eq!(r.status, 401, "{}", r.text());
    assert!(r.header("set-cookie").is_none());
    assert!(r.text().contains("name=\"username\""));

    s.user("vic", Role::Viewer);
    let (vic, vic_csrf) = sign_in(&s, "vic");
    let fid = s
        .get("/api/v1/projects/water-treatment/findings", &s.token("ana", None))
        .json()["items"][0]["id"]
        .as_str()
        .expect("a finding")
        .to_owned();
    let triage = format!("/projects/water-treatment/findings/{fid}/triage");
    let body = format!("csrf={vic_csrf}&state=affected");
    // A viewer is refused even with a valid CSRF token.
    let r = s.call(
        "POST",
        &triage,
        None,
        Some((FORM, body.as_bytes())),
        &[("Cookie", &vic)],
    );
    assert_eq!(r.status, 403, "{}", r.text());

    s.user("asa", Role::Assessor);
    let (asa, csrf) = sign_in(&s, "asa");
    // An assessor without the CSRF token (a cross-site form) is refused, and it is audited.
    let before = s.audit(0).len();
    let r = s.call(
        "POST",
        &triage,
        None,
        Some((FORM, b"state=affected")),
        &[("Cookie", &asa)],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("reload the page"), "{}", r.text());
    let audit = s.audit(0);
    assert!(
        audit.len() > before && audit.iter().any(|e| e.action == "finding.triage"),
        "refusal audited"
    );
    // With it, the triage is recorded.
    let body = format!("csrf={csrf}&state=affected&detail=patch+planned");
    let r = s.call(
        "POST",
        &triage,
        None,
        Some((FORM, body.as_bytes())),
        &[("Cookie", &asa)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let f = s.get(
        &format!("/api/v1/projects/water-treatment/findings/{fid}"),
        &s.token("ana", None),
    );
    assert_eq!(f.json()["state"], "affected", "{}", f.text());

    // Concurrent edits: a form loaded before someone else's triage carries the old version; it is
    // refused with a message naming the finding, and the other edit is kept.
    let stale_etag = f
        .header("etag")
        .expect("a finding has an ETag")
        .trim_matches('"')
        .to_owned();
    let body = format!("csrf={csrf}&state=fixed&detail=second+edit&etag={stale_etag}");
    let r = s.call(
        "POST",
        &triage,
        None,
        Some((FORM, body.as_bytes())),
        &[("Cookie", &asa)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let body = format!("csrf={csrf}&state=affected&detail=late+edit&etag={stale_etag}");
    let r = s.call(
        "POST",
        &triage,
        None,
        Some((FORM, body.as_bytes())),
        &[("Cookie", &asa)],
    );
    assert_eq!(r.status, 412, "{}", r.text());
    assert!(
        r.text().contains("changed by someone else") && r.text().contains(&fid),
        "{}",
        r.text()
    );
    let f = s.get(
        &format!("/api/v1/projects/water-treatment/findings/{fid}"),
        &s.token("ana", None),
    );
    assert_eq!(f.json()["state"], "fixed", "the first edit is kept: {}", f.text());

    // Uploads: the wrong kind of file and an empty one are refused; nothing is stored.
    let revision = s
        .get("/api/v1/projects/water-treatment", &s.token("ana", None))
        .json()["revision"]
        .clone();
    let up = "/projects/water-treatment/upload?kind=sbom&asset=plc-filtration&name=x.json";
    for (bytes, code) in [(&b"not an sbom"[..], 422), (&b""[..], 422)] {
        let r = s.call(
            "POST",
            up,
            None,
            Some(("application/octet-stream", bytes)),
            &[("Cookie", &asa), ("X-CSRF-Token", &csrf)],
        );
        assert_eq!(r.status, code, "{}", r.text());
    }
    let r = s.call(
        "POST",
        "/projects/water-treatment/upload?kind=capture&name=x.pcap",
        None,
        Some(("application/octet-stream", b"definitely not a capture")),
        &[("Cookie", &asa), ("X-CSRF-Token", &csrf)],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(
        s.get("/api/v1/projects/water-treatment", &s.token("ana", None))
            .json()["revision"],
        revision,
        "nothing was stored"
    );
}

#[test]
fn an_upload_over_the_limit_is_refused_before_it_is_read() {
    let s = TestServer::start_with(None, "ui_limit", |c| c.blob_limit = 256 << 10);
    let token = pushed(&s);
    let r = s.call_declaring(
        "POST",
        "/projects/water-treatment/upload?kind=sbom&asset=plc-filtration&name=big.json",
        &token,
        "application/octet-stream",
        512 << 10,
    );
    assert_eq!(r.status, 413, "{}", r.text());
}
