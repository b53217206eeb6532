//! Unit tests of the free-text range reader: every documented form, and refusals.

use super::*;

fn read(s: &str) -> String {
    parse_free_text_range(s)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_string()
}

fn refuse(s: &str) -> FreeTextErrorKind {
    match parse_free_text_range(s) {
        Ok(r) => panic!("{s:?} read as {r}"),
        Err(e) => {
            assert_eq!(e.text, s);
            e.kind
        }
    }
}

#[test]
fn operator_forms() {
    assert_eq!(read("< V3.1"), "vers:industrial/<V3.1");
    assert_eq!(read("<= 6.3.5.11"), "vers:industrial/<=6.3.5.11");
    assert_eq!(read("<=V2.90 SP1"), "vers:industrial/<=V2.90%20SP1");
    assert_eq!(read(">= 1.0 < 2.3"), "vers:industrial/>=1.0|<2.3");
    assert_eq!(read(">=1.0|<2.0"), "vers:industrial/>=1.0|<2.0");
    assert_eq!(read(">= 1.0 | <= 1.32"), "vers:industrial/>=1.0|<=1.32");
    assert_eq!(read("> V1.1 and < V1.3.2"), "vers:industrial/>V1.1|<V1.3.2");
    assert_eq!(read("= 4.0"), "vers:industrial/4.0");
    assert_eq!(read("== 4.0"), "vers:industrial/4.0");
    assert_eq!(read("< 1.99 | 2.20 | 2.40"), "vers:industrial/<1.99|2.20|2.40");
    assert_eq!(read("Versions V8.0, V8.1"), "vers:industrial/V8.0|V8.1");
    assert_eq!(
        read(">=  5.2.0 build 140721 | <= 5.4.0  Build 160414"),
        "vers:industrial/>=5.2.0%20build%20140721|<=5.4.0%20Build%20160414"
    );
    assert_eq!(
        read(" <1.000.HW00.21.20190812"),
        "vers:industrial/<1.000.HW00.21.20190812"
    );
    assert_eq!(
        read(">= V9.1 Upd 7 < V9.2 SP 1"),
        "vers:industrial/>=V9.1%20Upd%207|<V9.2%20SP%201"
    );
}

#[test]
fn all_versions() {
    for s in [
        "all versions",
        "All versions",
        "All Versions",
        "all",
        "ALL",
        " all  versions ",
    ] {
        assert_eq!(read(s), "vers:industrial/*", "{s}");
    }
    assert_eq!(read("All versions < V6.4"), "vers:industrial/<V6.4");
    assert_eq!(read("All versions  >= V5.1.1"), "vers:industrial/>=V5.1.1");
    assert_eq!(
        read("All versions >= V2.0 and < V2.5"),
        "vers:industrial/>=V2.0|<V2.5"
    );
    assert_eq!(
        read("All firmware versions < V6.00.320"),
        "vers:industrial/<V6.00.320"
    );
    assert_eq!(read("All versions prior to V1.5.1"), "vers:industrial/<V1.5.1");
}

#[test]
fn phrase_forms() {
    assert_eq!(read("versions prior to 4.2"), "vers:industrial/<4.2");
    assert_eq!(read("prior to V5.1"), "vers:industrial/<V5.1");
    assert_eq!(read("before 2.0"), "vers:industrial/<2.0");
    assert_eq!(read("V3.0 and prior"), "vers:industrial/<=V3.0");
    assert_eq!(read("3.2 and earlier"), "vers:industrial/<=3.2");
    assert_eq!(read("2.3.6 and  below"), "vers:industrial/<=2.3.6");
    assert_eq!(read("up to 7.1"), "vers:industrial/<=7.1");
    assert_eq!(read("up to and including 7.1"), "vers:industrial/<=7.1");
    assert_eq!(read("4.2 and later"), "vers:industrial/>=4.2");
    assert_eq!(read("1.0 through 1.9"), "vers:industrial/>=1.0|<=1.9");
    assert_eq!(read("from 2.0 to 2.5"), "vers:industrial/>=2.0|<=2.5");
    assert_eq!(read("Versions 2.00 to 6.11"), "vers:industrial/>=2.00|<=6.11");
    assert_eq!(read("2.0 - 2.5"), "vers:industrial/>=2.0|<=2.5");
    assert_eq!(
        read("01.14.000 -01.47.000"),
        "vers:industrial/>=01.14.000|<=01.47.000"
    );
    assert_eq!(read("only 1.2.3"), "vers:industrial/1.2.3");
    assert_eq!(read("4.0"), "vers:industrial/4.0");
    assert_eq!(read("Version 2.2.0"), "vers:industrial/2.2.0");
    assert_eq!(read("Version V4.4"), "vers:industrial/V4.4");
    assert_eq!(read("<V4.5.2 (or any later version)"), "vers:industrial/<V4.5.2");
    assert_eq!(
        read("All versions between V2.5 (including) and V2.7 (excluding)"),
        "vers:industrial/>=V2.5|<V2.7"
    );
    assert_eq!(
        read("2.0.3.00.016 (including) and 2.0.6 (excluding)"),
        "vers:industrial/>=2.0.3.00.016|<2.0.6"
    );
}

#[test]
fn contains_after_reading() {
    let r = parse_free_text_range("< V3.1").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.contains("V3.0 SP9"), Ok(true));
    assert_eq!(r.contains("3.1.0"), Ok(false));
    let r = parse_free_text_range(">= V7.80 < V9.30").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.contains("V9.30"), Ok(false));
    assert_eq!(r.contains("V7.80"), Ok(true));
}

#[test]
fn refusals() {
    assert_eq!(refuse(""), FreeTextErrorKind::Empty);
    assert_eq!(refuse("   "), FreeTextErrorKind::Empty);
    assert!(matches!(
        refuse("< January 31 2014"),
        FreeTextErrorKind::Version(_)
    ));
    assert!(matches!(
        refuse("distributed  < april 1, 2018"),
        FreeTextErrorKind::Version(_)
    ));
    assert!(matches!(refuse("<April/20/2023"), FreeTextErrorKind::Version(_)));
    assert!(matches!(refuse("< V3.X.17"), FreeTextErrorKind::Version(_)));
    assert!(matches!(
        refuse("<=the_first_5_digits_of_serial_number_22081"),
        FreeTextErrorKind::Version(_)
    ));
    assert_eq!(
        refuse("All versions with Ethernet interface"),
        FreeTextErrorKind::Conditional
    );
    assert!(matches!(
        refuse("All BIOS versions < V1.0.212N"),
        FreeTextErrorKind::Version(_)
    ));
    assert_eq!(refuse("< 12.4 (firmware 1.46)"), FreeTextErrorKind::Conditional);
    assert_eq!(
        refuse("< V10.4.1 only if web components are used"),
        FreeTextErrorKind::Conditional
    );
    assert_eq!(
        refuse("< 19.0.1 | < 18.0.1 | < 15.0.1"),
        FreeTextErrorKind::OutOfOrder
    );
    assert!(matches!(
        refuse("<= 4.2.21 | <= 5.0.27 | <= 5.1.19"),
        FreeTextErrorKind::InvalidRange(_)
    ));
    assert!(matches!(refuse("NMC2 <= 6.9.6"), FreeTextErrorKind::Version(_)));
    assert!(matches!(
        refuse("SV3.20 | 3.30"),
        FreeTextErrorKind::Incomparable(..)
    ));
    assert_eq!(refuse("< 1.0 and > 2.0"), FreeTextErrorKind::Contradictory);
    assert!(matches!(refuse("2014-2016"), FreeTextErrorKind::Ambiguous(_)));
    assert!(matches!(refuse("20-33"), FreeTextErrorKind::Ambiguous(_)));
    assert!(matches!(
        refuse(">= 1.0 < 2.0 (or any later version)"),
        FreeTextErrorKind::Ambiguous(_)
    ));
    assert!(matches!(
        refuse("Versions V7.1 < V7.1 Upd3"),
        FreeTextErrorKind::InvalidRange(_)
    ));
    assert!(matches!(refuse("<1.0 |"), FreeTextErrorKind::Unrecognized));
    assert!(matches!(refuse("< "), FreeTextErrorKind::Unrecognized));
    assert!(matches!(
        refuse("MLFB 6SR32..-…..-…."),
        FreeTextErrorKind::NonAscii('…')
    ));
    assert!(matches!(refuse("vers:npm/1.0.0"), FreeTextErrorKind::Version(_)));
    let e = parse_free_text_range("< V2.0 | < Jan 2019").expect_err("must fail");
    assert_eq!(e.position, 11);
}

#[test]
fn advisory_ranges() {
    let r = parse_advisory_range("vers:all/*").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (r.form, r.range.to_string()),
        (RangeForm::VersAll, "vers:industrial/*".to_owned())
    );
    let r = parse_advisory_range("vers:all/>=V5.4<V5.5 SP1").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.range.to_string(), "vers:industrial/>=V5.4|<V5.5%20SP1");
    let r = parse_advisory_range("vers:all/>=V11.5.1|<V11.6.2").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.range.constraints().len(), 2);
    assert!(parse_advisory_range("vers:all/*_installed_on_CP200_devices").is_err());
    let r = parse_advisory_range("vers:semver/>=1.0.0|<2.0.0").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.form, RangeForm::Vers);
    let e = parse_advisory_range("vers:semver/>=1.0.0|>=2.0.0").expect_err("must fail");
    assert!(matches!(e.kind, FreeTextErrorKind::Vers(_)));
    let r = parse_advisory_range("< V3.1").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.form, RangeForm::FreeText);
}

#[test]
fn dashes_and_redundant_versions_are_ambiguous() {
    assert!(matches!(
        refuse("12.0.1-12.0.13"),
        FreeTextErrorKind::Ambiguous(_)
    ));
    assert!(matches!(
        refuse("< 6.5.1.5-4.3.1.8"),
        FreeTextErrorKind::Ambiguous(_)
    ));
    assert!(matches!(
        refuse(">= 2.0.0 | 2.6.2"),
        FreeTextErrorKind::Ambiguous(_)
    ));
    assert_eq!(read("6.00-20140306"), "vers:industrial/6.00-20140306");
    assert_eq!(read("<= 1-02-08"), "vers:industrial/<=1-02-08");
    assert_eq!(read("<=8.1 | >= 8.1.10"), "vers:industrial/<=8.1|>=8.1.10");
}

#[test]
fn misspelled_operators() {
    assert_eq!(read("=> 5.0 | <= 5.0.5.31"), "vers:industrial/>=5.0|<=5.0.5.31");
    assert_eq!(read(">=8.0|=<8.5"), "vers:industrial/>=8.0|<=8.5");
}
