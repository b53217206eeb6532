//! Conversion of scan findings into the common [`levee_core::Finding`] the assessment consumes.
//!
//! - id: `vuln-` and the first 16 hex digits of the SHA-256 of the component's identity (purl
//!   without version, else CPE vendor and product, else supplier and name), its version and the
//!   vulnerability id: the same component and vulnerability give the same id in every scan;
//! - severity: from the CVSS severity (NONE → info); medium when no score is known;
//! - confidence: from the tier (exact and CPE high, vendor-product and model-number medium, fuzzy
//!   low);
//! - state: affected → open, the other states by name;
//! - `fr` and `requirement` stay empty: a vulnerability bears on the asset, and the assessment
//!   decides which scenarios it raises;
//! - one evidence entry per advisory product, with the snapshot id.

use levee_core::{Evidence, Finding, FindingSource, Severity, Subject};
use sha2::{Digest, Sha256};

use crate::matcher::{ComponentRef, ScanResult, VulnFinding};

/// The identity of a component without its version: what a triage decision and a finding id are
/// keyed by.
pub fn component_identity(c: &ComponentRef) -> String {
    if let Some(p) = c
        .purl
        .as_deref()
        .and_then(|p| levee_sbom::purl::Purl::parse_lenient(p).ok())
    {
        return p.without_version().to_string();
    }
    if let Some(cpe) = c.cpe.as_deref().and_then(|s| levee_sbom::cpe::Cpe::parse(s).ok())
        && let (Some(v), Some(p)) = (cpe.vendor().as_literal(), cpe.product().as_literal())
    {
        return format!("cpe:{v}:{p}");
    }
    format!(
        "name:{}/{}",
        crate::vendor::normalise(c.vendor.as_deref().unwrap_or("")),
        crate::vendor::normalise_tokens(&c.name)
    )
}

/// The stable id of a finding: the same component (identity and version) and vulnerability give
/// the same id in every scan. When an SBOM lists the same package more than once (syft and Trivy
/// do), its second, third… instance adds its instance number, so every id is unique.
pub fn finding_id(f: &VulnFinding) -> String {
    finding_id_with(&component_identity(&f.component), f)
}

/// [`finding_id`] with the component's [`component_identity`] already worked out (a writer of
/// many findings of one component works it out once).
pub fn finding_id_with(identity: &str, f: &VulnFinding) -> String {
    let mut h = Sha256::new();
    h.update(identity.as_bytes());
    h.update(b"\n");
    h.update(f.component.version.as_deref().unwrap_or("").as_bytes());
    h.update(b"\n");
    h.update(f.vulnerability.as_bytes());
    if f.component.instance > 0 {
        h.update(format!("\n#{}", f.component.instance).as_bytes());
    }
    let digest = h.finalize();
    format!("vuln-{}", levee_core::hex(&digest[..8]))
}

/// The ids of findings in order, each component's identity worked out once per run of findings
/// that share their component (the matcher gives the findings of one component one
/// [`ComponentRef`]); any other finding gets its identity worked out anew.
#[derive(Debug, Default)]
pub struct FindingIds {
    last: Option<(std::sync::Arc<ComponentRef>, String)>,
}

impl FindingIds {
    /// The id of `f`: [`finding_id`]'s.
    pub fn id(&mut self, f: &VulnFinding) -> String {
        let identity = match &mut self.last {
            Some((c, identity)) if std::sync::Arc::ptr_eq(c, &f.component) => identity,
            slot => {
                let identity = component_identity(&f.component);
                &mut slot.insert((std::sync::Arc::clone(&f.component), identity)).1
            }
        };
        finding_id_with(identity, f)
    }
}

/// For each component, how many earlier components have the same identity and version (0 for
/// the first instance): one pass, keyed by a hash so no identity string is kept per component.
pub fn instances(components: impl Iterator<Item = ComponentRef>) -> Vec<u32> {
    use std::hash::{Hash, Hasher};
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    components
        .map(|c| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            component_identity(&c).hash(&mut h);
            c.version.hash(&mut h);
            let n = seen.entry(h.finish()).or_insert(0);
            let this = *n;
            *n += 1;
            this
        })
        .collect()
}

/// The severity of a finding.
pub fn severity(f: &VulnFinding) -> Severity {
    use levee_advisory::cvss::Severity as Cvss;
    match f.cvss.as_ref().map(|c| c.severity) {
        Some(Cvss::Critical) => Severity::Critical,
        Some(Cvss::High) => Severity::High,
        Some(Cvss::Low) => Severity::Low,
        Some(Cvss::None) => Severity::Info,
        _ => Severity::Medium,
    }
}

fn title(f: &VulnFinding) -> String {
    let version = f.component.version.as_deref().unwrap_or("");
    let mut t = format!("{} in {} {version}", f.vulnerability, f.component.name);
    if f.kev.is_some() {
        t.push_str(" (known exploited)");
    }
    t.trim_end().to_owned()
}

/// Converts every finding of a scan into a common finding about `subject`.
pub fn to_findings(result: &ScanResult, subject: Subject) -> Vec<Finding> {
    result
        .findings
        .iter()
        .map(|f| to_finding(f, subject.clone()))
        .collect()
}

/// Converts one finding.
pub fn to_finding(f: &VulnFinding, subject: Subject) -> Finding {
    let mut evidence: Vec<Evidence> = f
        .evidence
        .iter()
        .map(|e| Evidence {
            locator: match &e.product_id {
                Some(p) => format!("{}#{p}", e.advisory),
                None => e.advisory.clone(),
            },
            detail: format!(
                "{} {} matched {} by {} `{}` ({}); version {}{}",
                e.source,
                e.status,
                e.product,
                e.identifier.as_str(),
                e.identifier_value,
                e.tier,
                e.version,
                match &e.range {
                    Some(r) => format!(" against `{r}`: {}", e.verdict.as_str()),
                    None => format!(": {}", e.verdict.as_str()),
                }
            ),
            snapshot: Some(e.snapshot.clone()),
        })
        .collect();
    if let Some(v) = &f.vex {
        evidence.push(Evidence {
            locator: v.source.clone(),
            detail: format!(
                "VEX {}{}{}",
                v.status,
                v.justification.map(|j| format!(" ({j})")).unwrap_or_default(),
                v.carried_from
                    .as_deref()
                    .map(|c| format!(", carried over from version {c}"))
                    .unwrap_or_default()
            ),
            snapshot: None,
        });
    }
    Finding {
        id: finding_id(f),
        source: FindingSource::Vulnerability,
        subject,
        title: title(f),
        severity: severity(f),
        confidence: f.confidence.confidence(),
        state: f.state.to_core(),
        fr: None,
        requirement: None,
        evidence,
    }
}
