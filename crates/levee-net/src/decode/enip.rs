//! EtherNet/IP encapsulation and CIP.

use super::{Event, Sink, Target, rd_le16 as le16};
use crate::proto::{OpClass as C, Proto};

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Names of the ODVA vendor ids most often seen in plants.
fn odva_vendor(id: usize) -> Option<&'static str> {
    Some(match id {
        1 => "Rockwell Automation/Allen-Bradley",
        5 => "Rockwell Automation/Reliance Electric",
        26 => "Festo",
        40 => "WAGO",
        44 => "Parker Hannifin",
        47 => "Omron",
        48 => "Turck",
        50 => "Mitsubishi Electric",
        58 => "Phoenix Contact",
        90 => "HMS Industrial Networks",
        108 => "Beckhoff",
        133 => "Balluff",
        161 => "Molex",
        243 => "Schneider Electric",
        283 => "Hilscher",
        322 => "Cognex",
        356 => "Siemens",
        674 => "Moxa",
        _ => return None,
    })
}

/// An EtherNet/IP encapsulation message.
pub fn enip(p: &[u8], from_client: bool, sink: &mut Sink<'_>) {
    if p.len() < 24 {
        return;
    }
    let cmd = le16(p, 0);
    let d = &p[24..];
    match cmd {
        0x0063 if d.len() > 2 => list_identity(d, sink),
        0x006f | 0x0070 => {
            if d.len() < 8 {
                return;
            }
            let count = le16(d, 6);
            let mut at = 8;
            for _ in 0..count.min(8) {
                if at + 4 > d.len() {
                    return;
                }
                let ty = le16(d, at);
                let len = le16(d, at + 2);
                let Some(item) = d.get(at + 4..at + 4 + len) else {
                    return;
                };
                match ty {
                    0x00b2 => {
                        sink.events.push(Event::Inner(Proto::Cip));
                        if from_client {
                            cip(item, sink, 0);
                        }
                    }
                    0x00b1 if item.len() > 2 => {
                        sink.events.push(Event::Inner(Proto::Cip));
                        if from_client {
                            cip(&item[2..], sink, 0);
                        }
                    }
                    _ => {}
                }
                at += 4 + len;
            }
        }
        _ => {}
    }
}

fn list_identity(d: &[u8], sink: &mut Sink<'_>) {
    let count = le16(d, 0);
    if count == 0 || d.len() < 24 + 15 {
        return;
    }
    // Item type (2) and length (2), encapsulation version (2), socket address (16), identity.
    let Some(id) = d.get(24..) else { return };
    if id.len() < 15 {
        return;
    }
    let vendor = le16(id, 0);
    let name = odva_vendor(vendor)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("ODVA vendor {vendor}"));
    sink.identity(Target::Sender, "vendor", name.as_bytes());
    sink.identity(
        Target::Sender,
        "device-type",
        format!("{}", le16(id, 2)).as_bytes(),
    );
    sink.identity(
        Target::Sender,
        "product-code",
        format!("{}", le16(id, 4)).as_bytes(),
    );
    sink.identity(
        Target::Sender,
        "firmware",
        format!("{}.{:03}", id[6], id[7]).as_bytes(),
    );
    sink.identity(
        Target::Sender,
        "serial",
        format!("{:08x}", le32(id, 10)).as_bytes(),
    );
    let nlen = usize::from(id[14]);
    if let Some(n) = id.get(15..15 + nlen) {
        sink.identity(Target::Sender, "product", n);
    }
    if matches!(le16(id, 2), 0x0e | 0x0c) {
        sink.events.push(Event::Role {
            target: Target::Sender,
            role: "plc",
            rule: "CIP ListIdentity device type: programmable logic controller or communications adapter",
        });
    }
}

/// Logix program objects (program, routine, symbol, template, task, ...).
fn logix_program_class(class: u32) -> bool {
    (0x68..=0x72).contains(&class)
}

/// A CIP request: service, path, data (Multiple Service Packet and Unconnected Send unwrapped).
fn cip(m: &[u8], sink: &mut Sink<'_>, depth: u8) {
    if m.len() < 2 || depth > 2 {
        return;
    }
    let service = m[0];
    if service & 0x80 != 0 {
        return;
    }
    let words = usize::from(m[1]);
    let Some(path) = m.get(2..2 + 2 * words) else {
        return;
    };
    let data = &m[2 + 2 * words..];
    let mut class = 0u32;
    let mut symbolic = false;
    let mut i = 0;
    while i < path.len() {
        match path[i] {
            0x20 => {
                if class == 0 {
                    class = u32::from(*path.get(i + 1).unwrap_or(&0));
                }
                i += 2;
            }
            0x21 => {
                if class == 0 && i + 4 <= path.len() {
                    class = le16(path, i + 2) as u32;
                }
                i += 4;
            }
            0x24 | 0x28 | 0x30 => i += 2,
            0x25 | 0x29 | 0x31 => i += 4,
            0x91 => {
                symbolic = true;
                let n = usize::from(*path.get(i + 1).unwrap_or(&0));
                i += 2 + n + n % 2;
            }
            _ => break,
        }
    }
    let s = u32::from(service);
    let code = s | (class << 8);
    let (c, name) = match (service, class) {
        (0x0a, _) => {
            if data.len() >= 2 {
                let n = le16(data, 0).min(64);
                for k in 0..n {
                    let Some(off) = data.get(2 + 2 * k..4 + 2 * k).map(|o| le16(o, 0)) else {
                        return;
                    };
                    let end = data
                        .get(4 + 2 * k..6 + 2 * k)
                        .map(|o| le16(o, 0))
                        .filter(|_| k + 1 < n)
                        .unwrap_or(data.len());
                    if let Some(inner) = data.get(off..end.max(off).min(data.len())) {
                        cip(inner, sink, depth + 1);
                    }
                }
            }
            return;
        }
        (0x52, 0x06) => {
            if data.len() >= 4 {
                let size = le16(data, 2);
                if let Some(inner) = data.get(4..4 + size) {
                    cip(inner, sink, depth + 1);
                }
            }
            return;
        }
        (0x54 | 0x5b | 0x4e, 0x06) => return,
        (0x01 | 0x03 | 0x0e | 0x55, _) => (C::Read, "GET_ATTRIBUTE"),
        (_, 0xa1) => (C::FirmwareUpdate, "NVS_UPDATE"),
        (0x05, _) => (C::Restart, "RESET"),
        (0x06, _) => (C::Start, "START"),
        (0x07, _) => (C::Stop, "STOP"),
        (0x02 | 0x04 | 0x10, 0x8b) => (C::TimeChange, "SET_TIME"),
        (0x08, c) if logix_program_class(c) => (C::ProgramDownload, "CREATE"),
        (0x08, _) => (C::ConfigChange, "CREATE"),
        (0x09, c) if logix_program_class(c) => (C::ProgramDelete, "DELETE"),
        (0x09, _) => (C::ConfigChange, "DELETE"),
        (0x4b, 0x37) => (C::ProgramUpload, "INITIATE_UPLOAD"),
        (0x4c, 0x37) => (C::ProgramDownload, "INITIATE_DOWNLOAD"),
        (0x51, 0x37) => (C::ProgramDelete, "CLEAR_FILE"),
        (0x4f, _) => (C::ProgramUpload, "UPLOAD_TRANSFER"),
        (0x50, _) => (C::ProgramDownload, "DOWNLOAD_TRANSFER"),
        (0x4b | 0x4c, 0x8e | 0xac) => (C::ConfigChange, "CONTROLLER_MODE_SERVICE"),
        (0x4b, 0x67) => (C::Operate, "EXECUTE_PCCC"),
        (0x4c, _) if symbolic => (C::Read, "READ_TAG"),
        (0x52, _) if symbolic => (C::Read, "READ_TAG_FRAGMENTED"),
        (0x4c, _) => (C::Read, "READ_DATA"),
        (0x02 | 0x04 | 0x10, _) => (C::Write, "SET_ATTRIBUTE"),
        (0x4d, _) => (C::Write, "WRITE_TAG"),
        (0x53, _) => (C::Write, "WRITE_TAG_FRAGMENTED"),
        (0x4e, _) => (C::Write, "READ_MODIFY_WRITE_TAG"),
        _ => return,
    };
    sink.op(Proto::Cip, c, name, code);
}
