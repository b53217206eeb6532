//! Ids and references between files: duplicates, unknown ids, conduit shape, assets in two zones.

use crate::support::{PRODUCT, ZONES_ABC, check, diags, only, run_quiet};

#[test]
fn duplicate_zone_names_the_first() {
    let zones = "[[zone]]\nid = \"a\"\nname = \"A\"\n[[zone]]\nid = \"a\"\nname = \"A again\"\n";
    let d = only(&[("zones.toml", zones)], "duplicate-id");
    assert_eq!((d.file.as_str(), d.line, d.column), ("zones.toml", 5, 6));
    assert_eq!(d.message, "duplicate zone id `a`; the first is at zones.toml:2:6");
}

#[test]
fn conduit_checks() {
    let conduits = "[[conduit]]\nid = \"c1\"\nname = \"one\"\nzones = [\"a\", \"x\"]\n\
                    [[conduit]]\nid = \"c2\"\nname = \"two\"\nzones = [\"b\", \"b\"]\n\
                    [[conduit]]\nid = \"c3\"\nname = \"three\"\nzones = [\"a\", \"b\", \"c\"]\n\
                    [[conduit]]\nid = \"c1\"\nname = \"dup\"\nzones = [\"a\", \"b\"]\n";
    check(
        &[("zones.toml", ZONES_ABC), ("conduits.toml", conduits)],
        &[
            "conduits.toml:4:15 unknown-zone",
            "conduits.toml:8:15 conduit-self-loop",
            "conduits.toml:12:9 conduit-zone-count",
            "conduits.toml:14:6 duplicate-id",
        ],
    );
    let all = diags(&[("zones.toml", ZONES_ABC), ("conduits.toml", conduits)]);
    assert_eq!(all[0].message, "unknown zone `x`");
    assert_eq!(all[0].hint.as_deref(), Some("declare it in zones.toml"));
    assert_eq!(
        all[2].message,
        "conduit `c3` names 3 zones; a conduit joins exactly two"
    );
}

#[test]
fn unknown_zone_suggests_a_close_id() {
    let conduits = "[[conduit]]\nid = \"c\"\nname = \"C\"\nzones = [\"a\", \"contrl\"]\n";
    let zones = "[[zone]]\nid = \"a\"\nname = \"A\"\n[[zone]]\nid = \"control\"\nname = \"Control\"\n";
    let d = only(
        &[("zones.toml", zones), ("conduits.toml", conduits)],
        "unknown-zone",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `control`?"));
}

#[test]
fn assets_in_two_zones_and_unknown_zones() {
    let assets = "[[asset]]\nid = \"plc\"\nname = \"PLC\"\nzone = \"a\"\ntype = \"plc\"\n\
                  [[asset]]\nid = \"plc\"\nname = \"PLC\"\nzone = \"b\"\ntype = \"plc\"\n\
                  [[asset]]\nid = \"hmi\"\nname = \"HMI\"\nzone = \"nowhere\"\ntype = \"hmi\"\n\
                  [[asset]]\nid = \"plc\"\nname = \"PLC\"\nzone = \"a\"\ntype = \"plc\"\n";
    check(
        &[("zones.toml", ZONES_ABC), ("assets.toml", assets)],
        &[
            "assets.toml:7:6 asset-in-two-zones",
            "assets.toml:14:8 unknown-zone",
            "assets.toml:17:6 duplicate-id",
        ],
    );
    let d = only(
        &[("zones.toml", ZONES_ABC), ("assets.toml", assets)],
        "asset-in-two-zones",
    );
    assert_eq!(
        d.message,
        "asset `plc` is declared in zone `b` here and in zone `a` at assets.toml:2:6"
    );
}

#[test]
fn risk_references() {
    let assets = "[[asset]]\nid = \"plc\"\nname = \"PLC\"\nzone = \"a\"\ntype = \"plc\"\n";
    let risk = "[[scenario]]\nid = \"s1\"\ntitle = \"t\"\nthreat_source = \"insider\"\nvector = \"usb\"\n\
                vulnerability = \"none\"\nlikelihood = 3\nzones = [\"a\", \"q\"]\nassets = [\"ghost\"]\n\
                countermeasures = [\"cm9\", \"cm1\"]\n\
                [[countermeasure]]\nid = \"cm1\"\ntitle = \"fw\"\nstatus = \"implemented\"\n\
                [[scenario]]\nid = \"s1\"\ntitle = \"t\"\nthreat_source = \"insider\"\nvector = \"y\"\nvulnerability = \"z\"\n\
                likelihood = 1\n\
                [[countermeasure]]\nid = \"cm1\"\ntitle = \"again\"\nstatus = \"planned\"\n";
    check(
        &[
            ("zones.toml", ZONES_ABC),
            ("assets.toml", assets),
            ("risk.toml", risk),
        ],
        &[
            "risk.toml:8:15 unknown-zone",
            "risk.toml:9:11 unknown-asset",
            "risk.toml:10:20 unknown-countermeasure",
            "risk.toml:16:6 duplicate-id",
            "risk.toml:23:6 duplicate-id",
        ],
    );
}

#[test]
fn frs_are_kept_on_the_scenario() {
    let risk = "[[scenario]]\nid = \"s\"\ntitle = \"t\"\nthreat_source = \"insider\"\nvector = \"usb\"\n\
                vulnerability = \"v\"\nlikelihood = 2\nzones = [\"a\"]\nfrs = [1, 5]\n";
    let (project, d) = run_quiet(&[("zones.toml", ZONES_ABC), ("risk.toml", risk)]);
    assert!(d.is_empty(), "{d:#?}");
    let s = &project.expect("project").risk.scenarios[0];
    assert_eq!(s.frs, vec![levee_core::Fr::Iac, levee_core::Fr::Rdf]);
}

#[test]
fn response_targets_must_exist() {
    let responses = "[[response]]\nrequirement = \"SR 5.1\"\nconduit = \"nope\"\nstatus = \"implemented\"\n\
                     [[response]]\nrequirement = \"CR 1.1\"\ncomponent = \"ghost\"\nstatus = \"implemented\"\n\
                     [[response]]\nrequirement = \"SR 1.1\"\nzones = [\"a\", \"zz\"]\nstatus = \"implemented\"\n";
    check(
        &[("zones.toml", ZONES_ABC), ("responses/r.toml", responses)],
        &[
            "responses/r.toml:3:11 unknown-conduit",
            "responses/r.toml:7:13 unknown-component",
            "responses/r.toml:11:15 unknown-zone",
        ],
    );
    let d = only(&[("responses/r.toml", responses)], "unknown-component");
    assert_eq!(
        d.hint.as_deref(),
        Some("no component is declared; declare it in components.toml")
    );
}

#[test]
fn response_needs_exactly_one_target() {
    let responses = "[[response]]\nrequirement = \"SR 5.1\"\nstatus = \"implemented\"\n\
                     [[response]]\nrequirement = \"SR 5.1\"\nzone = \"a\"\nconduit = \"c\"\nstatus = \"implemented\"\n";
    check(
        &[("zones.toml", ZONES_ABC), ("responses/r.toml", responses)],
        &[
            "responses/r.toml:1:1 invalid-value",
            "responses/r.toml:7:1 invalid-value",
        ],
    );
}

#[test]
fn broken_declarations_do_not_cascade() {
    // zones.toml is malformed, so its ids may be lost: references to them are not reported.
    let zones = "[[zone]]\nid = \"a\nname = \"A\"\n";
    let conduits = "[[conduit]]\nid = \"c\"\nname = \"C\"\nzones = [\"a\", \"b\"]\n";
    check(
        &[("zones.toml", zones), ("conduits.toml", conduits)],
        &["zones.toml:2:8 parse-error"],
    );
    // An entry that fails (here a wrong type) still declares its id.
    let zones = "[[zone]]\nid = \"a\"\nname = 1\n[[zone]]\nid = \"b\"\nname = \"B\"\n";
    check(
        &[("zones.toml", zones), ("conduits.toml", conduits)],
        &["zones.toml:3:8 parse-error"],
    );
}

#[test]
fn components_only_in_their_own_kind() {
    let components = "[[component]]\nid = \"c\"\nname = \"C\"\ncomponent_type = \"host-device\"\nsl_target = 2\n\
                      [[component]]\nid = \"c\"\nname = \"C2\"\ncomponent_type = \"host-device\"\nsl_target = 2\n";
    check(
        &[("levee.toml", PRODUCT), ("components.toml", components)],
        &["components.toml:7:6 duplicate-id"],
    );
}
