//! Industrial protocol decoders (requests and the identities devices report about themselves).

use super::{Event, Sink, Target, rd_be16 as be16, rd_le16 as le16};
use crate::proto::{OpClass as C, Proto};

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

// ---------------------------------------------------------------- Modbus and UMAS

/// A Modbus/TCP ADU (MBAP header, function code, data).
pub fn modbus(p: &[u8], from_client: bool, sink: &mut Sink<'_>) {
    if p.len() < 8 {
        return;
    }
    let fc = p[7];
    let body = &p[8..];
    if !from_client {
        if fc == 43 && body.first() == Some(&14) {
            modbus_device_id(body, sink);
        }
        return;
    }
    let (class, name) = match fc {
        1 => (C::Read, "READ_COILS"),
        2 => (C::Read, "READ_DISCRETE_INPUTS"),
        3 => (C::Read, "READ_HOLDING_REGISTERS"),
        4 => (C::Read, "READ_INPUT_REGISTERS"),
        5 => (C::Write, "WRITE_SINGLE_COIL"),
        6 => (C::Write, "WRITE_SINGLE_REGISTER"),
        7 => (C::Read, "READ_EXCEPTION_STATUS"),
        8 => match body.get(..2).map(|s| be16(s, 0)) {
            Some(1) => (C::Restart, "DIAGNOSTICS_RESTART_COMMUNICATIONS"),
            Some(4) => (C::Stop, "DIAGNOSTICS_FORCE_LISTEN_ONLY"),
            _ => (C::Read, "DIAGNOSTICS"),
        },
        11 => (C::Read, "GET_COMM_EVENT_COUNTER"),
        12 => (C::Read, "GET_COMM_EVENT_LOG"),
        15 => (C::Write, "WRITE_MULTIPLE_COILS"),
        16 => (C::Write, "WRITE_MULTIPLE_REGISTERS"),
        17 => (C::Read, "REPORT_SERVER_ID"),
        20 => (C::Read, "READ_FILE_RECORD"),
        21 => (C::Write, "WRITE_FILE_RECORD"),
        22 => (C::Write, "MASK_WRITE_REGISTER"),
        23 => (C::Write, "READ_WRITE_MULTIPLE_REGISTERS"),
        24 => (C::Read, "READ_FIFO_QUEUE"),
        43 if body.first() == Some(&14) => (C::Read, "READ_DEVICE_IDENTIFICATION"),
        90 => {
            sink.events.push(Event::Inner(Proto::Umas));
            umas(body, sink);
            return;
        }
        _ => return,
    };
    sink.op(Proto::Modbus, class, name, u32::from(fc));
}

/// Read Device Identification (FC 43, MEI 14) response objects.
fn modbus_device_id(b: &[u8], sink: &mut Sink<'_>) {
    if b.len() < 6 {
        return;
    }
    let count = usize::from(b[5]);
    let mut at = 6;
    for _ in 0..count {
        let (Some(&id), Some(&len)) = (b.get(at), b.get(at + 1)) else {
            return;
        };
        let Some(val) = b.get(at + 2..at + 2 + usize::from(len)) else {
            return;
        };
        let key = match id {
            0 => "vendor",
            1 => "product-code",
            2 => "firmware",
            4 => "product",
            5 => "model",
            _ => "",
        };
        if !key.is_empty() {
            sink.identity(Target::Sender, key, val);
        }
        at += 2 + usize::from(len);
    }
}

/// Schneider UMAS (Modbus function 90): pairing key, then the UMAS function code.
fn umas(b: &[u8], sink: &mut Sink<'_>) {
    let Some(&code) = b.get(1) else { return };
    let (class, name) = match code {
        0x01 => (C::Read, "INIT_COMM"),
        0x02 => (C::Read, "READ_ID"),
        0x03 => (C::Read, "READ_PROJECT_INFO"),
        0x04 => (C::Read, "READ_PLC_INFO"),
        0x06 => (C::Read, "READ_CARD_INFO"),
        0x0a => (C::Read, "REPEAT"),
        0x10 => (C::Authentication, "TAKE_PLC_RESERVATION"),
        0x11 => (C::Authentication, "RELEASE_PLC_RESERVATION"),
        0x12 => (C::Read, "KEEP_ALIVE"),
        0x20 => (C::Read, "READ_MEMORY_BLOCK"),
        0x21 => (C::Write, "WRITE_MEMORY_BLOCK"),
        0x22 => (C::Read, "READ_VARIABLES"),
        0x23 => (C::Write, "WRITE_VARIABLES"),
        0x24 => (C::Read, "READ_COILS_REGISTERS"),
        0x25 => (C::Write, "WRITE_COILS_REGISTERS"),
        0x30 => (C::ProgramDownload, "INITIALIZE_DOWNLOAD"),
        0x31 => (C::ProgramDownload, "DOWNLOAD_BLOCK"),
        0x32 => (C::ProgramDownload, "END_DOWNLOAD"),
        0x33 => (C::ProgramUpload, "INITIALIZE_UPLOAD"),
        0x34 => (C::ProgramUpload, "UPLOAD_BLOCK"),
        0x35 => (C::ProgramUpload, "END_UPLOAD"),
        0x40 => (C::Start, "START_PLC"),
        0x41 => (C::Stop, "STOP_PLC"),
        0x50 => (C::Read, "MONITOR_PLC"),
        0x58 => (C::Read, "CHECK_PLC"),
        0x70 => (C::Read, "READ_IO_OBJECT"),
        0x71 => (C::Write, "WRITE_IO_OBJECT"),
        0x73 => (C::Read, "GET_STATUS_MODULE"),
        _ => return,
    };
    sink.op(Proto::Umas, class, name, u32::from(code));
}

// ---------------------------------------------------------------- DNP3

/// A DNP3 link frame: strips the block CRCs and decodes the application header of a first
/// transport fragment.
pub fn dnp3(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 10 || p[0] != 0x05 || p[1] != 0x64 {
        return;
    }
    let ctrl = p[3];
    let prm = ctrl & 0x40 != 0;
    if !prm || !matches!(ctrl & 0x0f, 3 | 4) {
        return;
    }
    let mut user = [0u8; 32];
    let mut n = 0;
    for block in p[10..].chunks(18) {
        let data = &block[..block.len().saturating_sub(2)];
        for &b in data {
            if n < user.len() {
                user[n] = b;
                n += 1;
            }
        }
        if n >= user.len() {
            break;
        }
    }
    let u = &user[..n];
    if u.len() < 3 || u[0] & 0x40 == 0 {
        return;
    }
    let fc = u[2];
    let obj = (u.get(3).copied(), u.get(4).copied());
    let (class, name) = match fc {
        0x01 => (C::Read, "READ"),
        0x02 => match obj {
            (Some(70), _) => (C::FileTransfer, "WRITE_FILE"),
            (Some(50), Some(1)) => (C::TimeChange, "WRITE_TIME"),
            _ => (C::Write, "WRITE"),
        },
        0x03 => (C::Operate, "SELECT"),
        0x04 => (C::Operate, "OPERATE"),
        0x05 => (C::Operate, "DIRECT_OPERATE"),
        0x06 => (C::Operate, "DIRECT_OPERATE_NR"),
        0x07 => (C::Operate, "IMMEDIATE_FREEZE"),
        0x08 => (C::Operate, "IMMEDIATE_FREEZE_NR"),
        0x09 => (C::Operate, "FREEZE_CLEAR"),
        0x0a => (C::Operate, "FREEZE_CLEAR_NR"),
        0x0b => (C::Operate, "FREEZE_AT_TIME"),
        0x0c => (C::Operate, "FREEZE_AT_TIME_NR"),
        0x0d => (C::Restart, "COLD_RESTART"),
        0x0e => (C::Restart, "WARM_RESTART"),
        0x0f => (C::ConfigChange, "INITIALIZE_DATA"),
        0x10 => (C::ConfigChange, "INITIALIZE_APPLICATION"),
        0x11 => (C::Start, "START_APPLICATION"),
        0x12 => (C::Stop, "STOP_APPLICATION"),
        0x13 => (C::ConfigChange, "SAVE_CONFIGURATION"),
        0x14 => (C::ConfigChange, "ENABLE_UNSOLICITED"),
        0x15 => (C::ConfigChange, "DISABLE_UNSOLICITED"),
        0x16 => (C::ConfigChange, "ASSIGN_CLASS"),
        0x17 => (C::TimeChange, "DELAY_MEASURE"),
        0x18 => (C::TimeChange, "RECORD_CURRENT_TIME"),
        0x19 => (C::FileTransfer, "OPEN_FILE"),
        0x1a => (C::FileTransfer, "CLOSE_FILE"),
        0x1b => (C::FileTransfer, "DELETE_FILE"),
        0x1c => (C::FileTransfer, "GET_FILE_INFO"),
        0x1d => (C::FileTransfer, "AUTHENTICATE_FILE"),
        0x1e => (C::FileTransfer, "ABORT_FILE"),
        0x20 => (C::Authentication, "AUTHENTICATE_REQ"),
        0x21 => (C::Authentication, "AUTH_REQ_NO_ACK"),
        0x81 | 0x82 => {
            sink.events.push(Event::Role {
                target: Target::Sender,
                role: "plc",
                rule: "sends DNP3 responses (outstation)",
            });
            return;
        }
        _ => return,
    };
    sink.op(Proto::Dnp3, class, name, u32::from(fc));
}

// ---------------------------------------------------------------- IEC 60870-5-104

/// An APCI frame; I-format ASDUs in the control direction become operations.
pub fn iec104(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 10 || p[0] != 0x68 || p[2] & 1 != 0 {
        return;
    }
    let ty = p[6];
    let cot = p[8] & 0x3f;
    let request = matches!(cot, 6 | 8) || (120..=127).contains(&ty) && cot == 13;
    if !request {
        return;
    }
    let (class, name) = match ty {
        45 | 58 => (C::Operate, "C_SC (single command)"),
        46 | 59 => (C::Operate, "C_DC (double command)"),
        47 | 60 => (C::Operate, "C_RC (regulating step)"),
        48..=50 | 61..=63 => (C::Operate, "C_SE (set point)"),
        51 | 64 => (C::Operate, "C_BO (bitstring)"),
        100 => (C::Read, "C_IC_NA_1 (interrogation)"),
        101 => (C::Read, "C_CI_NA_1 (counter interrogation)"),
        102 => (C::Read, "C_RD_NA_1 (read)"),
        103 => (C::TimeChange, "C_CS_NA_1 (clock synchronisation)"),
        104 | 107 => (C::Read, "C_TS (test)"),
        105 => (C::Restart, "C_RP_NA_1 (reset process)"),
        106 => (C::Read, "C_CD_NA_1 (delay acquisition)"),
        110..=113 => (C::ConfigChange, "P_ (parameter)"),
        120..=127 => (C::FileTransfer, "F_ (file transfer)"),
        _ => return,
    };
    sink.op(Proto::Iec104, class, name, u32::from(ty));
}

// ---------------------------------------------------------------- OPC UA

fn ua_string(b: &[u8], at: usize) -> Option<&[u8]> {
    let n = i32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?);
    if n <= 0 {
        return Some(&[]);
    }
    b.get(at + 4..at + 4 + n as usize)
}

/// OPC UA binary: HEL endpoint, OPN security policy, MSG service requests.
pub fn opcua(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 8 {
        return;
    }
    match &p[0..3] {
        b"HEL" => {
            if let Some(url) = ua_string(p, 28) {
                sink.identity(Target::Receiver, "endpoint", url);
            }
        }
        b"OPN" => {
            if let Some(uri) = ua_string(p, 12)
                && !uri.ends_with(b"#None")
                && !uri.is_empty()
            {
                sink.events.push(Event::Encrypted);
            }
        }
        b"MSG" => {
            if p.len() < 28 {
                return;
            }
            let id = match p[24] {
                0x01 => be16(&[p[27], p[26]], 0) as u32,
                0x00 => u32::from(p[25]),
                0x02 if p.len() >= 31 => le32(p, 27),
                _ => return,
            };
            let (class, name) = match id {
                422 => (C::Read, "GetEndpoints"),
                428 => (C::Read, "FindServers"),
                467 => (C::Authentication, "ActivateSession"),
                488 => (C::ConfigChange, "AddNodes"),
                494 => (C::ConfigChange, "AddReferences"),
                500 => (C::ConfigChange, "DeleteNodes"),
                527 => (C::Read, "Browse"),
                533 => (C::Read, "BrowseNext"),
                554 => (C::Read, "TranslateBrowsePathsToNodeIds"),
                560 => (C::Read, "RegisterNodes"),
                631 => (C::Read, "Read"),
                664 => (C::Read, "HistoryRead"),
                673 => (C::Write, "Write"),
                700 => (C::Write, "HistoryUpdate"),
                712 => (C::Operate, "Call"),
                751 => (C::Read, "CreateMonitoredItems"),
                787 => (C::Read, "CreateSubscription"),
                826 => (C::Read, "Publish"),
                _ => return,
            };
            sink.op(Proto::Opcua, class, name, id);
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- MQTT, C37.118, HART-IP, ADS, FINS, Fox, MELSEC

/// MQTT control packets.
pub fn mqtt(p: &[u8], sink: &mut Sink<'_>) {
    let Some(&h) = p.first() else { return };
    match h >> 4 {
        1 => {
            // CONNECT: variable header after the protocol name; flags tell of a user name.
            let Some(at) = p.iter().skip(1).position(|&b| b & 0x80 == 0).map(|i| i + 2) else {
                return;
            };
            let Some(nlen) = p.get(at..at + 2).map(|s| be16(s, 0)) else {
                return;
            };
            if let Some(&flags) = p.get(at + 2 + nlen + 1)
                && flags & 0x80 != 0
            {
                sink.op(Proto::Mqtt, C::Authentication, "CONNECT", 1);
            }
        }
        3 => sink.op(Proto::Mqtt, C::Write, "PUBLISH", 3),
        8 => sink.op(Proto::Mqtt, C::Read, "SUBSCRIBE", 8),
        _ => {}
    }
}

/// C37.118 command and configuration frames.
pub fn c37118(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 16 || p[0] != 0xaa {
        return;
    }
    match p[1] >> 4 {
        4 => {
            let cmd = be16(p, 14) as u32;
            let (class, name) = match cmd {
                1 => (C::Stop, "TURN_OFF_TRANSMISSION"),
                2 => (C::Start, "TURN_ON_TRANSMISSION"),
                3 => (C::Read, "SEND_HDR"),
                4 => (C::Read, "SEND_CFG1"),
                5 => (C::Read, "SEND_CFG2"),
                6 => (C::Read, "SEND_CFG3"),
                _ => return,
            };
            sink.op(Proto::C37118, class, name, cmd);
        }
        2 | 3 => {
            if let Some(stn) = p.get(20..36) {
                sink.name(Target::Sender, stn, "c37.118");
            }
        }
        _ => {}
    }
}

/// HART-IP requests carrying a HART command.
pub fn hart_ip(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 9 || p[1] != 0 || p[2] != 3 {
        return;
    }
    let pdu = &p[8..];
    let addr = if pdu[0] & 0x80 != 0 { 5 } else { 1 };
    let Some(&cmd) = pdu.get(1 + addr) else { return };
    let (class, name) = match cmd {
        6 => (C::ConfigChange, "WRITE_POLLING_ADDRESS"),
        17 => (C::Write, "WRITE_MESSAGE"),
        18 => (C::Write, "WRITE_TAG"),
        19 => (C::Write, "WRITE_FINAL_ASSEMBLY_NUMBER"),
        22 => (C::Write, "WRITE_LONG_TAG"),
        38 => (C::ConfigChange, "RESET_CONFIGURATION_CHANGED_FLAG"),
        42 => (C::Restart, "DEVICE_RESET"),
        0..=16 | 20 | 21 | 48 => (C::Read, "READ_COMMAND"),
        _ => (C::Operate, "HART_COMMAND"),
    };
    sink.op(Proto::HartIp, class, name, u32::from(cmd));
}

/// Beckhoff AMS/TCP (ADS) and the UDP discovery/route service.
pub fn ads(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() >= 12 && p[0..4] == [0x03, 0x66, 0x14, 0x71] {
        let svc = le32(p, 8);
        match svc {
            1 => sink.op(Proto::Ads, C::Read, "DISCOVERY", 1),
            6 => sink.op(Proto::Ads, C::ConfigChange, "ADD_ROUTE", 6),
            0x8000_0001 => {
                // Discovery response: tags after the AMS address; tag 5 is the computer name.
                let mut at = 24;
                let count = p.get(20..24).map(|_| le32(p, 20)).unwrap_or(0).min(16);
                for _ in 0..count {
                    let Some(tag) = p.get(at..at + 4) else { break };
                    let (t, l) = (le16(tag, 0), le16(tag, 2));
                    if t == 5
                        && let Some(n) = p.get(at + 4..at + 4 + l)
                    {
                        sink.name(Target::Sender, n, "ads");
                    }
                    at += 4 + l;
                }
            }
            _ => {}
        }
        return;
    }
    if p.len() < 38 || le16(p, 24) & 1 != 0 {
        return;
    }
    let cmd = le16(p, 22) as u32;
    let (class, name) = match cmd {
        1 => (C::Read, "READ_DEVICE_INFO"),
        2 => (C::Read, "READ"),
        3 => (C::Write, "WRITE"),
        4 => (C::Read, "READ_STATE"),
        5 => match p.get(38..40).map(|s| le16(s, 0)) {
            Some(2) => (C::Restart, "WRITE_CONTROL_RESET"),
            Some(4 | 5) => (C::Start, "WRITE_CONTROL_RUN"),
            Some(6) => (C::Stop, "WRITE_CONTROL_STOP"),
            Some(15 | 16) => (C::ConfigChange, "WRITE_CONTROL_CONFIG"),
            _ => (C::Operate, "WRITE_CONTROL"),
        },
        6 => (C::Read, "ADD_DEVICE_NOTIFICATION"),
        7 => (C::Read, "DELETE_DEVICE_NOTIFICATION"),
        9 => (C::Write, "READ_WRITE"),
        _ => return,
    };
    sink.op(Proto::Ads, class, name, cmd);
}

/// Omron FINS (UDP, or FINS/TCP with its 16-byte header).
pub fn fins(p: &[u8], sink: &mut Sink<'_>) {
    let f = if p.starts_with(b"FINS") {
        if p.len() < 16 || u32::from_be_bytes([p[8], p[9], p[10], p[11]]) != 2 {
            return;
        }
        &p[16..]
    } else {
        p
    };
    if f.len() < 12 {
        return;
    }
    let response = f[0] & 0x40 != 0;
    let code = (u32::from(f[10]) << 8) | u32::from(f[11]);
    if response {
        if code == 0x0501
            && let Some(model) = f.get(14..34)
        {
            sink.identity(Target::Sender, "model", model);
            sink.identity(Target::Sender, "vendor", b"Omron");
        }
        return;
    }
    let (class, name) = match code {
        0x0101 => (C::Read, "MEMORY_AREA_READ"),
        0x0102 => (C::Write, "MEMORY_AREA_WRITE"),
        0x0103 => (C::Write, "MEMORY_AREA_FILL"),
        0x0104 => (C::Read, "MULTIPLE_MEMORY_AREA_READ"),
        0x0105 => (C::Write, "MEMORY_AREA_TRANSFER"),
        0x0306 => (C::ProgramUpload, "PROGRAM_AREA_READ"),
        0x0307 => (C::ProgramDownload, "PROGRAM_AREA_WRITE"),
        0x0308 => (C::ProgramDelete, "PROGRAM_AREA_CLEAR"),
        0x0401 => (C::Start, "RUN"),
        0x0402 => (C::Stop, "STOP"),
        0x0501 => (C::Read, "CONTROLLER_DATA_READ"),
        0x0502 => (C::Read, "CONNECTION_DATA_READ"),
        0x0601 => (C::Read, "CONTROLLER_STATUS_READ"),
        0x0701 => (C::Read, "CLOCK_READ"),
        0x0702 => (C::TimeChange, "CLOCK_WRITE"),
        0x2101..=0x2103 => (C::ConfigChange, "ERROR_LOG"),
        0x2201..=0x2215 => (C::FileTransfer, "FILE_MEMORY"),
        0x2301 | 0x2302 => (C::Write, "FORCED_SET_RESET"),
        _ => return,
    };
    sink.op(Proto::Fins, class, name, code);
}

/// Niagara Fox: the `fox hello` key/value block names the station and its software.
pub fn fox(p: &[u8], sink: &mut Sink<'_>) {
    if !p.starts_with(b"fox ") {
        return;
    }
    for line in p.split(|&b| b == b'\n').take(64) {
        let Some(eq) = line.iter().position(|&b| b == b'=') else {
            continue;
        };
        let (key, rest) = (&line[..eq], &line[eq + 1..]);
        let value = rest.strip_prefix(b"s:").unwrap_or(rest);
        match key {
            b"hostName" => sink.name(Target::Sender, value, "fox"),
            b"app.name" => sink.identity(Target::Sender, "product", value),
            b"app.version" => sink.identity(Target::Sender, "firmware", value),
            b"os.name" => sink.identity(Target::Sender, "os", value),
            b"brandId" => sink.identity(Target::Sender, "vendor", value),
            b"station.name" => sink.identity(Target::Sender, "station", value),
            _ => {}
        }
    }
}

/// MELSEC MC protocol (SLMP) 3E/4E binary requests.
pub fn melsec(p: &[u8], sink: &mut Sink<'_>) {
    let at = match p.first() {
        Some(0x50) => 11,
        Some(0x54) => 15,
        _ => return,
    };
    let Some(c) = p.get(at..at + 2) else { return };
    let cmd = le16(c, 0) as u32;
    let (class, name) = match cmd {
        0x0401 => (C::Read, "BATCH_READ"),
        0x1401 => (C::Write, "BATCH_WRITE"),
        0x0403 => (C::Read, "RANDOM_READ"),
        0x1402 => (C::Write, "RANDOM_WRITE"),
        0x0406 => (C::Read, "BLOCK_READ"),
        0x1406 => (C::Write, "BLOCK_WRITE"),
        0x0101 => (C::Read, "READ_CPU_MODEL"),
        0x1001 => (C::Start, "REMOTE_RUN"),
        0x1002 => (C::Stop, "REMOTE_STOP"),
        0x1003 => (C::Stop, "REMOTE_PAUSE"),
        0x1005 => (C::ConfigChange, "REMOTE_LATCH_CLEAR"),
        0x1006 => (C::Restart, "REMOTE_RESET"),
        0x1630 => (C::Authentication, "REMOTE_UNLOCK"),
        0x1631 => (C::Authentication, "REMOTE_LOCK"),
        0x1800..=0x18ff => (C::FileTransfer, "FILE"),
        _ => return,
    };
    sink.op(Proto::Melsec, class, name, cmd);
}

// ---------------------------------------------------------------- BACnet/IP

/// BVLC, NPDU, then the APDU's service.
pub fn bacnet(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 6 || p[0] != 0x81 {
        return;
    }
    let mut at = match p[1] {
        0x0a | 0x0b => 4,
        0x04 => 10,
        _ => return,
    };
    let Some(&ver) = p.get(at) else { return };
    let Some(&ctrl) = p.get(at + 1) else { return };
    if ver != 1 || ctrl & 0x80 != 0 {
        return;
    }
    at += 2;
    if ctrl & 0x20 != 0 {
        let Some(&dlen) = p.get(at + 2) else { return };
        at += 3 + usize::from(dlen);
    }
    if ctrl & 0x08 != 0 {
        let Some(&slen) = p.get(at + 2) else { return };
        at += 3 + usize::from(slen);
    }
    if ctrl & 0x20 != 0 {
        at += 1;
    }
    let Some(a) = p.get(at..) else { return };
    let Some(&t) = a.first() else { return };
    match t >> 4 {
        0 => {
            let seg = if t & 0x08 != 0 { 2 } else { 0 };
            let Some(&svc) = a.get(3 + seg) else { return };
            let (class, name) = match svc {
                0 => (C::Operate, "acknowledgeAlarm"),
                5 => (C::Read, "subscribeCOV"),
                6 => (C::FileTransfer, "atomicReadFile"),
                7 => (C::FileTransfer, "atomicWriteFile"),
                8 => (C::Write, "addListElement"),
                9 => (C::Write, "removeListElement"),
                10 => (C::ConfigChange, "createObject"),
                11 => (C::ConfigChange, "deleteObject"),
                12 => (C::Read, "readProperty"),
                14 => (C::Read, "readPropertyMultiple"),
                15 => (C::Write, "writeProperty"),
                16 => (C::Write, "writePropertyMultiple"),
                17 => (C::ConfigChange, "deviceCommunicationControl"),
                18 => (C::Operate, "confirmedPrivateTransfer"),
                20 => (C::Restart, "reinitializeDevice"),
                26 => (C::Read, "readRange"),
                28 => (C::Read, "subscribeCOVProperty"),
                _ => return,
            };
            sink.op(Proto::Bacnet, class, name, u32::from(svc));
        }
        1 => {
            let Some(&svc) = a.get(1) else { return };
            match svc {
                0 => i_am(&a[2..], sink),
                6 => sink.op(Proto::Bacnet, C::TimeChange, "timeSynchronization", 6),
                9 => sink.op(Proto::Bacnet, C::TimeChange, "utcTimeSynchronization", 9),
                _ => {}
            }
        }
        _ => {}
    }
}

/// I-Am: device object identifier, max APDU, segmentation, vendor id (application tags).
fn i_am(b: &[u8], sink: &mut Sink<'_>) {
    let mut at = 0;
    let mut values = [0u32; 4];
    for v in &mut values {
        let Some(&tag) = b.get(at) else { return };
        let len = usize::from(tag & 0x07);
        if len > 4 {
            return;
        }
        let Some(bytes) = b.get(at + 1..at + 1 + len) else {
            return;
        };
        *v = bytes.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x));
        at += 1 + len;
    }
    sink.identity(
        Target::Sender,
        "bacnet-device",
        format!("{}", values[0] & 0x3f_ffff).as_bytes(),
    );
    sink.identity(
        Target::Sender,
        "vendor",
        format!("BACnet vendor {}", values[3]).as_bytes(),
    );
}

// ---------------------------------------------------------------- PROFINET CM (DCE/RPC)

/// PROFINET IO context management requests (connect, release, read, write, control).
pub fn pn_cm(p: &[u8], sink: &mut Sink<'_>) {
    if p.len() < 80 || p[1] != 0 {
        return;
    }
    let little = p[4] & 0x10 != 0;
    let op = if little { le16(p, 68) } else { be16(p, 68) } as u32;
    let (class, name) = match op {
        0 => (C::ConfigChange, "CONNECT"),
        1 => (C::Operate, "RELEASE"),
        2 => (C::Read, "READ"),
        3 => (C::Write, "WRITE"),
        4 => (C::Operate, "CONTROL"),
        5 => (C::Read, "READ_IMPLICIT"),
        _ => return,
    };
    sink.op(Proto::ProfinetCm, class, name, op);
}
