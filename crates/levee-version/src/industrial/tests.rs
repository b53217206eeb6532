//! Unit tests of the industrial scheme: the orders ICS advisories rely on, and what is not a
//! version.

use std::cmp::Ordering;

use super::{IndustrialVersion, Qualifier};
use crate::VersionErrorKind;

fn v(s: &str) -> IndustrialVersion {
    IndustrialVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_order(list: &[&str]) {
    for w in list.windows(2) {
        let (a, b) = (v(w[0]), v(w[1]));
        assert!(a < b, "{} < {}", w[0], w[1]);
        assert!(a.is_comparable(&b), "{} ~ {}", w[0], w[1]);
    }
}

#[test]
fn service_packs() {
    assert_order(&["V2.90", "V2.90 SP1", "V2.90 SP2", "V3.0"]);
    assert!(v("V3.1") > v("V3.0 SP9"));
    assert_order(&[
        "V5.2",
        "V5.2 HF2",
        "V5.2 SP3",
        "V5.2 SP 3 HF 13",
        "V5.2 SP3 HF15",
        "V5.3",
    ]);
    assert_order(&["V14", "V14 Update 20", "V14 SP1", "V14 SP1 Update 14", "V15"]);
}

#[test]
fn dashed_numbers() {
    assert_order(&["1-02-08", "1-02-10", "1-10-00"]);
    assert_eq!(v("1-02-08"), v("1.2.8"));
}

#[test]
fn series_and_updates() {
    assert_order(&["A11_U05", "A11_U10", "A12"]);
    assert_eq!(v("A11_U05").series(), Some("a"));
    assert_eq!(v("A11_U05").qualifiers(), [Qualifier::Update]);
    assert_order(&["p9", "p15"]);
    assert_order(&["SV3.20", "SV3.40"]);
    assert!(!v("A11").is_comparable(&v("B11")));
    assert!(!v("SV3.20").is_comparable(&v("3.30")));
    assert!(!v("p9").is_comparable(&v("1.0")));
}

#[test]
fn hotfixes_updates_and_releases() {
    assert!(v("8.2.1 HF3") > v("8.2.1"));
    assert!(v("V4.3.1 Update 2") > v("V4.3.1"));
    assert_order(&["R138-V2", "R138-V3", "R139"]);
    assert_order(&["2019", "2019 R2", "2020"]);
    assert_order(&["V22", "V22R2", "V23"]);
    assert_order(&["2014 R2", "2014 R2 SP1", "2014 R2 SP1 P01", "2014 R3"]);
    assert_order(&["V17 Update 5", "V17_Update_7", "V223.0Update2"]);
    assert_order(&["3.4.4", "3.4.4 Build 16102416", "3.4.4 Build 16102417", "3.4.5"]);
    assert_order(&["V20.2 HotfixRev14", "V20.3"]);
    assert_order(&["1.5.0.0 Beta 4", "1.5.0.0 rc1", "1.5.0.0"]);
    assert_eq!(v("V1.8.4 Service Pack 01"), v("1.8.4 sp1"));
}

#[test]
fn trailing_zeros_prefixes_and_case() {
    assert!(v("11.6") < v("11.6.1"));
    assert_eq!(v("11.6"), v("11.6.0"));
    assert_eq!(v("V2.90"), v("2.90"));
    assert_eq!(v("v2.90 sp1"), v("V2.90 SP1"));
    assert_eq!(v("Ver.9.1.0"), v("9.1"));
    assert_eq!(v("Version 3.2"), v("v.3.2"));
    assert_eq!(v("Firmware__20.011"), v("FW 20.11"));
    assert_eq!(v("R9.90"), v("9.90"));
    assert_eq!(v("V05"), v("5"));
    assert!(v("2.90") > v("2.9"));
}

#[test]
fn letter_suffixes_and_labels() {
    assert_order(&["1.03", "1.03C", "1.03D", "1.04"]);
    assert_order(&["V1.0.212", "V1.0.212N", "V1.0.213"]);
    assert_order(&["1.1.1k", "1.1.1w", "1.1.2"]);
    assert_order(&["1.000.HW00.21.20190812", "1.000.HW00.22.20190101"]);
    assert!(!v("1.000.HW00.21").is_comparable(&v("1.000.21")));
    assert_order(&["SE2021MP5", "SE2021MP9", "SE2022MP1"]);
    assert_order(&["V16 Update 3", "V16 Update 3a", "V16 Update 4"]);
}

#[test]
fn normalized_spelling() {
    assert_eq!(v("V2.90 Service Pack 01").normalized(), "2.90 sp1");
    assert_eq!(v("A11_U05").normalized(), "a11 update5");
    assert_eq!(v("p9").normalized(), "patch9");
    assert_eq!(v("1-02-08").normalized(), "1.2.8");
}

#[test]
fn not_versions() {
    let cases: &[(&str, VersionErrorKind)] = &[
        ("", VersionErrorKind::Empty),
        ("   ", VersionErrorKind::Empty),
        ("...", VersionErrorKind::NotAVersion),
        ("-_-", VersionErrorKind::NotAVersion),
        ("LF", VersionErrorKind::NotAVersion),
        ("January 31 2014", VersionErrorKind::UnknownWord("january".into())),
        ("V3.X.17", VersionErrorKind::Wildcard),
        ("7.x", VersionErrorKind::Wildcard),
        ("8.1x", VersionErrorKind::Wildcard),
        ("April/20/2023", VersionErrorKind::InvalidCharacter('/')),
        ("02.07.07(10)", VersionErrorKind::InvalidCharacter('(')),
        ("NVR 5.6 Build 595", VersionErrorKind::UnknownWord("nvr".into())),
        ("QRTB_2.12.7", VersionErrorKind::UnknownWord("qrtb".into())),
        ("V18.0 UPD 1 SR 1", VersionErrorKind::UnknownWord("sr".into())),
        ("VX.223.0 Update 3", VersionErrorKind::UnknownWord("vx".into())),
        (
            "3.2.0-12_v1",
            VersionErrorKind::Invalid("a second version marker"),
        ),
        (
            "v36.011_v35.013",
            VersionErrorKind::Invalid("a second version marker"),
        ),
        ("CPCI85 V05", VersionErrorKind::UnknownWord("cpci".into())),
        ("A85 V05", VersionErrorKind::Invalid("a second version marker")),
        (
            "2.51 2.52",
            VersionErrorKind::Invalid("a space separates two numbers"),
        ),
        ("1..2", VersionErrorKind::Invalid("two separators in a row")),
        (
            "1.0.",
            VersionErrorKind::Invalid("a version cannot start or end with a separator"),
        ),
        (
            "d78dda6",
            VersionErrorKind::Invalid("this looks like a commit hash"),
        ),
        (
            "Service Pack R8.2 SP2",
            VersionErrorKind::Invalid("this qualifier needs a number"),
        ),
        ("1.0abc", VersionErrorKind::UnknownWord("abc".into())),
        ("V2.2 Ü", VersionErrorKind::InvalidCharacter('Ü')),
    ];
    for (s, kind) in cases {
        match IndustrialVersion::parse(s) {
            Ok(v) => panic!("{s:?} parsed as {v:?}"),
            Err(e) => assert_eq!(&e.kind, kind, "{s:?}"),
        }
    }
    let e = IndustrialVersion::parse("  V1.0 Foo").expect_err("must fail");
    assert_eq!(e.position, 7);
}

#[test]
fn order_is_total_and_consistent() {
    let all = [
        "V2.90",
        "V2.90 SP1",
        "1-02-08",
        "A11_U05",
        "p9",
        "2019 R2",
        "SV3.20",
        "1.03D",
        "V14 SP1 Update 14",
        "1.000.HW00.21",
        "1.5 beta",
        "3.4.4 Build 1",
        "R138-V2",
        "0",
        "V0.0.1",
    ];
    let vs: Vec<IndustrialVersion> = all.iter().map(|s| v(s)).collect();
    for a in &vs {
        for b in &vs {
            assert_eq!(a.cmp(b), b.cmp(a).reverse(), "{a} vs {b}");
            for c in &vs {
                if a <= b && b <= c {
                    assert_ne!(a.cmp(c), Ordering::Greater, "{a} <= {b} <= {c}");
                }
            }
        }
    }
}

#[test]
fn product_names_and_hashes_are_not_versions() {
    for s in [
        "ICMPv4",
        "HPSS16",
        "ALERT4000",
        "1783-SAD2T2SBK9",
        "H2W2PC1M",
        "1.4.2.0-9d9eff4",
        "nxpg100cv4-0-0",
    ] {
        assert!(IndustrialVersion::parse(s).is_err(), "{s}");
    }
    for s in ["A11", "SV3.20", "BT06", "V9.0 SP3 UC04", "Firmware__20.054_kit1"] {
        assert!(IndustrialVersion::parse(s).is_ok(), "{s}");
    }
}
