//! The must-shows on the shared ICS capture corpus.

mod common;

use std::collections::BTreeSet;

use levee_net::{Evidence, Proto};

/// tshark's protocol-hierarchy names mapped to Levee's canonical names; `None` for layers
/// Levee does not name (transport glue, media types, protocols outside its list).
fn canonical(tshark: &str) -> Option<Proto> {
    Some(match tshark {
        "mbtcp" | "modbus" => Proto::Modbus,
        "s7comm" => Proto::S7comm,
        "dnp3" => Proto::Dnp3,
        "enip" => Proto::Enip,
        "cip" | "cipcm" | "cipcls" | "cipio" => Proto::Cip,
        "iec60870_104" | "iec60870_asdu" => Proto::Iec104,
        "bacapp" | "bacnet" | "bvlc" => Proto::Bacnet,
        "opcua" => Proto::Opcua,
        "pn_dcp" => Proto::ProfinetDcp,
        "pn_ptcp" => Proto::ProfinetRt,
        "pn_io" | "pn_io_device" | "pn_io_controller" => Proto::ProfinetCm,
        "mqtt" => Proto::Mqtt,
        "mms" => Proto::Mms,
        "goose" => Proto::Goose,
        "synphasor" => Proto::C37118,
        "hart_ip" => Proto::HartIp,
        "omron" => Proto::Fins,
        "ams" => Proto::Ads,
        "ssh" => Proto::Ssh,
        "rdp" | "rdpudp" => Proto::Rdp,
        "telnet" => Proto::Telnet,
        "smb" | "smb2" => Proto::Smb,
        "http" => Proto::Http,
        "tls" => Proto::Tls,
        "dns" => Proto::Dns,
        "dhcp" => Proto::Dhcp,
        "ntp" => Proto::Ntp,
        "snmp" => Proto::Snmp,
        "ftp" => Proto::Ftp,
        "tftp" => Proto::Tftp,
        "nbns" | "nbdgm" => Proto::Netbios,
        "mdns" => Proto::Mdns,
        "arp" => Proto::Arp,
        "lldp" => Proto::Lldp,
        "cdp" => Proto::Cdp,
        _ => return None,
    })
}

/// What the README's known traps say tshark gets wrong, per file: (file, remove, add).
const TRAPS: &[(&str, &[Proto], &[Proto])] = &[
    (
        "s7comm-plus/iti_S7-1200-Uploading-OB1-TIAV12.pcap",
        &[],
        &[Proto::S7commPlus],
    ),
    (
        "s7comm-plus/iti_S7-1511-opc-request-all-types.pcap",
        &[],
        &[Proto::S7commPlus],
    ),
    ("s7comm-plus/iti_s7-1200-hmi.pcap", &[], &[Proto::S7commPlus]),
    ("s7comm-plus/icsnpp_s7comm_plus.pcap", &[], &[Proto::S7commPlus]),
    (
        "opcua/icsnpp_open62541_mainloop-non-standard-port.pcap",
        &[],
        &[Proto::Opcua],
    ),
    ("opcua/iti_opc-ua-ap-method.pcap", &[], &[Proto::Opcua]),
    ("it/ssh/zeek_ssh-on-port-80.pcap", &[Proto::Http], &[Proto::Ssh]),
    (
        "other-ics/melsec/iti_melsoft_UDP_clean_2.pcap",
        &[],
        &[Proto::Melsec],
    ),
    ("other-ics/niagara-fox/iti_fox_info.pcap", &[], &[Proto::Fox]),
    // A scanner's RDP connection request (TPKT, COTP CR, "Cookie: mstshash=admin") on port 502,
    // which tshark counts as Modbus by port.
    ("modbus/zeek_modbus-and-non-modbus-p502.pcap", &[], &[Proto::Rdp]),
    // tshark lists only `cotp tpkt` for this session; the byte after COTP DT is 0x72.
    ("modbus/zeek_modbusBig.pcap", &[], &[Proto::S7commPlus]),
];

/// Protocols tshark finds that Levee does not, each with the reason: (file, protocol, why).
const KNOWN_MISSES: &[(&str, Proto, &str)] = &[(
    "opcua/malcolm_OPCUA-Binary.pcap",
    Proto::Dns,
    "tshark decodes one datagram between two ephemeral ports (frame 3918) as DNS by heuristic; \
     Levee reads DNS on port 53 (and mDNS on 5353) only, to keep random UDP from passing for DNS",
)];

/// Protocols Levee may report beyond tshark's list, because tshark names only a carrier or an
/// inner layer: (Levee's extra, the tshark name that implies it).
const IMPLIED: &[(Proto, &str)] = &[
    // Schneider UMAS is Modbus function 90; tshark 4.0 shows it as plain Modbus.
    (Proto::Umas, "modbus"),
    // SMB browser and logon datagrams ride the NetBIOS datagram service; tshark names the SMB.
    (Proto::Netbios, "smb"),
    // tshark dissects every PROFINET frame as `pn_rt` first; DCP is one of them.
    (Proto::ProfinetRt, "pn_rt"),
];

#[test]
fn protocols_per_file_agree_with_the_readme() {
    let Some(dir) = common::corpus() else { return };
    let table = common::readme_table(&dir);
    assert!(table.len() >= 100, "README table has {} rows", table.len());
    let mut report = Vec::new();
    for (file, packets, tshark) in &table {
        let obs = common::observe_one(&dir.join(file));
        assert_eq!(obs.captures[0].packets, *packets, "{file}: packet count");
        let mut expected: BTreeSet<Proto> = tshark.iter().filter_map(|t| canonical(t)).collect();
        if tshark.iter().any(|t| t == "pn_rt") && !tshark.iter().any(|t| t == "pn_dcp") {
            expected.insert(Proto::ProfinetRt);
        }
        if let Some((_, remove, add)) = TRAPS.iter().find(|(f, _, _)| f == file) {
            for p in *remove {
                expected.remove(p);
            }
            expected.extend(add.iter().copied());
        }
        let found = obs.protocols(0);
        let found_set: BTreeSet<Proto> = found.keys().copied().collect();
        let missing: Vec<&str> = expected
            .difference(&found_set)
            .filter(|p| !KNOWN_MISSES.iter().any(|(f, m, _)| f == file && m == *p))
            .map(|p| p.name())
            .collect();
        let extra: Vec<String> = found
            .iter()
            .filter(|(p, _)| !expected.contains(p))
            .filter(|(p, _)| {
                !IMPLIED
                    .iter()
                    .any(|(x, t)| x == *p && tshark.iter().any(|n| n == t))
            })
            .map(|(p, e)| format!("{}({})", p.name(), e.as_str()))
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            report.push(format!("{file}: missing {missing:?} extra {extra:?}"));
        }
        let _ = Evidence::Content;
    }
    assert!(
        report.is_empty(),
        "{} files disagree:\n{}",
        report.len(),
        report.join("\n")
    );
}

fn flows_of(obs: &levee_net::Observation) -> Vec<(u16, Option<&'static str>, Option<&'static str>)> {
    obs.flows
        .iter()
        .map(|f| {
            (
                f.dst.port.unwrap_or(0),
                f.protocol.map(Proto::name),
                f.evidence.map(Evidence::as_str),
            )
        })
        .collect()
}

#[test]
fn port_502_alone_is_not_modbus() {
    let Some(dir) = common::corpus() else { return };
    let obs = common::observe_one(&dir.join("modbus/zeek_modbus-and-non-modbus-p502.pcap"));
    let flows = flows_of(&obs);
    let on_502: Vec<_> = flows.iter().filter(|f| f.0 == 502).collect();
    assert_eq!(on_502.len(), 7, "{flows:?}");
    let modbus = on_502.iter().filter(|f| f.1 == Some("modbus")).count();
    assert_eq!(modbus, 1, "only the one real Modbus session: {flows:?}");
    for p in ["tls", "http", "rdp"] {
        assert!(
            on_502.iter().any(|f| f.1 == Some(p) && f.2 == Some("content")),
            "{p} on 502: {flows:?}"
        );
    }
}

#[test]
fn traps_are_found_by_content() {
    let Some(dir) = common::corpus() else { return };
    let cases = [
        ("it/ssh/zeek_ssh-on-port-80.pcap", 80, "ssh"),
        (
            "opcua/icsnpp_open62541_mainloop-non-standard-port.pcap",
            48010,
            "opcua",
        ),
        ("opcua/iti_opc-ua-ap-method.pcap", 12001, "opcua"),
        (
            "dnp3/iti_openics_EIP-ViewDeviceStatus_actually_dnp3.pcap",
            20000,
            "dnp3",
        ),
    ];
    for (file, port, proto) in cases {
        let obs = common::observe_one(&dir.join(file));
        let flows = flows_of(&obs);
        assert!(
            flows.contains(&(port, Some(proto), Some("content"))),
            "{file}: {flows:?}"
        );
    }
    // S7comm-plus told from S7comm in the file that holds both.
    let obs = common::observe_one(&dir.join("s7comm-plus/icsnpp_s7comm_plus.pcap"));
    let protos = obs.protocols(0);
    assert_eq!(protos.get(&Proto::S7commPlus), Some(&Evidence::Content));
    assert_eq!(protos.get(&Proto::S7comm), Some(&Evidence::Content));
    // Encrypted OPC UA is flagged, not unknown.
    let obs = common::observe_one(&dir.join("opcua/icsnpp_open62541_client-server_encrypted.pcap"));
    assert!(
        obs.flows
            .iter()
            .any(|f| f.protocol == Some(Proto::Opcua) && f.encrypted),
        "{:?}",
        flows_of(&obs)
    );
}

#[test]
fn malformed_and_fuzzed_files_do_not_panic_and_are_counted() {
    let Some(dir) = common::corpus() else { return };
    for file in [
        "modbus/zeek_fuzz-72_malformed.pcap",
        "dnp3/iti_openics_DNP3-Malformed.pcap",
    ] {
        let obs = common::observe_one(&dir.join(file));
        assert!(
            obs.captures[0].packets > 0 && obs.captures[0].error.is_none(),
            "{file}"
        );
    }
}
