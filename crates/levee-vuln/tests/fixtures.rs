//! A small advisory snapshot and SBOM shared by the scan tests of `levee-vuln` and `levee-report`
//! (both include this file).

use levee_advisory::csaf;
use levee_sbom::{Component, Sbom, SbomFormat};
use levee_vuln::Snapshot;

/// A snapshot with one CSAF advisory about an ICS product and one OSV record about a Go package.
pub fn snapshot() -> Snapshot {
    let csaf_doc = br#"{
      "document": {"category": "csaf_security_advisory", "csaf_version": "2.0", "title": "ACME PLC",
        "publisher": {"category": "vendor", "name": "ACME", "namespace": "https://acme.example"},
        "tracking": {"id": "ACME-2024-1", "current_release_date": "2024-01-01T00:00:00Z",
          "initial_release_date": "2024-01-01T00:00:00Z", "status": "final", "version": "1",
          "revision_history": [{"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "First"}]}},
      "product_tree": {"branches": [{"category": "vendor", "name": "ACME Automation GmbH", "branches": [
        {"category": "product_name", "name": "PLC 5 Firmware", "branches": [
          {"category": "product_version_range", "name": "< V3.1",
           "product": {"name": "ACME PLC 5 < V3.1", "product_id": "P1"}},
          {"category": "product_version", "name": "V3.1",
           "product": {"name": "ACME PLC 5 V3.1", "product_id": "P2"}},
          {"category": "product_version_range", "name": "< January 31 2014 (with option X)",
           "product": {"name": "ACME PLC 5 old", "product_id": "P3"}}]}]}]},
      "vulnerabilities": [
        {"cve": "CVE-2024-0001", "title": "Overflow",
         "product_status": {"known_affected": ["P1"], "fixed": ["P2"]},
         "scores": [{"products": ["P1"], "cvss_v3": {"version": "3.1",
           "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 9.8, "baseSeverity": "CRITICAL"}}],
         "remediations": [{"category": "vendor_fix", "details": "Update to V3.1", "product_ids": ["P1"]}]},
        {"cve": "CVE-2024-0002", "product_status": {"known_affected": ["P3"]}}]
    }"#;
    let doc = csaf::parse(csaf_doc).expect("csaf");
    let mut advisories = csaf::to_advisories(&doc);
    let osv = br#"{"id": "GO-2021-0113", "modified": "2023-01-01T00:00:00Z",
      "aliases": ["CVE-2021-38561", "GHSA-ppp9-7jff-5vj2"],
      "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/text"},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.7"}]}]}]}"#;
    let rec = levee_advisory::osv::parse_json(osv).expect("osv");
    advisories.push(levee_advisory::osv::to_advisory(&rec));
    let mut s = Snapshot {
        id: "sha256:test".into(),
        advisories,
        ..Snapshot::default()
    };
    s.kev.insert(
        "CVE-2024-0001".into(),
        levee_vuln::KevInfo {
            date_added: "2024-02-01".into(),
            due_date: "2024-02-22".into(),
            ransomware: true,
            vendor_project: "ACME".into(),
            product: "PLC 5".into(),
        },
    );
    s.canonicalise();
    s
}

/// An SBOM with the PLC firmware in a version, the Go package and a component without a vendor.
pub fn sbom(plc_version: &str) -> Sbom {
    let mut s = Sbom::new(SbomFormat::CycloneDxJson, "1.6");
    s.serial_number = Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".into());
    let mut plc = Component::new("plc", "PLC 5");
    plc.supplier = Some("Acme Automation".into());
    plc.version = Some(plc_version.into());
    plc.update_scan_status();
    let mut go = Component::new("text", "text");
    go.set_purl("pkg:golang/golang.org/x/text@v0.3.6");
    go.update_scan_status();
    let mut bare = Component::new("bare", "PLC 5");
    bare.version = Some("V3.0".into());
    bare.update_scan_status();
    s.components = vec![plc, go, bare];
    s
}
