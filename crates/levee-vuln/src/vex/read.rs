//! VEX readers: CycloneDX (embedded in an SBOM or a standalone VEX BOM, JSON or XML), OpenVEX
//! (0.2.0 and the earlier drafts' string forms) and CSAF 2.0 (any category; `csaf_vex` documents
//! are the usual case). Each returns statements or a located error; none panics.
//!
//! CycloneDX analysis states: `not_affected` and `false_positive` → not affected; `resolved` and
//! `resolved_with_pedigree` → fixed; `exploitable` → affected; `in_triage` → under investigation.
//! A per-version status in `affects[].versions[]` overrides the state for those versions
//! (`unaffected` → not affected, `affected` → affected, `unknown` → under investigation).
//! CycloneDX justifications map onto the five of OpenVEX and CSAF as CISA's minimum requirements
//! for VEX do: `code_not_present` → `vulnerable_code_not_present`, `code_not_reachable` →
//! `vulnerable_code_not_in_execute_path`, `requires_configuration`, `requires_environment` and
//! `protected_at_perimeter` → `vulnerable_code_cannot_be_controlled_by_adversary`,
//! `requires_dependency` → `component_not_present`, `protected_by_compiler`,
//! `protected_at_runtime` and `protected_by_mitigating_control` → `inline_mitigations_already_exist`.

use levee_advisory::{Justification, ProductStatus, VersionSpec};
use levee_sbom::cpe::Cpe;
use levee_sbom::purl::Purl;
use levee_sbom::vuln::RawVulnerability;
use levee_version::Scheme;
use serde_json::Value;

use super::{ProductRef, VexProduct, VexStatement, VexStatus};
use crate::range::Prepared;

/// A VEX document that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {location}: {message}")]
pub struct VexError {
    /// The file (as the caller named it).
    pub file: String,
    /// A JSON pointer or line and column.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl VexError {
    fn new(file: &str, location: impl Into<String>, message: impl Into<String>) -> VexError {
        VexError {
            file: file.to_owned(),
            location: location.into(),
            message: message.into(),
        }
    }

    /// A stable code: `vex-invalid`.
    pub fn code(&self) -> &'static str {
        "vex-invalid"
    }
}

fn cdx_justification(s: &str) -> Option<Justification> {
    Some(match s {
        "code_not_present" => Justification::VulnerableCodeNotPresent,
        "code_not_reachable" => Justification::VulnerableCodeNotInExecutePath,
        "requires_configuration" | "requires_environment" | "protected_at_perimeter" => {
            Justification::VulnerableCodeCannotBeControlledByAdversary
        }
        "requires_dependency" => Justification::ComponentNotPresent,
        "protected_by_compiler" | "protected_at_runtime" | "protected_by_mitigating_control" => {
            Justification::InlineMitigationsAlreadyExist
        }
        other => return Justification::parse(other),
    })
}

/// Reads a product reference string: a purl, a CPE, a BOM-Link or a plain `bom-ref`.
fn reference(s: &str) -> ProductRef {
    let s = s.trim();
    if s.starts_with("pkg:")
        && let Ok(p) = Purl::parse_lenient(s)
    {
        return ProductRef::Purl(p);
    }
    if s.to_ascii_lowercase().starts_with("cpe:")
        && let Ok(c) = Cpe::parse(s)
    {
        return ProductRef::Cpe(Box::new(c));
    }
    if let Some(rest) = s.strip_prefix("urn:cdx:")
        && let Some((bom, r)) = rest.split_once('#')
    {
        let (serial, version) = match bom.split_once('/') {
            Some((s, v)) => (s, v.parse().ok()),
            None => (bom, None),
        };
        return ProductRef::BomRef {
            serial: Some(serial.to_owned()),
            version,
            bom_ref: r.to_owned(),
        };
    }
    ProductRef::BomRef {
        serial: None,
        version: None,
        bom_ref: s.to_owned(),
    }
}

/// Statements from the `vulnerabilities` of a CycloneDX document. `purl_of` resolves a `bom-ref`
/// of the same document to its component's purl, so that a standalone VEX BOM still applies when
/// the SBOM names its components differently.
pub fn read_cyclonedx_statements(
    vulns: &[RawVulnerability],
    purl_of: &dyn Fn(&str) -> Option<Purl>,
    source: &str,
) -> Vec<VexStatement> {
    let mut out = Vec::new();
    for v in vulns {
        let Some(id) = v.id.clone().filter(|i| !i.trim().is_empty()) else {
            continue;
        };
        let analysis = v.analysis.as_ref();
        let state = analysis.and_then(|a| a.state.as_deref()).and_then(|s| match s {
            "not_affected" | "false_positive" => Some(VexStatus::NotAffected),
            "resolved" | "resolved_with_pedigree" => Some(VexStatus::Fixed),
            "exploitable" => Some(VexStatus::Affected),
            "in_triage" => Some(VexStatus::UnderInvestigation),
            _ => None,
        });
        let raw_justification = analysis.and_then(|a| a.justification.clone());
        let justification = raw_justification.as_deref().and_then(cdx_justification);
        let detail = analysis.and_then(|a| a.detail.clone()).or_else(|| {
            (analysis.and_then(|a| a.state.as_deref()) == Some("false_positive"))
                .then(|| "false positive".to_owned())
        });
        let action = analysis
            .filter(|a| !a.response.is_empty())
            .map(|a| a.response.join(", "))
            .or_else(|| v.recommendation.clone());
        for affect in &v.affects {
            let mut refs = vec![reference(&affect.reference)];
            let local = affect.reference.rsplit('#').next().unwrap_or(&affect.reference);
            if let Some(p) = purl_of(local) {
                refs.push(ProductRef::Purl(p));
            }
            let mut per_version: Vec<(Option<VexStatus>, Option<Prepared>)> = Vec::new();
            for ver in &affect.versions {
                let status = ver.status.as_deref().and_then(|s| match s {
                    "affected" => Some(VexStatus::Affected),
                    "unaffected" => Some(VexStatus::NotAffected),
                    "unknown" => Some(VexStatus::UnderInvestigation),
                    _ => None,
                });
                let spec = match (&ver.version, &ver.range) {
                    (Some(v), _) => Some(Prepared::new(&VersionSpec::Exact(v.clone()), Scheme::Generic)),
                    (None, Some(r)) => Some(Prepared::new(&VersionSpec::Vers(r.clone()), Scheme::Generic)),
                    _ => None,
                };
                per_version.push((status, spec));
            }
            if per_version.is_empty() {
                per_version.push((None, None));
            }
            for (status, versions) in per_version {
                let Some(status) = status.or(state) else { continue };
                out.push(VexStatement {
                    vulnerability: id.clone(),
                    aliases: v.aliases.clone(),
                    products: vec![VexProduct {
                        refs: refs.clone(),
                        versions,
                    }],
                    status,
                    justification: justification.filter(|_| status == VexStatus::NotAffected),
                    raw_justification: raw_justification.clone(),
                    detail: detail.clone(),
                    action: action.clone(),
                    source: source.to_owned(),
                });
            }
        }
    }
    out
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn openvex(doc: &Value, file: &str) -> Result<Vec<VexStatement>, VexError> {
    let id = str_at(doc, "@id").unwrap_or(file);
    let source = format!("{file} ({id})");
    let statements = doc.get("statements").and_then(Value::as_array).ok_or_else(|| {
        VexError::new(
            file,
            "/statements",
            "an OpenVEX document needs a `statements` array",
        )
    })?;
    let mut out = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let at = |k: &str| format!("/statements/{i}/{k}");
        let (name, aliases) = match s.get("vulnerability") {
            Some(Value::String(n)) => (n.clone(), Vec::new()),
            Some(v @ Value::Object(_)) => (
                str_at(v, "name")
                    .ok_or_else(|| {
                        VexError::new(file, at("vulnerability/name"), "missing vulnerability name")
                    })?
                    .to_owned(),
                v.get("aliases")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                    .unwrap_or_default(),
            ),
            _ => return Err(VexError::new(file, at("vulnerability"), "missing vulnerability")),
        };
        let status = match str_at(s, "status") {
            Some("not_affected") => VexStatus::NotAffected,
            Some("affected") => VexStatus::Affected,
            Some("fixed") => VexStatus::Fixed,
            Some("under_investigation") => VexStatus::UnderInvestigation,
            other => {
                return Err(VexError::new(
                    file,
                    at("status"),
                    format!(
                        "unknown status {other:?}: expected not_affected, affected, fixed or under_investigation"
                    ),
                ));
            }
        };
        let raw_justification = str_at(s, "justification").map(str::to_owned);
        let justification = match &raw_justification {
            Some(j) => Some(Justification::parse(j).ok_or_else(|| {
                VexError::new(file, at("justification"), format!("unknown justification `{j}`"))
            })?),
            None => None,
        };
        // OpenVEX 0.2: a not_affected statement MUST give a justification or an impact statement.
        // One without either would silence a finding on nobody's say-so: refuse the document.
        if status == VexStatus::NotAffected
            && justification.is_none()
            && str_at(s, "impact_statement").is_none_or(|t| t.trim().is_empty())
        {
            return Err(VexError::new(
                file,
                at("status"),
                "a not_affected statement needs a justification or an impact_statement (OpenVEX 0.2 requires one)",
            ));
        }
        let mut refs = Vec::new();
        for p in s.get("products").and_then(Value::as_array).into_iter().flatten() {
            product_refs(p, &mut refs);
            for sub in p
                .get("subcomponents")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                product_refs(sub, &mut refs);
            }
        }
        out.push(VexStatement {
            vulnerability: name,
            aliases,
            products: vec![VexProduct { refs, versions: None }],
            status,
            justification,
            raw_justification,
            detail: str_at(s, "impact_statement")
                .or(str_at(s, "status_notes"))
                .map(str::to_owned),
            action: str_at(s, "action_statement").map(str::to_owned),
            source: source.clone(),
        });
    }
    Ok(out)
}

fn product_refs(p: &Value, refs: &mut Vec<ProductRef>) {
    if let Some(s) = p.as_str() {
        refs.push(reference(s));
        return;
    }
    if let Some(id) = str_at(p, "@id") {
        refs.push(reference(id));
    }
    if let Some(ids) = p.get("identifiers") {
        for k in ["purl", "cpe23", "cpe22"] {
            if let Some(v) = str_at(ids, k) {
                refs.push(reference(v));
            }
        }
    }
}

fn csaf(bytes: &[u8], file: &str) -> Result<Vec<VexStatement>, VexError> {
    let doc = levee_advisory::csaf::parse(bytes)
        .map_err(|e| VexError::new(file, e.location.to_string(), e.message.clone()))?;
    let mut out = Vec::new();
    for a in levee_advisory::csaf::to_advisories(&doc) {
        let Some(vulnerability) = a.cves.first().cloned().or_else(|| a.aliases.first().cloned()) else {
            continue;
        };
        let source = format!("{file} ({})", a.document_id.as_deref().unwrap_or(&a.id));
        for ap in &a.affected {
            let status = match ap.status {
                s if s.is_affected() => VexStatus::Affected,
                ProductStatus::KnownNotAffected => VexStatus::NotAffected,
                s if s.is_fixed() => VexStatus::Fixed,
                ProductStatus::UnderInvestigation => VexStatus::UnderInvestigation,
                _ => continue,
            };
            let p = &ap.product;
            let mut refs = Vec::new();
            if let Some(purl) = p.purl.as_deref() {
                refs.push(reference(purl));
            }
            if let Some(cpe) = p.cpe.as_deref() {
                refs.push(reference(cpe));
            }
            if let Some(name) = p.name.as_deref().or(p.family.as_deref()) {
                refs.push(ProductRef::Named {
                    vendor: p.vendor.clone(),
                    name: name.to_owned(),
                });
            }
            let scheme = p
                .purl
                .as_deref()
                .and_then(|s| Purl::parse_lenient(s).ok())
                .map_or(Scheme::Industrial, |pu| {
                    crate::identity::scheme_for_purl_type(pu.ty())
                });
            // With a purl or CPE that carries the version, the version branch adds nothing.
            let versions = match p.versions.as_slice() {
                [one] if !matches!(one, VersionSpec::All) && p.purl.is_none() => {
                    Some(Prepared::new(one, scheme))
                }
                _ => None,
            };
            let action = a.remediations_for(ap).map(|r| r.details.clone()).next();
            out.push(VexStatement {
                vulnerability: vulnerability.clone(),
                aliases: a
                    .cves
                    .iter()
                    .chain(&a.aliases)
                    .filter(|i| **i != vulnerability)
                    .cloned()
                    .collect(),
                products: vec![VexProduct { refs, versions }],
                status,
                justification: ap.justification.filter(|_| status == VexStatus::NotAffected),
                raw_justification: ap.justification.map(|j| super::justification_str(j).to_owned()),
                detail: ap.impact.clone(),
                action,
                source: source.clone(),
            });
        }
    }
    Ok(out)
}

/// Reads a VEX document of any supported format: CycloneDX (JSON or XML, a VEX BOM or an SBOM with
/// embedded `vulnerabilities`), OpenVEX JSON or CSAF JSON, told apart by their content.
pub fn read_vex(bytes: &[u8], file: &str) -> Result<Vec<VexStatement>, VexError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'<') {
        return cyclonedx(bytes, file);
    }
    let doc: Value = serde_json::from_slice(text).map_err(|e| {
        VexError::new(
            file,
            format!("line {}, column {}", e.line(), e.column()),
            format!("malformed JSON: {e}"),
        )
    })?;
    if doc.get("bomFormat").is_some() {
        cyclonedx(bytes, file)
    } else if doc
        .get("document")
        .is_some_and(|d| d.get("csaf_version").is_some())
    {
        csaf(text, file)
    } else if doc.get("statements").is_some()
        || str_at(&doc, "@context").is_some_and(|c| c.contains("openvex"))
    {
        openvex(&doc, file)
    } else {
        Err(VexError::new(
            file,
            "/",
            "not a VEX document: expected CycloneDX (`bomFormat`), OpenVEX (`statements`) or CSAF (`document.csaf_version`)",
        ))
    }
}

fn cyclonedx(bytes: &[u8], file: &str) -> Result<Vec<VexStatement>, VexError> {
    let sbom = levee_sbom::read_sbom_with(bytes, Some(file), levee_sbom::ReadOptions::lenient())
        .map_err(|e| VexError::new(file, e.location.to_string(), e.message.clone()))?;
    let source = match &sbom.serial_number {
        Some(s) => format!("{file} ({s})"),
        None => file.to_owned(),
    };
    // A VEX document exists to state: an analysis that states nothing applicable is refused (an
    // SBOM's embedded one is read with a warning instead and likewise never applied).
    if let Some((i, v)) = sbom
        .vulnerabilities
        .iter()
        .enumerate()
        .find(|(_, v)| v.analysis_without_state())
    {
        return Err(VexError::new(
            file,
            format!("/vulnerabilities/{i}/analysis"),
            format!(
                "vulnerability {} has an analysis without a state CycloneDX defines (`not_affected`, \
                 `exploitable`, `in_triage`, `resolved`, `false_positive`); nothing in this document \
                 was applied",
                v.id.as_deref().unwrap_or("(without an id)")
            ),
        ));
    }
    let purl_of = |r: &str| sbom.component(r).and_then(|c| c.effective_purl());
    Ok(read_cyclonedx_statements(
        &sbom.vulnerabilities,
        &purl_of,
        &source,
    ))
}
