//! SBOM readers and component identity.
//!
//! Work in progress.

pub mod cpe;
pub mod error;
pub mod purl;

pub use error::{ErrorKind, Location, SbomError, Warning};
