//! Signing in and out: a form whose fields go to the API's own sign-in ([`crate::admin::login`]:
//! argon2id, the attempt limit, the session cookie, the audit entry), and a sign-out button.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use super::html::{self, Page, Viewer, esc};
use super::{html_page, redirect};
use crate::auth::Actor;
use crate::problem::{JsonBody, Problem};
use crate::state::AppState;
use crate::wire::LoginRequest;

/// Where to go after signing in: a local path only (never another site).
fn next_target(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/projects".to_owned(),
    }
}

fn form_page(status: StatusCode, message: Option<&str>, name: &str, next: &str) -> Response {
    let mut body = String::new();
    if let Some(m) = message {
        body.push_str(&html::notice("error", m));
    }
    body.push_str(&format!(
        r#"<form class="card login" method="post" action="/login"><input type="hidden" name="next" value="{next}"><p><label for="username">User name</label><input id="username" name="username" autocomplete="username" required value="{name}" autofocus></p><p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p><p><button type="submit">Sign in</button></p></form>"#,
        next = esc(next),
        name = esc(name),
    ));
    let viewer = Viewer::default();
    let page = Page {
        title: "Sign in",
        viewer: &viewer,
        crumbs: &[],
        body,
    };
    html_page(status, page.render())
}

/// `GET /login`.
pub async fn page(RawQuery(q): RawQuery) -> Response {
    let fields = q.as_deref().and_then(|q| html::form(q, 8)).unwrap_or_default();
    let next = next_target(html::field(&fields, "next"));
    form_page(StatusCode::OK, None, "", &next)
}

/// `POST /login`: the API's sign-in; on success a redirect that sets the session cookie.
pub async fn sign_in(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let fields = std::str::from_utf8(&body)
        .ok()
        .and_then(|b| html::form(b, 8))
        .unwrap_or_default();
    let name = html::field(&fields, "username").unwrap_or("").to_owned();
    let password = html::field(&fields, "password").unwrap_or("").to_owned();
    let next = next_target(html::field(&fields, "next"));
    if name.is_empty() || password.is_empty() {
        return form_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Enter your user name and password."),
            &name,
            &next,
        );
    }
    let answer = crate::admin::login(
        State(s),
        headers,
        JsonBody(LoginRequest {
            name: name.clone(),
            password,
        }),
    )
    .await;
    match answer {
        Ok(r) => {
            let cookie = r.headers().get(header::SET_COOKIE).cloned();
            let mut to = redirect(&next);
            if let Some(c) = cookie {
                to.headers_mut().insert(header::SET_COOKIE, c);
            }
            to
        }
        Err(p) => {
            let mut r = form_page(p.status, Some(&p.detail), &name, &next);
            r.extensions_mut().insert(crate::problem::ProblemCode(p.code));
            r
        }
    }
}

/// `POST /logout`: the API's sign-out; back to the sign-in form.
pub async fn sign_out(State(s): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    let done: Result<Response, Problem> = crate::admin::logout(State(s), Extension(actor)).await;
    let mut to = redirect("/login");
    to.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("levee_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    if let Err(p) = done {
        tracing::error!(detail = %p.detail, "sign-out failed");
    }
    to
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(super::next_target(Some("/projects/x")), "/projects/x");
        for bad in ["//evil.example/", "https://evil.example/", "/\\evil", "x"] {
            assert_eq!(super::next_target(Some(bad)), "/projects", "{bad}");
        }
        assert_eq!(super::next_target(None), "/projects");
    }
}
