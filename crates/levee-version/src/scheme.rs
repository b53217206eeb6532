//! The [`Scheme`] enum, the scheme-independent [`Version`], and [`compare`].

use std::cmp::Ordering;
use std::fmt;

use crate::alpine::ApkVersion;
use crate::deb::DebVersion;
use crate::generic::GenericVersion;
use crate::gentoo::GentooVersion;
use crate::industrial::IndustrialVersion;
use crate::maven::MavenVersion;
use crate::nuget::NugetVersion;
use crate::openssl::OpensslVersion;
use crate::pypi::Pep440Version;
use crate::rpm::RpmVersion;
use crate::semver::SemVer;
use crate::{VersionError, VersionErrorKind};

/// A versioning scheme: how version strings are parsed and ordered.
///
/// Each variant is one vers type (the part between `vers:` and `/`); several share an algorithm,
/// e.g. `npm`, `cargo` and `golang` all order SemVer versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Scheme {
    /// `semver`: SemVer 2.0.0 (tolerant forms accepted, see [`SemVer`]).
    Semver,
    /// `npm`: SemVer as node-semver orders it.
    Npm,
    /// `cargo`: SemVer as Cargo orders it.
    Cargo,
    /// `golang`: Go module versions (`v1.2.3`, `+incompatible`, pseudo-versions).
    Golang,
    /// `nginx`: nginx releases, ordered as SemVer.
    Nginx,
    /// `pypi`: PEP 440.
    Pypi,
    /// `maven`: Maven's `ComparableVersion`.
    Maven,
    /// `deb`: Debian and Ubuntu packages.
    Deb,
    /// `rpm`: RPM packages (Fedora, RHEL, SUSE).
    Rpm,
    /// `apk`: Alpine Linux packages.
    Apk,
    /// `gentoo`: Gentoo packages (ebuilds).
    Gentoo,
    /// `nuget`: NuGet packages.
    Nuget,
    /// `generic`: Levee's best-effort order for versions of no particular ecosystem.
    Generic,
    /// `openssl`: OpenSSL releases, letter releases included.
    Openssl,
    /// `industrial`: Levee's comparator for ICS vendors' versions (`V2.90 SP1`, `A11_U05`).
    Industrial,
}

impl Scheme {
    /// Every scheme, in declaration order.
    pub const ALL: &'static [Scheme] = &[
        Scheme::Semver,
        Scheme::Npm,
        Scheme::Cargo,
        Scheme::Golang,
        Scheme::Nginx,
        Scheme::Pypi,
        Scheme::Maven,
        Scheme::Deb,
        Scheme::Rpm,
        Scheme::Apk,
        Scheme::Gentoo,
        Scheme::Nuget,
        Scheme::Generic,
        Scheme::Openssl,
        Scheme::Industrial,
    ];

    /// The vers type name, such as `"pypi"`.
    pub fn vers_name(self) -> &'static str {
        match self {
            Scheme::Semver => "semver",
            Scheme::Npm => "npm",
            Scheme::Cargo => "cargo",
            Scheme::Golang => "golang",
            Scheme::Nginx => "nginx",
            Scheme::Pypi => "pypi",
            Scheme::Maven => "maven",
            Scheme::Deb => "deb",
            Scheme::Rpm => "rpm",
            Scheme::Apk => "apk",
            Scheme::Gentoo => "gentoo",
            Scheme::Nuget => "nuget",
            Scheme::Generic => "generic",
            Scheme::Openssl => "openssl",
            Scheme::Industrial => "industrial",
        }
    }

    /// The scheme of a vers type name, case-insensitively. Besides the names of
    /// [`Scheme::vers_name`], the aliases `debian`, `alpine`, `ebuild`, `go` and `python` are
    /// accepted.
    pub fn from_vers_name(name: &str) -> Option<Scheme> {
        let lower = name.to_ascii_lowercase();
        let alias = match lower.as_str() {
            "debian" => Some(Scheme::Deb),
            "alpine" => Some(Scheme::Apk),
            "ebuild" => Some(Scheme::Gentoo),
            "go" => Some(Scheme::Golang),
            "python" => Some(Scheme::Pypi),
            _ => None,
        };
        alias.or_else(|| Scheme::ALL.iter().copied().find(|s| s.vers_name() == lower))
    }

    /// Parses a version of this scheme.
    pub fn parse(self, s: &str) -> Result<Version, VersionError> {
        Version::parse(self, s)
    }

    /// Compares two version strings of this scheme.
    pub fn compare(self, a: &str, b: &str) -> Result<Ordering, VersionError> {
        compare(self, a, b)
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.vers_name())
    }
}

/// Compares two version strings of one scheme: parses both, then orders them.
///
/// ```
/// use std::cmp::Ordering;
/// use levee_version::{Scheme, compare};
///
/// assert_eq!(compare(Scheme::Pypi, "1.0RC1", "1.0rc1")?, Ordering::Equal);
/// assert_eq!(compare(Scheme::Industrial, "V2.90 SP1", "V3.0")?, Ordering::Less);
/// # Ok::<(), levee_version::VersionError>(())
/// ```
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
    let a = Version::parse(scheme, a)?;
    let b = Version::parse(scheme, b)?;
    a.compare(&b)
}

#[derive(Debug, Clone)]
enum Repr {
    Semver(SemVer),
    Pypi(Pep440Version),
    Maven(MavenVersion),
    Deb(DebVersion),
    Rpm(RpmVersion),
    Apk(ApkVersion),
    Gentoo(GentooVersion),
    Nuget(NugetVersion),
    Generic(GenericVersion),
    Openssl(OpensslVersion),
    Industrial(IndustrialVersion),
}

/// A parsed version of any scheme.
///
/// Versions of one scheme are totally ordered ([`Version::compare`]); versions of different
/// schemes cannot be compared, and `partial_cmp` returns `None` for them.
#[derive(Debug, Clone)]
pub struct Version {
    scheme: Scheme,
    repr: Repr,
}

impl Version {
    /// Parses `s` as a version of `scheme`.
    pub fn parse(scheme: Scheme, s: &str) -> Result<Version, VersionError> {
        let repr = match scheme {
            Scheme::Semver | Scheme::Npm | Scheme::Cargo | Scheme::Golang | Scheme::Nginx => {
                Repr::Semver(SemVer::parse_with(s, false, scheme)?)
            }
            Scheme::Pypi => Repr::Pypi(Pep440Version::parse(s)?),
            Scheme::Maven => Repr::Maven(MavenVersion::parse(s)?),
            Scheme::Deb => Repr::Deb(DebVersion::parse(s)?),
            Scheme::Rpm => Repr::Rpm(RpmVersion::parse(s)?),
            Scheme::Apk => Repr::Apk(ApkVersion::parse(s)?),
            Scheme::Gentoo => Repr::Gentoo(GentooVersion::parse(s)?),
            Scheme::Nuget => Repr::Nuget(NugetVersion::parse(s)?),
            Scheme::Generic => Repr::Generic(GenericVersion::parse(s)?),
            Scheme::Openssl => Repr::Openssl(OpensslVersion::parse(s)?),
            Scheme::Industrial => Repr::Industrial(IndustrialVersion::parse(s)?),
        };
        Ok(Version { scheme, repr })
    }

    /// The scheme the version was parsed with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The version string as given.
    pub fn as_str(&self) -> &str {
        match &self.repr {
            Repr::Semver(v) => v.as_str(),
            Repr::Pypi(v) => v.as_str(),
            Repr::Maven(v) => v.as_str(),
            Repr::Deb(v) => v.as_str(),
            Repr::Rpm(v) => v.as_str(),
            Repr::Apk(v) => v.as_str(),
            Repr::Gentoo(v) => v.as_str(),
            Repr::Nuget(v) => v.as_str(),
            Repr::Generic(v) => v.as_str(),
            Repr::Openssl(v) => v.as_str(),
            Repr::Industrial(v) => v.as_str(),
        }
    }

    /// The industrial version inside, for the industrial scheme.
    pub fn as_industrial(&self) -> Option<&IndustrialVersion> {
        match &self.repr {
            Repr::Industrial(v) => Some(v),
            _ => None,
        }
    }

    /// Orders two versions of the same scheme. This is a total order, used to sort vers ranges; for
    /// industrial versions also see [`Version::compare_checked`].
    pub fn compare(&self, other: &Version) -> Result<Ordering, VersionError> {
        if self.scheme != other.scheme {
            return Err(VersionError::new(
                self.scheme,
                self.as_str(),
                0,
                VersionErrorKind::SchemeMismatch(other.scheme),
            ));
        }
        Ok(self.order(other))
    }

    /// Like [`Version::compare`], but fails for two industrial versions whose order cannot be
    /// trusted (see [`IndustrialVersion::is_comparable`]).
    pub fn compare_checked(&self, other: &Version) -> Result<Ordering, VersionError> {
        let o = self.compare(other)?;
        if let (Repr::Industrial(a), Repr::Industrial(b)) = (&self.repr, &other.repr)
            && !a.is_comparable(b)
        {
            return Err(VersionError::new(
                self.scheme,
                self.as_str(),
                0,
                VersionErrorKind::Incomparable(other.as_str().to_owned()),
            ));
        }
        Ok(o)
    }

    /// The order of two versions known to share a scheme.
    fn order(&self, other: &Version) -> Ordering {
        match (&self.repr, &other.repr) {
            (Repr::Semver(a), Repr::Semver(b)) => a.cmp(b),
            (Repr::Pypi(a), Repr::Pypi(b)) => a.cmp(b),
            (Repr::Maven(a), Repr::Maven(b)) => a.cmp(b),
            (Repr::Deb(a), Repr::Deb(b)) => a.cmp(b),
            (Repr::Rpm(a), Repr::Rpm(b)) => a.cmp(b),
            (Repr::Apk(a), Repr::Apk(b)) => a.cmp(b),
            (Repr::Gentoo(a), Repr::Gentoo(b)) => a.cmp(b),
            (Repr::Nuget(a), Repr::Nuget(b)) => a.cmp(b),
            (Repr::Generic(a), Repr::Generic(b)) => a.cmp(b),
            (Repr::Openssl(a), Repr::Openssl(b)) => a.cmp(b),
            (Repr::Industrial(a), Repr::Industrial(b)) => a.cmp(b),
            // Same scheme means same representation; order by scheme otherwise.
            _ => self.scheme.cmp(&other.scheme),
        }
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        (self.scheme == other.scheme).then(|| self.order(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Scheme::ALL {
            assert_eq!(Scheme::from_vers_name(s.vers_name()), Some(*s));
            assert_eq!(Scheme::from_vers_name(&s.vers_name().to_uppercase()), Some(*s));
        }
        assert_eq!(Scheme::from_vers_name("debian"), Some(Scheme::Deb));
        assert_eq!(Scheme::from_vers_name("alpine"), Some(Scheme::Apk));
        assert_eq!(Scheme::from_vers_name("all"), None);
        assert_eq!(Scheme::from_vers_name(""), None);
    }

    #[test]
    fn versions_of_different_schemes_do_not_compare() {
        let a = Version::parse(Scheme::Npm, "1.0.0").unwrap_or_else(|e| panic!("{e}"));
        let b = Version::parse(Scheme::Cargo, "1.0.0").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.partial_cmp(&b), None);
        assert!(a != b);
        let e = a.compare(&b).expect_err("must fail");
        assert_eq!(e.kind, VersionErrorKind::SchemeMismatch(Scheme::Cargo));
    }

    #[test]
    fn compare_checked_refuses_industrial_series_mismatch() {
        let a = Version::parse(Scheme::Industrial, "A11").unwrap_or_else(|e| panic!("{e}"));
        let b = Version::parse(Scheme::Industrial, "B02").unwrap_or_else(|e| panic!("{e}"));
        assert!(a.compare(&b).is_ok());
        assert!(matches!(
            a.compare_checked(&b).map_err(|e| e.kind),
            Err(VersionErrorKind::Incomparable(_))
        ));
    }

    #[test]
    fn compare_every_scheme() {
        let cases = [
            (Scheme::Semver, "1.0.0-rc.1", "1.0.0"),
            (Scheme::Golang, "v1.2.3", "v1.10.0+incompatible"),
            (Scheme::Pypi, "1.0rc1", "1.0.post1"),
            (Scheme::Maven, "1.0-SNAPSHOT", "1.0"),
            (Scheme::Deb, "1.0~rc1", "1.0"),
            (Scheme::Rpm, "1.0~rc1", "1.0"),
            (Scheme::Apk, "1.0_rc1", "1.0"),
            (Scheme::Gentoo, "1.0_rc1", "1.0"),
            (Scheme::Nuget, "1.0.0-RC.1", "1.0.0"),
            (Scheme::Generic, "1.0-beta", "1.0"),
            (Scheme::Openssl, "1.1.1k", "1.1.1w"),
            (Scheme::Industrial, "V2.90 SP1", "V2.90 SP2"),
        ];
        for (scheme, a, b) in cases {
            assert_eq!(compare(scheme, a, b), Ok(Ordering::Less), "{scheme} {a} {b}");
            assert_eq!(compare(scheme, b, a), Ok(Ordering::Greater), "{scheme} {b} {a}");
        }
    }
}
