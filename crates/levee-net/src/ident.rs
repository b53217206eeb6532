//! Protocol identification: content first, the well-known port only as a labelled fallback.
//!
//! Each content rule checks structure that a random payload does not have (a length field that
//! matches, a magic value, a checksum, a version byte). A rule never looks at ports unless the
//! format is too weak on its own (NTP, DNS, NetBIOS, MELSOFT); such rules still check the
//! structure and say so in their comment.

use crate::proto::Proto;

/// How a flow's protocol was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Evidence {
    /// The payload matched the protocol's structure.
    Content,
    /// Only the well-known port matched.
    Port,
}

impl Evidence {
    /// `content` or `port`.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Content => "content",
            Evidence::Port => "port",
        }
    }
}

fn be16(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_be_bytes([b[at], b[at + 1]]))
}

fn le16(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

/// The DNP3 link-header CRC (polynomial 0x3D65, reflected 0xA6BC, complemented).
pub fn dnp3_crc(data: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in data {
        crc ^= u16::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xa6bc
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A DNP3 link frame starts here (start bytes, length, CRC of the header).
pub fn is_dnp3(p: &[u8]) -> bool {
    p.len() >= 10
        && p[0] == 0x05
        && p[1] == 0x64
        && p[2] >= 5
        && dnp3_crc(&p[0..8]) == u16::from_le_bytes([p[8], p[9]])
}

/// A Modbus/TCP MBAP header with a plausible PDU: protocol id 0, length matching, a known
/// function code (or its exception).
pub fn is_modbus(p: &[u8]) -> bool {
    if p.len() < 8 || p[2] != 0 || p[3] != 0 {
        return false;
    }
    let len = be16(p, 4);
    if !(2..=254).contains(&len) || len + 6 > p.len() {
        return false;
    }
    // Several ADUs may share a segment; the first must end exactly or be followed by another.
    if len + 6 < p.len() {
        let rest = &p[len + 6..];
        if rest.len() >= 4 && (rest[2] != 0 || rest[3] != 0) {
            return false;
        }
    }
    let fc = p[7] & 0x7f;
    matches!(fc, 1..=8 | 11 | 12 | 15..=24 | 43 | 90 | 100..=110)
}

/// TPKT (RFC 1006) header: version 3, length matching, COTP after it.
fn tpkt(p: &[u8]) -> Option<&[u8]> {
    if p.len() < 7 || p[0] != 3 || p[1] != 0 {
        return None;
    }
    let len = be16(p, 2);
    if len < 7 || len > p.len() {
        return None;
    }
    let cotp = &p[4..len];
    let li = usize::from(cotp[0]);
    if li + 1 > cotp.len() {
        return None;
    }
    Some(cotp)
}

/// What a TPKT/COTP payload carries, when it can tell.
fn iso_tsap(p: &[u8]) -> Option<Proto> {
    let cotp = tpkt(p)?;
    let li = usize::from(cotp[0]);
    let code = cotp.get(1)? & 0xf0;
    match code {
        // Data transfer: what follows the 3-byte DT header.
        0xf0 => {
            let user = cotp.get(li + 1..)?;
            match user.first()? {
                0x32 => Some(Proto::S7comm),
                0x72 => Some(Proto::S7commPlus),
                // ISO 8327 session SPDUs: CONNECT (13), ACCEPT (14), GIVE-TOKENS/DATA (1), FINISH (9).
                0x0d | 0x0e | 0x01 | 0x09 | 0x0a => Some(Proto::Mms),
                // MMS PDUs straight on COTP (no session or presentation layer).
                0xa0..=0xad => Some(Proto::Mms),
                _ => None,
            }
        }
        // Connection request: RDP puts a cookie or an RDP negotiation request after the header.
        0xe0 => {
            // The connection request's fixed part is 6 bytes; LI also counts the user data.
            let user = cotp.get(7..li + 1)?;
            if user.starts_with(b"Cookie: ") || (user.len() == 8 && user[0] == 1 && user[2] == 8) {
                Some(Proto::Rdp)
            } else {
                None
            }
        }
        // Connection confirm with an RDP negotiation response.
        0xd0 => {
            let user = cotp.get(7..li + 1)?;
            (user.len() == 8 && (user[0] == 2 || user[0] == 3) && user[2] == 8).then_some(Proto::Rdp)
        }
        _ => None,
    }
}

/// An EtherNet/IP encapsulation header: known command, length matching.
pub fn is_enip(p: &[u8]) -> bool {
    if p.len() < 24 {
        return false;
    }
    let cmd = le16(p, 0);
    let len = le16(p, 2);
    matches!(
        cmd,
        0x0001 | 0x0004 | 0x0063 | 0x0064 | 0x0065 | 0x0066 | 0x006f | 0x0070 | 0x0072 | 0x0073
    ) && 24 + len <= p.len()
        && (24 + len == p.len() || p.len() >= 24 + len + 24)
        && p[20..24] == [0, 0, 0, 0]
}

fn is_iec104(p: &[u8]) -> bool {
    if p.len() < 6 || p[0] != 0x68 {
        return false;
    }
    let len = usize::from(p[1]);
    if !(4..=253).contains(&len) || len + 2 > p.len() {
        return false;
    }
    let c1 = p[2];
    if c1 & 1 == 0 {
        // I format: an ASDU with a type id and a cause of transmission.
        len >= 10 && p[6] != 0 && (1..=127).contains(&p[6])
    } else if c1 & 3 == 1 {
        len == 4 && p[3] == 0 && p[4] & 1 == 0
    } else {
        len == 4 && matches!(c1, 0x07 | 0x0b | 0x13 | 0x23 | 0x43 | 0x83) && p[3..6] == [0, 0, 0]
    }
}

fn is_opcua(p: &[u8]) -> bool {
    if p.len() < 8 {
        return false;
    }
    let kind = &p[0..3];
    let known = matches!(kind, b"HEL" | b"ACK" | b"OPN" | b"MSG" | b"CLO" | b"ERR" | b"RHE");
    let size = u32::from_le_bytes([p[4], p[5], p[6], p[7]]) as usize;
    known && matches!(p[3], b'F' | b'C' | b'A') && size >= 8 && size <= p.len().max(8) + (1 << 16)
}

fn mqtt_remaining(p: &[u8]) -> Option<(usize, usize)> {
    let mut value = 0usize;
    for i in 0..4 {
        let b = *p.get(1 + i)?;
        value |= usize::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, 2 + i));
        }
    }
    None
}

fn is_mqtt(p: &[u8]) -> bool {
    // CONNECT with the protocol name "MQTT" (3.1.1, 5) or "MQIsdp" (3.1).
    if p.first() != Some(&0x10) {
        return false;
    }
    let Some((_, at)) = mqtt_remaining(p) else {
        return false;
    };
    let rest = &p[at..];
    rest.starts_with(b"\x00\x04MQTT") || rest.starts_with(b"\x00\x06MQIsdp")
}

/// C37.118: SYNC 0xAA, frame type 0-5, version 1-3, frame size matching.
fn is_c37118(p: &[u8]) -> bool {
    p.len() >= 16
        && p[0] == 0xaa
        && (p[1] >> 4) <= 5
        && (1..=3).contains(&(p[1] & 0x0f))
        && be16(p, 2) >= 16
        && be16(p, 2) <= p.len()
}

/// HART-IP: version 1 or 2, message type 0-3, message id 0-4, byte count matching.
fn is_hart_ip(p: &[u8]) -> bool {
    p.len() >= 8
        && matches!(p[0], 1 | 2)
        && p[1] <= 3
        && p[2] <= 4
        && be16(p, 6) >= 8
        && be16(p, 6) <= p.len()
        && (be16(p, 6) == p.len() || p.len() >= be16(p, 6) + 8)
}

/// FINS over UDP: ICF with the gateway bit, reserved 0, a gateway count of 2 or 7.
fn is_fins_udp(p: &[u8]) -> bool {
    p.len() >= 12 && p[0] & 0x3e == 0 && p[0] & 0x80 != 0 && p[1] == 0 && matches!(p[2], 0x02 | 0x07)
}

/// AMS/TCP: two reserved zero bytes, a length matching, an AMS header with a known command.
fn is_ads_tcp(p: &[u8]) -> bool {
    if p.len() < 38 || p[0] != 0 || p[1] != 0 {
        return false;
    }
    let len = u32::from_le_bytes([p[2], p[3], p[4], p[5]]) as usize;
    let cmd = le16(p, 22);
    let data_len = u32::from_le_bytes([p[26], p[27], p[28], p[29]]) as usize;
    len >= 32 && len + 6 <= p.len() && (1..=9).contains(&cmd) && data_len + 32 == len
}

/// The ADS/AMS UDP discovery and route service header.
fn is_ads_udp(p: &[u8]) -> bool {
    p.len() >= 12 && p[0..4] == [0x03, 0x66, 0x14, 0x71]
}

/// MELSEC MC protocol (SLMP) 3E/4E binary frames with a matching data length.
fn is_slmp(p: &[u8]) -> bool {
    let (hdr, len_at) = match (p.first(), p.get(1)) {
        (Some(0x50 | 0xd0), Some(0x00)) => (9, 7),
        (Some(0x54 | 0xd4), Some(0x00)) => (13, 11),
        _ => return false,
    };
    p.len() >= hdr + 2 && le16(p, len_at) + hdr == p.len()
}

fn is_bacnet(p: &[u8]) -> bool {
    p.len() >= 4 && p[0] == 0x81 && p[1] <= 0x0c && be16(p, 2) == p.len()
}

fn is_tls(p: &[u8]) -> bool {
    p.len() >= 6
        && matches!(p[0], 0x14..=0x17)
        && p[1] == 3
        && p[2] <= 4
        && be16(p, 3) > 0
        && be16(p, 3) <= (1 << 14) + 2048
        && (p[0] != 0x16 || matches!(p[5], 1 | 2 | 11 | 12 | 14 | 16 | 4 | 15 | 20))
}

const HTTP_METHODS: [&[u8]; 9] = [
    b"GET ",
    b"POST ",
    b"HEAD ",
    b"PUT ",
    b"DELETE ",
    b"OPTIONS ",
    b"CONNECT ",
    b"PATCH ",
    b"TRACE ",
];

fn is_http(p: &[u8]) -> bool {
    if p.len() >= 8 && p[..5].eq_ignore_ascii_case(b"HTTP/") && p[5].is_ascii_digit() {
        return true;
    }
    for m in HTTP_METHODS {
        if p.len() > m.len() + 1 && p[..m.len()].eq_ignore_ascii_case(m) {
            let rest = &p[m.len()..];
            let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            let line = &rest[..line_end];
            return line.windows(5).any(|w| w.eq_ignore_ascii_case(b"HTTP/"));
        }
    }
    false
}

fn is_smb(p: &[u8]) -> bool {
    p.len() >= 8 && p[0] == 0 && matches!(&p[4..8], b"\xffSMB" | b"\xfeSMB" | b"\xfdSMB")
}

fn is_netbios_session(p: &[u8]) -> bool {
    // NetBIOS session request (0x81) carrying two 34-byte encoded names.
    p.len() == 72 && p[0] == 0x81 && p[4] == 0x20
}

fn is_telnet(p: &[u8]) -> bool {
    p.len() >= 3 && p[0] == 0xff && (0xfb..=0xfe).contains(&p[1])
}

fn is_ftp(p: &[u8], from_server: bool) -> bool {
    if from_server {
        p.len() >= 6 && p.starts_with(b"220") && (p[3] == b' ' || p[3] == b'-') && p.ends_with(b"\r\n")
    } else {
        (p.starts_with(b"USER ") || p.starts_with(b"user ")) && p.ends_with(b"\r\n")
    }
}

/// A DNS-format message: header counts small, one question whose name parses to its end.
fn dns_shape(p: &[u8]) -> bool {
    if p.len() < 12 {
        return false;
    }
    let (qd, an, ns, ar) = (be16(p, 4), be16(p, 6), be16(p, 8), be16(p, 10));
    if qd > 8 || an > 64 || ns > 64 || ar > 64 || qd + an + ns + ar == 0 {
        return false;
    }
    let opcode = (p[2] >> 3) & 0x0f;
    if opcode > 6 {
        return false;
    }
    if qd == 0 {
        return an + ns + ar > 0 && p[2] & 0x80 != 0;
    }
    let mut at = 12;
    for _ in 0..64 {
        let Some(&l) = p.get(at) else { return false };
        if l == 0 {
            at += 1;
            return at + 4 <= p.len();
        }
        if l & 0xc0 == 0xc0 {
            return at + 6 <= p.len();
        }
        if l > 63 {
            return false;
        }
        at += 1 + usize::from(l);
    }
    false
}

fn is_nbns(p: &[u8]) -> bool {
    // NetBIOS names are 32 characters 'A'..='P' (RFC 1002 first-level encoding).
    dns_shape(p)
        && be16(p, 4) >= 1
        && p.len() >= 46
        && p[12] == 0x20
        && p[13..45].iter().all(|b| (b'A'..=b'P').contains(b))
}

fn is_dhcp(p: &[u8]) -> bool {
    p.len() >= 240
        && matches!(p[0], 1 | 2)
        && p[1] == 1
        && p[2] == 6
        && p[236..240] == [0x63, 0x82, 0x53, 0x63]
}

fn is_snmp(p: &[u8]) -> bool {
    // SEQUENCE { INTEGER version (0, 1 or 3), ... }
    if p.len() < 10 || p[0] != 0x30 {
        return false;
    }
    let at = if p[1] & 0x80 == 0 {
        2
    } else {
        2 + usize::from(p[1] & 0x7f)
    };
    p.len() > at + 3
        && p[at] == 0x02
        && p[at + 1] == 1
        && matches!(p[at + 2], 0 | 1 | 3)
        && (p[at + 3] == 0x04 || p[at + 3] == 0x30)
}

fn is_tftp(p: &[u8]) -> bool {
    if p.len() < 6 || p[0] != 0 || !matches!(p[1], 1 | 2) {
        return false;
    }
    let body = &p[2..];
    let mut parts = body.split(|&b| b == 0);
    let file = parts.next().unwrap_or(&[]);
    let mode = parts.next().unwrap_or(&[]);
    !file.is_empty()
        && (mode.eq_ignore_ascii_case(b"octet")
            || mode.eq_ignore_ascii_case(b"netascii")
            || mode.eq_ignore_ascii_case(b"mail"))
}

fn is_ntp(p: &[u8]) -> bool {
    let vn = (p.first().copied().unwrap_or(0) >> 3) & 7;
    let mode = p.first().copied().unwrap_or(0) & 7;
    p.len() >= 48 && (1..=4).contains(&vn) && (1..=5).contains(&mode) && p[1] <= 16
}

/// PROFINET CM: connectionless DCE/RPC (version 4) naming a PNIO interface UUID
/// (DEA0000x-6C97-11D1-8271-00A0244xxxxx).
pub fn is_pn_cm(p: &[u8]) -> bool {
    if p.len() < 80 || p[0] != 4 {
        return false;
    }
    let little = p[4] & 0x10 != 0;
    let iface = &p[24..40];
    let (d1, d2, d3) = if little {
        (
            u32::from_le_bytes([iface[0], iface[1], iface[2], iface[3]]),
            le16(iface, 4),
            le16(iface, 6),
        )
    } else {
        (
            u32::from_be_bytes([iface[0], iface[1], iface[2], iface[3]]),
            be16(iface, 4),
            be16(iface, 6),
        )
    };
    (d1 & 0xffff_fff0) == 0xdea0_0000 && d2 == 0x6c97 && d3 == 0x11d1 && iface[8..10] == [0x82, 0x71]
}

fn is_rdpeudp(p: &[u8]) -> bool {
    // RDPEUDP SYN/SYN-ACK: snSourceAck of -1 in the first datagram, the SYN flag set.
    p.len() >= 12 && p[0..4] == [0xff, 0xff, 0xff, 0xff] && be16(p, 6) & 0x0001 != 0
}

/// Identifies a TCP payload by content. `from_server` says the segment comes from the responder.
pub fn identify_tcp(p: &[u8], from_server: bool) -> Option<Proto> {
    let first = *p.first()?;
    let found = match first {
        b'S' if p.starts_with(b"SSH-") => Some(Proto::Ssh),
        b'f' if p.starts_with(b"fox a ") || p.starts_with(b"fox s ") => Some(Proto::Fox),
        0x03 => iso_tsap(p),
        0x05 if is_dnp3(p) => Some(Proto::Dnp3),
        0x68 if is_iec104(p) => Some(Proto::Iec104),
        0x10 if is_mqtt(p) => Some(Proto::Mqtt),
        0xaa if is_c37118(p) => Some(Proto::C37118),
        0xff if is_telnet(p) => Some(Proto::Telnet),
        0x81 if is_netbios_session(p) => Some(Proto::Netbios),
        b'F' if p.starts_with(b"FINS") && p.len() >= 16 => Some(Proto::Fins),
        _ => None,
    };
    if found.is_some() {
        return found;
    }
    if is_opcua(p) {
        return Some(Proto::Opcua);
    }
    if is_tls(p) {
        return Some(Proto::Tls);
    }
    if is_http(p) {
        return Some(Proto::Http);
    }
    if is_smb(p) {
        return Some(Proto::Smb);
    }
    if is_enip(p) {
        return Some(Proto::Enip);
    }
    if is_ads_tcp(p) {
        return Some(Proto::Ads);
    }
    if is_modbus(p) {
        return Some(Proto::Modbus);
    }
    if is_hart_ip(p) && p[1] <= 1 {
        return Some(Proto::HartIp);
    }
    if is_slmp(p) {
        return Some(Proto::Melsec);
    }
    if is_ftp(p, from_server) {
        return Some(Proto::Ftp);
    }
    None
}

/// Identifies a UDP payload by content (`ports` = source, destination).
pub fn identify_udp(p: &[u8], ports: (u16, u16)) -> Option<Proto> {
    let has = |port: u16| ports.0 == port || ports.1 == port;
    if is_dhcp(p) {
        return Some(Proto::Dhcp);
    }
    if is_dnp3(p) {
        return Some(Proto::Dnp3);
    }
    if is_bacnet(p) {
        return Some(Proto::Bacnet);
    }
    if is_pn_cm(p) {
        return Some(Proto::ProfinetCm);
    }
    if is_enip(p) {
        return Some(Proto::Enip);
    }
    // CIP implicit I/O: a CPF with a sequenced-address item (0x8002) then connected data (0x00b1).
    if p.len() >= 18 && le16(p, 0) == 2 && le16(p, 2) == 0x8002 && le16(p, 4) == 8 && le16(p, 14) == 0x00b1 {
        return Some(Proto::Cip);
    }
    if is_ads_udp(p) {
        return Some(Proto::Ads);
    }
    if is_snmp(p) {
        return Some(Proto::Snmp);
    }
    if is_c37118(p) {
        return Some(Proto::C37118);
    }
    if is_hart_ip(p) {
        return Some(Proto::HartIp);
    }
    if is_slmp(p) {
        return Some(Proto::Melsec);
    }
    if is_rdpeudp(p) && has(3389) {
        return Some(Proto::Rdp);
    }
    if is_tftp(p) {
        return Some(Proto::Tftp);
    }
    // Weak formats: the structure must match and the port too.
    if has(137) && is_nbns(p) {
        return Some(Proto::Netbios);
    }
    if has(138) && p.len() >= 14 && (0x10..=0x16).contains(&p[0]) {
        return Some(Proto::Netbios);
    }
    if has(5353) && dns_shape(p) {
        return Some(Proto::Mdns);
    }
    if has(53) && dns_shape(p) {
        return Some(Proto::Dns);
    }
    if has(123) && is_ntp(p) {
        return Some(Proto::Ntp);
    }
    if has(9600) && is_fins_udp(p) {
        return Some(Proto::Fins);
    }
    // MELSOFT (GX Works) over UDP 5560: a request byte 0x5a or its reply 0xda, then two zero bytes.
    if has(5560) && p.len() >= 4 && matches!(p[0], 0x5a | 0xda) && p[1] == 0 && p[2] == 0 {
        return Some(Proto::Melsec);
    }
    None
}

/// The well-known-port fallback.
pub fn by_port(tcp: bool, server_port: u16) -> Option<Proto> {
    Some(match (tcp, server_port) {
        (true, 502) => Proto::Modbus,
        (_, 20000) => Proto::Dnp3,
        (_, 44818) | (false, 2222) => Proto::Enip,
        (true, 2404) => Proto::Iec104,
        (false, 47808) => Proto::Bacnet,
        (true, 4840) => Proto::Opcua,
        (false, 34964) => Proto::ProfinetCm,
        (true, 1883) => Proto::Mqtt,
        (_, 4712) | (_, 4713) => Proto::C37118,
        (_, 5094) => Proto::HartIp,
        (_, 9600) => Proto::Fins,
        (true, 48898) | (false, 48899) => Proto::Ads,
        (true, 1911) | (true, 4911) => Proto::Fox,
        (false, 5560) | (_, 5006) | (_, 5007) => Proto::Melsec,
        (true, 22) => Proto::Ssh,
        (_, 3389) => Proto::Rdp,
        (true, 23) => Proto::Telnet,
        (true, 445) => Proto::Smb,
        (true, 139) | (false, 137) | (false, 138) => Proto::Netbios,
        (true, 80) | (true, 8080) => Proto::Http,
        (true, 443) | (true, 8883) => Proto::Tls,
        (_, 53) => Proto::Dns,
        (false, 67) | (false, 68) => Proto::Dhcp,
        (false, 123) => Proto::Ntp,
        (false, 161) | (false, 162) => Proto::Snmp,
        (true, 21) => Proto::Ftp,
        (false, 69) => Proto::Tftp,
        (false, 5353) => Proto::Mdns,
        _ => return None,
    })
}

/// Ports that name a service (for the initiator rule when the handshake was not captured).
pub fn is_service_port(tcp: bool, port: u16) -> bool {
    by_port(tcp, port).is_some() || port < 1024
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_rules_need_structure_not_ports() {
        // A Modbus read holding registers request.
        let mb = [0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10];
        assert!(is_modbus(&mb));
        assert!(!is_modbus(&[0, 1, 0, 0, 0, 9, 1, 3, 0, 0, 0, 10]));
        assert_eq!(identify_tcp(b"SSH-2.0-OpenSSH_8.9\r\n", true), Some(Proto::Ssh));
        assert_eq!(
            identify_tcp(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", false),
            Some(Proto::Http)
        );
        assert_eq!(identify_tcp(b"get / http/1.1\r\n", false), Some(Proto::Http));
        assert_eq!(
            identify_tcp(b"\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00", false),
            Some(Proto::Tls)
        );
        assert_eq!(identify_tcp(b"hello world, no protocol", false), None);
        // A DNP3 link header with its CRC.
        let mut d = vec![0x05, 0x64, 0x05, 0xc9, 0x01, 0x00, 0x02, 0x00];
        let crc = dnp3_crc(&d);
        d.extend_from_slice(&crc.to_le_bytes());
        assert!(is_dnp3(&d));
        d[9] ^= 1;
        assert!(!is_dnp3(&d));
    }
}
