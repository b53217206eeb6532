//! Firmware images into components: safe pure-Rust unpacking, layered component detection.
//!
//! [`unpack`] finds every container in an image (at its start or carved at any offset),
//! unpacks it in memory under [`Limits`] and recurses; [`detect`] reads the unpacked files for
//! component evidence (package databases, ELF metadata, version strings, file names) and
//! [`analyze`] does both. Nothing here touches the file system: the caller reads the image and,
//! if it wants the tree on disk, writes it (see `levee-engine`).
//!
//! ```
//! use levee_firmware::{Limits, analyze};
//!
//! let a = analyze("banner.bin", b"\0\0SSH-2.0-dropbear_2022.83\0\0", Limits::default());
//! assert_eq!(a.components[0].name, "dropbear");
//! assert_eq!(a.components[0].version, "2022.83");
//! ```

#![forbid(unsafe_code)]

pub mod detect;
pub mod entry;
pub mod error;
pub mod formats;
pub mod fuzzing;
mod magic;
pub mod unpack;

pub use detect::{Component, Evidence, Method};
pub use entry::{Entry, Kind};
pub use error::{Budget, Error, LimitKind, Limits};
pub use unpack::{Check, Layer, Node, Status, Tree, unpack, unpack_with};

/// An image unpacked and read for components.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The unpacking tree.
    pub tree: Tree,
    /// The components found, by name then version.
    pub components: Vec<Component>,
}

/// Unpacks `image` and detects its components.
pub fn analyze(name: &str, image: &[u8], limits: Limits) -> Analysis {
    analyze_with(name, image, limits, &|_| {})
}

/// [`analyze`], telling `progress` how many more bytes were unpacked as it goes.
pub fn analyze_with(name: &str, image: &[u8], limits: Limits, progress: &dyn Fn(u64)) -> Analysis {
    let tree = unpack_with(name, image, limits, progress);
    let components = detect::detect(&tree);
    Analysis { tree, components }
}
