//! SBOM readers and component identity (work in progress).
