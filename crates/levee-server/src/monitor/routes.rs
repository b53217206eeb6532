//! The monitoring routes of the API's route table (assessment diff, reviews, advisory imports,
//! webhooks), documented in the OpenAPI document like every other route.

use axum::http::{Method, StatusCode};
use levee_store::Role;

use crate::api::{Route, route};
use crate::auth::Access;

/// The monitoring routes.
pub fn routes() -> Vec<Route> {
    use Access::{Authenticated, Global, Project};
    use Method as M;
    vec![
        route(
            M::GET,
            "/api/v1/projects/{id}/assessments/diff",
            "diffAssessments",
            "What changed between two assessments (default: the last two)",
            Project(Role::Viewer),
            super::diff,
        )
        .json::<levee_report::monitor::AssessmentDiff>()
        .query(&["from", "to"]),
        route(
            M::GET,
            "/api/v1/projects/{id}/review",
            "getReview",
            "The review cadence and whether a review is due or overdue",
            Project(Role::Viewer),
            super::get_review,
        )
        .json::<super::ReviewStatus>(),
        route(
            M::PUT,
            "/api/v1/projects/{id}/review",
            "setReview",
            "Set the review interval and the model changes that make a review due",
            Project(Role::Admin),
            super::set_review,
        )
        .takes::<super::ReviewSettingsRequest>()
        .json::<super::ReviewStatus>()
        .action("review.settings"),
        route(
            M::GET,
            "/api/v1/projects/{id}/reviews",
            "listReviews",
            "Recorded reviews, newest first",
            Project(Role::Viewer),
            super::reviews,
        )
        .json::<Vec<super::ReviewView>>(),
        route(
            M::POST,
            "/api/v1/projects/{id}/reviews",
            "recordReview",
            "Record a review: signs off an assessment (the latest by default)",
            Project(Role::Assessor),
            super::add_review,
        )
        .takes::<super::ReviewRequest>()
        .json::<super::ReviewView>()
        .status(StatusCode::CREATED)
        .action("review.record"),
        route(
            M::GET,
            "/api/v1/advisories",
            "listAdvisoryFiles",
            "Advisory files imported through the API",
            Authenticated,
            super::advisories,
        )
        .json::<Vec<super::AdvisoryFileView>>(),
        route(
            M::POST,
            "/api/v1/advisories",
            "importAdvisories",
            "Import an advisory file (?name=FILE; any format `levee db import` reads); affected projects are re-evaluated",
            Global(Role::Admin),
            super::import_advisories,
        )
        .octets()
        .json::<super::AdvisoryImport>()
        .status(StatusCode::CREATED)
        .query(&["name"])
        .action("advisories.import"),
        route(
            M::GET,
            "/api/v1/webhooks",
            "listWebhooks",
            "Webhooks (never their secrets)",
            Global(Role::Admin),
            super::webhooks,
        )
        .json::<Vec<super::WebhookView>>(),
        route(
            M::POST,
            "/api/v1/webhooks",
            "createWebhook",
            "Deliver events to a URL, signed with X-Levee-Signature: sha256=<HMAC-SHA256 of the body>",
            Global(Role::Admin),
            super::create_webhook,
        )
        .takes::<super::NewWebhook>()
        .json::<super::WebhookView>()
        .status(StatusCode::CREATED)
        .action("webhook.create"),
        route(
            M::DELETE,
            "/api/v1/webhooks/{hook}",
            "deleteWebhook",
            "Delete a webhook with its deliveries",
            Global(Role::Admin),
            super::delete_webhook,
        )
        .status(StatusCode::NO_CONTENT)
        .action("webhook.delete"),
        route(
            M::GET,
            "/api/v1/webhooks/{hook}/deliveries",
            "listDeliveries",
            "A webhook's newest deliveries with every attempt",
            Global(Role::Admin),
            super::deliveries,
        )
        .json::<Vec<super::DeliveryView>>(),
    ]
}
