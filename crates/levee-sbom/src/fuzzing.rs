//! Entry points for the fuzz targets in `fuzz/` and for the test that replays their corpora.
//!
//! Each function must never panic on any input; the purl and CPE function also asserts that the
//! canonical string reads back to the same value.

use crate::cpe::Cpe;
use crate::purl::Purl;

/// Reads arbitrary bytes as an SBOM through every reader.
pub fn sbom(data: &[u8]) {
    let _ = crate::read_sbom(data, None);
    let _ = crate::read_sbom(data, Some("x.spdx"));
    let _ = crate::read_cyclonedx_xml(data);
    let _ = crate::read_spdx_tag_value(data);
}

/// Parses arbitrary text as a purl and as a CPE; what parses must round-trip.
///
/// # Panics
///
/// When a canonical string does not read back to the value it was written from.
pub fn purl_cpe(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A strict reading round-trips strictly; a lenient one (which may keep what the spec forbids,
    // such as a Go purl without a namespace) round-trips through lenient reading.
    let strict: fn(&str) -> Result<Purl, _> = Purl::parse;
    let lenient: fn(&str) -> Result<Purl, _> = Purl::parse_lenient;
    for (p, read) in [(Purl::parse(text), strict), (Purl::parse_lenient(text), lenient)] {
        let Ok(p) = p else { continue };
        {
            let s = p.to_string();
            let back = read(&s);
            assert_eq!(
                back.as_ref(),
                Ok(&p),
                "purl {text:?} -> {s:?} does not round-trip"
            );
            assert_eq!(back.map(|b| b.to_string()).as_deref(), Ok(s.as_str()));
        }
    }
    if let Ok(c) = Cpe::parse(text) {
        let s = c.to_string();
        let back = Cpe::parse(&s);
        assert_eq!(back.as_ref(), Ok(&c), "CPE {text:?} -> {s:?} does not round-trip");
    }
}
