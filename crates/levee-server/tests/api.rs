//! The API end to end: push and pull round trip (the pulled project assesses exactly like the
//! pushed one), the summary, lists, ETags and If-Match, triage, scans, members, sessions, audit.

use levee_engine::{AssessRequest, DataRequest, DataSupply};
use levee_store::Role;

use crate::support::{DATE, TestServer, example, servers};

fn local_report(dir: &std::path::Path) -> String {
    let catalog = levee_catalog::Catalog::bundled().expect("catalog");
    let request = AssessRequest {
        dir: dir.to_path_buf(),
        date: Some(DATE.parse().expect("date")),
        ..AssessRequest::default()
    };
    let done = levee_engine::assess_project(&request, &catalog, DataSupply::Open(&DataRequest::default()))
        .expect("assess");
    levee_report::to_json(&done.report)
}

fn pushed(s: &TestServer) -> String {
    let token = s.user("ana", Role::Assessor);
    let bundle = levee_engine::ProjectBundle::read_dir(&example("water-treatment")).expect("read");
    let p = s
        .remote(&token)
        .push("water-treatment", &bundle, None)
        .expect("push");
    assert_eq!(p.result["project"]["revision"], 1, "{}", s.backend);
    assert_eq!(p.uploaded, bundle.len());
    token
}

#[test]
fn push_pull_round_trip_assesses_exactly_like_the_pushed_project() {
    for s in servers("round_trip") {
        let token = pushed(&s);
        let out = tempfile::tempdir().expect("tmp");
        let bundle = s.remote(&token).pull("water-treatment").expect("pull");
        bundle.write_dir(out.path()).expect("write");
        let original = levee_engine::ProjectBundle::read_dir(&example("water-treatment")).expect("read");
        assert_eq!(bundle, original, "{}: pulled files differ", s.backend);
        let here = local_report(&example("water-treatment"));
        assert_eq!(local_report(out.path()), here, "{}", s.backend);
        let served = s.get("/api/v1/projects/water-treatment/report", &token);
        assert_eq!(served.status, 200);
        assert_eq!(
            served.text(),
            here,
            "{}: the server's report is the CLI's",
            s.backend
        );
        // Pushing the same files again uploads nothing and makes revision 2.
        let again = s
            .remote(&token)
            .push("water-treatment", &original, None)
            .expect("push");
        assert_eq!(
            (again.uploaded, again.result["project"]["revision"].as_i64()),
            (0, Some(2))
        );
        let html = s.call(
            "GET",
            "/api/v1/projects/water-treatment/report?format=html",
            Some(&token),
            None,
            &[],
        );
        assert_eq!(html.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(html.text().contains("<html"), "{}", s.backend);
        // PDF and XLSX downloads render from the stored report.json with the CLI's renderers.
        let report: levee_report::assessment::Report =
            serde_json::from_str(&here).expect("the CLI's report.json");
        for (format, content_type, want) in [
            ("pdf", "application/pdf", levee_report::pdf::render(&report)),
            (
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                levee_report::xlsx::render(&report).expect("xlsx"),
            ),
        ] {
            let got = s.call(
                "GET",
                &format!("/api/v1/projects/water-treatment/report?format={format}"),
                Some(&token),
                None,
                &[],
            );
            assert_eq!(got.status, 200, "{}: {format}", s.backend);
            assert_eq!(got.header("content-type"), Some(content_type));
            assert_eq!(
                got.header("content-disposition"),
                Some(format!("attachment; filename=\"water-treatment-report.{format}\"").as_str())
            );
            assert!(got.body == want, "{}: {format} differs from the CLI's", s.backend);
        }
        let bad = s.call(
            "GET",
            "/api/v1/projects/water-treatment/report?format=docx",
            Some(&token),
            None,
            &[],
        );
        assert_eq!(bad.status, 400, "{}", s.backend);
    }
}

#[test]
fn the_summary_has_levels_per_zone_open_findings_and_the_review() {
    for s in servers("summary") {
        let token = pushed(&s);
        let a = s.get("/api/v1/projects/water-treatment/summary", &token);
        assert_eq!(a.status, 200, "{}", a.text());
        let v = a.json();
        let zones = v["zones"].as_array().expect("zones");
        assert_eq!(zones.len(), 6, "{}", s.backend);
        // The control zone (SL-T 3 from the insider scenario) misses its target; the DMZ meets it.
        let control = zones.iter().find(|z| z["id"] == "control").expect("control");
        assert_eq!(control["meets_target"], false);
        assert!(!control["short_frs"].as_array().expect("frs").is_empty());
        let dmz = zones.iter().find(|z| z["id"] == "dmz").expect("dmz");
        assert_eq!(dmz["meets_target"], true);
        assert!(dmz["short_frs"].as_array().expect("frs").is_empty());
        assert_eq!(v["review"]["as_of"], DATE);
        assert!(v["review"]["due"].is_string());
        let open = &v["open_findings"];
        let total: i64 = ["critical", "high", "medium", "low", "info"]
            .iter()
            .map(|k| open[k].as_i64().unwrap_or(0))
            .sum();
        assert_eq!(open["total"].as_i64(), Some(total));
        let findings = s.get("/api/v1/projects/water-treatment/findings", &token).json();
        assert_eq!(
            findings["total"].as_i64(),
            Some(total),
            "every finding starts open"
        );
        // The ETag answers 304 when the client has it.
        let etag = a.header("etag").expect("etag").to_owned();
        let again = s.call(
            "GET",
            "/api/v1/projects/water-treatment/summary",
            Some(&token),
            None,
            &[("If-None-Match", &etag)],
        );
        assert_eq!(again.status, 304);
    }
}

#[test]
fn lists_page_and_filter_and_every_resource_has_an_etag() {
    for s in servers("lists") {
        let token = pushed(&s);
        let all = s.get("/api/v1/projects/water-treatment/assets", &token).json();
        let total = all["total"].as_i64().expect("total");
        assert!(total >= 20, "{all}");
        let page = s
            .get("/api/v1/projects/water-treatment/assets?limit=5&offset=5", &token)
            .json();
        assert_eq!(page["items"].as_array().map(Vec::len), Some(5));
        assert_eq!(page["items"][0], all["items"][5], "{}", s.backend);
        let control = s
            .get("/api/v1/projects/water-treatment/assets?zone=control", &token)
            .json();
        let n = control["total"].as_i64().expect("total");
        assert!(n > 0 && n < total);
        assert!(
            control["items"]
                .as_array()
                .expect("items")
                .iter()
                .all(|a| a["zone"] == "control")
        );
        for kind in [
            "zones",
            "conduits",
            "assets",
            "responses",
            "evidence",
            "risk-scenarios",
            "findings",
            "sboms",
        ] {
            let list = s.get(&format!("/api/v1/projects/water-treatment/{kind}"), &token);
            assert_eq!(list.status, 200, "{kind}: {}", list.text());
            let first = list.json()["items"][0].clone();
            assert!(!first.is_null(), "{kind} is empty on {}", s.backend);
            let rid = first["id"]
                .as_str()
                .or(first["sha256"].as_str())
                .expect("id")
                .to_owned();
            let one = s.get(
                &format!(
                    "/api/v1/projects/water-treatment/{kind}/{}",
                    rid.replace(' ', "%20")
                ),
                &token,
            );
            assert_eq!(one.status, 200, "{kind}/{rid}: {}", one.text());
            assert_eq!(one.json(), first);
            assert!(one.header("etag").is_some_and(|e| e.len() == 66), "{kind}");
        }
        let missing = s.get("/api/v1/projects/water-treatment/zones/nope", &token);
        assert_eq!((missing.status, missing.problem().as_str()), (404, "not-found"));
    }
}

#[test]
fn a_stale_if_match_is_412_and_changes_nothing() {
    for s in servers("if_match") {
        let token = pushed(&s);
        let project = s.get("/api/v1/projects/water-treatment", &token);
        let etag = project.header("etag").expect("etag").to_owned();
        let bundle = levee_engine::ProjectBundle::read_dir(&example("water-treatment")).expect("read");
        let r = s.remote(&token);
        let e = r
            .push("water-treatment", &bundle, Some("0000"))
            .expect_err("stale");
        assert_eq!((e.status, e.code.as_deref()), (Some(412), Some("stale-etag")));
        assert_eq!(
            s.get("/api/v1/projects/water-treatment", &token).header("etag"),
            Some(etag.as_str())
        );
        r.push("water-treatment", &bundle, Some(etag.trim_matches('"')))
            .expect("fresh etag");
        let finding = s.get("/api/v1/projects/water-treatment/findings", &token).json()["items"][0].clone();
        let id = finding["id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/projects/water-treatment/findings/{id}/triage");
        let body = serde_json::json!({"state": "not-affected", "justification": "vulnerable_code_not_in_execute_path", "detail": "port closed"});
        let stale = s.send_json("PUT", &path, &token, &body, &[("If-Match", "\"abc\"")]);
        assert_eq!((stale.status, stale.problem().as_str()), (412, "stale-etag"));
        let fetched = s.get(&format!("/api/v1/projects/water-treatment/findings/{id}"), &token);
        let etag = fetched.header("etag").expect("etag").to_owned();
        let before =
            s.get("/api/v1/projects/water-treatment/summary", &token).json()["open_findings"]["total"]
                .as_i64();
        let ok = s.send_json("PUT", &path, &token, &body, &[("If-Match", &etag)]);
        assert_eq!(ok.status, 200, "{}", ok.text());
        assert_eq!(ok.json()["state"], "not-affected");
        assert_eq!(ok.json()["triage"]["by"], "ana");
        let after =
            s.get("/api/v1/projects/water-treatment/summary", &token).json()["open_findings"]["total"]
                .as_i64();
        assert_eq!(after, before.map(|n| n - 1), "{}", s.backend);
        // The old ETag is stale now.
        let again = s.send_json("PUT", &path, &token, &body, &[("If-Match", &etag)]);
        assert_eq!(again.status, 412);
        // Triage outlives a push.
        r.push("water-treatment", &bundle, None).expect("push");
        let kept = s
            .get(&format!("/api/v1/projects/water-treatment/findings/{id}"), &token)
            .json();
        assert_eq!(kept["state"], "not-affected", "{}", s.backend);
        let closed = s
            .get(
                "/api/v1/projects/water-treatment/findings?status=not-affected",
                &token,
            )
            .json();
        assert_eq!(closed["total"], 1);
    }
}

#[test]
fn scans_assessments_members_sessions_and_the_audit_chain() {
    for s in servers("misc") {
        let token = pushed(&s);
        let scan = s.send_json(
            "POST",
            "/api/v1/projects/water-treatment/scans",
            &token,
            &serde_json::json!({"sbom": "sbom/plc-chem-dosing.cdx.json"}),
            &[],
        );
        assert_eq!(scan.status, 201, "{}", scan.text());
        assert!(scan.json()["findings"].is_array(), "{}", scan.text());
        let listed = s.get("/api/v1/projects/water-treatment/scans", &token).json();
        assert_eq!(listed["total"], 1);
        assert_eq!(
            s.get("/api/v1/projects/water-treatment/scans/1", &token).json(),
            scan.json()
        );
        let rerun = s.call(
            "POST",
            "/api/v1/projects/water-treatment/assessments",
            Some(&token),
            None,
            &[],
        );
        assert_eq!(rerun.status, 201, "{}", rerun.text());
        assert_eq!(
            s.get("/api/v1/projects/water-treatment/assessments", &token)
                .json()["total"],
            2
        );
        assert_eq!(
            s.get("/api/v1/projects/water-treatment/assessments/1", &token)
                .status,
            200
        );
        // Per-project roles: an assessor made viewer on this project may read but not push.
        let admin = s.user("root", Role::Admin);
        let bob = s.user("bob", Role::Assessor);
        let set = s.send_json(
            "PUT",
            "/api/v1/projects/water-treatment/members/bob",
            &admin,
            &serde_json::json!({"role": "viewer"}),
            &[],
        );
        assert_eq!(set.status, 200, "{}", set.text());
        assert_eq!(
            s.get("/api/v1/projects/water-treatment/summary", &bob).status,
            200
        );
        let denied = s.call(
            "POST",
            "/api/v1/projects/water-treatment/assessments",
            Some(&bob),
            None,
            &[],
        );
        assert_eq!((denied.status, denied.problem().as_str()), (403, "role"));
        // A session: the cookie alone reads; a change needs the CSRF token too.
        let login = s.send_json(
            "POST",
            "/api/v1/session",
            "",
            &serde_json::json!({"name": "ana", "password": "a long test password"}),
            &[],
        );
        assert_eq!(login.status, 201, "{}", login.text());
        let cookie = login.header("set-cookie").expect("cookie").to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        let pair = cookie.split(';').next().expect("pair").to_owned();
        let csrf = login.json()["csrf_token"].as_str().expect("csrf").to_owned();
        let me = s.call("GET", "/api/v1/me", None, None, &[("Cookie", &pair)]);
        assert_eq!(me.json()["user"], "ana");
        let no_csrf = s.call(
            "POST",
            "/api/v1/projects/water-treatment/assessments",
            None,
            None,
            &[("Cookie", &pair)],
        );
        assert_eq!((no_csrf.status, no_csrf.problem().as_str()), (403, "csrf"));
        let with = s.call(
            "POST",
            "/api/v1/projects/water-treatment/assessments",
            None,
            None,
            &[("Cookie", &pair), ("X-CSRF-Token", &csrf)],
        );
        assert_eq!(with.status, 201, "{}", with.text());
        let wrong = s.send_json(
            "POST",
            "/api/v1/session",
            "",
            &serde_json::json!({"name": "ana", "password": "wrong"}),
            &[],
        );
        assert_eq!(wrong.status, 401);
        // The audit log holds every change and refusal, and the chain verifies.
        let log = s.get("/api/v1/audit?limit=500", &admin).json();
        let actions: Vec<(String, String)> = log
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap_or("").to_owned(),
                    e["outcome"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        for want in [
            ("project.push", "ok"),
            ("scan.run", "ok"),
            ("assessment.run", "denied"),
            ("member.set", "ok"),
            ("session.create", "denied"),
        ] {
            assert!(
                actions.iter().any(|(a, o)| a == want.0 && o == want.1),
                "{want:?} not in {actions:?}"
            );
        }
        let verify = s.get("/api/v1/audit/verify", &admin).json();
        assert_eq!(verify["ok"], true, "{verify}");
        assert_eq!(s.get("/api/v1/audit/verify", &token).status, 403);
        let health = s.call("GET", "/health", None, None, &[]);
        assert_eq!(health.json()["database"], s.backend);
        let metrics = s.call("GET", "/metrics", None, None, &[]).text();
        assert!(
            metrics.contains("levee_http_requests_total{route=\"getSummary\",status=\"200\"}"),
            "{metrics}"
        );
    }
}

#[test]
fn the_openapi_document_names_every_route() {
    let s = TestServer::start(None, "openapi");
    let doc = s.call("GET", "/api/openapi.json", None, None, &[]).json();
    assert_eq!(doc["openapi"], "3.1.0");
    for r in levee_server::routes() {
        let path = r.path.replace("{*", "{");
        let op = &doc["paths"][&path][r.method.as_str().to_ascii_lowercase()];
        assert_eq!(op["operationId"], r.id, "{} {path}", r.method);
    }
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap_or("");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling $ref {name}"
        );
    }
}
