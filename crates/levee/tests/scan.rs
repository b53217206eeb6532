//! `levee scan sbom` end to end: the example PLC SBOM against a small store built from real CISA
//! advisories and KEV, every output format, VEX, `--fail-on`, and bad input (exit 2, nothing
//! written).

use std::path::{Path, PathBuf};

use crate::macros::levee_in;

const SBOM: &str = "examples/water-treatment/sbom/plc-chem-dosing.cdx.json";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared() -> Option<PathBuf> {
    levee_testutil::shared_data("cisa-csaf")
}

/// A store with two real Siemens advisories about the S7-1500 and the KEV catalog, built through
/// the library.
fn store(tmp: &Path, data: &Path) -> PathBuf {
    let src = tmp.join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    for f in ["icsa-24-284-01.json", "icsa-24-284-10.json"] {
        std::fs::copy(
            data.join("cisa-csaf/csaf_files/OT/white/2024").join(f),
            src.join(f),
        )
        .expect("copy");
    }
    std::fs::copy(
        data.join("kev/known_exploited_vulnerabilities.json"),
        src.join("known_exploited_vulnerabilities.json"),
    )
    .expect("copy kev");
    import_store(src, tmp.join("db"))
}

/// Imports `src` into a new store at `db`.
fn import_store(src: PathBuf, db: PathBuf) -> PathBuf {
    levee_vulndb::import(
        &[src],
        &db,
        &levee_vulndb::ImportOptions::default(),
        &levee_vulndb::NoProgress,
    )
    .expect("import");
    db
}

fn sbom() -> String {
    root().join(SBOM).display().to_string()
}

#[test]
fn scan_json_names_snapshot_components_and_findings() {
    let Some(data) = shared() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let db = store(tmp.path(), &data);
    let db = db.to_string_lossy().into_owned();
    let run = levee_in(
        tmp.path(),
        &["scan", "sbom", &sbom(), "--db", &db, "--format", "json"],
    );
    assert_code!(run, 0);
    let v = run.json();
    assert!(
        v["snapshot"]["id"]
            .as_str()
            .is_some_and(|s| s.starts_with("sha256:"))
    );
    assert_eq!(v["components"].as_array().map(Vec::len), Some(5));
    let findings = v["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    let f = &findings[0];
    for key in [
        "vulnerability",
        "aliases",
        "component",
        "confidence",
        "state",
        "kev",
        "epss",
        "cvss",
        "priority",
        "fix",
        "evidence",
    ] {
        assert!(f.get(key).is_some(), "missing {key}");
    }
    assert_eq!(f["component"]["bom_ref"], "fw-s7-1500");
    assert!(f["evidence"][0]["snapshot"] == v["snapshot"]["id"]);
    // Same input, same bytes.
    let again = levee_in(
        tmp.path(),
        &["scan", "sbom", &sbom(), "--db", &db, "--format", "json"],
    );
    assert_eq!(run.stdout, again.stdout);

    // Table, SARIF and the three VEX formats.
    let table = levee_in(tmp.path(), &["scan", "sbom", &sbom(), "--db", &db]);
    assert_code!(table, 0);
    assert!(table.stdout.contains("SIMATIC S7-1500"));
    let sarif = levee_in(
        tmp.path(),
        &["scan", "sbom", &sbom(), "--db", &db, "--format", "sarif"],
    );
    let s = sarif.json();
    assert_eq!(s["version"], "2.1.0");
    assert_eq!(
        s["runs"][0]["results"][0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "/metadata/component"
    );
    for format in ["cyclonedx-vex", "openvex", "csaf-vex"] {
        let out = tmp.path().join(format!("out.{format}.json"));
        let out_s = out.display().to_string();
        let r = levee_in(
            tmp.path(),
            &[
                "scan",
                "sbom",
                &sbom(),
                "--db",
                &db,
                "--format",
                format,
                "--out",
                &out_s,
            ],
        );
        assert_code!(r, 0);
        let text = std::fs::read_to_string(&out).expect("written");
        assert!(text.contains("CVE-"), "{format}");
        // Each written VEX reads back through --vex.
        let back = levee_in(
            tmp.path(),
            &[
                "scan",
                "sbom",
                &sbom(),
                "--db",
                &db,
                "--vex",
                &out_s,
                "--format",
                "json",
            ],
        );
        assert_code!(back, 0);
    }
}

#[test]
fn vex_hides_a_finding_and_fail_on_gates() {
    let Some(data) = shared() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let db = store(tmp.path(), &data).to_string_lossy().into_owned();
    let run = levee_in(
        tmp.path(),
        &["scan", "sbom", &sbom(), "--db", &db, "--format", "json"],
    );
    let v = run.json();
    let first = v["findings"][0]["vulnerability"].as_str().expect("id").to_owned();
    let vex = format!(
        r#"{{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "urn:uuid:1", "author": "PSIRT", "timestamp": "2026-01-01T00:00:00Z", "version": 1,
        "statements": [{{"vulnerability": {{"name": "{first}"}}, "products": [{{"@id": "cpe:2.3:o:siemens:simatic_s7-1500_cpu_1516-3_pn\\/dp_firmware:2.9.4:*:*:*:*:*:*:*"}}],
        "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}}]}}"#
    );
    let vex_path = tmp.path().join("triage.openvex.json");
    std::fs::write(&vex_path, vex).expect("write");
    let vex_s = vex_path.display().to_string();
    let r = levee_in(
        tmp.path(),
        &[
            "scan",
            "sbom",
            &sbom(),
            "--db",
            &db,
            "--vex",
            &vex_s,
            "--format",
            "json",
        ],
    );
    assert_code!(r, 0);
    let after = r.json();
    let f = after["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["vulnerability"] == first.as_str()))
        .expect("finding");
    assert_eq!(f["state"], "not-affected");
    assert_eq!(f["vex"]["justification"], "vulnerable_code_not_in_execute_path");

    let gate = levee_in(
        tmp.path(),
        &["scan", "sbom", &sbom(), "--db", &db, "--fail-on", "medium"],
    );
    assert_code!(gate, 1);
    // A --db without a store is an error, never a silent fall-back to the bundled subset (which
    // would pass a KEV gate it knows nothing about).
    let empty = tmp.path().join("empty-db");
    let missing = levee_in(
        tmp.path(),
        &[
            "scan",
            "sbom",
            &sbom(),
            "--db",
            &empty.display().to_string(),
            "--fail-on",
            "kev",
        ],
    );
    assert_code!(missing, 2);
    assert!(
        missing.stderr.contains("no advisory store here"),
        "{}",
        missing.stderr
    );
    // The SBOM is read beside the store: an unreadable SBOM is still the error reported (as if it
    // had been read first), and a readable one's reader warnings come before the store's error.
    let broken = tmp.path().join("broken.cdx.json");
    std::fs::write(
        &broken,
        "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [",
    )
    .expect("write");
    let empty_db = empty.display().to_string();
    let both = levee_in(
        tmp.path(),
        &["scan", "sbom", &broken.display().to_string(), "--db", &empty_db],
    );
    assert_code!(both, 2);
    assert!(both.stderr.contains("broken.cdx.json"), "{}", both.stderr);
    assert!(!both.stderr.contains("no advisory store here"), "{}", both.stderr);
    let lenient = tmp.path().join("lenient.cdx.json");
    std::fs::write(
        &lenient,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
            {"type": "library", "bom-ref": "a", "name": "aah", "version": "0.12.4", "purl": "pkg:golang/aahframe.work@0.12.4"}]}"#,
    )
    .expect("write");
    let warned = levee_in(
        tmp.path(),
        &["scan", "sbom", &lenient.display().to_string(), "--db", &empty_db],
    );
    assert_code!(warned, 2);
    let warning = warned.stderr.find("warning:").expect("a reader warning");
    let error = warned
        .stderr
        .find("no advisory store here")
        .expect("the store error");
    assert!(warning < error, "{}", warned.stderr);
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bad = tmp.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{\"type\": 7}]}",
    )
    .expect("write");
    let out = tmp.path().join("out.json");
    let r = levee_in(
        tmp.path(),
        &[
            "scan",
            "sbom",
            &bad.display().to_string(),
            "--format",
            "json",
            "--out",
            &out.display().to_string(),
            "--strict",
        ],
    );
    assert_code!(r, 2);
    assert!(r.stderr.contains("/components/0"), "{}", r.stderr);
    assert!(!out.exists());
    // Without --strict the off-spec component is read with a located warning, in JSON too.
    let r = levee_in(
        tmp.path(),
        &[
            "scan",
            "sbom",
            &bad.display().to_string(),
            "--format",
            "json",
            "--out",
            &out.display().to_string(),
        ],
    );
    assert_code!(r, 0);
    assert!(
        r.stderr.contains("warning: ") && r.stderr.contains("/components/0/type"),
        "{}",
        r.stderr
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("out")).expect("json");
    let warnings = doc["warnings"].as_array().expect("warnings");
    assert!(
        warnings.iter().any(|w| w["pointer"] == "/components/0/type"),
        "{warnings:?}"
    );
    assert_eq!(doc["summary"]["components"], 1);
    std::fs::remove_file(&out).expect("rm");
    // What is not an SBOM at all is still exit 2, with nothing written.
    std::fs::write(&bad, "{\"licenses\": [{\"licenseId\": \"MIT\"}]}").expect("write");
    let r = levee_in(
        tmp.path(),
        &[
            "scan",
            "sbom",
            &bad.display().to_string(),
            "--out",
            &out.display().to_string(),
        ],
    );
    assert_code!(r, 2);
    assert!(!out.exists());
    std::fs::write(
        &bad,
        "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{\"type\": 7}]}",
    )
    .expect("write");
    let bad_vex = tmp.path().join("bad.vex.json");
    std::fs::write(&bad_vex, "{\"statements\": [{\"status\": \"maybe\"}]}").expect("write");
    let r = levee_in(
        tmp.path(),
        &[
            "scan",
            "sbom",
            &sbom(),
            "--vex",
            &bad_vex.display().to_string(),
            "--out",
            &out.display().to_string(),
        ],
    );
    assert_code!(r, 2);
    assert!(r.stderr.contains("/statements/0"), "{}", r.stderr);
    assert!(!out.exists());
    let missing = levee_in(tmp.path(), &["scan", "sbom", "/nonexistent/sbom.json"]);
    assert_code!(missing, 2);
    // An enormous file (sparse: no disk used) is refused by its size before it is read.
    let huge = tmp.path().join("huge.json");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(600 << 20))
        .expect("sparse file");
    let huge = huge.display().to_string();
    let r = levee_in(
        tmp.path(),
        &["scan", "sbom", &huge, "--out", &out.display().to_string()],
    );
    assert_code!(r, 2);
    assert!(r.stderr.contains("larger than 512 MiB"), "{}", r.stderr);
    assert!(!out.exists());
}

/// ICSA-21-145-01 files Luxion's KeyShot under the vendor `Datakit` (the maker of the libraries it
/// bundles). Levee does not match a product name across vendors; a user's alias file that relates
/// the two organisations makes it match, and names the relation in the evidence.
#[test]
fn a_user_alias_file_can_relate_organisations() {
    let Some(data) = shared() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    std::fs::copy(
        data.join("cisa-csaf/csaf_files/OT/white/2021/icsa-21-145-01.json"),
        src.join("icsa-21-145-01.json"),
    )
    .expect("copy");
    let db = import_store(src, tmp.path().join("db"));
    let db = db.to_string_lossy().into_owned();
    let bom = tmp.path().join("keyshot.cdx.json");
    std::fs::write(
        &bom,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "serialNumber": "urn:uuid:6f1c1e0a-3f0e-4d8a-9a0e-2b7f1c2d3e4f",
            "components": [{"type": "application", "bom-ref": "ks", "name": "KeyShot",
                            "version": "10.1", "supplier": {"name": "Luxion"}}]}"#,
    )
    .expect("write sbom");
    let bom = bom.to_string_lossy().into_owned();
    let scan = |extra: &[&str]| {
        let mut args = vec![
            "scan",
            "sbom",
            bom.as_str(),
            "--db",
            db.as_str(),
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        levee_in(tmp.path(), &args)
    };
    let plain = scan(&[]);
    assert_code!(plain, 0);
    assert_eq!(
        plain.json()["findings"],
        serde_json::json!([]),
        "vendor-strict by default"
    );

    let aliases = tmp.path().join("mine.toml");
    std::fs::write(
        &aliases,
        "[[vendor]]\nid = \"datakit\"\nnames = [\"Datakit\"]\n\n[[vendor]]\nid = \"luxion\"\nnames = [\"Luxion\"]\nrelated = [\"datakit\"]\n",
    )
    .expect("write aliases");
    let aliases_arg = aliases.to_string_lossy().into_owned();
    let related = scan(&["--vendor-aliases", &aliases_arg]);
    assert_code!(related, 0);
    let findings = related.json()["findings"].clone();
    let ids: Vec<&str> = findings
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["vulnerability"].as_str())
        .collect();
    assert!(ids.contains(&"CVE-2021-27488"), "{ids:?}");
    let value = findings[0]["evidence"][0]["identifier"]["value"]
        .as_str()
        .unwrap_or("");
    assert!(value.contains("related vendor datakit"), "{value}");

    std::fs::write(
        &aliases,
        "[[vendor]]\nid = \"luxion\"\nnames = [\"Luxion\"]\nrelated = [\"nosuch\"]\n",
    )
    .expect("write aliases");
    let bad = scan(&["--vendor-aliases", &aliases_arg]);
    assert_code!(bad, 2);
    assert!(
        bad.stderr.contains("mine.toml:2") && bad.stderr.contains("nosuch"),
        "{}",
        bad.stderr
    );
}

/// Dogfooding: Levee's own registry dependencies (Cargo.lock, as purls) scanned against the
/// RustSec advisory database of the shared corpus. A dependency with a known advisory fails here
/// (the `rsa` crate was kept out for RUSTSEC-2023-0071, see ARCHITECTURE.md).
#[test]
fn our_own_dependencies_have_no_known_advisories() {
    let Some(data) = levee_testutil::shared_data("rustsec-advisory-db") else {
        return;
    };
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    let mut components = Vec::new();
    for package in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            package.lines().find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|v| v.trim().strip_prefix('='))
                    .map(|v| v.trim().trim_matches('"').to_owned())
            })
        };
        let (Some(name), Some(version)) = (field("name "), field("version ")) else {
            continue;
        };
        if field("source ").is_some_and(|s| s.starts_with("registry+")) {
            components.push(serde_json::json!({
                "type": "library", "bom-ref": format!("{name}@{version}"), "name": name,
                "version": version, "purl": format!("pkg:cargo/{name}@{version}"),
            }));
        }
    }
    assert!(components.len() > 100, "{} registry packages", components.len());
    let tmp = tempfile::tempdir().expect("tmp");
    let db = import_store(data.join("rustsec-advisory-db"), tmp.path().join("db"));
    let bom = tmp.path().join("levee.cdx.json");
    let doc = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "serialNumber": "urn:uuid:0b5e7d5e-8c1a-4d3e-9f7a-2c6b1e0d4f11", "components": components});
    std::fs::write(&bom, doc.to_string()).expect("write sbom");
    let (bom, db) = (
        bom.to_string_lossy().into_owned(),
        db.to_string_lossy().into_owned(),
    );
    let run = levee_in(
        tmp.path(),
        &["scan", "sbom", &bom, "--db", &db, "--format", "json"],
    );
    assert_code!(run, 0);
    let report = run.json();
    assert_eq!(report["summary"]["scanned"], components.len());
    assert_eq!(
        report["findings"],
        serde_json::json!([]),
        "a dependency has a known advisory"
    );
}

/// Issue 8: a RustSec advisory whose bound is the largest `u64` imports and scans without a
/// panic; the finding needs review and says why.
#[test]
fn r8_an_overflowing_rustsec_bound_imports_and_scans() {
    let tmp = tempfile::tempdir().expect("tmp");
    let adv = tmp.path().join("advisories/crates/overflowing");
    std::fs::create_dir_all(&adv).expect("mkdir");
    std::fs::write(
        adv.join("RUSTSEC-2099-0001.md"),
        "```toml\n[advisory]\nid = \"RUSTSEC-2099-0001\"\npackage = \"overflowing\"\ndate = \"2099-01-01\"\n\
         aliases = [\"CVE-2099-0001\"]\n\n[versions]\npatched = [\"^18446744073709551615\"]\n\
         unaffected = [\"~18446744073709551615\"]\n```\n\n# A bound without a successor\n",
    )
    .expect("write");
    let bom = tmp.path().join("bom.json");
    std::fs::write(
        &bom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"overflowing","version":"1.0.0","purl":"pkg:cargo/overflowing@1.0.0"}]}"#,
    )
    .expect("write");
    let db = tmp.path().join("db");
    let s = |p: &Path| p.display().to_string();
    let import = levee_in(
        tmp.path(),
        &[
            "db",
            "import",
            &s(&tmp.path().join("advisories")),
            "--db",
            &s(&db),
        ],
    );
    assert_code!(import, 0);
    let scan = levee_in(
        tmp.path(),
        &["scan", "sbom", &s(&bom), "--db", &s(&db), "--format", "json"],
    );
    assert_code!(scan, 0);
    let j = scan.json();
    let f = &j["findings"][0];
    assert_eq!(f["vulnerability"], "CVE-2099-0001");
    assert_eq!(f["state"], "needs-review");
    assert!(f["notes"].to_string().contains("no successor"), "{f}");
}
