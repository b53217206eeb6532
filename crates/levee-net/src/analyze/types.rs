//! What an analysis returns.

use core::net::IpAddr;
use std::collections::BTreeMap;

use crate::ident::Evidence;
use crate::packet::{self, Mac};
use crate::proto::{Function, OpClass, Proto};

/// A host: an IP address, or a MAC for hosts seen only on layer 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HostKey {
    /// By IP address.
    Ip(IpAddr),
    /// By MAC address.
    Mac(Mac),
}

impl std::fmt::Display for HostKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HostKey::Ip(ip) => write!(f, "{ip}"),
            HostKey::Mac(m) => f.write_str(&packet::mac_string(m)),
        }
    }
}

/// Packet numbers with their exact count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PacketRefs {
    /// How many.
    pub count: u64,
    /// The first ones (up to [`Limits::max_packet_refs`]), 1-based as tshark counts.
    pub numbers: Vec<u64>,
}

impl PacketRefs {
    pub(crate) fn add(&mut self, n: u64, cap: usize) {
        self.count += 1;
        if self.numbers.len() < cap && self.numbers.last() != Some(&n) {
            self.numbers.push(n);
        }
    }
}

/// One endpoint of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    /// The host.
    pub host: HostKey,
    /// The transport port (TCP and UDP).
    pub port: Option<u16>,
}

/// A finished flow, initiator first.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowObs {
    /// Index of the capture.
    pub capture: usize,
    /// The initiator.
    pub src: Endpoint,
    /// The responder.
    pub dst: Endpoint,
    /// `tcp`, `udp`, `ethernet` or `ip-N`.
    pub transport: String,
    /// Protocol, when identified.
    pub protocol: Option<Proto>,
    /// How.
    pub evidence: Option<Evidence>,
    /// Protocols carried inside (`cip` in `enip`, `umas` in `modbus`).
    pub inner: Vec<Proto>,
    /// Packets both ways.
    pub packets: u64,
    /// Bytes (captured) both ways.
    pub bytes: u64,
    /// First packet's time, ns since the epoch.
    pub first_ns: i64,
    /// Last packet's time.
    pub last_ns: i64,
    /// Its first packet's number.
    pub first_packet: u64,
    /// How the initiator was told: `tcp-handshake`, `server-port`, `first-packet`.
    pub initiator_rule: &'static str,
    /// The flow was already open when the capture started.
    pub midstream: bool,
    /// TCP gaps (missing data) seen.
    pub gaps: u32,
    /// TCP retransmissions seen.
    pub retransmissions: u32,
    /// Encrypted past the handshake (OPC UA with a security policy other than None).
    pub encrypted: bool,
    /// TLS server name.
    pub sni: Option<String>,
}

/// Requests of one function between two hosts.
#[derive(Debug, Clone, PartialEq)]
pub struct OpObs {
    /// Capture index.
    pub capture: usize,
    /// Protocol.
    pub proto: Proto,
    /// Class.
    pub class: OpClass,
    /// Function.
    pub func: Function,
    /// The requester.
    pub src: HostKey,
    /// The device asked.
    pub dst: HostKey,
    /// Packets.
    pub packets: PacketRefs,
    /// First time.
    pub first_ns: i64,
    /// Last time.
    pub last_ns: i64,
}

/// What one capture held.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaptureSummary {
    /// The name it was given (a path).
    pub name: String,
    /// `pcap` or `pcapng`.
    pub format: Option<&'static str>,
    /// Packets read.
    pub packets: u64,
    /// Bytes captured.
    pub bytes: u64,
    /// Packets whose headers could not be decoded (counted, skipped).
    pub malformed: u64,
    /// Packets of a link type Levee does not read.
    pub unsupported_link: u64,
    /// Packets of flows past [`Limits::max_flows`].
    pub untracked: u64,
    /// Link types seen.
    pub link_types: Vec<String>,
    /// First and last packet time.
    pub first_ns: Option<i64>,
    /// Last packet time.
    pub last_ns: Option<i64>,
    /// Why reading stopped early, when it did (the result is partial).
    pub error: Option<String>,
    /// Flows.
    pub flows: usize,
    /// TCP gaps.
    pub gaps: u64,
    /// TCP retransmissions.
    pub retransmissions: u64,
    /// IPv4 fragments that could not be reassembled.
    pub fragments_dropped: u64,
}

/// A host as observed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostObs {
    /// IP address, when it has one.
    pub ip: Option<IpAddr>,
    /// MAC addresses.
    pub macs: Vec<Mac>,
    /// Vendor from the MAC's OUI.
    pub vendor: Option<&'static str>,
    /// Names, with the protocol that told each.
    pub names: Vec<(String, &'static str)>,
    /// Identity attributes from payloads.
    pub identity: Vec<(&'static str, String)>,
    /// Role.
    pub role: &'static str,
    /// The rule that gave the role.
    pub role_rule: String,
    /// Protocols it serves (responder).
    pub served: Vec<Proto>,
    /// Protocols it uses (initiator).
    pub used: Vec<Proto>,
    /// First seen.
    pub first_ns: i64,
    /// Last seen.
    pub last_ns: i64,
    /// Packets sent or received.
    pub packets: u64,
}

impl HostObs {
    /// The key it is known by.
    pub fn key(&self) -> HostKey {
        match (self.ip, self.macs.first()) {
            (Some(ip), _) => HostKey::Ip(ip),
            (None, Some(m)) => HostKey::Mac(*m),
            (None, None) => HostKey::Mac([0; 6]),
        }
    }
}

/// Everything observed in a set of captures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    /// Per capture.
    pub captures: Vec<CaptureSummary>,
    /// Hosts, sorted by key.
    pub hosts: Vec<HostObs>,
    /// Flows, by capture then first packet.
    pub flows: Vec<FlowObs>,
    /// Operations, by capture then first packet.
    pub operations: Vec<OpObs>,
}

impl Observation {
    /// The protocols found in capture `i` (flow protocols, inner protocols and operations).
    pub fn protocols(&self, i: usize) -> BTreeMap<Proto, Evidence> {
        let mut out = BTreeMap::new();
        for f in self.flows.iter().filter(|f| f.capture == i) {
            if let (Some(p), Some(e)) = (f.protocol, f.evidence) {
                let slot = out.entry(p).or_insert(e);
                if e == Evidence::Content {
                    *slot = Evidence::Content;
                }
            }
            for p in &f.inner {
                out.insert(*p, Evidence::Content);
            }
        }
        for o in self.operations.iter().filter(|o| o.capture == i) {
            out.insert(o.proto, Evidence::Content);
        }
        out
    }
}
