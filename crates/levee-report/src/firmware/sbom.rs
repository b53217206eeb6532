//! The SBOMs of a firmware analysis: CycloneDX 1.6 JSON (components with purl, CPE and
//! evidence: identity with methods and confidence, occurrences with container, file and
//! offset) and SPDX 2.3 JSON. Serial numbers are name-based (UUID v5 of the image's SHA-256),
//! so the same image gives the same bytes.

use serde_json::{Value, json};

use super::{ComponentWire, FirmwareReport};

fn technique(method: &str) -> &'static str {
    match method {
        "package-db" | "elf-note" => "manifest-analysis",
        "file-name" | "path" => "filename",
        _ => "binary-analysis",
    }
}

fn kind(c: &ComponentWire) -> &'static str {
    match c.cpe.as_deref() {
        Some(cpe) if cpe.starts_with("cpe:2.3:o:") => "operating-system",
        _ => "library",
    }
}

fn serial(r: &FirmwareReport) -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("levee-firmware:{}", r.image.sha256).as_bytes(),
    )
}

fn bom_ref(i: usize, c: &ComponentWire) -> String {
    format!("component-{}-{}-{}", i + 1, c.name, c.version)
}

fn evidence(c: &ComponentWire) -> Value {
    let methods: Vec<Value> = c
        .evidence
        .iter()
        .filter(|e| e.version.as_deref() == Some(c.version.as_str()))
        .take(8)
        .map(|e| json!({"technique": technique(&e.method), "confidence": e.confidence as f64 / 100.0, "value": e.text}))
        .collect();
    let occurrences: Vec<Value> = c
        .evidence
        .iter()
        .take(32)
        .map(|e| {
            json!({
                "location": format!("{} > {}", e.container, e.file),
                "offset": e.offset,
                "additionalContext": format!("{} (confidence {}): {}", e.method, e.confidence, e.text),
            })
        })
        .collect();
    let mut identity = vec![json!({
        "field": "name",
        "confidence": c.confidence as f64 / 100.0,
        "concludedValue": c.name,
    })];
    if !methods.is_empty() {
        identity.push(json!({
            "field": "version",
            "confidence": c.confidence as f64 / 100.0,
            "concludedValue": c.version,
            "methods": methods,
        }));
    }
    json!({"identity": identity, "occurrences": occurrences})
}

/// The CycloneDX 1.6 JSON SBOM; `timestamp` is RFC 3339 (from the caller's date rule).
pub fn cyclonedx(r: &FirmwareReport, timestamp: &str, tool_version: &str) -> String {
    let components: Vec<Value> = r
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut v = json!({
                "type": kind(c),
                "bom-ref": bom_ref(i, c),
                "name": c.name,
                "version": c.version,
            });
            if let Some(s) = &c.supplier {
                v["supplier"] = json!({"name": s});
            }
            if let Some(p) = &c.purl {
                v["purl"] = json!(p);
            }
            if let Some(p) = &c.cpe {
                v["cpe"] = json!(p);
            }
            let mut props = vec![json!({"name": "levee:confidence", "value": c.confidence.to_string()})];
            if let Some(rev) = &c.distro_revision {
                props.push(json!({"name": "levee:distro-revision", "value": rev}));
            }
            if let Some(p) = &c.package {
                props.push(json!({"name": "levee:package", "value": p}));
            }
            v["properties"] = json!(props);
            v["evidence"] = evidence(c);
            v
        })
        .collect();
    let refs: Vec<String> = r
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| bom_ref(i, c))
        .collect();
    let mut image = json!({
        "type": "firmware",
        "bom-ref": "image",
        "name": r.image.name,
        "hashes": [{"alg": "SHA-256", "content": r.image.sha256}],
    });
    if r.partial {
        image["properties"] = json!([{"name": "levee:partial", "value": "true"}]);
    }
    let doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", serial(r)),
        "version": 1,
        "metadata": {
            "timestamp": timestamp,
            "tools": {"components": [{"type": "application", "name": "levee", "version": tool_version}]},
            "component": image,
        },
        "components": components,
        "dependencies": [{"ref": "image", "dependsOn": refs}],
    });
    crate::to_json(&doc)
}

fn spdx_id(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The SPDX 2.3 JSON document.
pub fn spdx(r: &FirmwareReport, timestamp: &str, tool_version: &str) -> String {
    let mut packages = vec![json!({
        "name": r.image.name,
        "SPDXID": "SPDXRef-Package-image",
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "checksums": [{"algorithm": "SHA256", "checksumValue": r.image.sha256}],
        "primaryPackagePurpose": "FIRMWARE",
    })];
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": "SPDXRef-Package-image",
    })];
    for (i, c) in r.components.iter().enumerate() {
        let id = format!("SPDXRef-Package-{}-{}", i + 1, spdx_id(&c.name));
        let mut refs = Vec::new();
        if let Some(p) = &c.purl {
            refs.push(json!({"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": p}));
        }
        if let Some(p) = &c.cpe {
            refs.push(
                json!({"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": p}),
            );
        }
        let first = c.evidence.first().map_or(String::new(), |e| {
            format!(
                "{} (confidence {}) in {} > {} at offset {}: {}",
                e.method, e.confidence, e.container, e.file, e.offset, e.text
            )
        });
        packages.push(json!({
            "name": c.name,
            "SPDXID": id,
            "versionInfo": c.version,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "supplier": c.supplier.as_ref().map_or("NOASSERTION".to_owned(), |s| format!("Organization: {s}")),
            "externalRefs": refs,
            "comment": format!("Detected by levee firmware scan: {first}"),
        }));
        relationships.push(json!({
            "spdxElementId": "SPDXRef-Package-image",
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": id,
        }));
    }
    let doc = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": format!("firmware {}", r.image.name),
        "documentNamespace": format!("https://spdx.invalid/levee/firmware/{}", serial(r)),
        "creationInfo": {"created": timestamp, "creators": [format!("Tool: levee-{tool_version}")]},
        "packages": packages,
        "relationships": relationships,
    });
    crate::to_json(&doc)
}
