//! `levee observe`: the `levee-observe/1` JSON, the table and the CSV, built from
//! `levee-net`'s observation (wire types separate from the domain types).

use std::collections::BTreeMap;

use levee_core::Project;
use levee_net::check::Model;
use levee_net::packet::mac_string;
use levee_net::time::rfc3339;
use levee_net::{HostKey, Observation, Violation};
use schemars::JsonSchema;
use serde::Serialize;

use crate::table::{Table, count};

/// The JSON format name.
pub const FORMAT: &str = "levee-observe/1";

/// The whole report.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ObserveReport {
    /// Always `levee-observe/1`.
    pub format: String,
    /// The project checked against, when one was given.
    pub project: Option<String>,
    /// Where MAC vendors come from.
    pub oui_source: String,
    /// Per capture.
    pub captures: Vec<CaptureWire>,
    /// Hosts seen.
    pub assets: Vec<AssetWire>,
    /// Flows, initiator first.
    pub flows: Vec<FlowWire>,
    /// Requests decoded, per protocol function, requester and device.
    pub operations: Vec<OperationWire>,
    /// Mismatches with the project.
    pub violations: Vec<ViolationWire>,
}

/// A protocol found in a capture, and how.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProtocolWire {
    /// Canonical name.
    pub protocol: String,
    /// `content` or `port`.
    pub evidence: String,
}

/// One capture file.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CaptureWire {
    /// The file as named.
    pub file: String,
    /// `pcap` or `pcapng` (absent when the file could not be read).
    pub container: Option<String>,
    /// Packets read.
    pub packets: u64,
    /// Bytes captured.
    pub bytes: u64,
    /// Packets whose headers could not be decoded (counted and skipped).
    pub malformed: u64,
    /// Packets of a link type Levee does not read.
    pub unsupported_link: u64,
    /// Packets of flows beyond the flow limit (counted only).
    pub untracked: u64,
    /// Link types seen.
    pub link_types: Vec<String>,
    /// First packet time (RFC 3339, UTC).
    pub first_seen: Option<String>,
    /// Last packet time.
    pub last_seen: Option<String>,
    /// Flows.
    pub flows: usize,
    /// TCP gaps (missing data).
    pub tcp_gaps: u64,
    /// TCP retransmissions.
    pub retransmissions: u64,
    /// IPv4 fragments that could not be reassembled.
    pub fragments_dropped: u64,
    /// Why reading stopped early or did not start; the rest of the report is partial then.
    pub error: Option<String>,
    /// Protocols found.
    pub protocols: Vec<ProtocolWire>,
}

/// A name and where it came from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NameWire {
    /// The name.
    pub name: String,
    /// `dhcp`, `netbios`, `dns`, `mdns`, `lldp`, `cdp`, `profinet-dcp`, ...
    pub source: String,
}

/// An identity attribute from a payload.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IdentityWire {
    /// `vendor`, `product`, `model`, `firmware`, `serial`, `ssh-banner`, ...
    pub key: String,
    /// As the device sent it.
    pub value: String,
}

/// A host.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssetWire {
    /// IP address (absent for hosts seen only on layer 2).
    pub ip: Option<String>,
    /// MAC addresses.
    pub mac: Vec<String>,
    /// Vendor from the MAC's OUI.
    pub vendor: Option<String>,
    /// Names.
    pub names: Vec<NameWire>,
    /// Identity from payloads.
    pub identity: Vec<IdentityWire>,
    /// `plc`, `hmi`, `engineering-workstation`, `historian`, `gateway` or `it-host`.
    pub role: String,
    /// The rule that gave the role.
    pub role_rule: String,
    /// Protocols it answers.
    pub protocols_served: Vec<String>,
    /// Protocols it initiates.
    pub protocols_used: Vec<String>,
    /// First seen.
    pub first_seen: String,
    /// Last seen.
    pub last_seen: String,
    /// Packets sent or received.
    pub packets: u64,
    /// The declared asset it matches (with a project).
    pub asset: Option<String>,
    /// The zone it is placed in (with a project).
    pub zone: Option<String>,
}

/// A flow.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FlowWire {
    /// The capture file.
    pub capture: String,
    /// Initiator (IP, or MAC for layer 2).
    pub src: String,
    /// Responder.
    pub dst: String,
    /// Initiator port.
    pub src_port: Option<u16>,
    /// Responder port.
    pub dst_port: Option<u16>,
    /// `tcp`, `udp`, `ethernet`, `ip-N`.
    pub transport: String,
    /// Canonical protocol name, absent when not identified.
    pub protocol: Option<String>,
    /// `content` or `port`.
    pub evidence: Option<String>,
    /// Protocols carried inside (`cip` in `enip`, `umas` in `modbus`, `smb` in `netbios`).
    pub inner: Vec<String>,
    /// Packets both ways.
    pub packets: u64,
    /// Bytes both ways.
    pub bytes: u64,
    /// First packet time.
    pub first_seen: String,
    /// Last packet time.
    pub last_seen: String,
    /// Number of the first packet (1-based, as tshark counts).
    pub first_packet: u64,
    /// How the initiator was told: `tcp-handshake`, `server-port`, `first-packet`.
    pub initiator: String,
    /// Already open when the capture started.
    pub midstream: bool,
    /// TCP gaps.
    pub tcp_gaps: u32,
    /// TCP retransmissions.
    pub retransmissions: u32,
    /// Encrypted past the handshake.
    pub encrypted: bool,
    /// TLS server name.
    pub sni: Option<String>,
    /// Zone of the initiator (with a project).
    pub src_zone: Option<String>,
    /// Zone of the responder.
    pub dst_zone: Option<String>,
}

/// Requests of one function from one host to another.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OperationWire {
    /// The capture file.
    pub capture: String,
    /// Protocol.
    pub protocol: String,
    /// `read`, `write`, `operate`, `program-download`, `stop`, ...
    pub class: String,
    /// The protocol's own name for the function.
    pub function: String,
    /// Its code on the wire.
    pub code: u32,
    /// Requester.
    pub src: String,
    /// Device asked.
    pub dst: String,
    /// Packet numbers (the first 32).
    pub packets: Vec<u64>,
    /// How many requests.
    pub count: u64,
    /// Time of the first.
    pub time: String,
    /// Time of the last.
    pub last_time: String,
    /// Whether the class is one `risky-operation-across-zones` reports.
    pub risky: bool,
}

/// A mismatch between the project and the traffic.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ViolationWire {
    /// `unknown-asset`, `no-conduit`, `protocol-not-allowed`, `direction-not-allowed`,
    /// `risky-operation-across-zones` or `cleartext-remote-access`.
    pub kind: String,
    /// The capture file.
    pub capture: String,
    /// Initiator, or the unknown host.
    pub src: String,
    /// Responder.
    pub dst: Option<String>,
    /// Declared asset of the initiator.
    pub src_asset: Option<String>,
    /// Declared asset of the responder.
    pub dst_asset: Option<String>,
    /// Zone of the initiator.
    pub src_zone: Option<String>,
    /// Zone of the responder.
    pub dst_zone: Option<String>,
    /// The conduit(s) between the zones.
    pub conduit: Option<String>,
    /// Protocol (absent: not identified).
    pub protocol: Option<String>,
    /// Operation class, for risky operations.
    pub class: Option<String>,
    /// Operation function, for risky operations.
    pub function: Option<String>,
    /// Packet numbers (first packets of the flows, or the requests; the first 32).
    pub packets: Vec<u64>,
    /// Packets in all.
    pub count: u64,
    /// First time.
    pub first_seen: String,
    /// Last time.
    pub last_seen: String,
    /// One sentence for people.
    pub message: String,
}

fn host(h: &HostKey) -> String {
    h.to_string()
}

fn message(v: &Violation) -> String {
    let z = |p: &Option<String>| p.clone().unwrap_or_else(|| "no zone".into());
    let proto = v.protocol.map_or("an unidentified protocol", |p| p.name());
    let dst = v.dst.map(|d| d.to_string()).unwrap_or_default();
    match v.kind {
        levee_net::ViolationKind::UnknownAsset => {
            format!("{} ({}) is not a declared asset", v.src, z(&v.src_place.zone))
        }
        levee_net::ViolationKind::NoConduit => format!(
            "{} ({}) talks {proto} to {dst} ({}) but no conduit joins the zones",
            v.src,
            z(&v.src_place.zone),
            z(&v.dst_place.zone)
        ),
        levee_net::ViolationKind::ProtocolNotAllowed => format!(
            "{proto} from {} to {dst} is not allowed by conduit {}",
            v.src,
            v.conduit.clone().unwrap_or_default()
        ),
        levee_net::ViolationKind::DirectionNotAllowed => format!(
            "{} ({}) opens {proto} to {dst}, against the direction of conduit {}",
            v.src,
            z(&v.src_place.zone),
            v.conduit.clone().unwrap_or_default()
        ),
        levee_net::ViolationKind::RiskyOperationAcrossZones => {
            let (c, f) = v.operation.map_or(("", ""), |(c, f)| (c.name(), f));
            format!(
                "{} ({}) sends {proto} {f} ({c}) to {dst} ({})",
                v.src,
                z(&v.src_place.zone),
                z(&v.dst_place.zone)
            )
        }
        levee_net::ViolationKind::CleartextRemoteAccess => {
            format!(
                "{} uses {proto} (clear text) to reach {dst} in zone {}",
                v.src,
                z(&v.dst_place.zone)
            )
        }
    }
}

/// Builds the report.
pub fn build(obs: &Observation, violations: &[Violation], project: Option<&Project>) -> ObserveReport {
    let model = project.map(Model::new);
    let macs: BTreeMap<HostKey, &[levee_net::packet::Mac]> =
        obs.hosts.iter().map(|h| (h.key(), h.macs.as_slice())).collect();
    let place = |h: &HostKey| {
        model
            .as_ref()
            .map(|m| m.place(h, macs.get(h).copied().unwrap_or(&[])))
            .unwrap_or_default()
    };
    let cap_name = |i: usize| obs.captures.get(i).map(|c| c.name.clone()).unwrap_or_default();
    let captures = obs
        .captures
        .iter()
        .enumerate()
        .map(|(i, c)| CaptureWire {
            file: c.name.clone(),
            container: c.format.map(str::to_owned),
            packets: c.packets,
            bytes: c.bytes,
            malformed: c.malformed,
            unsupported_link: c.unsupported_link,
            untracked: c.untracked,
            link_types: c.link_types.clone(),
            first_seen: c.first_ns.map(rfc3339),
            last_seen: c.last_ns.map(rfc3339),
            flows: c.flows,
            tcp_gaps: c.gaps,
            retransmissions: c.retransmissions,
            fragments_dropped: c.fragments_dropped,
            error: c.error.clone(),
            protocols: obs
                .protocols(i)
                .into_iter()
                .map(|(p, e)| ProtocolWire {
                    protocol: p.name().into(),
                    evidence: e.as_str().into(),
                })
                .collect(),
        })
        .collect();
    let assets = obs
        .hosts
        .iter()
        .map(|h| {
            let p = place(&h.key());
            AssetWire {
                ip: h.ip.map(|ip| ip.to_string()),
                mac: h.macs.iter().map(mac_string).collect(),
                vendor: h.vendor.map(str::to_owned),
                names: h
                    .names
                    .iter()
                    .map(|(n, s)| NameWire {
                        name: n.clone(),
                        source: (*s).into(),
                    })
                    .collect(),
                identity: h
                    .identity
                    .iter()
                    .map(|(k, v)| IdentityWire {
                        key: (*k).into(),
                        value: v.clone(),
                    })
                    .collect(),
                role: h.role.into(),
                role_rule: h.role_rule.clone(),
                protocols_served: h.served.iter().map(|p| p.name().into()).collect(),
                protocols_used: h.used.iter().map(|p| p.name().into()).collect(),
                first_seen: rfc3339(h.first_ns),
                last_seen: rfc3339(h.last_ns),
                packets: h.packets,
                asset: p.asset,
                zone: p.zone,
            }
        })
        .collect();
    let flows = obs
        .flows
        .iter()
        .map(|f| FlowWire {
            capture: cap_name(f.capture),
            src: host(&f.src.host),
            dst: host(&f.dst.host),
            src_port: f.src.port,
            dst_port: f.dst.port,
            transport: f.transport.clone(),
            protocol: f.protocol.map(|p| p.name().into()),
            evidence: f.evidence.map(|e| e.as_str().into()),
            inner: f.inner.iter().map(|p| p.name().into()).collect(),
            packets: f.packets,
            bytes: f.bytes,
            first_seen: rfc3339(f.first_ns),
            last_seen: rfc3339(f.last_ns),
            first_packet: f.first_packet,
            initiator: f.initiator_rule.into(),
            midstream: f.midstream,
            tcp_gaps: f.gaps,
            retransmissions: f.retransmissions,
            encrypted: f.encrypted,
            sni: f.sni.clone(),
            src_zone: place(&f.src.host).zone,
            dst_zone: place(&f.dst.host).zone,
        })
        .collect();
    let operations = obs
        .operations
        .iter()
        .map(|o| OperationWire {
            capture: cap_name(o.capture),
            protocol: o.proto.name().into(),
            class: o.class.name().into(),
            function: o.func.name.into(),
            code: o.func.code,
            src: host(&o.src),
            dst: host(&o.dst),
            packets: o.packets.numbers.clone(),
            count: o.packets.count,
            time: rfc3339(o.first_ns),
            last_time: rfc3339(o.last_ns),
            risky: o.class.is_risky(),
        })
        .collect();
    let violations = violations
        .iter()
        .map(|v| ViolationWire {
            kind: v.kind.as_str().into(),
            capture: cap_name(v.capture),
            src: host(&v.src),
            dst: v.dst.as_ref().map(host),
            src_asset: v.src_place.asset.clone(),
            dst_asset: v.dst_place.asset.clone(),
            src_zone: v.src_place.zone.clone(),
            dst_zone: v.dst_place.zone.clone(),
            conduit: v.conduit.clone(),
            protocol: v.protocol.map(|p| p.name().into()),
            class: v.operation.map(|(c, _)| c.name().into()),
            function: v.operation.map(|(_, f)| f.into()),
            packets: v.packets.numbers.clone(),
            count: v.packets.count,
            first_seen: rfc3339(v.first_ns),
            last_seen: rfc3339(v.last_ns),
            message: message(v),
        })
        .collect();
    ObserveReport {
        format: FORMAT.into(),
        project: project.map(|p| p.name.clone()),
        oui_source: levee_net::oui::SOURCE.into(),
        captures,
        assets,
        flows,
        operations,
        violations,
    }
}

/// The JSON Schema of [`ObserveReport`].
pub fn json_schema() -> String {
    crate::to_json(&schemars::schema_for!(ObserveReport))
}

fn or_dash(s: Option<&str>) -> &str {
    s.unwrap_or("-")
}

fn join(v: &[String]) -> String {
    if v.is_empty() { "-".into() } else { v.join(",") }
}

/// The table: captures, assets, operations other than reads, violations.
pub fn to_table(r: &ObserveReport) -> String {
    let mut out = String::new();
    let mut t = Table::new([
        "capture",
        "container",
        "packets",
        "malformed",
        "flows",
        "protocols",
        "note",
    ]);
    for c in &r.captures {
        let protos: Vec<String> = c
            .protocols
            .iter()
            .map(|p| {
                if p.evidence == "port" {
                    format!("{}(port)", p.protocol)
                } else {
                    p.protocol.clone()
                }
            })
            .collect();
        t.row([
            c.file.clone(),
            or_dash(c.container.as_deref()).to_owned(),
            c.packets.to_string(),
            c.malformed.to_string(),
            c.flows.to_string(),
            join(&protos),
            c.error.clone().unwrap_or_default(),
        ]);
    }
    out.push_str(&t.render());
    out.push('\n');
    let mut t = Table::new([
        "asset", "mac", "vendor", "role", "serves", "uses", "names", "zone",
    ]);
    for a in &r.assets {
        let names: Vec<String> = a.names.iter().map(|n| n.name.clone()).collect();
        t.row([
            a.ip.clone().unwrap_or_else(|| "-".into()),
            join(&a.mac),
            or_dash(a.vendor.as_deref()).to_owned(),
            a.role.clone(),
            join(&a.protocols_served),
            join(&a.protocols_used),
            join(&names),
            match (&a.asset, &a.zone) {
                (Some(x), Some(z)) => format!("{z} ({x})"),
                (None, Some(z)) => z.clone(),
                _ => "-".into(),
            },
        ]);
    }
    out.push_str(&t.render());
    let not_reads: Vec<&OperationWire> = r.operations.iter().filter(|o| o.class != "read").collect();
    if !not_reads.is_empty() {
        out.push('\n');
        let mut t = Table::new(["protocol", "class", "function", "src", "dst", "count", "packets"]);
        for o in not_reads {
            let pk: Vec<String> = o.packets.iter().take(8).map(u64::to_string).collect();
            t.row([
                o.protocol.clone(),
                o.class.clone(),
                o.function.clone(),
                o.src.clone(),
                o.dst.clone(),
                o.count.to_string(),
                pk.join(","),
            ]);
        }
        out.push_str(&t.render());
    }
    if !r.violations.is_empty() {
        out.push('\n');
        let mut t = Table::new([
            "violation",
            "src",
            "dst",
            "protocol",
            "zones",
            "conduit",
            "packets",
        ]);
        for v in &r.violations {
            let pk: Vec<String> = v.packets.iter().take(8).map(u64::to_string).collect();
            t.row([
                v.kind.clone(),
                v.src.clone(),
                or_dash(v.dst.as_deref()).to_owned(),
                or_dash(v.protocol.as_deref()).to_owned(),
                format!(
                    "{} -> {}",
                    or_dash(v.src_zone.as_deref()),
                    or_dash(v.dst_zone.as_deref())
                ),
                or_dash(v.conduit.as_deref()).to_owned(),
                pk.join(","),
            ]);
        }
        out.push_str(&t.render());
    }
    let reads = r.operations.iter().filter(|o| o.class == "read").count();
    out.push_str(&format!(
        "\n{}, {}, {} ({} reads), {}\n",
        count(r.assets.len() as u64, "asset", "assets"),
        count(r.flows.len() as u64, "flow", "flows"),
        count(r.operations.len() as u64, "operation", "operations"),
        reads,
        count(r.violations.len() as u64, "violation", "violations")
    ));
    out
}

/// CSV: one row per flow, operation and violation, with a `record` column saying which.
pub fn to_csv(r: &ObserveReport) -> String {
    let header = [
        "record",
        "capture",
        "src",
        "dst",
        "src_port",
        "dst_port",
        "transport",
        "protocol",
        "evidence",
        "class",
        "function",
        "kind",
        "src_zone",
        "dst_zone",
        "packets",
        "first_packet",
        "first_seen",
        "last_seen",
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    let s = |o: Option<&str>| o.unwrap_or("").to_owned();
    let n = |o: Option<u16>| o.map(|p| p.to_string()).unwrap_or_default();
    for f in &r.flows {
        let _ = w.write_record([
            "flow".into(),
            f.capture.clone(),
            f.src.clone(),
            f.dst.clone(),
            n(f.src_port),
            n(f.dst_port),
            f.transport.clone(),
            s(f.protocol.as_deref()),
            s(f.evidence.as_deref()),
            String::new(),
            String::new(),
            String::new(),
            s(f.src_zone.as_deref()),
            s(f.dst_zone.as_deref()),
            f.packets.to_string(),
            f.first_packet.to_string(),
            f.first_seen.clone(),
            f.last_seen.clone(),
        ]);
    }
    for o in &r.operations {
        let _ = w.write_record([
            "operation".into(),
            o.capture.clone(),
            o.src.clone(),
            o.dst.clone(),
            String::new(),
            String::new(),
            String::new(),
            o.protocol.clone(),
            String::new(),
            o.class.clone(),
            o.function.clone(),
            String::new(),
            String::new(),
            String::new(),
            o.count.to_string(),
            o.packets.first().map(u64::to_string).unwrap_or_default(),
            o.time.clone(),
            o.last_time.clone(),
        ]);
    }
    for v in &r.violations {
        let _ = w.write_record([
            "violation".into(),
            v.capture.clone(),
            v.src.clone(),
            s(v.dst.as_deref()),
            String::new(),
            String::new(),
            String::new(),
            s(v.protocol.as_deref()),
            String::new(),
            s(v.class.as_deref()),
            s(v.function.as_deref()),
            v.kind.clone(),
            s(v.src_zone.as_deref()),
            s(v.dst_zone.as_deref()),
            v.count.to_string(),
            v.packets.first().map(u64::to_string).unwrap_or_default(),
            v.first_seen.clone(),
            v.last_seen.clone(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
pub use crate::observe_model::draft_model;
