//! The IEC 62443 requirement catalog as validated data.
//!
//! The catalog is data files (CSV and a TOML manifest under `data/`), compiled into the binary and
//! validated every time it is loaded. It carries identifiers, our own short titles and SL flags, never
//! the normative text of the standards. Users who own the standards load their licensed wording as an
//! [`overlay`].
//!
//! ```
//! use levee_catalog::{Catalog, Filter};
//! use levee_core::{Part, SecurityLevel};
//!
//! let catalog = Catalog::bundled()?;
//! let sl2 = catalog.list(&Filter { part: Some(Part::P3_3), sl: Some(SecurityLevel::SL2), ..Filter::default() })?;
//! assert_eq!(sl2.len(), 61);
//! let re = catalog.find("sr 1.1 re 2").expect("present");
//! assert_eq!(re.base.as_ref().map(|b| b.as_str()), Some("SR 1.1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Invariants
//!
//! - A [`Catalog`] only exists if every rule in [`validate`](crate::CatalogErrorKind) passed: unique ids,
//!   every enhancement's base present in its part with the same FR and component type, monotone SL
//!   flags, and a verification status for every SL flag.
//! - Loading does no I/O: the text comes in through [`Sources`].

pub mod channel;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod load;
mod model;
pub mod overlay;
mod query;
mod validate;

use std::collections::HashMap;

pub use error::{CatalogError, CatalogErrorKind, CatalogErrors};
pub use load::{MANIFEST, Sources};
pub use model::{
    Applicability, Kind, MaturityLevel, PartInfo, Practice, Requirement, RequirementId, SlFlags,
    Verification, VerificationStatus, key_of,
};
pub use query::{Diff, Filter, FrStats, PartStats, QueryError, Stats};

use levee_core::Part;

/// The validated catalog: every part's rows in the standard's order.
#[derive(Debug, Clone)]
pub struct Catalog {
    release: String,
    released: String,
    parts: Vec<PartInfo>,
    practices: Vec<Practice>,
    maturity_levels: Vec<MaturityLevel>,
    rows: Vec<Requirement>,
    index: HashMap<String, usize>,
}

impl Catalog {
    /// The catalog compiled into this build.
    pub fn bundled() -> Result<Catalog, CatalogErrors> {
        Catalog::load(&Sources::bundled())
    }

    /// Loads and validates a catalog, reporting every problem found.
    pub fn load(sources: &Sources) -> Result<Catalog, CatalogErrors> {
        let mut errors = Vec::new();
        let mut loaded = load::load(sources, &mut errors);
        validate::validate(&mut loaded, &mut errors);
        if !errors.is_empty() {
            return Err(CatalogErrors(errors));
        }
        let mut rows = loaded.rows;
        // The standard's order: parts by number, rows in file order.
        rows.sort_by_key(|r| r.part);
        let index = rows.iter().enumerate().map(|(i, r)| (r.id.key(), i)).collect();
        Ok(Catalog {
            release: loaded.release,
            released: loaded.released,
            parts: loaded.parts,
            practices: loaded.practices,
            maturity_levels: loaded.maturity_levels,
            rows,
            index,
        })
    }

    /// The release of the catalog data, e.g. `2026.11.1`.
    pub fn release(&self) -> &str {
        &self.release
    }

    /// The date the catalog data was released (ISO 8601).
    pub fn released(&self) -> &str {
        &self.released
    }

    /// Metadata of every part carried.
    pub fn parts(&self) -> &[PartInfo] {
        &self.parts
    }

    /// Metadata of one part.
    pub fn part(&self, part: Part) -> Option<&PartInfo> {
        self.parts.iter().find(|p| p.part == part)
    }

    /// The 4-1 practices.
    pub fn practices(&self) -> &[Practice] {
        &self.practices
    }

    /// The 4-1 maturity levels.
    pub fn maturity_levels(&self) -> &[MaturityLevel] {
        &self.maturity_levels
    }

    /// Every row, parts in order.
    pub fn rows(&self) -> &[Requirement] {
        &self.rows
    }

    /// The row with this id, matched case-, space- and dash-insensitively.
    pub fn find(&self, id: &str) -> Option<&Requirement> {
        self.index.get(&key_of(id)).map(|i| &self.rows[*i])
    }

    /// The enhancements of a base requirement, in order.
    pub fn enhancements<'a>(&'a self, base: &'a RequirementId) -> impl Iterator<Item = &'a Requirement> + 'a {
        self.rows.iter().filter(move |r| r.base.as_ref() == Some(base))
    }

    /// The rows whose group is `group` (the requirements of a practice, the sub-requirements of a ZCR).
    pub fn members<'a>(&'a self, group: &'a RequirementId) -> impl Iterator<Item = &'a Requirement> + 'a {
        self.rows.iter().filter(move |r| r.group.as_ref() == Some(group))
    }

    /// Up to `n` ids closest to `id`, for "did you mean" hints.
    pub fn suggest(&self, id: &str, n: usize) -> Vec<&RequirementId> {
        query::suggest(self, id, n)
    }
}

#[cfg(test)]
mod tests;
