//! Link, network and transport headers: Ethernet (802.1Q/802.1ad/QinQ stacks, 802.3 LLC/SNAP),
//! Linux SLL and SLL2, BSD Null/Loopback, raw IPv4/IPv6; IPv4 (with fragments), IPv6 (extension
//! headers), TCP and UDP.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// LINKTYPE values read.
pub mod linktype {
    /// BSD loopback, host byte order family.
    pub const NULL: u16 = 0;
    /// Ethernet.
    pub const ETHERNET: u16 = 1;
    /// Raw IP (OpenBSD's DLT value).
    pub const RAW_OPENBSD: u16 = 14;
    /// Raw IP (some systems' DLT_RAW).
    pub const RAW_12: u16 = 12;
    /// Raw IP.
    pub const RAW: u16 = 101;
    /// OpenBSD loopback, network byte order family.
    pub const LOOP: u16 = 108;
    /// Linux cooked capture v1.
    pub const SLL: u16 = 113;
    /// Raw IPv4.
    pub const IPV4: u16 = 228;
    /// Raw IPv6.
    pub const IPV6: u16 = 229;
    /// Linux cooked capture v2.
    pub const SLL2: u16 = 276;

    /// The name of a link type, for reports.
    pub fn name(lt: u16) -> String {
        match lt {
            NULL => "null".into(),
            ETHERNET => "ethernet".into(),
            RAW | RAW_12 | RAW_OPENBSD => "raw".into(),
            LOOP => "loop".into(),
            SLL => "linux-sll".into(),
            IPV4 => "ipv4".into(),
            IPV6 => "ipv6".into(),
            SLL2 => "linux-sll2".into(),
            other => format!("linktype-{other}"),
        }
    }
}

/// A MAC address.
pub type Mac = [u8; 6];

/// Why a packet could not be decoded (it is counted as malformed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// Shorter than its headers.
    Truncated(&'static str),
    /// A header field has an impossible value.
    Bad(&'static str),
    /// A link type Levee does not read.
    UnsupportedLink,
}

/// A decoded layer-2 frame.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Source MAC, when the link has one.
    pub src_mac: Option<Mac>,
    /// Destination MAC.
    pub dst_mac: Option<Mac>,
    /// EtherType (after any VLAN tags); 0 for 802.3 LLC frames.
    pub ethertype: u16,
    /// VLAN ids, outermost first (at most 4 kept).
    pub vlans: [u16; 4],
    /// How many VLAN tags.
    pub vlan_count: u8,
    /// What it carries.
    pub l3: L3<'a>,
}

/// What a frame carries.
#[derive(Debug, Clone, Copy)]
pub enum L3<'a> {
    /// An IP packet.
    Ip(IpPacket<'a>),
    /// 802.2 LLC, with the SNAP OUI and protocol id when present.
    Llc {
        /// DSAP.
        dsap: u8,
        /// SNAP (OUI, protocol id).
        snap: Option<(u32, u16)>,
        /// After the LLC/SNAP header.
        payload: &'a [u8],
    },
    /// Any other EtherType's payload (ARP, LLDP, PROFINET, GOOSE, ...).
    Ether(&'a [u8]),
}

/// IPv4 fragment information.
#[derive(Debug, Clone, Copy)]
pub struct Fragment {
    /// IP identification.
    pub id: u16,
    /// Byte offset of this fragment.
    pub offset: u32,
    /// More fragments follow.
    pub more: bool,
}

/// An IP packet.
#[derive(Debug, Clone, Copy)]
pub struct IpPacket<'a> {
    /// Source.
    pub src: IpAddr,
    /// Destination.
    pub dst: IpAddr,
    /// Transport protocol number.
    pub proto: u8,
    /// The transport bytes (cut to the IP length).
    pub payload: &'a [u8],
    /// Set when this is a fragment of a larger IPv4 datagram.
    pub fragment: Option<Fragment>,
}

/// TCP flags.
pub mod tcpflag {
    /// FIN.
    pub const FIN: u8 = 0x01;
    /// SYN.
    pub const SYN: u8 = 0x02;
    /// RST.
    pub const RST: u8 = 0x04;
    /// ACK.
    pub const ACK: u8 = 0x10;
}

/// A transport header with its payload.
#[derive(Debug, Clone, Copy)]
pub enum Transport<'a> {
    /// TCP.
    Tcp {
        /// Source port.
        sport: u16,
        /// Destination port.
        dport: u16,
        /// Sequence number.
        seq: u32,
        /// Flags.
        flags: u8,
        /// Payload.
        payload: &'a [u8],
    },
    /// UDP.
    Udp {
        /// Source port.
        sport: u16,
        /// Destination port.
        dport: u16,
        /// Payload.
        payload: &'a [u8],
    },
    /// Any other IP protocol (ICMP, IGMP, GRE, ...).
    Other,
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn mac(b: &[u8]) -> Mac {
    [b[0], b[1], b[2], b[3], b[4], b[5]]
}

/// Decodes a packet of link type `lt` down to layer 3.
///
/// # Errors
///
/// A [`Malformed`] reason when the headers do not fit.
pub fn decode_link(lt: u16, data: &[u8]) -> Result<Frame<'_>, Malformed> {
    let mut f = Frame {
        src_mac: None,
        dst_mac: None,
        ethertype: 0,
        vlans: [0; 4],
        vlan_count: 0,
        l3: L3::Ether(&[]),
    };
    let (ethertype, rest) = match lt {
        linktype::ETHERNET => {
            if data.len() < 14 {
                return Err(Malformed::Truncated("ethernet"));
            }
            f.dst_mac = Some(mac(&data[0..6]));
            f.src_mac = Some(mac(&data[6..12]));
            (be16(data, 12), &data[14..])
        }
        linktype::SLL => {
            if data.len() < 16 {
                return Err(Malformed::Truncated("linux-sll"));
            }
            if be16(data, 4) == 6 {
                f.src_mac = Some(mac(&data[6..12]));
            }
            (be16(data, 14), &data[16..])
        }
        linktype::SLL2 => {
            if data.len() < 20 {
                return Err(Malformed::Truncated("linux-sll2"));
            }
            if data[11] == 6 {
                f.src_mac = Some(mac(&data[12..18]));
            }
            (be16(data, 0), &data[20..])
        }
        linktype::NULL | linktype::LOOP => {
            if data.len() < 4 {
                return Err(Malformed::Truncated("loopback"));
            }
            let fam_le = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
            let fam_be = be32(data, 0);
            let fam = if lt == linktype::LOOP || fam_le > 0xffff {
                fam_be
            } else {
                fam_le
            };
            let et = match fam {
                2 => 0x0800,
                10 | 24 | 28 | 30 => 0x86dd,
                _ => return Err(Malformed::Bad("loopback address family")),
            };
            (et, &data[4..])
        }
        linktype::RAW | linktype::RAW_12 | linktype::RAW_OPENBSD | linktype::IPV4 | linktype::IPV6 => {
            match data.first().map(|b| b >> 4) {
                Some(4) => (0x0800, data),
                Some(6) => (0x86dd, data),
                _ => return Err(Malformed::Bad("raw IP version")),
            }
        }
        _ => return Err(Malformed::UnsupportedLink),
    };
    let (mut et, mut rest) = (ethertype, rest);
    // SLL uses small protocol values for non-Ethernet framing: 4 is 802.2 LLC.
    if (lt == linktype::SLL || lt == linktype::SLL2) && et == 0x0004 {
        et = 0x05ff;
    }
    while matches!(et, 0x8100 | 0x88a8 | 0x9100 | 0x9200) {
        if rest.len() < 4 {
            return Err(Malformed::Truncated("vlan tag"));
        }
        if (f.vlan_count as usize) < f.vlans.len() {
            f.vlans[f.vlan_count as usize] = be16(rest, 0) & 0x0fff;
            f.vlan_count += 1;
        } else {
            return Err(Malformed::Bad("more than 4 VLAN tags"));
        }
        et = be16(rest, 2);
        rest = &rest[4..];
    }
    if et < 0x0600 {
        // 802.3 length field: LLC follows.
        let payload = if lt == linktype::ETHERNET && (et as usize) <= rest.len() && et > 0 {
            &rest[..et as usize]
        } else {
            rest
        };
        if payload.len() < 3 {
            return Err(Malformed::Truncated("llc"));
        }
        let dsap = payload[0];
        let (snap, body) = if payload[0] == 0xaa && payload[1] == 0xaa && payload.len() >= 8 {
            let oui = (u32::from(payload[3]) << 16) | (u32::from(payload[4]) << 8) | u32::from(payload[5]);
            (Some((oui, be16(payload, 6))), &payload[8..])
        } else {
            (None, &payload[3..])
        };
        f.ethertype = 0;
        f.l3 = L3::Llc {
            dsap,
            snap,
            payload: body,
        };
        return Ok(f);
    }
    f.ethertype = et;
    f.l3 = match et {
        0x0800 => L3::Ip(ipv4(rest)?),
        0x86dd => L3::Ip(ipv6(rest)?),
        _ => L3::Ether(rest),
    };
    Ok(f)
}

fn ipv4(b: &[u8]) -> Result<IpPacket<'_>, Malformed> {
    if b.len() < 20 {
        return Err(Malformed::Truncated("ipv4"));
    }
    if b[0] >> 4 != 4 {
        return Err(Malformed::Bad("ipv4 version"));
    }
    let ihl = usize::from(b[0] & 0x0f) * 4;
    let total = usize::from(be16(b, 2));
    if ihl < 20 || total < ihl {
        return Err(Malformed::Bad("ipv4 header length"));
    }
    if b.len() < ihl {
        return Err(Malformed::Truncated("ipv4"));
    }
    // Ethernet pads short frames; a capture may also cut the packet (snap length).
    let end = total.min(b.len());
    let flags_off = be16(b, 6);
    let more = flags_off & 0x2000 != 0;
    let offset = u32::from(flags_off & 0x1fff) * 8;
    let fragment = (more || offset != 0).then_some(Fragment {
        id: be16(b, 4),
        offset,
        more,
    });
    Ok(IpPacket {
        src: IpAddr::V4(Ipv4Addr::new(b[12], b[13], b[14], b[15])),
        dst: IpAddr::V4(Ipv4Addr::new(b[16], b[17], b[18], b[19])),
        proto: b[9],
        payload: &b[ihl..end],
        fragment,
    })
}

fn ipv6(b: &[u8]) -> Result<IpPacket<'_>, Malformed> {
    if b.len() < 40 {
        return Err(Malformed::Truncated("ipv6"));
    }
    if b[0] >> 4 != 6 {
        return Err(Malformed::Bad("ipv6 version"));
    }
    let plen = usize::from(be16(b, 4));
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[8..24]);
    let src = Ipv6Addr::from(a);
    a.copy_from_slice(&b[24..40]);
    let dst = Ipv6Addr::from(a);
    let end = (40 + plen).min(b.len());
    let mut next = b[6];
    let mut at = 40;
    let mut fragment = None;
    // Hop-by-hop, routing, fragment, destination options (at most 8 headers).
    for _ in 0..8 {
        match next {
            0 | 43 | 60 => {
                if at + 2 > end {
                    return Err(Malformed::Truncated("ipv6 extension header"));
                }
                let len = (usize::from(b[at + 1]) + 1) * 8;
                next = b[at];
                at += len;
            }
            44 => {
                if at + 8 > end {
                    return Err(Malformed::Truncated("ipv6 fragment header"));
                }
                let off = be16(b, at + 2);
                fragment = Some(Fragment {
                    id: (be32(b, at + 4) & 0xffff) as u16,
                    offset: u32::from(off >> 3) * 8,
                    more: off & 1 != 0,
                });
                next = b[at];
                at += 8;
            }
            _ => break,
        }
    }
    if at > end {
        return Err(Malformed::Truncated("ipv6 extension header"));
    }
    Ok(IpPacket {
        src: IpAddr::V6(src),
        dst: IpAddr::V6(dst),
        proto: next,
        payload: &b[at..end],
        fragment,
    })
}

/// Decodes the transport header of an (unfragmented or reassembled) IP payload.
///
/// # Errors
///
/// A [`Malformed`] reason when the TCP or UDP header does not fit.
pub fn decode_transport(proto: u8, b: &[u8]) -> Result<Transport<'_>, Malformed> {
    match proto {
        6 => {
            if b.len() < 20 {
                return Err(Malformed::Truncated("tcp"));
            }
            let off = usize::from(b[12] >> 4) * 4;
            if off < 20 {
                return Err(Malformed::Bad("tcp header length"));
            }
            if b.len() < off {
                return Err(Malformed::Truncated("tcp"));
            }
            Ok(Transport::Tcp {
                sport: be16(b, 0),
                dport: be16(b, 2),
                seq: be32(b, 4),
                flags: b[13],
                payload: &b[off..],
            })
        }
        17 => {
            if b.len() < 8 {
                return Err(Malformed::Truncated("udp"));
            }
            let len = usize::from(be16(b, 4));
            let end = if len >= 8 { len.min(b.len()) } else { b.len() };
            Ok(Transport::Udp {
                sport: be16(b, 0),
                dport: be16(b, 2),
                payload: &b[8..end],
            })
        }
        _ => Ok(Transport::Other),
    }
}

/// Formats a MAC as `00:1b:1b:aa:bb:cc`.
pub fn mac_string(m: &Mac) -> String {
    format!(
        "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        m[0], m[1], m[2], m[3], m[4], m[5]
    )
}

/// Broadcast or multicast MAC.
pub fn is_group_mac(m: &Mac) -> bool {
    m[0] & 1 != 0
}

/// Whether an address names one host (not broadcast, multicast, unspecified or loopback).
pub fn is_unicast_host(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => {
            !(v.is_broadcast() || v.is_multicast() || v.is_unspecified() || v.octets()[3] == 255)
        }
        IpAddr::V6(v) => !(v.is_multicast() || v.is_unspecified() || v.is_loopback()),
    }
}
