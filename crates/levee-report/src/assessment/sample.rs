//! A small hand-built [`Report`] for the renderers' unit tests: two zones (the first named as
//! given, so tests can pass hostile text), one conduit, rows met and unmet, a gap, a scenario, an
//! action and an approval.

use std::collections::BTreeMap;

use super::wire::*;

fn counts() -> SeverityCounts {
    SeverityCounts {
        critical: 0,
        high: 1,
        medium: 0,
        low: 0,
        info: 0,
    }
}

fn group() -> FindingGroup {
    FindingGroup {
        ids: vec![],
        active: counts(),
    }
}

fn row(requirement: &str, fr: u8, status: &str, required: bool) -> Row {
    Row {
        requirement: requirement.into(),
        fr,
        min_level: 1,
        required,
        status: status.into(),
        met_up_to: if status == "implemented" { 4 } else { 0 },
        compensating: false,
        countermeasures: vec![],
        findings: vec![],
        via_conduits: vec![],
        evidence: vec![EvidenceWire {
            kind: "note".into(),
            value: "seen (on site)".into(),
            sha256: None,
        }],
        justification: Some("because \\ (reasons)".into()),
        method: Some("interview".into()),
        assessor: Some("A. Auditor".into()),
        date: Some("2026-11-01".into()),
    }
}

fn gap(requirement: &str, fr: u8) -> GapWire {
    GapWire {
        requirement: requirement.into(),
        title: "Multifactor (all networks)".into(),
        fr,
        level: 2,
        status: "missing".into(),
        effort: 2,
        findings: vec![],
    }
}

fn zone(id: &str, name: &str, ok: bool) -> Zone {
    Zone {
        id: id.into(),
        name: name.into(),
        in_scope: true,
        purdue_level: Some(if ok { 3.0 } else { 1.0 }),
        criticality: "high".into(),
        assets: vec!["plc-1".into()],
        sl_t: [2, 2, 2, 1, 2, 1, 2],
        sl_t_derived: [2, 2, 2, 1, 2, 1, 2],
        sl_t_given: None,
        sl_t_basis: "scenarios".into(),
        sl_t_override: None,
        sl_a: if ok {
            [2, 2, 2, 1, 2, 1, 2]
        } else {
            [1, 2, 0, 1, 2, 1, 3]
        },
        sl_a_native: [1, 2, 0, 1, 2, 1, 3],
        meets_target: ok,
        initial_risk: InitialRisk {
            score: 12,
            band: "high".into(),
            above_tolerable: true,
            basis: "scenarios: TS-1".into(),
        },
        residual_risk: 6,
        conduits: vec!["c1".into()],
        scenarios: vec!["TS-1".into()],
        required: 2,
        met: if ok { 2 } else { 1 },
        gaps: if ok { vec![] } else { vec![gap("SR 1.1 RE 2", 1)] },
        rows: vec![
            row("SR 1.1", 1, "implemented", true),
            row("SR 1.1 RE 2", 1, if ok { "implemented" } else { "missing" }, true),
        ],
        findings: group(),
    }
}

/// The sample report; the first zone is called `name`.
pub fn report(name: &str) -> Report {
    let zones = vec![zone("z1", name, false), zone("z2", "Enterprise network", true)];
    Report {
        format: FORMAT.into(),
        generator: Generator {
            name: "levee".into(),
            version: "0.0.0".into(),
        },
        catalog_release: "2025.1".into(),
        catalog: CatalogAssuranceWire {
            release: "2025.1".into(),
            parts: vec![CatalogPartWire {
                part: "3-3".into(),
                editions: vec!["2013".into()],
                amendments: vec![],
                id_status: "confirmed".into(),
            }],
            sl_flags: BTreeMap::from([("confirmed".to_owned(), 3usize)]),
            sl_flags_unrecorded: 0,
            relied_on: vec![],
        },
        date: Some("2026-11-28".into()),
        project: ProjectInfo {
            name: format!("Plant {name}"),
            kind: "asset-owner".into(),
            owner: Some("Owner & Co".into()),
            description: None,
        },
        summary: Summary {
            zones: 2,
            zones_out_of_scope: 0,
            zones_meeting_target: 1,
            conduits: 1,
            conduits_meeting_target: 1,
            components: 0,
            components_meeting_target: 0,
            gaps: 1,
            constraints_unmet: 0,
            scenarios: 1,
            scenarios_above_tolerable: 0,
            overrides: 0,
            active_findings: 1,
            lines: zones
                .iter()
                .map(|z| SummaryLine {
                    id: z.id.clone(),
                    name: z.name.clone(),
                    sl_t: z.sl_t,
                    sl_a: z.sl_a,
                    gaps: z.gaps.len(),
                    meets_target: z.meets_target,
                    in_scope: z.in_scope,
                    initial_risk: 12,
                    residual_risk: 6,
                })
                .collect(),
        },
        zcr: vec![],
        perimeter: Perimeter {
            zones: vec![],
            conduits: vec![],
        },
        risk: Risk {
            likelihood_levels: 5,
            consequence_levels: 5,
            tolerable: 8,
            scenarios: vec![Scenario {
                id: "TS-1".into(),
                title: name.into(),
                threat_source: "insider".into(),
                zones: vec!["z1".into()],
                frs: vec![1, 2],
                likelihood: 3,
                initial_likelihood: 4,
                initial: 16,
                unmitigated_likelihood: 3,
                raised_by: vec![],
                consequence: 4,
                unmitigated: 12,
                unmitigated_band: "high".into(),
                implemented: vec!["cm-1".into()],
                planned: vec![],
                residual_likelihood: 2,
                residual_consequence: 3,
                residual: 6,
                residual_band: "medium".into(),
                tolerable: true,
                sl_from_score: 2,
                sl_cap: Some(2),
                sl_from_consequence: 3,
                sl_level: 2,
                sl_vector: [2, 2, 0, 0, 0, 0, 0],
                vector: "phishing".into(),
                vulnerability: "shared accounts".into(),
                assets: vec!["plc-1".into()],
                consequences: ConsequencesWire {
                    safety: 4,
                    environment: 1,
                    production: 3,
                    financial: 2,
                    reputation: 2,
                },
                treatment: "reduce".into(),
                risk_owner: Some(name.into()),
            }],
        },
        conduits: vec![Conduit {
            id: "c1".into(),
            name: format!("{name} uplink"),
            zones: ["z1".into(), "z2".into()],
            untrusted: false,
            in_scope: true,
            direction: "bidirectional".into(),
            frs: vec![4],
            sl_t: [2, 2, 2, 1, 2, 1, 2],
            sl_a: [2, 2, 2, 1, 2, 1, 2],
            meets_target: true,
            gaps: vec![],
            rows: vec![row("SR 4.1", 4, "implemented", true)],
            findings: group(),
        }],
        zones,
        components: vec![],
        plan: vec![Action {
            rank: 1,
            target_kind: "zone".into(),
            target: "z1".into(),
            requirement: "SR 1.1 RE 2".into(),
            title: "Multifactor (all networks)".into(),
            fr: 1,
            level: 2,
            status: "missing".into(),
            effort: 2,
            score: 0.75,
            risk_factor: 0.8,
            fr_gap_factor: 0.5,
            effort_factor: 0.5,
        }],
        maturity: Maturity {
            overall: None,
            per_level: [0; 5],
            missing: 0,
            practices: vec![],
            requirements: vec![],
        },
        program: Program {
            totals: ProgramCounts {
                requirements: 0,
                implemented: 0,
                compensating: 0,
                partial: 0,
                planned: 0,
                not_applicable: 0,
                missing: 0,
                readiness_permille: None,
            },
            elements: vec![],
        },
        findings: Findings {
            snapshot: None,
            data: None,
            items: vec![],
            total: 1,
            active: counts(),
            unassigned: vec![],
        },
        review: Review {
            interval_months: 12,
            last_review: None,
            due: None,
            as_of: None,
            overdue: None,
            notes: vec![],
        },
        approvals: vec![ApprovalWire {
            by: name.into(),
            role: "owner".into(),
            date: "2026-11-02".into(),
            what: "crs".into(),
            object: "z1".into(),
            note: Some(name.into()),
        }],
        crs: vec![],
        document: DocumentWire {
            assessor: Some("A. Auditor".into()),
            organisation: Some(name.into()),
            version: Some("1.0".into()),
            scope: Some("The plant".into()),
            limitations: None,
            date: Some("2026-11-28".into()),
        },
        inventory: vec![],
        countermeasures: vec![],
        warnings: vec![],
    }
}
