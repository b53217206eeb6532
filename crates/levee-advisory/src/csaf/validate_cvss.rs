//! CSAF mandatory tests on CVSS objects: 6.1.7 multiple scores with the same version per product,
//! 6.1.8 invalid CVSS object, 6.1.9 invalid CVSS computation, 6.1.10 inconsistent CVSS.

use std::collections::HashSet;

use serde_json::Value;

use super::raw::{CsafDocument, CvssObject};
use super::validate::Out;
use crate::cvss::{self, CvssVersion};

type ValueMap = &'static [(&'static str, &'static str)];

const NLH: ValueMap = &[("NONE", "N"), ("LOW", "L"), ("HIGH", "H")];
const REQ3: ValueMap = &[("LOW", "L"), ("MEDIUM", "M"), ("HIGH", "H"), ("NOT_DEFINED", "X")];
const AV3: ValueMap = &[
    ("NETWORK", "N"),
    ("ADJACENT_NETWORK", "A"),
    ("LOCAL", "L"),
    ("PHYSICAL", "P"),
];
const MAV3: ValueMap = &[
    ("NETWORK", "N"),
    ("ADJACENT_NETWORK", "A"),
    ("LOCAL", "L"),
    ("PHYSICAL", "P"),
    ("NOT_DEFINED", "X"),
];
const MNLH: ValueMap = &[("NONE", "N"), ("LOW", "L"), ("HIGH", "H"), ("NOT_DEFINED", "X")];
const REQ2: ValueMap = &[
    ("LOW", "L"),
    ("MEDIUM", "M"),
    ("HIGH", "H"),
    ("NOT_DEFINED", "ND"),
];
const NPC: ValueMap = &[("NONE", "N"), ("PARTIAL", "P"), ("COMPLETE", "C")];

/// `(JSON property, vector metric, JSON value ↔ metric value, value when the metric is absent)`.
type PropDef = (&'static str, &'static str, ValueMap, Option<&'static str>);

const V3_PROPS: &[PropDef] = &[
    ("attackVector", "AV", AV3, None),
    ("attackComplexity", "AC", &[("LOW", "L"), ("HIGH", "H")], None),
    ("privilegesRequired", "PR", NLH, None),
    ("userInteraction", "UI", &[("NONE", "N"), ("REQUIRED", "R")], None),
    ("scope", "S", &[("UNCHANGED", "U"), ("CHANGED", "C")], None),
    ("confidentialityImpact", "C", NLH, None),
    ("integrityImpact", "I", NLH, None),
    ("availabilityImpact", "A", NLH, None),
    (
        "exploitCodeMaturity",
        "E",
        &[
            ("UNPROVEN", "U"),
            ("PROOF_OF_CONCEPT", "P"),
            ("FUNCTIONAL", "F"),
            ("HIGH", "H"),
            ("NOT_DEFINED", "X"),
        ],
        Some("X"),
    ),
    (
        "remediationLevel",
        "RL",
        &[
            ("OFFICIAL_FIX", "O"),
            ("TEMPORARY_FIX", "T"),
            ("WORKAROUND", "W"),
            ("UNAVAILABLE", "U"),
            ("NOT_DEFINED", "X"),
        ],
        Some("X"),
    ),
    (
        "reportConfidence",
        "RC",
        &[
            ("UNKNOWN", "U"),
            ("REASONABLE", "R"),
            ("CONFIRMED", "C"),
            ("NOT_DEFINED", "X"),
        ],
        Some("X"),
    ),
    ("confidentialityRequirement", "CR", REQ3, Some("X")),
    ("integrityRequirement", "IR", REQ3, Some("X")),
    ("availabilityRequirement", "AR", REQ3, Some("X")),
    ("modifiedAttackVector", "MAV", MAV3, Some("X")),
    (
        "modifiedAttackComplexity",
        "MAC",
        &[("LOW", "L"), ("HIGH", "H"), ("NOT_DEFINED", "X")],
        Some("X"),
    ),
    ("modifiedPrivilegesRequired", "MPR", MNLH, Some("X")),
    (
        "modifiedUserInteraction",
        "MUI",
        &[("NONE", "N"), ("REQUIRED", "R"), ("NOT_DEFINED", "X")],
        Some("X"),
    ),
    (
        "modifiedScope",
        "MS",
        &[("UNCHANGED", "U"), ("CHANGED", "C"), ("NOT_DEFINED", "X")],
        Some("X"),
    ),
    ("modifiedConfidentialityImpact", "MC", MNLH, Some("X")),
    ("modifiedIntegrityImpact", "MI", MNLH, Some("X")),
    ("modifiedAvailabilityImpact", "MA", MNLH, Some("X")),
];

const V2_PROPS: &[PropDef] = &[
    (
        "accessVector",
        "AV",
        &[("NETWORK", "N"), ("ADJACENT_NETWORK", "A"), ("LOCAL", "L")],
        None,
    ),
    (
        "accessComplexity",
        "AC",
        &[("HIGH", "H"), ("MEDIUM", "M"), ("LOW", "L")],
        None,
    ),
    (
        "authentication",
        "Au",
        &[("MULTIPLE", "M"), ("SINGLE", "S"), ("NONE", "N")],
        None,
    ),
    ("confidentialityImpact", "C", NPC, None),
    ("integrityImpact", "I", NPC, None),
    ("availabilityImpact", "A", NPC, None),
    (
        "exploitability",
        "E",
        &[
            ("UNPROVEN", "U"),
            ("PROOF_OF_CONCEPT", "POC"),
            ("FUNCTIONAL", "F"),
            ("HIGH", "H"),
            ("NOT_DEFINED", "ND"),
        ],
        Some("ND"),
    ),
    (
        "remediationLevel",
        "RL",
        &[
            ("OFFICIAL_FIX", "OF"),
            ("TEMPORARY_FIX", "TF"),
            ("WORKAROUND", "W"),
            ("UNAVAILABLE", "U"),
            ("NOT_DEFINED", "ND"),
        ],
        Some("ND"),
    ),
    (
        "reportConfidence",
        "RC",
        &[
            ("UNCONFIRMED", "UC"),
            ("UNCORROBORATED", "UR"),
            ("CONFIRMED", "C"),
            ("NOT_DEFINED", "ND"),
        ],
        Some("ND"),
    ),
    (
        "collateralDamagePotential",
        "CDP",
        &[
            ("NONE", "N"),
            ("LOW", "L"),
            ("LOW_MEDIUM", "LM"),
            ("MEDIUM_HIGH", "MH"),
            ("HIGH", "H"),
            ("NOT_DEFINED", "ND"),
        ],
        Some("ND"),
    ),
    (
        "targetDistribution",
        "TD",
        &[
            ("NONE", "N"),
            ("LOW", "L"),
            ("MEDIUM", "M"),
            ("HIGH", "H"),
            ("NOT_DEFINED", "ND"),
        ],
        Some("ND"),
    ),
    ("confidentialityRequirement", "CR", REQ2, Some("ND")),
    ("integrityRequirement", "IR", REQ2, Some("ND")),
    ("availabilityRequirement", "AR", REQ2, Some("ND")),
];

const SEVERITIES: &[&str] = &["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

pub(super) fn check(doc: &CsafDocument, out: &mut Out) {
    for (i, v) in doc.vulnerabilities.iter().enumerate() {
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        let scores = v.scores.iter().enumerate().flat_map(|(j, s)| {
            [
                ("cvss_v2", &s.cvss_v2),
                ("cvss_v3", &s.cvss_v3),
                ("cvss_v4", &s.cvss_v4),
            ]
            .into_iter()
            .filter_map(move |(key, o)| {
                o.as_ref().map(|o| {
                    (
                        format!("/vulnerabilities/{i}/scores/{j}/{key}"),
                        key,
                        o,
                        &s.products,
                    )
                })
            })
        });
        let metrics = v.metrics.iter().enumerate().flat_map(|(j, m)| {
            let c = &m.content;
            [
                ("cvss_v2", &c.cvss_v2),
                ("cvss_v3", &c.cvss_v3),
                ("cvss_v4", &c.cvss_v4),
            ]
            .into_iter()
            .filter_map(move |(key, o)| {
                o.as_ref().map(|o| {
                    (
                        format!("/vulnerabilities/{i}/metrics/{j}/content/{key}"),
                        key,
                        o,
                        &m.products,
                    )
                })
            })
        });
        for (pointer, key, obj, products) in scores.chain(metrics) {
            let version = obj.version.as_deref().unwrap_or(key);
            for (k, p) in products.iter().enumerate() {
                if !seen.insert((p.as_str(), version)) {
                    out.push(
                        "6.1.7",
                        format!("{}/products/{k}", pointer.rsplit_once('/').map_or("", |x| x.0)),
                        format!("product `{p}` has more than one CVSS {version} score"),
                    );
                }
            }
            check_object(&pointer, key, obj, out);
        }
    }
}

fn check_object(pointer: &str, key: &str, obj: &CvssObject, out: &mut Out) {
    let allowed: &[&str] = match key {
        "cvss_v2" => &["2.0"],
        "cvss_v3" => &["3.0", "3.1"],
        _ => &["4.0"],
    };
    let version = match obj.version.as_deref() {
        Some(v) if allowed.contains(&v) => CvssVersion::parse(v),
        Some(v) => {
            out.push(
                "6.1.8",
                format!("{pointer}/version"),
                format!("`{v}` is not a version allowed in `{key}`"),
            );
            return;
        }
        None => {
            out.push(
                "6.1.8",
                format!("{pointer}/version"),
                "missing required property `version`",
            );
            return;
        }
    };
    let mut invalid = false;
    let mut need = |prop: &str, present: bool| {
        if !present {
            out.push(
                "6.1.8",
                format!("{pointer}/{prop}"),
                format!("missing required property `{prop}`"),
            );
            invalid = true;
        }
    };
    need("vectorString", obj.vector_string.is_some());
    need("baseScore", obj.base_score.is_some());
    if key != "cvss_v2" {
        need("baseSeverity", obj.base_severity.is_some());
    }
    if let Some(s) = obj.base_score
        && !(0.0..=10.0).contains(&s)
    {
        out.push(
            "6.1.8",
            format!("{pointer}/baseScore"),
            format!("base score {s} is outside 0–10"),
        );
        invalid = true;
    }
    if let Some(s) = &obj.base_severity
        && !SEVERITIES.contains(&s.as_str())
    {
        out.push(
            "6.1.8",
            format!("{pointer}/baseSeverity"),
            format!("`{s}` is not a severity"),
        );
        invalid = true;
    }
    let props = if key == "cvss_v2" {
        V2_PROPS
    } else if key == "cvss_v3" {
        V3_PROPS
    } else {
        &[]
    };
    for (prop, _, values, _) in props {
        if let Some(v) = obj.other.get(*prop) {
            let ok = v.as_str().is_some_and(|s| values.iter().any(|(j, _)| *j == s));
            if !ok {
                out.push(
                    "6.1.8",
                    format!("{pointer}/{prop}"),
                    format!("{v} is not a value of `{prop}`"),
                );
                invalid = true;
            }
        }
    }
    let Some(vector) = obj.vector_string.as_deref() else {
        return;
    };
    let parsed = match cvss::parse(vector, version) {
        Ok(p) => p,
        Err(e) => {
            out.push("6.1.8", format!("{pointer}/vectorString"), e.message);
            return;
        }
    };
    if invalid {
        return;
    }
    // 6.1.9: the stated scores and severities must be what the vector computes.
    if let Some(s) = obj.base_score
        && (s - parsed.base_score).abs() > 0.05
    {
        out.push(
            "6.1.9",
            format!("{pointer}/baseScore"),
            format!(
                "base score {s} differs from {} computed from the vector",
                parsed.base_score
            ),
        );
    }
    if let Some(s) = &obj.base_severity
        && key != "cvss_v2"
        && s != parsed.severity().as_str()
    {
        out.push(
            "6.1.9",
            format!("{pointer}/baseSeverity"),
            format!(
                "base severity {s} differs from {} computed from the vector",
                parsed.severity().as_str()
            ),
        );
    }
    // 6.1.10: the metric properties must say what the vector says.
    for (prop, metric, values, absent) in props {
        let Some(Value::String(stated)) = obj.other.get(*prop) else {
            continue;
        };
        let Some(abbr) = parsed.metric(metric).or(*absent) else {
            continue;
        };
        let expected = values.iter().find(|(_, a)| *a == abbr).map(|(j, _)| *j);
        if expected != Some(stated.as_str()) {
            out.push(
                "6.1.10",
                format!("{pointer}/{prop}"),
                format!("`{prop}` is {stated} but the vector says {metric}:{abbr}"),
            );
        }
    }
}
