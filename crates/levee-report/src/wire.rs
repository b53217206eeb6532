//! Wire types: the stable JSON and CSV shapes of Levee's catalog output.
//!
//! Fields are only ever added, never renamed or removed, within a major version. Absent values are
//! `null`, never missing, so consumers can rely on every key being present.

use levee_catalog::{Requirement, Verification};
use serde::Serialize;

/// One catalog row, as `catalog list --format json` and `catalog show --format json` print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogRow {
    /// The id as the standard writes it, e.g. `SR 1.1 RE 2`.
    pub id: String,
    /// `2-1`, `3-2`, `3-3`, `4-1` or `4-2`.
    pub part: String,
    /// The edition year, e.g. `2013`.
    pub edition: String,
    /// `system-requirement`, `component-requirement`, `requirement-enhancement`, `zcr`,
    /// `zcr-requirement`, `process-requirement`, `security-program-element`, `element`,
    /// `program-requirement`, `category` or `element-group`.
    pub kind: String,
    /// The foundational requirement 1–7 (3-3 and 4-2), else null.
    pub fr: Option<u8>,
    /// Our own short title (never the normative text).
    pub title: String,
    /// Whether the row is required at SL1..SL4 (3-3 and 4-2), else null.
    pub sl: Option<SlFlagsWire>,
    /// The lowest SL that requires the row, else null.
    pub min_sl: Option<u8>,
    /// The base requirement of an enhancement, else null.
    pub base: Option<String>,
    /// The enclosing group (4-1 practice, 3-2 ZCR, 2-1 element or category), else null.
    pub group: Option<String>,
    /// For 4-2: `all` or the one component type the row applies to, else null.
    pub component_type: Option<String>,
    /// For 4-2: the 3-3 system requirement with the same number, else null.
    pub counterpart: Option<String>,
    /// The evidence behind the SL flags (3-3 and 4-2), else null.
    pub verification: Option<VerificationWire>,
}

/// SL1..SL4 flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlFlagsWire {
    /// Required at SL1.
    pub sl1: bool,
    /// Required at SL2.
    pub sl2: bool,
    /// Required at SL3.
    pub sl3: bool,
    /// Required at SL4.
    pub sl4: bool,
}

/// How well a row's SL flags are checked against public sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerificationWire {
    /// `confirmed`, `consistent`, `disputed`, `disputed-analogue`, `low-confidence` or `unverified`.
    pub status: String,
    /// Which public source says what.
    pub evidence: String,
}

impl From<&Verification> for VerificationWire {
    fn from(v: &Verification) -> Self {
        VerificationWire {
            status: v.status.as_str().to_owned(),
            evidence: v.evidence.clone(),
        }
    }
}

impl From<&Requirement> for CatalogRow {
    fn from(r: &Requirement) -> Self {
        CatalogRow {
            id: r.id.to_string(),
            part: r.part.to_string(),
            edition: r.edition.clone(),
            kind: r.kind.as_str().to_owned(),
            fr: r.fr.map(|f| f.number()),
            title: r.title.clone(),
            sl: r.sl.map(|f| SlFlagsWire {
                sl1: f.0[0],
                sl2: f.0[1],
                sl3: f.0[2],
                sl4: f.0[3],
            }),
            min_sl: r.sl.and_then(|f| f.min_level()).map(|l| l.get()),
            base: r.base.as_ref().map(ToString::to_string),
            group: r.group.as_ref().map(ToString::to_string),
            component_type: r.applicability.map(|a| a.as_str().to_owned()),
            counterpart: r.counterpart.as_ref().map(ToString::to_string),
            verification: r.verification.as_ref().map(VerificationWire::from),
        }
    }
}
