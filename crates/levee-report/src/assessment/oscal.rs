//! `report.oscal.json`: the assessment as a NIST OSCAL 1.1.2 `assessment-results` document.
//!
//! One result; each zone, conduit and component is a component in the result's local definitions
//! and the subject of one observation per evaluated requirement row (its response, method and
//! evidence); each row is one finding whose target is the requirement's control, with the control
//! ids of `levee catalog export --format oscal` ([`crate::oscal::control_id_of`]), and whose state
//! is `satisfied` when the row is met (implemented, compensating, not applicable, met through
//! conduits) and `not-satisfied` otherwise. The catalog has no statement parts (it carries no
//! normative text), so a finding targets the whole requirement (`objective-id` = control id).
//!
//! Deterministic: UUIDs are name-based (v5, [`crate::oscal::name_uuid`]) over the project name, the
//! target and the requirement, and every date is the report date (midnight UTC).

use schemars::JsonSchema;
use serde::Serialize;

use super::wire::{Report, Row};
use crate::oscal::{BackMatter, Metadata, OSCAL_VERSION, Prop, Resource, levee_prop, name_uuid, prop};
use crate::table::clean;

/// The root of the document.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ResultsDocument {
    /// The assessment results.
    #[serde(rename = "assessment-results")]
    pub assessment_results: AssessmentResults,
}

/// OSCAL assessment results.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AssessmentResults {
    /// Name-based UUID of this project's results on this date.
    pub uuid: String,
    /// Document metadata.
    pub metadata: Metadata,
    /// The assessment plan: the Levee project, described in the back matter.
    #[serde(rename = "import-ap")]
    pub import_ap: ImportAp,
    /// One result.
    pub results: Vec<AssessmentResult>,
    /// The project as a resource.
    #[serde(rename = "back-matter")]
    pub back_matter: BackMatter,
}

/// The import of the assessment plan.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ImportAp {
    /// `#` and the UUID of the back-matter resource.
    pub href: String,
}

/// One assessment result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AssessmentResult {
    /// Name-based UUID.
    pub uuid: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The report date.
    pub start: String,
    /// Project facts.
    pub props: Vec<Prop>,
    /// The zones, conduits and components assessed.
    #[serde(rename = "local-definitions")]
    pub local_definitions: LocalDefinitions,
    /// Every control with an evaluated row.
    #[serde(rename = "reviewed-controls")]
    pub reviewed_controls: ReviewedControls,
    /// One observation per evaluated row.
    pub observations: Vec<Observation>,
    /// One finding per evaluated row.
    pub findings: Vec<Finding>,
}

/// Local definitions of a result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LocalDefinitions {
    /// Zones, conduits and components.
    pub components: Vec<SystemComponent>,
}

/// A zone (`system`), conduit (`interconnection`) or product component (`this-system`).
#[derive(Debug, Serialize, JsonSchema)]
pub struct SystemComponent {
    /// Name-based UUID.
    pub uuid: String,
    /// OSCAL component type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Name.
    pub title: String,
    /// Description.
    pub description: String,
    /// The Levee kind and id, SL-T and SL-A.
    pub props: Vec<Prop>,
    /// Always operational.
    pub status: State,
}

/// A status.
#[derive(Debug, Serialize, JsonSchema)]
pub struct State {
    /// The state.
    pub state: String,
}

/// The reviewed controls.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReviewedControls {
    /// One selection.
    #[serde(rename = "control-selections")]
    pub control_selections: Vec<ControlSelection>,
}

/// A control selection.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ControlSelection {
    /// The controls, in first-evaluated order.
    #[serde(rename = "include-controls")]
    pub include_controls: Vec<ControlRef>,
}

/// A control reference.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ControlRef {
    /// The control id of the catalog export.
    #[serde(rename = "control-id")]
    pub control_id: String,
}

/// An observation: the response to one requirement on one target.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Observation {
    /// Name-based UUID.
    pub uuid: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The Levee target and row status.
    pub props: Vec<Prop>,
    /// `EXAMINE`, `INTERVIEW`, `TEST` or `UNKNOWN`.
    pub methods: Vec<String>,
    /// The zone, conduit or component.
    pub subjects: Vec<Subject>,
    /// Evidence given with the response.
    #[serde(rename = "relevant-evidence", default, skip_serializing_if = "Vec::is_empty")]
    pub relevant_evidence: Vec<Evidence>,
    /// The response date, else the report date.
    pub collected: String,
}

/// A subject reference.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Subject {
    /// The component's UUID.
    #[serde(rename = "subject-uuid")]
    pub subject_uuid: String,
    /// Always `component`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The target's kind and id.
    pub props: Vec<Prop>,
}

/// Relevant evidence.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Evidence {
    /// What it is.
    pub description: String,
}

/// A finding: whether one requirement is satisfied on one target.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Finding {
    /// Name-based UUID.
    pub uuid: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The Levee target, row status and whether the row is required at SL-T.
    pub props: Vec<Prop>,
    /// The requirement.
    pub target: Target,
    /// The observation behind it.
    #[serde(rename = "related-observations")]
    pub related_observations: Vec<ObservationRef>,
}

/// A finding target.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Target {
    /// Always `objective-id`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The control id.
    #[serde(rename = "target-id")]
    pub target_id: String,
    /// `satisfied` or `not-satisfied`.
    pub status: TargetStatus,
}

/// A target status.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TargetStatus {
    /// `satisfied` or `not-satisfied`.
    pub state: String,
}

/// A reference to an observation.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ObservationRef {
    /// Its UUID.
    #[serde(rename = "observation-uuid")]
    pub observation_uuid: String,
}

/// Text from outside as an OSCAL value: cleaned, trimmed, never empty.
fn text(s: &str) -> String {
    let t = clean(s).split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() { "-".to_owned() } else { t }
}

fn sl(v: &[u8; 7]) -> String {
    v.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

/// Whether a row is met.
pub fn satisfied(row: &Row) -> bool {
    matches!(
        row.status.as_str(),
        "implemented" | "compensating" | "not-applicable" | "via-conduits"
    )
}

fn method(m: Option<&str>) -> &'static str {
    match m {
        Some("document-review") => "EXAMINE",
        Some("interview") => "INTERVIEW",
        Some("technical-verification" | "test") => "TEST",
        _ => "UNKNOWN",
    }
}

struct TargetRef<'a> {
    kind: &'static str,
    oscal_type: &'static str,
    id: &'a str,
    name: &'a str,
    sl_t: &'a [u8; 7],
    sl_a: &'a [u8; 7],
    rows: &'a [Row],
}

/// The assessment-results document of `report`.
pub fn results(r: &Report) -> ResultsDocument {
    let scope = format!("assessment:{}", r.project.name);
    let date = r.date.clone().unwrap_or_else(|| "1970-01-01".to_owned());
    let stamp = format!("{date}T00:00:00Z");
    let targets: Vec<TargetRef<'_>> = r
        .zones
        .iter()
        .map(|z| TargetRef {
            kind: "zone",
            oscal_type: "system",
            id: &z.id,
            name: &z.name,
            sl_t: &z.sl_t,
            sl_a: &z.sl_a,
            rows: &z.rows,
        })
        .chain(r.conduits.iter().map(|c| TargetRef {
            kind: "conduit",
            oscal_type: "interconnection",
            id: &c.id,
            name: &c.name,
            sl_t: &c.sl_t,
            sl_a: &c.sl_a,
            rows: &c.rows,
        }))
        .chain(r.components.iter().map(|c| TargetRef {
            kind: "component",
            oscal_type: "this-system",
            id: &c.id,
            name: &c.name,
            sl_t: &c.sl_target,
            sl_a: &c.sl_c,
            rows: &c.rows,
        }))
        .collect();
    let mut components = Vec::new();
    let mut controls: Vec<String> = Vec::new();
    let mut observations = Vec::new();
    let mut findings = Vec::new();
    for t in &targets {
        let subject = name_uuid(&scope, &format!("{}:{}", t.kind, t.id));
        let target_props = || {
            vec![
                levee_prop("target-kind", t.kind),
                levee_prop("target", text(t.id)),
            ]
        };
        let mut props = target_props();
        props.push(levee_prop("sl-t", sl(t.sl_t)));
        props.push(levee_prop(
            if t.kind == "component" { "sl-c" } else { "sl-a" },
            sl(t.sl_a),
        ));
        components.push(SystemComponent {
            uuid: subject.clone(),
            kind: t.oscal_type.to_owned(),
            title: text(t.name),
            description: format!("Levee {} {}", t.kind, text(t.id)),
            props,
            status: State {
                state: "operational".to_owned(),
            },
        });
        for row in t.rows {
            let control = crate::oscal::control_id_of(&row.requirement);
            if !controls.contains(&control) {
                controls.push(control.clone());
            }
            let key = format!("{}:{}:{}", t.kind, t.id, row.requirement);
            let obs = name_uuid(&scope, &format!("observation:{key}"));
            let mut row_props = target_props();
            row_props.push(levee_prop("status", text(&row.status)));
            let mut description = format!(
                "Response to {} on {} {}: {}.",
                text(&row.requirement),
                t.kind,
                text(t.id),
                text(&row.status)
            );
            if let Some(j) = &row.justification {
                description.push_str(&format!(" Justification: {}", text(j)));
            }
            if !row.countermeasures.is_empty() {
                description.push_str(&format!(
                    " Countermeasures: {}.",
                    text(&row.countermeasures.join(", "))
                ));
            }
            if let Some(a) = &row.assessor {
                row_props.push(levee_prop("assessor", text(a)));
            }
            observations.push(Observation {
                uuid: obs.clone(),
                title: format!("{} on {} {}", text(&row.requirement), t.kind, text(t.id)),
                description,
                props: row_props.clone(),
                methods: vec![method(row.method.as_deref()).to_owned()],
                subjects: vec![Subject {
                    subject_uuid: subject.clone(),
                    kind: "component".to_owned(),
                    props: target_props(),
                }],
                relevant_evidence: row
                    .evidence
                    .iter()
                    .map(|e| Evidence {
                        description: match &e.sha256 {
                            Some(h) => format!("{} {} (sha256 {})", text(&e.kind), text(&e.value), text(h)),
                            None => format!("{} {}", text(&e.kind), text(&e.value)),
                        },
                    })
                    .collect(),
                collected: row
                    .date
                    .as_ref()
                    .map_or_else(|| stamp.clone(), |d| format!("{}T00:00:00Z", text(d))),
            });
            let ok = satisfied(row);
            let mut finding_props = row_props;
            finding_props.push(levee_prop(
                "required",
                if row.required { "true" } else { "false" },
            ));
            finding_props.push(levee_prop("min-sl", row.min_level.to_string()));
            findings.push(Finding {
                uuid: name_uuid(&scope, &format!("finding:{key}")),
                title: format!("{} on {} {}", text(&row.requirement), t.kind, text(t.id)),
                description: format!(
                    "{} is {} on {} {} ({}).",
                    text(&row.requirement),
                    if ok { "satisfied" } else { "not satisfied" },
                    t.kind,
                    text(t.id),
                    text(&row.status)
                ),
                props: finding_props,
                target: Target {
                    kind: "objective-id".to_owned(),
                    target_id: control,
                    status: TargetStatus {
                        state: if ok { "satisfied" } else { "not-satisfied" }.to_owned(),
                    },
                },
                related_observations: vec![ObservationRef {
                    observation_uuid: obs,
                }],
            });
        }
    }
    let plan = name_uuid(&scope, "assessment-plan");
    let mut result_props = vec![
        prop("label", text(&r.project.name)),
        levee_prop("project-kind", text(&r.project.kind)),
    ];
    result_props.push(levee_prop("catalog-release", text(&r.catalog_release)));
    ResultsDocument {
        assessment_results: AssessmentResults {
            uuid: name_uuid(&scope, &format!("results:{date}")),
            metadata: Metadata {
                title: format!("IEC 62443 assessment results: {}", text(&r.project.name)),
                last_modified: stamp.clone(),
                version: text(&date),
                oscal_version: OSCAL_VERSION.to_owned(),
                remarks: format!(
                    "Written by {} {} from report.json ({}), catalog release {}.",
                    text(&r.generator.name),
                    text(&r.generator.version),
                    text(&r.format),
                    text(&r.catalog_release)
                ),
            },
            import_ap: ImportAp { href: format!("#{plan}") },
            results: vec![AssessmentResult {
                uuid: name_uuid(&scope, &format!("result:{date}")),
                title: format!("IEC 62443 assessment of {}", text(&r.project.name)),
                description: format!(
                    "{} zones, {} conduits and {} components assessed against IEC 62443 (catalog release {}); {} gaps.",
                    r.summary.zones,
                    r.summary.conduits,
                    r.summary.components,
                    text(&r.catalog_release),
                    r.summary.gaps
                ),
                start: stamp,
                props: result_props,
                local_definitions: LocalDefinitions { components },
                reviewed_controls: ReviewedControls {
                    control_selections: vec![ControlSelection {
                        include_controls: controls.into_iter().map(|control_id| ControlRef { control_id }).collect(),
                    }],
                },
                observations,
                findings,
            }],
            back_matter: BackMatter {
                resources: vec![Resource {
                    uuid: plan,
                    title: format!("Assessment plan: the Levee project {}", text(&r.project.name)),
                    description: "The project directory (zones, conduits, components, responses, risk register and approvals) assessed by Levee; its requirements are the IEC 62443 catalog exported by `levee catalog export --format oscal`.".to_owned(),
                }],
            },
        },
    }
}

/// `report.oscal.json` of `report`.
pub fn render(report: &Report) -> String {
    crate::to_json(&results(report))
}

/// The JSON Schema of `report.oscal.json`.
pub fn json_schema() -> String {
    crate::to_json(&schemars::schema_for!(ResultsDocument))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::sample;

    #[test]
    fn one_finding_per_row_with_deterministic_uuids_and_catalog_control_ids() {
        let r = sample::report("Control");
        let doc = results(&r);
        assert_eq!(render(&r), render(&r));
        let result = &doc.assessment_results.results[0];
        assert_eq!(result.findings.len(), 5);
        assert_eq!(result.observations.len(), 5);
        let ids: Vec<&str> = result.reviewed_controls.control_selections[0]
            .include_controls
            .iter()
            .map(|c| c.control_id.as_str())
            .collect();
        assert_eq!(ids, ["sr-1.1", "sr-1.1-re-2", "sr-4.1"]);
        let unmet: Vec<&Finding> = result
            .findings
            .iter()
            .filter(|f| f.target.status.state == "not-satisfied")
            .collect();
        assert_eq!(unmet.len(), 1);
        assert_eq!(unmet[0].target.target_id, "sr-1.1-re-2");
        assert_eq!(
            unmet[0].related_observations[0].observation_uuid,
            result.observations[1].uuid
        );
        let again = results(&sample::report("Control"));
        assert_eq!(
            again.assessment_results.results[0].findings[1].uuid,
            result.findings[1].uuid
        );
        let other = results(&sample::report("Other"));
        assert_ne!(
            other.assessment_results.results[0].findings[1].uuid, result.findings[1].uuid,
            "the project is in the name"
        );
        assert_eq!(result.observations[0].methods, ["INTERVIEW"]);
        assert_eq!(result.start, "2026-11-28T00:00:00Z");
    }

    #[test]
    fn hostile_names_stay_json_and_lose_bidi_controls() {
        let name = "<x>&\"' (a) \\ \u{202e}z\u{1}";
        let text = render(&sample::report(name));
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let title = &v["assessment-results"]["results"][0]["local-definitions"]["components"][0]["title"];
        assert_eq!(title, "<x>&\"' (a) \\ z");
        assert!(!text.contains('\u{202e}'));
    }
}
