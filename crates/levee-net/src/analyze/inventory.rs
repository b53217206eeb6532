//! The end of an analysis: hosts merged, vendors looked up, roles decided.

use core::net::IpAddr;
use std::collections::{BTreeMap, BTreeSet};

use crate::packet::{self, Mac};
use crate::proto::{OpClass, Proto};

use super::types::{HostKey, HostObs, Observation, OpObs};
use super::{Analyzer, Host};

impl Analyzer {
    /// Ends the analysis: flows closed, hosts merged (a MAC seen alone on layer 2 joins the IP
    /// host it belongs to), roles decided.
    pub fn finish(mut self) -> Observation {
        self.flush_flows();
        // MACs that carry traffic of many addresses belong to a router, not to those hosts.
        let shared: BTreeSet<Mac> = self
            .mac_ips
            .iter()
            .filter(|(_, ips)| ips.len() > 2)
            .map(|(m, _)| *m)
            .collect();
        let mut owner_of: BTreeMap<Mac, IpAddr> = BTreeMap::new();
        let mut hosts: Vec<(HostKey, Host)> = self.hosts.into_iter().collect();
        hosts.sort_by_key(|a| a.0);
        for (k, h) in &mut hosts {
            if let HostKey::Ip(ip) = k {
                h.macs
                    .retain(|m| !shared.contains(m) || self.bindings.get(m) == Some(ip));
                for m in &h.macs {
                    owner_of.entry(*m).or_insert(*ip);
                }
                if let Some(names) = self.addr_names.get(ip) {
                    for n in names {
                        if h.names.len() < 8 && !h.names.iter().any(|(x, _)| *x == n.0) {
                            h.names.push(n.clone());
                        }
                    }
                }
            }
        }
        for (m, ip) in &self.bindings {
            owner_of.entry(*m).or_insert(*ip);
        }
        let mut by_key: BTreeMap<HostKey, Host> = BTreeMap::new();
        for (k, h) in hosts {
            let k = match k {
                HostKey::Mac(m) => owner_of.get(&m).map(|ip| HostKey::Ip(*ip)).unwrap_or(k),
                ip => ip,
            };
            if let HostKey::Mac(m) = k
                && packet::is_group_mac(&m)
            {
                continue;
            }
            if let HostKey::Ip(ip) = k
                && !packet::is_unicast_host(&ip)
            {
                continue;
            }
            let slot = by_key.entry(k).or_default();
            merge(slot, h, k);
        }
        let mut out = Observation {
            captures: self.captures,
            flows: self.done,
            ..Observation::default()
        };
        for (k, h) in by_key {
            out.hosts.push(host_obs(k, h, &shared));
        }
        let mut ops: Vec<OpObs> = self.ops.into_values().collect();
        ops.sort_by(|a, b| {
            (a.capture, a.packets.numbers.first(), a.proto, a.func).cmp(&(
                b.capture,
                b.packets.numbers.first(),
                b.proto,
                b.func,
            ))
        });
        // Hosts known only by MAC inside ops (layer 2) join their IP host too.
        for o in &mut ops {
            for end in [&mut o.src, &mut o.dst] {
                if let HostKey::Mac(m) = end
                    && let Some(ip) = owner_of.get(m)
                {
                    *end = HostKey::Ip(*ip);
                }
            }
        }
        out.operations = ops;
        out.flows.sort_by_key(|a| (a.capture, a.first_packet));
        out
    }
}

fn merge(into: &mut Host, h: Host, key: HostKey) {
    let empty = into.packets == 0 && into.first_ns == 0 && into.last_ns == 0;
    if empty {
        into.first_ns = h.first_ns;
        into.last_ns = h.last_ns;
    } else {
        into.first_ns = into.first_ns.min(h.first_ns);
        into.last_ns = into.last_ns.max(h.last_ns);
    }
    into.packets += h.packets;
    for m in h.macs {
        if !into.macs.contains(&m) && into.macs.len() < 4 {
            into.macs.push(m);
        }
    }
    if let HostKey::Ip(_) = key {
    } else if let HostKey::Mac(m) = key
        && !into.macs.contains(&m)
    {
        into.macs.push(m);
    }
    for n in h.names {
        if !into.names.iter().any(|(x, _)| *x == n.0) && into.names.len() < 8 {
            into.names.push(n);
        }
    }
    for i in h.identity {
        if !into.identity.contains(&i) && into.identity.len() < 24 {
            into.identity.push(i);
        }
    }
    into.hints.extend(h.hints);
    into.served.extend(h.served);
    into.used.extend(h.used);
    into.issued.extend(h.issued);
    into.polled.extend(h.polled);
}

fn host_obs(k: HostKey, h: Host, shared: &BTreeSet<Mac>) -> HostObs {
    let ip = match k {
        HostKey::Ip(ip) => Some(ip),
        HostKey::Mac(_) => None,
    };
    let mut macs = h.macs.clone();
    if let HostKey::Mac(m) = k
        && !macs.contains(&m)
    {
        macs.insert(0, m);
    }
    let vendor = macs.first().and_then(crate::oui::vendor);
    let (role, rule) = role(&h, &macs, shared);
    HostObs {
        ip,
        macs,
        vendor,
        names: h.names,
        identity: h.identity,
        role,
        role_rule: rule,
        served: h.served.into_iter().collect(),
        used: h.used.into_iter().collect(),
        first_ns: h.first_ns,
        last_ns: h.last_ns,
        packets: h.packets,
    }
}

/// The role rules, in order; the first that fires wins and is named in the output.
fn role(h: &Host, macs: &[Mac], shared: &BTreeSet<Mac>) -> (&'static str, String) {
    const EWS: [OpClass; 7] = [
        OpClass::ProgramDownload,
        OpClass::ProgramUpload,
        OpClass::ProgramDelete,
        OpClass::FirmwareUpdate,
        OpClass::Stop,
        OpClass::Start,
        OpClass::Restart,
    ];
    if let Some((c, p, f)) = h.issued.iter().find(|(c, _, _)| EWS.contains(c)) {
        return (
            "engineering-workstation",
            format!("issued {} ({} {f})", c.name(), p.name()),
        );
    }
    let serves_ics: Vec<&Proto> = h.served.iter().filter(|p| p.is_ics()).collect();
    let data_server = serves_ics.iter().all(|p| matches!(p, Proto::Opcua | Proto::Mqtt));
    // A gateway serves one industrial protocol and polls devices over another (discovery and
    // the protocol it serves itself do not count: PROFINET devices open CM calls back to their
    // controller, BACnet devices ask each other).
    let polls_other: Vec<&Proto> = h
        .used
        .iter()
        .filter(|p| p.is_ics() && **p != Proto::ProfinetDcp && !h.served.contains(p))
        .collect();
    if !serves_ics.is_empty() && !polls_other.is_empty() && !h.polled.is_empty() {
        return (
            "gateway",
            format!(
                "serves {} and polls {} devices over {}",
                serves_ics[0].name(),
                h.polled.len(),
                polls_other[0].name()
            ),
        );
    }
    if !serves_ics.is_empty() && data_server {
        return (
            "gateway",
            format!("serves {} (data server or broker)", serves_ics[0].name()),
        );
    }
    if !serves_ics.is_empty() {
        return (
            "plc",
            format!(
                "serves {}",
                serves_ics.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    if let Some((r, rule)) = h.hints.first() {
        return (r, (*rule).to_owned());
    }
    if h.names
        .iter()
        .any(|(n, _)| n.to_ascii_lowercase().contains("hist"))
    {
        return ("historian", "its name contains \"hist\"".to_owned());
    }
    if !h.polled.is_empty() {
        let p = h.used.iter().find(|p| p.is_ics()).map_or("ICS", |p| p.name());
        return ("hmi", format!("polls {} device(s) over {p}", h.polled.len()));
    }
    if let Some(m) = macs.iter().find(|m| shared.contains(*m)) {
        return (
            "gateway",
            format!(
                "its MAC {} carries the traffic of several addresses",
                packet::mac_string(m)
            ),
        );
    }
    if h.names.iter().any(|(_, s)| *s == "cdp") {
        return ("gateway", "announces itself over CDP (network device)".to_owned());
    }
    ("it-host", "no industrial protocol served or used".to_owned())
}
