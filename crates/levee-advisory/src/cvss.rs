//! CVSS vectors: strict validation of v2.0, v3.0, v3.1 and v4.0 vector strings, base scores and
//! severities.
//!
//! Validation is ours and follows the specifications: every metric name and value must be defined,
//! no metric may appear twice, every base metric must be present, and v4.0 metrics must come in
//! the specification's order. The arithmetic is the `cvss` crate's (RustSec), which implements
//! v3.0 and v3.1 rounding exactly and the v4.0 macro-vector lookup; its own parser is lenient
//! (case-insensitive, base metrics optional), which is why it only sees vectors we accepted.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{AdvisoryError, ErrorKind, Location};

/// A CVSS version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum CvssVersion {
    /// CVSS v2.0 (vectors have no prefix).
    #[serde(rename = "2.0")]
    V2,
    /// CVSS v3.0.
    #[serde(rename = "3.0")]
    V3_0,
    /// CVSS v3.1.
    #[serde(rename = "3.1")]
    V3_1,
    /// CVSS v4.0.
    #[serde(rename = "4.0")]
    V4_0,
}

impl CvssVersion {
    /// The version as written in vectors and CVSS JSON (`2.0`, `3.0`, `3.1`, `4.0`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V2 => "2.0",
            Self::V3_0 => "3.0",
            Self::V3_1 => "3.1",
            Self::V4_0 => "4.0",
        }
    }

    /// Reads a version as written in CVSS JSON.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "2.0" => Self::V2,
            "3.0" => Self::V3_0,
            "3.1" => Self::V3_1,
            "4.0" => Self::V4_0,
            _ => return None,
        })
    }
}

impl fmt::Display for CvssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A qualitative severity rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum Severity {
    /// 0.0 (v3 and v4 only).
    None,
    /// 0.1–3.9 (v2: 0.0–3.9).
    Low,
    /// 4.0–6.9.
    Medium,
    /// 7.0–8.9 (v2: 7.0–10.0).
    High,
    /// 9.0–10.0 (v3 and v4 only).
    Critical,
}

impl Severity {
    /// The rating of a v3.x or v4.0 score.
    pub fn from_score(score: f64) -> Self {
        if score < 0.1 {
            Self::None
        } else if score < 4.0 {
            Self::Low
        } else if score < 7.0 {
            Self::Medium
        } else if score < 9.0 {
            Self::High
        } else {
            Self::Critical
        }
    }

    /// The rating of a v2.0 score (NVD's bands).
    pub fn from_v2_score(score: f64) -> Self {
        if score < 4.0 {
            Self::Low
        } else if score < 7.0 {
            Self::Medium
        } else {
            Self::High
        }
    }

    /// The upper-case name used in CVSS JSON (`CRITICAL`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "NONE",
            Self::Low => "LOW",
            Self::Medium => "MEDIUM",
            Self::High => "HIGH",
            Self::Critical => "CRITICAL",
        }
    }
}

/// A validated CVSS vector with its base score.
#[derive(Debug, Clone, PartialEq)]
pub struct Vector {
    /// The version.
    pub version: CvssVersion,
    /// The vector string as given.
    pub text: String,
    /// `(metric, value)` pairs in the order given, without the `CVSS:x.y` prefix.
    pub metrics: Vec<(String, String)>,
    /// The base score, computed by the specification.
    pub base_score: f64,
}

impl Vector {
    /// The severity of the base score.
    pub fn severity(&self) -> Severity {
        match self.version {
            CvssVersion::V2 => Severity::from_v2_score(self.base_score),
            _ => Severity::from_score(self.base_score),
        }
    }

    /// The value of one metric, when present.
    pub fn metric(&self, name: &str) -> Option<&str> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl FromStr for Vector {
    type Err = AdvisoryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s, None)
    }
}

/// One metric of a version: its name, its allowed values and whether it is a base metric.
type MetricDef = (&'static str, &'static [&'static str], bool);

const V2: &[MetricDef] = &[
    ("AV", &["L", "A", "N"], true),
    ("AC", &["H", "M", "L"], true),
    ("Au", &["M", "S", "N"], true),
    ("C", &["N", "P", "C"], true),
    ("I", &["N", "P", "C"], true),
    ("A", &["N", "P", "C"], true),
    ("E", &["U", "POC", "F", "H", "ND"], false),
    ("RL", &["OF", "TF", "W", "U", "ND"], false),
    ("RC", &["UC", "UR", "C", "ND"], false),
    ("CDP", &["N", "L", "LM", "MH", "H", "ND"], false),
    ("TD", &["N", "L", "M", "H", "ND"], false),
    ("CR", &["L", "M", "H", "ND"], false),
    ("IR", &["L", "M", "H", "ND"], false),
    ("AR", &["L", "M", "H", "ND"], false),
];

const V3: &[MetricDef] = &[
    ("AV", &["N", "A", "L", "P"], true),
    ("AC", &["L", "H"], true),
    ("PR", &["N", "L", "H"], true),
    ("UI", &["N", "R"], true),
    ("S", &["U", "C"], true),
    ("C", &["H", "L", "N"], true),
    ("I", &["H", "L", "N"], true),
    ("A", &["H", "L", "N"], true),
    ("E", &["X", "H", "F", "P", "U"], false),
    ("RL", &["X", "U", "W", "T", "O"], false),
    ("RC", &["X", "C", "R", "U"], false),
    ("CR", &["X", "H", "M", "L"], false),
    ("IR", &["X", "H", "M", "L"], false),
    ("AR", &["X", "H", "M", "L"], false),
    ("MAV", &["X", "N", "A", "L", "P"], false),
    ("MAC", &["X", "L", "H"], false),
    ("MPR", &["X", "N", "L", "H"], false),
    ("MUI", &["X", "N", "R"], false),
    ("MS", &["X", "U", "C"], false),
    ("MC", &["X", "H", "L", "N"], false),
    ("MI", &["X", "H", "L", "N"], false),
    ("MA", &["X", "H", "L", "N"], false),
];

const V4: &[MetricDef] = &[
    ("AV", &["N", "A", "L", "P"], true),
    ("AC", &["L", "H"], true),
    ("AT", &["N", "P"], true),
    ("PR", &["N", "L", "H"], true),
    ("UI", &["N", "P", "A"], true),
    ("VC", &["H", "L", "N"], true),
    ("VI", &["H", "L", "N"], true),
    ("VA", &["H", "L", "N"], true),
    ("SC", &["H", "L", "N"], true),
    ("SI", &["H", "L", "N"], true),
    ("SA", &["H", "L", "N"], true),
    ("E", &["X", "A", "P", "U"], false),
    ("CR", &["X", "H", "M", "L"], false),
    ("IR", &["X", "H", "M", "L"], false),
    ("AR", &["X", "H", "M", "L"], false),
    ("MAV", &["X", "N", "A", "L", "P"], false),
    ("MAC", &["X", "L", "H"], false),
    ("MAT", &["X", "N", "P"], false),
    ("MPR", &["X", "N", "L", "H"], false),
    ("MUI", &["X", "N", "P", "A"], false),
    ("MVC", &["X", "H", "L", "N"], false),
    ("MVI", &["X", "H", "L", "N"], false),
    ("MVA", &["X", "H", "L", "N"], false),
    ("MSC", &["X", "H", "L", "N"], false),
    ("MSI", &["X", "S", "H", "L", "N"], false),
    ("MSA", &["X", "S", "H", "L", "N"], false),
    ("S", &["X", "N", "P"], false),
    ("AU", &["X", "N", "Y"], false),
    ("R", &["X", "A", "U", "I"], false),
    ("V", &["X", "D", "C"], false),
    ("RE", &["X", "L", "M", "H"], false),
    ("U", &["X", "Clear", "Green", "Amber", "Red"], false),
];

/// The longest vector string accepted; the longest valid v4.0 vector is about 190 characters.
pub const MAX_VECTOR_LEN: usize = 512;

fn err(msg: impl Into<String>) -> AdvisoryError {
    AdvisoryError::new(ErrorKind::Cvss, Location::root(), msg)
}

/// Validates a vector string and computes its base score.
///
/// `expected` is the version the context implies (a CSAF `cvss_v2` object, an NVD
/// `cvssMetricV31`); v3 and v4 vectors name their version in the `CVSS:x.y/` prefix, v2 vectors
/// have none and are recognised by their metrics when no version is expected.
pub fn parse(vector: &str, expected: Option<CvssVersion>) -> Result<Vector, AdvisoryError> {
    if vector.len() > MAX_VECTOR_LEN {
        return Err(err(format!("CVSS vector longer than {MAX_VECTOR_LEN} bytes")));
    }
    let (version, body) = if let Some(rest) = vector.strip_prefix("CVSS:") {
        let (v, body) = rest.split_once('/').unwrap_or((rest, ""));
        let version = match v {
            "3.0" => CvssVersion::V3_0,
            "3.1" => CvssVersion::V3_1,
            "4.0" => CvssVersion::V4_0,
            _ => return Err(err(format!("unsupported CVSS version `{v}`"))),
        };
        (version, body)
    } else {
        (CvssVersion::V2, vector)
    };
    if let Some(e) = expected
        && e != version
    {
        return Err(err(format!(
            "vector `{vector}` is CVSS {version}, expected CVSS {e}"
        )));
    }
    let table = match version {
        CvssVersion::V2 => V2,
        CvssVersion::V3_0 | CvssVersion::V3_1 => V3,
        CvssVersion::V4_0 => V4,
    };
    let metrics = check_metrics(body, table, version == CvssVersion::V4_0)
        .map_err(|m| err(format!("invalid CVSS {version} vector `{vector}`: {m}")))?;
    let base_score = compute(version, vector, &metrics)
        .map_err(|m| err(format!("invalid CVSS {version} vector `{vector}`: {m}")))?;
    Ok(Vector {
        version,
        text: vector.to_owned(),
        metrics,
        base_score,
    })
}

fn check_metrics(body: &str, table: &[MetricDef], ordered: bool) -> Result<Vec<(String, String)>, String> {
    if body.is_empty() {
        return Err("no metrics".into());
    }
    let mut seen = vec![false; table.len()];
    let mut last = None;
    let mut out = Vec::new();
    for part in body.split('/') {
        let (name, value) = part
            .split_once(':')
            .ok_or_else(|| format!("`{part}` is not `metric:value`"))?;
        let idx = table
            .iter()
            .position(|(n, _, _)| *n == name)
            .ok_or_else(|| format!("unknown metric `{name}`"))?;
        let (_, values, _) = table[idx];
        if !values.contains(&value) {
            return Err(format!("`{value}` is not a value of `{name}`"));
        }
        if std::mem::replace(&mut seen[idx], true) {
            return Err(format!("metric `{name}` appears twice"));
        }
        if ordered && last.is_some_and(|l| l > idx) {
            return Err(format!("metric `{name}` is out of order"));
        }
        last = Some(idx);
        out.push((name.to_owned(), value.to_owned()));
    }
    if let Some((name, _, _)) = table
        .iter()
        .zip(&seen)
        .find(|((_, _, base), seen)| *base && !**seen)
        .map(|(d, _)| d)
    {
        return Err(format!("base metric `{name}` is missing"));
    }
    Ok(out)
}

fn compute(version: CvssVersion, vector: &str, metrics: &[(String, String)]) -> Result<f64, String> {
    match version {
        CvssVersion::V2 => {
            let v = cvss::v2::Vector::from_str(vector).map_err(|e| e.to_string())?;
            Ok(v.score().value())
        }
        CvssVersion::V3_0 | CvssVersion::V3_1 => {
            let v = cvss::v3::Vector::from_str(vector).map_err(|e| e.to_string())?;
            Ok(v.base_score().value())
        }
        CvssVersion::V4_0 => {
            // The base score (CVSS-B) uses the base metrics only.
            let mut base = String::from("CVSS:4.0");
            for (name, value) in metrics.iter().take(11) {
                base.push('/');
                base.push_str(name);
                base.push(':');
                base.push_str(value);
            }
            let v = cvss::v4::Vector::from_str(&base).map_err(|e| e.to_string())?;
            Ok(v.score().value())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(v: &str) -> f64 {
        parse(v, None).map(|v| v.base_score).unwrap_or(-1.0)
    }

    #[test]
    fn v3_scores_follow_the_specification() {
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
        assert_eq!(score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N"), 0.0);
        assert_eq!(score("CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N"), 3.1);
        assert_eq!(score("CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:L/I:L/A:H"), 5.5);
        // Temporal metrics do not change the base score.
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O"),
            9.8
        );
    }

    #[test]
    fn v2_and_v4_scores() {
        assert_eq!(score("AV:N/AC:L/Au:N/C:P/I:P/A:P"), 7.5);
        assert_eq!(score("AV:N/AC:M/Au:N/C:C/I:C/A:C"), 9.3);
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            9.3
        );
        assert_eq!(
            score("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            8.5
        );
        // Threat metrics are not part of the base score.
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U"),
            9.3
        );
        assert_eq!(Severity::from_score(9.3), Severity::Critical);
        assert_eq!(Severity::from_v2_score(9.3), Severity::High);
    }

    #[test]
    fn malformed_vectors_are_rejected() {
        for bad in [
            "",
            "CVSS:3.1",
            "CVSS:3.1/",
            "CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H",
            "CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            "AV:N/AC:L/Au:N/C:P/I:P",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H:X",
        ] {
            assert!(parse(bad, None).is_err(), "{bad} accepted");
        }
        assert!(
            parse(
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                Some(CvssVersion::V3_0)
            )
            .is_err()
        );
    }
}
