//! The per-scan open (`AdvisoryData::open_for_sbom`, which decodes only the advisories an SBOM can
//! match) gives exactly the findings of the whole snapshot, on real data: a store of the CISA ICS
//! advisories of 2023, the Go vulnerability database and KEV, and an SBOM of products those
//! advisories name (as the benchmark's generator writes them) plus Go modules by purl.

use levee_engine::{AdvisoryData, DataRequest, SbomScan, ScanOptions};
use levee_vuln::VulnFinding;

fn findings(data: &AdvisoryData, scan: &SbomScan) -> Vec<VulnFinding> {
    scan.collect(&data.index()).0.findings
}

#[test]
fn per_scan_open_finds_what_the_whole_snapshot_finds() {
    let Some(shared) = levee_testutil::shared_data("cisa-csaf/csaf_files/OT/white/2023") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("db");
    levee_vulndb::import(
        &[
            shared.join("cisa-csaf/csaf_files/OT/white/2023"),
            shared.join("osv-go-vulndb/osv"),
            shared.join("kev"),
        ],
        &db,
        &levee_vulndb::ImportOptions::default(),
        &levee_vulndb::NoProgress,
    )
    .expect("import");
    let request = DataRequest {
        db: Some(db),
        ..DataRequest::default()
    };
    let whole = AdvisoryData::open(&request).expect("open");

    // Every fifth advisory's products with a version they name, and every tenth Go module.
    let mut components = Vec::new();
    for (i, a) in whole.snapshot.advisories.iter().enumerate() {
        let p = a.affected.first().map(|ap| &ap.product);
        match (a.source, p) {
            (levee_advisory::Source::Csaf, Some(p)) if i % 5 == 0 => {
                let version = p.versions.iter().find_map(|v| match v {
                    levee_advisory::VersionSpec::Exact(v) => Some(v.clone()),
                    _ => None,
                });
                if let (Some(vendor), Some(name), Some(version)) = (&p.vendor, &p.name, version) {
                    components.push(serde_json::json!({"type": "firmware", "name": name,
                        "version": version, "supplier": {"name": vendor}}));
                }
            }
            (levee_advisory::Source::Osv, Some(p)) if i % 10 == 0 => {
                if let Some(name) = &p.name {
                    components.push(serde_json::json!({"type": "library", "name": name,
                        "version": "0.0.1", "purl": format!("pkg:golang/{name}@0.0.1")}));
                }
            }
            _ => {}
        }
    }
    assert!(components.len() > 100, "{} components", components.len());
    let sbom = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components});
    let scan = SbomScan::from_bytes(
        sbom.to_string().as_bytes(),
        "generated.cdx.json",
        Vec::new(),
        &ScanOptions::default(),
    )
    .expect("sbom");

    let part = AdvisoryData::open_for_sbom(&request, &scan.sbom).expect("open for the SBOM");
    assert_eq!(part.snapshot.id, whole.snapshot.id);
    assert!(part.graph.is_some());
    assert!(
        part.snapshot.advisories.len() < whole.snapshot.advisories.len(),
        "{} of {} advisories decoded",
        part.snapshot.advisories.len(),
        whole.snapshot.advisories.len()
    );
    let expected = findings(&whole, &scan);
    assert!(expected.len() > 100, "{} findings", expected.len());
    assert!(expected.iter().any(|f| !f.aliases.is_empty()));
    assert_eq!(findings(&part, &scan), expected);

    // An SBOM that names nothing the data knows decodes only KEV.
    let none = SbomScan::from_bytes(
        br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
          {"type": "library", "name": "nothing", "version": "1.0", "supplier": {"name": "Nobody Ltd"}}]}"#,
        "none.cdx.json",
        Vec::new(),
        &ScanOptions::default(),
    )
    .expect("sbom");
    let empty = AdvisoryData::open_for_sbom(&request, &none.sbom).expect("open");
    assert!(
        empty
            .snapshot
            .advisories
            .iter()
            .all(|a| a.source == levee_advisory::Source::Kev
                || a.affected.iter().any(|ap| ap
                    .product
                    .vendor
                    .as_deref()
                    .is_some_and(levee_vuln::vendor::is_placeholder))),
        "only KEV and placeholder-vendor advisories are decoded for an SBOM nothing matches"
    );
    assert!(findings(&empty, &none).is_empty());
}
