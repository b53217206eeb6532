//! Component types of IEC 62443-4-2.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// The four component types that 62443-4-2 writes type-specific requirements for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentType {
    /// Software application (SAR requirements).
    SoftwareApplication,
    /// Embedded device (EDR requirements).
    EmbeddedDevice,
    /// Host device (HDR requirements).
    HostDevice,
    /// Network device (NDR requirements).
    NetworkDevice,
}

impl ComponentType {
    /// Every component type.
    pub const ALL: [ComponentType; 4] = [
        ComponentType::SoftwareApplication,
        ComponentType::EmbeddedDevice,
        ComponentType::HostDevice,
        ComponentType::NetworkDevice,
    ];

    /// The kebab-case name used in files, e.g. `embedded-device`.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentType::SoftwareApplication => "software-application",
            ComponentType::EmbeddedDevice => "embedded-device",
            ComponentType::HostDevice => "host-device",
            ComponentType::NetworkDevice => "network-device",
        }
    }

    /// The identifier prefix of the type's own requirements, e.g. `EDR`.
    pub fn prefix(self) -> &'static str {
        match self {
            ComponentType::SoftwareApplication => "SAR",
            ComponentType::EmbeddedDevice => "EDR",
            ComponentType::HostDevice => "HDR",
            ComponentType::NetworkDevice => "NDR",
        }
    }
}

impl fmt::Display for ComponentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ComponentType {
    type Err = ParseError;

    /// Accepts the kebab-case name (`embedded-device`) or the prefix (`EDR`), in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        ComponentType::ALL
            .into_iter()
            .find(|c| c.as_str() == t || c.prefix().eq_ignore_ascii_case(&t))
            .ok_or_else(|| {
                ParseError::new(
                    "component type",
                    s,
                    "expected software-application, embedded-device, host-device or network-device \
                     (or SAR, EDR, HDR, NDR)",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_prefixes() {
        assert_eq!("EDR".parse::<ComponentType>(), Ok(ComponentType::EmbeddedDevice));
        assert_eq!(
            "network-device".parse::<ComponentType>(),
            Ok(ComponentType::NetworkDevice)
        );
        assert_eq!(
            "Host_Device".parse::<ComponentType>(),
            Ok(ComponentType::HostDevice)
        );
        assert!("plc".parse::<ComponentType>().is_err());
    }
}
