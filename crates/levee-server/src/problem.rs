//! Errors as RFC 9457 problem details (`application/problem+json`), and the one JSON body reader:
//! content type checked, size bounded, unknown fields refused, every refusal a problem.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A problem: the HTTP status, a stable kebab-case code (the last part of `type`), a title and a
/// detail for this occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code.
    pub code: &'static str,
    /// What happened this time.
    pub detail: String,
    /// More members (`diagnostics`, `missing`).
    pub extra: Option<serde_json::Value>,
}

/// The JSON of a problem.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProblemBody {
    /// A URI reference naming the kind of problem: `/api/problems/<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened this time.
    pub detail: String,
    /// More about it, by kind (the project's diagnostics, the missing blobs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
}

impl Problem {
    /// A problem.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            code,
            detail: detail.into(),
            extra: None,
        }
    }

    /// The same with more members.
    #[must_use]
    pub fn with(mut self, extra: serde_json::Value) -> Problem {
        self.extra = Some(extra);
        self
    }

    /// 400.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, code, detail)
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    /// 412: the `If-Match` ETag is not the current one.
    pub fn stale(what: &str) -> Problem {
        Problem::new(
            StatusCode::PRECONDITION_FAILED,
            "stale-etag",
            format!("{what} changed since it was read; nothing was changed: read it again and retry"),
        )
    }

    /// 500, with the cause logged and not shown.
    pub fn internal(cause: impl std::fmt::Display) -> Problem {
        tracing::error!(error = %cause, "internal error");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; see its log",
        )
    }

    /// The title of a code.
    pub fn title(&self) -> String {
        let mut t = self.code.replace('-', " ");
        if let Some(first) = t.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        t
    }
}

impl From<levee_store::StoreError> for Problem {
    fn from(e: levee_store::StoreError) -> Problem {
        use levee_store::StoreError as E;
        match e {
            E::Conflict(what) => Problem::stale(&what),
            E::NotFound(what) => Problem::not_found(format!("{what} does not exist")),
            E::Exists(what) => Problem::new(StatusCode::CONFLICT, "exists", format!("{what} exists already")),
            other => Problem::internal(other),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = ProblemBody {
            kind: format!("/api/problems/{}", self.code),
            title: self.title(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            extra: self.extra.clone(),
        };
        let text = serde_json::to_string(&body).unwrap_or_else(|_| "{}".into());
        let mut r = (self.status, text).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r.extensions_mut().insert(ProblemCode(self.code));
        r
    }
}

/// The code of a problem response, for the audit of refused attempts.
#[derive(Debug, Clone, Copy)]
pub struct ProblemCode(pub &'static str);

/// A JSON request body: `Content-Type: application/json`, at most the router's body limit, every
/// field known.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "the body must be JSON, sent with Content-Type: application/json",
            ));
        }
        let bytes = read_body(req, state).await?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (status, code) = if inner.is_syntax() || inner.is_eof() {
                (StatusCode::BAD_REQUEST, "malformed-json")
            } else {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid-body")
            };
            let at = if path == "." {
                String::new()
            } else {
                format!(" at `{path}`")
            };
            Problem::new(status, code, format!("{inner}{at}"))
        })?;
        de.end()
            .map_err(|e| Problem::bad_request("malformed-json", format!("{e}")))?;
        Ok(JsonBody(value))
    }
}

/// Reads a whole body under the router's limit; over it is 413.
pub async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Problem> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "the body is larger than this server accepts",
            )
        } else {
            Problem::bad_request("bad-body", e.body_text())
        }
    })
}

/// Refuses a request whose declared `Content-Length` is over `limit` before a byte of its body is
/// read: a client sending a body this server will refuse learns it at once, and the server spends
/// nothing receiving it. Bodies without a declared length are bounded as they are read.
pub async fn refuse_declared_over(
    axum::extract::State(limit): axum::extract::State<usize>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > u64::try_from(limit).unwrap_or(u64::MAX) => Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
            format!("the body declares {n} bytes; this route accepts at most {limit}"),
        )
        .into_response(),
        _ => next.run(req).await,
    }
}
