//! `levee observe --emit-model`: the observed inventory as a draft project model (zones from the
//! /24 or /64 networks seen, one asset per host, conduits for the traffic between them), for a
//! person to review and copy into `zones.toml`, `conduits.toml` and `assets.toml`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::observe::ObserveReport;

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The network a host is drafted into: its /24 (IPv4) or /64 (IPv6).
fn network(ip: &str) -> Option<(String, String)> {
    if let Ok(v4) = ip.parse::<core::net::Ipv4Addr>() {
        let o = v4.octets();
        return Some((
            format!("net-{}-{}-{}", o[0], o[1], o[2]),
            format!("{}.{}.{}.0/24", o[0], o[1], o[2]),
        ));
    }
    let v6 = ip.parse::<core::net::Ipv6Addr>().ok()?;
    let s = v6.segments();
    Some((
        format!("net-{:x}-{:x}-{:x}-{:x}", s[0], s[1], s[2], s[3]),
        format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]),
    ))
}

fn ident(s: &str) -> String {
    let mut id: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while id.contains("--") {
        id = id.replace("--", "-");
    }
    id.trim_matches('-').to_owned()
}

/// The draft, as TOML with one section per project file.
pub fn draft_model(r: &ObserveReport) -> String {
    let mut zones: BTreeMap<String, String> = BTreeMap::new();
    let mut zone_of: BTreeMap<String, String> = BTreeMap::new();
    for a in &r.assets {
        if let Some((id, net)) = a.ip.as_deref().and_then(network) {
            zone_of.insert(a.ip.clone().unwrap_or_default(), id.clone());
            zones.insert(id, net);
        }
    }
    let mut out = String::from(
        "# Draft model from `levee observe`: what the captures show, not what the plant should be.\n\
         # Review every entry, then copy each section into the project file it names.\n\n# ---- zones.toml ----\n",
    );
    for (id, net) in &zones {
        let _ = writeln!(
            out,
            "[[zone]]\nid = {}\nname = {}\nnetworks = [{}]\n",
            quote(id),
            quote(&format!("Observed {net}")),
            quote(net)
        );
    }
    let mut conduits: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for f in &r.flows {
        let (Some(a), Some(b)) = (zone_of.get(&f.src), zone_of.get(&f.dst)) else {
            continue;
        };
        if a != b {
            let entry = conduits.entry((a.clone(), b.clone())).or_default();
            if let Some(p) = &f.protocol {
                entry.insert(p.clone());
            }
        }
    }
    out.push_str("# ---- conduits.toml ----\n");
    for ((a, b), protos) in &conduits {
        let list: Vec<String> = protos
            .iter()
            .map(|p| format!("{{ name = {} }}", quote(p)))
            .collect();
        let _ = writeln!(
            out,
            "[[conduit]]\nid = {}\nname = {}\nzones = [{}, {}]\ndirection = \"forward\"\nprotocols = [{}]\n",
            quote(&format!("{a}-to-{b}")),
            quote(&format!("Observed {a} to {b}")),
            quote(a),
            quote(b),
            list.join(", ")
        );
    }
    out.push_str("# ---- assets.toml ----\n");
    let mut used = BTreeSet::new();
    for a in &r.assets {
        let Some(ip) = &a.ip else { continue };
        let Some(zone) = zone_of.get(ip) else { continue };
        let base = a.names.first().map_or_else(|| ident(ip), |n| ident(&n.name));
        let mut id = if base.is_empty() { ident(ip) } else { base };
        if !used.insert(id.clone()) {
            id = format!("{id}-{}", ident(ip));
            used.insert(id.clone());
        }
        let name = a.names.first().map_or_else(|| ip.clone(), |n| n.name.clone());
        let _ = writeln!(
            out,
            "[[asset]]\nid = {}\nname = {}\nzone = {}\ntype = {}",
            quote(&id),
            quote(&name),
            quote(zone),
            quote(&a.role)
        );
        let vendor = a
            .identity
            .iter()
            .find(|i| i.key == "vendor")
            .map(|i| i.value.clone())
            .or_else(|| a.vendor.clone());
        if let Some(v) = vendor {
            let _ = writeln!(out, "vendor = {}", quote(&v));
        }
        if let Some(m) = a.identity.iter().find(|i| i.key == "model" || i.key == "product") {
            let _ = writeln!(out, "model = {}", quote(&m.value));
        }
        if let Some(fw) = a.identity.iter().find(|i| i.key == "firmware") {
            let _ = writeln!(out, "firmware = {}", quote(&fw.value));
        }
        let _ = writeln!(out, "ip = [{}]", quote(ip));
        if !a.mac.is_empty() {
            let macs: Vec<String> = a.mac.iter().map(|m| quote(m)).collect();
            let _ = writeln!(out, "mac = [{}]", macs.join(", "));
        }
        let _ = writeln!(out, "# role rule: {}\n", a.role_rule.replace('\n', " "));
    }
    out
}
