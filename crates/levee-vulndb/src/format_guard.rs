//! The guard on [`crate::STORE_FORMAT`]: a fixed, representative set of records (a real CISA CSAF
//! advisory and an NVD record from the repository, an OSV record, a KEV catalog and an EPSS table
//! written here) encoded as the store encodes them, blocks and the header's lookup records, compared
//! with a committed digest. A change to
//! the record types or their encoding changes the digest, and the test says to bump the format.

use std::path::Path;

use crate::records::{Outcome, Records, parse};
use crate::store::{STORE_FORMAT, sha256_hex};

/// The store format and the digest of the encoded records below. Both are written out: a new
/// digest goes with a new format number, never with the old one.
const GOLDEN: (u32, &str) = (
    4,
    "8564b8139ed4daf4bed91aaba557dd26d34c3cbfacfe1296a5046edc254738a5",
);

const OSV: &str = r#"{"id": "GO-2024-0001", "modified": "2024-01-02T00:00:00Z", "published": "2024-01-01T00:00:00Z",
  "aliases": ["CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"], "summary": "Demo", "details": "Details",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
  "affected": [{"package": {"ecosystem": "Go", "name": "example.com/demo", "purl": "pkg:golang/example.com/demo"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]}],
    "versions": ["1.0.0", "1.1.0"]}],
  "references": [{"type": "FIX", "url": "https://example.com/fix"}]}"#;

const KEV: &str = r#"{"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "2024.01.02",
  "dateReleased": "2024-01-02T00:00:00.000Z", "count": 1, "vulnerabilities": [{"cveID": "CVE-2024-0001",
  "vendorProject": "Example", "product": "Demo", "vulnerabilityName": "Demo flaw", "dateAdded": "2024-01-02",
  "shortDescription": "A flaw.", "requiredAction": "Patch.", "dueDate": "2024-01-23",
  "knownRansomwareCampaignUse": "Known", "notes": "", "cwes": ["CWE-79"]}]}"#;

const EPSS: &str = "#model_version:v2023.03.01,score_date:2024-01-02T00:00:00+0000\ncve,epss,percentile\nCVE-2024-0001,0.97,0.99\nCVE-2003-0001,0.01,0.2\n";

fn records(name: &str, bytes: &[u8]) -> Records {
    match parse(Path::new(name), name, bytes) {
        Ok(Outcome::Parsed(p)) => p.records,
        Ok(Outcome::Skip(why)) => panic!("{name} was skipped: {why}"),
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
fn record_encoding_matches_the_store_format() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let csaf = std::fs::read(root.join("data/bundled/csaf/2024/icsa-24-004-01.json")).expect("bundled CSAF");
    let nvd = std::fs::read(root.join("../levee-advisory/tests/fixtures/nvd/CVE-2021-44228.json"))
        .expect("NVD fixture");
    let set = [
        records("icsa-24-004-01.json", &csaf),
        records("CVE-2021-44228.json", &nvd),
        records("GO-2024-0001.json", OSV.as_bytes()),
        records("known_exploited_vulnerabilities.json", KEV.as_bytes()),
        records("epss_scores-2024-01-02.csv", EPSS.as_bytes()),
    ];
    let mut material = Vec::new();
    for r in &set {
        assert!(r.len() > 0, "an empty record set guards nothing");
        material.extend(crate::store::encode(r).expect("encode"));
        // The header's per-block lookup record (keys and advisory heads) is encoded too.
        let lookup = crate::record::LookupRec::of(r).expect("lookup");
        material.extend(postcard::to_stdvec(&lookup).expect("encode lookup"));
    }
    let digest = sha256_hex(&material);
    assert_eq!(
        (STORE_FORMAT, digest.as_str()),
        GOLDEN,
        "the encoding of the store's records changed (a record type or a type inside one, such as \
         levee_advisory::Advisory, gained, lost or reordered a field, or a reader now fills it \
         differently). Old stores cannot be read with the new types: bump STORE_FORMAT in \
         crates/levee-vulndb/src/store.rs, then set GOLDEN in {} to the new (format, digest)",
        file!()
    );
}

/// The records a scan decodes ([`crate::record::scan_records`]) equal the full records with the
/// fields a scan skips emptied: on the set above and on every bundled CISA advisory (product
/// trees with branches and relationships, remediations, references, threats).
#[test]
fn scan_decoding_reads_the_same_records_minus_the_skipped_fields() {
    use crate::record::lean::as_scanned;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let nvd = std::fs::read(root.join("../levee-advisory/tests/fixtures/nvd/CVE-2021-44228.json"))
        .expect("NVD fixture");
    let mut set = vec![
        records("CVE-2021-44228.json", &nvd),
        records("GO-2024-0001.json", OSV.as_bytes()),
        records("known_exploited_vulnerabilities.json", KEV.as_bytes()),
    ];
    let mut files: Vec<_> = walk_json(&root.join("data/bundled/csaf"));
    files.sort();
    assert!(files.len() > 100, "the bundled CISA advisories: {}", files.len());
    for f in &files {
        let bytes = std::fs::read(f).expect("bundled CSAF");
        let name = f.file_name().and_then(|n| n.to_str()).expect("name");
        set.push(records(name, &bytes));
    }
    let (mut advisories, mut skipped_something) = (0, false);
    for r in set {
        let bytes = crate::store::encode(&r).expect("encode");
        let lean = crate::record::scan_records(&bytes).expect("scan decoding");
        let expect = match r {
            Records::Advisories(a) => Records::Advisories(a.into_iter().map(as_scanned).collect()),
            Records::Kev {
                version,
                entries,
                advisories,
            } => Records::Kev {
                version,
                entries,
                advisories: advisories.into_iter().map(as_scanned).collect(),
            },
            epss @ Records::Epss { .. } => epss,
        };
        if let Records::Advisories(a) = &expect {
            advisories += a.len();
            let full = crate::store::encode(&expect).expect("encode");
            skipped_something |= full.len() < bytes.len();
        }
        assert_eq!(lean, expect);
    }
    assert!(advisories > 300, "advisories compared: {advisories}");
    assert!(
        skipped_something,
        "nothing was skipped: the test compares nothing"
    );
}

fn walk_json(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk_json(&p));
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
    out
}

/// The EPSS rows a scan keeps ([`crate::record::epss_kept`]) are exactly the rows of the full
/// decoding whose CVE is kept: sorted rows with duplicates (merge-joined), rows out of order (a
/// binary search), an empty keep list, and ids that are not in the table.
#[test]
fn epss_rows_kept_for_a_scan_are_the_full_rows_filtered() {
    let cve = |y: u32, n: u32| format!("CVE-{y}-{n:04}");
    let info = |s: f64| levee_vuln::snapshot::EpssInfo {
        score: s,
        percentile: s / 2.0,
    };
    let mut sorted: Vec<(String, levee_vuln::snapshot::EpssInfo)> = (0..50)
        .map(|i| (cve(2000 + i % 7, i), info(f64::from(i) / 100.0)))
        .collect();
    sorted.push((cve(2003, 3), info(0.5)));
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut unsorted = sorted.clone();
    unsorted.reverse();
    let keeps: [Vec<String>; 3] = [
        Vec::new(),
        vec![cve(2003, 3), cve(2004, 4), cve(2099, 1)],
        sorted.iter().map(|r| r.0.clone()).step_by(3).collect(),
    ];
    for rows in [sorted, unsorted] {
        let full = Records::Epss {
            date: Some("2024-01-02".into()),
            rows: rows.clone(),
        };
        let bytes = crate::store::encode(&full).expect("encode");
        for keep in &keeps {
            let mut keep = keep.clone();
            keep.sort();
            keep.dedup();
            let expect = Records::Epss {
                date: Some("2024-01-02".into()),
                rows: rows.iter().filter(|r| keep.contains(&r.0)).cloned().collect(),
            };
            assert_eq!(crate::record::epss_kept(&bytes, &keep).expect("kept"), expect);
        }
        // An advisory block is not an EPSS table, and a truncated one is an error.
        assert!(crate::record::epss_kept(&bytes[..bytes.len() - 3], &keeps[1]).is_err());
    }
    let advisories = crate::store::encode(&records("GO-2024-0001.json", OSV.as_bytes())).expect("encode");
    assert!(crate::record::epss_kept(&advisories, &keeps[1]).is_err());
}

/// An advisory with every field the scan decoding skips filled (threats, references, CWE ids,
/// impact, origin, serial numbers, SBOM URLs, generic URIs, branches, a relationship's platform
/// with all of them too) and every kept list non-empty, decoded both ways: the mirrors are
/// exercised with content, not only empty.
#[test]
fn scan_decoding_skips_filled_fields_and_keeps_the_rest() {
    use crate::record::lean::as_scanned;
    use levee_advisory::{
        BranchCategory, BranchStep, FileHashes, GenericUri, Reference, Relationship, RelationshipCategory,
        Threat,
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let csaf = std::fs::read(root.join("data/bundled/csaf/2024/icsa-24-004-01.json")).expect("bundled CSAF");
    let Records::Advisories(mut list) = records("icsa-24-004-01.json", &csaf) else {
        panic!("advisories expected");
    };
    let mut a = list.remove(0);
    a.description = Some("a description".into());
    a.published = Some("2024-01-04".into());
    a.cwe = vec!["CWE-79".into(), "CWE-20".into()];
    a.threats = vec![Threat {
        category: "impact".into(),
        details: "details".into(),
        date: Some("2024-01-04".into()),
        product_ids: vec!["CSAFPID-0001".into()],
    }];
    a.references = vec![Reference {
        url: "https://example.com/a".into(),
        kind: Some("external".into()),
        summary: Some("summary".into()),
    }];
    a.related = vec!["CVE-2020-0001".into()];
    for r in &mut a.remediations {
        r.details = "install the update".into();
    }
    let fill = |p: &mut levee_advisory::Product| {
        p.serial_numbers = vec!["SN-1".into(), "SN-2".into()];
        p.sbom_urls = vec!["https://example.com/sbom".into()];
        p.generic_uris = vec![GenericUri {
            namespace: "urn:ns".into(),
            uri: "urn:ns:1".into(),
        }];
        p.branches = vec![BranchStep {
            category: BranchCategory::Architecture,
            name: "arm".into(),
        }];
        p.hashes = vec![FileHashes {
            filename: "fw.bin".into(),
            hashes: vec![("sha256".into(), "00ff".into())],
        }];
        p.skus = vec!["SKU-1".into()];
        p.model_numbers = vec!["6ES7*".into()];
    };
    let ap = a.affected.first_mut().expect("an affected product");
    ap.impact = Some("impact".into());
    ap.origin = "/product_tree/branches/0".into();
    fill(&mut ap.product);
    let mut platform = ap.product.clone();
    fill(&mut platform);
    ap.relationships = vec![Relationship {
        category: RelationshipCategory::InstalledOn,
        platform: Box::new(platform),
    }];
    let full = Records::Advisories(vec![a.clone()]);
    let bytes = crate::store::encode(&full).expect("encode");
    let lean = crate::record::scan_records(&bytes).expect("scan decoding");
    let expect = as_scanned(a);
    assert_eq!(lean, Records::Advisories(vec![expect.clone()]));
    // What is kept is really there.
    let kept = &expect.affected[0];
    assert_eq!(kept.product.skus, ["SKU-1"]);
    assert_eq!(kept.product.hashes.len(), 1);
    assert_eq!(kept.relationships[0].platform.skus, ["SKU-1"]);
    assert!(kept.relationships[0].platform.branches.is_empty());
}
