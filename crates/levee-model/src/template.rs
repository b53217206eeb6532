//! Starter projects for `levee init`: small, valid, and commented so they teach the format.

use levee_core::ProjectKind;

/// The files of a new project of `kind`: (path relative to the project directory, content).
///
/// An asset-owner project has three zones (enterprise, DMZ, control), two conduits, six assets, two
/// threat scenarios with their countermeasures, responses and 2-1 program status. A product project has
/// one component, 4-2 responses and 4-1 maturity. Both parse without a single diagnostic.
pub fn template(kind: ProjectKind) -> Vec<(&'static str, String)> {
    let files: &[(&str, &str)] = match kind {
        ProjectKind::AssetOwner => &[
            ("levee.toml", ASSET_OWNER_MANIFEST),
            ("zones.toml", ZONES),
            ("conduits.toml", CONDUITS),
            ("assets.toml", ASSETS),
            ("risk.toml", RISK),
            ("responses/network.toml", NETWORK_RESPONSES),
            ("program.toml", PROGRAM),
        ],
        ProjectKind::Product => &[
            ("levee.toml", PRODUCT_MANIFEST),
            ("components.toml", COMPONENTS),
            ("responses/rtu.toml", COMPONENT_RESPONSES),
            ("maturity.toml", MATURITY),
        ],
    };
    files.iter().map(|(p, t)| (*p, (*t).to_owned())).collect()
}

const ASSET_OWNER_MANIFEST: &str = r#"# A Levee project: one directory of TOML files. Only this file is required.
# The format is described in docs/project-format.md; editors can use docs/schema/project/*.json.

[project]
name = "Riverside Water Treatment"
kind = "asset-owner"                    # "asset-owner" (a plant) or "product"
owner = "Riverside Utilities"
description = "Example plant: replace the zones, conduits and assets with your own system"

[review]
interval_months = 12                    # 62443-3-2 asks for periodic reviews
# last_review = "2026-03-01"

[risk]
likelihood_levels = 5
consequence_levels = 5
tolerable = 6                           # highest tolerable likelihood x consequence
"#;

const ZONES: &str = r#"# Zones: assets that share security requirements (62443-3-2 ZCR 3).

[[zone]]
id = "enterprise"
name = "Enterprise network"
purdue_level = 4
criticality = "low"
untrusted = true                        # reachable from the internet and third parties

[[zone]]
id = "dmz"
name = "Industrial DMZ"
purdue_level = 3.5
criticality = "medium"

[[zone]]
id = "control"
name = "Process control"
description = "PLCs, HMIs and the engineering workstation of the filtration process"
purdue_level = 2
criticality = "high"
# sl_t is derived from the risk assessment unless given; a given one needs a justification.
sl_t = [2, 2, 2, 1, 2, 1, 2]
sl_t_justification = "Corporate policy sets SL 2 for every process control zone"
"#;

const CONDUITS: &str = r#"# Conduits: the communication channels between zones.

[[conduit]]
id = "enterprise-dmz"
name = "Enterprise to DMZ"
zones = ["enterprise", "dmz"]
protocols = [{ name = "https", port = 443 }]

[[conduit]]
id = "control-dmz"
name = "Historian replication"
zones = ["control", "dmz"]
direction = "forward"                   # from the first zone to the second only
protocols = [{ name = "opc-ua", port = 4840 }]
"#;

const ASSETS: &str = r#"# Assets, each in one zone.

[[asset]]
id = "erp-1"
name = "Business planning server"
zone = "enterprise"
type = "server"
component_type = "host-device"

[[asset]]
id = "fw-1"
name = "Perimeter firewall"
zone = "dmz"
type = "firewall"
component_type = "network-device"
ip = ["10.10.0.1"]

[[asset]]
id = "historian"
name = "Plant historian"
zone = "dmz"
type = "historian"
component_type = "host-device"
ip = ["10.10.0.20"]

[[asset]]
id = "plc-1"
name = "Filtration PLC"
zone = "control"
type = "plc"
component_type = "embedded-device"
vendor = "ExampleCo"
model = "X100"
firmware = "4.2.1"
ip = ["10.20.0.10"]
mac = ["00:1a:2b:3c:4d:5e"]
# sbom = "sbom/plc-1.cdx.json"          # an SBOM file in the project directory

[[asset]]
id = "hmi-1"
name = "Operator HMI"
zone = "control"
type = "hmi"
component_type = "host-device"
ip = ["10.20.0.20"]

[[asset]]
id = "ews-1"
name = "Engineering workstation"
zone = "control"
type = "engineering-workstation"
component_type = "host-device"
ip = ["10.20.0.30"]
"#;

const RISK: &str = r#"# The 62443-3-2 risk register: threat scenarios and the countermeasures that address them.

[[scenario]]
id = "ransomware-dmz"
title = "Ransomware spreads from the enterprise network through the DMZ"
threat_source = "criminal"
vector = "phishing e-mail on an enterprise workstation"
zones = ["dmz", "control"]
assets = ["historian"]
vulnerability = "flat routing between enterprise, DMZ and control"
likelihood = 3
consequences = { safety = 1, environment = 2, production = 4, financial = 4, reputation = 3 }
countermeasures = ["segmentation"]
frs = [3, 5, 7]

[[scenario]]
id = "ews-misuse"
title = "Unauthorised logic change from the engineering workstation"
threat_source = "insider"
vector = "shared engineering account"
assets = ["ews-1", "plc-1"]
vulnerability = "no individual accounts on the engineering workstation"
likelihood = 2
consequences = { safety = 3, production = 3 }
countermeasures = ["individual-accounts"]
frs = [1, 2]

[[countermeasure]]
id = "segmentation"
title = "Firewall between every pair of zones, deny by default"
status = "implemented"
likelihood_reduction = 2
requirements = ["SR 5.1", "SR 5.2", "SR 5.2 RE 1"]

[[countermeasure]]
id = "individual-accounts"
title = "Individual accounts and authentication on the engineering workstation"
status = "planned"
likelihood_reduction = 1
requirements = ["SR 1.1", "SR 1.1 RE 1"]
"#;

const NETWORK_RESPONSES: &str = r#"# Responses to 3-3 requirements, per zone or conduit. Every *.toml file in responses/ is read.

[[response]]
requirement = "SR 5.1"
zones = ["dmz", "control"]
status = "implemented"
level = 2
evidence = [{ note = "Network diagram rev. C shows separate VLANs behind fw-1" }]

[[response]]
requirement = "SR 5.2"
conduit = "control-dmz"
status = "implemented"
evidence = [{ url = "https://intranet.example/firewall/rules" }]

[[response]]
requirement = "SR 1.1"
zone = "control"
status = "partial"
evidence = [{ note = "HMI has individual accounts; the engineering workstation does not yet" }]

[[response]]
requirement = "SR 1.13"
zone = "control"
status = "not-applicable"
justification = "No access from untrusted networks: remote access ends in the DMZ"
"#;

const PROGRAM: &str = r#"# Status of 62443-2-1 security program elements.

[[program]]
element = "ORG 1.1"
status = "partial"
note = "ISMS scoped to IT; OT scope planned"

[[program]]
element = "CM 1.1"
status = "implemented"
evidence = [{ note = "assets.toml is the asset inventory baseline" }]
"#;

const PRODUCT_MANIFEST: &str = r#"# A Levee project: one directory of TOML files. Only this file is required.
# The format is described in docs/project-format.md; editors can use docs/schema/project/*.json.

[project]
name = "Example RTU"
kind = "product"                        # "asset-owner" (a plant) or "product"
owner = "ExampleCo Product Security"
description = "Example product: replace the component and answers with your own"
"#;

const COMPONENTS: &str = r#"# Components assessed against 62443-4-2.

[[component]]
id = "rtu"
name = "Example RTU controller"
component_type = "embedded-device"      # software-application, embedded-device, host-device or network-device
version = "1.0.0"
sl_target = "SL2"                       # or seven levels, e.g. [2, 2, 2, 2, 2, 1, 2]
"#;

const COMPONENT_RESPONSES: &str = r#"# Responses to 4-2 requirements for the component. Every *.toml file in responses/ is read.

[[response]]
requirement = "CR 1.1"
component = "rtu"
status = "implemented"
level = 2
evidence = [{ note = "Local accounts with individual credentials; see the user manual" }]

[[response]]
requirement = "CR 2.1"
component = "rtu"
status = "implemented"
evidence = [{ note = "Role-based access: viewer, operator, engineer, administrator" }]

[[response]]
requirement = "EDR 2.4"
component = "rtu"
status = "not-applicable"
justification = "The RTU runs no mobile code"

[[response]]
requirement = "CR 3.4"
component = "rtu"
status = "planned"
evidence = [{ note = "Signed firmware images planned for release 1.1" }]
"#;

const MATURITY: &str = r#"# 62443-4-1 maturity per requirement: 0 (not performed) to 4 (improving).

[[maturity]]
requirement = "SM-1"
level = 2
evidence = [{ note = "Documented secure development process" }]

[[maturity]]
requirement = "SR-1"
level = 1
note = "Product security context written for this release only"

[[maturity]]
requirement = "SVV-1"
level = 2
evidence = [{ note = "Security requirements tests run in CI" }]
"#;
