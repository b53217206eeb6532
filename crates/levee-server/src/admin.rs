//! Users, tokens, sessions, project members, the audit log, and the operational routes
//! (`/health`, `/metrics`). [`create_user`] and [`create_token`] are also what `levee admin`
//! calls on the database directly.

use std::str::FromStr;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use levee_store::{AuditDraft, NewToken, Outcome, Role, Store, now_ms, sha256_hex};

use crate::auth::{self, Actor, SESSION_COOKIE, Via};
use crate::http::{ListParams, check_name, json, time};
use crate::problem::{JsonBody, Problem};
use crate::state::AppState;
use crate::wire::{
    AuditVerify, AuditView, Health, LoginRequest, Me, MemberRole, MemberView, NewTokenRequest, NewUser,
    SessionView, TokenCreated, TokenView, UserView,
};

type Result<T> = std::result::Result<T, Problem>;

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// How long a session lasts (8 hours).
pub const SESSION_MS: i64 = 8 * 3600 * 1000;

fn parse_role(s: &str) -> Result<Role> {
    Role::from_str(s).map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "bad-role", e))
}

/// Creates a user with an argon2id password hash, audited as done by `actor`.
pub async fn create_user(store: &Store, actor: &str, name: &str, role: Role, password: &str) -> Result<()> {
    check_name("user name", name)?;
    if password.chars().count() < MIN_PASSWORD {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "weak-password",
            format!("a password has at least {MIN_PASSWORD} characters"),
        ));
    }
    let hash = auth::hash_password(password)?;
    let mut w = store.write().await?;
    w.create_user(name, role, &hash).await?;
    w.audit(AuditDraft {
        actor: actor.to_owned(),
        action: "user.create".into(),
        target: format!("user:{name}"),
        outcome: Outcome::Ok,
        detail: role.as_str().into(),
        before: None,
        after: Some(sha256_hex(format!("{name}:{role}").as_bytes())),
    })
    .await?;
    w.commit().await?;
    Ok(())
}

/// Makes a token for `user` (scoped to `project` when given, expiring after `days`); the secret
/// is in the result only.
pub async fn create_token(
    store: &Store,
    actor: &str,
    user: &str,
    project: Option<&str>,
    days: Option<u32>,
) -> Result<TokenCreated> {
    if let Some(p) = project {
        check_name("project id", p)?;
    }
    let issued = auth::issue_token()?;
    let expires_at = days.map(|d| now_ms() + i64::from(d) * 86_400_000);
    let mut w = store.write().await?;
    w.create_token(&NewToken {
        id: issued.id.clone(),
        token_hash: issued.hash.clone(),
        user: user.to_owned(),
        project: project.map(str::to_owned),
        expires_at,
    })
    .await?;
    w.audit(AuditDraft {
        actor: actor.to_owned(),
        action: "token.create".into(),
        target: format!("token:{}", issued.id),
        outcome: Outcome::Ok,
        detail: format!(
            "for {user}{}",
            project.map(|p| format!(" on {p}")).unwrap_or_default()
        ),
        before: None,
        after: Some(issued.hash),
    })
    .await?;
    w.commit().await?;
    Ok(TokenCreated {
        id: issued.id,
        token: issued.token,
        user: user.to_owned(),
        project: project.map(str::to_owned),
        expires_at: expires_at.map(time),
    })
}

/// `GET /health`: 200 when the database answers, else 503.
pub async fn health(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let ok = s.store().summary("").await.is_ok();
    let body = Health {
        status: if ok { "ok" } else { "unavailable" }.into(),
        database: match s.store().backend() {
            levee_store::Backend::Sqlite => "sqlite",
            levee_store::Backend::Postgres => "postgres",
        }
        .into(),
        uptime_seconds: s.uptime(),
        advisory_snapshot: s.data().provenance.snapshot.clone(),
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    json(&headers, status, &body)
}

/// `GET /metrics`: Prometheus text.
pub async fn metrics(State(s): State<AppState>) -> Response {
    let text = s.metrics().render(&[(
        "levee_uptime_seconds",
        "Seconds since the server started.",
        s.uptime(),
    )]);
    let mut r = text.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}

/// `GET /api/v1/me`.
pub async fn me(Extension(a): Extension<Actor>, headers: HeaderMap) -> Response {
    json(
        &headers,
        StatusCode::OK,
        &Me {
            user: a.user,
            role: a.role.as_str().into(),
            scope: a.scope,
        },
    )
}

/// `GET /api/v1/users` (admin).
pub async fn users(State(s): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let list: Vec<UserView> = s
        .store()
        .users()
        .await?
        .into_iter()
        .map(|u| UserView {
            name: u.name,
            role: u.role.as_str().into(),
            disabled: u.disabled,
        })
        .collect();
    Ok(json(&headers, StatusCode::OK, &list))
}

/// `POST /api/v1/users` (admin).
pub async fn add_user(
    State(s): State<AppState>,
    Extension(a): Extension<Actor>,
    headers: HeaderMap,
    JsonBody(u): JsonBody<NewUser>,
) -> Result<Response> {
    let role = parse_role(&u.role)?;
    create_user(s.store(), &a.user, &u.name, role, &u.password).await?;
    Ok(json(
        &headers,
        StatusCode::CREATED,
        &UserView {
            name: u.name,
            role: role.as_str().into(),
            disabled: false,
        },
    ))
}

/// The tokens of `user` (every token without one), newest first as the store lists them.
pub async fn list_tokens(store: &Store, user: Option<&str>) -> Result<Vec<TokenView>> {
    Ok(store
        .tokens(user)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            user: t.user,
            project: t.project,
            created_at: time(t.created_at),
            expires_at: t.expires_at.map(time),
            revoked_at: t.revoked_at.map(time),
        })
        .collect())
}

/// Revokes token `id`, audited as done by `actor`, after `allowed(owner)` says the actor may;
/// returns its owner. An unknown or already revoked token is a problem and changes nothing.
pub async fn revoke(
    store: &Store,
    actor: &str,
    id: &str,
    allowed: impl FnOnce(&str) -> Result<()>,
) -> Result<String> {
    let token = store
        .tokens(None)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| Problem::not_found(format!("token `{id}` does not exist")))?;
    allowed(&token.user)?;
    if token.revoked_at.is_some() {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "already-revoked",
            format!(
                "token `{id}` was revoked at {}",
                token.revoked_at.map(time).unwrap_or_default()
            ),
        ));
    }
    let mut w = store.write().await?;
    w.revoke_token(id).await?;
    w.audit(AuditDraft {
        actor: actor.to_owned(),
        action: "token.revoke".into(),
        target: format!("token:{id}"),
        outcome: Outcome::Ok,
        detail: format!("of {}", token.user),
        before: None,
        after: None,
    })
    .await?;
    w.commit().await?;
    Ok(token.user)
}

/// `GET /api/v1/tokens`: the caller's tokens (every token for an admin).
pub async fn tokens(
    State(s): State<AppState>,
    Extension(a): Extension<Actor>,
    headers: HeaderMap,
) -> Result<Response> {
    let whose = (a.role != Role::Admin || a.scope.is_some()).then_some(a.user.as_str());
    let list = list_tokens(s.store(), whose).await?;
    Ok(json(&headers, StatusCode::OK, &list))
}

/// `POST /api/v1/tokens`: a token for the caller; a scoped caller gets the same scope only.
pub async fn add_token(
    State(s): State<AppState>,
    Extension(a): Extension<Actor>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<NewTokenRequest>,
) -> Result<Response> {
    if let Some(scope) = &a.scope
        && req.project.as_deref() != Some(scope)
    {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "out-of-scope",
            format!("a token scoped to `{scope}` can only make tokens scoped to `{scope}`"),
        ));
    }
    let made = create_token(
        s.store(),
        &a.user,
        &a.user,
        req.project.as_deref(),
        req.expires_days,
    )
    .await?;
    Ok(json(&headers, StatusCode::CREATED, &made))
}

/// `DELETE /api/v1/tokens/{token}`: revokes one of the caller's tokens (any, for an admin).
pub async fn revoke_token(
    State(s): State<AppState>,
    Extension(a): Extension<Actor>,
    Path(token): Path<String>,
) -> Result<Response> {
    let admin = a.role == Role::Admin && a.scope.is_none();
    revoke(s.store(), &a.user, &token, |owner| {
        if owner != a.user && !admin {
            return Err(Problem::new(
                StatusCode::FORBIDDEN,
                "role",
                "only an admin revokes another user's token",
            ));
        }
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/v1/session`: signs in with a password; sets the session cookie (HttpOnly,
/// SameSite=Strict, Secure behind TLS) and returns the CSRF token. Failed attempts per name are
/// limited (429).
pub async fn login(
    State(s): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<LoginRequest>,
) -> Result<Response> {
    if !s.login_allowed(&req.name, false) {
        return Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-attempts",
            "too many failed sign-ins; wait a minute",
        ));
    }
    let user = s.store().user(&req.name).await?;
    // Verify against something even for an unknown name, so timing does not tell names apart.
    let stored = match &user {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash().to_owned(),
    };
    let password = req.password.clone();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &stored))
        .await
        .map_err(Problem::internal)?;
    let Some(user) = user.filter(|u| ok && !u.disabled) else {
        s.login_allowed(&req.name, true);
        return Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "bad-credentials",
            "wrong user name or password",
        ));
    };
    let id = auth::random_secret("")?;
    let csrf = auth::random_secret("")?;
    let expires = now_ms() + SESSION_MS;
    let mut w = s.store().write().await?;
    w.create_session(&sha256_hex(id.as_bytes()), &user.name, &csrf, expires)
        .await?;
    w.audit(AuditDraft {
        actor: user.name.clone(),
        action: "session.create".into(),
        target: format!("user:{}", user.name),
        outcome: Outcome::Ok,
        detail: String::new(),
        before: None,
        after: None,
    })
    .await?;
    w.commit().await?;
    let secure = if s.config().secure_cookies || s.config().tls.is_some() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        SESSION_MS / 1000
    );
    let mut r = json(
        &headers,
        StatusCode::CREATED,
        &SessionView {
            user: user.name,
            role: user.role.as_str().into(),
            csrf_token: csrf,
            expires_at: time(expires),
        },
    );
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(Problem::internal)?,
    );
    Ok(r)
}

/// An argon2id hash of a random password, made once, verified against for unknown user names.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        auth::random_secret("")
            .and_then(|p| auth::hash_password(&p))
            .unwrap_or_default()
    })
}

/// `DELETE /api/v1/session`: signs out.
pub async fn logout(State(s): State<AppState>, Extension(a): Extension<Actor>) -> Result<Response> {
    if let Via::Session(id_hash) = &a.via {
        let mut w = s.store().write().await?;
        w.delete_session(id_hash).await?;
        w.commit().await?;
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("levee_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok(r)
}

/// `GET /api/v1/projects/{id}/members`.
pub async fn members(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let list: Vec<MemberView> = s
        .store()
        .members(&id)
        .await?
        .into_iter()
        .map(|(user, role)| MemberView {
            user,
            role: role.as_str().into(),
        })
        .collect();
    Ok(json(&headers, StatusCode::OK, &list))
}

/// `PUT /api/v1/projects/{id}/members/{user}` (admin on the project).
pub async fn set_member(
    State(s): State<AppState>,
    Extension(a): Extension<Actor>,
    Path((id, user)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(m): JsonBody<MemberRole>,
) -> Result<Response> {
    let role = parse_role(&m.role)?;
    crate::projects::existing(&s, &id).await?;
    if s.store().user(&user).await?.is_none() {
        return Err(Problem::not_found(format!("user `{user}` does not exist")));
    }
    let mut w = s.store().write().await?;
    w.set_member(&id, &user, role).await?;
    w.audit(AuditDraft {
        actor: a.user,
        action: "member.set".into(),
        target: format!("project:{id}"),
        outcome: Outcome::Ok,
        detail: format!("{user} is {role}"),
        before: None,
        after: None,
    })
    .await?;
    w.commit().await?;
    Ok(json(
        &headers,
        StatusCode::OK,
        &MemberView {
            user,
            role: role.as_str().into(),
        },
    ))
}

/// `GET /api/v1/audit?offset=SEQ&limit=N` (admin): entries after `offset`, in order.
pub async fn audit(State(s): State<AppState>, params: ListParams, headers: HeaderMap) -> Result<Response> {
    let list: Vec<AuditView> = s
        .store()
        .audit_entries(params.offset, params.limit)
        .await?
        .into_iter()
        .map(|e| AuditView {
            seq: e.seq,
            at: time(e.at),
            at_ms: e.at,
            actor: e.actor,
            action: e.action,
            target: e.target,
            outcome: e.outcome,
            detail: e.detail,
            before: e.before,
            after: e.after,
            prev: e.prev,
            hash: e.hash,
        })
        .collect();
    Ok(json(&headers, StatusCode::OK, &list))
}

/// `GET /api/v1/audit/verify` (admin).
pub async fn audit_verify(State(s): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let (broken, entries) = s.store().verify_audit_counted().await?;
    Ok(json(
        &headers,
        StatusCode::OK,
        &AuditVerify {
            ok: broken.is_none(),
            entries,
            broken_seq: broken.as_ref().map(|b| b.seq),
            reason: broken.map(|b| b.reason),
        },
    ))
}
