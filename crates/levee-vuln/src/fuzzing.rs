//! Entry points shared by the fuzz targets `vex` and `range` (`fuzz/fuzz_targets/`) and the corpus
//! replay tests: the VEX readers and range evaluation on arbitrary input must never panic.

use levee_advisory::{Bound, OsvRange, RangeEvent, RangeKind, VersionBounds, VersionSpec};
use levee_version::Scheme;

use crate::range::{Prepared, VersionCache, evaluate_any_cached};
use crate::vex;

/// Reads the input as CycloneDX, OpenVEX and CSAF VEX (whichever it looks like), and its
/// statements' vulnerability ids and product references back out.
pub fn vex(data: &[u8]) {
    if let Ok(statements) = vex::read_vex(data, "fuzz.json") {
        for s in &statements {
            let _ = (s.vulnerability.len(), s.products.len(), s.status.as_str());
            for p in &s.products {
                if let Some(v) = &p.versions {
                    let _ = v.evaluate("1.0");
                }
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        // The same bytes as an SBOM with embedded vulnerabilities.
        if let Ok(sbom) = levee_sbom::read_sbom(text.as_bytes(), Some("fuzz.json")) {
            let purl_of = |r: &str| sbom.component(r).and_then(|c| c.effective_purl());
            let _ = vex::read_cyclonedx_statements(&sbom.vulnerabilities, &purl_of, "fuzz");
        }
    }
}

/// Range evaluation × versions. The first byte picks the versioning scheme and the second the kind
/// of constraint; the rest is lines: the first line (or several, `;`-separated) make the
/// constraint, every further line is a version evaluated against it, alone and with the others.
pub fn range(data: &[u8]) {
    let [scheme_byte, kind_byte, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let scheme = Scheme::ALL[usize::from(*scheme_byte) % Scheme::ALL.len()];
    let mut lines = text.lines();
    let head = lines.next().unwrap_or("");
    let parts: Vec<String> = head.split(';').map(str::to_owned).collect();
    let first = parts.first().cloned().unwrap_or_default();
    let spec = match kind_byte % 8 {
        0 => VersionSpec::FreeText(first),
        1 => VersionSpec::Exact(first),
        2 => VersionSpec::Vers(first),
        3 => VersionSpec::Versions(parts),
        4 => VersionSpec::NotIn {
            patched: parts,
            unaffected: Vec::new(),
        },
        5 => VersionSpec::Bounds(VersionBounds {
            start: Some(Bound {
                version: first,
                inclusive: true,
            }),
            end: parts.get(1).map(|v| Bound {
                version: v.clone(),
                inclusive: false,
            }),
        }),
        6 => VersionSpec::Osv(OsvRange {
            kind: if kind_byte & 0x80 == 0 {
                RangeKind::Ecosystem
            } else {
                RangeKind::Semver
            },
            repo: None,
            events: parts
                .iter()
                .enumerate()
                .map(|(i, v)| match i % 3 {
                    0 => RangeEvent::Introduced(v.clone()),
                    1 => RangeEvent::Fixed(v.clone()),
                    _ => RangeEvent::LastAffected(v.clone()),
                })
                .collect(),
        }),
        _ => VersionSpec::All,
    };
    let prepared = Prepared::new(&spec, scheme);
    let _ = (
        prepared.is_readable(),
        prepared.boundary_versions(),
        prepared.is_all(),
    );
    let all = [prepared];
    for version in lines.take(64) {
        let _ = all[0].evaluate(version);
        let _ = evaluate_any_cached(&all, &mut VersionCache::new(version));
    }
}
