//! SBOMs as generators write them, scanned against the shared corpus's Go vulndb, PyPA and RustSec
//! data: purls repaired with a warning instead of silent misses, Go's standard library matched in
//! every spelling, legacy PyPI versions never turning a version into `needs-review`, informational
//! RustSec advisories kept apart, and gates that say which findings tripped them.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::macros::{Run, levee_in};

/// One advisory store for the whole module, imported from the shared OSV and RustSec data.
fn store() -> Option<&'static Path> {
    static STORE: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let data = levee_testutil::shared_data("osv-go-vulndb")?;
            let tmp = tempfile::tempdir().expect("tmp");
            let db = tmp.path().join("db");
            let sources: Vec<String> = ["osv-go-vulndb", "osv-pypa", "rustsec-advisory-db"]
                .iter()
                .map(|d| data.join(d).display().to_string())
                .collect();
            let mut args = vec!["db", "import", "--skip-invalid", "--db"];
            let db_text = db.display().to_string();
            args.push(&db_text);
            args.extend(sources.iter().map(String::as_str));
            let r = levee_in(tmp.path(), &args);
            assert_code!(r, 0);
            Some((tmp, db))
        })
        .as_ref()
        .map(|(_, db)| db.as_path())
}

fn component(name: &str, version: &str, purl: &str) -> String {
    format!(r#"{{"type": "library", "name": "{name}", "version": "{version}", "purl": "{purl}"}}"#)
}

fn scan(db: &Path, components: &[String], extra: &[&str]) -> (Run, serde_json::Value) {
    let tmp = tempfile::tempdir().expect("tmp");
    let sbom = tmp.path().join("wild.cdx.json");
    let doc = format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [{}]}}"#,
        components.join(",")
    );
    std::fs::write(&sbom, doc).expect("write");
    let (sbom, db) = (sbom.display().to_string(), db.display().to_string());
    let mut args = vec!["scan", "sbom", &sbom, "--db", &db, "--format", "json"];
    args.extend(extra);
    let r = levee_in(tmp.path(), &args);
    let json = r.json();
    (r, json)
}

/// (state, kind) of every finding of component `i`.
fn findings_of(doc: &serde_json::Value, i: usize) -> Vec<(String, String, String)> {
    let bom_ref = format!("component-{i}");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["component"]["bom_ref"] == bom_ref.as_str())
        .map(|f| {
            (
                f["vulnerability"].as_str().unwrap_or("").to_owned(),
                f["state"].as_str().unwrap_or("").to_owned(),
                f["kind"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn go_stdlib_in_every_spelling_and_no_slash_modules_match() {
    let Some(db) = store() else { return };
    let (r, doc) = scan(
        db,
        &[
            component("stdlib", "1.18.10", "pkg:golang/stdlib@1.18.10"),
            component("stdlib", "go1.18.10", "pkg:golang/stdlib@go1.18.10"),
            component("std", "go1.18.10", "pkg:golang/std@go1.18.10"),
            component("tailscale.com", "v1.32.0", "pkg:golang/tailscale.com@v1.32.0"),
        ],
        &[],
    );
    assert_code!(r, 0);
    let stdlib = findings_of(&doc, 0);
    assert!(
        stdlib.len() >= 80,
        "Go 1.18.10 has about 89 stdlib advisories, found {}",
        stdlib.len()
    );
    assert!(stdlib.iter().all(|f| f.1 == "affected"), "{stdlib:?}");
    assert_eq!(findings_of(&doc, 1), stdlib, "go1.18.10 matches as 1.18.10");
    assert_eq!(
        findings_of(&doc, 2),
        stdlib,
        "cyclonedx-gomod's `std` is `stdlib`"
    );
    assert!(
        !findings_of(&doc, 3).is_empty(),
        "tailscale.com has Go vulndb records"
    );
    // None of them is silent: each purl that is off-spec is named with what it was read as.
    let warnings = doc["warnings"].as_array().expect("warnings");
    for i in 0..4 {
        let at = format!("/components/{i}");
        assert!(
            warnings
                .iter()
                .any(|w| w["pointer"] == at.as_str()
                    && w["message"].as_str().is_some_and(|m| m.contains("purl"))),
            "no purl warning at {at}: {warnings:?}"
        );
    }
    assert!(
        r.stderr.contains("read as `pkg:golang/stdlib@1.18.10`"),
        "{}",
        r.stderr
    );
}

#[test]
fn generator_purl_habits_are_repaired_with_a_warning() {
    let Some(db) = store() else { return };
    let (r, doc) = scan(
        db,
        &[
            // GitHub's sbom-generator-action.
            component("requests", "2.19.0", "pkg:PIP/requests@2.19.0"),
            component("requests", "2.19.0", "pkg:pypi/requests@2.19.0"),
            // The `bom` tool: the version behind an encoded `@`.
            component("requests", "2.19.0", "pkg:pypi/requests%402.19.0"),
            component("requests", "2.19.0", "pkg:pypi/requests%402.19.0@2.19.0"),
        ],
        &[],
    );
    assert_code!(r, 0);
    let want = findings_of(&doc, 1);
    assert!(!want.is_empty(), "requests 2.19.0 has PyPA advisories");
    for i in [0, 2, 3] {
        assert_eq!(findings_of(&doc, i), want, "component {i}");
    }
    let purls: Vec<&str> = doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| c["purl"].as_str())
        .collect();
    assert_eq!(purls, vec!["pkg:pypi/requests@2.19.0"; 4]);
    assert_eq!(
        doc["warnings"].as_array().map(Vec::len),
        Some(3),
        "{:?}",
        doc["warnings"]
    );
}

#[test]
fn legacy_pypi_versions_never_make_a_version_need_review() {
    let Some(db) = store() else { return };
    // PyPA lists paramiko's 2003 releases (`0.9-ivysaur`) in `versions[]`.
    let (r, doc) = scan(
        db,
        &[component("paramiko", "2.4.1", "pkg:pypi/paramiko@2.4.1")],
        &[],
    );
    assert_code!(r, 0);
    let found = findings_of(&doc, 0);
    assert!(found.iter().any(|f| f.1 == "affected"), "{found:?}");
    assert!(found.iter().all(|f| f.1 != "needs-review"), "{found:?}");
}

#[test]
fn informational_rustsec_advisories_are_kept_apart_from_gates() {
    let Some(db) = store() else { return };
    let comps = [component("badge", "0.3.0", "pkg:cargo/badge@0.3.0")];
    let (r, doc) = scan(db, &comps, &["--fail-on", "critical", "--fail-on", "medium"]);
    assert_code!(r, 0);
    let found = findings_of(&doc, 0);
    assert!(
        found
            .iter()
            .any(|f| f.0 == "RUSTSEC-2022-0057" && f.2 == "unmaintained"),
        "{found:?}"
    );
    let (r, doc) = scan(db, &comps, &["--fail-on", "informational"]);
    assert_code!(r, 1);
    assert_eq!(doc["gates"]["tripped"][0]["gate"], "informational");
}

#[test]
fn findings_without_cvss_trip_medium_and_the_gate_says_which() {
    let Some(db) = store() else { return };
    let comps = [component("stdlib", "1.18.10", "pkg:golang/stdlib@1.18.10")];
    let (r, doc) = scan(db, &comps, &["--fail-on", "high"]);
    assert_code!(r, 0);
    assert_eq!(doc["gates"]["failed"], false);
    assert_eq!(
        doc["summary"]["no_cvss"], doc["summary"]["active"],
        "Go advisories carry no CVSS"
    );
    let (r, doc) = scan(db, &comps, &["--fail-on", "medium"]);
    assert_code!(r, 1);
    let gates = &doc["gates"];
    assert_eq!(gates["fail_on"], serde_json::json!(["medium"]));
    let total = gates["tripped_total"].as_u64().expect("total");
    assert_eq!(total as usize, findings_of(&doc, 0).len());
    let first = &gates["tripped"][0];
    assert_eq!(first["no_cvss"], true);
    let vuln = first["vulnerability"].as_str().expect("vulnerability");
    assert!(
        r.stderr.contains("tripped a gate") && r.stderr.contains(vuln),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("counted as medium"), "{}", r.stderr);
}

#[test]
fn a_package_listed_twice_gets_unique_finding_ids() {
    let Some(db) = store() else { return };
    let twice = component("requests", "2.19.0", "pkg:pypi/requests@2.19.0");
    // Twice with generated references, then twice more sharing one explicit reference.
    let shared = r#"{"type": "library", "bom-ref": "same", "name": "requests", "version": "2.19.0", "purl": "pkg:pypi/requests@2.19.0"}"#;
    let (r, doc) = scan(
        db,
        &[twice.clone(), twice, shared.to_owned(), shared.to_owned()],
        &[],
    );
    assert_code!(r, 0);
    let ids: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert!(ids.len() >= 8, "{ids:?}");
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    // The first instance keeps the id a single listing has: ids stay stable across scans.
    let (_, single) = scan(
        db,
        &[component("requests", "2.19.0", "pkg:pypi/requests@2.19.0")],
        &[],
    );
    let first: Vec<&str> = single["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(first.iter().all(|id| ids.contains(id)), "{first:?} {ids:?}");
}

/// The same two packages (one listed twice) in each SBOM format.
fn duplicate_inputs(dir: &Path) -> Vec<PathBuf> {
    let purls = [
        "pkg:pypi/requests@2.19.0",
        "pkg:pypi/requests@2.19.0",
        "pkg:golang/golang.org/x/net@v0.7.0",
    ];
    let cdx: Vec<String> = purls
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                r#"{{"type": "library", "bom-ref": "c{i}", "name": "n{i}", "version": "1", "purl": "{p}"}}"#
            )
        })
        .collect();
    let spdx: Vec<String> = purls
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                r#"{{"SPDXID": "SPDXRef-p{i}", "name": "n{i}", "versionInfo": "1", "downloadLocation": "NOASSERTION",
                   "externalRefs": [{{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "{p}"}}]}}"#
            )
        })
        .collect();
    let tv: String = purls
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "\nPackageName: n{i}\nSPDXID: SPDXRef-p{i}\nPackageVersion: 1\nPackageDownloadLocation: NOASSERTION\n\
                 ExternalRef: PACKAGE-MANAGER purl {p}\n"
            )
        })
        .collect();
    let files = [
        (
            "dup.cdx.json",
            format!(
                r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1, "components": [{}]}}"#,
                cdx.join(",")
            ),
        ),
        (
            "dup.spdx.json",
            format!(
                r#"{{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "dup", "dataLicense": "CC0-1.0",
                   "documentNamespace": "https://example.com/dup", "creationInfo": {{"created": "2024-01-01T00:00:00Z", "creators": ["Tool: x"]}},
                   "packages": [{}]}}"#,
                spdx.join(",")
            ),
        ),
        (
            "dup.spdx",
            format!(
                "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: dup\n\
                 DocumentNamespace: https://example.com/dup\nCreator: Tool: x\nCreated: 2024-01-01T00:00:00Z\n{tv}"
            ),
        ),
    ];
    files
        .iter()
        .map(|(name, text)| {
            let p = dir.join(name);
            std::fs::write(&p, text).expect("write");
            p
        })
        .collect()
}

fn json_file(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read"))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every output format, for every input format with a package listed twice, is valid: the scan
/// JSON against its committed schema, OpenVEX against the official schema, CycloneDX VEX against
/// the official CycloneDX schema (the schema-exact `sbom validate`), CSAF VEX through the CSAF
/// mandatory tests, SARIF against the OASIS schema, and every SARIF location resolves to the
/// component in the input.
#[test]
fn outputs_validate_for_every_input_format_with_duplicate_packages() {
    let Some(db) = store() else { return };
    let Some(openvex) = levee_testutil::shared_data("openvex") else {
        return;
    };
    let openvex_schema = json_file(&openvex.join("openvex/openvex_json_schema.json"));
    let scan_schema =
        json_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema/scan.schema.json"));
    let sarif_schema =
        json_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"));
    let tmp = tempfile::tempdir().expect("tmp");
    let db = db.display().to_string();
    for input in duplicate_inputs(tmp.path()) {
        let name = input
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let text = std::fs::read_to_string(&input).expect("input");
        let run = |format: &str| {
            let out = tmp.path().join(format!("{name}.{format}.out"));
            let (i, o) = (input.display().to_string(), out.display().to_string());
            let r = levee_in(
                tmp.path(),
                &["scan", "sbom", &i, "--db", &db, "--format", format, "--out", &o],
            );
            assert_code!(r, 0);
            out
        };

        let scan = json_file(&run("json"));
        let errors = levee_testutil::schema_errors(&scan_schema, &scan);
        assert!(errors.is_empty(), "{name}: scan JSON: {errors:?}");
        let findings = scan["findings"].as_array().expect("findings");
        assert!(findings.len() >= 3, "{name}: {} findings", findings.len());
        let ids: std::collections::HashSet<&str> = findings.iter().filter_map(|f| f["id"].as_str()).collect();
        assert_eq!(ids.len(), findings.len(), "{name}: finding ids repeat");

        let vex = json_file(&run("openvex"));
        let errors = levee_testutil::schema_errors(&openvex_schema, &vex);
        assert!(errors.is_empty(), "{name}: OpenVEX: {errors:?}");
        let statements = vex["statements"].as_array().expect("statements");
        assert!(
            statements.len() < findings.len(),
            "{name}: the duplicate package's statements are merged ({} statements, {} findings)",
            statements.len(),
            findings.len()
        );

        let cdx = run("cyclonedx-vex");
        let r = levee_in(tmp.path(), &["sbom", "validate", &cdx.display().to_string()]);
        assert_code!(r, 0);
        let cdx = json_file(&cdx);
        for v in cdx["vulnerabilities"].as_array().expect("vulnerabilities") {
            let source = v["source"]["name"].as_str().unwrap_or("");
            if v["id"].as_str().is_some_and(|id| id.starts_with("CVE-"))
                && findings.iter().any(|f| {
                    f["vulnerability"] == v["id"]
                        && f["component"]["purl"]
                            .as_str()
                            .is_some_and(|p| p.starts_with("pkg:golang/"))
                })
            {
                assert_eq!(source, "Go Vulnerability Database", "{name}: {v}");
            }
        }

        let csaf = std::fs::read(run("csaf-vex")).expect("csaf");
        let doc = levee_advisory::csaf::parse(&csaf).unwrap_or_else(|e| panic!("{name}: CSAF: {e}"));
        let violations = levee_advisory::csaf::validate(&doc);
        assert!(violations.is_empty(), "{name}: CSAF: {violations:?}");

        let sarif = json_file(&run("sarif"));
        let errors = levee_testutil::schema_errors(&sarif_schema, &sarif);
        assert!(
            errors.is_empty(),
            "{name}: SARIF against the OASIS schema: {errors:?}"
        );
        let input_json: Option<serde_json::Value> = serde_json::from_str(&text).ok();
        let lines: Vec<&str> = text.lines().collect();
        let driver = &sarif["runs"][0]["tool"]["driver"];
        assert!(
            driver["informationUri"]
                .as_str()
                .is_none_or(|u| !u.contains(".invalid")),
            "{driver}"
        );
        for rule in driver["rules"].as_array().expect("rules") {
            let sev = &rule["properties"]["security-severity"];
            assert!(
                sev.is_null() && rule["properties"].get("security-severity").is_none()
                    || sev.as_str().is_some_and(|s| s.parse::<f64>().is_ok()),
                "{name}: {rule}"
            );
        }
        let results = sarif["runs"][0]["results"].as_array().expect("results");
        assert!(!results.is_empty(), "{name}");
        for res in results {
            let loc = &res["locations"][0];
            let logical = &loc["logicalLocations"][0];
            let bom_ref = logical["name"].as_str().expect("name");
            if let Some(pointer) = logical["fullyQualifiedName"].as_str() {
                let doc = input_json
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name}: a JSON pointer into a text file"));
                let target = doc
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("{name}: {pointer} is not in the input"));
                let id = target.get("bom-ref").or_else(|| target.get("SPDXID"));
                assert_eq!(id.and_then(|v| v.as_str()), Some(bom_ref), "{name}: {pointer}");
            } else {
                let line = loc["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{name}: no location: {loc}"));
                let at = lines.get(line as usize - 1).copied().unwrap_or("");
                assert!(at.starts_with("PackageName:"), "{name}: line {line} is `{at}`");
            }
        }
    }
}
