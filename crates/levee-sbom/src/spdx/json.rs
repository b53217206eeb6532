//! SPDX 2.2/2.3 JSON and SPDX 3.0 JSON-LD.

use std::collections::HashMap;

use serde_json::Value;

use super::{RawPackage, finish};
use crate::ReadOptions;
use crate::error::{ErrorKind, Location, SbomError, Warning};
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

/// Field-level problems: errors when strict, warnings (and the field left out) when lenient.
pub(crate) struct Soft {
    lenient: bool,
    pub(crate) warnings: Vec<Warning>,
    dropped: usize,
}

/// At most this many field warnings are kept; the rest are counted.
const MAX_WARNINGS: usize = 200;

impl Soft {
    pub(crate) fn new(options: ReadOptions) -> Soft {
        Soft {
            lenient: options.tolerate_schema_violations,
            warnings: Vec::new(),
            dropped: 0,
        }
    }

    /// `r`, or in lenient reading the default value with a warning for its error.
    pub(crate) fn take<T: Default>(&mut self, r: Result<T, SbomError>) -> Result<T, SbomError> {
        match r {
            Err(e) if self.lenient => {
                if self.warnings.len() < MAX_WARNINGS {
                    self.warnings
                        .push(Warning::new(e.location, format!("{} (left out)", e.message)));
                } else {
                    self.dropped += 1;
                }
                Ok(T::default())
            }
            r => r,
        }
    }

    /// Moves the warnings into `sbom`.
    pub(crate) fn finish(self, sbom: &mut Sbom) {
        let mut warnings = self.warnings;
        if self.dropped > 0 {
            warnings.push(Warning::new(
                Location::Document,
                format!(
                    "{} more field problems not listed (the first {MAX_WARNINGS} are)",
                    self.dropped
                ),
            ));
        }
        warnings.append(&mut sbom.warnings);
        sbom.warnings = warnings;
    }
}

/// Reads an SPDX JSON document (2.x or 3.0).
pub(crate) fn read_value(doc: &Value, options: ReadOptions) -> Result<Sbom, SbomError> {
    if !doc.is_object() {
        return Err(invalid("", "expected a JSON object"));
    }
    let mut soft = Soft::new(options);
    if doc.get("spdxVersion").is_none() {
        let mut sbom = read_v3(doc, &mut soft)?;
        soft.finish(&mut sbom);
        return Ok(sbom);
    }
    let version = soft.take(opt_str(doc, "spdxVersion", ""))?.unwrap_or_default();
    if !version.starts_with("SPDX-2.") {
        return Err(SbomError::new(
            ErrorKind::UnsupportedVersion,
            Location::pointer("/spdxVersion"),
            format!("SPDX version `{version}` is not supported by the JSON 2.x reader"),
        ));
    }
    let mut sbom = Sbom::new(SbomFormat::SpdxJson, version);
    sbom.name = soft.take(opt_str(doc, "name", ""))?;
    sbom.serial_number = soft.take(opt_str(doc, "documentNamespace", ""))?;
    if let Some(ci) = doc.get("creationInfo") {
        sbom.timestamp = soft.take(opt_str(ci, "created", "/creationInfo"))?;
        sbom.tools = soft
            .take(opt_arr(ci, "creators", "/creationInfo"))?
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|c| c.strip_prefix("Tool:"))
            .map(|t| t.trim().to_owned())
            .collect();
    }
    let mut packages = Vec::new();
    for (i, p) in soft.take(opt_arr(doc, "packages", ""))?.iter().enumerate() {
        let ptr = format!("/packages/{i}");
        if !p.is_object() {
            soft.take(Err::<(), _>(invalid(ptr, "expected a package object")))?;
            continue;
        }
        let mut rp = RawPackage {
            spdx_id: soft.take(opt_str(p, "SPDXID", &ptr))?,
            name: soft.take(opt_str(p, "name", &ptr))?,
            version: soft.take(opt_str(p, "versionInfo", &ptr))?,
            supplier: soft.take(opt_str(p, "supplier", &ptr))?,
            originator: soft.take(opt_str(p, "originator", &ptr))?,
            purpose: soft.take(opt_str(p, "primaryPackagePurpose", &ptr))?,
            location: Some(Location::pointer(ptr.clone())),
            ..RawPackage::default()
        };
        if rp.name.is_none() {
            // Trivy writes its Go main module this way; its purl still identifies it.
            soft.take(Err::<(), _>(invalid(
                ptr.clone(),
                "package without the required `name`",
            )))?;
        }
        for (j, r) in soft.take(opt_arr(p, "externalRefs", &ptr))?.iter().enumerate() {
            let rptr = format!("{ptr}/externalRefs/{j}");
            let cat = soft
                .take(opt_str(r, "referenceCategory", &rptr))?
                .unwrap_or_default();
            let ty = soft.take(opt_str(r, "referenceType", &rptr))?.unwrap_or_default();
            let loc = soft
                .take(opt_str(r, "referenceLocator", &rptr))?
                .unwrap_or_default();
            rp.external_ref(&cat, &ty, &loc);
        }
        for (j, c) in soft.take(opt_arr(p, "checksums", &ptr))?.iter().enumerate() {
            let cptr = format!("{ptr}/checksums/{j}");
            if let (Some(alg), Some(value)) = (
                soft.take(opt_str(c, "algorithm", &cptr))?,
                soft.take(opt_str(c, "checksumValue", &cptr))?,
            ) {
                rp.checksums.push(Hash {
                    alg,
                    value: value.to_ascii_lowercase(),
                });
            }
        }
        for key in ["licenseConcluded", "licenseDeclared"] {
            if let Some(l) = soft.take(opt_str(p, key, &ptr))? {
                rp.license(&l);
            }
        }
        packages.push(rp);
    }
    let mut rels = Vec::new();
    let mut described: Vec<String> = soft
        .take(opt_arr(doc, "documentDescribes", ""))?
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    for (i, r) in soft.take(opt_arr(doc, "relationships", ""))?.iter().enumerate() {
        let ptr = format!("/relationships/{i}");
        let (Some(a), Some(t), Some(b)) = (
            soft.take(opt_str(r, "spdxElementId", &ptr))?,
            soft.take(opt_str(r, "relationshipType", &ptr))?,
            soft.take(opt_str(r, "relatedSpdxElement", &ptr))?,
        ) else {
            continue;
        };
        if t == "DESCRIBES" {
            described.push(b.clone());
        }
        rels.push((a, t, b));
    }
    finish(&mut sbom, packages, &rels, &described);
    soft.finish(&mut sbom);
    Ok(sbom)
}

/// SPDX 3.0 JSON-LD: `software_Package` elements of the `@graph`.
fn read_v3(doc: &Value, soft: &mut Soft) -> Result<Sbom, SbomError> {
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
                sbom.timestamp = soft.take(opt_str(e, "created", &ptr))?;
            }
            "SpdxDocument" => {
                sbom.serial_number = id(e);
                sbom.name = soft.take(opt_str(e, "name", &ptr))?;
            }
            "software_Sbom" | "Bom" => {
                described.extend(
                    soft.take(opt_arr(e, "rootElement", &ptr))?
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
                    name: soft.take(opt_str(e, "name", &ptr))?,
                    version: soft.take(opt_str(e, "software_packageVersion", &ptr))?,
                    supplier: soft.take(agent("suppliedBy"))?,
                    originator: soft.take(agent("originatedBy"))?,
                    purpose: soft.take(opt_str(e, "software_primaryPurpose", &ptr))?,
                    location: Some(Location::pointer(ptr.clone())),
                    ..RawPackage::default()
                };
                if let Some(p) = soft.take(opt_str(e, "software_packageUrl", &ptr))? {
                    rp.purls.push(p);
                }
                for (j, x) in soft
                    .take(opt_arr(e, "externalIdentifier", &ptr))?
                    .iter()
                    .enumerate()
                {
                    let xptr = format!("{ptr}/externalIdentifier/{j}");
                    let kind = soft
                        .take(opt_str(x, "externalIdentifierType", &xptr))?
                        .unwrap_or_default();
                    let Some(ident) = soft.take(opt_str(x, "identifier", &xptr))? else {
                        continue;
                    };
                    match kind.as_str() {
                        "packageUrl" => rp.purls.push(ident),
                        "cpe23" => rp.cpes23.push(ident),
                        "cpe22" => rp.cpes22.push(ident),
                        _ => {}
                    }
                }
                for (j, h) in soft.take(opt_arr(e, "verifiedUsing", &ptr))?.iter().enumerate() {
                    let hptr = format!("{ptr}/verifiedUsing/{j}");
                    if let (Some(alg), Some(value)) = (
                        soft.take(opt_str(h, "algorithm", &hptr))?,
                        soft.take(opt_str(h, "hashValue", &hptr))?,
                    ) {
                        rp.checksums.push(Hash {
                            alg,
                            value: value.to_ascii_lowercase(),
                        });
                    }
                }
                packages.push(rp);
            }
            "Relationship" => {
                let (Some(from), Some(t)) = (
                    soft.take(opt_str(e, "from", &ptr))?,
                    soft.take(opt_str(e, "relationshipType", &ptr))?,
                ) else {
                    continue;
                };
                for to in soft
                    .take(opt_arr(e, "to", &ptr))?
                    .iter()
                    .filter_map(Value::as_str)
                {
                    rels.push((from.clone(), t.clone(), to.to_owned()));
                }
            }
            _ => {}
        }
    }
    finish(&mut sbom, packages, &rels, &described);
    Ok(sbom)
}
