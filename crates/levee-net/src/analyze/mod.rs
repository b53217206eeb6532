//! The analyzer: packets in, flows, operations and hosts out. Memory grows with flows and hosts,
//! never with packets: a packet's bytes are dropped once its PDUs are decoded, TCP holds at most
//! one unfinished PDU and a few out-of-order segments per direction, and every list kept per
//! flow, host or operation is capped (see [`Limits`]).

mod inventory;
mod read;
mod tcp;
mod types;

use core::net::IpAddr;
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::capture::{Format, Packet};
use crate::decode::{self, Event, Framing, Sink};
use crate::ident::{self, Evidence};
use crate::packet::{self, L3, Mac, Malformed, Transport, tcpflag};
use crate::proto::{Function, OpClass, Proto};

pub use types::{CaptureSummary, Endpoint, FlowObs, HostKey, HostObs, Observation, OpObs, PacketRefs};

/// Explicit bounds on what the analyzer keeps.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Flows tracked per capture; packets of further flows are counted only.
    pub max_flows: usize,
    /// Packet numbers kept per operation, violation or host list (the count is always exact).
    pub max_packet_refs: usize,
    /// Out-of-order TCP segments held per direction before a gap is declared.
    pub max_out_of_order: usize,
    /// IPv4 datagrams being reassembled at once.
    pub max_fragments: usize,
    /// Payload packets per flow looked at for content before the port fallback.
    pub identify_tries: u8,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_flows: 1_000_000,
            max_packet_refs: 32,
            max_out_of_order: 8,
            max_fragments: 256,
            identify_tries: 8,
        }
    }
}

/// A small, fast hasher for flow keys (FNV-1a over the key's bytes); flow keys are not
/// attacker-chosen in a way that matters for a one-shot offline analysis.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FlowKey {
    Ip {
        a: IpAddr,
        ap: u16,
        b: IpAddr,
        bp: u16,
        proto: u8,
    },
    L2 {
        a: Mac,
        b: Mac,
        ethertype: u16,
    },
}

#[derive(Debug, Default)]
struct Stream {
    next: Option<u32>,
    buf: Vec<u8>,
    ooo: Vec<(u32, Vec<u8>)>,
    /// The last gap skipped (from, to), so a late segment inside it is still decoded.
    hole: Option<(u32, u32)>,
    pdus: u32,
}

#[derive(Debug)]
struct Flow {
    key: FlowKey,
    client_is_a: bool,
    initiator_rule: &'static str,
    midstream: bool,
    proto: Option<Proto>,
    evidence: Evidence,
    inner: BTreeSet<Proto>,
    tries: u8,
    packets: [u64; 2],
    bytes: [u64; 2],
    first_ns: i64,
    last_ns: i64,
    first_packet: u64,
    streams: Option<Box<[Stream; 2]>>,
    encrypted: bool,
    gaps: u32,
    retransmissions: u32,
    reordered: u32,
    sni: Option<String>,
    server_port: u16,
    /// Whether the first payload seen fits the framing of the server port's protocol
    /// (`None`: no payload yet). The port fallback needs `Some(true)`.
    port_fits: Option<bool>,
    transport: u8,
    src_mac: [Option<Mac>; 2],
}

#[derive(Debug, Default)]
struct Host {
    macs: Vec<Mac>,
    names: Vec<(String, &'static str)>,
    identity: Vec<(&'static str, String)>,
    hints: Vec<(&'static str, &'static str)>,
    served: BTreeSet<Proto>,
    used: BTreeSet<Proto>,
    issued: Vec<(OpClass, Proto, &'static str)>,
    polled: BTreeSet<HostKey>,
    first_ns: i64,
    last_ns: i64,
    packets: u64,
}

#[derive(Debug)]
struct FragBuf {
    data: Vec<u8>,
    have: u32,
    total: Option<u32>,
    age: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct OpKey {
    capture: usize,
    proto: Proto,
    class: OpClass,
    func: Function,
    src: HostKey,
    dst: HostKey,
}

/// The streaming analyzer. Feed it every packet of every capture in order.
pub struct Analyzer {
    limits: Limits,
    flows: FastMap<FlowKey, usize>,
    table: Vec<Flow>,
    done: Vec<FlowObs>,
    hosts: FastMap<HostKey, Host>,
    ops: FastMap<OpKey, OpObs>,
    frags: FastMap<(IpAddr, IpAddr, u16, u8), FragBuf>,
    addr_names: FastMap<IpAddr, Vec<(String, &'static str)>>,
    bindings: FastMap<Mac, IpAddr>,
    mac_ips: FastMap<Mac, BTreeSet<IpAddr>>,
    captures: Vec<CaptureSummary>,
    events: Vec<Event>,
    frag_age: u64,
}

/// Where the current packet came from, for events.
#[derive(Clone, Copy)]
struct Ctx {
    number: u64,
    ts: i64,
    capture: usize,
    sender: HostKey,
    receiver: HostKey,
}

impl Default for Analyzer {
    fn default() -> Analyzer {
        Analyzer::new(Limits::default())
    }
}

impl Analyzer {
    /// An empty analyzer with these bounds.
    pub fn new(limits: Limits) -> Analyzer {
        Analyzer {
            limits,
            flows: FastMap::default(),
            table: Vec::new(),
            done: Vec::new(),
            hosts: FastMap::default(),
            ops: FastMap::default(),
            frags: FastMap::default(),
            addr_names: FastMap::default(),
            bindings: FastMap::default(),
            mac_ips: FastMap::default(),
            captures: Vec::new(),
            events: Vec::new(),
            frag_age: 0,
        }
    }

    /// Starts a capture: its packets are numbered from 1 and its flows are its own.
    pub fn begin_capture(&mut self, name: &str, format: Option<Format>) {
        self.flush_flows();
        self.captures.push(CaptureSummary {
            name: name.to_owned(),
            format: format.map(Format::as_str),
            ..CaptureSummary::default()
        });
    }

    /// Ends the current capture with the link types the reader saw and why it stopped early.
    pub fn end_capture(&mut self, link_types: &[u16], error: Option<String>) {
        if let Some(c) = self.captures.last_mut() {
            c.link_types = link_types.iter().map(|&l| packet::linktype::name(l)).collect();
            c.error = error;
        }
        self.flush_flows();
    }

    fn cap(&mut self) -> &mut CaptureSummary {
        if self.captures.is_empty() {
            self.captures.push(CaptureSummary::default());
        }
        let last = self.captures.len() - 1;
        &mut self.captures[last]
    }

    fn flush_flows(&mut self) {
        let capture = self.captures.len().saturating_sub(1);
        let mut gaps = 0u64;
        let mut retrans = 0u64;
        let n = self.table.len();
        for mut f in self.table.drain(..) {
            let other_port = match f.key {
                FlowKey::Ip { ap, bp, .. } => {
                    if ap == f.server_port {
                        bp
                    } else {
                        ap
                    }
                }
                FlowKey::L2 { .. } => 0,
            };
            if f.proto.is_none()
                && f.port_fits == Some(true)
                && let Some(p) = ident::by_port(f.transport == 6, f.server_port)
                    .or_else(|| ident::by_port(f.transport == 6, other_port))
            {
                f.proto = Some(p);
                f.evidence = Evidence::Port;
            }
            if let Some(s) = &f.streams {
                f.gaps += s.iter().filter(|s| !s.ooo.is_empty()).count() as u32;
            }
            gaps += u64::from(f.gaps);
            retrans += u64::from(f.retransmissions);
            let (ha, pa, hb, pb, transport) = match f.key {
                FlowKey::Ip { a, ap, b, bp, proto } => {
                    let t = match proto {
                        6 => "tcp".to_owned(),
                        17 => "udp".to_owned(),
                        n => format!("ip-{n}"),
                    };
                    let ports = matches!(proto, 6 | 17);
                    (
                        HostKey::Ip(a),
                        ports.then_some(ap),
                        HostKey::Ip(b),
                        ports.then_some(bp),
                        t,
                    )
                }
                FlowKey::L2 { a, b, .. } => (
                    HostKey::Mac(a),
                    None,
                    HostKey::Mac(b),
                    None,
                    "ethernet".to_owned(),
                ),
            };
            let (src, dst) = if f.client_is_a {
                (Endpoint { host: ha, port: pa }, Endpoint { host: hb, port: pb })
            } else {
                (Endpoint { host: hb, port: pb }, Endpoint { host: ha, port: pa })
            };
            if let Some(p) = f.proto {
                // Layer-2 discovery is announced, not served.
                let announced = matches!(p, Proto::Arp | Proto::Lldp | Proto::Cdp);
                if let Some(h) = self.hosts.get_mut(&dst.host)
                    && !announced
                {
                    h.served.insert(p);
                }
                if let Some(h) = self.hosts.get_mut(&src.host) {
                    h.used.insert(p);
                    let unicast = match dst.host {
                        HostKey::Ip(ip) => packet::is_unicast_host(&ip),
                        HostKey::Mac(m) => !packet::is_group_mac(&m),
                    };
                    if p.is_ics() && f.evidence == Evidence::Content && unicast {
                        h.polled.insert(dst.host);
                    }
                }
            }
            self.done.push(FlowObs {
                capture,
                src,
                dst,
                transport,
                protocol: f.proto,
                evidence: f.proto.map(|_| f.evidence),
                inner: f.inner.into_iter().collect(),
                packets: f.packets[0] + f.packets[1],
                bytes: f.bytes[0] + f.bytes[1],
                first_ns: f.first_ns,
                last_ns: f.last_ns,
                first_packet: f.first_packet,
                initiator_rule: f.initiator_rule,
                midstream: f.midstream,
                gaps: f.gaps,
                retransmissions: f.retransmissions,
                encrypted: f.encrypted,
                sni: f.sni,
            });
        }
        self.flows.clear();
        self.frags.clear();
        if let Some(c) = self.captures.last_mut() {
            c.flows += n;
            c.gaps += gaps;
            c.retransmissions += retrans;
        }
    }

    fn host(&mut self, key: HostKey, ts: i64) -> &mut Host {
        let h = self.hosts.entry(key).or_insert_with(|| Host {
            first_ns: ts,
            last_ns: ts,
            ..Host::default()
        });
        h.first_ns = h.first_ns.min(ts);
        h.last_ns = h.last_ns.max(ts);
        h
    }

    /// Feeds one packet of the current capture.
    pub fn packet(&mut self, p: &Packet<'_>) {
        let c = self.cap();
        c.packets += 1;
        c.bytes += p.data.len() as u64;
        c.first_ns = Some(c.first_ns.map_or(p.ts_ns, |t| t.min(p.ts_ns)));
        c.last_ns = Some(c.last_ns.map_or(p.ts_ns, |t| t.max(p.ts_ns)));
        let frame = match packet::decode_link(p.linktype, p.data) {
            Ok(f) => f,
            Err(Malformed::UnsupportedLink) => {
                self.cap().unsupported_link += 1;
                return;
            }
            Err(_) => {
                self.cap().malformed += 1;
                return;
            }
        };
        let capture = self.captures.len() - 1;
        match frame.l3 {
            L3::Ip(ip) => {
                if let Some(m) = frame.src_mac
                    && !packet::is_group_mac(&m)
                    && packet::is_unicast_host(&ip.src)
                {
                    let ips = self.mac_ips.entry(m).or_default();
                    if ips.len() < 16 {
                        ips.insert(ip.src);
                    }
                    let h = self.host(HostKey::Ip(ip.src), p.ts_ns);
                    if h.macs.len() < 4 && !h.macs.contains(&m) {
                        h.macs.push(m);
                    }
                }
                if let Some(fr) = ip.fragment {
                    if ip.src.is_ipv6() {
                        // IPv6 fragments: only the first is decoded.
                        if fr.offset != 0 {
                            return;
                        }
                    } else {
                        let Some(whole) = self.reassemble(ip.src, ip.dst, ip.proto, fr, ip.payload) else {
                            return;
                        };
                        self.ip_packet(p, capture, ip.src, ip.dst, ip.proto, &whole, frame.src_mac);
                        return;
                    }
                }
                self.ip_packet(p, capture, ip.src, ip.dst, ip.proto, ip.payload, frame.src_mac);
            }
            L3::Ether(payload) => {
                let Some(src) = frame.src_mac else { return };
                let dst = frame.dst_mac.unwrap_or([0xff; 6]);
                let proto = decode::l2::classify(frame.ethertype, payload);
                if proto == Some(Proto::Arp)
                    && let Some((mac, ip)) = decode::l2::arp(payload)
                {
                    self.bindings.insert(mac, ip);
                    let h = self.host(HostKey::Ip(ip), p.ts_ns);
                    if h.macs.len() < 4 && !h.macs.contains(&mac) {
                        h.macs.push(mac);
                    }
                }
                self.l2_packet(p, capture, src, dst, frame.ethertype, proto, payload);
            }
            L3::Llc { snap, payload, .. } => {
                let Some(src) = frame.src_mac else { return };
                let dst = frame.dst_mac.unwrap_or([0xff; 6]);
                let proto = decode::l2::is_cdp(snap).then_some(Proto::Cdp);
                self.l2_packet(p, capture, src, dst, 0, proto, payload);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn l2_packet(
        &mut self,
        p: &Packet<'_>,
        capture: usize,
        src: Mac,
        dst: Mac,
        ethertype: u16,
        proto: Option<Proto>,
        payload: &[u8],
    ) {
        let Some(proto) = proto else { return };
        let key = if src <= dst {
            FlowKey::L2 {
                a: src,
                b: dst,
                ethertype,
            }
        } else {
            FlowKey::L2 {
                a: dst,
                b: src,
                ethertype,
            }
        };
        let Some(fi) = self.flow(key, p, src <= dst, |_| (true, "first-packet", false)) else {
            return;
        };
        let dir = if src <= dst { 0 } else { 1 };
        self.count(fi, dir, p);
        let f = &mut self.table[fi];
        if f.proto.is_none() {
            f.proto = Some(proto);
            f.evidence = Evidence::Content;
        }
        self.host(HostKey::Mac(src), p.ts_ns).packets += 1;
        let ctx = Ctx {
            number: p.number,
            ts: p.ts_ns,
            capture,
            sender: HostKey::Mac(src),
            receiver: HostKey::Mac(dst),
        };
        let mut events = std::mem::take(&mut self.events);
        {
            let mut sink = Sink { events: &mut events };
            match proto {
                Proto::ProfinetDcp => decode::l2::dcp(payload, &mut sink),
                Proto::Goose => decode::l2::goose(payload, &mut sink),
                Proto::Lldp => decode::l2::lldp(payload, &mut sink),
                Proto::Cdp => decode::l2::cdp(payload, &mut sink),
                _ => {}
            }
        }
        self.apply(&mut events, fi, ctx);
        self.events = events;
    }

    fn reassemble(
        &mut self,
        src: IpAddr,
        dst: IpAddr,
        proto: u8,
        fr: packet::Fragment,
        data: &[u8],
    ) -> Option<Vec<u8>> {
        let key = (src, dst, fr.id, proto);
        if !self.frags.contains_key(&key) && self.frags.len() >= self.limits.max_fragments {
            // Drop the oldest datagram under reassembly.
            if let Some(old) = self.frags.iter().min_by_key(|(_, b)| b.age).map(|(k, _)| *k) {
                self.frags.remove(&old);
                self.cap().fragments_dropped += 1;
            }
        }
        self.frag_age += 1;
        let age = self.frag_age;
        let buf = self.frags.entry(key).or_insert_with(|| FragBuf {
            data: Vec::new(),
            have: 0,
            total: None,
            age,
        });
        let end = fr.offset as usize + data.len();
        if end > 65_535 {
            self.frags.remove(&key);
            self.cap().fragments_dropped += 1;
            return None;
        }
        if buf.data.len() < end {
            buf.data.resize(end, 0);
        }
        buf.data[fr.offset as usize..end].copy_from_slice(data);
        buf.have = buf.have.saturating_add(data.len() as u32);
        if !fr.more {
            buf.total = Some(end as u32);
        }
        match buf.total {
            Some(t) if buf.have >= t => self.frags.remove(&key).map(|b| {
                let mut d = b.data;
                d.truncate(t as usize);
                d
            }),
            _ => None,
        }
    }

    /// Finds or creates the flow of `key`. `init` decides, for a new flow, whether side `a` is
    /// the client, by which rule, and whether it was picked up mid-stream.
    fn flow(
        &mut self,
        key: FlowKey,
        p: &Packet<'_>,
        _sender_is_a: bool,
        init: impl FnOnce(&FlowKey) -> (bool, &'static str, bool),
    ) -> Option<usize> {
        if let Some(&i) = self.flows.get(&key) {
            return Some(i);
        }
        if self.table.len() >= self.limits.max_flows {
            self.cap().untracked += 1;
            return None;
        }
        let (client_is_a, rule, midstream) = init(&key);
        let (transport, server_port) = match key {
            FlowKey::Ip { ap, bp, proto, .. } => (proto, if client_is_a { bp } else { ap }),
            FlowKey::L2 { .. } => (0, 0),
        };
        let i = self.table.len();
        self.table.push(Flow {
            key,
            client_is_a,
            initiator_rule: rule,
            midstream,
            proto: None,
            evidence: Evidence::Content,
            inner: BTreeSet::new(),
            tries: 0,
            packets: [0; 2],
            bytes: [0; 2],
            first_ns: p.ts_ns,
            last_ns: p.ts_ns,
            first_packet: p.number,
            streams: (transport == 6).then(Box::default),
            encrypted: false,
            gaps: 0,
            retransmissions: 0,
            reordered: 0,
            sni: None,
            server_port,
            port_fits: None,
            transport,
            src_mac: [None; 2],
        });
        self.flows.insert(key, i);
        Some(i)
    }

    fn count(&mut self, fi: usize, dir: usize, p: &Packet<'_>) {
        let f = &mut self.table[fi];
        f.packets[dir] += 1;
        f.bytes[dir] += p.data.len() as u64;
        f.first_ns = f.first_ns.min(p.ts_ns);
        f.last_ns = f.last_ns.max(p.ts_ns);
    }

    #[allow(clippy::too_many_arguments)]
    fn ip_packet(
        &mut self,
        p: &Packet<'_>,
        capture: usize,
        src: IpAddr,
        dst: IpAddr,
        proto: u8,
        l4: &[u8],
        src_mac: Option<Mac>,
    ) {
        let t = match packet::decode_transport(proto, l4) {
            Ok(t) => t,
            Err(_) => {
                self.cap().malformed += 1;
                return;
            }
        };
        let (sport, dport) = match t {
            Transport::Tcp { sport, dport, .. } | Transport::Udp { sport, dport, .. } => (sport, dport),
            Transport::Other => (0, 0),
        };
        let a_is_src = (src, sport) <= (dst, dport);
        let key = if a_is_src {
            FlowKey::Ip {
                a: src,
                ap: sport,
                b: dst,
                bp: dport,
                proto,
            }
        } else {
            FlowKey::Ip {
                a: dst,
                ap: dport,
                b: src,
                bp: sport,
                proto,
            }
        };
        let tcp = proto == 6;
        let flags = match t {
            Transport::Tcp { flags, .. } => flags,
            _ => 0,
        };
        let init = |_: &FlowKey| -> (bool, &'static str, bool) {
            // Returns whether the *sender* is the client, then maps to side a.
            let (sender_client, rule, mid) = if tcp && flags & tcpflag::SYN != 0 {
                (flags & tcpflag::ACK == 0, "tcp-handshake", false)
            } else {
                let s_srv = ident::by_port(tcp, sport).is_some();
                let d_srv = ident::by_port(tcp, dport).is_some();
                match (s_srv, d_srv) {
                    (false, true) => (true, "server-port", tcp),
                    (true, false) => (false, "server-port", tcp),
                    _ if !tcp => (true, "first-packet", false),
                    _ => (sport > dport, "server-port", true),
                }
            };
            (sender_client == a_is_src, rule, mid)
        };
        let Some(fi) = self.flow(key, p, a_is_src, init) else {
            return;
        };
        let dir = if a_is_src { 0 } else { 1 };
        self.count(fi, dir, p);
        if self.table[fi].src_mac[dir].is_none() {
            self.table[fi].src_mac[dir] = src_mac;
        }
        self.host(HostKey::Ip(src), p.ts_ns).packets += 1;
        if packet::is_unicast_host(&dst) {
            self.host(HostKey::Ip(dst), p.ts_ns).packets += 1;
        }
        let from_client = (dir == 0) == self.table[fi].client_is_a;
        let ctx = Ctx {
            number: p.number,
            ts: p.ts_ns,
            capture,
            sender: HostKey::Ip(src),
            receiver: HostKey::Ip(dst),
        };
        match t {
            Transport::Tcp {
                seq, flags, payload, ..
            } => self.tcp(fi, dir, from_client, seq, flags, payload, ctx),
            Transport::Udp {
                sport,
                dport,
                payload,
            } => self.udp(fi, from_client, (sport, dport), payload, ctx),
            Transport::Other => {}
        }
    }

    /// Records whether the first payload fits the port's protocol (for the port fallback).
    fn note_payload(&mut self, fi: usize, payload: &[u8]) {
        let f = &mut self.table[fi];
        if f.port_fits.is_some() || payload.is_empty() {
            return;
        }
        let other = match f.key {
            FlowKey::Ip { ap, bp, .. } => {
                if ap == f.server_port {
                    bp
                } else {
                    ap
                }
            }
            FlowKey::L2 { .. } => 0,
        };
        let tcp = f.transport == 6;
        let port_proto = ident::by_port(tcp, f.server_port).or_else(|| ident::by_port(tcp, other));
        f.port_fits = Some(match port_proto {
            Some(p) if tcp => !matches!(decode::frame(p, payload), Some(Framing::Bad)),
            Some(_) => true,
            None => false,
        });
    }

    fn identify(&mut self, fi: usize, found: Option<Proto>) {
        let tries = self.limits.identify_tries;
        let f = &mut self.table[fi];
        if f.proto.is_some() {
            return;
        }
        if let Some(p) = found {
            f.proto = Some(p);
            f.evidence = Evidence::Content;
            return;
        }
        if f.tries >= tries {
            return;
        }
        f.tries = f.tries.saturating_add(1);
        if f.tries >= tries {
            if f.port_fits == Some(true)
                && let Some(p) = ident::by_port(f.transport == 6, f.server_port)
            {
                f.proto = Some(p);
                f.evidence = Evidence::Port;
            }
            // Nothing to decode without content: drop the stream buffers.
            f.streams = None;
        }
    }

    fn udp(&mut self, fi: usize, from_client: bool, ports: (u16, u16), payload: &[u8], ctx: Ctx) {
        if payload.is_empty() {
            return;
        }
        self.note_payload(fi, payload);
        if self.table[fi].proto.is_none() || self.table[fi].evidence == Evidence::Port {
            let found = ident::identify_udp(payload, ports);
            if self.table[fi].evidence == Evidence::Port {
                if let Some(p) = found {
                    self.table[fi].proto = Some(p);
                    self.table[fi].evidence = Evidence::Content;
                }
            } else {
                self.identify(fi, found);
            }
        }
        let Some(proto) = self.table[fi].proto else { return };
        if self.table[fi].evidence != Evidence::Content {
            return;
        }
        let mut events = std::mem::take(&mut self.events);
        decode::decode(proto, payload, from_client, &mut Sink { events: &mut events });
        self.apply(&mut events, fi, ctx);
        self.events = events;
    }
}
