//! CPE parsing, binding and matching cases, many from NIST IR 7695 and 7696.

use super::matching::compare_attr;
use super::*;

fn cpe(s: &str) -> Cpe {
    Cpe::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn formatted_string_round_trip() {
    for s in [
        "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
        "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
        "cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:special:ipod_touch:80gb:*",
        "cpe:2.3:a:hp:insight:7.4.0.1570:-:*:*:online:win2003:x64:*",
        "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
        "cpe:2.3:a:apache:http_server:2.4.1-rc\\:1:*:*:*:*:*:*:*",
    ] {
        assert_eq!(cpe(s).to_string(), s);
    }
}

#[test]
fn quoting_is_removed_and_case_folded() {
    let c = cpe("cpe:2.3:a:Foo\\\\Bar:Big\\$Money:*:*:*:*:*:*:*:*");
    assert_eq!(c.vendor().as_literal(), Some("foo\\bar"));
    assert_eq!(c.product().as_literal(), Some("big$money"));
    // `.`, `-` and `_` may be quoted or not.
    assert_eq!(
        cpe("cpe:2.3:a:a\\.b\\-c:p:*:*:*:*:*:*:*:*"),
        cpe("cpe:2.3:a:a.b-c:p:*:*:*:*:*:*:*:*")
    );
}

#[test]
fn uri_binding() {
    let c = cpe("cpe:/a:microsoft:internet_explorer:8.0.6001:beta");
    assert_eq!(
        c.to_string(),
        "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*"
    );
    let packed = cpe("cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~");
    assert_eq!(
        packed.to_string(),
        "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*"
    );
    let esc = cpe("cpe:/a:foo%5cbar:big%24money_manager_2010");
    assert_eq!(esc.vendor().as_literal(), Some("foo\\bar"));
    let wild = cpe("cpe:/a:microsoft:internet_explorer:8.%02:sp%01");
    assert_eq!(
        wild.to_string(),
        "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*"
    );
    assert_eq!(
        cpe("cpe:/o:redhat:rhel_tus:7.6::server").attr(5).as_literal(),
        Some("server")
    );
}

#[test]
fn malformed_names_are_rejected() {
    for s in [
        "cpe:2.3:a:vendor:product",
        "cpe:2.3:x:vendor:product:*:*:*:*:*:*:*:*",
        "cpe:2.3:a:ven*dor:product:*:*:*:*:*:*:*:*",
        "cpe:2.3:a:vendor:pro duct:*:*:*:*:*:*:*:*",
        "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*\\",
        "cpe:2.3:a::product:*:*:*:*:*:*:*:*",
        "cpe:/a:vendor:product:%zz",
        "cpe:/a:b:c:d:e:f:g:h",
        "cpe:/a:b:c:d:e:~a~b",
        "notacpe",
    ] {
        assert!(Cpe::parse(s).is_err(), "{s} parsed");
    }
}

#[test]
fn attribute_relations_follow_table_6_2() {
    let v = |s: &str| -> AttrValue {
        match s {
            "ANY" => AttrValue::Any,
            "NA" => AttrValue::Na,
            _ => unbind_fs("vendor", s).unwrap(),
        }
    };
    use Relation::*;
    let rows = [
        ("ANY", "ANY", Equal),
        ("ANY", "NA", Superset),
        ("ANY", "i", Superset),
        ("ANY", "m*", Undefined),
        ("NA", "ANY", Subset),
        ("NA", "NA", Equal),
        ("NA", "i", Disjoint),
        ("NA", "m*", Undefined),
        ("i", "ANY", Subset),
        ("i", "NA", Disjoint),
        ("i", "i", Equal),
        ("i", "k", Disjoint),
        ("i", "m*", Undefined),
        ("j*", "ANY", Subset),
        ("j*", "NA", Disjoint),
        ("j*", "jx", Superset),
        ("j*", "k", Disjoint),
        ("j*", "m*", Undefined),
    ];
    for (s, t, want) in rows {
        assert_eq!(compare_attr(&v(s), &v(t)), want, "{s} vs {t}");
    }
}

#[test]
fn wildcards_at_the_ends() {
    let m = |p: &str, t: &str| {
        cpe(&format!("cpe:2.3:a:v:{p}:*:*:*:*:*:*:*:*"))
            .matches(&cpe(&format!("cpe:2.3:a:v:{t}:*:*:*:*:*:*:*:*")))
    };
    assert!(m("foo*", "foobar"));
    assert!(m("*bar", "foobar"));
    assert!(m("*oba*", "foobar"));
    assert!(m("foo?", "foob"));
    assert!(m("foo?", "foo"));
    assert!(!m("foo?", "fooba"));
    assert!(m("foo??", "fooba"));
    assert!(!m("??bar", "foobar"));
    assert!(m("???bar", "foobar"));
    assert!(!m("foo*", "fo"));
}

#[test]
fn name_relations_and_the_strict_rule() {
    let pattern = cpe("cpe:2.3:a:microsoft:internet_explorer:8.*:*:*:*:*:*:*:*");
    let target = cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*");
    assert_eq!(pattern.relation(&target), Relation::Superset);
    assert_eq!(target.relation(&pattern), Relation::Undefined);
    assert!(pattern.matches_strict(&target));
    assert_eq!(target.relation(&target), Relation::Equal);
    let other = cpe("cpe:2.3:a:microsoft:internet_explorer:7.0:*:*:*:*:*:*:*");
    assert_eq!(pattern.relation(&other), Relation::Disjoint);
    let no_vendor = cpe("cpe:2.3:a:*:internet_explorer:*:*:*:*:*:*:*:*");
    assert!(no_vendor.matches(&target));
    assert!(!no_vendor.matches_strict(&target));
    let wild_vendor = cpe("cpe:2.3:a:*soft:internet_explorer:*:*:*:*:*:*:*:*");
    assert!(wild_vendor.matches_strict(&target));
    // Subset: a specific name against a broader one.
    let specific = cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*");
    let broad = cpe("cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*");
    assert_eq!(specific.relation(&broad), Relation::Subset);
    assert_eq!(broad.relation(&specific), Relation::Superset);
}
