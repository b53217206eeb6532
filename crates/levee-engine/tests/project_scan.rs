//! `assess` scans every SBOM exactly as `scan sbom` does: VEX embedded in the SBOM or given as a
//! file changes the finding in both, every broken SBOM is reported, and the data is named.

use std::path::PathBuf;

use levee_core::{FindingState, Subject};
use levee_engine::{
    AssessError, AssessRequest, DataRequest, DataSupply, ErrorKind, SbomScan, ScanOptions, assess_project,
};
use levee_vuln::State;
use serde_json::{Value, json};

use crate::support::{PLC_SBOM, example, example_copy};

const CVE: &str = "CVE-2024-46886";

fn catalog() -> levee_catalog::Catalog {
    levee_catalog::Catalog::bundled().expect("catalog")
}

fn bundled() -> DataRequest {
    // A data directory without a store: the bundled subset.
    DataRequest {
        data_dir: Some(PathBuf::from("/nonexistent-levee-data-dir")),
        ..DataRequest::default()
    }
}

/// The example's PLC SBOM with `CVE-2024-46886` stated `not_affected` for the firmware.
fn with_embedded_vex(dir: &std::path::Path) {
    let path = dir.join(PLC_SBOM);
    let mut sbom: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    sbom["vulnerabilities"] = json!([{
        "id": CVE,
        "source": {"name": "Siemens ProductCERT"},
        "affects": [{"ref": "fw-s7-1500"}],
        "analysis": {"state": "not_affected", "justification": "code_not_reachable",
                     "detail": "the web server is disabled in this configuration"}
    }]);
    std::fs::write(&path, serde_json::to_vec_pretty(&sbom).expect("json")).expect("write");
}

fn assess(dir: &std::path::Path, vex: Vec<PathBuf>) -> levee_engine::ProjectAssessment {
    let request = AssessRequest {
        dir: dir.to_path_buf(),
        vex,
        ..AssessRequest::default()
    };
    assess_project(&request, &catalog(), DataSupply::Open(&bundled())).unwrap_or_else(|e| panic!("{e:?}"))
}

fn state_in_assessment(done: &levee_engine::ProjectAssessment) -> FindingState {
    let f = done
        .findings
        .iter()
        .find(|f| f.title.contains(CVE) || f.id.contains(CVE))
        .unwrap_or_else(|| panic!("{CVE} is a finding of the PLC: {:?}", done.findings));
    assert_eq!(
        f.subject,
        Subject::Asset(levee_core::AssetId::new("plc-chem-dosing"))
    );
    f.state
}

fn control_zone_active(done: &levee_engine::ProjectAssessment) -> usize {
    let zone = levee_core::ZoneId::new("control");
    done.assessment.findings.zones[&zone].active.total()
}

#[test]
fn assess_without_vex_counts_the_cve_against_zone_control() {
    let done = assess(&example(), Vec::new());
    assert!(state_in_assessment(&done).is_active());
    assert_eq!(control_zone_active(&done), 2, "CVE-2024-46886 and CVE-2024-46887");
    let data = done.data.as_ref().expect("the data is named");
    assert!(data.partial && data.source == "bundled");
    assert!(
        data.notice
            .as_deref()
            .is_some_and(|n| n.contains("levee db update"))
    );
    assert_eq!(done.report.findings.data.as_ref(), Some(data));
}

#[test]
fn embedded_not_affected_is_applied_by_scan_and_by_assess() {
    let (_tmp, dir) = example_copy();
    with_embedded_vex(&dir);
    let data = levee_engine::AdvisoryData::open(&bundled()).expect("data");
    let index = data.index();
    let scan = SbomScan::load(&dir.join(PLC_SBOM), &ScanOptions::default()).expect("scan");
    let (result, _) = scan.collect(&index);
    let f = result
        .findings
        .iter()
        .find(|f| f.vulnerability == CVE)
        .expect("finding");
    assert_eq!(f.state, State::NotAffected);
    assert!(f.vex.as_ref().is_some_and(|v| v.source.ends_with("(embedded)")));

    let done = assess(&dir, Vec::new());
    assert_eq!(state_in_assessment(&done), FindingState::NotAffected);
    assert_eq!(control_zone_active(&done), 1, "only CVE-2024-46887 stays active");
}

#[test]
fn a_vex_file_given_to_assess_works_the_same_way() {
    let tmp = tempfile::tempdir().expect("tmp");
    let vex = tmp.path().join("triage.openvex.json");
    let doc = json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.invalid/vex/1",
        "author": "Water utility OT team",
        "timestamp": "2026-11-01T00:00:00Z",
        "version": 1,
        "statements": [{
            "vulnerability": {"name": CVE},
            "products": [{"@id": "cpe:2.3:o:siemens:simatic_s7-1500_cpu_1516-3_pn\\/dp_firmware:2.9.4:*:*:*:*:*:*:*"}],
            "status": "not_affected",
            "justification": "vulnerable_code_not_in_execute_path"
        }]
    });
    std::fs::write(&vex, serde_json::to_vec(&doc).expect("json")).expect("write");
    let done = assess(&example(), vec![vex.clone()]);
    assert_eq!(state_in_assessment(&done), FindingState::NotAffected);
    assert_eq!(control_zone_active(&done), 1);

    let data = levee_engine::AdvisoryData::open(&bundled()).expect("data");
    let options = ScanOptions {
        vex: vec![vex],
        ..ScanOptions::default()
    };
    let scan = SbomScan::load(&example().join(PLC_SBOM), &options).expect("scan");
    let (result, _) = scan.collect(&data.index());
    let f = result
        .findings
        .iter()
        .find(|f| f.vulnerability == CVE)
        .expect("finding");
    assert_eq!(f.state, State::NotAffected);
}

#[test]
fn scan_and_assess_give_the_same_findings_for_the_same_sbom() {
    let data = levee_engine::AdvisoryData::open(&bundled()).expect("data");
    let scan = SbomScan::load(&example().join(PLC_SBOM), &ScanOptions::default()).expect("scan");
    let (alone, _) = scan.collect(&data.index());
    let done = assess_project(
        &AssessRequest {
            dir: example(),
            ..AssessRequest::default()
        },
        &catalog(),
        DataSupply::Ready(&data),
    )
    .expect("assess");
    let in_project = &done.scans[0].result;
    let key = |r: &levee_vuln::ScanResult| -> Vec<(String, String, &'static str, &'static str)> {
        r.findings
            .iter()
            .map(|f| {
                (
                    f.component.bom_ref.clone(),
                    f.vulnerability.clone(),
                    f.state.as_str(),
                    f.confidence.as_str(),
                )
            })
            .collect()
    };
    assert!(!alone.findings.is_empty());
    assert_eq!(key(&alone), key(in_project));
    assert_eq!(done.findings.len(), alone.findings.len());
    // The asset's zone (`control`: given SL-T, exposed through the SCADA conduit or not) shows in
    // the priority of every finding, as the one exposure rule says.
    let exposure = levee_core::exposure(&done.project);
    let asset = levee_core::AssetId::new("plc-chem-dosing");
    let ctx = levee_vuln::project::context_for_asset(&done.project, &exposure, &asset);
    for f in &in_project.findings {
        let has = |name: &str| f.priority.factors.iter().any(|x| x.name == name);
        assert_eq!(has("zone-sl-t"), ctx.zone_sl_t_max.is_some());
        assert_eq!(has("exposure"), ctx.exposed);
    }
}

#[test]
fn every_unreadable_sbom_is_reported_at_once() {
    let (_tmp, dir) = example_copy();
    std::fs::write(dir.join(PLC_SBOM), b"{\"bomFormat\": ").expect("write");
    std::fs::write(dir.join("sbom/pumps.spdx"), b"not an SBOM at all").expect("write");
    let assets = std::fs::read_to_string(dir.join("assets.toml")).expect("read");
    let assets = assets.replacen(
        "id = \"plc-pumps\"",
        "id = \"plc-pumps\"\nsbom = \"sbom/pumps.spdx\"",
        1,
    );
    std::fs::write(dir.join("assets.toml"), assets).expect("write");
    let err = assess_project(
        &AssessRequest {
            dir: dir.clone(),
            ..AssessRequest::default()
        },
        &catalog(),
        DataSupply::Open(&bundled()),
    )
    .expect_err("two broken SBOMs");
    let AssessError::Sboms(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].kind, ErrorKind::Invalid);
    assert!(
        errors[0].to_string().contains("plc-chem-dosing.cdx.json"),
        "{}",
        errors[0]
    );
    assert_eq!(errors[1].kind, ErrorKind::Invalid);
    assert!(errors[1].to_string().contains("pumps.spdx"), "{}", errors[1]);
    assert!(errors[1].hint.as_deref().is_some_and(|h| h.contains("plc-pumps")));
}

#[test]
fn an_explicit_store_that_does_not_exist_is_an_error_not_the_bundled_subset() {
    let tmp = tempfile::tempdir().expect("tmp");
    let err = levee_engine::AdvisoryData::open(&DataRequest {
        db: Some(tmp.path().join("no-such-store")),
        ..DataRequest::default()
    })
    .expect_err("no store");
    assert_eq!(err.kind, ErrorKind::Store);
    assert!(err.hint.as_deref().is_some_and(|h| h.contains("levee db import")));
}
