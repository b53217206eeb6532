//! The route table: one list of every route (method, path, access, audit action, request and
//! response types, handler) from which both the router and the OpenAPI 3.1 document are built, so
//! neither can list a route the other lacks.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, State};
use axum::handler::Handler;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use levee_store::Role;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::auth::{self, Access, Gate};
use crate::http::ListParams;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::wire::*;
use crate::{admin, projects, resources};

type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// What a route's body is.
#[derive(Clone, Copy)]
pub enum Body {
    /// None.
    None,
    /// JSON of this schema.
    Json(SchemaFn),
    /// Raw bytes (`application/octet-stream`).
    Octets,
}

/// What a route answers with on success.
#[derive(Clone, Copy)]
pub enum Answer {
    /// JSON of this schema.
    Json(SchemaFn),
    /// Raw bytes.
    Octets,
    /// Text of this media type.
    Text(&'static str),
    /// No content.
    Empty,
}

/// One route.
pub struct Route {
    /// The method.
    pub method: Method,
    /// The path, with `{param}` (and `{*rest}`) parameters.
    pub path: &'static str,
    /// The OpenAPI operation id and the metrics label.
    pub id: &'static str,
    /// One line for the document.
    pub summary: &'static str,
    /// Who may call it.
    pub access: Access,
    /// The audit action of a change (and of a refused attempt).
    pub action: &'static str,
    /// Its request body.
    pub body: Body,
    /// Its success answer.
    pub answer: Answer,
    /// The success status.
    pub status: StatusCode,
    /// Query parameters it reads.
    pub query: &'static [&'static str],
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

pub(crate) fn route<H, T>(
    method: Method,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    access: Access,
    h: H,
) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
    Route {
        method,
        path,
        id,
        summary,
        access,
        action: id,
        body: Body::None,
        answer: Answer::Empty,
        status: StatusCode::OK,
        query: &[],
        handler: on(filter, h),
    }
}

impl Route {
    pub(crate) fn json<T: JsonSchema>(mut self) -> Route {
        self.answer = Answer::Json(schema::<T>);
        self
    }
    pub(crate) fn octets(mut self) -> Route {
        self.body = Body::Octets;
        self
    }
    pub(crate) fn takes<T: JsonSchema>(mut self) -> Route {
        self.body = Body::Json(schema::<T>);
        self
    }
    pub(crate) fn status(mut self, s: StatusCode) -> Route {
        self.status = s;
        self
    }
    pub(crate) fn action(mut self, a: &'static str) -> Route {
        self.action = a;
        self
    }
    pub(crate) fn query(mut self, q: &'static [&'static str]) -> Route {
        self.query = q;
        self
    }
    pub(crate) fn answer(mut self, a: Answer) -> Route {
        self.answer = a;
        self
    }
}

const PAGE: &[&str] = &["limit", "offset"];
const FILTERS: &[&str] = &["limit", "offset", "zone", "severity", "status"];

macro_rules! kind_routes {
    ($out:ident, $plural:literal, $kind:literal, $list_id:literal, $get_id:literal, $ty:ty) => {
        $out.push(
            route(
                Method::GET,
                concat!("/api/v1/projects/{id}/", $plural),
                $list_id,
                concat!("List the project's ", $plural, " (paged; filters: zone, severity, status)"),
                Access::Project(Role::Viewer),
                |State(s): State<AppState>, Path(id): Path<String>, p: ListParams, h: HeaderMap| async move {
                    resources::list(&s, &id, $kind, &p, &h).await
                },
            )
            .json::<Page<$ty>>()
            .query(FILTERS),
        );
        $out.push(
            route(
                Method::GET,
                concat!("/api/v1/projects/{id}/", $plural, "/{rid}"),
                $get_id,
                concat!("One of the project's ", $plural),
                Access::Project(Role::Viewer),
                |State(s): State<AppState>, Path((id, rid)): Path<(String, String)>, h: HeaderMap| async move {
                    resources::one(&s, &id, $kind, &rid, &h).await
                },
            )
            .json::<$ty>(),
        );
    };
}

/// Every route.
pub fn routes() -> Vec<Route> {
    use Access::{Authenticated, Global, Project, Public};
    use Method as M;
    use levee_report::assessment::wire as report;
    let mut r = vec![
        route(
            M::GET,
            "/health",
            "health",
            "Whether the server and its database answer",
            Public,
            admin::health,
        )
        .json::<Health>(),
        route(
            M::GET,
            "/metrics",
            "metrics",
            "Prometheus metrics",
            Public,
            admin::metrics,
        )
        .answer(Answer::Text("text/plain")),
        route(
            M::GET,
            "/api/openapi.json",
            "openapi",
            "This document",
            Public,
            openapi_handler,
        )
        .answer(Answer::Text("application/json")),
        route(
            M::POST,
            "/api/v1/session",
            "login",
            "Sign in: sets the session cookie, returns the CSRF token",
            Public,
            admin::login,
        )
        .takes::<LoginRequest>()
        .json::<SessionView>()
        .status(StatusCode::CREATED)
        .action("session.create"),
        route(
            M::DELETE,
            "/api/v1/session",
            "logout",
            "Sign out",
            Authenticated,
            admin::logout,
        )
        .status(StatusCode::NO_CONTENT)
        .action("session.delete"),
        route(
            M::GET,
            "/api/v1/me",
            "me",
            "Who the credentials belong to",
            Authenticated,
            admin::me,
        )
        .json::<Me>(),
        route(
            M::GET,
            "/api/v1/users",
            "listUsers",
            "Every user",
            Global(Role::Admin),
            admin::users,
        )
        .json::<Vec<UserView>>(),
        route(
            M::POST,
            "/api/v1/users",
            "createUser",
            "Create a user",
            Global(Role::Admin),
            admin::add_user,
        )
        .takes::<NewUser>()
        .json::<UserView>()
        .status(StatusCode::CREATED)
        .action("user.create"),
        route(
            M::GET,
            "/api/v1/tokens",
            "listTokens",
            "The caller's tokens (every token for an admin)",
            Authenticated,
            admin::tokens,
        )
        .json::<Vec<TokenView>>(),
        route(
            M::POST,
            "/api/v1/tokens",
            "createToken",
            "Make a token for the caller (shown once)",
            Authenticated,
            admin::add_token,
        )
        .takes::<NewTokenRequest>()
        .json::<TokenCreated>()
        .status(StatusCode::CREATED)
        .action("token.create"),
        route(
            M::DELETE,
            "/api/v1/tokens/{token}",
            "revokeToken",
            "Revoke a token",
            Authenticated,
            admin::revoke_token,
        )
        .status(StatusCode::NO_CONTENT)
        .action("token.revoke"),
        route(
            M::GET,
            "/api/v1/audit",
            "listAudit",
            "Audit entries after `offset` (a sequence number)",
            Global(Role::Admin),
            admin::audit,
        )
        .json::<Vec<AuditView>>()
        .query(PAGE),
        route(
            M::GET,
            "/api/v1/audit/verify",
            "verifyAudit",
            "Check the audit hash chain",
            Global(Role::Admin),
            admin::audit_verify,
        )
        .json::<AuditVerify>(),
        route(
            M::GET,
            "/api/v1/projects",
            "listProjects",
            "The projects the caller may see",
            Authenticated,
            projects::list,
        )
        .json::<Page<ProjectView>>()
        .query(PAGE),
        route(
            M::GET,
            "/api/v1/projects/{id}",
            "getProject",
            "One project",
            Project(Role::Viewer),
            projects::get,
        )
        .json::<ProjectView>(),
        route(
            M::DELETE,
            "/api/v1/projects/{id}",
            "deleteProject",
            "Delete a project (If-Match honoured)",
            Project(Role::Admin),
            projects::delete,
        )
        .status(StatusCode::NO_CONTENT)
        .action("project.delete"),
        route(
            M::GET,
            "/api/v1/projects/{id}/files",
            "getManifest",
            "The files of the current revision (what `levee pull` reads)",
            Project(Role::Viewer),
            projects::manifest,
        )
        .json::<Manifest>(),
        route(
            M::PUT,
            "/api/v1/projects/{id}/files",
            "pushProject",
            "Commit a revision from uploaded files (what `levee push` sends; If-Match honoured)",
            Project(Role::Assessor),
            projects::push,
        )
        .takes::<Manifest>()
        .json::<PushResult>()
        .action("project.push"),
        route(
            M::GET,
            "/api/v1/projects/{id}/files/{*path}",
            "getFile",
            "One file of the current revision",
            Project(Role::Viewer),
            projects::file,
        )
        .answer(Answer::Octets),
        route(
            M::POST,
            "/api/v1/projects/{id}/missing-blobs",
            "missingBlobs",
            "Which of these SHA-256 values to upload",
            Project(Role::Assessor),
            projects::missing_blobs,
        )
        .takes::<BlobQuery>()
        .json::<MissingBlobs>()
        .action("blob.check"),
        route(
            M::PUT,
            "/api/v1/projects/{id}/blobs/{sha256}",
            "putBlob",
            "Upload one file's bytes under their SHA-256",
            Project(Role::Assessor),
            projects::put_blob,
        )
        .json::<BlobStored>()
        .status(StatusCode::CREATED)
        .action("blob.put"),
        route(
            M::GET,
            "/api/v1/projects/{id}/blobs/{sha256}",
            "getBlob",
            "One file's bytes by SHA-256",
            Project(Role::Viewer),
            projects::get_blob,
        )
        .answer(Answer::Octets),
        route(
            M::GET,
            "/api/v1/projects/{id}/summary",
            "getSummary",
            "SL-T against SL-A per zone, open findings by severity, review due",
            Project(Role::Viewer),
            projects::summary,
        )
        .json::<Summary>(),
        route(
            M::GET,
            "/api/v1/projects/{id}/report",
            "getReport",
            "The latest report: levee-report/1 JSON, or HTML, PDF or XLSX with format=html, pdf or xlsx",
            Project(Role::Viewer),
            projects::report,
        )
        .json::<report::Report>()
        .query(&["format"]),
        route(
            M::GET,
            "/api/v1/projects/{id}/assessments",
            "listAssessments",
            "The project's assessments, newest first",
            Project(Role::Viewer),
            resources::assessments,
        )
        .json::<Page<RecordView>>()
        .query(PAGE),
        route(
            M::POST,
            "/api/v1/projects/{id}/assessments",
            "runAssessment",
            "Assess the current files again (today, the server's advisory data)",
            Project(Role::Assessor),
            projects::reassess,
        )
        .json::<PushResult>()
        .status(StatusCode::CREATED)
        .action("assessment.run"),
        route(
            M::GET,
            "/api/v1/projects/{id}/assessments/{seq}",
            "getAssessment",
            "One assessment's report",
            Project(Role::Viewer),
            resources::assessment,
        )
        .json::<report::Report>(),
        route(
            M::GET,
            "/api/v1/projects/{id}/scans",
            "listScans",
            "The project's SBOM scans, newest first",
            Project(Role::Viewer),
            resources::scans,
        )
        .json::<Page<RecordView>>()
        .query(PAGE),
        route(
            M::POST,
            "/api/v1/projects/{id}/scans",
            "runScan",
            "Scan one stored SBOM now (as `levee scan sbom`)",
            Project(Role::Assessor),
            resources::scan,
        )
        .takes::<ScanRequest>()
        .answer(Answer::Text("application/json"))
        .status(StatusCode::CREATED)
        .action("scan.run"),
        route(
            M::GET,
            "/api/v1/projects/{id}/scans/{seq}",
            "getScan",
            "One scan (the JSON of `levee scan sbom --format json`)",
            Project(Role::Viewer),
            resources::scan_result,
        )
        .answer(Answer::Text("application/json")),
        route(
            M::PUT,
            "/api/v1/projects/{id}/findings/{rid}/triage",
            "triageFinding",
            "Record a VEX decision on a finding (If-Match honoured)",
            Project(Role::Assessor),
            resources::triage,
        )
        .takes::<TriageRequest>()
        .json::<report::FindingWire>()
        .action("finding.triage"),
        route(
            M::GET,
            "/api/v1/projects/{id}/members",
            "listMembers",
            "The project's members and their roles",
            Project(Role::Viewer),
            admin::members,
        )
        .json::<Vec<MemberView>>(),
        route(
            M::PUT,
            "/api/v1/projects/{id}/members/{user}",
            "setMember",
            "Give a user a role on the project",
            Project(Role::Admin),
            admin::set_member,
        )
        .takes::<MemberRole>()
        .json::<MemberView>()
        .action("member.set"),
    ];
    r.extend(crate::monitor::routes());
    kind_routes!(r, "zones", "zone", "listZones", "getZone", report::Zone);
    kind_routes!(
        r,
        "conduits",
        "conduit",
        "listConduits",
        "getConduit",
        report::Conduit
    );
    kind_routes!(r, "assets", "asset", "listAssets", "getAsset", AssetView);
    kind_routes!(
        r,
        "responses",
        "response",
        "listResponses",
        "getResponse",
        ResponseView
    );
    kind_routes!(
        r,
        "evidence",
        "evidence",
        "listEvidence",
        "getEvidence",
        StoredFile
    );
    kind_routes!(
        r,
        "risk-scenarios",
        "risk-scenario",
        "listRiskScenarios",
        "getRiskScenario",
        report::Scenario
    );
    kind_routes!(
        r,
        "findings",
        "finding",
        "listFindings",
        "getFinding",
        report::FindingWire
    );
    kind_routes!(r, "sboms", "sbom", "listSboms", "getSbom", StoredFile);
    r
}

/// The router: every route behind its gate and body limit, a problem for unknown paths and
/// methods, and the request timeout.
pub fn router(state: AppState) -> Router {
    let config = state.config().clone();
    let mut router = Router::new();
    for r in routes() {
        let gate = Gate {
            state: state.clone(),
            route: r.id,
            access: r.access,
            action: r.action,
        };
        let limit = if matches!(r.body, Body::Octets) || r.id == "putBlob" {
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
            .layer::<_, std::convert::Infallible>(middleware::from_fn_with_state(gate, auth::gate))
            .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(limit));
        router = router.route(r.path, handler);
    }
    let timeout = config.request_timeout;
    router
        .merge(crate::ui::router(state.clone()))
        .fallback(|| async { Problem::not_found("no such route; see /api/openapi.json") })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "this route does not take that method",
            )
        })
        .layer(middleware::from_fn(move |req, next: Next| async move {
            match tokio::time::timeout(timeout, next.run(req)).await {
                Ok(r) => r,
                Err(_) => Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "timeout",
                    "the request took too long",
                )
                .into_response(),
            }
        }))
        .with_state(state)
}

async fn openapi_handler() -> Response {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let text = DOC.get_or_init(|| serde_json::to_string_pretty(&openapi()).unwrap_or_default());
    let mut r = text.clone().into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    r
}

/// The OpenAPI 3.1 document of [`routes`].
pub fn openapi() -> Value {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    let mut g = settings.into_generator();
    let problem = schema::<ProblemBody>(&mut g);
    let mut paths = Map::new();
    for r in routes() {
        let mut params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| {
                json!({"name": name.trim_start_matches('*'), "in": "path", "required": true, "schema": {"type": "string"}})
            })
            .collect();
        params.extend(r.query.iter().map(|q| json!({"name": q, "in": "query", "required": false, "schema": {"type": if matches!(*q, "limit" | "offset") {"integer"} else {"string"}}})));
        let mut op = json!({
            "operationId": r.id,
            "summary": r.summary,
            "parameters": params,
            "responses": {
                "default": {"description": "A problem (RFC 9457)", "content": {"application/problem+json": {"schema": problem}}},
            },
        });
        let ok = match r.answer {
            Answer::Json(f) => {
                json!({"description": "OK", "content": {"application/json": {"schema": f(&mut g)}}})
            }
            Answer::Octets => {
                json!({"description": "The bytes", "content": {"application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}})
            }
            Answer::Text(mime) => {
                json!({"description": "OK", "content": {mime: {"schema": {"type": "string"}}}})
            }
            Answer::Empty => json!({"description": "Done"}),
        };
        op["responses"][r.status.as_str()] = ok;
        match r.body {
            Body::Json(f) => {
                op["requestBody"] =
                    json!({"required": true, "content": {"application/json": {"schema": f(&mut g)}}})
            }
            Body::Octets => {
                op["requestBody"] = json!({"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}});
            }
            Body::None if r.id == "putBlob" => {
                op["requestBody"] = json!({"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}});
            }
            _ => {}
        }
        let access = match r.access {
            Access::Public => None,
            Access::Authenticated => Some("any authenticated user".to_owned()),
            Access::Global(role) => Some(format!("the {role} role")),
            Access::Project(role) => Some(format!("the {role} role on the project")),
        };
        match access {
            None => op["security"] = json!([]),
            Some(a) => op["x-levee-access"] = json!(a),
        }
        let entry = paths
            .entry(r.path.replace("{*", "{"))
            .or_insert_with(|| json!({}));
        entry[r.method.as_str().to_ascii_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Levee API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "IEC 62443 projects, assessments, SBOM scans and findings. Errors are RFC 9457 problem details; every resource has an ETag, and If-Match with a stale one answers 412.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": g.take_definitions(true),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": auth::SESSION_COOKIE},
            },
        },
        "security": [{"bearer": []}, {"session": []}],
    })
}
