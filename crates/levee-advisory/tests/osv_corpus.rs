//! OSV corpora: the Go vulnerability database (JSON), the PyPA advisory database (YAML), the
//! RustSec database (Markdown), and the OSV schema's linter and GHSA conversion test data.

use std::collections::BTreeMap;
use std::fs;

use levee_advisory::{RangeEvent, RangeKind, VersionSpec, osv, rustsec};

use crate::support::{data_dir, files, par_map};

#[test]
fn go_vulndb_json() {
    let Some(dir) = data_dir("osv-go-vulndb/osv") else {
        return;
    };
    let paths = files(&dir.join("osv-go-vulndb/osv"), &|n| n.ends_with(".json"));
    assert_eq!(paths.len(), 4291);
    let results = par_map(&paths, |p, b| {
        osv::parse_json(b)
            .map(|r| {
                let lints: Vec<_> = osv::lint(&r).into_iter().map(|w| w.code).collect();
                assert!(lints.is_empty(), "{}: {lints:?}", p.display());
                osv::to_advisory(&r)
            })
            .map_err(|e| format!("{}: {e}", p.display()))
    });
    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let advisories: Vec<_> = results.into_iter().flatten().collect();
    let semver = advisories
        .iter()
        .flat_map(|a| &a.affected)
        .flat_map(|p| &p.product.versions)
        .filter(|v| matches!(v, VersionSpec::Osv(r) if r.kind == RangeKind::Semver))
        .count();
    assert!(semver > 4000, "{semver} SEMVER ranges");
    assert!(advisories.iter().filter(|a| !a.cves.is_empty()).count() > 3000);
    assert!(
        advisories
            .iter()
            .all(|a| a.affected.iter().all(|p| p.product.ecosystem.is_some()))
    );
    let x = advisories
        .iter()
        .find(|a| a.id == "GO-2021-0113")
        .expect("GO-2021-0113");
    assert_eq!(x.cves, ["CVE-2021-38561"]);
    assert_eq!(x.aliases, ["GHSA-ppp9-7jff-5vj2"]);
    let VersionSpec::Osv(r) = &x.affected[0].product.versions[0] else {
        panic!("{x:?}")
    };
    assert_eq!(
        r.events,
        [
            RangeEvent::Introduced("0".into()),
            RangeEvent::Fixed("0.3.7".into())
        ]
    );
}

#[test]
fn pypa_yaml() {
    let Some(dir) = data_dir("osv-pypa") else { return };
    let paths = files(&dir.join("osv-pypa"), &|n| n.ends_with(".yaml"));
    assert_eq!(paths.len(), 2661);
    let results = par_map(&paths, |p, b| {
        osv::parse_yaml(b)
            .map(|r| {
                (
                    osv::lint(&r).into_iter().map(|w| w.code).collect::<Vec<_>>(),
                    osv::to_advisory(&r),
                )
            })
            .map_err(|e| format!("{}: {e}", p.display()))
    });
    let mut lints: BTreeMap<&str, usize> = BTreeMap::new();
    for (codes, _) in results.iter().flatten() {
        for c in codes {
            *lints.entry(c).or_default() += 1;
        }
    }
    println!("PyPA lints: {lints:?}");
    // Real oddities of the data set: ranges that introduce and fix the same version, and one
    // entry without any version information.
    assert_eq!(
        lints,
        BTreeMap::from([("no-versions", 1), ("nondistinct-events", 4)])
    );
    let results: Vec<_> = results.into_iter().map(|r| r.map(|(_, a)| a)).collect();
    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let advisories: Vec<_> = results.into_iter().flatten().collect();
    assert!(advisories.iter().all(|a| a.id.starts_with("PYSEC-")));
    let listed = advisories
        .iter()
        .flat_map(|a| &a.affected)
        .filter(|p| {
            p.product
                .versions
                .iter()
                .any(|v| matches!(v, VersionSpec::Versions(_)))
        })
        .count();
    assert!(listed > 2000, "{listed} packages with version lists");
    // Versions that YAML would read as numbers stay strings, as written.
    let with_cvss = advisories
        .iter()
        .filter(|a| a.cvss.iter().any(|s| s.base_score.is_some()))
        .count();
    println!(
        "PyPA: {} advisories, {with_cvss} with a CVSS vector",
        advisories.len()
    );
}

#[test]
fn rustsec_markdown() {
    let Some(dir) = data_dir("rustsec-advisory-db") else {
        return;
    };
    let paths = files(&dir.join("rustsec-advisory-db"), &|n| {
        n.starts_with("RUSTSEC-") && n.ends_with(".md")
    });
    let results = par_map(&paths, |p, b| {
        rustsec::parse(b).map_err(|e| format!("{}: {e}", p.display()))
    });
    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let advisories: Vec<_> = results.into_iter().flatten().collect();
    assert!(advisories.len() > 1200, "{}", advisories.len());
    let scored = advisories
        .iter()
        .filter(|a| a.cvss.iter().any(|s| s.base_score.is_some()))
        .count();
    let invalid = advisories
        .iter()
        .filter(|a| a.cvss.iter().any(|s| s.base_score.is_none()))
        .count();
    println!(
        "RustSec: {} advisories, {scored} with a valid CVSS vector, {invalid} with an invalid one",
        advisories.len()
    );
    assert!(scored > 400);
    assert!(
        advisories
            .iter()
            .all(|a| matches!(a.affected[0].product.versions[0], VersionSpec::NotIn { .. }))
    );
}

#[test]
fn linter_testdata_broken_records_are_rejected_or_flagged() {
    let Some(dir) = data_dir("osv-schema/linter-testdata") else {
        return;
    };
    let dir = dir.join("osv-schema/linter-testdata");
    let mut outcome = BTreeMap::new();
    for p in files(&dir, &|n| n.ends_with(".json")) {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let result = match osv::parse_json(&fs::read(&p).expect("read")) {
            Err(e) => format!("rejected: {e}"),
            Ok(r) => {
                let lints: Vec<_> = osv::lint(&r).into_iter().map(|w| w.code).collect();
                if lints.is_empty() {
                    "ok".to_owned()
                } else {
                    format!("flagged: {lints:?}")
                }
            }
        };
        outcome.insert(name, result);
    }
    println!("{outcome:#?}");
    assert!(outcome["nointroduced-CVE-2023-41045.json"].starts_with("rejected"));
    assert!(outcome["nondistinct-CVE-2018-5407.json"].contains("nondistinct-events"));
    for ok in [
        "CVE-2018-5407.json",
        "CVE-2023-41045.json",
        "GO-2020-0001.json",
        "PYSEC-2023-74.json",
    ] {
        assert_eq!(outcome[ok], "ok", "{ok}");
    }
}

#[test]
fn ghsa_conversion_outputs_parse() {
    let Some(dir) = data_dir("osv-schema/ghsa-to-osv-testdata") else {
        return;
    };
    let dir = dir.join("osv-schema/ghsa-to-osv-testdata");
    let paths = files(&dir, &|n| n.ends_with(".osv.json"));
    assert_eq!(paths.len(), 11);
    for p in paths {
        let rec =
            osv::parse_json(&fs::read(&p).expect("read")).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let a = osv::to_advisory(&rec);
        if p.to_string_lossy().contains("withdrawn") {
            assert!(a.withdrawn.is_some());
        }
        assert!(!a.affected.is_empty(), "{}", p.display());
    }
}
