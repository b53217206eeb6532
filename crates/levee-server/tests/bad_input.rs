//! Bad input: oversized bodies, wrong content types, malformed JSON, unknown fields, SQL-ish
//! strings, traversal in file names, expired and revoked tokens, an invalid project. Each is a
//! problem with the right status, nothing is stored half-way, and refused changes are audited.

use levee_store::Role;
use serde_json::json;

use crate::support::{example, servers};

#[test]
fn bad_requests_are_problems_and_change_nothing() {
    for s in servers("bad_input") {
        let token = s.user("ana", Role::Assessor);
        let bundle = levee_engine::ProjectBundle::read_dir(&example("water-treatment")).expect("read");
        s.remote(&token)
            .push("water-treatment", &bundle, None)
            .expect("push");
        let files = "/api/v1/projects/water-treatment/files";
        let manifest = s.get(files, &token);
        let before = s.audit(0).len();
        let cases: Vec<(u16, &str, super::support::Answer)> = vec![
            (
                413,
                "body-too-large",
                s.call_declaring("PUT", files, &token, "application/json", 2 << 20),
            ),
            (
                415,
                "unsupported-media-type",
                s.call("PUT", files, Some(&token), Some(("text/plain", b"{}")), &[]),
            ),
            (
                400,
                "malformed-json",
                s.call(
                    "PUT",
                    files,
                    Some(&token),
                    Some(("application/json", b"{\"files\": [")),
                    &[],
                ),
            ),
            (
                422,
                "invalid-body",
                s.send_json("PUT", files, &token, &json!({"files": [], "extra": 1}), &[]),
            ),
            (
                400,
                "bad-path",
                s.send_json(
                    "PUT",
                    files,
                    &token,
                    &json!({"files": [{"path": "../../etc/passwd", "sha256": "a".repeat(64), "size": 1}]}),
                    &[],
                ),
            ),
            (
                400,
                "bad-path",
                s.send_json(
                    "PUT",
                    files,
                    &token,
                    &json!({"files": [{"path": "/etc/passwd", "sha256": "a".repeat(64), "size": 1}]}),
                    &[],
                ),
            ),
            (
                400,
                "bad-sha256",
                s.send_json(
                    "PUT",
                    files,
                    &token,
                    &json!({"files": [{"path": "a.toml", "sha256": "' OR 1=1 --", "size": 1}]}),
                    &[],
                ),
            ),
            (
                409,
                "missing-blobs",
                s.send_json(
                    "PUT",
                    files,
                    &token,
                    &json!({"files": [{"path": "levee.toml", "sha256": "b".repeat(64), "size": 1}]}),
                    &[],
                ),
            ),
            (
                400,
                "bad-name",
                s.send_json(
                    "PUT",
                    "/api/v1/projects/x'%3B%20DROP%20TABLE%20projects%3B--/files",
                    &token,
                    &json!({"files": []}),
                    &[],
                ),
            ),
            (
                422,
                "hash-mismatch",
                s.call(
                    "PUT",
                    &format!("/api/v1/projects/water-treatment/blobs/{}", "c".repeat(64)),
                    Some(&token),
                    Some(("application/octet-stream", b"x")),
                    &[],
                ),
            ),
            (
                415,
                "unsupported-media-type",
                s.call(
                    "PUT",
                    &format!("/api/v1/projects/water-treatment/blobs/{}", "c".repeat(64)),
                    Some(&token),
                    Some(("application/json", b"x")),
                    &[],
                ),
            ),
        ];
        for (status, code, a) in &cases {
            assert_eq!(
                (a.status, a.problem().as_str()),
                (*status, *code),
                "{}: {}",
                s.backend,
                a.text()
            );
        }
        let audited = s.audit(0);
        let refused: Vec<_> = audited[before..]
            .iter()
            .filter(|e| e.outcome == "rejected")
            .collect();
        assert_eq!(
            refused.len(),
            cases.len(),
            "{}: every refused change is audited: {refused:?}",
            s.backend
        );
        assert!(refused.iter().any(|e| e.detail == "413 body-too-large"));
        // SQL-ish text in a filter is only a value.
        let sqlish = s.get(
            "/api/v1/projects/water-treatment/assets?zone=%27%20OR%201%3D1%20--",
            &token,
        );
        assert_eq!((sqlish.status, sqlish.json()["total"].as_i64()), (200, Some(0)));
        // A path parameter of the wrong type is a problem too.
        let seq = s.get("/api/v1/projects/water-treatment/assessments/abc", &token);
        assert_eq!((seq.status, seq.problem().as_str()), (400, "bad-request"));
        // Traversal when reading a file.
        let climb = s.get(
            "/api/v1/projects/water-treatment/files/..%2F..%2Fetc%2Fpasswd",
            &token,
        );
        assert_eq!((climb.status, climb.problem().as_str()), (400, "bad-path"));
        // An invalid project: every diagnostic, nothing stored.
        let mut broken = bundle.clone();
        broken
            .insert("zones.toml", b"[[zone]]\nid = \"z\"\nunknown_key = 1\n".to_vec())
            .expect("insert");
        let e = s
            .remote(&token)
            .push("water-treatment", &broken, None)
            .expect_err("invalid");
        assert_eq!(
            (e.status, e.code.as_deref()),
            (Some(422), Some("invalid-project"))
        );
        assert!(
            e.extra
                .as_ref()
                .and_then(|x| x["diagnostics"].as_array())
                .is_some_and(|d| !d.is_empty())
        );
        // Nothing of any of that was stored.
        let now = s.get(files, &token);
        assert_eq!(now.body, manifest.body, "{}", s.backend);
        assert_eq!(
            s.get("/api/v1/projects/water-treatment", &token).json()["revision"],
            1
        );
        assert_eq!(s.get("/api/v1/projects", &token).json()["total"], 1);
        assert_eq!(s.block_on(s.store.verify_audit()).expect("verify"), None);
    }
}

#[test]
fn expired_and_revoked_tokens_are_refused() {
    for s in servers("tokens") {
        s.user("ana", Role::Assessor);
        let expired = s
            .block_on(levee_server::admin::create_token(
                &s.store,
                "test",
                "ana",
                None,
                Some(0),
            ))
            .expect("token")
            .token;
        let a = s.get("/api/v1/me", &expired);
        assert_eq!((a.status, a.problem().as_str()), (401, "token-expired"));
        let token = s.token("ana", None);
        let made = s.send_json("POST", "/api/v1/tokens", &token, &json!({"expires_days": 1}), &[]);
        assert_eq!(made.status, 201, "{}", made.text());
        let second = made.json()["token"].as_str().expect("token").to_owned();
        let id = made.json()["id"].as_str().expect("id").to_owned();
        assert_eq!(s.get("/api/v1/me", &second).status, 200);
        let listed = s.get("/api/v1/tokens", &token).text();
        assert!(!listed.contains(&second), "a listing never shows a secret");
        assert_eq!(
            s.call("DELETE", &format!("/api/v1/tokens/{id}"), Some(&token), None, &[])
                .status,
            204
        );
        let a = s.get("/api/v1/me", &second);
        assert_eq!((a.status, a.problem().as_str()), (401, "token-revoked"));
        let a = s.get("/api/v1/me", "lvt_not_a_token");
        assert_eq!((a.status, a.problem().as_str()), (401, "invalid-token"));
        let a = s.call(
            "GET",
            "/api/v1/me",
            None,
            None,
            &[("Authorization", "Basic YTpi")],
        );
        assert_eq!((a.status, a.problem().as_str()), (401, "bad-credentials"));
        // A scoped token cannot make itself a wider one.
        let scoped = s.token("ana", Some("water-treatment"));
        let wider = s.send_json("POST", "/api/v1/tokens", &scoped, &json!({}), &[]);
        assert_eq!((wider.status, wider.problem().as_str()), (403, "out-of-scope"));
    }
}

#[test]
fn sign_ins_are_rate_limited_per_name() {
    let s = crate::support::TestServer::start(None, "login_limit");
    s.user("ana", Role::Viewer);
    let attempt = |password: &str| {
        s.send_json(
            "POST",
            "/api/v1/session",
            "",
            &json!({"name": "ana", "password": password}),
            &[],
        )
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong password").status, 401);
    }
    let limited = attempt("a long test password");
    assert_eq!(
        (limited.status, limited.problem().as_str()),
        (429, "too-many-attempts")
    );
    let other = s.send_json(
        "POST",
        "/api/v1/session",
        "",
        &json!({"name": "bob", "password": "x"}),
        &[],
    );
    assert_eq!(other.status, 401, "another name is not limited by ana's failures");
}
