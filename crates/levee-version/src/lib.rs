//! Version schemes and vers ranges: parse, order and match versions the way each ecosystem does.
//!
//! Levee matches components against advisories. That needs, per ecosystem, a parser and a total
//! order for version strings ([`Scheme`], [`Version`], [`compare`]), the vers range notation
//! ([`VersRange`], from the package-url project's "vers" specification), and, because ICS
//! advisories rarely use vers, a careful reader of the free-text ranges they do use
//! ([`parse_free_text_range`], [`parse_advisory_range`]) that refuses what it cannot read with
//! confidence.
//!
//! Everything here is a pure function over strings: no I/O, no global state, and no panic on any
//! input (the crate is fuzzed). The rules of every scheme are in `docs/versions.md`.
//!
//! ```
//! use levee_version::{Scheme, VersRange, compare, parse_free_text_range};
//! use std::cmp::Ordering;
//!
//! // Ecosystem orders.
//! assert_eq!(compare(Scheme::Maven, "1.0-SNAPSHOT", "1.0")?, Ordering::Less);
//! assert_eq!(compare(Scheme::Deb, "1:0.5", "2.0")?, Ordering::Greater);
//!
//! // vers ranges, normalized on output.
//! let range = VersRange::parse("vers:pypi/<2.0|>=1.0RC1")?;
//! assert_eq!(range.to_string(), "vers:pypi/>=1.0RC1|<2.0");
//! assert!(range.contains("1.5")?);
//! assert!(!range.contains("2.0.post1")?);
//!
//! // Free text from an ICS advisory becomes an `industrial` range ...
//! let range = parse_free_text_range("All versions < V2.90 SP2")?;
//! assert_eq!(range.to_string(), "vers:industrial/<V2.90%20SP2");
//! assert!(range.contains("V2.90 SP1")?);
//! // ... and text it cannot read with confidence is an error carrying the text.
//! let err = parse_free_text_range("< January 31 2014").expect_err("must fail");
//! assert_eq!(err.text, "< January 31 2014");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod free_text;
#[doc(hidden)]
pub mod fuzzing;
mod num;
mod scheme;
mod vers;

pub mod alpine;
pub mod deb;
pub mod generic;
pub mod gentoo;
pub mod industrial;
pub mod maven;
pub mod nuget;
pub mod openssl;
pub mod pypi;
pub mod rpm;
pub mod semver;

pub use error::{MAX_VERSION_LEN, VersionError, VersionErrorKind};
pub use free_text::{
    AdvisoryRange, FreeTextError, FreeTextErrorKind, MAX_FREE_TEXT_LEN, RangeForm, parse_advisory_range,
    parse_free_text_range,
};
pub use scheme::{Scheme, Version, compare};
pub use vers::{Comparator, Constraint, MAX_VERS_LEN, VersError, VersErrorKind, VersRange};
