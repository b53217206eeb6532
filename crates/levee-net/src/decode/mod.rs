//! The protocol decoders. Each takes one PDU (a reassembled TCP message, a UDP datagram or a
//! layer-2 payload) and reports [`Event`]s: operations with their class, identities, names, the
//! protocols carried inside. Decoders never panic and never allocate more than their input.

pub mod enip;
pub mod ics;
pub mod iso;
pub mod it;
pub mod l2;

use core::net::IpAddr;

use crate::packet::Mac;
use crate::proto::{Function, OpClass, Proto};

/// Whom an identity or a name is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The host that sent the PDU.
    Sender,
    /// The host it was sent to.
    Receiver,
    /// A host named by address inside the PDU (DNS answers, DHCP leases).
    Ip(IpAddr),
    /// A host named by MAC inside the PDU (DHCP client hardware address).
    Mac(Mac),
}

/// What a decoder found in one PDU.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A request (from the sender) of some function.
    Op {
        /// Protocol (may differ from the flow's: `umas` inside `modbus`, `cip` inside `enip`).
        proto: Proto,
        /// Class.
        class: OpClass,
        /// The protocol's function.
        func: Function,
    },
    /// Another protocol carried inside this one.
    Inner(Proto),
    /// An identity attribute (`vendor`, `product`, `model`, `firmware`, `serial`, `banner`, ...).
    Identity {
        /// About whom.
        target: Target,
        /// Attribute.
        key: &'static str,
        /// Value as sent.
        value: String,
    },
    /// A host name and where it came from (`dhcp`, `netbios`, `dns`, `lldp`, `mdns`, ...).
    Name {
        /// About whom.
        target: Target,
        /// The name.
        name: String,
        /// The protocol that told it.
        source: &'static str,
    },
    /// The channel is encrypted past its handshake.
    Encrypted,
    /// A device role announced by the device itself (PROFINET DCP device role, DNP3 outstation).
    Role {
        /// About whom.
        target: Target,
        /// `plc`, `hmi`, ...
        role: &'static str,
        /// The rule.
        rule: &'static str,
    },
}

/// Where a decoder writes.
pub struct Sink<'a> {
    /// The events.
    pub events: &'a mut Vec<Event>,
}

impl Sink<'_> {
    /// A request.
    pub fn op(&mut self, proto: Proto, class: OpClass, name: &'static str, code: u32) {
        self.events.push(Event::Op {
            proto,
            class,
            func: Function { name, code },
        });
    }

    /// An identity attribute, cleaned of control characters and cut to 128 characters.
    pub fn identity(&mut self, target: Target, key: &'static str, raw: &[u8]) {
        let value = clean(raw);
        if !value.is_empty() {
            self.events.push(Event::Identity { target, key, value });
        }
    }

    /// A host name.
    pub fn name(&mut self, target: Target, raw: &[u8], source: &'static str) {
        let name = clean(raw);
        if !name.is_empty() {
            self.events.push(Event::Name { target, name, source });
        }
    }
}

/// Printable text from outside bytes: control characters dropped, at most 128 characters.
pub fn clean(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    text.chars()
        .filter(|c| !c.is_control())
        .take(128)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// How a TCP byte stream splits into PDUs for one protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Not enough bytes yet.
    Need,
    /// The first `n` bytes are one PDU.
    Pdu(usize),
    /// The bytes do not start a PDU: drop them and resynchronise at the next segment.
    Bad,
}

pub(crate) fn be16(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_be_bytes([b[at], b[at + 1]]))
}

pub(crate) fn le16(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn fixed(len: usize, have: usize) -> Framing {
    if len == 0 {
        Framing::Bad
    } else if have >= len {
        Framing::Pdu(len)
    } else {
        Framing::Need
    }
}

/// The largest PDU kept for any protocol (64 KiB plus headers); a longer one is a resync.
pub const MAX_PDU: usize = 70_000;

/// Splits the stream for protocols with a TCP decoder; `None` for protocols decoded from the
/// first segments only.
pub fn frame(proto: Proto, b: &[u8]) -> Option<Framing> {
    let f = match proto {
        Proto::Modbus => {
            if b.len() < 7 {
                Framing::Need
            } else if b[2] != 0 || b[3] != 0 || !(2..=254).contains(&be16(b, 4)) {
                Framing::Bad
            } else {
                fixed(6 + be16(b, 4), b.len())
            }
        }
        Proto::S7comm | Proto::S7commPlus | Proto::Mms | Proto::Rdp => {
            if b.len() < 4 {
                Framing::Need
            } else if b[0] != 3 || be16(b, 2) < 7 {
                Framing::Bad
            } else {
                fixed(be16(b, 2), b.len())
            }
        }
        Proto::Dnp3 => {
            if b.len() < 3 {
                Framing::Need
            } else if b[0] != 0x05 || b[1] != 0x64 || b[2] < 5 {
                Framing::Bad
            } else {
                let user = usize::from(b[2]) - 5;
                fixed(10 + user + 2 * user.div_ceil(16), b.len())
            }
        }
        Proto::Enip => {
            if b.len() < 4 {
                Framing::Need
            } else {
                fixed(24 + le16(b, 2), b.len())
            }
        }
        Proto::Iec104 => {
            if b.len() < 2 {
                Framing::Need
            } else if b[0] != 0x68 || b[1] < 4 {
                Framing::Bad
            } else {
                fixed(2 + usize::from(b[1]), b.len())
            }
        }
        Proto::Opcua => {
            if b.len() < 8 {
                Framing::Need
            } else {
                let n = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
                if n < 8 { Framing::Bad } else { fixed(n, b.len()) }
            }
        }
        Proto::Mqtt => {
            if b.len() < 2 {
                Framing::Need
            } else {
                let mut value = 0usize;
                let mut done = None;
                for i in 0..4 {
                    let Some(&x) = b.get(1 + i) else { break };
                    value |= usize::from(x & 0x7f) << (7 * i);
                    if x & 0x80 == 0 {
                        done = Some(2 + i + value);
                        break;
                    }
                }
                match done {
                    Some(n) => fixed(n, b.len()),
                    None if b.len() >= 5 => Framing::Bad,
                    None => Framing::Need,
                }
            }
        }
        Proto::C37118 => {
            if b.len() < 4 {
                Framing::Need
            } else if b[0] != 0xaa {
                Framing::Bad
            } else {
                fixed(be16(b, 2), b.len())
            }
        }
        Proto::HartIp => {
            if b.len() < 8 {
                Framing::Need
            } else {
                fixed(be16(b, 6), b.len())
            }
        }
        Proto::Ads => {
            if b.len() < 6 {
                Framing::Need
            } else if b[0] != 0 || b[1] != 0 {
                Framing::Bad
            } else {
                fixed(6 + u32::from_le_bytes([b[2], b[3], b[4], b[5]]) as usize, b.len())
            }
        }
        Proto::Fins => {
            if b.len() < 8 {
                Framing::Need
            } else if &b[0..4] != b"FINS" {
                Framing::Bad
            } else {
                fixed(8 + u32::from_be_bytes([b[4], b[5], b[6], b[7]]) as usize, b.len())
            }
        }
        Proto::Melsec => match (b.first(), b.len()) {
            (_, 0..=8) => Framing::Need,
            (Some(0x50 | 0xd0), _) => fixed(9 + le16(b, 7), b.len()),
            (Some(0x54 | 0xd4), n) if n >= 13 => fixed(13 + le16(b, 11), b.len()),
            (Some(0x54 | 0xd4), _) => Framing::Need,
            _ => Framing::Bad,
        },
        // Line-oriented: one PDU per segment is enough for banners and commands.
        Proto::Fox
        | Proto::Ftp
        | Proto::Http
        | Proto::Ssh
        | Proto::Tls
        | Proto::Smb
        | Proto::Telnet
        | Proto::Netbios => {
            if b.is_empty() {
                Framing::Need
            } else {
                Framing::Pdu(b.len())
            }
        }
        _ => return None,
    };
    Some(match f {
        Framing::Pdu(n) if n > MAX_PDU => Framing::Bad,
        Framing::Need if b.len() > MAX_PDU => Framing::Bad,
        other => other,
    })
}

/// Decodes one PDU of `proto`. `from_client` says the sender is the flow's initiator.
pub fn decode(proto: Proto, pdu: &[u8], from_client: bool, sink: &mut Sink<'_>) {
    match proto {
        Proto::Modbus => ics::modbus(pdu, from_client, sink),
        Proto::S7comm | Proto::S7commPlus | Proto::Mms | Proto::Rdp => iso::tpkt(pdu, sink),
        Proto::Dnp3 => ics::dnp3(pdu, sink),
        Proto::Enip => enip::enip(pdu, from_client, sink),
        Proto::Iec104 => ics::iec104(pdu, sink),
        Proto::Opcua => ics::opcua(pdu, sink),
        Proto::Mqtt => ics::mqtt(pdu, sink),
        Proto::C37118 => ics::c37118(pdu, sink),
        Proto::HartIp => ics::hart_ip(pdu, sink),
        Proto::Ads => ics::ads(pdu, sink),
        Proto::Fins => ics::fins(pdu, sink),
        Proto::Fox => ics::fox(pdu, sink),
        Proto::Melsec => ics::melsec(pdu, sink),
        Proto::Bacnet => ics::bacnet(pdu, sink),
        Proto::ProfinetCm => ics::pn_cm(pdu, sink),
        Proto::Ftp => it::ftp(pdu, from_client, sink),
        Proto::Http => it::http(pdu, from_client, sink),
        Proto::Ssh => it::ssh(pdu, sink),
        Proto::Tls => it::tls(pdu, sink),
        Proto::Dhcp => it::dhcp(pdu, sink),
        Proto::Dns | Proto::Mdns => it::dns(pdu, proto, sink),
        Proto::Netbios => it::nbns(pdu, sink),
        Proto::Tftp => it::tftp(pdu, sink),
        Proto::Snmp => it::snmp(pdu, sink),
        _ => {}
    }
}

pub(crate) use {be16 as rd_be16, le16 as rd_le16};
