//! Entry points shared by the fuzz targets (`fuzz/fuzz_targets/*.rs`) and the corpus regression
//! test: each reads arbitrary bytes with every reader of its family and must never panic.

use crate::{alias, csaf, cvss, epss, kev, nvd, osv, rustsec};

/// CSAF: parse, validate, flatten, convert, and feed the alias graph.
pub fn csaf(data: &[u8]) {
    if let Ok(doc) = csaf::parse(data) {
        let _ = csaf::validate(&doc);
        let advisories = csaf::to_advisories(&doc);
        let mut g = alias::AliasGraph::new();
        for a in &advisories {
            g.add_advisory(a);
            for s in &a.cvss {
                let _ = cvss::parse(&s.vector, None);
            }
        }
        let _ = g.groups();
    }
    let _ = csaf::verify_sha512(data, std::str::from_utf8(data).unwrap_or(""));
    let _ = crate::detect_and_parse(data, "fuzz.json");
}

/// OSV (JSON and YAML) and RustSec.
pub fn osv(data: &[u8]) {
    for rec in [osv::parse_json(data), osv::parse_yaml(data)]
        .into_iter()
        .flatten()
    {
        let _ = osv::lint(&rec);
        let a = osv::to_advisory(&rec);
        let mut g = alias::AliasGraph::new();
        g.add_advisory(&a);
        let _ = g.groups();
    }
    let _ = rustsec::parse(data);
}

/// NVD CVE API 2.0.
pub fn nvd(data: &[u8]) {
    if let Ok(advisories) = nvd::parse(data) {
        for a in &advisories {
            let _ = a.max_base_score();
            for p in &a.affected {
                let _ = a.fix_availability(p);
            }
        }
    }
}

/// KEV, EPSS and bare CVSS vectors.
pub fn kev_epss(data: &[u8]) {
    if let Ok(c) = kev::parse(data) {
        let _ = kev::to_advisories(&c);
    }
    if let Ok(mut t) = epss::parse(data) {
        t.sort();
        let _ = t.get("CVE-2021-44228");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        for line in text.lines().take(64) {
            let _ = cvss::parse(line, None);
        }
    }
}
