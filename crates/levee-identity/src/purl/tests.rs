//! Unit tests of purl parsing, building and canonicalisation beyond the conformance suite.

use super::*;

#[test]
fn encoding_variants_compare_equal() {
    let a = Purl::parse("pkg:maven/org.apache/commons-io@2.6").unwrap();
    let b = Purl::parse("pkg:maven/org%2Eapache/commons%2Dio@2%2E6").unwrap();
    assert_eq!(a, b);
    assert_eq!(b.to_string(), "pkg:maven/org.apache/commons-io@2.6");
}

#[test]
fn qualifiers_are_sorted_and_empty_values_dropped() {
    let p = Purl::parse("pkg:deb/debian/curl@7.50.3-1?distro=jessie&arch=i386&empty=").unwrap();
    assert_eq!(
        p.to_string(),
        "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie"
    );
}

#[test]
fn lenient_parse_lowercases_keys() {
    assert!(Purl::parse("pkg:gem/jruby-launcher@1.1.2?Platform=java").is_err());
    let p = Purl::parse_lenient(" pkg:gem/jruby-launcher@1.1.2?Platform=java ").unwrap();
    assert_eq!(p.qualifier("platform"), Some("java"));
}

#[test]
fn subpath_drops_dot_segments() {
    let p = Purl::parse("pkg:golang/google.golang.org/genproto#/googleapis/./../api/").unwrap();
    assert_eq!(p.subpath(), Some("googleapis/api"));
}

#[test]
fn without_and_with_version() {
    let p = Purl::parse("pkg:pypi/Django@1.0?x=y").unwrap();
    assert_eq!(p.without_version().to_string(), "pkg:pypi/django");
    assert_eq!(
        p.without_version().with_version(Some("2.0")).to_string(),
        "pkg:pypi/django@2.0"
    );
}

#[test]
fn errors() {
    assert_eq!(Purl::parse("maven/a/b"), Err(PurlError::MissingScheme));
    assert_eq!(Purl::parse("pkg:maven"), Err(PurlError::MissingType));
    assert!(matches!(Purl::parse("pkg:3x/a"), Err(PurlError::InvalidType(_))));
    assert!(matches!(
        Purl::parse("pkg:npm/a%zz"),
        Err(PurlError::InvalidEncoding(_))
    ));
    assert!(matches!(
        Purl::parse("pkg:npm/a?b=1&b=2"),
        Err(PurlError::DuplicateQualifier(_))
    ));
}

#[test]
fn serde_uses_the_canonical_string() {
    let p: Purl = serde_json::from_str("\"pkg:NPM/foo@1\"").unwrap();
    assert_eq!(serde_json::to_string(&p).unwrap(), "\"pkg:npm/foo@1\"");
}

#[test]
fn lenient_parsing_repairs_what_generators_write() {
    let repaired = |s: &str| Purl::parse_lenient(s).map(|p| p.to_string());
    // Go: no namespace for the standard library and vanity domains; `std` and `go1.x` spellings.
    assert_eq!(
        repaired("pkg:golang/stdlib@1.18.10").as_deref(),
        Ok("pkg:golang/stdlib@1.18.10")
    );
    assert_eq!(
        repaired("pkg:golang/std@go1.18.10").as_deref(),
        Ok("pkg:golang/stdlib@1.18.10")
    );
    assert_eq!(
        repaired("pkg:golang/tailscale.com@v1.32.0").as_deref(),
        Ok("pkg:golang/tailscale.com@v1.32.0")
    );
    assert!(
        Purl::parse("pkg:golang/stdlib@1.18.10").is_err(),
        "strict parsing follows the spec"
    );
    // `pip` is `pypi`; an encoded `@` with or without the version repeated.
    assert_eq!(
        repaired("pkg:PIP/requests@2.19.0").as_deref(),
        Ok("pkg:pypi/requests@2.19.0")
    );
    assert_eq!(
        repaired("pkg:npm/lodash%404.17.15").as_deref(),
        Ok("pkg:npm/lodash@4.17.15")
    );
    assert_eq!(
        repaired("pkg:npm/%40babel/core%407.0.0@7.0.0").as_deref(),
        Ok("pkg:npm/%40babel/core@7.0.0")
    );
    // A scoped npm name alone keeps its `@`.
    assert_eq!(
        repaired("pkg:npm/%40babel/core@7.0.0").as_deref(),
        Ok("pkg:npm/%40babel/core@7.0.0")
    );
    // Maven `group:artifact` as the name.
    assert_eq!(
        repaired("pkg:MAVEN/com.fasterxml.jackson.core:jackson-databind@2.9.8").as_deref(),
        Ok("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8")
    );
    // `group:artifact:version` as the name; a name with an `@` that is no version stays.
    assert_eq!(
        repaired("pkg:maven/org.apache.logging.log4j:log4j-core:2.14.1").as_deref(),
        Ok("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
    );
    assert_eq!(
        repaired("pkg:generic/foo%40bar").as_deref(),
        Ok("pkg:generic/foo%40bar")
    );
    // Different versions in the name and after it are not guessed at.
    assert_eq!(
        repaired("pkg:npm/lodash%401.0.0@2.0.0").as_deref(),
        Ok("pkg:npm/lodash%401.0.0@2.0.0")
    );
}
