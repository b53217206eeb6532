//! Package URLs (purl): parse, build and canonicalise.
//!
//! A [`Purl`] always holds the canonical, decoded parts: the type lowercase, the per-type
//! normalisation of the specification applied (case-insensitive parts lowercased, pypi `_` → `-`,
//! and so on), qualifiers sorted by key with empty values dropped, and the subpath without empty,
//! `.` or `..` segments. Two purls that differ only in percent-encoding or in these points compare
//! equal, and [`Purl`]'s `Display` writes the canonical string.
//!
//! [`Purl::parse`] follows the specification strictly (for example it rejects an upper-case
//! qualifier key); [`Purl::parse_lenient`] is what the SBOM readers use: it also accepts upper-case
//! keys and, for a duplicated key, keeps the first value.
//!
//! ```
//! use levee_identity::purl::Purl;
//!
//! let a: Purl = "pkg:PYPI/Django_package@1.11.1.dev1".parse()?;
//! assert_eq!(a.to_string(), "pkg:pypi/django-package@1.11.1.dev1");
//! let b = Purl::parse("pkg:npm/%40angular/animation@12.3.1")?;
//! assert_eq!(b.namespace(), Some("@angular"));
//! # Ok::<(), levee_identity::purl::PurlError>(())
//! ```

mod encode;
mod types;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use self::encode::{DecodeError, decode, encode_into};
use self::types::Req;

/// Why a string or a set of parts is not a valid purl.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PurlError {
    /// The string does not start with the `pkg:` scheme.
    #[error("a purl starts with `pkg:`")]
    MissingScheme,
    /// The type is missing or empty.
    #[error("the purl has no type")]
    MissingType,
    /// The type has a character outside `a–z 0–9 . + -` or starts with a digit.
    #[error("invalid purl type `{0}`")]
    InvalidType(String),
    /// The name is missing or empty.
    #[error("the purl has no name")]
    MissingName,
    /// A `%` escape is malformed or decodes to something that is not UTF-8.
    #[error("invalid percent-encoding in the purl {0}")]
    InvalidEncoding(&'static str),
    /// A qualifier key is empty, has a character outside `a–z 0–9 . - _` or starts with a digit.
    #[error("invalid qualifier key `{0}`")]
    InvalidQualifierKey(String),
    /// A qualifier key appears twice.
    #[error("duplicate qualifier key `{0}`")]
    DuplicateQualifier(String),
    /// The type requires a namespace and the purl has none.
    #[error("purl type `{0}` requires a namespace")]
    NamespaceRequired(String),
    /// The type prohibits a namespace and the purl has one.
    #[error("purl type `{0}` does not allow a namespace")]
    NamespaceProhibited(String),
    /// The type requires a qualifier and the purl lacks it.
    #[error("purl type `{ty}` requires the qualifier `{key}`")]
    QualifierRequired {
        /// The purl type.
        ty: String,
        /// The missing qualifier key.
        key: String,
    },
    /// A part breaks a type-specific rule.
    #[error("purl type `{ty}`: {message}")]
    TypeRule {
        /// The purl type.
        ty: String,
        /// What is wrong.
        message: String,
    },
}

/// The decoded parts of a purl, as input to [`Purl::from_parts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurlParts {
    /// The package type, e.g. `maven`.
    pub ty: Option<String>,
    /// The namespace, segments separated by `/`.
    pub namespace: Option<String>,
    /// The package name.
    pub name: Option<String>,
    /// The version.
    pub version: Option<String>,
    /// Qualifier keys and values.
    pub qualifiers: Vec<(String, String)>,
    /// The subpath, segments separated by `/`.
    pub subpath: Option<String>,
}

/// A canonical package URL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Purl {
    ty: String,
    namespace: Option<String>,
    name: String,
    version: Option<String>,
    qualifiers: BTreeMap<String, String>,
    subpath: Option<String>,
}

impl Purl {
    /// Parses a purl string strictly per the specification.
    pub fn parse(s: &str) -> Result<Purl, PurlError> {
        Self::parse_with(s, false)
    }

    /// Parses a purl string, accepting upper-case qualifier keys (lowercased) and duplicate keys
    /// (the first value wins), and repairing what generators commonly get wrong: Go purls without
    /// a namespace (`pkg:golang/stdlib@1.18.10`), the type `pip` for `pypi`, a version behind an
    /// encoded `@` in the name, and Maven's `group:artifact` as the name.
    pub fn parse_lenient(s: &str) -> Result<Purl, PurlError> {
        Self::parse_with(s.trim(), true)
    }

    /// The canonical form of a purl string, read leniently (see [`Purl::parse_lenient`]).
    pub fn canonicalize(s: &str) -> Result<String, PurlError> {
        Purl::parse_lenient(s).map(|p| p.to_string())
    }

    fn parse_with(s: &str, lenient: bool) -> Result<Purl, PurlError> {
        // Subpath: everything after the last '#'.
        let (rest, subpath) = match s.rsplit_once('#') {
            Some((r, sp)) => (r, Some(sp)),
            None => (s, None),
        };
        let subpath = match subpath {
            Some(sp) => normalize_segments(sp.split('/'), true, "subpath")?,
            None => None,
        };
        // Qualifiers: everything after the last '?'.
        let (rest, query) = match rest.rsplit_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let mut qualifiers = Vec::new();
        if let Some(q) = query {
            for pair in q.split('&') {
                if pair.is_empty() {
                    continue;
                }
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let v = decode(v).map_err(|e| enc_err(e, "qualifier value"))?;
                qualifiers.push((k.to_owned(), v));
            }
        }
        // Scheme.
        let (scheme, rest) = rest.split_once(':').ok_or(PurlError::MissingScheme)?;
        if !scheme.eq_ignore_ascii_case("pkg") {
            return Err(PurlError::MissingScheme);
        }
        let rest = rest.trim_start_matches('/');
        // Type.
        let (ty, rest) = rest.split_once('/').ok_or(PurlError::MissingType)?;
        // Version: after the last '@' of the last segment, once trailing slashes are gone (an
        // unencoded '@' in a namespace, as in `@babel/core`, is not a version separator).
        let rest = rest.trim_end_matches('/');
        let last_seg_start = rest.rfind('/').map_or(0, |i| i + 1);
        let (rest, version) = match rest[last_seg_start..].rfind('@') {
            Some(at) => {
                let at = last_seg_start + at;
                (
                    &rest[..at],
                    Some(decode(&rest[at + 1..]).map_err(|e| enc_err(e, "version"))?),
                )
            }
            None => (rest, None),
        };
        // Name: the last segment; the namespace is everything before it. A git purl's namespace is
        // the host alone and its name the whole path on the host.
        let is_git = ty.eq_ignore_ascii_case("git");
        let split = if is_git {
            rest.split_once('/')
        } else {
            rest.rsplit_once('/')
        };
        let (namespace, name) = match split {
            Some((ns, n)) => (Some(ns), n),
            None => (None, rest),
        };
        let name = if is_git {
            normalize_segments(name.split('/'), true, "name")?.unwrap_or_default()
        } else {
            decode(name).map_err(|e| enc_err(e, "name"))?
        };
        let namespace = match namespace {
            Some(ns) => normalize_segments(ns.split('/'), true, "namespace")?,
            None => None,
        };
        Self::finish(
            PurlParts {
                ty: Some(ty.to_owned()),
                namespace,
                name: Some(name),
                version,
                qualifiers,
                subpath,
            },
            lenient,
        )
    }

    /// Builds a canonical purl from decoded parts.
    pub fn from_parts(parts: PurlParts) -> Result<Purl, PurlError> {
        let namespace = match parts.namespace {
            Some(ns) => normalize_segments(ns.split('/'), false, "namespace")?,
            None => None,
        };
        let subpath = match parts.subpath {
            Some(sp) => normalize_segments(sp.split('/'), false, "subpath")?,
            None => None,
        };
        Self::finish(
            PurlParts {
                namespace,
                subpath,
                ..parts
            },
            false,
        )
    }

    /// Checks the parts and applies the type's normalisation.
    fn finish(parts: PurlParts, lenient: bool) -> Result<Purl, PurlError> {
        let ty = parts.ty.ok_or(PurlError::MissingType)?;
        if ty.is_empty() {
            return Err(PurlError::MissingType);
        }
        let valid_type = ty
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
            && !ty.as_bytes()[0].is_ascii_digit();
        if !valid_type {
            return Err(PurlError::InvalidType(ty));
        }
        let ty = ty.to_ascii_lowercase();
        let mut name = parts
            .name
            .filter(|n| !n.is_empty())
            .ok_or(PurlError::MissingName)?;
        let mut namespace = parts.namespace.filter(|n| !n.is_empty());
        let mut version = parts.version.filter(|v| !v.is_empty());
        let mut subpath = parts.subpath.filter(|s| !s.is_empty());
        let mut qualifiers = BTreeMap::new();
        for (k, v) in parts.qualifiers {
            // A key is ASCII letters, digits, `.`, `-` and `_`, and is lowercased; it may not start
            // with a digit and, when parsing strictly, not with an upper-case letter either.
            let first_ok = k
                .bytes()
                .next()
                .is_some_and(|b| !b.is_ascii_digit() && (lenient || !b.is_ascii_uppercase()));
            let valid_key = first_ok
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
            if !valid_key {
                return Err(PurlError::InvalidQualifierKey(k));
            }
            let key = k.to_ascii_lowercase();
            if v.is_empty() {
                continue;
            }
            if qualifiers.contains_key(&key) {
                if lenient {
                    continue;
                }
                return Err(PurlError::DuplicateQualifier(key));
            }
            qualifiers.insert(key, v);
        }

        let ty = if lenient {
            repair(ty, &mut namespace, &mut name, &mut version)
        } else {
            ty
        };
        if let Some(rule) = types::rule(&ty) {
            match (rule.namespace, &namespace) {
                // Go's standard library (`stdlib`) and modules on a vanity domain without a path
                // (`tailscale.com`) have no namespace; syft, Trivy and cyclonedx-gomod write them so.
                (Req::Required, None) if lenient && ty == "golang" => {}
                (Req::Required, None) => return Err(PurlError::NamespaceRequired(ty)),
                (Req::Prohibited, Some(_)) => return Err(PurlError::NamespaceProhibited(ty)),
                _ => {}
            }
            for key in rule.required_qualifiers {
                if !qualifiers.contains_key(*key) {
                    return Err(PurlError::QualifierRequired {
                        ty,
                        key: (*key).to_owned(),
                    });
                }
            }
            if rule.lower_namespace {
                namespace = namespace.map(|n| n.to_lowercase());
            }
            if rule.lower_name {
                name = name.to_lowercase();
            }
            if rule.lower_version {
                version = version.map(|v| v.to_lowercase());
            }
            if rule.lower_subpath {
                subpath = subpath.map(|s| s.to_lowercase());
            }
        }
        if ty == "git" && namespace.as_deref().is_some_and(|h| h.starts_with("github")) {
            namespace = namespace.map(|n| n.to_lowercase());
        }
        type_specific(
            &ty,
            namespace.as_deref(),
            &mut name,
            version.as_deref(),
            &qualifiers,
        )?;
        Ok(Purl {
            ty,
            namespace,
            name,
            version,
            qualifiers,
            subpath,
        })
    }

    /// The package type, lowercase (e.g. `maven`).
    pub fn ty(&self) -> &str {
        &self.ty
    }

    /// The namespace (decoded, segments joined with `/`), if any.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The package name (decoded).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The version (decoded), if any.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The qualifiers, sorted by key.
    pub fn qualifiers(&self) -> &BTreeMap<String, String> {
        &self.qualifiers
    }

    /// The value of one qualifier.
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers.get(key).map(String::as_str)
    }

    /// The subpath (decoded), if any.
    pub fn subpath(&self) -> Option<&str> {
        self.subpath.as_deref()
    }

    /// The same purl without a version, qualifiers and subpath: the package, not a release of it.
    pub fn without_version(&self) -> Purl {
        Purl {
            ty: self.ty.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            version: None,
            qualifiers: BTreeMap::new(),
            subpath: None,
        }
    }

    /// The same purl with another version.
    pub fn with_version(&self, version: Option<&str>) -> Purl {
        let mut p = self.clone();
        p.version = version.filter(|v| !v.is_empty()).map(str::to_owned);
        if let Some(rule) = types::rule(&p.ty)
            && rule.lower_version
        {
            p.version = p.version.map(|v| v.to_lowercase());
        }
        p
    }
}

/// What the purl specification's type definition says about one type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TypeDescription {
    /// `required`, `optional` or `prohibited`.
    pub namespace_requirement: &'static str,
    /// The namespace is case-insensitive and lowercased.
    pub lower_namespace: bool,
    /// The name is case-insensitive and lowercased.
    pub lower_name: bool,
    /// The version is case-insensitive and lowercased.
    pub lower_version: bool,
    /// Qualifier keys that must be present.
    pub required_qualifiers: Vec<&'static str>,
}

/// The rules of a purl type the specification defines (`None` for other types, which get no
/// type-specific normalisation).
pub fn describe_type(ty: &str) -> Option<TypeDescription> {
    types::rule(&ty.to_ascii_lowercase()).map(|r| TypeDescription {
        namespace_requirement: match r.namespace {
            Req::Required => "required",
            Req::Optional => "optional",
            Req::Prohibited => "prohibited",
        },
        lower_namespace: r.lower_namespace,
        lower_name: r.lower_name,
        lower_version: r.lower_version,
        required_qualifiers: r.required_qualifiers.to_vec(),
    })
}

/// Rules the type definitions state in prose.
/// The repairs of lenient parsing, for purls as generators write them: the type `pip` is `pypi`;
/// an encoded `@` (`%40`) that put the version into the name (`lodash%404.17.15`, or
/// `core%407.0.0@7.0.0` with the version repeated) is split off; a Maven `group:artifact` written
/// as the name becomes namespace and name; Go's standard library is `stdlib` at a semantic version.
/// Returns the type.
fn repair(
    ty: String,
    namespace: &mut Option<String>,
    name: &mut String,
    version: &mut Option<String>,
) -> String {
    let ty = if ty == "pip" { "pypi".to_owned() } else { ty };
    if ty != "git"
        && let Some(at) = name.rfind('@').filter(|&at| at > 0)
    {
        let tail = name[at + 1..].to_owned();
        let looks_like_version = tail
            .trim_start_matches(['v', 'V'])
            .starts_with(|c: char| c.is_ascii_digit());
        match version.as_deref() {
            None if looks_like_version => {
                *version = Some(tail);
                name.truncate(at);
            }
            Some(v) if v == tail => name.truncate(at),
            _ => {}
        }
    }
    // Go's standard library: `stdlib` in the Go vulnerability database, `std` in cyclonedx-gomod,
    // its versions as `go version` prints them (`go1.18.10`).
    if ty == "golang" && namespace.is_none() {
        if name == "std" {
            *name = "stdlib".to_owned();
        }
        if matches!(name.as_str(), "stdlib" | "toolchain")
            && let Some(v) = version.as_deref().and_then(|v| v.strip_prefix("go"))
            && v.starts_with(|c: char| c.is_ascii_digit())
        {
            *version = Some(v.to_owned());
        }
    }
    if ty == "maven"
        && namespace.is_none()
        && let Some((group, rest)) = name.split_once(':')
        && !group.is_empty()
        && !rest.is_empty()
    {
        // `group:artifact`, or `group:artifact:version` when the version is in the name too.
        let (artifact, in_name) = match rest.split_once(':') {
            Some((a, v)) if !a.is_empty() && !v.is_empty() => (a.to_owned(), Some(v.to_owned())),
            _ => (rest.to_owned(), None),
        };
        if version.is_none() {
            *version = in_name;
        }
        *namespace = Some(group.to_owned());
        *name = artifact;
    }
    ty
}

fn type_specific(
    ty: &str,
    namespace: Option<&str>,
    name: &mut String,
    version: Option<&str>,
    qualifiers: &BTreeMap<String, String>,
) -> Result<(), PurlError> {
    let fail = |message: &str| {
        Err(PurlError::TypeRule {
            ty: ty.to_owned(),
            message: message.to_owned(),
        })
    };
    match ty {
        "pypi" => *name = name.replace('_', "-"),
        "mlflow"
            if qualifiers
                .get("repository_url")
                .is_some_and(|u| u.to_ascii_lowercase().contains("databricks")) =>
        {
            *name = name.to_lowercase();
        }
        "git"
            if namespace
                .is_some_and(|h| matches!(h, "github" | "github.com" | "bitbucket" | "bitbucket.org")) =>
        {
            *name = name.to_lowercase();
        }
        "cpan" if name.contains("::") => {
            return fail("a distribution name cannot contain `::` (that is a module name)");
        }
        "chrome-extension" => {
            if name.len() != 32 || !name.bytes().all(|b| (b'a'..=b'p').contains(&b)) {
                return fail("an extension id is 32 letters a–p");
            }
            if let Some(v) = version {
                let parts: Vec<&str> = v.split('.').collect();
                let numeric = parts
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                if parts.len() > 4 || !numeric {
                    return fail("a version is one to four dot-separated numbers");
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn enc_err(e: DecodeError, part: &'static str) -> PurlError {
    let _ = e;
    PurlError::InvalidEncoding(part)
}

/// Splits a namespace or subpath into segments, drops empty, `.` and `..` segments (the latter
/// only in a subpath, where they are path navigation), decodes each segment when `decoding`, and
/// joins them with `/`.
fn normalize_segments<'a>(
    segments: impl Iterator<Item = &'a str>,
    decoding: bool,
    part: &'static str,
) -> Result<Option<String>, PurlError> {
    let mut out = String::new();
    for seg in segments {
        let seg = if decoding {
            decode(seg).map_err(|e| enc_err(e, part))?
        } else {
            seg.to_owned()
        };
        if seg.is_empty() || (part == "subpath" && (seg == "." || seg == "..")) {
            continue;
        }
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&seg);
    }
    Ok(if out.is_empty() { None } else { Some(out) })
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(64);
        s.push_str("pkg:");
        s.push_str(&self.ty);
        s.push('/');
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/') {
                encode_into(&mut s, seg);
                s.push('/');
            }
        }
        if self.ty == "git" {
            let mut first = true;
            for seg in self.name.split('/') {
                if !first {
                    s.push('/');
                }
                first = false;
                encode_into(&mut s, seg);
            }
        } else {
            encode_into(&mut s, &self.name);
        }
        if let Some(v) = &self.version {
            s.push('@');
            encode_into(&mut s, v);
        }
        let mut sep = '?';
        for (k, v) in &self.qualifiers {
            s.push(sep);
            sep = '&';
            s.push_str(k);
            s.push('=');
            encode_into(&mut s, v);
        }
        if let Some(sp) = &self.subpath {
            s.push('#');
            let mut first = true;
            for seg in sp.split('/') {
                if !first {
                    s.push('/');
                }
                first = false;
                encode_into(&mut s, seg);
            }
        }
        f.write_str(&s)
    }
}

impl FromStr for Purl {
    type Err = PurlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Purl::parse(s)
    }
}

impl Serialize for Purl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Purl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Purl::parse_lenient(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
