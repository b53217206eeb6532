//! IT protocol decoders: banners, names and the few operations that matter for OT (file
//! transfers, logins, SNMP sets).

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{Sink, Target, rd_be16 as be16};
use crate::proto::{OpClass as C, Proto};

/// FTP commands (client) and the server banner.
pub fn ftp(p: &[u8], from_client: bool, sink: &mut Sink<'_>) {
    if !from_client {
        if p.starts_with(b"220") {
            let line = p.split(|&b| b == b'\r' || b == b'\n').next().unwrap_or(p);
            sink.identity(Target::Sender, "banner", line.get(4..).unwrap_or(&[]));
        }
        return;
    }
    let verb: Vec<u8> = p.iter().take(4).map(u8::to_ascii_uppercase).collect();
    let (class, name) = match verb.as_slice() {
        b"USER" => (C::Authentication, "USER"),
        b"PASS" => (C::Authentication, "PASS"),
        b"STOR" | b"STOU" | b"APPE" => (C::FileTransfer, "STOR"),
        b"RETR" => (C::FileTransfer, "RETR"),
        b"DELE" => (C::FileTransfer, "DELE"),
        _ => return,
    };
    sink.op(Proto::Ftp, class, name, 0);
}

fn header<'a>(p: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    for line in p.split(|&b| b == b'\n').take(64) {
        if line.len() > name.len() + 1
            && line[..name.len()].eq_ignore_ascii_case(name)
            && line[name.len()] == b':'
        {
            return Some(line[name.len() + 1..].trim_ascii());
        }
        if line == b"\r" || line.is_empty() {
            break;
        }
    }
    None
}

/// HTTP: the server's `Server` header and the client's `User-Agent` and `Host`.
pub fn http(p: &[u8], from_client: bool, sink: &mut Sink<'_>) {
    if from_client {
        if let Some(ua) = header(p, b"user-agent") {
            sink.identity(Target::Sender, "user-agent", ua);
        }
    } else if p.len() > 5
        && p[..5].eq_ignore_ascii_case(b"HTTP/")
        && let Some(server) = header(p, b"server")
    {
        sink.identity(Target::Sender, "http-server", server);
    }
}

/// SSH: the identification string.
pub fn ssh(p: &[u8], sink: &mut Sink<'_>) {
    if p.starts_with(b"SSH-") {
        let line = p.split(|&b| b == b'\r' || b == b'\n').next().unwrap_or(p);
        sink.identity(Target::Sender, "ssh-banner", line);
    }
}

/// TLS: the server name of a ClientHello.
pub fn tls(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 43 || p[0] != 0x16 || p[5] != 1 {
        return;
    }
    let h = &p[9..];
    // version (2), random (32), session id.
    let mut at = 34;
    let Some(&sid) = h.get(at) else { return };
    at += 1 + usize::from(sid);
    let Some(cs) = h.get(at..at + 2).map(|s| be16(s, 0)) else {
        return;
    };
    at += 2 + cs;
    let Some(&cm) = h.get(at) else { return };
    at += 1 + usize::from(cm);
    let Some(ext_len) = h.get(at..at + 2).map(|s| be16(s, 0)) else {
        return;
    };
    at += 2;
    let end = (at + ext_len).min(h.len());
    while at + 4 <= end {
        let (ty, len) = (be16(h, at), be16(h, at + 2));
        if ty == 0 {
            // server_name_list (2), name type (1), name length (2), name.
            if let Some(n) = h.get(at + 9..at + 4 + len) {
                sink.identity(Target::Receiver, "sni", n);
            }
            return;
        }
        at += 4 + len;
    }
}

/// DHCP: host name, vendor class and the leased address of the client hardware address.
pub fn dhcp(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 240 {
        return;
    }
    let mac = [p[28], p[29], p[30], p[31], p[32], p[33]];
    let yiaddr = Ipv4Addr::new(p[16], p[17], p[18], p[19]);
    let mut at = 240;
    let mut msg = 0;
    let mut requested = None;
    while at + 2 <= p.len() {
        let code = p[at];
        if code == 255 {
            break;
        }
        if code == 0 {
            at += 1;
            continue;
        }
        let len = usize::from(p[at + 1]);
        let Some(v) = p.get(at + 2..at + 2 + len) else {
            return;
        };
        match code {
            53 if len == 1 => msg = v[0],
            12 => sink.name(Target::Mac(mac), v, "dhcp"),
            60 => sink.identity(Target::Mac(mac), "dhcp-vendor-class", v),
            50 if len == 4 => requested = Some(Ipv4Addr::new(v[0], v[1], v[2], v[3])),
            _ => {}
        }
        at += 2 + len;
    }
    let leased = if msg == 5 && !yiaddr.is_unspecified() {
        Some(yiaddr)
    } else {
        requested
    };
    if let Some(ip) = leased {
        sink.identity(Target::Mac(mac), "ip", ip.to_string().as_bytes());
    }
}

/// Reads a (possibly compressed) DNS name at `at`; returns it and the offset after it.
fn dns_name(p: &[u8], mut at: usize) -> Option<(String, usize)> {
    let mut name = String::new();
    let mut end = None;
    for _ in 0..32 {
        let l = *p.get(at)?;
        if l == 0 {
            return Some((name, end.unwrap_or(at + 1)));
        }
        if l & 0xc0 == 0xc0 {
            let ptr = (usize::from(l & 0x3f) << 8) | usize::from(*p.get(at + 1)?);
            if end.is_none() {
                end = Some(at + 2);
            }
            if ptr >= at {
                return None;
            }
            at = ptr;
            continue;
        }
        let label = p.get(at + 1..at + 1 + usize::from(l))?;
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(&super::clean(label));
        at += 1 + usize::from(l);
    }
    None
}

/// DNS and mDNS answers: A and AAAA records name addresses.
pub fn dns(p: &[u8], proto: Proto, sink: &mut Sink<'_>) {
    if p.len() < 12 || p[2] & 0x80 == 0 {
        return;
    }
    let source = if proto == Proto::Mdns { "mdns" } else { "dns" };
    let (qd, an) = (be16(p, 4), be16(p, 6) + be16(p, 8) + be16(p, 10));
    let mut at = 12;
    for _ in 0..qd.min(8) {
        let Some((_, next)) = dns_name(p, at) else { return };
        at = next + 4;
    }
    for _ in 0..an.min(32) {
        let Some((name, next)) = dns_name(p, at) else {
            return;
        };
        let Some(rr) = p.get(next..next + 10) else { return };
        let (ty, rdlen) = (be16(rr, 0), be16(rr, 8));
        let Some(rd) = p.get(next + 10..next + 10 + rdlen) else {
            return;
        };
        let ip = match (ty, rdlen) {
            (1, 4) => Some(IpAddr::V4(Ipv4Addr::new(rd[0], rd[1], rd[2], rd[3]))),
            (28, 16) => {
                let mut a = [0u8; 16];
                a.copy_from_slice(rd);
                Some(IpAddr::V6(Ipv6Addr::from(a)))
            }
            _ => None,
        };
        if let Some(ip) = ip {
            sink.name(Target::Ip(ip), name.as_bytes(), source);
        }
        at = next + 10 + rdlen;
    }
}

/// NetBIOS datagrams (UDP 138) carrying SMB (browser announcements, logon requests).
pub fn nbdgm(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() > 86 && (0x10..=0x12).contains(&p[0]) && p[82..86] == *b"\xffSMB" {
        sink.events.push(super::Event::Inner(Proto::Smb));
    }
}

/// NetBIOS name service: registrations name their sender; positive answers name an address.
pub fn nbns(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() > 86 && p[82..86] == *b"\xffSMB" {
        nbdgm(p, sink);
        return;
    }
    // A NetBIOS session message (TCP 139) carrying SMB.
    if p.len() >= 8 && p[0] == 0 && matches!(&p[4..8], b"\xffSMB" | b"\xfeSMB") {
        sink.events.push(super::Event::Inner(Proto::Smb));
        return;
    }
    if p.len() < 46 || p[12] != 0x20 {
        return;
    }
    let mut raw = [0u8; 16];
    for (i, pair) in p[13..45].chunks(2).enumerate() {
        raw[i] = ((pair[0].wrapping_sub(b'A')) << 4) | (pair[1].wrapping_sub(b'A') & 0x0f);
    }
    // The 16th byte is the name's suffix (service type); names are padded with spaces.
    let name = super::clean(&raw[..15]);
    if name.is_empty()
        || name.starts_with('*')
        || raw[15] == 0x1b
        || raw[15] == 0x1c
        || raw[15] == 0x1d
        || raw[15] == 0x1e
    {
        return;
    }
    let opcode = (p[2] >> 3) & 0x0f;
    let response = p[2] & 0x80 != 0;
    if matches!(opcode, 5 | 8 | 9) && !response {
        sink.name(Target::Sender, name.as_bytes(), "netbios");
    } else if response && opcode == 0 && be16(p, 6) > 0 {
        // Answer: name (pointer or copy), type, class, TTL, length, flags, address.
        if let Some(rd) = p.get(p.len().saturating_sub(4)..) {
            let ip = Ipv4Addr::new(rd[0], rd[1], rd[2], rd[3]);
            sink.name(Target::Ip(IpAddr::V4(ip)), name.as_bytes(), "netbios");
        }
    }
}

/// TFTP read and write requests.
pub fn tftp(p: &[u8], sink: &mut Sink<'_>) {
    match p.get(..2) {
        Some([0, 1]) => sink.op(Proto::Tftp, C::FileTransfer, "RRQ", 1),
        Some([0, 2]) => sink.op(Proto::Tftp, C::FileTransfer, "WRQ", 2),
        _ => {}
    }
}

/// SNMP: the PDU type (get, get-next, get-bulk, set).
pub fn snmp(p: &[u8], sink: &mut Sink<'_>) {
    // SEQUENCE, version INTEGER, then community OCTET STRING (v1/v2c) before the PDU.
    let at = if p.get(1).is_some_and(|l| l & 0x80 != 0) {
        2 + usize::from(p[1] & 0x7f)
    } else {
        2
    };
    let Some(v) = p.get(at..at + 3) else { return };
    if v[0] != 2 || v[1] != 1 || v[2] == 3 {
        return;
    }
    let at = at + 3;
    let Some(&clen) = p.get(at + 1) else { return };
    let Some(&pdu) = p.get(at + 2 + usize::from(clen)) else {
        return;
    };
    let (class, name) = match pdu {
        0xa0 => (C::Read, "get-request"),
        0xa1 => (C::Read, "get-next-request"),
        0xa5 => (C::Read, "get-bulk-request"),
        0xa3 => (C::ConfigChange, "set-request"),
        _ => return,
    };
    sink.op(Proto::Snmp, class, name, u32::from(pdu & 0x1f));
}
