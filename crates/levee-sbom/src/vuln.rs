//! The `vulnerabilities` section of a CycloneDX document (VEX or VDR), read raw: what the document
//! states, with no interpretation. The VEX logic is built on top of this elsewhere.

use serde::Serialize;

/// One vulnerability entry as the document states it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RawVulnerability {
    /// `bom-ref` of the entry.
    pub bom_ref: Option<String>,
    /// The identifier, e.g. `CVE-2021-44228`.
    pub id: Option<String>,
    /// Where the identifier comes from (source name).
    pub source_name: Option<String>,
    /// The source's URL.
    pub source_url: Option<String>,
    /// Other identifiers (CycloneDX `references[].id`).
    pub aliases: Vec<String>,
    /// Ratings.
    pub ratings: Vec<RawRating>,
    /// CWE numbers.
    pub cwes: Vec<u64>,
    /// Description.
    pub description: Option<String>,
    /// Recommendation.
    pub recommendation: Option<String>,
    /// The components the entry is about.
    pub affects: Vec<RawAffect>,
    /// The analysis (the VEX statement).
    pub analysis: Option<RawAnalysis>,
    /// `published` timestamp.
    pub published: Option<String>,
    /// `updated` timestamp.
    pub updated: Option<String>,
}

/// One rating.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RawRating {
    /// Source name.
    pub source_name: Option<String>,
    /// Score.
    pub score: Option<f64>,
    /// Severity (`critical`, `high`, …).
    pub severity: Option<String>,
    /// Method (`CVSSv31`, …).
    pub method: Option<String>,
    /// Vector string.
    pub vector: Option<String>,
}

/// One affected component.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RawAffect {
    /// The `bom-ref` (or BOM-Link) of the component.
    pub reference: String,
    /// Versions and ranges with their status.
    pub versions: Vec<RawAffectedVersion>,
}

/// A version or range and its status.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RawAffectedVersion {
    /// A single version.
    pub version: Option<String>,
    /// A vers range.
    pub range: Option<String>,
    /// `affected`, `unaffected` or `unknown`.
    pub status: Option<String>,
}

/// The analysis of a vulnerability (the VEX statement).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RawAnalysis {
    /// `resolved`, `exploitable`, `in_triage`, `false_positive`, `not_affected`, …
    pub state: Option<String>,
    /// `code_not_present`, `code_not_reachable`, …
    pub justification: Option<String>,
    /// `can_not_fix`, `will_not_fix`, `update`, `rollback`, `workaround_available`.
    pub response: Vec<String>,
    /// Free text.
    pub detail: Option<String>,
    /// `firstIssued`.
    pub first_issued: Option<String>,
    /// `lastUpdated`.
    pub last_updated: Option<String>,
}

impl RawVulnerability {
    /// Whether the entry has an `analysis` that states nothing a VEX consumer may apply: no
    /// `state` CycloneDX defines and no per-version `status` in `affects`. Such an entry is never
    /// applied as a VEX statement (it cannot silence a finding), and the reader says so.
    pub fn analysis_without_state(&self) -> bool {
        const STATES: [&str; 6] = [
            "resolved",
            "resolved_with_pedigree",
            "exploitable",
            "in_triage",
            "false_positive",
            "not_affected",
        ];
        let Some(a) = &self.analysis else {
            return false;
        };
        let stated = a.state.as_deref().is_some_and(|s| STATES.contains(&s));
        let per_version = self
            .affects
            .iter()
            .flat_map(|x| &x.versions)
            .any(|v| v.status.is_some());
        !stated && !per_version
    }
}

/// Adds a warning for every embedded vulnerability whose analysis states nothing applicable.
pub(crate) fn warn_stateless_analyses(sbom: &mut crate::Sbom) {
    const LISTED: usize = 200;
    let stateless = || {
        sbom.vulnerabilities
            .iter()
            .enumerate()
            .filter(|(_, v)| v.analysis_without_state())
    };
    let total = stateless().count();
    let mut found: Vec<crate::Warning> = stateless()
        .take(LISTED)
        .map(|(i, v)| {
            let state = v.analysis.as_ref().and_then(|a| a.state.as_deref());
            let what = match state {
                Some(s) => format!("an analysis with the unknown state `{s}`"),
                None => "an analysis without a state".to_owned(),
            };
            crate::Warning::new(
                crate::Location::pointer(format!("/vulnerabilities/{i}/analysis")),
                format!(
                    "vulnerability {} has {what}; it is not applied as a VEX statement",
                    v.id.as_deref().unwrap_or("(without an id)")
                ),
            )
        })
        .collect();
    if total > LISTED {
        found.push(crate::Warning::new(
            crate::Location::pointer("/vulnerabilities"),
            format!(
                "{} more vulnerabilities with an analysis but no state (the first {LISTED} are listed)",
                total - LISTED
            ),
        ));
    }
    sbom.warnings.extend(found);
}
