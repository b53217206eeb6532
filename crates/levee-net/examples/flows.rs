//! Prints the flows, operations and hosts of capture files (a development aid).

use levee_net::Analyzer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut a = Analyzer::default();
    for path in std::env::args().skip(1) {
        a.read_capture(
            &path,
            std::io::BufReader::new(std::fs::File::open(&path)?),
            &mut |_| {},
        )?;
    }
    let obs = a.finish();
    for c in &obs.captures {
        println!("{c:?}");
    }
    for f in &obs.flows {
        println!(
            "flow #{} {}:{:?} -> {}:{:?} {} {:?} {:?} inner={:?} pk={} rule={} mid={} gaps={} enc={} sni={:?}",
            f.first_packet,
            f.src.host,
            f.src.port,
            f.dst.host,
            f.dst.port,
            f.transport,
            f.protocol.map(|p| p.name()),
            f.evidence.map(|e| e.as_str()),
            f.inner,
            f.packets,
            f.initiator_rule,
            f.midstream,
            f.gaps,
            f.encrypted,
            f.sni
        );
    }
    for o in &obs.operations {
        println!(
            "op {} {} {}({}) {} -> {} n={} {:?}",
            o.proto.name(),
            o.class.name(),
            o.func.name,
            o.func.code,
            o.src,
            o.dst,
            o.packets.count,
            o.packets.numbers
        );
    }
    for h in &obs.hosts {
        println!(
            "host {:?} {:?} {:?} {:?} {:?} role={} ({}) served={:?} used={:?}",
            h.key().to_string(),
            h.vendor,
            h.names,
            h.identity,
            h.macs.len(),
            h.role,
            h.role_rule,
            h.served,
            h.used
        );
    }
    Ok(())
}
