//! vers ranges: `vers:<type>/<constraint>|<constraint>|…` (the package-url project's VErsion Range
//! Specifier).
//!
//! [`VersRange::parse`] normalizes as it reads: the type is lower-cased, a leading `=` is dropped
//! and the constraints are sorted by version; it then validates what the specification requires:
//! no white space, no empty constraint or version, valid percent-encoding, `*` alone, each version
//! once (by the scheme's equality, so `1.0` and `1.0.0` clash in `pypi`), and comparators in a
//! valid sequence (ignoring `!=`, an equality is followed only by `=`, `>` or `>=`; ignoring `!=`
//! and `=`, lower and upper bounds alternate). [`fmt::Display`] writes the canonical form, which
//! parses back to an equal range.

mod parse;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::{Scheme, Version, VersionError, VersionErrorKind};

pub use parse::{MAX_VERS_LEN, VersError, VersErrorKind};

/// The comparator of one constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Comparator {
    /// `*`: every version; only alone.
    Any,
    /// A bare version: equal to it.
    Equal,
    /// `!=`: not equal to it.
    NotEqual,
    /// `<`.
    LessThan,
    /// `<=`.
    LessOrEqual,
    /// `>`.
    GreaterThan,
    /// `>=`.
    GreaterOrEqual,
}

impl Comparator {
    /// The comparator as written in a canonical vers string (`""` for equality).
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Any => "*",
            Comparator::Equal => "",
            Comparator::NotEqual => "!=",
            Comparator::LessThan => "<",
            Comparator::LessOrEqual => "<=",
            Comparator::GreaterThan => ">",
            Comparator::GreaterOrEqual => ">=",
        }
    }

    fn is_lower_bound(self) -> bool {
        matches!(self, Comparator::GreaterThan | Comparator::GreaterOrEqual)
    }

    fn is_upper_bound(self) -> bool {
        matches!(self, Comparator::LessThan | Comparator::LessOrEqual)
    }

    /// True when a version equal to the constraint's satisfies it.
    fn includes_equal(self) -> bool {
        matches!(
            self,
            Comparator::Equal | Comparator::LessOrEqual | Comparator::GreaterOrEqual
        )
    }
}

/// One constraint of a range: a comparator and a version string (percent-decoded).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Constraint {
    /// How the version bounds the range.
    pub comparator: Comparator,
    /// The version, as given; empty for [`Comparator::Any`].
    pub version: String,
}

impl Constraint {
    /// A constraint.
    pub fn new(comparator: Comparator, version: impl Into<String>) -> Constraint {
        Constraint {
            comparator,
            version: version.into(),
        }
    }

    /// The `*` constraint.
    pub fn any() -> Constraint {
        Constraint::new(Comparator::Any, "")
    }
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.comparator.as_str())?;
        f.write_str(&parse::percent_encode(&self.version))
    }
}

/// A vers range: a scheme and its sorted constraints.
///
/// Two ranges are equal when they have the same scheme and the same constraints, version strings
/// compared as written.
#[derive(Debug, Clone)]
pub struct VersRange {
    scheme: Scheme,
    constraints: Vec<Constraint>,
    /// The parsed versions, parallel to `constraints` (empty for `*`).
    versions: Vec<Version>,
}

impl PartialEq for VersRange {
    fn eq(&self, other: &VersRange) -> bool {
        self.scheme == other.scheme && self.constraints == other.constraints
    }
}

impl Eq for VersRange {}

impl VersRange {
    /// Parses, normalizes and validates a vers string.
    pub fn parse(s: &str) -> Result<VersRange, VersError> {
        parse::parse(s, true)
    }

    /// Parses and sorts like [`VersRange::parse`] but skips the checks of duplicate versions and of
    /// the comparator sequence, as the reference implementation (univers) does by default. Use it
    /// to read data written by others; [`VersRange::validate`] says what is wrong with it.
    pub fn parse_unvalidated(s: &str) -> Result<VersRange, VersError> {
        parse::parse(s, false)
    }

    /// Builds a range from constraints in any order: they are sorted and validated like parsed
    /// ones. A version that does not parse, a duplicate or an invalid sequence is an error whose
    /// input is the range as written from `constraints`.
    ///
    /// ```
    /// use levee_version::{Comparator, Constraint, Scheme, VersRange};
    ///
    /// let range = VersRange::from_constraints(
    ///     Scheme::Semver,
    ///     vec![
    ///         Constraint::new(Comparator::LessThan, "2.4.1"),
    ///         Constraint::new(Comparator::GreaterOrEqual, "2.0.0"),
    ///     ],
    /// )?;
    /// assert_eq!(range.to_string(), "vers:semver/>=2.0.0|<2.4.1");
    /// # Ok::<(), levee_version::VersError>(())
    /// ```
    pub fn from_constraints(scheme: Scheme, constraints: Vec<Constraint>) -> Result<VersRange, VersError> {
        parse::from_constraints(scheme, constraints)
    }

    /// The range of every version: `vers:<scheme>/*`.
    pub fn any(scheme: Scheme) -> VersRange {
        VersRange {
            scheme,
            constraints: vec![Constraint::any()],
            versions: Vec::new(),
        }
    }

    /// The scheme of the range.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The constraints, sorted by version.
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// True for `*`.
    pub fn is_any(&self) -> bool {
        self.versions.is_empty()
    }

    /// Checks the rules [`VersRange::parse_unvalidated`] skips.
    pub fn validate(&self) -> Result<(), VersError> {
        parse::validate(self, &self.to_string())
    }

    /// True when `version` (a version string of the range's scheme) is in the range.
    ///
    /// Fails when the string is not a version of the scheme, and, for the industrial scheme, when
    /// the version cannot be ordered with confidence against a version of the range (a different
    /// series or labels): an unknown answer must not pass as a "no".
    pub fn contains(&self, version: &str) -> Result<bool, VersionError> {
        let v = Version::parse(self.scheme, version)?;
        self.contains_version(&v)
    }

    /// [`VersRange::contains`] for a parsed version.
    pub fn contains_version(&self, v: &Version) -> Result<bool, VersionError> {
        if v.scheme() != self.scheme {
            return Err(VersionError::new(
                v.scheme(),
                v.as_str(),
                0,
                VersionErrorKind::SchemeMismatch(self.scheme),
            ));
        }
        if self.is_any() {
            return Ok(true);
        }
        // Every comparison must be trustworthy, not only the ones the algorithm below reaches.
        let mut order = Vec::with_capacity(self.versions.len());
        for cv in &self.versions {
            order.push(v.compare_checked(cv)?);
        }
        let pairs: Vec<(Comparator, std::cmp::Ordering)> =
            self.constraints.iter().map(|c| c.comparator).zip(order).collect();
        use std::cmp::Ordering::{Equal, Greater, Less};
        if pairs.iter().any(|(c, o)| c.includes_equal() && *o == Equal) {
            return Ok(true);
        }
        if pairs
            .iter()
            .any(|(c, o)| *c == Comparator::NotEqual && *o == Equal)
        {
            return Ok(false);
        }
        let bounds: Vec<&(Comparator, std::cmp::Ordering)> = pairs
            .iter()
            .filter(|(c, _)| !matches!(c, Comparator::Equal | Comparator::NotEqual))
            .collect();
        for (i, (c, o)) in bounds.iter().enumerate() {
            if i == 0 && c.is_upper_bound() && *o == Less {
                return Ok(true);
            }
            if i + 1 == bounds.len() && c.is_lower_bound() && *o == Greater {
                return Ok(true);
            }
            if let Some((next, next_o)) = bounds.get(i + 1)
                && c.is_lower_bound()
                && next.is_upper_bound()
                && *o == Greater
                && *next_o == Less
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl fmt::Display for VersRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "vers:{}/", self.scheme.vers_name())?;
        for (i, c) in self.constraints.iter().enumerate() {
            if i > 0 {
                f.write_str("|")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for VersRange {
    type Err = VersError;

    fn from_str(s: &str) -> Result<VersRange, VersError> {
        VersRange::parse(s)
    }
}
