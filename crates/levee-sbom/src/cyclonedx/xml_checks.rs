//! The constraints of the CycloneDX XSDs that a reader must enforce, checked by hand.
//!
//! A full XSD validator is out of proportion for a reader; these checks cover what the official
//! `invalid-*` fixtures test and what matters for identity: the namespace, the serial number
//! pattern, component `type` and `name`, unique and non-empty `bom-ref`s, `scope`, hash algorithms
//! and hash lengths, SWID `tagId`, the license choice (one `id` or `name`; an `expression` alone),
//! SPDX license ids, text encodings, patch and issue types, dependency `ref`s, `dateTime`s,
//! property names, data-flow directions, the children of `metadata`, and the citation rules.
//! Elements in other namespaces are extensions and are not checked.

use std::collections::HashMap;

use super::formats::check_date_time;
use super::schema::spdx_license_ids;
use crate::error::{ErrorKind, Location, SbomError, Warning};
use crate::xml::Element;

/// The namespace of the dependency-graph extension of CycloneDX 1.1.
pub(crate) const DEPENDENCY_GRAPH_NS: &str = "http://cyclonedx.org/schema/ext/dependency-graph/1.0";

const HASH_ALGS: [&str; 14] = [
    "MD5",
    "SHA-1",
    "SHA-256",
    "SHA-384",
    "SHA-512",
    "SHA3-256",
    "SHA3-512",
    "SHA3-384",
    "BLAKE2b-256",
    "BLAKE2b-384",
    "BLAKE2b-512",
    "BLAKE3",
    "Streebog-256",
    "Streebog-512",
];

/// The hash algorithms a version allows (a prefix of [`HASH_ALGS`]).
fn hash_algs(v: &str) -> &'static [&'static str] {
    match v {
        "1.0" | "1.1" => &HASH_ALGS[..7],
        "1.7" => &HASH_ALGS[..],
        _ => &HASH_ALGS[..12],
    }
}

fn component_types(v: &str) -> &'static [&'static str] {
    match v {
        "1.0" => &[
            "application",
            "framework",
            "library",
            "operating-system",
            "device",
        ],
        "1.1" => &[
            "application",
            "framework",
            "library",
            "operating-system",
            "device",
            "file",
        ],
        "1.2" | "1.3" | "1.4" => &[
            "application",
            "framework",
            "library",
            "container",
            "operating-system",
            "device",
            "firmware",
            "file",
        ],
        "1.5" => &[
            "application",
            "framework",
            "library",
            "container",
            "platform",
            "operating-system",
            "device",
            "device-driver",
            "firmware",
            "file",
            "machine-learning-model",
            "data",
        ],
        _ => &[
            "application",
            "framework",
            "library",
            "container",
            "platform",
            "operating-system",
            "device",
            "device-driver",
            "firmware",
            "file",
            "machine-learning-model",
            "data",
            "cryptographic-asset",
        ],
    }
}

/// The children `metadata` may have (from the XSDs).
fn metadata_children(v: &str) -> &'static [&'static str] {
    match v {
        "1.0" | "1.1" => &[],
        "1.2" => &[
            "authors",
            "component",
            "manufacture",
            "supplier",
            "timestamp",
            "tools",
        ],
        "1.3" | "1.4" => &[
            "authors",
            "component",
            "licenses",
            "manufacture",
            "properties",
            "supplier",
            "timestamp",
            "tools",
        ],
        "1.5" => &[
            "authors",
            "component",
            "licenses",
            "lifecycles",
            "manufacture",
            "properties",
            "supplier",
            "timestamp",
            "tools",
        ],
        "1.6" => &[
            "authors",
            "component",
            "licenses",
            "lifecycles",
            "manufacture",
            "manufacturer",
            "properties",
            "supplier",
            "timestamp",
            "tools",
        ],
        _ => &[
            "authors",
            "component",
            "distributionConstraints",
            "licenses",
            "lifecycles",
            "manufacture",
            "manufacturer",
            "properties",
            "supplier",
            "timestamp",
            "tools",
        ],
    }
}

fn is_hex_hash(s: &str) -> bool {
    matches!(s.len(), 32 | 40 | 64 | 96 | 128) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_uuid_urn(s: &str) -> bool {
    let Some(u) = s.strip_prefix("urn:uuid:") else {
        return false;
    };
    let groups: Vec<&str> = u.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| {
            g.len() == n
                && g.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

/// Checks the document. Strict: the first violation is the error. Lenient: every violation is a
/// warning (at most [`super::schema::MAX_WARNINGS`] listed, the rest counted) and the document is
/// read; duplicate `bom-ref`s are then left to the builder, which warns about them.
pub(crate) fn check(
    bytes: &[u8],
    root: &Element,
    version: &str,
    lenient: bool,
) -> Result<Vec<Warning>, SbomError> {
    let mut warnings = Vec::new();
    let mut dropped = 0usize;
    let mut report = |e: SbomError| -> Result<(), SbomError> {
        if !lenient {
            return Err(e);
        }
        if warnings.len() < super::schema::MAX_WARNINGS {
            warnings.push(Warning::new(
                e.location,
                format!("not as the XSD says: {}", e.message),
            ));
        } else {
            dropped += 1;
        }
        Ok(())
    };
    if let Some(sn) = root.attr("serialNumber")
        && !is_uuid_urn(sn)
    {
        report(SbomError::new(
            ErrorKind::Invalid,
            Location::at_offset(bytes, root.offset),
            format!("serialNumber `{sn}` is not a urn:uuid"),
        ))?;
    }
    let ns: &str = &root.ns;
    let mut refs: HashMap<&str, usize> = HashMap::new();
    // (element, parent name)
    let mut stack: Vec<(&Element, &str)> = vec![(root, "")];
    while let Some((e, parent)) = stack.pop() {
        for c in e.children.iter().rev() {
            if &*c.ns == ns || &*c.ns == DEPENDENCY_GRAPH_NS {
                stack.push((c, e.name.as_str()));
            }
        }
        if let Err(v) = check_element(bytes, e, parent, ns, version, (!lenient).then_some(&mut refs)) {
            report(v)?;
        }
    }
    if dropped > 0 {
        warnings.push(Warning::new(
            Location::Document,
            format!(
                "{dropped} more XSD violations not listed (the first {} are)",
                super::schema::MAX_WARNINGS
            ),
        ));
    }
    Ok(warnings)
}

/// Checks one element; `refs` (strict reading only) collects the `bom-ref`s seen so far.
fn check_element<'a>(
    bytes: &[u8],
    e: &'a Element,
    parent: &str,
    ns: &str,
    version: &str,
    refs: Option<&mut HashMap<&'a str, usize>>,
) -> Result<(), SbomError> {
    let err = |e: &Element, msg: String| {
        Err(SbomError::new(
            ErrorKind::Invalid,
            Location::at_offset(bytes, e.offset),
            msg,
        ))
    };
    {
        let count = |name: &str| e.all(name).count();
        match e.name.as_str() {
            "component" => {
                match e.attr("type") {
                    None => return err(e, "component without the required `type` attribute".into()),
                    Some(t) if !component_types(version).contains(&t) => {
                        return err(
                            e,
                            format!("component type `{t}` is not valid in CycloneDX {version}"),
                        );
                    }
                    _ => {}
                }
                if e.child("name").is_none() {
                    return err(e, "component without the required <name>".into());
                }
                if e.child("version").is_some() && e.child("versionRange").is_some() {
                    return err(e, "a component has <version> or <versionRange>, not both".into());
                }
                if e.child("versionRange").is_some() && e.attr("isExternal").map(str::trim) != Some("true") {
                    return err(
                        e,
                        "<versionRange> is only allowed on an external component".into(),
                    );
                }
            }
            "service" if e.child("name").is_none() => {
                return err(e, "service without the required <name>".into());
            }
            "scope" if parent == "component" => {
                let s = e.text.trim();
                if !matches!(s, "required" | "optional" | "excluded") {
                    return err(e, format!("scope `{s}` is not required, optional or excluded"));
                }
            }
            "hash" if parent == "hashes" => {
                let alg = e.attr("alg").unwrap_or_default();
                if !hash_algs(version).contains(&alg) {
                    return err(
                        e,
                        format!("hash algorithm `{alg}` is not valid in CycloneDX {version}"),
                    );
                }
                if !is_hex_hash(e.text.trim()) {
                    return err(
                        e,
                        format!("hash `{}` is not 32, 40, 64, 96 or 128 hex digits", e.text.trim()),
                    );
                }
            }
            "swid" => {
                for a in ["tagId", "name"] {
                    if e.attr(a).is_none() {
                        return err(e, format!("swid without the required `{a}` attribute"));
                    }
                }
            }
            "licenses" if version < "1.7" => {
                let own: Vec<&Element> = e.children.iter().filter(|c| &*c.ns == ns).collect();
                if own.iter().any(|c| c.name == "expression") && own.len() > 1 {
                    return err(
                        e,
                        "licenses hold either license elements or one expression".into(),
                    );
                }
            }
            "license" if parent == "licenses" => {
                // Up to 1.5 the XSDs make <id> and <name> optional in their choice: a license
                // with only a <url> or <text> is valid there.
                let (ids, names) = (count("id"), count("name"));
                let least = usize::from(version >= "1.6");
                if ids + names > 1 || ids + names < least {
                    return err(
                        e,
                        format!(
                            "a license has {} <id> or <name>, found {ids} and {names}",
                            if least == 1 { "exactly one" } else { "at most one" }
                        ),
                    );
                }
                if let Some(id) = e.child("id") {
                    let id_text = id.text.trim();
                    if !spdx_license_ids().contains(id_text) {
                        return err(id, format!("`{id_text}` is not an SPDX license id"));
                    }
                }
            }
            "text" | "attachment" => {
                if let Some(enc) = e.attr("encoding")
                    && enc != "base64"
                {
                    return err(e, format!("encoding `{enc}` is not base64"));
                }
            }
            "patch" => {
                let t = e.attr("type").unwrap_or_default();
                if !matches!(t, "unofficial" | "monkey" | "backport" | "cherry-pick") {
                    return err(
                        e,
                        format!("patch type `{t}` is not unofficial, monkey, backport or cherry-pick"),
                    );
                }
            }
            "issue" => {
                let t = e.attr("type").unwrap_or_default();
                if !matches!(t, "defect" | "enhancement" | "security") {
                    return err(
                        e,
                        format!("issue type `{t}` is not defect, enhancement or security"),
                    );
                }
            }
            "dependency" => match e.attr("ref") {
                None => return err(e, "dependency without the required `ref` attribute".into()),
                Some("") => return err(e, "dependency with an empty `ref`".into()),
                _ => {}
            },
            "timestamp" => {
                if let Err(why) = check_date_time(e.text.trim()) {
                    return err(
                        e,
                        format!("timestamp `{}` is not an xs:dateTime: {why}", e.text.trim()),
                    );
                }
            }
            "property" if e.attr("name").is_none() => {
                return err(e, "property without the required `name` attribute".into());
            }
            "classification" | "dataflow" => {
                if let Some(f) = e.attr("flow")
                    && !matches!(f, "inbound" | "outbound" | "bi-directional" | "unknown")
                {
                    return err(
                        e,
                        format!("data flow `{f}` is not inbound, outbound, bi-directional or unknown"),
                    );
                }
            }
            "metadata" if parent == "bom" => {
                let allowed = metadata_children(version);
                if let Some(c) = e
                    .children
                    .iter()
                    .find(|c| &*c.ns == ns && !allowed.contains(&c.name.as_str()))
                {
                    return err(
                        c,
                        format!("<{}> is not allowed in <metadata> in CycloneDX {version}", c.name),
                    );
                }
            }
            "citation" => {
                if count("attributedTo") > 1 || count("process") > 1 {
                    return err(
                        e,
                        "a citation has at most one <attributedTo> and one <process>".into(),
                    );
                }
                if e.child("pointers").is_some() && e.child("expressions").is_some() {
                    return err(e, "a citation has <pointers> or <expressions>, not both".into());
                }
            }
            _ => {}
        }
        if matches!(e.name.as_str(), "component" | "service")
            && let Some(r) = e.attr("bom-ref")
        {
            if r.is_empty() && version >= "1.5" || r.is_empty() && version < "1.5" && e.name == "component" {
                return err(e, "empty bom-ref".into());
            }
            if let Some(refs) = refs
                && refs.insert(r, e.offset).is_some()
            {
                return err(
                    e,
                    format!("bom-ref `{r}` is used twice (the XSD requires unique references)"),
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_urns() {
        assert!(is_uuid_urn("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"));
        assert!(!is_uuid_urn("urn:uuid:3e671687-395b-41f5-a30f"));
        assert!(!is_uuid_urn("urn:uuid:3E671687-395b-41f5-a30f-a58921a69b79"));
    }
}
