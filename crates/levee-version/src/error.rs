//! The error of parsing or comparing one version.

use crate::Scheme;

/// The longest version string any scheme accepts, in bytes. Longer input is rejected with
/// [`VersionErrorKind::TooLong`] before it is looked at, so hostile input costs little.
pub const MAX_VERSION_LEN: usize = 256;

/// Why a string is not a version of a scheme, or why two versions cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionErrorKind {
    /// The string is empty.
    #[error("the version is empty")]
    Empty,
    /// The string is longer than [`MAX_VERSION_LEN`] bytes.
    #[error("the version is longer than {MAX_VERSION_LEN} bytes")]
    TooLong,
    /// A character the scheme does not allow here.
    #[error("unexpected character {0:?}")]
    InvalidCharacter(char),
    /// The scheme expects a number here.
    #[error("expected a number")]
    ExpectedNumber,
    /// A part the scheme requires is empty, such as the text after an epoch's colon.
    #[error("the {0} is empty")]
    EmptyPart(&'static str),
    /// A number with a leading zero where the scheme forbids one.
    #[error("a number has a leading zero")]
    LeadingZero,
    /// A word the industrial scheme does not know, such as a product name or a month.
    #[error("unknown word {0:?}")]
    UnknownWord(String),
    /// A wildcard such as `x` names many versions, not one.
    #[error("a wildcard names many versions, not one")]
    Wildcard,
    /// The text has no digit at all, or is otherwise not a version.
    #[error("this is not a version")]
    NotAVersion,
    /// The text breaks a rule of the scheme; the text says which.
    #[error("{0}")]
    Invalid(&'static str),
    /// The two versions belong to different schemes.
    #[error("cannot compare with a {0} version")]
    SchemeMismatch(Scheme),
    /// Two industrial versions of different shapes (series letters, labels) have no order that can
    /// be trusted; the text names the other version.
    #[error("cannot be ordered with confidence against {0:?}")]
    Incomparable(String),
}

/// A version string that is not valid for its scheme, or a comparison that is not possible.
///
/// `position` is the byte offset in `input` where the problem was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{scheme} version {input:?}, byte {position}: {kind}")]
pub struct VersionError {
    /// The scheme the string was parsed with.
    pub scheme: Scheme,
    /// The string, as given (cut to [`MAX_VERSION_LEN`] bytes).
    pub input: String,
    /// Byte offset of the problem in `input`.
    pub position: usize,
    /// What is wrong.
    pub kind: VersionErrorKind,
}

impl VersionError {
    /// Builds an error; `input` is cut at a character boundary near [`MAX_VERSION_LEN`] bytes.
    pub(crate) fn new(scheme: Scheme, input: &str, position: usize, kind: VersionErrorKind) -> Self {
        let mut end = input.len().min(MAX_VERSION_LEN);
        while !input.is_char_boundary(end) {
            end -= 1;
        }
        VersionError {
            scheme,
            input: input[..end].to_owned(),
            position,
            kind,
        }
    }

    /// Checks the length limit and emptiness that every scheme shares.
    pub(crate) fn check_len(scheme: Scheme, input: &str) -> Result<(), VersionError> {
        if input.len() > MAX_VERSION_LEN {
            return Err(VersionError::new(
                scheme,
                input,
                MAX_VERSION_LEN,
                VersionErrorKind::TooLong,
            ));
        }
        if input.is_empty() {
            return Err(VersionError::new(scheme, input, 0, VersionErrorKind::Empty));
        }
        Ok(())
    }
}
