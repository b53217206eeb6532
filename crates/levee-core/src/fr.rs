//! The seven foundational requirements of IEC 62443-1-1 / 3-3 / 4-2.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ParseError;

/// A foundational requirement (FR 1 … FR 7).
///
/// Serialised as its number (`1` … `7`), which is how 62443 requirement identifiers refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fr {
    /// FR 1 Identification and authentication control (IAC).
    Iac = 1,
    /// FR 2 Use control (UC).
    Uc = 2,
    /// FR 3 System integrity (SI).
    Si = 3,
    /// FR 4 Data confidentiality (DC).
    Dc = 4,
    /// FR 5 Restricted data flow (RDF).
    Rdf = 5,
    /// FR 6 Timely response to events (TRE).
    Tre = 6,
    /// FR 7 Resource availability (RA).
    Ra = 7,
}

impl Fr {
    /// All seven FRs in order.
    pub const ALL: [Fr; 7] = [Fr::Iac, Fr::Uc, Fr::Si, Fr::Dc, Fr::Rdf, Fr::Tre, Fr::Ra];

    /// The FR with this number (1–7).
    pub fn from_number(n: u8) -> Option<Fr> {
        Fr::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The FR number, 1–7.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// Index into a seven-element array (0–6).
    pub fn index(self) -> usize {
        usize::from(self.number() - 1)
    }

    /// The customary abbreviation, e.g. `IAC`.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Fr::Iac => "IAC",
            Fr::Uc => "UC",
            Fr::Si => "SI",
            Fr::Dc => "DC",
            Fr::Rdf => "RDF",
            Fr::Tre => "TRE",
            Fr::Ra => "RA",
        }
    }

    /// The customary name, e.g. `Identification and authentication control`.
    pub fn name(self) -> &'static str {
        match self {
            Fr::Iac => "Identification and authentication control",
            Fr::Uc => "Use control",
            Fr::Si => "System integrity",
            Fr::Dc => "Data confidentiality",
            Fr::Rdf => "Restricted data flow",
            Fr::Tre => "Timely response to events",
            Fr::Ra => "Resource availability",
        }
    }
}

impl fmt::Display for Fr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FR {}", self.number())
    }
}

impl FromStr for Fr {
    type Err = ParseError;

    /// Accepts `3`, `FR3`, `FR 3`, `fr-3` and the abbreviation (`SI`), in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const HINT: &str = "expected 1-7, `FR 1`-`FR 7` or one of IAC, UC, SI, DC, RDF, TRE, RA";
        let squashed: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let upper = squashed.to_ascii_uppercase();
        let digits = match upper.strip_prefix("FR") {
            Some(rest) => rest.strip_prefix(['-', '_']).unwrap_or(rest),
            None => &upper,
        };
        if let Ok(n) = digits.parse::<u8>() {
            return Fr::from_number(n).ok_or_else(|| ParseError::new("foundational requirement", s, HINT));
        }
        Fr::ALL
            .into_iter()
            .find(|fr| fr.abbreviation() == upper)
            .ok_or_else(|| ParseError::new("foundational requirement", s, HINT))
    }
}

impl Serialize for Fr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.number())
    }
}

impl<'de> Deserialize<'de> for Fr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(deserializer)?;
        Fr::from_number(n).ok_or_else(|| serde::de::Error::custom(format!("FR must be 1-7, got {n}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        for s in ["3", "FR3", "fr 3", "FR-3", "si", "SI"] {
            assert_eq!(s.parse::<Fr>(), Ok(Fr::Si), "{s}");
        }
        for bad in ["0", "8", "FR", "XX", "", "-3", "FR--3"] {
            assert!(bad.parse::<Fr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_round_trip() {
        for fr in Fr::ALL {
            assert_eq!(Fr::from_number(fr.number()), Some(fr));
            assert_eq!(Fr::ALL[fr.index()], fr);
        }
        assert_eq!(Fr::from_number(0), None);
    }
}
