//! Unit tests of vers parsing, normalization, validation, containment and display.

use super::*;
use crate::vers::parse::VersErrorKind as K;

fn range(s: &str) -> VersRange {
    VersRange::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

fn kind(s: &str) -> (usize, K) {
    let e = VersRange::parse(s).expect_err(s);
    (e.position, e.kind)
}

#[test]
fn normalizes_on_display() {
    assert_eq!(range("vers:semver/=1.3.4").to_string(), "vers:semver/1.3.4");
    assert_eq!(range("VERS:PyPI/<2|>=1").to_string(), "vers:pypi/>=1|<2");
    assert_eq!(
        range("vers:pypi/0.0.2|0.0.6|0.0.0|0.0.1").to_string(),
        "vers:pypi/0.0.0|0.0.1|0.0.2|0.0.6"
    );
    assert_eq!(range("vers:deb/*").to_string(), "vers:deb/*");
    assert_eq!(range("vers:debian/>=1:1.0").to_string(), "vers:deb/>=1:1.0");
    assert_eq!(
        range("vers:industrial/<V2.90%20SP1").to_string(),
        "vers:industrial/<V2.90%20SP1"
    );
    assert_eq!(
        range("vers:industrial/<V2.90%20SP1").constraints()[0].version,
        "V2.90 SP1"
    );
    assert_eq!(range("vers:generic/1.0%7C2").constraints()[0].version, "1.0|2");
    assert_eq!(range("vers:generic/1.0%7c2").to_string(), "vers:generic/1.0%7C2");
}

#[test]
fn display_parses_back() {
    for s in [
        "vers:npm/1.2.3|>=2.0.0|<5.0.0",
        "vers:gem/>=2.2.0|!=2.2.1|<2.3.0",
        "vers:maven/>=1.0-alpha|<1.0",
        "vers:pypi/<=1.3.0|3.0.0",
        "vers:industrial/>=V2.0|<V2.2.28",
    ] {
        let Ok(r) = VersRange::parse(s) else {
            assert!(s.starts_with("vers:gem"));
            continue;
        };
        assert_eq!(range(&r.to_string()), r);
    }
}

#[test]
fn validation_errors_say_where() {
    assert_eq!(kind("npm/1.0"), (0, K::NotVers));
    assert_eq!(kind("vers:npm"), (8, K::MissingSlash));
    assert_eq!(kind("vers:1npm/1"), (5, K::InvalidType("1npm".into())));
    assert_eq!(kind("vers:foo/1"), (5, K::UnknownScheme("foo".into())));
    assert_eq!(kind("vers:npm/"), (9, K::NoConstraints));
    assert_eq!(kind("vers:npm/1.0.0| 2.0.0"), (15, K::Whitespace));
    assert_eq!(kind("vers:npm/1.0.0||2.0.0"), (15, K::EmptyConstraint));
    assert_eq!(kind("vers:npm/|1.0.0"), (9, K::EmptyConstraint));
    assert_eq!(kind("vers:npm/1.0.0|"), (15, K::EmptyConstraint));
    assert_eq!(kind("vers:npm/>="), (11, K::EmptyVersion));
    assert_eq!(kind("vers:npm/*|1.0.0"), (9, K::StarNotAlone));
    assert_eq!(kind("vers:npm/1.0.0|*"), (15, K::StarNotAlone));
    assert_eq!(kind("vers:npm/1.0%2"), (12, K::BadPercentEncoding));
    assert_eq!(kind("vers:npm/1.0%zz"), (12, K::BadPercentEncoding));
    assert_eq!(kind("vers:npm/1.0%ff"), (9, K::BadPercentEncoding));
    assert_eq!(kind("vers:npm/>=<1"), (11, K::MustBeEncoded('<')));
    assert!(matches!(kind("vers:npm/1.x"), (9, K::Version(_))));
    assert_eq!(
        kind("vers:pypi/1.0|1.0.0"),
        (14, K::DuplicateVersion("1.0.0".into()))
    );
    assert_eq!(
        kind("vers:pypi/>=1|>=2"),
        (14, K::InvalidSequence(">=1".into(), ">=2".into()))
    );
    assert_eq!(
        kind("vers:pypi/<1|<=2"),
        (13, K::InvalidSequence("<1".into(), "<=2".into()))
    );
    assert_eq!(
        kind("vers:pypi/1|<2"),
        (12, K::InvalidSequence("1".into(), "<2".into()))
    );
    assert!(VersRange::parse("vers:pypi/<1|2|>=3|!=4|<5").is_ok());
    assert!(VersRange::parse("vers:pypi/1|2|>3").is_ok());
    assert!(VersRange::parse("vers:pypi/>1|2").is_ok());
}

#[test]
fn unvalidated_keeps_duplicates_sorted() {
    let s = "vers:pypi/>0.0.0|>=0.0.1|>=0.0.1|0.0.2|<0.0.5|<=0.0.6|!=0.7";
    let r = VersRange::parse_unvalidated(s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.to_string(), s);
    assert!(r.validate().is_err());
    assert!(VersRange::parse(s).is_err());
}

#[test]
fn containment() {
    let r = range("vers:pypi/>=1.0.0|<=2.0.0");
    assert_eq!(r.contains("1.5"), Ok(true));
    assert_eq!(r.contains("2.0"), Ok(true));
    assert_eq!(r.contains("2.0.1"), Ok(false));
    assert_eq!(r.contains("0.9"), Ok(false));
    let r = range("vers:npm/<1.0.0|2.0.0|>=3.0.0|!=3.1.0|<4.0.0");
    let expect = [
        ("0.5.0", true),
        ("1.0.0", false),
        ("2.0.0", true),
        ("2.5.0", false),
        ("3.0.0", true),
        ("3.1.0", false),
        ("3.9.9", true),
        ("4.0.0", false),
    ];
    for (v, want) in expect {
        assert_eq!(r.contains(v), Ok(want), "{v}");
    }
    assert_eq!(range("vers:npm/>1.0.0").contains("1.0.1"), Ok(true));
    assert_eq!(range("vers:npm/>1.0.0").contains("1.0.0"), Ok(false));
    assert_eq!(range("vers:npm/<=1.0.0").contains("1.0.0"), Ok(true));
    assert_eq!(range("vers:npm/*").contains("9.9.9"), Ok(true));
    assert!(range("vers:npm/*").contains("not a version").is_err());
    assert!(range("vers:npm/<1.0.0").contains("1.x").is_err());
}

#[test]
fn industrial_containment_refuses_other_series() {
    let r = range("vers:industrial/<V3.1");
    assert_eq!(r.contains("V3.0 SP9"), Ok(true));
    assert_eq!(r.contains("V3.1"), Ok(false));
    let e = r.contains("A11_U05").expect_err("must fail");
    assert!(matches!(e.kind, VersionErrorKind::Incomparable(_)));
}

#[test]
fn from_constraints_sorts_and_validates() {
    let r = VersRange::from_constraints(
        Scheme::Maven,
        vec![
            Constraint::new(Comparator::LessThan, "2.0"),
            Constraint::new(Comparator::GreaterOrEqual, "1.0-alpha"),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.to_string(), "vers:maven/>=1.0-alpha|<2.0");
    let e = VersRange::from_constraints(
        Scheme::Maven,
        vec![
            Constraint::new(Comparator::LessThan, "2.0"),
            Constraint::new(Comparator::LessThan, "1.0"),
        ],
    )
    .expect_err("must fail");
    assert_eq!(e.input, "vers:maven/<2.0|<1.0");
    assert_eq!(e.position, 11);
    assert!(VersRange::from_constraints(Scheme::Npm, vec![]).is_err());
    assert!(VersRange::from_constraints(Scheme::Npm, vec![Constraint::any()]).is_ok_and(|r| r.is_any()));
    assert!(
        VersRange::from_constraints(
            Scheme::Npm,
            vec![Constraint::any(), Constraint::new(Comparator::Equal, "1.0.0")]
        )
        .is_err()
    );
}
