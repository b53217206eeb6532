//! The parts of IEC 62443 that Levee carries as data.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// A part of the IEC 62443 series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Part {
    /// 62443-2-1: security program requirements for IACS asset owners.
    #[serde(rename = "2-1")]
    P2_1,
    /// 62443-3-2: security risk assessment for system design (zones and conduits).
    #[serde(rename = "3-2")]
    P3_2,
    /// 62443-3-3: system security requirements and security levels.
    #[serde(rename = "3-3")]
    P3_3,
    /// 62443-4-1: secure product development lifecycle requirements.
    #[serde(rename = "4-1")]
    P4_1,
    /// 62443-4-2: technical security requirements for IACS components.
    #[serde(rename = "4-2")]
    P4_2,
}

impl Part {
    /// Every part, in the order the standard numbers them.
    pub const ALL: [Part; 5] = [Part::P2_1, Part::P3_2, Part::P3_3, Part::P4_1, Part::P4_2];

    /// The part number as written in the standard, e.g. `3-3`.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::P2_1 => "2-1",
            Part::P3_2 => "3-2",
            Part::P3_3 => "3-3",
            Part::P4_1 => "4-1",
            Part::P4_2 => "4-2",
        }
    }

    /// Whether the part's requirements carry a foundational requirement and SL flags.
    pub fn has_security_levels(self) -> bool {
        matches!(self, Part::P3_3 | Part::P4_2)
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Part {
    type Err = ParseError;

    /// Accepts `3-3`, `3.3`, `62443-3-3`, `IEC 62443-3-3`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace('.', "-");
        let t = t.strip_prefix("iec").unwrap_or(&t).trim();
        let t = t.strip_prefix("62443-").unwrap_or(t);
        Part::ALL
            .into_iter()
            .find(|p| p.as_str() == t)
            .ok_or_else(|| ParseError::new("part", s, "expected one of 2-1, 3-2, 3-3, 4-1, 4-2"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_spellings() {
        for s in ["3-3", "3.3", "62443-3-3", "IEC 62443-3-3"] {
            assert_eq!(s.parse::<Part>(), Ok(Part::P3_3), "{s}");
        }
        assert!("3-4".parse::<Part>().is_err());
        assert!("".parse::<Part>().is_err());
    }
}
