//! The same packets as pcap and as pcapng (two sections, nanosecond timestamps, either byte
//! order) give identical results, for every pcap file of the corpus.

mod common;

use levee_net::{Analyzer, CaptureReader, Observation};

struct Pkt {
    ts_ns: i64,
    linktype: u16,
    data: Vec<u8>,
    orig_len: u32,
}

fn packets(bytes: &[u8]) -> Vec<Pkt> {
    let mut r = CaptureReader::new(bytes).expect("capture");
    let mut out = Vec::new();
    while let Ok(Some(p)) = r.next_packet() {
        out.push(Pkt {
            ts_ns: p.ts_ns,
            linktype: p.linktype,
            data: p.data.to_vec(),
            orig_len: p.orig_len,
        });
    }
    out
}

fn block(out: &mut Vec<u8>, be: bool, ty: u32, body: &[u8]) {
    let w32 = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let len = 12 + body.len().div_ceil(4) * 4;
    out.extend_from_slice(&w32(ty));
    out.extend_from_slice(&w32(len as u32));
    out.extend_from_slice(body);
    out.resize(out.len() + (len - 12 - body.len()), 0);
    out.extend_from_slice(&w32(len as u32));
}

/// Writes the packets as pcapng: a new section halfway, one interface per link type per section,
/// nanosecond resolution.
fn pcapng(pkts: &[Pkt], be: bool) -> Vec<u8> {
    let w16 = |v: u16| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let w32 = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let mut out = Vec::new();
    let half = pkts.len() / 2;
    for (s, chunk) in [&pkts[..half], &pkts[half..]].into_iter().enumerate() {
        let mut shb = Vec::new();
        shb.extend_from_slice(&w32(0x1a2b_3c4d));
        shb.extend_from_slice(&w16(1));
        shb.extend_from_slice(&w16(0));
        shb.extend_from_slice(&[0xff; 8]);
        block(&mut out, be, 0x0a0d_0d0a, &shb);
        let mut ifaces: Vec<u16> = Vec::new();
        for p in chunk {
            if !ifaces.contains(&p.linktype) {
                ifaces.push(p.linktype);
                let mut idb = Vec::new();
                idb.extend_from_slice(&w16(p.linktype));
                idb.extend_from_slice(&w16(0));
                idb.extend_from_slice(&w32(262_144));
                // if_tsresol = 9 (nanoseconds) in the second section, default µs in the first.
                if s == 1 {
                    idb.extend_from_slice(&w16(9));
                    idb.extend_from_slice(&w16(1));
                    idb.extend_from_slice(&[9, 0, 0, 0]);
                    idb.extend_from_slice(&[0; 4]);
                }
                block(&mut out, be, 1, &idb);
            }
            let id = ifaces.iter().position(|l| *l == p.linktype).unwrap_or(0) as u32;
            let ts = if s == 1 {
                p.ts_ns as u64
            } else {
                p.ts_ns as u64 / 1000
            };
            let mut epb = Vec::new();
            epb.extend_from_slice(&w32(id));
            epb.extend_from_slice(&w32((ts >> 32) as u32));
            epb.extend_from_slice(&w32(ts as u32));
            epb.extend_from_slice(&w32(p.data.len() as u32));
            epb.extend_from_slice(&w32(p.orig_len));
            epb.extend_from_slice(&p.data);
            block(&mut out, be, 6, &epb);
        }
    }
    out
}

fn observe(bytes: &[u8]) -> Observation {
    let mut a = Analyzer::default();
    a.read_capture("x", bytes, &mut |_| {}).expect("readable");
    let mut obs = a.finish();
    for c in &mut obs.captures {
        c.format = None;
    }
    obs
}

#[test]
fn pcap_and_pcapng_give_identical_results() {
    let Some(dir) = common::corpus() else { return };
    let mut compared = 0;
    for (file, _, _) in common::readme_table(&dir) {
        let bytes = std::fs::read(dir.join(&file)).expect("read");
        if bytes.get(..4) == Some(&[0x0a, 0x0d, 0x0d, 0x0a]) {
            continue;
        }
        let pkts = packets(&bytes);
        let base = observe(&bytes);
        for be in [false, true] {
            let ng = pcapng(&pkts, be);
            assert_eq!(
                CaptureReader::new(&ng[..]).map(|r| r.format().as_str()).ok(),
                Some("pcapng")
            );
            let other = observe(&ng);
            assert!(base == other, "{file}: pcap and pcapng (big-endian: {be}) differ");
        }
        compared += 1;
    }
    assert!(compared > 80, "{compared} files compared");
}
