//! Small builders for projects made directly from `levee-core` types, and the bundled catalog.

use std::sync::OnceLock;

use levee_assess::{Assessment, Options, assess};
use levee_catalog::Catalog;
use levee_core::*;

pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::bundled().expect("bundled catalog is valid"))
}

pub fn project(kind: ProjectKind) -> Project {
    Project {
        name: "test".into(),
        kind,
        owner: None,
        description: None,
        document: Default::default(),
        review: ReviewPolicy::default(),
        captures: Vec::new(),
        zones: Vec::new(),
        conduits: Vec::new(),
        assets: Vec::new(),
        components: Vec::new(),
        risk: RiskRegister::default(),
        responses: Vec::new(),
        maturity: Vec::new(),
        program: Vec::new(),
        crs: ProjectCrs::default(),
    }
}

pub fn sl(text: &str) -> SlVector {
    text.parse().expect("valid SL vector")
}

pub fn zone(id: &str, criticality: Criticality) -> Zone {
    Zone {
        id: id.into(),
        name: format!("Zone {id}"),
        description: None,
        purdue_level: None,
        criticality,
        sl_t: SlTarget::Derived,
        safety: false,
        untrusted: false,
        networks: Vec::new(),
        in_scope: true,
        crs: CrsNotes::default(),
    }
}

/// A zone with a given SL-T (justified).
pub fn zone_at(id: &str, target: &str) -> Zone {
    Zone {
        sl_t: SlTarget::Given {
            vector: sl(target),
            justification: Some("set by the test".into()),
        },
        ..zone(id, Criticality::Low)
    }
}

pub fn asset(id: &str, zone: &str, asset_type: &str) -> Asset {
    Asset {
        id: id.into(),
        name: id.into(),
        zone: zone.into(),
        asset_type: asset_type.into(),
        component_type: None,
        vendor: None,
        model: None,
        firmware: None,
        firmware_image: None,
        ip: Vec::new(),
        mac: Vec::new(),
        sbom: None,
    }
}

pub fn conduit(id: &str, a: &str, b: &str) -> Conduit {
    Conduit {
        id: id.into(),
        name: format!("Conduit {id}"),
        zones: [a.into(), b.into()],
        protocols: Vec::new(),
        direction: Direction::Bidirectional,
        sl_t: SlTarget::Derived,
        untrusted: false,
        crs: CrsNotes::default(),
    }
}

pub fn zt(id: &str) -> Target {
    Target::Zone(id.into())
}

pub fn ct(id: &str) -> Target {
    Target::Conduit(id.into())
}

pub fn response(target: &Target, requirement: &str, status: ResponseStatus, level: Option<u8>) -> Response {
    Response {
        requirement: requirement.into(),
        target: target.clone(),
        status,
        level: level.map(|l| SecurityLevel::new(l).expect("level 0-4")),
        evidence: Vec::new(),
        justification: None,
        countermeasures: Vec::new(),
        method: None,
        assessor: None,
        date: None,
    }
}

/// Implemented responses for every row of `part` the target needs at `target` (per FR), except `skip`,
/// restricted to `fr` when given and to rows covering `component_type` when given.
pub fn implement(
    p: &mut Project,
    target: &Target,
    part: Part,
    at: &str,
    only_fr: Option<Fr>,
    component_type: Option<ComponentType>,
    skip: &[&str],
) {
    let v = sl(at);
    for r in catalog().rows() {
        let Some(fr) = r.fr else { continue };
        if r.part != part || only_fr.is_some_and(|f| f != fr) || !r.required_at(v.get(fr)) {
            continue;
        }
        if let Some(t) = component_type
            && !r.applicability.is_some_and(|a| a.covers(t))
        {
            continue;
        }
        if skip.contains(&r.id.as_str()) {
            continue;
        }
        p.responses
            .push(response(target, r.id.as_str(), ResponseStatus::Implemented, None));
    }
}

/// Replaces the target's response to `requirement`.
pub fn set(p: &mut Project, target: &Target, requirement: &str, status: ResponseStatus, level: Option<u8>) {
    p.responses
        .retain(|r| !(r.target == *target && r.requirement == requirement));
    p.responses.push(response(target, requirement, status, level));
}

pub fn finding(
    id: &str,
    subject: Subject,
    severity: Severity,
    state: FindingState,
    requirement: Option<&str>,
) -> Finding {
    Finding {
        id: id.into(),
        source: FindingSource::Manual,
        subject,
        title: id.into(),
        severity,
        confidence: Confidence::High,
        state,
        fr: None,
        requirement: requirement.map(str::to_owned),
        evidence: Vec::new(),
    }
}

pub fn scenario(
    id: &str,
    source: &str,
    zones: &[&str],
    likelihood: u8,
    consequence: u8,
    frs: &[Fr],
) -> ThreatScenario {
    ThreatScenario {
        id: id.into(),
        title: id.into(),
        threat_source: source.into(),
        vector: "network".into(),
        zones: zones.iter().map(|z| ZoneId::new(*z)).collect(),
        assets: Vec::new(),
        vulnerability: "weak".into(),
        consequences: Consequences {
            production: consequence,
            ..Consequences::default()
        },
        likelihood,
        countermeasures: Vec::new(),
        frs: frs.to_vec(),
    }
}

pub fn countermeasure(
    id: &str,
    status: CountermeasureStatus,
    likelihood: u8,
    consequence: u8,
) -> Countermeasure {
    Countermeasure {
        id: id.into(),
        title: id.into(),
        status,
        likelihood_reduction: likelihood,
        consequence_reduction: consequence,
        requirements: Vec::new(),
    }
}

pub fn run(p: &Project, findings: &[Finding]) -> Assessment {
    assess(p, catalog(), findings, &Options::default())
}

pub fn ids<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> Vec<String> {
    items.into_iter().map(|i| i.to_string()).collect()
}

pub fn component(id: &str, component_type: ComponentType, target: &str) -> Component {
    Component {
        id: id.into(),
        name: format!("Component {id}"),
        component_type,
        version: None,
        sl_target: sl(target),
        development_process: None,
    }
}

pub fn cpt(id: &str) -> Target {
    Target::Component(id.into())
}
