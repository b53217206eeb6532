//! Entry points shared by the fuzz target `vex` (`fuzz/fuzz_targets/vex.rs`) and the corpus replay
//! test: the VEX readers on arbitrary bytes must never panic.

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
