//! ISO-TSAP (TPKT/COTP) protocols: S7comm, S7comm-plus and MMS.

use super::{Sink, Target, rd_be16 as be16};
use crate::proto::{OpClass as C, Proto};

/// A TPKT packet: dispatches the COTP data to S7comm, S7comm-plus or MMS by its first byte.
pub fn tpkt(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 7 || p[0] != 3 {
        return;
    }
    let li = usize::from(p[4]);
    if p[5] & 0xf0 != 0xf0 {
        return;
    }
    let Some(user) = p.get(5 + li..) else { return };
    match user.first() {
        Some(0x32) => s7(user, sink),
        Some(0x72) => s7plus(user, sink),
        Some(0xa0..=0xad) => mms_pdu(user, sink),
        Some(_) => mms_session(user, sink),
        None => {}
    }
}

fn s7(u: &[u8], sink: &mut Sink<'_>) {
    if u.len() < 10 {
        return;
    }
    let rosctr = u[1];
    let plen = be16(u, 6);
    let dlen = be16(u, 8);
    let hdr = if rosctr == 2 || rosctr == 3 { 12 } else { 10 };
    let Some(param) = u.get(hdr..hdr + plen) else {
        return;
    };
    let data = u.get(hdr + plen..hdr + plen + dlen).unwrap_or(&[]);
    match rosctr {
        1 => {
            let Some(&f) = param.first() else { return };
            let (class, name) = match f {
                0x04 => (C::Read, "READ_VAR"),
                0x05 => (C::Write, "WRITE_VAR"),
                0x1a => (C::ProgramDownload, "REQUEST_DOWNLOAD"),
                // 0x1b/0x1c (download block, download ended) are jobs the PLC sends back to
                // the programming device inside a download it asked for: not requests.
                0x1d => (C::ProgramUpload, "START_UPLOAD"),
                0x1e => (C::ProgramUpload, "UPLOAD"),
                0x1f => (C::ProgramUpload, "END_UPLOAD"),
                0x28 => pi_service(param),
                0x29 => (C::Stop, "PLC_STOP"),
                _ => return,
            };
            sink.op(Proto::S7comm, class, name, u32::from(f));
        }
        7 => {
            if param.len() < 8 {
                return;
            }
            let kind = param[5] >> 4;
            let group = param[5] & 0x0f;
            let sub = param[6];
            if kind == 4 {
                let (class, name) = match (group, sub) {
                    (1, _) => (C::Read, "PROGRAMMER_COMMANDS"),
                    (2, _) => (C::Read, "CYCLIC_DATA"),
                    (3, 1) => (C::Read, "LIST_BLOCKS"),
                    (3, 2) => (C::Read, "LIST_BLOCKS_OF_TYPE"),
                    (3, 3) => (C::Read, "GET_BLOCK_INFO"),
                    (4, 1) => (C::Read, "READ_SZL"),
                    (4, _) => (C::Read, "CPU_FUNCTIONS"),
                    (5, 1) => (C::Authentication, "PLC_PASSWORD"),
                    (5, 2) => (C::Authentication, "CLEAN_SESSION"),
                    (7, 1) | (7, 3) => (C::Read, "READ_CLOCK"),
                    (7, 2) | (7, 4) => (C::TimeChange, "SET_CLOCK"),
                    _ => return,
                };
                sink.op(Proto::S7comm, class, name, u32::from(group) << 8 | u32::from(sub));
            } else if kind == 8 && group == 4 && sub == 1 {
                szl_response(data, sink);
            }
        }
        _ => {}
    }
}

/// The PI service (S7 function 0x28) by its service name.
fn pi_service(param: &[u8]) -> (C, &'static str) {
    let has = |n: &[u8]| param.windows(n.len()).any(|w| w == n);
    if has(b"_INSE") {
        (C::ProgramDownload, "PI_INSERT_BLOCK")
    } else if has(b"_DELE") {
        (C::ProgramDelete, "PI_DELETE_BLOCK")
    } else if has(b"P_PROGRAM") {
        (C::Start, "PI_START_PROGRAM")
    } else if has(b"_GARB") {
        (C::ConfigChange, "PI_COMPRESS_MEMORY")
    } else if has(b"_MODU") {
        (C::ConfigChange, "PI_COPY_RAM_TO_ROM")
    } else {
        (C::Operate, "PI_SERVICE")
    }
}

/// SZL responses: module identification (0x0011) and component identification (0x001c).
fn szl_response(d: &[u8], sink: &mut Sink<'_>) {
    if d.len() < 12 || d[0] != 0xff {
        return;
    }
    let id = be16(d, 4) & 0x00ff;
    let rec = be16(d, 8);
    let count = be16(d, 10);
    if rec < 2 {
        return;
    }
    for i in 0..count.min(64) {
        let Some(r) = d.get(12 + i * rec..12 + (i + 1) * rec) else {
            return;
        };
        let index = be16(r, 0);
        match (id, index) {
            (0x11, 1) => sink.identity(Target::Sender, "model", &r[2..r.len().min(22)]),
            (0x1c, 1) => sink.name(Target::Sender, &r[2..], "s7comm"),
            (0x1c, 2) => sink.identity(Target::Sender, "product", &r[2..]),
            (0x1c, 5) => sink.identity(Target::Sender, "serial", &r[2..]),
            (0x1c, 7) => sink.identity(Target::Sender, "model", &r[2..]),
            _ => {}
        }
    }
    if id == 0x11 || id == 0x1c {
        sink.identity(Target::Sender, "vendor", b"Siemens");
    }
}

fn s7plus(u: &[u8], sink: &mut Sink<'_>) {
    if u.len() < 9 {
        return;
    }
    let mut d = &u[4..];
    // Protocol version 3 carries an integrity part (digest length, digest) before the data.
    if u[1] == 3 && d.first() == Some(&0x20) && d.len() > 33 {
        d = &d[33..];
    }
    if d.len() < 5 || d[0] != 0x31 {
        return;
    }
    let code = be16(d, 3) as u32;
    let (class, name) = match code {
        0x04bb => (C::Read, "EXPLORE"),
        0x04f2 => (C::Write, "SET_VARIABLE"),
        0x04fc => (C::Read, "GET_VARIABLE"),
        0x0542 => (C::Write, "SET_MULTI_VARIABLES"),
        0x054c => (C::Read, "GET_MULTI_VARIABLES"),
        0x056b => (C::Operate, "INVOKE"),
        0x0586 => (C::Read, "GET_VAR_SUBSTREAMED"),
        _ => return,
    };
    sink.op(Proto::S7commPlus, class, name, code);
}

/// A BER tag and length at `at`: (tag number, constructed, content range).
fn ber(b: &[u8], at: usize) -> Option<(u32, u8, usize, usize)> {
    let t = *b.get(at)?;
    let mut i = at + 1;
    let mut num = u32::from(t & 0x1f);
    if num == 0x1f {
        num = 0;
        for _ in 0..4 {
            let x = *b.get(i)?;
            i += 1;
            num = (num << 7) | u32::from(x & 0x7f);
            if x & 0x80 == 0 {
                break;
            }
        }
    }
    let l = *b.get(i)?;
    i += 1;
    let len = if l & 0x80 == 0 {
        usize::from(l)
    } else {
        let n = usize::from(l & 0x7f);
        if n == 0 || n > 3 {
            return None;
        }
        let mut v = 0usize;
        for _ in 0..n {
            v = (v << 8) | usize::from(*b.get(i)?);
            i += 1;
        }
        v
    };
    let end = i.checked_add(len)?;
    (end <= b.len()).then_some((num, t & 0xe0, i, end))
}

/// ISO 8327 session, ISO 8823 presentation, then the MMS PDU.
fn mms_session(u: &[u8], sink: &mut Sink<'_>) {
    let mut at = 0;
    // GIVE-TOKENS and DATA TRANSFER SPDUs (each type 1, length 0).
    while at + 1 < u.len() && u[at] == 0x01 && u[at + 1] == 0x00 {
        at += 2;
    }
    if at == 0 {
        return;
    }
    // Presentation fully-encoded data [APPLICATION 1] { SEQUENCE { context id, [0] MMS PDU } }.
    let Some((1, 0x60, s, e)) = ber(u, at) else { return };
    let Some((16, 0x20, s2, e2)) = ber(&u[..e], s) else {
        return;
    };
    let mut i = s2;
    while i < e2 {
        let Some((num, cons, cs, ce)) = ber(&u[..e2], i) else {
            return;
        };
        if num == 0 && cons == 0xa0 {
            mms_pdu(&u[cs..ce], sink);
            return;
        }
        i = ce;
    }
}

fn mms_pdu(m: &[u8], sink: &mut Sink<'_>) {
    let Some((kind, 0xa0, s, e)) = ber(m, 0) else {
        return;
    };
    // The invoke id comes first; the service choice follows it.
    let Some((_, _, _, after_id)) = ber(&m[..e], s) else {
        return;
    };
    let Some((svc, _, ss, se)) = ber(&m[..e], after_id) else {
        return;
    };
    match kind {
        0 => {
            let (class, name) = match svc {
                0 => (C::Read, "status"),
                1 => (C::Read, "getNameList"),
                2 => (C::Read, "identify"),
                4 => (C::Read, "read"),
                5 => (C::Write, "write"),
                6 => (C::Read, "getVariableAccessAttributes"),
                11 => (C::ConfigChange, "defineNamedVariableList"),
                12 => (C::Read, "getNamedVariableListAttributes"),
                13 => (C::ConfigChange, "deleteNamedVariableList"),
                26 => (C::ProgramDownload, "initiateDownloadSequence"),
                27 => (C::ProgramDownload, "downloadSegment"),
                28 => (C::ProgramDownload, "terminateDownloadSequence"),
                29 => (C::ProgramUpload, "initiateUploadSequence"),
                30 => (C::ProgramUpload, "uploadSegment"),
                31 => (C::ProgramUpload, "terminateUploadSequence"),
                32 => (C::ProgramDownload, "requestDomainDownload"),
                33 => (C::ProgramUpload, "requestDomainUpload"),
                34 => (C::ProgramDownload, "loadDomainContent"),
                35 => (C::ProgramUpload, "storeDomainContent"),
                36 => (C::ProgramDelete, "deleteDomain"),
                37 => (C::Read, "getDomainAttributes"),
                38 => (C::ConfigChange, "createProgramInvocation"),
                39 => (C::ProgramDelete, "deleteProgramInvocation"),
                40 => (C::Start, "start"),
                41 => (C::Stop, "stop"),
                42 => (C::Start, "resume"),
                43 => (C::Restart, "reset"),
                44 => (C::Stop, "kill"),
                45 => (C::Read, "getProgramInvocationAttributes"),
                46 => (C::FileTransfer, "obtainFile"),
                72 => (C::FileTransfer, "fileOpen"),
                73 => (C::FileTransfer, "fileRead"),
                74 => (C::FileTransfer, "fileClose"),
                75 => (C::FileTransfer, "fileRename"),
                76 => (C::FileTransfer, "fileDelete"),
                77 => (C::Read, "fileDirectory"),
                _ => return,
            };
            sink.op(Proto::Mms, class, name, svc);
        }
        1 if svc == 2 => {
            // identify response: vendorName, modelName, revision.
            let keys = ["vendor", "model", "firmware"];
            let mut i = ss;
            for key in keys {
                let Some((_, _, cs, ce)) = ber(&m[..se], i) else {
                    return;
                };
                sink.identity(Target::Sender, key, &m[cs..ce]);
                i = ce;
            }
        }
        _ => {}
    }
}
