//! The web UI that `levee serve` serves beside the API: server-rendered HTML pages, one CSS and
//! one JS file embedded in the binary, no outside load.
//!
//! Every page goes through [`gate`], as every API route goes through [`crate::auth::gate`]: the
//! same authentication (session cookie or Bearer token) and the same [`Access`] as the API route
//! it shows, so a page never reveals what the API would refuse. Without credentials a page
//! redirects to `/login`; with too small a role it is a 403 page. A change made with a session
//! cookie carries the session's CSRF token (a hidden `csrf` field, or the `X-CSRF-Token` header
//! from the upload script); refused changes are in the audit log under the API's action names.
//! Every answer has a strict Content-Security-Policy (no inline script or style, nothing from
//! another origin, no framing) and `X-Content-Type-Options: nosniff`.
//!
//! Changes are made by the API's own handlers (triage: [`crate::resources::triage`]; uploads:
//! [`crate::projects::put_blob`] then [`crate::projects::push`]; sign-in:
//! [`crate::admin::login`]), so the UI validates, records and audits exactly as the API does.

mod findings;
pub mod html;
mod login;
mod monitoring;
mod pages;
mod project;
mod upload;

use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequestParts, RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use levee_store::{AuditDraft, Outcome, Role};

use crate::auth::{self, Access, Actor, Via};
use crate::problem::Problem;
use crate::state::AppState;
use html::{Viewer, esc};

/// Where the stylesheet is served.
pub const CSS_PATH: &str = "/ui/levee.css";
/// Where the script is served.
pub const JS_PATH: &str = "/ui/levee.js";

const CSS: &str = include_str!("../../assets/levee.css");
const JS: &str = include_str!("../../assets/levee.js");

/// The Content-Security-Policy of every UI answer.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// One page route.
pub struct UiRoute {
    /// The method.
    pub method: Method,
    /// The path.
    pub path: &'static str,
    /// The metrics label.
    pub id: &'static str,
    /// Who may open it: the access of the API route it shows or changes through.
    pub access: Access,
    /// The audit action of a refused change (the API's).
    pub action: &'static str,
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

fn route<H, T>(
    method: Method,
    path: &'static str,
    id: &'static str,
    access: Access,
    action: &'static str,
    h: H,
) -> UiRoute
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
    UiRoute {
        method,
        path,
        id,
        access,
        action,
        handler: on(filter, h),
    }
}

/// Every page route.
pub fn routes() -> Vec<UiRoute> {
    use Access::{Authenticated, Project, Public};
    use Method as M;
    vec![
        route(M::GET, "/", "ui.root", Public, "-", || async {
            redirect("/projects")
        }),
        route(M::GET, CSS_PATH, "ui.css", Public, "-", || async {
            asset("text/css; charset=utf-8", CSS)
        }),
        route(M::GET, JS_PATH, "ui.js", Public, "-", || async {
            asset("text/javascript; charset=utf-8", JS)
        }),
        route(M::GET, "/login", "ui.login", Public, "-", login::page),
        route(
            M::POST,
            "/login",
            "ui.signIn",
            Public,
            "session.create",
            login::sign_in,
        ),
        route(
            M::POST,
            "/logout",
            "ui.signOut",
            Authenticated,
            "session.delete",
            login::sign_out,
        ),
        route(
            M::GET,
            "/projects",
            "ui.dashboard",
            Authenticated,
            "-",
            pages::dashboard,
        ),
        route(
            M::GET,
            "/projects/{id}",
            "ui.project",
            Project(Role::Viewer),
            "-",
            project::page,
        ),
        route(
            M::GET,
            "/projects/{id}/zones/{target}",
            "ui.zone",
            Project(Role::Viewer),
            "-",
            project::zone,
        ),
        route(
            M::GET,
            "/projects/{id}/conduits/{target}",
            "ui.conduit",
            Project(Role::Viewer),
            "-",
            project::conduit,
        ),
        route(
            M::GET,
            "/projects/{id}/zones/{target}/requirements/{req}",
            "ui.zoneRequirement",
            Project(Role::Viewer),
            "-",
            project::zone_requirement,
        ),
        route(
            M::GET,
            "/projects/{id}/conduits/{target}/requirements/{req}",
            "ui.conduitRequirement",
            Project(Role::Viewer),
            "-",
            project::conduit_requirement,
        ),
        route(
            M::GET,
            "/projects/{id}/findings",
            "ui.findings",
            Project(Role::Viewer),
            "-",
            findings::page,
        ),
        route(
            M::POST,
            "/projects/{id}/findings/{fid}/triage",
            "ui.triage",
            Project(Role::Assessor),
            "finding.triage",
            findings::triage,
        ),
        route(
            M::POST,
            "/projects/{id}/reviews",
            "ui.review",
            Project(Role::Assessor),
            "review.record",
            monitoring::record,
        ),
        route(
            M::GET,
            "/projects/{id}/upload",
            "ui.uploadForm",
            Project(Role::Assessor),
            "-",
            upload::page,
        ),
        route(
            M::POST,
            "/projects/{id}/upload",
            "ui.upload",
            Project(Role::Assessor),
            "project.push",
            upload::receive,
        ),
    ]
}

/// The UI router: every page behind [`gate`] and its body limit.
pub fn router(state: AppState) -> Router<AppState> {
    let config = state.config().clone();
    let mut router = Router::new();
    for r in routes() {
        let gate = UiGate {
            state: state.clone(),
            route: r.id,
            access: r.access,
            action: r.action,
        };
        let limit = if r.id == "ui.upload" {
            config.blob_limit
        } else {
            config.json_limit
        };
        let handler = r
            .handler
            .layer::<_, std::convert::Infallible>(middleware::from_fn_with_state(
                limit,
                crate::problem::refuse_declared_over,
            ))
            .layer::<_, std::convert::Infallible>(middleware::from_fn_with_state(gate, self::gate))
            .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(limit));
        router = router.route(r.path, handler);
    }
    router
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// A 303 to `to`.
pub fn redirect(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// An HTML page with its status.
pub fn html_page(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// A problem as an error page: what was refused and why, in words.
pub fn error_page(viewer: &Viewer, p: &Problem) -> Response {
    let title = match p.status {
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::PAYLOAD_TOO_LARGE => "Too large",
        s if s.is_server_error() => "Server error",
        _ => "Refused",
    };
    let body = format!(
        r#"{}<p><a href="/projects">Back to the projects</a></p>"#,
        html::notice("error", &p.detail)
    );
    let page = html::Page {
        title,
        viewer,
        crumbs: &[],
        body,
    };
    let mut r = html_page(p.status, page.render());
    r.extensions_mut().insert(crate::problem::ProblemCode(p.code));
    r
}

/// The headers of every UI answer.
fn secure(r: &mut Response, page: bool) {
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if page && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// What the gate of one page knows.
#[derive(Clone)]
pub struct UiGate {
    state: AppState,
    route: &'static str,
    access: Access,
    action: &'static str,
}

/// The CSRF token a form sent, and the body rebuilt for the handler.
async fn sent_csrf(headers: &HeaderMap, body: Body, limit: usize) -> Result<(Option<String>, Body), Problem> {
    if let Some(t) = headers.get(auth::CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return Ok((Some(t.to_owned()), body));
    }
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Ok((None, body));
    }
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
            "the form is larger than this server accepts",
        )
    })?;
    let token = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|t| html::form(t, 64))
        .and_then(|f| html::field(&f, "csrf").map(str::to_owned));
    Ok((token, Body::from(bytes)))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The middleware of every page (see the module documentation).
pub async fn gate(State(g): State<UiGate>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let safe = matches!(method, Method::GET | Method::HEAD);
    let (mut parts, body) = req.into_parts();
    let project = match RawPathParams::from_request_parts(&mut parts, &()).await {
        Ok(p) => p.iter().find(|(k, _)| *k == "id").map(|(_, v)| v.to_owned()),
        Err(_) => None,
    };
    let here = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    let store = g.state.store();
    let limit = if g.route == "ui.upload" {
        g.state.config().blob_limit
    } else {
        g.state.config().json_limit
    };
    // Authenticated as a read: the gate checks the CSRF token itself, since a form cannot send
    // the header the API asks for.
    let mut viewer = Viewer::default();
    let mut body = Some(body);
    let checked: Result<Option<Actor>, Problem> = async {
        let actor = match auth::authenticate(store, &parts.headers, &Method::GET).await {
            Ok(a) => a,
            Err(p) if p.status == StatusCode::UNAUTHORIZED && g.access == Access::Public => None,
            Err(p) => return Err(p),
        };
        if let Some(Actor {
            via: Via::Session(id_hash),
            user,
            ..
        }) = &actor
        {
            if let Some(s) = store.session(id_hash).await? {
                viewer.csrf = s.csrf_token;
            }
            viewer.user.clone_from(user);
            if !safe && g.access != Access::Public {
                let (sent, rebuilt) =
                    sent_csrf(&parts.headers, body.take().unwrap_or_default(), limit).await?;
                body = Some(rebuilt);
                if !sent.is_some_and(|t| constant_time_eq(t.as_bytes(), viewer.csrf.as_bytes())) {
                    return Err(Problem::new(
                        StatusCode::FORBIDDEN,
                        "csrf",
                        "this form is out of date or came from another site: reload the page and try again",
                    ));
                }
            }
        } else if let Some(a) = &actor {
            viewer.user.clone_from(&a.user);
        }
        auth::authorize(store, g.access, actor, project.as_deref()).await
    }
    .await;
    let name = match &checked {
        Ok(Some(a)) => a.user.clone(),
        _ => "anonymous".to_owned(),
    };
    let mut req = Request::from_parts(parts, body.unwrap_or_default());
    let mut response = match checked {
        Ok(actor) => {
            if let Some(a) = actor {
                req.extensions_mut().insert(a);
            }
            req.extensions_mut().insert(viewer);
            next.run(req).await
        }
        Err(p) if p.status == StatusCode::UNAUTHORIZED => {
            let mut r = redirect(&format!("/login?next={}", html::pct(&here)));
            r.extensions_mut().insert(crate::problem::ProblemCode(p.code));
            r
        }
        Err(p) => error_page(&viewer, &p),
    };
    let status = response.status();
    let refused = response
        .extensions()
        .get::<crate::problem::ProblemCode>()
        .map(|c| c.0);
    if !safe
        && g.action != "-"
        && let Some(code) = refused.filter(|_| !status.is_success())
    {
        let outcome = if matches!(
            status,
            StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        ) {
            Outcome::Denied
        } else {
            Outcome::Rejected
        };
        let target = project.map_or_else(|| g.route.to_owned(), |p| format!("project:{p}"));
        let draft = AuditDraft {
            actor: name.clone(),
            action: g.action.to_owned(),
            target,
            outcome,
            detail: format!("{} {code} (web UI)", status.as_u16()),
            before: None,
            after: None,
        };
        if let Err(e) = store.audit(draft).await {
            tracing::error!(error = %e, "the audit entry of a refused request could not be written");
        }
    }
    let page = !matches!(g.route, "ui.css" | "ui.js");
    secure(&mut response, page);
    let elapsed = started.elapsed();
    g.state.metrics().observe(g.route, status.as_u16(), elapsed);
    tracing::info!(
        route = g.route,
        method = %method,
        status = status.as_u16(),
        user = %name,
        ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// A problem from an API handler, as the page says it: the detail, escaped.
pub fn problem_text(p: &Problem) -> String {
    esc(&p.detail)
}

/// Reads an API handler's JSON answer, or its problem.
pub async fn answer_json(r: Result<Response, Problem>) -> Result<serde_json::Value, Problem> {
    let r = r?;
    let status = r.status();
    let bytes = axum::body::to_bytes(r.into_body(), 256 << 20)
        .await
        .map_err(Problem::internal)?;
    if !status.is_success() {
        return Err(Problem::internal(format!("an API handler answered {status}")));
    }
    serde_json::from_slice(&bytes).map_err(Problem::internal)
}
