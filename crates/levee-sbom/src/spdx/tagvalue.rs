//! SPDX 2.x tag-value: `Tag: value` lines, `<text>…</text>` values over several lines, `#`
//! comments. Errors carry the line number.

use super::{RawPackage, finish};
use crate::ReadOptions;
use crate::error::{ErrorKind, Location, SbomError};
use crate::model::{Hash, Sbom, SbomFormat};

/// Whether the bytes look like tag-value (an `SPDXVersion:` tag near the start).
pub(crate) fn looks_like(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    String::from_utf8_lossy(head)
        .lines()
        .any(|l| l.trim_start().starts_with("SPDXVersion:"))
}

fn at(line: usize, column: usize) -> Location {
    Location::LineColumn { line, column }
}

/// Splits the text into (line, tag, value) triples.
fn tags(text: &str) -> Result<Vec<(usize, String, String)>, SbomError> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, raw)) = lines.next() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            return Err(SbomError::new(
                ErrorKind::Syntax,
                at(i + 1, 1),
                format!("expected `Tag: value`, found `{line}`"),
            ));
        };
        let tag = tag.trim();
        if tag.is_empty()
            || !tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(SbomError::new(
                ErrorKind::Syntax,
                at(i + 1, 1),
                format!("invalid tag `{tag}`"),
            ));
        }
        let mut value = value.trim().to_owned();
        if let Some(rest) = value.strip_prefix("<text>") {
            // Each line is searched once for the end tag (never the value read so far), so a long
            // value costs linear time.
            value = match rest.find("</text>") {
                Some(end) => rest.get(..end).unwrap_or_default().to_owned(),
                None => {
                    let mut acc = rest.to_owned();
                    loop {
                        let Some((_, more)) = lines.next() else {
                            return Err(SbomError::new(
                                ErrorKind::Syntax,
                                at(i + 1, raw.find("<text>").map_or(1, |c| c + 1)),
                                format!("<text> of tag {tag} is never closed"),
                            ));
                        };
                        acc.push('\n');
                        if let Some(end) = more.find("</text>") {
                            acc.push_str(more.get(..end).unwrap_or_default());
                            break acc;
                        }
                        acc.push_str(more);
                    }
                }
            };
        }
        out.push((i + 1, tag.to_owned(), value));
    }
    Ok(out)
}

/// Reads a tag-value document.
pub(crate) fn read(bytes: &[u8], options: ReadOptions) -> Result<Sbom, SbomError> {
    let mut soft = super::json::Soft::new(options);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        SbomError::new(
            ErrorKind::Encoding,
            Location::at_offset(bytes, e.valid_up_to()),
            "the document is not UTF-8",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let tags = tags(text)?;
    let Some((_, _, version)) = tags.iter().find(|(_, t, _)| t == "SPDXVersion") else {
        return Err(SbomError::new(
            ErrorKind::UnknownFormat,
            at(1, 1),
            "no SPDXVersion tag, so not SPDX tag-value; it is plain text (raw scanner output is not an \
             SBOM: ask the scanner for CycloneDX or SPDX)",
        ));
    };
    if !version.starts_with("SPDX-2.") && !version.starts_with("SPDX-1.") {
        let line = tags
            .iter()
            .find(|(_, t, _)| t == "SPDXVersion")
            .map_or(1, |x| x.0);
        return Err(SbomError::new(
            ErrorKind::UnsupportedVersion,
            at(line, 1),
            format!("SPDX version `{version}` is not supported by the tag-value reader"),
        ));
    }
    let mut sbom = Sbom::new(SbomFormat::SpdxTagValue, version.clone());
    let mut packages: Vec<RawPackage> = Vec::new();
    let mut in_package = false;
    let mut rels = Vec::new();
    let mut described = Vec::new();
    for (line, tag, value) in &tags {
        let (line, v) = (*line, value.as_str());
        match tag.as_str() {
            "DocumentName" => sbom.name = Some(v.to_owned()),
            "DocumentNamespace" => sbom.serial_number = Some(v.to_owned()),
            "Created" => sbom.timestamp = Some(v.to_owned()),
            "Creator" => {
                if let Some(t) = v.strip_prefix("Tool:") {
                    sbom.tools.push(t.trim().to_owned());
                }
            }
            "PackageName" => {
                packages.push(RawPackage {
                    name: Some(v.to_owned()),
                    location: Some(at(line, 1)),
                    ..RawPackage::default()
                });
                in_package = true;
            }
            "FileName" | "SnippetSPDXID" | "LicenseID" => in_package = false,
            "Relationship" => {
                let parts: Vec<&str> = v.split_whitespace().collect();
                let [a, t, b] = parts[..] else {
                    soft.take(Err::<(), _>(SbomError::new(
                        ErrorKind::Syntax,
                        at(line, 1),
                        format!("a relationship is `A TYPE B`, found `{v}`"),
                    )))?;
                    continue;
                };
                if t == "DESCRIBES" {
                    described.push(b.to_owned());
                }
                rels.push((a.to_owned(), t.to_owned(), b.to_owned()));
            }
            _ if in_package => {
                let Some(p) = packages.last_mut() else { continue };
                match tag.as_str() {
                    "SPDXID" => p.spdx_id = Some(v.to_owned()),
                    "PackageVersion" => p.version = Some(v.to_owned()),
                    "PackageSupplier" => p.supplier = Some(v.to_owned()),
                    "PackageOriginator" => p.originator = Some(v.to_owned()),
                    "PrimaryPackagePurpose" => p.purpose = Some(v.to_owned()),
                    "PackageLicenseConcluded" | "PackageLicenseDeclared" => p.license(v),
                    "PackageChecksum" => {
                        let Some((alg, value)) = v.split_once(':') else {
                            soft.take(Err::<(), _>(SbomError::new(
                                ErrorKind::Syntax,
                                at(line, 1),
                                format!("a checksum is `ALG: value`, found `{v}`"),
                            )))?;
                            continue;
                        };
                        p.checksums.push(Hash {
                            alg: alg.trim().to_owned(),
                            value: value.trim().to_ascii_lowercase(),
                        });
                    }
                    "ExternalRef" => {
                        let parts: Vec<&str> = v.split_whitespace().collect();
                        let [cat, ty, loc, ..] = parts[..] else {
                            soft.take(Err::<(), _>(SbomError::new(
                                ErrorKind::Syntax,
                                at(line, 1),
                                format!("an external reference is `CATEGORY TYPE LOCATOR`, found `{v}`"),
                            )))?;
                            continue;
                        };
                        p.external_ref(cat, ty, loc);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    finish(&mut sbom, packages, &rels, &described);
    soft.finish(&mut sbom);
    Ok(sbom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_and_located_errors() {
        let doc = "SPDXVersion: SPDX-2.3\nDocumentName: d\n\nPackageName: busybox\nSPDXID: SPDXRef-bb\n\
                   PackageVersion: 1.36.1\nPackageSupplier: Organization: BusyBox\n\
                   ExternalRef: PACKAGE-MANAGER purl pkg:generic/busybox@1.36.1\n\
                   PackageChecksum: SHA1: 85ED0817AF83A24AD8DA68C2B5094DE69833983C\n\
                   PackageDescription: <text>multi\nline</text>\n";
        let s = read(doc.as_bytes(), ReadOptions::strict()).unwrap();
        assert_eq!(s.components.len(), 1);
        let c = &s.components[0];
        assert_eq!(c.bom_ref, "SPDXRef-bb");
        assert_eq!(c.supplier.as_deref(), Some("BusyBox"));
        assert_eq!(
            c.purl.as_ref().map(ToString::to_string).as_deref(),
            Some("pkg:generic/busybox@1.36.1")
        );
        assert_eq!(c.hashes[0].value, "85ed0817af83a24ad8da68c2b5094de69833983c");

        let e = read(
            b"SPDXVersion: SPDX-2.3\nPackageName: x\nthis line is bad\n",
            ReadOptions::strict(),
        )
        .unwrap_err();
        assert_eq!(e.location, Location::LineColumn { line: 3, column: 1 });
        let e = read(
            b"SPDXVersion: SPDX-2.3\nPackageComment: <text>never closed\n",
            ReadOptions::strict(),
        )
        .unwrap_err();
        assert_eq!(e.location, Location::LineColumn { line: 2, column: 17 });
    }
}
