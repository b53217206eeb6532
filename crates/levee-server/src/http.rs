//! Small HTTP helpers every handler shares: JSON responses with ETags (and `304` for a matching
//! `If-None-Match`), `If-Match` reading, list parameters (pagination and filters) and id checks.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::problem::Problem;

/// The largest page.
pub const MAX_LIMIT: i64 = 500;

/// The default page.
pub const DEFAULT_LIMIT: i64 = 100;

/// `"etag"` as a header value.
pub fn etag_value(etag: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{etag}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

/// The ETag `If-Match` names (quotes and a weak prefix removed), `*`, or `None`.
pub fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"').to_owned())
}

fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/").trim_matches('"') == etag)
        })
}

/// A body with its content type and ETag; `304` when the client has it.
pub fn with_etag(
    headers: &HeaderMap,
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
    etag: &str,
) -> Response {
    if status == StatusCode::OK && not_modified(headers, etag) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        r.headers_mut().insert(header::ETAG, etag_value(etag));
        return r;
    }
    let mut r = (status, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(header::ETAG, etag_value(etag));
    r
}

/// Already-serialised JSON with its ETag.
pub fn json_text(headers: &HeaderMap, status: StatusCode, body: String, etag: &str) -> Response {
    with_etag(headers, status, "application/json", body.into_bytes(), etag)
}

/// A value as JSON; its ETag is the SHA-256 of the bytes.
pub fn json<T: Serialize>(headers: &HeaderMap, status: StatusCode, value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(text) => {
            let etag = levee_store::sha256_hex(text.as_bytes());
            json_text(headers, status, text, &etag)
        }
        Err(e) => Problem::internal(e).into_response(),
    }
}

/// Pagination and filters of a list: `limit` (1–500, default 100), `offset`, and per list `zone`,
/// `severity`, `status`. Unknown parameters are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListParams {
    /// Page size.
    pub limit: i64,
    /// Skipped.
    pub offset: i64,
    /// Filter by zone.
    pub zone: Option<String>,
    /// Filter by severity.
    pub severity: Option<String>,
    /// Filter by status or state.
    pub status: Option<String>,
    /// `format=html` for reports.
    pub format: Option<String>,
}

fn decode(s: &str) -> Result<String, Problem> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let b = hex
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| Problem::bad_request("bad-query", "a bad %-escape in the query"))?;
                out.push(b);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| Problem::bad_request("bad-query", "the query is not UTF-8"))
}

impl ListParams {
    /// Reads a query string.
    pub fn parse(query: Option<&str>) -> Result<ListParams, Problem> {
        let mut p = ListParams {
            limit: DEFAULT_LIMIT,
            ..ListParams::default()
        };
        for pair in query.unwrap_or("").split('&').filter(|s| !s.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = decode(v)?;
            let number = |v: &str| {
                v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    Problem::bad_request("bad-query", format!("`{k}` must be a whole number ≥ 0"))
                })
            };
            match decode(k)?.as_str() {
                "limit" => {
                    p.limit = number(&v)?;
                    if !(1..=MAX_LIMIT).contains(&p.limit) {
                        return Err(Problem::bad_request(
                            "bad-query",
                            format!("`limit` is 1 to {MAX_LIMIT}"),
                        ));
                    }
                }
                "offset" => p.offset = number(&v)?,
                "zone" => p.zone = Some(v),
                "severity" => p.severity = Some(v),
                "status" | "state" => p.status = Some(v),
                "format" => p.format = Some(v),
                other => {
                    return Err(Problem::bad_request(
                        "bad-query",
                        format!(
                            "unknown query parameter `{other}` (limit, offset, zone, severity, status, format)"
                        ),
                    ));
                }
            }
        }
        Ok(p)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ListParams {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        ListParams::parse(parts.uri.query())
    }
}

/// Checks a project id or user name: 1–64 of `A-Z a-z 0-9 . _ -`, not starting with `.` or `-`.
pub fn check_name(what: &str, s: &str) -> Result<(), Problem> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && !s.starts_with(['.', '-'])
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Problem::bad_request(
            "bad-name",
            format!(
                "{what} `{}` must be 1–64 letters, digits, `.`, `_` or `-`",
                s.escape_debug()
            ),
        ))
    }
}

/// Checks a lower-case hex SHA-256.
pub fn check_sha(s: &str) -> Result<(), Problem> {
    if s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(Problem::bad_request(
            "bad-sha256",
            format!("`{}` is not a lower-case hex SHA-256", s.escape_debug()),
        ))
    }
}

/// Unix milliseconds as RFC 3339 (seconds).
pub fn time(ms: i64) -> String {
    levee_core::rfc3339_from_unix(ms.div_euclid(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_parameters_are_checked() {
        let p = ListParams::parse(Some("limit=5&offset=10&zone=z%201&severity=high")).expect("ok");
        assert_eq!(
            (p.limit, p.offset, p.zone.as_deref(), p.severity.as_deref()),
            (5, 10, Some("z 1"), Some("high"))
        );
        for bad in [
            "limit=0",
            "limit=501",
            "offset=-1",
            "limit=x",
            "sort=name",
            "zone=%zz",
        ] {
            assert!(ListParams::parse(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(ListParams::parse(None).expect("ok").limit, DEFAULT_LIMIT);
    }

    #[test]
    fn names_and_hashes() {
        assert!(check_name("project", "water-treatment").is_ok());
        for bad in [
            "",
            "../x",
            "a/b",
            ".hidden",
            "x'; DROP TABLE projects; --",
            &"a".repeat(65),
        ] {
            assert!(check_name("project", bad).is_err(), "{bad}");
        }
        assert!(check_sha(&"a".repeat(64)).is_ok());
        assert!(check_sha(&"A".repeat(64)).is_err());
    }
}
