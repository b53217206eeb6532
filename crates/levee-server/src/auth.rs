//! Who is asking and what they may do: Bearer tokens and session cookies (with a CSRF token for
//! state-changing requests), argon2id passwords, per-project roles, and the gate every route
//! passes: it authenticates, authorises by the route's [`Access`], audits refused attempts at
//! changes, and counts the request in the metrics.

use std::time::Instant;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use levee_store::{AuditDraft, Outcome, Role, Store, now_ms, sha256_hex};

use crate::problem::{Problem, ProblemCode};
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "levee_session";

/// The header a cookie-authenticated state-changing request carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What a route asks of the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (health, metrics, the OpenAPI document, signing in).
    Public,
    /// Any valid credentials.
    Authenticated,
    /// A global role at least this high (and an unscoped token for admin work).
    Global(Role),
    /// At least this role on the project named by the `{id}` path parameter.
    Project(Role),
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A Bearer token, by id.
    Token(String),
    /// A session cookie (its id hash).
    Session(String),
}

/// The authenticated caller, in the request's extensions for handlers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user name.
    pub user: String,
    /// The user's global role.
    pub role: Role,
    /// The one project a scoped token may reach.
    pub scope: Option<String>,
    /// The role on the route's project, when the route has one.
    pub project_role: Option<Role>,
    /// How they authenticated.
    pub via: Via,
}

impl Actor {
    /// Whether this caller may see `project` at all (for lists).
    pub fn may_see(&self, project: &str) -> bool {
        self.scope.as_deref().is_none_or(|p| p == project)
    }
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes) and a random salt.
pub fn hash_password(password: &str) -> Result<String, Problem> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(Problem::internal)?;
    let salt = SaltString::encode_b64(&salt).map_err(Problem::internal)?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(Problem::internal)
}

/// Checks a password against a stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A new secret: 32 random bytes in hex, after `prefix`.
pub fn random_secret(prefix: &str) -> Result<String, Problem> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(Problem::internal)?;
    Ok(format!("{prefix}{}", levee_store::hex(&bytes)))
}

/// A token as given to its user once: `lvt_<id>_<secret>`, with the id (not secret) and the
/// hash that is stored.
pub struct IssuedToken {
    /// The whole token.
    pub token: String,
    /// Its id.
    pub id: String,
    /// SHA-256 of the whole token.
    pub hash: String,
}

/// Makes a token.
pub fn issue_token() -> Result<IssuedToken, Problem> {
    let secret = random_secret("")?;
    let id = secret[..12].to_owned();
    let token = format!("lvt_{id}_{}", &secret[12..]);
    Ok(IssuedToken {
        hash: sha256_hex(token.as_bytes()),
        token,
        id,
    })
}

fn unauthenticated(code: &'static str, detail: &str) -> Problem {
    Problem::new(StatusCode::UNAUTHORIZED, code, detail)
}

fn forbidden(code: &'static str, detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::FORBIDDEN, code, detail)
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Who sent these headers: `None` without credentials, a problem for bad ones.
pub async fn authenticate(
    store: &Store,
    headers: &HeaderMap,
    method: &Method,
) -> Result<Option<Actor>, Problem> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unauthenticated("bad-credentials", "send `Authorization: Bearer <token>`"))?;
        let info = store
            .token(&sha256_hex(token.as_bytes()))
            .await?
            .ok_or_else(|| unauthenticated("invalid-token", "the token is not known to this server"))?;
        if info.revoked_at.is_some() {
            return Err(unauthenticated("token-revoked", "the token was revoked"));
        }
        if info.expires_at.is_some_and(|t| t <= now_ms()) {
            return Err(unauthenticated(
                "token-expired",
                "the token has expired; create a new one",
            ));
        }
        if info.disabled {
            return Err(unauthenticated("user-disabled", "the token's user is disabled"));
        }
        return Ok(Some(Actor {
            user: info.user,
            role: info.role,
            scope: info.project,
            project_role: None,
            via: Via::Token(info.id),
        }));
    }
    if let Some(id) = cookie(headers, SESSION_COOKIE) {
        let id_hash = sha256_hex(id.as_bytes());
        let s = store
            .session(&id_hash)
            .await?
            .filter(|s| !s.disabled)
            .ok_or_else(|| unauthenticated("session-expired", "the session has ended; sign in again"))?;
        let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        let echoed = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if !safe && !echoed.is_some_and(|t| constant_time_eq(t.as_bytes(), s.csrf_token.as_bytes())) {
            return Err(forbidden(
                "csrf",
                format!(
                    "a change made with a session cookie needs the `{CSRF_HEADER}` header of the session"
                ),
            ));
        }
        return Ok(Some(Actor {
            user: s.user,
            role: s.role,
            scope: None,
            project_role: None,
            via: Via::Session(id_hash),
        }));
    }
    Ok(None)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks `access` for `actor` on `project`; fills in the project role.
pub async fn authorize(
    store: &Store,
    access: Access,
    actor: Option<Actor>,
    project: Option<&str>,
) -> Result<Option<Actor>, Problem> {
    if access == Access::Public {
        return Ok(actor);
    }
    let Some(mut actor) = actor else {
        return Err(unauthenticated(
            "unauthenticated",
            "this needs credentials: a Bearer token or a session",
        ));
    };
    match access {
        Access::Public | Access::Authenticated => {}
        Access::Global(need) => {
            if need == Role::Admin && actor.scope.is_some() {
                return Err(forbidden(
                    "out-of-scope",
                    "a token scoped to one project cannot do admin work",
                ));
            }
            if actor.role < need {
                return Err(forbidden("role", format!("this needs the {need} role")));
            }
        }
        Access::Project(need) => {
            let id = project.unwrap_or_default();
            if !actor.may_see(id) {
                return Err(forbidden(
                    "out-of-scope",
                    format!("the token is scoped to another project than `{id}`"),
                ));
            }
            let role = if actor.role == Role::Admin {
                Role::Admin
            } else {
                store.member_role(id, &actor.user).await?.unwrap_or(actor.role)
            };
            if role < need {
                return Err(forbidden(
                    "role",
                    format!("this needs the {need} role on project `{id}`"),
                ));
            }
            actor.project_role = Some(role);
        }
    }
    Ok(Some(actor))
}

/// What the gate of one route knows.
#[derive(Clone)]
pub struct Gate {
    /// The server.
    pub state: AppState,
    /// The route's id (metrics, logs).
    pub route: &'static str,
    /// The route's access.
    pub access: Access,
    /// The audit action of a change through it.
    pub action: &'static str,
}

/// The middleware of every route (see the module documentation).
pub async fn gate(State(g): State<Gate>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let (mut parts, body) = req.into_parts();
    let project = match RawPathParams::from_request_parts(&mut parts, &()).await {
        Ok(p) => p.iter().find(|(k, _)| *k == "id").map(|(_, v)| v.to_owned()),
        Err(_) => None,
    };
    let store = g.state.store();
    let checked = match authenticate(store, &parts.headers, &method).await {
        Ok(actor) => authorize(store, g.access, actor, project.as_deref()).await,
        Err(p) => Err(p),
    };
    let name = match &checked {
        Ok(Some(a)) => a.user.clone(),
        _ => "anonymous".to_owned(),
    };
    let mut req = Request::from_parts(parts, body);
    let response = match checked {
        Ok(actor) => {
            if let Some(a) = actor {
                req.extensions_mut().insert(a);
            }
            next.run(req).await
        }
        Err(p) => {
            let mut r = p.into_response();
            if r.status() == StatusCode::UNAUTHORIZED {
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"levee\""),
                );
            }
            r
        }
    };
    // A refusal by an extractor (a path parameter that is not a number) becomes a problem too.
    let response = if (response.status().is_client_error() || response.status().is_server_error())
        && response.extensions().get::<ProblemCode>().is_none()
    {
        as_problem(response).await
    } else {
        response
    };
    let status = response.status();
    let safe = matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && (status.is_client_error() || status.is_server_error()) {
        let code = response.extensions().get::<ProblemCode>().map_or("-", |c| c.0);
        let outcome = if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
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
            detail: format!("{} {code}", status.as_u16()),
            before: None,
            after: None,
        };
        if let Err(e) = store.audit(draft).await {
            tracing::error!(error = %e, "the audit entry of a refused request could not be written");
        }
    }
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

/// A plain error answer as a problem with the same status, its text as the detail.
async fn as_problem(response: Response) -> Response {
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .unwrap_or_default();
    let detail = String::from_utf8_lossy(&bytes).trim().to_owned();
    let code = match status {
        StatusCode::BAD_REQUEST => "bad-request",
        StatusCode::PAYLOAD_TOO_LARGE => "body-too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid-body",
        StatusCode::NOT_FOUND => "not-found",
        s if s.is_server_error() => "internal",
        _ => "bad-request",
    };
    Problem::new(
        status,
        code,
        if detail.is_empty() {
            status.to_string()
        } else {
            detail
        },
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens() {
        let h = hash_password("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
        let t = issue_token().expect("token");
        assert!(t.token.starts_with(&format!("lvt_{}_", t.id)));
        assert_eq!(t.hash, sha256_hex(t.token.as_bytes()));
        assert_ne!(issue_token().expect("token").token, t.token);
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; levee_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
        assert!(constant_time_eq(b"abc", b"abc") && !constant_time_eq(b"abc", b"abd"));
    }
}
