//! The CISA KEV catalog and the EPSS tables.

use std::fs;

use levee_advisory::{Parsed, detect_and_parse, epss, kev};

use crate::support::{data_dir, files};

#[test]
fn kev_catalog() {
    let Some(dir) = data_dir("kev/known_exploited_vulnerabilities.json") else {
        return;
    };
    let bytes = fs::read(dir.join("kev/known_exploited_vulnerabilities.json")).expect("read");
    let catalog = kev::parse(&bytes).expect("kev");
    assert_eq!(catalog.catalog_version, "2025.08.25");
    assert_eq!(catalog.vulnerabilities.len(), 1404);
    let advisories = kev::to_advisories(&catalog);
    assert!(
        advisories
            .iter()
            .all(|a| a.known_exploited.is_some() && a.cves.len() == 1)
    );
    let log4j = advisories
        .iter()
        .find(|a| a.id == "CVE-2021-44228")
        .expect("log4shell");
    assert_eq!(log4j.affected[0].product.vendor.as_deref(), Some("Apache"));
    assert!(matches!(
        detect_and_parse(&bytes, "known_exploited_vulnerabilities.json"),
        Ok(Parsed::Kev(_))
    ));
}

#[test]
fn epss_tables() {
    let Some(dir) = data_dir("epss") else { return };
    let mut rows = 0;
    for p in files(&dir.join("epss"), &|n| n.ends_with("_EPSS.csv")) {
        let t = epss::parse(&fs::read(&p).expect("read")).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        rows += t.scores.len();
    }
    assert_eq!(rows, 360_142);
}
