//! Asset inventory on the corpus: identities from payloads, names, vendors and roles.

mod common;

use levee_net::{HostObs, Observation};

fn host<'a>(obs: &'a Observation, ip: &str) -> &'a HostObs {
    obs.hosts
        .iter()
        .find(|h| h.ip.map(|i| i.to_string()).as_deref() == Some(ip))
        .unwrap_or_else(|| panic!("no host {ip}"))
}

fn identity(h: &HostObs, key: &str) -> Option<String> {
    h.identity.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
}

#[test]
fn identities_names_vendors_and_roles() {
    let Some(dir) = common::corpus() else { return };
    // CIP ListIdentity.
    let obs = common::observe_one(&dir.join("enip/icsnpp_enip_cip_example.pcap"));
    let h = host(&obs, "10.1.1.164");
    assert_eq!(identity(h, "product").as_deref(), Some("1756-ENBT/A"));
    assert_eq!(
        identity(h, "vendor").as_deref(),
        Some("Rockwell Automation/Allen-Bradley")
    );
    assert_eq!(h.role, "plc");
    // S7 SZL (module and component identification).
    let obs = common::observe_one(&dir.join("s7comm/icsnpp_s7ident.pcap"));
    let h = host(&obs, "172.17.0.2");
    assert_eq!(identity(h, "model").as_deref(), Some("6ES7 315-2EH14-0AB0"));
    assert!(h.names.iter().any(|(n, s)| n == "SNAP7-SERVER" && *s == "s7comm"));
    assert_eq!(h.vendor, None, "the all-zero MAC has no vendor");
    // PROFINET DCP identify response, DHCP and NetBIOS names.
    let obs = common::observe_one(&dir.join("profinet/icsnpp_profinet_io_cm_mixed_1.pcap"));
    let h = host(&obs, "192.168.1.2");
    assert!(
        h.names
            .iter()
            .any(|(n, s)| n == "versamax-pns11" && *s == "profinet-dcp"),
        "{:?}",
        h.names
    );
    assert_eq!(identity(h, "product").as_deref(), Some("IC200PNS001"));
    assert_eq!(h.role, "plc", "{}", h.role_rule);
    assert!(
        host(&obs, "169.254.216.43")
            .names
            .iter()
            .any(|(_, s)| *s == "dhcp")
    );
    // BACnet I-Am; SSH banners; MAC vendors from the IEEE registry.
    let obs = common::observe_one(&dir.join("bacnet/icsnpp_bacnet_example.pcap"));
    assert!(
        obs.hosts
            .iter()
            .filter(|h| identity(h, "bacnet-device").is_some())
            .count()
            >= 3
    );
    let obs = common::observe_one(&dir.join("it/ssh/zeek_ssh-on-port-80.pcap"));
    assert!(
        identity(host(&obs, "172.16.238.131"), "ssh-banner")
            .is_some_and(|b| b.starts_with("SSH-2.0-OpenSSH"))
    );
    // The Plant1 master polls every controller; the controllers serve.
    let obs = common::observe_one(&dir.join("modbus/iti_plant1_modbustcp.pcap"));
    let m = host(&obs, "141.81.0.10");
    assert_eq!(m.role, "hmi", "{}", m.role_rule);
    assert_eq!(m.vendor, Some("Hewlett Packard"));
    assert_eq!(host(&obs, "141.81.0.26").role, "plc");
    // The engineering workstation of a firmware change.
    let obs = common::observe_one(&dir.join("enip/iti_openics_EIP-FirmwareChange.pcap"));
    let e = host(&obs, "192.168.10.105");
    assert_eq!(e.role, "engineering-workstation", "{}", e.role_rule);
    assert!(e.role_rule.contains("firmware-update"), "{}", e.role_rule);
}
