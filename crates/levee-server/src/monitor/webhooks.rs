//! Webhooks: registration, deliveries with every attempt, and the HMAC-SHA256 signature.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use levee_store::{AuditDraft, Outcome, WebhookRow, now_ms};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{EVENTS, Result, new_id};
use crate::auth::Actor;
use crate::http::{check_name, json, time};
use crate::problem::{JsonBody, Problem};
use crate::state::AppState;

/// `POST /api/v1/webhooks`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where deliveries go: an http or https URL.
    pub url: String,
    /// The HMAC-SHA256 key deliveries are signed with (16–256 characters).
    pub secret: String,
    /// The events: `new-finding`, `new-kev-finding`, `sl-a-drop`, `review-due`,
    /// `review-overdue`.
    pub events: Vec<String>,
}

/// A webhook (never its secret).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct WebhookView {
    /// Id.
    pub id: String,
    /// URL.
    pub url: String,
    /// Events.
    pub events: Vec<String>,
    /// Who made it.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A delivery and its attempts.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct DeliveryView {
    /// Id.
    pub id: String,
    /// The event.
    pub event: String,
    /// The project.
    pub project: Option<String>,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Every attempt.
    pub attempts: Vec<AttemptView>,
    /// The body sent.
    pub body: serde_json::Value,
}

/// One attempt.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct AttemptView {
    /// 1, 2, …
    pub attempt: i64,
    /// When (RFC 3339).
    pub at: String,
    /// The receiver's HTTP status.
    pub status: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
}

fn webhook_view(w: WebhookRow) -> WebhookView {
    WebhookView {
        id: w.id,
        url: w.url,
        events: w.events,
        created_by: w.created_by,
        created_at: time(w.created_at),
    }
}

/// Whether `url` is an absolute http(s) URL with a host, without credentials.
pub fn check_webhook_url(url: &str) -> std::result::Result<(), String> {
    if url.len() > 2048 || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("the URL is too long or holds spaces or control characters".into());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("a webhook URL must start with http:// or https://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() {
        return Err("the URL names no host".into());
    }
    if authority.contains('@') {
        return Err("the URL must not hold credentials; the secret signs the deliveries".into());
    }
    Ok(())
}

/// `POST /api/v1/webhooks`.
pub async fn create_webhook(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<NewWebhook>,
) -> Result<Response> {
    check_webhook_url(&req.url).map_err(|m| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "bad-url", m))?;
    let n = req.secret.chars().count();
    if !(16..=256).contains(&n) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-secret",
            "the secret must have 16 to 256 characters",
        ));
    }
    if req.events.is_empty() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no-events",
            format!("name at least one event: {}", EVENTS.join(", ")),
        ));
    }
    if let Some(bad) = req.events.iter().find(|e| !EVENTS.contains(&e.as_str())) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-event",
            format!("`{bad}` is no event; use {}", EVENTS.join(", ")),
        ));
    }
    let mut events = req.events.clone();
    events.sort();
    events.dedup();
    let row = WebhookRow {
        id: new_id("wh")?,
        url: req.url.clone(),
        secret: req.secret.clone(),
        events,
        created_by: actor.user.clone(),
        created_at: now_ms(),
    };
    let mut w = s.store().write().await?;
    w.create_webhook(&row).await?;
    w.audit(AuditDraft {
        actor: actor.user.clone(),
        action: "webhook.create".into(),
        target: format!("webhook:{}", row.id),
        outcome: Outcome::Ok,
        detail: format!("{} for {}", row.url, row.events.join(",")),
        before: None,
        after: None,
    })
    .await?;
    w.commit().await?;
    Ok(json(&headers, StatusCode::CREATED, &webhook_view(row)))
}

/// `GET /api/v1/webhooks`.
pub async fn webhooks(State(s): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let list: Vec<WebhookView> = s
        .store()
        .webhooks()
        .await?
        .into_iter()
        .map(webhook_view)
        .collect();
    Ok(json(&headers, StatusCode::OK, &list))
}

/// `DELETE /api/v1/webhooks/{hook}`.
pub async fn delete_webhook(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(hook): Path<String>,
) -> Result<Response> {
    check_name("webhook id", &hook)?;
    let mut w = s.store().write().await?;
    w.delete_webhook(&hook).await?;
    w.audit(AuditDraft {
        actor: actor.user.clone(),
        action: "webhook.delete".into(),
        target: format!("webhook:{hook}"),
        outcome: Outcome::Ok,
        detail: String::new(),
        before: None,
        after: None,
    })
    .await?;
    w.commit().await?;
    Ok(axum::response::IntoResponse::into_response(
        StatusCode::NO_CONTENT,
    ))
}

/// `GET /api/v1/webhooks/{hook}/deliveries`: the newest 100 with every attempt.
pub async fn deliveries(
    State(s): State<AppState>,
    Path(hook): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    s.store()
        .webhook(&hook)
        .await?
        .ok_or_else(|| Problem::not_found(format!("no webhook `{hook}`")))?;
    let list: Vec<DeliveryView> = s
        .store()
        .deliveries(&hook, 100)
        .await?
        .into_iter()
        .map(|d| DeliveryView {
            body: serde_json::from_str(&d.body).unwrap_or(serde_json::Value::Null),
            id: d.id,
            event: d.event,
            project: d.project,
            state: d.state,
            created_at: time(d.created_at),
            attempts: d
                .attempts
                .into_iter()
                .map(|a| AttemptView {
                    attempt: a.attempt,
                    at: time(a.at),
                    status: a.status,
                    error: a.error,
                })
                .collect(),
        })
        .collect();
    Ok(json(&headers, StatusCode::OK, &list))
}

/// HMAC-SHA256 (RFC 2104) of `body` with `key`, as lowercase hex.
pub fn signature(key: &[u8], body: &[u8]) -> String {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(body);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Makes one delivery per webhook that takes `event`, each queued as a `deliver` job.
pub(crate) async fn notify(
    s: &AppState,
    event: &str,
    project: Option<&str>,
    data: serde_json::Value,
) -> Result<usize> {
    let hooks = s.store().webhooks().await?;
    let mut n = 0;
    for h in hooks.iter().filter(|h| h.events.iter().any(|e| e == event)) {
        let id = new_id("dl")?;
        let body = serde_json::json!({
            "format": "levee-webhook/1",
            "delivery": id,
            "event": event,
            "project": project,
            "sent_for": time(now_ms()),
            "data": data,
        })
        .to_string();
        s.store()
            .create_delivery(&id, &h.id, event, project, &body)
            .await?;
        s.store()
            .enqueue(
                &new_id("job")?,
                "deliver",
                project,
                &serde_json::json!({ "delivery": id }).to_string(),
                now_ms(),
            )
            .await?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        // RFC 4231 test cases 1 and 2.
        assert_eq!(
            signature(&[0x0b; 20], b"Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block is hashed first.
        assert_eq!(
            signature(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn webhook_urls_are_http_or_https_with_a_host_and_no_credentials() {
        assert!(check_webhook_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(check_webhook_url("https://hooks.example.org/levee?x=1").is_ok());
        for bad in [
            "ftp://example.org/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://",
            "https://user:pw@example.org/",
            "http://exa mple.org/",
            "example.org/hook",
        ] {
            assert!(check_webhook_url(bad).is_err(), "{bad}");
        }
    }
}
