//! NVD CVE API 2.0 responses (hand-written fixtures in `tests/fixtures/nvd/`, true to the schema):
//! configurations keep AND/OR, and platform CPEs (`vulnerable: false`) never become products.

use std::fs;
use std::path::Path;

use levee_advisory::cvss::{CvssVersion, Severity};
use levee_advisory::{Advisory, Bound, Operator, Parsed, VersionSpec, detect_and_parse, nvd};

fn load(name: &str) -> Vec<Advisory> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/nvd")
        .join(name);
    nvd::parse(&fs::read(&path).expect("fixture")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn log4shell_ranges_scores_and_kev_data() {
    let a = &load("CVE-2021-44228.json")[0];
    assert_eq!(a.id, "CVE-2021-44228");
    assert_eq!(a.cwe, ["CWE-20", "CWE-400", "CWE-502", "CWE-917"]);
    assert!(
        a.description
            .as_deref()
            .is_some_and(|d| d.starts_with("Apache Log4j2"))
    );
    assert_eq!(
        a.known_exploited.as_ref().map(|k| k.date_added.as_str()),
        Some("2021-12-10")
    );
    let v31 = a
        .cvss
        .iter()
        .find(|s| s.version == CvssVersion::V3_1)
        .expect("v3.1");
    assert_eq!(
        (v31.base_score, v31.stated_score, v31.severity),
        (Some(10.0), Some(10.0), Some(Severity::Critical))
    );
    let v2 = a.cvss.iter().find(|s| s.version == CvssVersion::V2).expect("v2");
    assert_eq!(
        (v2.base_score, v2.stated_severity.as_deref()),
        (Some(9.3), Some("HIGH"))
    );
    assert!(a.cvss.iter().all(|s| !s.mismatch()));
    // Five vulnerable log4j matches plus the Siemens firmware; the hardware platform is not one.
    assert_eq!(a.affected.len(), 6);
    assert!(
        a.affected
            .iter()
            .all(|p| !p.product.cpe.as_deref().unwrap_or("").contains(":h:"))
    );
    let first = &a.affected[0];
    assert_eq!(
        (first.product.vendor.as_deref(), first.product.name.as_deref()),
        (Some("apache"), Some("log4j"))
    );
    assert_eq!(
        first.product.versions,
        [VersionSpec::Bounds(levee_advisory::VersionBounds {
            start: Some(Bound {
                version: "2.0.1".into(),
                inclusive: true
            }),
            end: Some(Bound {
                version: "2.3.1".into(),
                inclusive: false
            }),
        })]
    );
    assert_eq!(a.affected[3].product.versions, [VersionSpec::Exact("2.0".into())]);
    assert_eq!(
        a.fix_availability(first),
        levee_advisory::FixAvailability::FixAvailable
    );
    // The second configuration is an AND: firmware running on its hardware.
    assert_eq!(a.configurations.len(), 2);
    assert_eq!(a.configurations[0].operator, Operator::Or);
    let and = &a.configurations[1];
    assert_eq!(and.operator, Operator::And);
    assert!(and.nodes[1].matches.iter().all(|m| !m.vulnerable));
    assert_eq!(a.affected[5].configuration, Some(1));
    assert_eq!(
        a.affected[5].origin,
        "/vulnerabilities/0/cve/configurations/1/nodes/0/cpeMatch/0"
    );
}

#[test]
fn running_on_platforms_and_rejected_records() {
    let all = load("ics-running-on.json");
    assert_eq!(all.len(), 2);
    let a = &all[0];
    let v40 = a
        .cvss
        .iter()
        .find(|s| s.version == CvssVersion::V4_0)
        .expect("v4.0");
    assert_eq!(v40.base_score, Some(8.7));
    assert!(!v40.mismatch());
    assert_eq!(
        a.affected.len(),
        2,
        "only the vulnerable firmware and application"
    );
    assert_eq!(
        a.affected[0].product.name.as_deref(),
        Some("simatic_s7-1500_cpu_1518-4_pn/dp_firmware")
    );
    assert_eq!(a.configurations[1].nodes[1].matches.len(), 2, "Windows or Linux");
    assert!(all[1].withdrawn.is_some());
    let bytes =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nvd/ics-running-on.json"))
            .expect("read");
    let Ok(Parsed::Advisories { advisories, .. }) = detect_and_parse(&bytes, "page-1.json") else {
        panic!("not NVD")
    };
    assert_eq!(advisories[0].origin.file.as_deref(), Some("page-1.json"));
}

#[test]
fn broken_responses_are_located_errors() {
    let e = nvd::parse(br#"{"vulnerabilities":[{"cve":{"id":"CVE-2024-0001","configurations":[{"nodes":[{"operator":"OR","cpeMatch":[{"criteria":"cpe:2.3:a:x:y:*:*:*:*:*:*:*:*"}]}]}]}}]}"#)
        .map(|_| ())
        .expect_err("must fail");
    assert_eq!(
        e.location.pointer.as_deref(),
        Some("/vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0")
    );
    assert!(nvd::parse(b"{}").is_err());
}
