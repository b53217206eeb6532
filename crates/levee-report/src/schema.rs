//! The JSON Schema of every JSON output, by name: `levee schema NAME` prints them and
//! `docs/schema/NAME.schema.json` holds the committed copies (a test fails when one is stale, and
//! another validates real output against each).

use schemars::JsonSchema;

/// Every JSON output Levee writes that has a schema of its own, with the command that writes it.
pub const OUTPUTS: &[(&str, &str)] = &[
    ("report", "levee assess DIR --out OUT (OUT/report.json)"),
    (
        "report-oscal",
        "levee assess DIR --out OUT (OUT/report.oscal.json)",
    ),
    ("assess-summary", "levee assess DIR --format json"),
    ("scan", "levee scan sbom FILE --format json"),
    ("sbom-validate", "levee sbom validate FILE --format json"),
    ("db-import", "levee db import PATH... --format json"),
    (
        "db-import-server",
        "levee db import FILE... --server URL --token T --format json",
    ),
    ("db-update", "levee db update --format json"),
    ("db-info", "levee db info --format json"),
    ("diagnostics", "levee validate DIR --format json"),
    ("catalog", "levee catalog list --format json"),
    ("catalog-show", "levee catalog show ID --format json"),
    ("catalog-diff", "levee catalog diff --from N --to M --format json"),
    ("catalog-stats", "levee catalog stats --format json"),
    (
        "catalog-import-text",
        "levee catalog import-text FILE --format json",
    ),
    ("init", "levee init DIR --format json"),
    ("observe", "levee observe CAPTURE... --format json"),
    ("firmware", "levee firmware scan IMAGE --format json"),
    ("push", "levee push DIR --server URL --token T --format json"),
    (
        "pull",
        "levee pull ID --server URL --token T --out DIR --format json",
    ),
    (
        "admin-user",
        "levee admin create-user NAME --role ROLE --format json",
    ),
    (
        "admin-token",
        "levee admin create-token --user NAME --format json",
    ),
    ("admin-tokens", "levee admin list-tokens --format json"),
    ("admin-revoke-token", "levee admin revoke-token ID --format json"),
    ("audit-verify", "levee audit verify --format json"),
    ("assessment-diff", "GET /api/v1/projects/{id}/assessments/diff"),
];

fn of<T: JsonSchema>() -> String {
    crate::to_json(&schemars::schema_for!(T))
}

/// The schema of output `name` (one of [`OUTPUTS`]).
pub fn json_schema(name: &str) -> Option<String> {
    Some(match name {
        "report" => crate::assessment::json_schema(),
        "report-oscal" => crate::assessment::oscal::json_schema(),
        "assess-summary" => of::<crate::assessment::wire::Summary>(),
        "scan" => crate::scan::json_schema(),
        "sbom-validate" => of::<crate::scan::SbomValidation>(),
        "db-import" => of::<crate::db::ImportReport>(),
        "db-import-server" => of::<crate::server::ServerImportReport>(),
        "db-update" => of::<crate::db::UpdateReport>(),
        "db-info" => of::<crate::db::InfoReport>(),
        "diagnostics" => of::<Vec<crate::wire::Diagnostic>>(),
        "catalog" => of::<Vec<crate::wire::CatalogRow>>(),
        "catalog-show" => of::<crate::catalog::ShowWire>(),
        "catalog-diff" => of::<crate::catalog::DiffWire>(),
        "catalog-stats" => of::<crate::catalog::StatsWire>(),
        "catalog-import-text" => of::<crate::wire::OverlayImport>(),
        "init" => of::<crate::wire::InitReport>(),
        "observe" => crate::observe::json_schema(),
        "firmware" => crate::firmware::json_schema(),
        "push" => of::<crate::server::PushReport>(),
        "pull" => of::<crate::server::PullReport>(),
        "admin-user" => of::<crate::server::UserReport>(),
        "admin-token" => of::<crate::server::TokenReport>(),
        "admin-tokens" => of::<Vec<crate::server::TokenEntry>>(),
        "admin-revoke-token" => of::<crate::server::TokenRevoked>(),
        "audit-verify" => of::<crate::server::AuditVerifyReport>(),
        "assessment-diff" => of::<crate::monitor::AssessmentDiff>(),
        _ => return None,
    })
}
