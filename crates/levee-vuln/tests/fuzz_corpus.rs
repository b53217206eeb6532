//! Replays the `vex` and `range` fuzz corpora through the fuzz targets' entry points.

#[test]
fn vex_corpus() {
    levee_testutil::replay_corpus("vex", levee_vuln::fuzzing::vex);
}

#[test]
fn range_corpus() {
    levee_testutil::replay_corpus("range", levee_vuln::fuzzing::range);
}

/// A RustSec requirement whose bound is the largest `u64` has no successor: the finding needs
/// review (it used to overflow: a panic in debug builds, a wrapped bound in release builds).
#[test]
fn an_overflowing_cargo_bound_is_unknown_not_a_panic() {
    use levee_advisory::VersionSpec;
    use levee_vuln::range::{Outcome, Prepared};
    for req in [
        "^18446744073709551615",
        "~18446744073709551615",
        "^0.18446744073709551615",
        "^0.0.18446744073709551615",
    ] {
        let spec = VersionSpec::NotIn {
            patched: vec![req.to_owned()],
            unaffected: Vec::new(),
        };
        let p = Prepared::new(&spec, levee_version::Scheme::Cargo);
        match p.evaluate("1.0.0") {
            Outcome::Unknown(reason) => assert!(reason.contains("no successor"), "{req}: {reason}"),
            other => panic!("{req}: {other:?}"),
        }
    }
}
