//! Newtype identifiers for the things a project names.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The id from its text.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    )*};
}

id_type!(
    /// A zone id, unique in its project.
    ZoneId,
    /// A conduit id, unique in its project.
    ConduitId,
    /// An asset id, unique in its project.
    AssetId,
    /// A component id (product projects), unique in its project.
    ComponentId,
    /// A threat scenario id, unique in its project.
    ScenarioId,
    /// A countermeasure id, unique in its project.
    CountermeasureId,
);
