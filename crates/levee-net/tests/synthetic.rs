//! Hand-built packets: TCP reassembly (order, retransmission, gap), IPv4 fragments, every link
//! type, and the reader's limits.

use levee_net::{Analyzer, CaptureReader, Observation, OpClass, Proto};

const CLIENT: [u8; 4] = [10, 0, 0, 5];
const SERVER: [u8; 4] = [10, 0, 1, 20];

fn ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, id: u16, frag: u16, l4: &[u8]) -> Vec<u8> {
    let mut h = vec![0x45, 0];
    h.extend_from_slice(&((20 + l4.len()) as u16).to_be_bytes());
    h.extend_from_slice(&id.to_be_bytes());
    h.extend_from_slice(&frag.to_be_bytes());
    h.extend_from_slice(&[64, proto, 0, 0]);
    h.extend_from_slice(&src);
    h.extend_from_slice(&dst);
    h.extend_from_slice(l4);
    h
}

fn tcp(sport: u16, dport: u16, seq: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(&sport.to_be_bytes());
    t.extend_from_slice(&dport.to_be_bytes());
    t.extend_from_slice(&seq.to_be_bytes());
    t.extend_from_slice(&[0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    t.extend_from_slice(payload);
    t
}

fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut u = Vec::new();
    u.extend_from_slice(&sport.to_be_bytes());
    u.extend_from_slice(&dport.to_be_bytes());
    u.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    u
}

fn eth(ip: &[u8]) -> Vec<u8> {
    let mut f = vec![0x00, 0x00, 0xbc, 1, 2, 3, 0x00, 0x1b, 0x1b, 4, 5, 6, 0x08, 0x00];
    f.extend_from_slice(ip);
    f
}

fn pcap(linktype: u32, frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&linktype.to_le_bytes());
    for (i, f) in frames.iter().enumerate() {
        out.extend_from_slice(&(1_700_000_000u32 + i as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(f);
    }
    out
}

fn observe(bytes: &[u8]) -> Observation {
    let mut a = Analyzer::default();
    a.read_capture("t", bytes, &mut |_| {}).expect("readable");
    a.finish()
}

/// A Modbus write single register request with transaction id `t`.
fn write_register(t: u16) -> Vec<u8> {
    let mut v = t.to_be_bytes().to_vec();
    v.extend_from_slice(&[0, 0, 0, 6, 1, 6, 0, 1, 0, 42]);
    v
}

#[test]
fn reassembly_orders_segments_drops_retransmissions_and_flags_gaps() {
    let a = write_register(1);
    let b = write_register(2);
    let c = write_register(3);
    let seq0 = 1000u32;
    let pk = |seq: u32, data: &[u8]| eth(&ipv4(CLIENT, SERVER, 6, 1, 0, &tcp(40000, 502, seq, 0x18, data)));
    let frames = vec![
        eth(&ipv4(
            CLIENT,
            SERVER,
            6,
            1,
            0,
            &tcp(40000, 502, seq0 - 1, 0x02, &[]),
        )),
        // ADU a split in two, the second half first (out of order).
        pk(seq0 + 5, &a[5..]),
        pk(seq0, &a[..5]),
        // A retransmission of the whole of a.
        pk(seq0, &a),
        pk(seq0 + 12, &b),
        // 12 bytes (one ADU) never captured, then c: a gap, and c still decoded.
        pk(seq0 + 36, &c),
    ];
    let obs = observe(&pcap(1, &frames));
    let op = obs
        .operations
        .iter()
        .find(|o| o.func.name == "WRITE_SINGLE_REGISTER")
        .expect("writes decoded");
    assert_eq!(op.class, OpClass::Write);
    assert_eq!(op.packets.count, 3, "a, b and c once each: {:?}", op.packets);
    // a completes with packet 3 (the earlier half), b in 5, c in 6.
    assert_eq!(op.packets.numbers, [3, 5, 6]);
    let f = &obs.flows[0];
    assert_eq!(
        (f.protocol, f.retransmissions, f.gaps),
        (Some(Proto::Modbus), 1, 1)
    );
    assert_eq!(f.initiator_rule, "tcp-handshake");
}

#[test]
fn ipv4_fragments_are_reassembled() {
    // A BACnet who-is split into two IPv4 fragments (offsets in 8-byte units).
    let bvlc = [
        0x81, 0x0b, 0x00, 0x0c, 0x01, 0x20, 0xff, 0xff, 0x00, 0xff, 0x10, 0x08,
    ];
    let whole = udp(47808, 47808, &bvlc);
    let frames = vec![
        eth(&ipv4(CLIENT, [10, 0, 1, 255], 17, 7, 0x2000, &whole[..8])),
        eth(&ipv4(CLIENT, [10, 0, 1, 255], 17, 7, 1, &whole[8..])),
    ];
    let obs = observe(&pcap(1, &frames));
    assert_eq!(
        obs.protocols(0).keys().copied().collect::<Vec<_>>(),
        [Proto::Bacnet]
    );
    assert_eq!(obs.captures[0].fragments_dropped, 0);
}

#[test]
fn every_link_type_reaches_the_same_flow() {
    let ip = ipv4(
        CLIENT,
        SERVER,
        6,
        1,
        0,
        &tcp(40000, 20000, 1, 0x18, b"SSH-2.0-x\r\n"),
    );
    let mut null = 2u32.to_le_bytes().to_vec();
    null.extend_from_slice(&ip);
    let mut lo = 2u32.to_be_bytes().to_vec();
    lo.extend_from_slice(&ip);
    let mut sll = vec![0, 0, 0, 1, 0, 6, 0, 0x1b, 0x1b, 4, 5, 6, 0, 0, 0x08, 0x00];
    sll.extend_from_slice(&ip);
    let mut sll2 = vec![
        0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 0x1b, 0x1b, 4, 5, 6, 0, 0,
    ];
    sll2.extend_from_slice(&ip);
    let mut qinq = vec![
        0x00, 0x00, 0xbc, 1, 2, 3, 0x00, 0x1b, 0x1b, 4, 5, 6, 0x88, 0xa8, 0, 10, 0x81, 0x00, 0, 20, 0x08,
        0x00,
    ];
    qinq.extend_from_slice(&ip);
    for (lt, frame) in [
        (1, eth(&ip)),
        (0, null),
        (108, lo),
        (113, sll),
        (276, sll2),
        (101, ip.clone()),
        (228, ip.clone()),
        (1, qinq),
    ] {
        let obs = observe(&pcap(lt, &[frame]));
        assert_eq!(obs.captures[0].malformed, 0, "linktype {lt}");
        assert_eq!(obs.flows.len(), 1, "linktype {lt}");
        assert_eq!(
            obs.flows[0].protocol,
            Some(Proto::Ssh),
            "linktype {lt}: by content, not port 20000"
        );
    }
    // An unknown link type is counted, not fatal.
    let obs = observe(&pcap(147, &[ip]));
    assert_eq!(obs.captures[0].unsupported_link, 1);
}

#[test]
fn damaged_headers_and_lengths_are_errors_or_partial_results() {
    assert_eq!(
        CaptureReader::new(&b""[..]).err().map(|e| e.code()),
        Some("not-a-capture")
    );
    assert_eq!(
        CaptureReader::new(&b"GIF89a..."[..]).err().map(|e| e.code()),
        Some("not-a-capture")
    );
    assert_eq!(
        CaptureReader::new(&[0xd4, 0xc3, 0xb2, 0xa1, 2, 0][..])
            .err()
            .map(|e| e.code()),
        Some("truncated-header")
    );
    // A record claiming 2 GB: the packets before it are kept, then a clear error.
    let mut bytes = pcap(1, &[eth(&ipv4(CLIENT, SERVER, 17, 1, 0, &udp(1, 2, b"x")))]);
    bytes.extend_from_slice(&[0; 8]);
    bytes.extend_from_slice(&0x7fff_ffffu32.to_le_bytes());
    bytes.extend_from_slice(&0x7fff_ffffu32.to_le_bytes());
    let obs = observe(&bytes);
    assert_eq!(obs.captures[0].packets, 1);
    assert!(
        obs.captures[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("larger than any packet")),
        "{:?}",
        obs.captures[0].error
    );
    // A malformed IP header inside a good record: counted, and the next packet still read.
    let good = eth(&ipv4(CLIENT, SERVER, 17, 1, 0, &udp(1, 2, b"x")));
    let mut bad = good.clone();
    bad[14] = 0x41;
    let obs = observe(&pcap(1, &[bad, good]));
    assert_eq!(
        (
            obs.captures[0].packets,
            obs.captures[0].malformed,
            obs.flows.len()
        ),
        (2, 1, 1)
    );
}

fn project() -> levee_core::Project {
    use levee_core::*;
    let zone = |id: &str, net: &str| Zone {
        id: id.into(),
        name: id.into(),
        description: None,
        purdue_level: None,
        criticality: Criticality::Medium,
        sl_t: SlTarget::Derived,
        safety: false,
        untrusted: false,
        networks: vec![net.parse().expect("cidr")],
        in_scope: true,
        crs: CrsNotes::default(),
    };
    Project {
        name: "t".into(),
        kind: ProjectKind::AssetOwner,
        owner: None,
        description: None,
        document: Default::default(),
        review: ReviewPolicy::default(),
        captures: Vec::new(),
        zones: vec![zone("office", "10.0.0.0/24"), zone("cell", "10.0.1.0/24")],
        // Only the cell may open connections to the office, and only Modbus/TCP.
        conduits: vec![Conduit {
            id: "cell-office".into(),
            name: "c".into(),
            zones: ["cell".into(), "office".into()],
            protocols: vec![AllowedProtocol {
                name: "modbus-tcp".into(),
                port: None,
            }],
            direction: Direction::Forward,
            sl_t: SlTarget::Derived,
            untrusted: false,
            crs: CrsNotes::default(),
        }],
        assets: Vec::new(),
        components: Vec::new(),
        risk: RiskRegister::default(),
        responses: Vec::new(),
        maturity: Vec::new(),
        program: Vec::new(),
        crs: ProjectCrs::default(),
    }
}

#[test]
fn direction_risky_operation_and_cleartext_violations() {
    let syn = |sport: u16, dport: u16| eth(&ipv4(CLIENT, SERVER, 6, 1, 0, &tcp(sport, dport, 99, 0x02, &[])));
    let data = |sport: u16, dport: u16, p: &[u8]| {
        eth(&ipv4(CLIENT, SERVER, 6, 1, 0, &tcp(sport, dport, 100, 0x18, p)))
    };
    // S7comm PLC stop: TPKT, COTP DT, S7 job 0x29 with the P_PROGRAM PI name.
    let mut s7 = vec![0x32, 1, 0, 0, 0, 1, 0, 16, 0, 0, 0x29, 0, 0, 0, 0, 0, 9];
    s7.extend_from_slice(b"P_PROGRAM");
    let mut stop = vec![3, 0, 0, 0, 2, 0xf0, 0x80];
    stop.extend_from_slice(&s7);
    let n = stop.len() as u16;
    stop[2..4].copy_from_slice(&n.to_be_bytes());
    let frames = vec![
        syn(40000, 502),
        data(40000, 502, &write_register(1)),
        syn(40001, 102),
        data(40001, 102, &stop),
        syn(40002, 23),
        data(40002, 23, &[0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03]),
    ];
    let obs = observe(&pcap(1, &frames));
    let v = levee_net::check(&obs, &project());
    let mut got: Vec<(&str, Option<&str>, Vec<u64>)> = v
        .iter()
        .map(|x| {
            (
                x.kind.as_str(),
                x.protocol.map(Proto::name),
                x.packets.numbers.clone(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("cleartext-remote-access", Some("telnet"), vec![5]),
            ("direction-not-allowed", Some("modbus"), vec![1]),
            ("protocol-not-allowed", Some("s7comm"), vec![3]),
            ("protocol-not-allowed", Some("telnet"), vec![5]),
            ("risky-operation-across-zones", Some("s7comm"), vec![4]),
            ("unknown-asset", None, vec![1, 3, 5]),
            ("unknown-asset", None, vec![1, 3, 5]),
        ]
    );
    // As findings for the assessment, each against its requirement.
    let names = vec!["t".to_owned()];
    let f = levee_net::check::to_findings(&v, &project(), &names);
    let mut reqs: Vec<&str> = f.iter().filter_map(|x| x.requirement.as_deref()).collect();
    reqs.sort();
    assert_eq!(
        reqs,
        [
            "SR 2.1", "SR 4.1", "SR 5.2", "SR 5.2", "SR 5.2", "SR 7.8", "SR 7.8"
        ]
    );
}
