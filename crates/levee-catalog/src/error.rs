//! Errors found while loading and validating catalog data.

use std::fmt;

/// One problem in the catalog data, located by file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {kind}")]
pub struct CatalogError {
    /// The data file, e.g. `iec62443-3-3.csv`.
    pub file: String,
    /// The 1-based line (0 when the problem is with the file as a whole).
    pub line: u64,
    /// What is wrong.
    pub kind: CatalogErrorKind,
}

impl CatalogError {
    pub(crate) fn new(file: &str, line: u64, kind: CatalogErrorKind) -> Self {
        Self {
            file: file.to_owned(),
            line,
            kind,
        }
    }

    /// A stable kebab-case code for the problem.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// What is wrong with a catalog row or file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogErrorKind {
    /// The manifest names a file the sources do not hold.
    #[error("missing data file `{0}`")]
    MissingFile(String),
    /// The manifest could not be read.
    #[error("invalid manifest: {0}")]
    Manifest(String),
    /// The CSV itself is malformed.
    #[error("malformed CSV: {0}")]
    Csv(String),
    /// The header row is not the one expected.
    #[error("header is `{found}`, expected `{expected}`")]
    Header {
        /// The header found.
        found: String,
        /// The header expected.
        expected: String,
    },
    /// A field holds a value outside its domain.
    #[error("column `{column}`: invalid value `{value}` ({hint})")]
    Field {
        /// The column name.
        column: &'static str,
        /// The offending value.
        value: String,
        /// What is accepted.
        hint: String,
    },
    /// Two rows share an id (compared case-, space- and dash-insensitively).
    #[error("duplicate id `{id}` (first defined in {first_file}:{first_line})")]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// Where it was first defined.
        first_file: String,
        /// The line of the first definition.
        first_line: u64,
    },
    /// An enhancement whose base requirement is not in the same part.
    #[error("`{id}` is an enhancement of `{base}`, which is not in part {part}")]
    MissingBase {
        /// The enhancement.
        id: String,
        /// The base it names.
        base: String,
        /// The part searched.
        part: String,
    },
    /// SL flags that drop at a higher level.
    #[error("`{id}` has SL flags {flags}: a row required at SLn must be required at every higher SL")]
    NonMonotoneFlags {
        /// The row.
        id: String,
        /// The flags as `sl1,sl2,sl3,sl4`.
        flags: String,
    },
    /// An enhancement whose FR differs from its base's FR.
    #[error("`{id}` is in FR {fr} but its base `{base}` is in FR {base_fr}")]
    FrMismatch {
        /// The enhancement.
        id: String,
        /// The enhancement's FR.
        fr: u8,
        /// The base.
        base: String,
        /// The base's FR.
        base_fr: u8,
    },
    /// The FR column disagrees with the FR the id's number names (`SR 3.4` is in FR 3).
    #[error("`{id}` is numbered in FR {numbered} but the `fr` column says {fr}")]
    IdFrMismatch {
        /// The row.
        id: String,
        /// The FR column.
        fr: u8,
        /// The FR from the id.
        numbered: u8,
    },
    /// An id whose prefix does not fit the part or column (e.g. `CR 1.1` in the 3-3 file, or a
    /// `component_type` that disagrees with an `EDR` prefix).
    #[error("`{id}`: {reason}")]
    BadId {
        /// The row.
        id: String,
        /// Why it does not fit.
        reason: String,
    },
    /// A row names a parent or practice that does not exist.
    #[error("`{id}` names parent `{parent}`, which does not exist{context}")]
    UnknownParent {
        /// The row.
        id: String,
        /// The missing parent.
        parent: String,
        /// Extra context, e.g. " in edition 2024".
        context: String,
    },
    /// A verification row for a requirement that is not in the catalog.
    #[error("verification for `{id}` in part {part}, which has no such row")]
    UnknownVerification {
        /// The id.
        id: String,
        /// The part.
        part: String,
    },
    /// A row with SL flags but no verification status.
    #[error("`{id}` has SL flags but no row in the verification file")]
    MissingVerification {
        /// The row.
        id: String,
    },
}

impl CatalogErrorKind {
    /// A stable kebab-case code for the problem.
    pub fn code(&self) -> &'static str {
        match self {
            CatalogErrorKind::MissingFile(_) => "missing-file",
            CatalogErrorKind::Manifest(_) => "invalid-manifest",
            CatalogErrorKind::Csv(_) => "malformed-csv",
            CatalogErrorKind::Header { .. } => "bad-header",
            CatalogErrorKind::Field { .. } => "bad-field",
            CatalogErrorKind::DuplicateId { .. } => "duplicate-id",
            CatalogErrorKind::MissingBase { .. } => "missing-base",
            CatalogErrorKind::NonMonotoneFlags { .. } => "non-monotone-sl-flags",
            CatalogErrorKind::FrMismatch { .. } => "fr-mismatch",
            CatalogErrorKind::IdFrMismatch { .. } => "id-fr-mismatch",
            CatalogErrorKind::BadId { .. } => "bad-id",
            CatalogErrorKind::UnknownParent { .. } => "unknown-parent",
            CatalogErrorKind::UnknownVerification { .. } => "unknown-verification",
            CatalogErrorKind::MissingVerification { .. } => "missing-verification",
        }
    }
}

/// Every problem found in one load, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogErrors(pub Vec<CatalogError>);

impl fmt::Display for CatalogErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CatalogErrors {}
