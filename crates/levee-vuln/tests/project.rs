//! The water-treatment example: its PLC's SBOM scanned against the CISA ICS advisories, findings
//! about the asset with the zone's context in their priority.

use std::path::Path;

use levee_core::{AssetId, Subject};
use levee_vuln::project::{AssetSbom, context_for_asset, scan_project_sboms};
use levee_vuln::vendor::VendorAliases;
use levee_vuln::{Index, MatchOptions, Snapshot};

use crate::support::data_dir;

#[test]
fn example_project_plc_findings_carry_the_zone_context() {
    let Some(data) = data_dir("cisa-csaf/csaf_files/OT/white/2024") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/water-treatment");
    let catalog = levee_catalog::Catalog::bundled().expect("catalog");
    let (project, diags) = levee_model::load_dir(&root, &catalog);
    let project = project.unwrap_or_else(|| panic!("{diags:?}"));
    let asset = project
        .assets
        .iter()
        .find(|a| a.sbom.is_some())
        .expect("an asset with an SBOM");
    let sbom_path = root.join(asset.sbom.as_deref().unwrap_or_default());
    let bytes = std::fs::read(&sbom_path).expect("sbom");

    let mut advisories = Vec::new();
    for year in ["2023", "2024"] {
        let dir = data.join("cisa-csaf/csaf_files/OT/white").join(year);
        for e in std::fs::read_dir(dir).expect("dir").flatten() {
            if e.path().extension().is_some_and(|x| x == "json") {
                let doc = levee_advisory::csaf::parse(&std::fs::read(e.path()).expect("read")).expect("csaf");
                advisories.extend(levee_advisory::csaf::to_advisories(&doc));
            }
        }
    }
    let snapshot = Snapshot {
        id: "sha256:example".into(),
        advisories,
        ..Snapshot::default()
    };
    let aliases = VendorAliases::bundled().expect("aliases");
    let ix = Index::build(&snapshot, &aliases);
    let ctx = context_for_asset(&project, &asset.id);
    let scan = scan_project_sboms(
        &project,
        &[AssetSbom {
            asset: &asset.id,
            file: "plc.cdx.json",
            bytes: &bytes,
        }],
        &ix,
        &MatchOptions::default(),
    );
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    assert!(
        !scan.findings.is_empty(),
        "the S7-1500 firmware has known vulnerabilities"
    );
    assert!(
        scan.findings
            .iter()
            .all(|f| f.subject == Subject::Asset(asset.id.clone()))
    );
    let (_, result) = &scan.scans[0];
    for f in &result.findings {
        let has_zone = f.priority.factors.iter().any(|x| x.name == "zone-sl-t");
        assert_eq!(has_zone, ctx.zone_sl_t_max.is_some());
        let has_exposure = f.priority.factors.iter().any(|x| x.name == "exposure");
        assert_eq!(has_exposure, ctx.exposed);
    }

    // A broken SBOM is reported, not fatal.
    let other = AssetId::new("nowhere");
    let scan = scan_project_sboms(
        &project,
        &[AssetSbom {
            asset: &other,
            file: "broken.json",
            bytes: b"{\"bomFormat\": ",
        }],
        &ix,
        &MatchOptions::default(),
    );
    assert_eq!(scan.errors.len(), 1);
    assert_eq!(
        context_for_asset(&project, &other),
        levee_vuln::PriorityContext::default()
    );
}
