//! Layer-2 decoders: PROFINET DCP and RT, GOOSE, LLDP, CDP, ARP.

use core::net::{IpAddr, Ipv4Addr};

use super::{Event, Sink, Target, rd_be16 as be16};
use crate::proto::{OpClass as C, Proto};

/// The protocol of an EtherType payload, when it is one Levee names.
pub fn classify(ethertype: u16, payload: &[u8]) -> Option<Proto> {
    match ethertype {
        0x0806 => Some(Proto::Arp),
        0x88cc => Some(Proto::Lldp),
        0x88b8 => Some(Proto::Goose),
        0x8892 => {
            let id = payload.get(..2).map(|b| be16(b, 0))?;
            Some(if (0xfefc..=0xfeff).contains(&id) {
                Proto::ProfinetDcp
            } else {
                Proto::ProfinetRt
            })
        }
        _ => None,
    }
}

/// CDP rides on 802.2 SNAP with the Cisco OUI and protocol id 0x2000.
pub fn is_cdp(snap: Option<(u32, u16)>) -> bool {
    snap == Some((0x00000c, 0x2000))
}

/// PROFINET DCP: Set requests (IP, name of station, factory reset) and Identify responses.
pub fn dcp(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 12 {
        return;
    }
    let (service, kind) = (p[2], p[3]);
    let len = be16(p, 10);
    let Some(blocks) = p.get(12..12 + len) else { return };
    let response = kind & 0x01 != 0;
    let mut at = 0;
    while at + 4 <= blocks.len() {
        let (opt, sub, blen) = (blocks[at], blocks[at + 1], be16(blocks, at + 2));
        let Some(val) = blocks.get(at + 4..at + 4 + blen) else {
            return;
        };
        if service == 4 && !response {
            match (opt, sub) {
                (1, 2) => sink.op(Proto::ProfinetDcp, C::ConfigChange, "SET_IP", 0x0102),
                (2, 2) => sink.op(Proto::ProfinetDcp, C::ConfigChange, "SET_NAME_OF_STATION", 0x0202),
                (5, 6) | (5, 4) => sink.op(Proto::ProfinetDcp, C::ConfigChange, "RESET_TO_FACTORY", 0x0506),
                (5, 3) => sink.op(Proto::ProfinetDcp, C::Operate, "SIGNAL", 0x0503),
                _ => {}
            }
        } else if (service == 5 || service == 3) && response && val.len() >= 2 {
            // Response blocks start with two bytes of block info.
            let v = &val[2..];
            match (opt, sub) {
                (2, 1) => sink.identity(Target::Sender, "product", v),
                (2, 2) => sink.name(Target::Sender, v, "profinet-dcp"),
                (2, 3) if v.len() >= 4 => {
                    sink.identity(
                        Target::Sender,
                        "profinet-vendor-id",
                        format!("0x{:04x}", be16(v, 0)).as_bytes(),
                    );
                    sink.identity(
                        Target::Sender,
                        "profinet-device-id",
                        format!("0x{:04x}", be16(v, 2)).as_bytes(),
                    );
                }
                (2, 4) if !v.is_empty() => {
                    let role = if v[0] & 0x02 != 0 {
                        "PROFINET DCP device role: IO controller"
                    } else {
                        "PROFINET DCP device role: IO device"
                    };
                    sink.events.push(Event::Role {
                        target: Target::Sender,
                        role: "plc",
                        rule: role,
                    });
                }
                (1, 2) if v.len() >= 4 => {
                    let ip = Ipv4Addr::new(v[0], v[1], v[2], v[3]);
                    if !ip.is_unspecified() {
                        sink.identity(Target::Sender, "ip", ip.to_string().as_bytes());
                    }
                }
                _ => {}
            }
        }
        at += 4 + blen + blen % 2;
    }
}

/// GOOSE: the control block reference and GOOSE id name the publishing IED.
pub fn goose(p: &[u8], sink: &mut Sink<'_>) {
    let Some(pdu) = p.get(8..) else { return };
    if pdu.first() != Some(&0x61) {
        return;
    }
    let mut at = if pdu.get(1).is_some_and(|l| l & 0x80 != 0) {
        2 + usize::from(pdu[1] & 0x7f)
    } else {
        2
    };
    for _ in 0..4 {
        let (Some(&tag), Some(&len)) = (pdu.get(at), pdu.get(at + 1)) else {
            return;
        };
        let Some(v) = pdu.get(at + 2..at + 2 + usize::from(len)) else {
            return;
        };
        match tag {
            0x80 => sink.identity(Target::Sender, "goose-control-block", v),
            0x83 => sink.identity(Target::Sender, "goose-id", v),
            _ => {}
        }
        at += 2 + usize::from(len);
    }
}

/// LLDP TLVs: system name, description, management address.
pub fn lldp(p: &[u8], sink: &mut Sink<'_>) {
    let mut at = 0;
    for _ in 0..64 {
        let Some(h) = p.get(at..at + 2) else { return };
        let ty = h[0] >> 1;
        let len = (usize::from(h[0] & 1) << 8) | usize::from(h[1]);
        if ty == 0 {
            return;
        }
        let Some(v) = p.get(at + 2..at + 2 + len) else {
            return;
        };
        match ty {
            5 => sink.name(Target::Sender, v, "lldp"),
            6 => sink.identity(Target::Sender, "description", v),
            8 if v.len() >= 6 && v[1] == 1 => {
                let ip = Ipv4Addr::new(v[2], v[3], v[4], v[5]);
                sink.identity(Target::Sender, "management-ip", ip.to_string().as_bytes());
            }
            _ => {}
        }
        at += 2 + len;
    }
}

/// CDP TLVs: device id, software version, platform.
pub fn cdp(p: &[u8], sink: &mut Sink<'_>) {
    let mut at = 4;
    for _ in 0..64 {
        let Some(h) = p.get(at..at + 4) else { return };
        let (ty, len) = (be16(h, 0), be16(h, 2));
        if len < 4 {
            return;
        }
        let Some(v) = p.get(at + 4..at + len) else { return };
        match ty {
            1 => sink.name(Target::Sender, v, "cdp"),
            5 => sink.identity(
                Target::Sender,
                "firmware",
                v.split(|&b| b == b'\n').next().unwrap_or(v),
            ),
            6 => sink.identity(Target::Sender, "model", v),
            _ => {}
        }
        at += len;
    }
}

/// ARP: the sender's MAC and IPv4 address.
pub fn arp(p: &[u8]) -> Option<([u8; 6], IpAddr)> {
    if p.len() < 28 || be16(p, 0) != 1 || be16(p, 2) != 0x0800 || p[4] != 6 || p[5] != 4 {
        return None;
    }
    let mac = [p[8], p[9], p[10], p[11], p[12], p[13]];
    let ip = Ipv4Addr::new(p[14], p[15], p[16], p[17]);
    (!ip.is_unspecified()).then_some((mac, IpAddr::V4(ip)))
}
