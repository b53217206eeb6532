//! Security levels and seven-valued security-level vectors.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Fr, ParseError};

/// A security level 0–4 for one foundational requirement.
///
/// SL 0 means "no specific requirement"; SL 1–4 are the levels of IEC 62443-3-3 and 4-2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SecurityLevel(u8);

impl SecurityLevel {
    /// No specific requirement.
    pub const SL0: SecurityLevel = SecurityLevel(0);
    /// Protection against casual or coincidental violation.
    pub const SL1: SecurityLevel = SecurityLevel(1);
    /// Protection against intentional violation with simple means.
    pub const SL2: SecurityLevel = SecurityLevel(2);
    /// Protection against intentional violation with sophisticated means.
    pub const SL3: SecurityLevel = SecurityLevel(3);
    /// Protection against intentional violation with sophisticated means and extended resources.
    pub const SL4: SecurityLevel = SecurityLevel(4);
    /// The levels a requirement can be flagged for (1–4).
    pub const FLAGGED: [SecurityLevel; 4] = [Self::SL1, Self::SL2, Self::SL3, Self::SL4];

    /// The level `n`, if `n` is 0–4.
    pub fn new(n: u8) -> Option<SecurityLevel> {
        (n <= 4).then_some(SecurityLevel(n))
    }

    /// The level as a number 0–4.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for SecurityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SL{}", self.0)
    }
}

impl FromStr for SecurityLevel {
    type Err = ParseError;

    /// Accepts `2`, `SL2`, `sl 2`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let squashed: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let upper = squashed.to_ascii_uppercase();
        let digits = match upper.strip_prefix("SL") {
            Some(rest) => rest.strip_prefix('-').unwrap_or(rest),
            None => &upper,
        };
        digits
            .parse::<u8>()
            .ok()
            .and_then(SecurityLevel::new)
            .ok_or_else(|| ParseError::new("security level", s, "expected 0-4 or SL0-SL4"))
    }
}

impl Serialize for SecurityLevel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for SecurityLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(deserializer)?;
        SecurityLevel::new(n)
            .ok_or_else(|| serde::de::Error::custom(format!("security level must be 0-4, got {n}")))
    }
}

/// One security level per foundational requirement: an SL-T, SL-C or SL-A.
///
/// Serialised as an array of seven integers, FR 1 first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SlVector([SecurityLevel; 7]);

impl SlVector {
    /// The same level in every FR.
    pub fn uniform(level: SecurityLevel) -> SlVector {
        SlVector([level; 7])
    }

    /// A vector from seven levels, FR 1 first.
    pub fn from_levels(levels: [SecurityLevel; 7]) -> SlVector {
        SlVector(levels)
    }

    /// The level for one FR.
    pub fn get(&self, fr: Fr) -> SecurityLevel {
        self.0[fr.index()]
    }

    /// Sets the level for one FR.
    pub fn set(&mut self, fr: Fr, level: SecurityLevel) {
        self.0[fr.index()] = level;
    }

    /// The seven levels, FR 1 first.
    pub fn levels(&self) -> [SecurityLevel; 7] {
        self.0
    }

    /// Per-FR maximum of two vectors.
    pub fn max(&self, other: &SlVector) -> SlVector {
        SlVector(std::array::from_fn(|i| self.0[i].max(other.0[i])))
    }

    /// Per-FR minimum of two vectors.
    pub fn min(&self, other: &SlVector) -> SlVector {
        SlVector(std::array::from_fn(|i| self.0[i].min(other.0[i])))
    }

    /// The FRs where `self` (a target) is above `achieved`.
    pub fn gaps_against<'a>(&'a self, achieved: &'a SlVector) -> impl Iterator<Item = Fr> + 'a {
        Fr::ALL
            .into_iter()
            .filter(move |fr| self.get(*fr) > achieved.get(*fr))
    }
}

impl fmt::Display for SlVector {
    /// The compact notation used in the field: `SL(2,2,2,1,1,1,1)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SL(")?;
        for (i, l) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}", l.get())?;
        }
        f.write_str(")")
    }
}

impl FromStr for SlVector {
    type Err = ParseError;

    /// Accepts seven levels separated by commas or spaces (`2,2,2,1,1,1,1`, optionally wrapped in `SL(…)`
    /// or `[…]`), or one level for every FR (`2`, `SL2`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const HINT: &str = "expected seven levels 0-4 such as `2,2,2,1,1,1,1`, or one level such as `SL2`";
        let t = s.trim();
        let inner = t
            .strip_prefix("SL(")
            .or_else(|| t.strip_prefix("sl("))
            .and_then(|r| r.strip_suffix(')'))
            .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')))
            .unwrap_or(t);
        let parts: Vec<&str> = inner
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .collect();
        match parts.len() {
            1 => parts[0]
                .parse()
                .map(SlVector::uniform)
                .map_err(|_| ParseError::new("SL vector", s, HINT)),
            7 => {
                let mut levels = [SecurityLevel::SL0; 7];
                for (slot, p) in levels.iter_mut().zip(&parts) {
                    *slot = p.parse().map_err(|_| ParseError::new("SL vector", s, HINT))?;
                }
                Ok(SlVector(levels))
            }
            _ => Err(ParseError::new("SL vector", s, HINT)),
        }
    }
}

impl Serialize for SlVector {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SlVector {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <[SecurityLevel; 7]>::deserialize(deserializer).map(SlVector)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_bounds() {
        assert_eq!(SecurityLevel::new(4), Some(SecurityLevel::SL4));
        assert_eq!(SecurityLevel::new(5), None);
        assert_eq!("sl 3".parse::<SecurityLevel>(), Ok(SecurityLevel::SL3));
        assert_eq!("SL-2".parse::<SecurityLevel>(), Ok(SecurityLevel::SL2));
        assert!("5".parse::<SecurityLevel>().is_err());
        assert!("-1".parse::<SecurityLevel>().is_err());
    }

    #[test]
    fn vector_notations() {
        let v: SlVector = "SL(3,2,2,1,1,0,4)".parse().expect("valid");
        assert_eq!(v.to_string(), "SL(3,2,2,1,1,0,4)");
        assert_eq!("[3, 2, 2, 1, 1, 0, 4]".parse::<SlVector>(), Ok(v));
        assert_eq!("3 2 2 1 1 0 4".parse::<SlVector>(), Ok(v));
        assert_eq!(
            "SL2".parse::<SlVector>(),
            Ok(SlVector::uniform(SecurityLevel::SL2))
        );
        assert!("1,2,3".parse::<SlVector>().is_err());
        assert!("1,2,3,4,5,1,1".parse::<SlVector>().is_err());
    }

    #[test]
    fn serde_is_seven_integers() {
        let v: SlVector = "1,2,3,4,0,1,2".parse().expect("valid");
        let json = serde_json::to_string(&v).expect("serialise");
        assert_eq!(json, "[1,2,3,4,0,1,2]");
        assert_eq!(serde_json::from_str::<SlVector>(&json).expect("deserialise"), v);
        assert!(serde_json::from_str::<SlVector>("[1,2,3,4,5,1,2]").is_err());
        assert!(serde_json::from_str::<SlVector>("[1,2,3]").is_err());
    }

    #[test]
    fn gaps_and_bounds() {
        let t: SlVector = "3,3,2,2,1,1,1".parse().expect("valid");
        let a: SlVector = "3,2,2,3,0,1,1".parse().expect("valid");
        assert_eq!(t.gaps_against(&a).collect::<Vec<_>>(), vec![Fr::Uc, Fr::Rdf]);
        assert_eq!(t.max(&a).to_string(), "SL(3,3,2,3,1,1,1)");
        assert_eq!(t.min(&a).to_string(), "SL(3,2,2,2,0,1,1)");
    }
}
