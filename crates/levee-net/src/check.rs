//! Declared versus observed: hosts placed in assets and zones, flows and operations checked
//! against the conduits. The rules are written for users in `docs/network-evidence.md`.

use core::net::IpAddr;
use std::collections::BTreeMap;

use levee_core::{Conduit, Direction, Project};

use crate::analyze::{HostKey, Observation, PacketRefs};
use crate::packet::{self, Mac};
use crate::proto::{OpClass, Proto};

/// What kind of mismatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ViolationKind {
    /// A host no asset names (by IP or MAC).
    UnknownAsset,
    /// Traffic between two zones that no conduit joins.
    NoConduit,
    /// A protocol the conduit(s) between the zones do not list.
    ProtocolNotAllowed,
    /// Traffic started from the zone a one-way conduit does not allow.
    DirectionNotAllowed,
    /// A program change, stop, start, restart, firmware, configuration or time change sent from
    /// another zone.
    RiskyOperationAcrossZones,
    /// Telnet, FTP or TFTP to a host of a declared zone.
    CleartextRemoteAccess,
}

impl ViolationKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::UnknownAsset => "unknown-asset",
            ViolationKind::NoConduit => "no-conduit",
            ViolationKind::ProtocolNotAllowed => "protocol-not-allowed",
            ViolationKind::DirectionNotAllowed => "direction-not-allowed",
            ViolationKind::RiskyOperationAcrossZones => "risky-operation-across-zones",
            ViolationKind::CleartextRemoteAccess => "cleartext-remote-access",
        }
    }
}

/// Where a host sits in the declared model.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Placement {
    /// The asset whose `ip` or `mac` it has.
    pub asset: Option<String>,
    /// The zone: the asset's, else the zone whose network holds the address.
    pub zone: Option<String>,
}

/// One mismatch between the model and the traffic, aggregated per kind, hosts and protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Kind.
    pub kind: ViolationKind,
    /// Capture index.
    pub capture: usize,
    /// The initiator (or the unknown host).
    pub src: HostKey,
    /// The responder.
    pub dst: Option<HostKey>,
    /// Where the initiator sits.
    pub src_place: Placement,
    /// Where the responder sits.
    pub dst_place: Placement,
    /// The conduit concerned, when one joins the zones.
    pub conduit: Option<String>,
    /// Protocol (`None`: not identified).
    pub protocol: Option<Proto>,
    /// The operation, for `risky-operation-across-zones` (class and function).
    pub operation: Option<(OpClass, &'static str)>,
    /// Packets (first packets of the flows, or the operation's packets).
    pub packets: PacketRefs,
    /// First time.
    pub first_ns: i64,
    /// Last time.
    pub last_ns: i64,
}

fn parse_mac(s: &str) -> Option<Mac> {
    let parts: Vec<u8> = s
        .split([':', '-'])
        .filter_map(|h| u8::from_str_radix(h, 16).ok())
        .collect();
    <[u8; 6]>::try_from(parts).ok()
}

/// The placement rules over one project.
pub struct Model<'p> {
    project: &'p Project,
    by_ip: BTreeMap<IpAddr, usize>,
    by_mac: BTreeMap<Mac, usize>,
}

impl<'p> Model<'p> {
    /// Indexes the project's asset addresses.
    pub fn new(project: &'p Project) -> Model<'p> {
        let mut by_ip = BTreeMap::new();
        let mut by_mac = BTreeMap::new();
        for (i, a) in project.assets.iter().enumerate() {
            for ip in &a.ip {
                if let Ok(ip) = ip.parse::<IpAddr>() {
                    by_ip.entry(ip).or_insert(i);
                }
            }
            for m in &a.mac {
                if let Some(m) = parse_mac(m) {
                    by_mac.entry(m).or_insert(i);
                }
            }
        }
        Model {
            project,
            by_ip,
            by_mac,
        }
    }

    /// Places a host: asset address first (IP, then MAC), then the zone networks (longest prefix).
    pub fn place(&self, host: &HostKey, macs: &[Mac]) -> Placement {
        let asset = match host {
            HostKey::Ip(ip) => self.by_ip.get(ip).copied(),
            HostKey::Mac(m) => self.by_mac.get(m).copied(),
        }
        .or_else(|| macs.iter().find_map(|m| self.by_mac.get(m).copied()));
        if let Some(i) = asset {
            let a = &self.project.assets[i];
            return Placement {
                asset: Some(a.id.to_string()),
                zone: Some(a.zone.to_string()),
            };
        }
        let HostKey::Ip(ip) = host else {
            return Placement::default();
        };
        let zone = self
            .project
            .zones
            .iter()
            .flat_map(|z| z.networks.iter().map(move |n| (n, z)))
            .filter(|(n, _)| n.contains(ip))
            .max_by_key(|(n, _)| n.prefix())
            .map(|(_, z)| z.id.to_string());
        Placement { asset: None, zone }
    }

    fn conduits(&self, a: &str, b: &str) -> Vec<&'p Conduit> {
        self.project
            .conduits
            .iter()
            .filter(|c| {
                let (x, y) = (c.zones[0].as_str(), c.zones[1].as_str());
                (x == a && y == b) || (x == b && y == a)
            })
            .collect()
    }
}

fn allows_protocol(c: &Conduit, proto: Option<Proto>, port: Option<u16>) -> bool {
    if c.protocols.is_empty() {
        return true;
    }
    c.protocols.iter().any(|p| {
        let named = Proto::parse(&p.name);
        let name_ok = match (named, proto) {
            (Some(n), Some(f)) => n == f,
            _ => false,
        };
        name_ok && p.port.is_none_or(|want| port == Some(want))
    })
}

fn allows_direction(c: &Conduit, from: &str) -> bool {
    match c.direction {
        Direction::Bidirectional => true,
        Direction::Forward => c.zones[0].as_str() == from,
        Direction::Reverse => c.zones[1].as_str() == from,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    kind: ViolationKind,
    capture: usize,
    src: HostKey,
    dst: Option<HostKey>,
    protocol: Option<Proto>,
    operation: Option<(OpClass, &'static str)>,
}

struct Acc<'a> {
    cap: usize,
    out: BTreeMap<Key, Violation>,
    model: &'a Model<'a>,
}

impl Acc<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        key: Key,
        places: (&Placement, &Placement),
        conduit: Option<&str>,
        packet: u64,
        count: u64,
        t: (i64, i64),
    ) {
        let v = self.out.entry(key.clone()).or_insert_with(|| Violation {
            kind: key.kind,
            capture: key.capture,
            src: key.src,
            dst: key.dst,
            src_place: places.0.clone(),
            dst_place: places.1.clone(),
            conduit: conduit.map(str::to_owned),
            protocol: key.protocol,
            operation: key.operation,
            packets: PacketRefs::default(),
            first_ns: t.0,
            last_ns: t.1,
        });
        v.packets.count += count.saturating_sub(1);
        v.packets.add(packet, self.cap);
        v.first_ns = v.first_ns.min(t.0);
        v.last_ns = v.last_ns.max(t.1);
    }
}

/// Checks what was observed against the project: every violation, sorted by kind, capture and
/// first packet. A flow's `packets` are the first packets of its flows (the count is of all their
/// packets); an operation's are its requests.
pub fn check(obs: &Observation, project: &Project) -> Vec<Violation> {
    let model = Model::new(project);
    let macs: BTreeMap<HostKey, &[Mac]> = obs.hosts.iter().map(|h| (h.key(), h.macs.as_slice())).collect();
    let place = |h: &HostKey| model.place(h, macs.get(h).copied().unwrap_or(&[]));
    let is_host = |h: &HostKey| match h {
        HostKey::Ip(ip) => packet::is_unicast_host(ip),
        HostKey::Mac(m) => !packet::is_group_mac(m),
    };
    let mut acc = Acc {
        cap: 32,
        out: BTreeMap::new(),
        model: &model,
    };
    let empty = Placement::default();
    for f in &obs.flows {
        let (s, d) = (f.src.host, f.dst.host);
        let (ps, pd) = (place(&s), place(&d));
        let t = (f.first_ns, f.last_ns);
        for (h, p) in [(s, &ps), (d, &pd)] {
            if is_host(&h) && p.asset.is_none() {
                let key = Key {
                    kind: ViolationKind::UnknownAsset,
                    capture: f.capture,
                    src: h,
                    dst: None,
                    protocol: None,
                    operation: None,
                };
                acc.add(key, (p, &empty), None, f.first_packet, f.packets, t);
            }
        }
        if !is_host(&d) {
            continue;
        }
        let base = |kind| Key {
            kind,
            capture: f.capture,
            src: s,
            dst: Some(d),
            protocol: f.protocol,
            operation: None,
        };
        if f.protocol.is_some_and(Proto::is_cleartext_remote_access) && pd.zone.is_some() {
            acc.add(
                base(ViolationKind::CleartextRemoteAccess),
                (&ps, &pd),
                None,
                f.first_packet,
                f.packets,
                t,
            );
        }
        let (Some(zs), Some(zd)) = (&ps.zone, &pd.zone) else {
            continue;
        };
        if zs == zd {
            continue;
        }
        let conduits = acc.model.conduits(zs, zd);
        if conduits.is_empty() {
            acc.add(
                base(ViolationKind::NoConduit),
                (&ps, &pd),
                None,
                f.first_packet,
                f.packets,
                t,
            );
            continue;
        }
        let port = f.dst.port;
        let by_proto: Vec<&&Conduit> = conduits
            .iter()
            .filter(|c| allows_protocol(c, f.protocol, port))
            .collect();
        if by_proto.is_empty() {
            let names: Vec<&str> = conduits.iter().map(|c| c.id.as_str()).collect();
            acc.add(
                base(ViolationKind::ProtocolNotAllowed),
                (&ps, &pd),
                Some(&names.join(",")),
                f.first_packet,
                f.packets,
                t,
            );
        } else if !by_proto.iter().any(|c| allows_direction(c, zs)) {
            let names: Vec<&str> = by_proto.iter().map(|c| c.id.as_str()).collect();
            acc.add(
                base(ViolationKind::DirectionNotAllowed),
                (&ps, &pd),
                Some(&names.join(",")),
                f.first_packet,
                f.packets,
                t,
            );
        }
    }
    for o in obs.operations.iter().filter(|o| o.class.is_risky()) {
        let (ps, pd) = (place(&o.src), place(&o.dst));
        if ps.zone == pd.zone || pd.zone.is_none() {
            continue;
        }
        let key = Key {
            kind: ViolationKind::RiskyOperationAcrossZones,
            capture: o.capture,
            src: o.src,
            dst: Some(o.dst),
            protocol: Some(o.proto),
            operation: Some((o.class, o.func.name)),
        };
        let conduit = match (&ps.zone, &pd.zone) {
            (Some(a), Some(b)) => {
                let c: Vec<&str> = acc.model.conduits(a, b).iter().map(|c| c.id.as_str()).collect();
                (!c.is_empty()).then(|| c.join(","))
            }
            _ => None,
        };
        for &n in &o.packets.numbers {
            acc.add(
                key.clone(),
                (&ps, &pd),
                conduit.as_deref(),
                n,
                1,
                (o.first_ns, o.last_ns),
            );
        }
        if let Some(v) = acc.out.get_mut(&key) {
            v.packets.count = v.packets.count.max(o.packets.count);
        }
    }
    let mut out: Vec<Violation> = acc.out.into_values().collect();
    out.sort_by(|a, b| {
        (a.kind, a.capture, a.packets.numbers.first(), a.src, a.dst).cmp(&(
            b.kind,
            b.capture,
            b.packets.numbers.first(),
            b.src,
            b.dst,
        ))
    });
    out
}

/// The requirement of IEC 62443-3-3 each violation bears on (documented in
/// `docs/network-evidence.md`): segmentation (SR 5.1) for traffic between zones with no
/// conduit, zone boundary protection (SR 5.2) for what a conduit does not allow, the component
/// inventory (SR 7.8) for unknown hosts, authorization enforcement (SR 2.1) for risky operations
/// from another zone, and confidentiality (SR 4.1) for clear-text remote access — access via
/// untrusted networks (SR 1.13) when it comes from an untrusted zone or from outside every zone.
pub fn requirement(v: &Violation, project: &Project) -> &'static str {
    match v.kind {
        ViolationKind::UnknownAsset => "SR 7.8",
        ViolationKind::NoConduit => "SR 5.1",
        ViolationKind::ProtocolNotAllowed | ViolationKind::DirectionNotAllowed => "SR 5.2",
        ViolationKind::RiskyOperationAcrossZones => "SR 2.1",
        ViolationKind::CleartextRemoteAccess => {
            let untrusted = match &v.src_place.zone {
                None => true,
                Some(z) => project.zones.iter().any(|x| x.id.as_str() == z && x.untrusted),
            };
            if untrusted { "SR 1.13" } else { "SR 4.1" }
        }
    }
}

/// The violations as findings for the assessment: attached to the conduit they concern, else to
/// the zone of the device (or of the unknown host). Violations with neither are left out.
pub fn to_findings(
    violations: &[Violation],
    project: &Project,
    capture_names: &[String],
) -> Vec<levee_core::Finding> {
    use levee_core::{Confidence, Evidence, Finding, FindingSource, FindingState, Fr, Severity, Subject};
    let mut out = Vec::new();
    for v in violations {
        let conduit = v.conduit.as_deref().and_then(|c| c.split(',').next());
        let zone = v.dst_place.zone.as_deref().or(v.src_place.zone.as_deref());
        let subject = match (v.kind, conduit, zone) {
            (ViolationKind::ProtocolNotAllowed | ViolationKind::DirectionNotAllowed, Some(c), _) => {
                Subject::Conduit(c.into())
            }
            (_, _, Some(z)) => Subject::Zone(z.into()),
            _ => continue,
        };
        let req = requirement(v, project);
        let fr = req
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.split('.').next())
            .and_then(|n| n.parse().ok())
            .and_then(Fr::from_number);
        let severity = match v.kind {
            ViolationKind::UnknownAsset => Severity::Medium,
            ViolationKind::RiskyOperationAcrossZones | ViolationKind::NoConduit => Severity::High,
            _ => Severity::Medium,
        };
        let proto = v.protocol.map_or("unidentified", |p| p.name());
        let dst = v.dst.map(|d| d.to_string()).unwrap_or_default();
        let capture = capture_names.get(v.capture).cloned().unwrap_or_default();
        let packets: Vec<String> = v.packets.numbers.iter().take(8).map(u64::to_string).collect();
        let title = match v.kind {
            ViolationKind::UnknownAsset => format!("host {} is not a declared asset", v.src),
            ViolationKind::RiskyOperationAcrossZones => {
                let f = v.operation.map_or("", |(_, f)| f);
                format!("{proto} {f} from {} to {dst} across zones", v.src)
            }
            k => format!("{}: {proto} from {} to {dst}", k.as_str(), v.src),
        };
        let id: String = format!("net:{}:{}:{}:{}:{proto}", v.kind.as_str(), capture, v.src, dst)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        out.push(Finding {
            id,
            source: FindingSource::Network,
            subject,
            title,
            severity,
            confidence: Confidence::High,
            state: FindingState::Open,
            fr,
            requirement: Some(req.to_owned()),
            evidence: vec![Evidence {
                locator: format!("{capture} packets {}", packets.join(",")),
                detail: format!("{} ({} packets)", v.kind.as_str(), v.packets.count),
                snapshot: None,
            }],
        });
    }
    out
}
