//! SPDX 2.2/2.3 JSON and SPDX 3.0 JSON-LD.

use std::collections::HashMap;

use serde_json::Value;

use super::{RawPackage, finish};
use crate::error::{ErrorKind, Location, SbomError};
use crate::model::{Hash, Sbom, SbomFormat};

fn invalid(ptr: impl Into<String>, msg: impl Into<String>) -> SbomError {
    SbomError::new(ErrorKind::Invalid, Location::pointer(ptr), msg)
}

/// An optional string field; present but not a string is an error.
fn opt_str(v: &Value, key: &str, ptr: &str) -> Result<Option<String>, SbomError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(invalid(
            format!("{ptr}/{key}"),
            format!("expected a string, found {other}"),
        )),
    }
}

/// An optional array field; present but not an array is an error.
fn opt_arr<'a>(v: &'a Value, key: &str, ptr: &str) -> Result<&'a [Value], SbomError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(invalid(format!("{ptr}/{key}"), "expected an array")),
    }
}

/// Reads an SPDX JSON document (2.x or 3.0).
pub(crate) fn read_value(doc: &Value) -> Result<Sbom, SbomError> {
    if !doc.is_object() {
        return Err(invalid("", "expected a JSON object"));
    }
    if doc.get("spdxVersion").is_none() {
        return read_v3(doc);
    }
    let version = opt_str(doc, "spdxVersion", "")?.unwrap_or_default();
    if !version.starts_with("SPDX-2.") {
        return Err(SbomError::new(
            ErrorKind::UnsupportedVersion,
            Location::pointer("/spdxVersion"),
            format!("SPDX version `{version}` is not supported by the JSON 2.x reader"),
        ));
    }
    let mut sbom = Sbom::new(SbomFormat::SpdxJson, version);
    sbom.name = opt_str(doc, "name", "")?;
    sbom.serial_number = opt_str(doc, "documentNamespace", "")?;
    if let Some(ci) = doc.get("creationInfo") {
        sbom.timestamp = opt_str(ci, "created", "/creationInfo")?;
        sbom.tools = opt_arr(ci, "creators", "/creationInfo")?
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|c| c.strip_prefix("Tool:"))
            .map(|t| t.trim().to_owned())
            .collect();
    }
    let mut packages = Vec::new();
    for (i, p) in opt_arr(doc, "packages", "")?.iter().enumerate() {
        let ptr = format!("/packages/{i}");
        if !p.is_object() {
            return Err(invalid(ptr, "expected a package object"));
        }
        let mut rp = RawPackage {
            spdx_id: opt_str(p, "SPDXID", &ptr)?,
            name: opt_str(p, "name", &ptr)?,
            version: opt_str(p, "versionInfo", &ptr)?,
            supplier: opt_str(p, "supplier", &ptr)?,
            originator: opt_str(p, "originator", &ptr)?,
            purpose: opt_str(p, "primaryPackagePurpose", &ptr)?,
            location: Some(Location::pointer(ptr.clone())),
            ..RawPackage::default()
        };
        if rp.name.is_none() {
            return Err(invalid(ptr, "package without the required `name`"));
        }
        for (j, r) in opt_arr(p, "externalRefs", &ptr)?.iter().enumerate() {
            let rptr = format!("{ptr}/externalRefs/{j}");
            let cat = opt_str(r, "referenceCategory", &rptr)?.unwrap_or_default();
            let ty = opt_str(r, "referenceType", &rptr)?.unwrap_or_default();
            let loc = opt_str(r, "referenceLocator", &rptr)?.unwrap_or_default();
            rp.external_ref(&cat, &ty, &loc);
        }
        for (j, c) in opt_arr(p, "checksums", &ptr)?.iter().enumerate() {
            let cptr = format!("{ptr}/checksums/{j}");
            if let (Some(alg), Some(value)) = (
                opt_str(c, "algorithm", &cptr)?,
                opt_str(c, "checksumValue", &cptr)?,
            ) {
                rp.checksums.push(Hash {
                    alg,
                    value: value.to_ascii_lowercase(),
                });
            }
        }
        for key in ["licenseConcluded", "licenseDeclared"] {
            if let Some(l) = opt_str(p, key, &ptr)? {
                rp.license(&l);
            }
        }
        packages.push(rp);
    }
    let mut rels = Vec::new();
    let mut described: Vec<String> = opt_arr(doc, "documentDescribes", "")?
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    for (i, r) in opt_arr(doc, "relationships", "")?.iter().enumerate() {
        let ptr = format!("/relationships/{i}");
        let (Some(a), Some(t), Some(b)) = (
            opt_str(r, "spdxElementId", &ptr)?,
            opt_str(r, "relationshipType", &ptr)?,
            opt_str(r, "relatedSpdxElement", &ptr)?,
        ) else {
            continue;
        };
        if t == "DESCRIBES" {
            described.push(b.clone());
        }
        rels.push((a, t, b));
    }
    finish(&mut sbom, packages, &rels, &described);
    Ok(sbom)
}

/// SPDX 3.0 JSON-LD: `software_Package` elements of the `@graph`.
fn read_v3(doc: &Value) -> Result<Sbom, SbomError> {
    let context = doc.get("@context").map(Value::to_string).unwrap_or_default();
    let Some(graph) = doc.get("@graph").and_then(Value::as_array) else {
        return Err(SbomError::new(
            ErrorKind::UnknownFormat,
            Location::pointer(""),
            "JSON without `spdxVersion` (SPDX 2) or an `@graph` (SPDX 3)",
        ));
    };
    if !context.contains("spdx.org/rdf/3") {
        return Err(SbomError::new(
            ErrorKind::UnsupportedVersion,
            Location::pointer("/@context"),
            "JSON-LD whose @context is not SPDX 3",
        ));
    }
    let ty = |e: &'_ Value| -> String {
        e.get("type")
            .or_else(|| e.get("@type"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let id = |e: &Value| {
        e.get("spdxId")
            .or_else(|| e.get("@id"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let names: HashMap<String, String> = graph
        .iter()
        .filter_map(|e| Some((id(e)?, e.get("name")?.as_str()?.to_owned())))
        .collect();
    let mut sbom = Sbom::new(SbomFormat::Spdx3JsonLd, "3.0");
    let mut packages = Vec::new();
    let mut rels = Vec::new();
    let mut described = Vec::new();
    for (i, e) in graph.iter().enumerate() {
        let ptr = format!("/@graph/{i}");
        match ty(e).as_str() {
            "CreationInfo" => {
                if let Some(v) = e.get("specVersion").and_then(Value::as_str) {
                    sbom.spec_version = v.to_owned();
                }
                sbom.timestamp = opt_str(e, "created", &ptr)?;
            }
            "SpdxDocument" => {
                sbom.serial_number = id(e);
                sbom.name = opt_str(e, "name", &ptr)?;
            }
            "software_Sbom" | "Bom" => {
                described.extend(
                    opt_arr(e, "rootElement", &ptr)?
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned),
                );
            }
            "software_Package" | "Package" => {
                let agent = |key: &str| -> Result<Option<String>, SbomError> {
                    Ok(match e.get(key) {
                        Some(Value::String(s)) => Some(names.get(s).cloned().unwrap_or_else(|| s.clone())),
                        Some(Value::Array(a)) => a
                            .iter()
                            .filter_map(Value::as_str)
                            .next()
                            .map(|s| names.get(s).cloned().unwrap_or_else(|| s.to_owned())),
                        Some(_) => {
                            return Err(invalid(format!("{ptr}/{key}"), "expected an agent reference"));
                        }
                        None => None,
                    })
                };
                let mut rp = RawPackage {
                    spdx_id: id(e),
                    name: opt_str(e, "name", &ptr)?,
                    version: opt_str(e, "software_packageVersion", &ptr)?,
                    supplier: agent("suppliedBy")?,
                    originator: agent("originatedBy")?,
                    purpose: opt_str(e, "software_primaryPurpose", &ptr)?,
                    location: Some(Location::pointer(ptr.clone())),
                    ..RawPackage::default()
                };
                if let Some(p) = opt_str(e, "software_packageUrl", &ptr)? {
                    rp.purls.push(p);
                }
                for (j, x) in opt_arr(e, "externalIdentifier", &ptr)?.iter().enumerate() {
                    let xptr = format!("{ptr}/externalIdentifier/{j}");
                    let kind = opt_str(x, "externalIdentifierType", &xptr)?.unwrap_or_default();
                    let Some(ident) = opt_str(x, "identifier", &xptr)? else {
                        continue;
                    };
                    match kind.as_str() {
                        "packageUrl" => rp.purls.push(ident),
                        "cpe23" => rp.cpes23.push(ident),
                        "cpe22" => rp.cpes22.push(ident),
                        _ => {}
                    }
                }
                for (j, h) in opt_arr(e, "verifiedUsing", &ptr)?.iter().enumerate() {
                    let hptr = format!("{ptr}/verifiedUsing/{j}");
                    if let (Some(alg), Some(value)) =
                        (opt_str(h, "algorithm", &hptr)?, opt_str(h, "hashValue", &hptr)?)
                    {
                        rp.checksums.push(Hash {
                            alg,
                            value: value.to_ascii_lowercase(),
                        });
                    }
                }
                packages.push(rp);
            }
            "Relationship" => {
                let (Some(from), Some(t)) =
                    (opt_str(e, "from", &ptr)?, opt_str(e, "relationshipType", &ptr)?)
                else {
                    continue;
                };
                for to in opt_arr(e, "to", &ptr)?.iter().filter_map(Value::as_str) {
                    rels.push((from.clone(), t.clone(), to.to_owned()));
                }
            }
            _ => {}
        }
    }
    finish(&mut sbom, packages, &rels, &described);
    Ok(sbom)
}
