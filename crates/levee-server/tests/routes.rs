//! Every route of the router, walked: 401 without credentials, 403 with too small a role (or a
//! token scoped to another project), and an audit entry for each refused change.

use levee_server::auth::Access;
use levee_store::Role;

use crate::support::TestServer;

fn filled(path: &str) -> String {
    path.split('/')
        .map(|seg| match seg {
            "{id}" => "water-treatment".to_owned(),
            "{seq}" => "1".to_owned(),
            "{sha256}" => "a".repeat(64),
            "{*path}" => "levee.toml".to_owned(),
            s if s.starts_with('{') => "x".to_owned(),
            s => s.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn every_route_refuses_no_credentials_and_too_small_a_role() {
    let s = TestServer::start(None, "route_walk");
    let viewer = s.user("vera", Role::Viewer);
    let assessor = s.user("ana", Role::Assessor);
    let elsewhere = s.token("vera", Some("other-project"));
    let mut walked = 0;
    for r in levee_server::routes() {
        let path = filled(r.path);
        let method = r.method.as_str();
        let body = (method != "GET" && method != "DELETE").then_some(("application/json", &b"{}"[..]));
        if r.access == Access::Public {
            let a = s.call(method, &path, None, body, &[]);
            assert_ne!(a.status, 401, "{method} {path} is public");
            continue;
        }
        let before = s.audit(0).len();
        let anonymous = s.call(method, &path, None, body, &[]);
        assert_eq!(
            anonymous.status,
            401,
            "{method} {path} without credentials: {}",
            anonymous.text()
        );
        assert_eq!(anonymous.problem(), "unauthenticated");
        assert!(
            anonymous
                .header("www-authenticate")
                .is_some_and(|h| h.starts_with("Bearer"))
        );
        let smaller = match r.access {
            Access::Global(Role::Admin) | Access::Project(Role::Admin) => Some(&assessor),
            Access::Project(Role::Assessor) | Access::Global(Role::Assessor) => Some(&viewer),
            Access::Project(Role::Viewer) => Some(&elsewhere),
            Access::Global(Role::Viewer) | Access::Authenticated | Access::Public => None,
        };
        if let Some(token) = smaller {
            let a = s.call(method, &path, Some(token), body, &[]);
            assert_eq!(
                a.status,
                403,
                "{method} {path} with too small a role: {}",
                a.text()
            );
            assert!(["role", "out-of-scope"].contains(&a.problem().as_str()));
        }
        let entries = s.audit(0);
        if method != "GET" {
            let refused: Vec<_> = entries[before..]
                .iter()
                .filter(|e| e.action == r.action)
                .collect();
            let want = if smaller.is_some() { 2 } else { 1 };
            assert_eq!(
                refused.len(),
                want,
                "{method} {path}: audit of refused attempts: {refused:?}"
            );
            assert!(refused.iter().all(|e| e.outcome == "denied"));
        } else {
            assert_eq!(entries.len(), before, "{method} {path}: reads are not audited");
        }
        walked += 1;
    }
    assert!(walked > 40, "only {walked} protected routes");
    assert_eq!(s.block_on(s.store.verify_audit()).expect("verify"), None);
}
