//! VEX: the readers on the CycloneDX, CSAF and OpenVEX examples, the writers validated (CycloneDX
//! against the official schema through `levee-sbom`, OpenVEX against its JSON schema, CSAF against
//! `levee-advisory`'s mandatory tests), application to findings and the carry-over rule.

use levee_advisory::csaf;
use levee_sbom::Sbom;
use levee_vuln::vendor::VendorAliases;
use levee_vuln::vex::{self, SbomId, VexStatus, WriteOptions};
use levee_vuln::{Index, MatchOptions, ScanResult, Snapshot, State, match_sbom};
use serde_json::Value;

use crate::support::data_dir;

pub use crate::fixtures::{sbom, snapshot};

fn scan(plc_version: &str) -> (Snapshot, VendorAliases, Sbom) {
    (
        snapshot(),
        VendorAliases::bundled().expect("aliases"),
        sbom(plc_version),
    )
}

fn find<'a>(r: &'a ScanResult, bom_ref: &str, vuln: &str) -> Option<&'a levee_vuln::VulnFinding> {
    r.findings
        .iter()
        .find(|f| f.component.bom_ref == bom_ref && f.vulnerability == vuln)
}

#[test]
fn matcher_states_tiers_and_identity_rules() {
    let (snap, aliases, sbom) = scan("V3.0");
    let ix = Index::build(&snap, &aliases);
    let r = match_sbom(&sbom, &ix, &MatchOptions::default());
    let f = find(&r, "plc", "CVE-2024-0001").expect("affected by vendor alias + product");
    assert_eq!(f.state, State::Affected);
    assert_eq!(f.confidence, levee_vuln::Tier::VendorProduct);
    assert_eq!(f.cvss.as_ref().map(|c| c.score), Some(9.8));
    assert!(f.kev.as_ref().is_some_and(|k| k.ransomware));
    assert_eq!(f.fix, levee_advisory::FixAvailability::FixAvailable);
    assert!(f.priority.factors.iter().any(|x| x.name == "kev"));
    assert_eq!(f.evidence[0].product_id.as_deref(), Some("P1"));
    assert_eq!(f.evidence[0].range.as_deref(), Some("< V3.1"));
    let review = find(&r, "plc", "CVE-2024-0002").expect("unparseable range");
    assert_eq!(review.state, State::NeedsReview);
    assert!(review.notes[0].contains("January"), "{:?}", review.notes);
    let go = find(&r, "text", "CVE-2021-38561").expect("purl/ecosystem match, canonical CVE");
    assert_eq!(go.confidence, levee_vuln::Tier::Exact);
    assert!(go.aliases.contains(&"GO-2021-0113".to_owned()));
    assert!(
        r.findings.iter().all(|f| f.component.bom_ref != "bare"),
        "no vendor: never matched by name"
    );
    assert!(r.components[2].reasons.iter().any(|x| x.starts_with("no-vendor")));

    // The fixed version is no active finding but keeps its evidence.
    let (snap, aliases, sbom) = scan("V3.1");
    let ix = Index::build(&snap, &aliases);
    let r = match_sbom(&sbom, &ix, &MatchOptions::default());
    assert_eq!(
        find(&r, "plc", "CVE-2024-0001").map(|f| f.state),
        Some(State::Fixed)
    );

    // Core findings: stable ids, severity from CVSS, confidence from the tier.
    let core = levee_vuln::to_findings(&r, levee_core::Subject::Asset(levee_core::AssetId::new("plc-1")));
    let again = levee_vuln::to_findings(&r, levee_core::Subject::Asset(levee_core::AssetId::new("plc-1")));
    assert_eq!(core, again);
    assert!(core.iter().all(|f| f.id.starts_with("vuln-") && f.fr.is_none()));
}

#[test]
fn cyclonedx_use_cases_read() {
    let Some(data) = data_dir("cyclonedx-bom-examples/VEX") else {
        return;
    };
    let dir = data.join("cyclonedx-bom-examples/VEX");
    let mut total = 0;
    for case in [
        "Use-Cases/Case-1",
        "Use-Cases/Case-5",
        "Use-Cases/Case-13",
        "CISA-Use-Cases/Case-3",
    ] {
        let bytes = std::fs::read(dir.join(case).join("vex.json")).expect("read");
        let st = vex::read_vex(&bytes, case).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert!(!st.is_empty(), "{case}");
        total += st.len();
    }
    let bytes = std::fs::read(dir.join("Use-Cases/Case-5/vex.json")).expect("read");
    let st = vex::read_vex(&bytes, "case-5").expect("case 5");
    assert_eq!(st.len(), 2);
    assert_eq!(st[0].status, VexStatus::Affected);
    assert_eq!(st[1].status, VexStatus::NotAffected);
    assert_eq!(
        st[1].justification,
        Some(levee_advisory::Justification::VulnerableCodeNotInExecutePath)
    );
    assert!(total >= 5);
}

#[test]
fn csaf_vex_examples_read() {
    let Some(data) = data_dir("oasis-csaf/csaf_2.0/examples/csaf/csaf_vex") else {
        return;
    };
    let dir = data.join("oasis-csaf/csaf_2.0/examples/csaf/csaf_vex");
    let mut statuses = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(&dir).expect("dir").flatten() {
        let bytes = std::fs::read(e.path()).expect("read");
        let name = e.file_name().to_string_lossy().into_owned();
        let st = vex::read_vex(&bytes, &name).unwrap_or_else(|err| panic!("{name}: {err}"));
        statuses.extend(st.iter().map(|s| s.status.as_str()));
    }
    assert_eq!(statuses.len(), 4, "{statuses:?}");
}

#[test]
fn openvex_fixture_reads_and_bad_documents_are_located() {
    let doc = br#"{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1",
      "author": "ACME PSIRT", "timestamp": "2024-01-01T00:00:00Z", "version": 1,
      "statements": [{"vulnerability": {"name": "CVE-2021-38561"},
        "products": [{"@id": "pkg:golang/golang.org/x/text@v0.3.6"}],
        "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}"#;
    let st = vex::read_vex(doc, "fixture.openvex.json").expect("openvex");
    assert_eq!(st[0].status, VexStatus::NotAffected);
    let bad = br#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": {"name": "X"}, "status": "maybe"}]}"#;
    let err = vex::read_vex(bad, "bad.json").expect_err("bad status");
    assert_eq!(err.location, "/statements/0/status");
    let err = vex::read_vex(b"{\"x\": ", "t.json").expect_err("truncated");
    assert!(err.location.starts_with("line 1"), "{err}");
}

#[test]
fn a_cyclonedx_vex_analysis_without_a_state_is_refused_with_its_place() {
    let doc = br#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
      "components": [{"type": "library", "name": "x", "version": "1", "bom-ref": "x"}],
      "vulnerabilities": [
        {"id": "CVE-2024-0001", "affects": [{"ref": "x"}], "analysis": {"state": "not_affected", "justification": "code_not_present"}},
        {"id": "CVE-2024-0002", "affects": [{"ref": "x"}], "analysis": {"justification": "code_not_present"}}]}"#;
    let err = vex::read_vex(doc, "triage.cdx.json").expect_err("a stateless analysis");
    assert_eq!(err.location, "/vulnerabilities/1/analysis");
    assert!(err.to_string().contains("CVE-2024-0002"), "{err}");
    // With a per-version status the analysis states something and is read.
    let per_version = br#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
      "components": [{"type": "library", "name": "x", "version": "1", "bom-ref": "x"}],
      "vulnerabilities": [{"id": "CVE-2024-0002", "affects": [{"ref": "x", "versions": [{"version": "1", "status": "unaffected"}]}],
        "analysis": {"justification": "code_not_present"}}]}"#;
    let st = vex::read_vex(per_version, "triage.cdx.json").expect("per-version status");
    assert_eq!(st.len(), 1);
    assert_eq!(st[0].status, VexStatus::NotAffected);
}

fn applied(plc_version: &str, statements_doc: &[u8]) -> ScanResult {
    let (snap, aliases, sbom) = scan(plc_version);
    let ix = Index::build(&snap, &aliases);
    let mut r = match_sbom(&sbom, &ix, &MatchOptions::default());
    let st = vex::read_vex(statements_doc, "triage.json").expect("vex");
    vex::apply(&mut r, &st, &ix, SbomId::default());
    r
}

fn openvex_statement(purl: &str, justification: &str) -> Vec<u8> {
    format!(
        r#"{{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "urn:x", "author": "a", "timestamp": "2024-01-01T00:00:00Z", "version": 1,
        "statements": [{{"vulnerability": {{"name": "GHSA-ppp9-7jff-5vj2"}}, "products": [{{"@id": "{purl}"}}],
        "status": "not_affected", "justification": "{justification}"}}]}}"#
    )
    .into_bytes()
}

#[test]
fn vex_applies_by_alias_and_carries_over_only_version_independent_justifications() {
    // Exact version, statement named by an alias of the finding.
    let r = applied(
        "V3.0",
        &openvex_statement(
            "pkg:golang/golang.org/x/text@v0.3.6",
            "vulnerable_code_not_present",
        ),
    );
    let f = find(&r, "text", "CVE-2021-38561").expect("finding");
    assert_eq!(f.state, State::NotAffected);
    assert_eq!(
        f.vex.as_ref().and_then(|v| v.justification),
        Some("vulnerable_code_not_present")
    );
    // Another version: only version-independent justifications carry over.
    for (j, carries) in [
        ("vulnerable_code_not_in_execute_path", true),
        ("vulnerable_code_cannot_be_controlled_by_adversary", true),
        ("inline_mitigations_already_exist", true),
        ("vulnerable_code_not_present", false),
        ("component_not_present", false),
    ] {
        let r = applied(
            "V3.0",
            &openvex_statement("pkg:golang/golang.org/x/text@v0.3.5", j),
        );
        let f = find(&r, "text", "CVE-2021-38561").expect("finding");
        assert_eq!(f.state == State::NotAffected, carries, "{j}");
        if carries {
            assert_eq!(
                f.vex.as_ref().and_then(|v| v.carried_from.as_deref()),
                Some("v0.3.5")
            );
        }
    }
    // under_investigation makes an affected finding need review.
    let doc = br#"{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "urn:x", "author": "a", "timestamp": "2024-01-01T00:00:00Z", "version": 1,
      "statements": [{"vulnerability": {"name": "CVE-2021-38561"}, "products": [{"@id": "pkg:golang/golang.org/x/text"}], "status": "under_investigation"}]}"#;
    let r = applied("V3.0", doc);
    assert_eq!(
        find(&r, "text", "CVE-2021-38561").map(|f| f.state),
        Some(State::NeedsReview)
    );
}

fn written() -> (ScanResult, WriteOptions) {
    let r = applied(
        "V3.0",
        &openvex_statement(
            "pkg:golang/golang.org/x/text@v0.3.6",
            "vulnerable_code_not_in_execute_path",
        ),
    );
    let o = WriteOptions {
        timestamp: "2024-06-01T00:00:00Z".into(),
        sbom_serial: Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".into()),
        sbom_version: Some(1),
        ..WriteOptions::default()
    };
    (r, o)
}

#[test]
fn openvex_output_validates_against_the_schema() {
    let Some(data) = data_dir("openvex/openvex_json_schema.json") else {
        return;
    };
    let schema: Value = serde_json::from_slice(
        &std::fs::read(data.join("openvex/openvex_json_schema.json")).expect("schema"),
    )
    .expect("schema json");
    let (r, o) = written();
    let text = vex::write_openvex(&r, &o);
    let doc: Value = serde_json::from_str(&text).expect("json");
    let errors = levee_testutil::schema_errors(&schema, &doc);
    assert!(errors.is_empty(), "{errors:?}\n{text}");
    // Real identifiers: the purl where there is one, the BOM-Link otherwise.
    assert!(text.contains("pkg:golang/golang.org/x/text@v0.3.6"));
    assert!(text.contains("urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#plc"));
    assert_eq!(text, vex::write_openvex(&r, &o), "deterministic");
    // It reads back and gives the same states.
    let st = vex::read_vex(text.as_bytes(), "out.openvex.json").expect("reads back");
    assert_eq!(st.len(), r.findings.len());
}

#[test]
fn cyclonedx_output_validates_against_the_official_schema() {
    let (r, o) = written();
    let text = vex::write_cyclonedx_vex(&r, &o);
    let bom = levee_sbom::read_cyclonedx_json(text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(bom.vulnerabilities.len(), r.findings.len());
    assert!(bom.components.iter().any(|c| c.purl.is_some()));
    let st = vex::read_vex(text.as_bytes(), "out.cdx.json").expect("reads back");
    assert!(st.iter().any(|s| s.status == VexStatus::NotAffected));
}

#[test]
fn csaf_output_passes_the_mandatory_tests() {
    let (r, o) = written();
    let text = vex::write_csaf_vex(&r, &o);
    let doc = csaf::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let violations = csaf::validate(&doc);
    assert!(violations.is_empty(), "{violations:?}\n{text}");
    // Reading it back and applying it to the same scan keeps every state.
    let st = vex::read_vex(text.as_bytes(), "out.csaf.json").expect("reads back");
    let (snap, aliases, sbom) = scan("V3.0");
    let ix = Index::build(&snap, &aliases);
    let mut again = match_sbom(&sbom, &ix, &MatchOptions::default());
    vex::apply(&mut again, &st, &ix, SbomId::default());
    let states: Vec<_> = again
        .findings
        .iter()
        .map(|f| (f.vulnerability.clone(), f.state))
        .collect();
    let expected: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.vulnerability.clone(), f.state))
        .collect();
    assert_eq!(states, expected);
}

#[test]
fn many_statements_cost_only_those_that_name_the_finding_and_the_last_one_wins() {
    // 50,000 statements about other vulnerabilities around two about this one: applying them
    // looks up the finding's ids (linear), and the later of the two statements decides.
    let mut statements: Vec<String> = (0..50_000)
        .map(|i| {
            format!(
                r#"{{"vulnerability": {{"name": "CVE-2099-{i:05}"}}, "products": [{{"@id": "pkg:golang/golang.org/x/text@v0.3.6"}}], "status": "affected", "action_statement": "x"}}"#
            )
        })
        .collect();
    let about = |status: &str| {
        format!(
            r#"{{"vulnerability": {{"name": "GHSA-ppp9-7jff-5vj2"}}, "products": [{{"@id": "pkg:golang/golang.org/x/text@v0.3.6"}}], "status": "{status}"{}}}"#,
            if status == "not_affected" {
                r#", "justification": "vulnerable_code_not_present""#
            } else {
                r#", "action_statement": "upgrade""#
            }
        )
    };
    statements.insert(10_000, about("affected"));
    statements.insert(40_000, about("not_affected"));
    let doc = format!(
        r#"{{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "urn:x", "author": "a", "timestamp": "2024-01-01T00:00:00Z", "version": 1, "statements": [{}]}}"#,
        statements.join(",")
    );
    let r = applied("V3.0", doc.as_bytes());
    let f = find(&r, "text", "CVE-2021-38561").expect("finding");
    assert_eq!(f.state, State::NotAffected, "the later statement wins");
}
