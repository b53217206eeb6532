//! Entry points for the fuzz targets in `fuzz/` and for the test that replays their corpora.
//! Each must never panic, whatever the input.

use crate::decode::{self, Sink};
use crate::proto::{ALL, Proto};
use crate::{Analyzer, Limits};

/// Reads arbitrary bytes as a capture and analyses every packet read.
pub fn capture(data: &[u8]) {
    let mut a = Analyzer::new(Limits {
        max_flows: 1000,
        ..Limits::default()
    });
    let _ = a.read_capture("fuzz", data, &mut |_| {});
    let _ = a.finish();
}

/// Runs arbitrary bytes through every link decoder, every identifier, every framing rule and
/// every protocol decoder (the first byte picks the protocol for the decoders, so the fuzzer
/// can steer each).
pub fn decoders(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    for lt in [0u16, 1, 101, 108, 113, 228, 229, 276] {
        let _ = crate::packet::decode_link(lt, rest);
    }
    for proto in [6u8, 17] {
        let _ = crate::packet::decode_transport(proto, rest);
    }
    let _ = crate::ident::identify_tcp(rest, pick & 1 == 0);
    let _ = crate::ident::identify_udp(rest, (u16::from(pick), 47808));
    let proto: Proto = ALL[usize::from(pick) % ALL.len()];
    let _ = decode::frame(proto, rest);
    let mut events = Vec::new();
    let mut sink = Sink { events: &mut events };
    decode::decode(proto, rest, pick & 0x80 == 0, &mut sink);
    decode::l2::dcp(rest, &mut sink);
    decode::l2::goose(rest, &mut sink);
    decode::l2::lldp(rest, &mut sink);
    decode::l2::cdp(rest, &mut sink);
    let _ = decode::l2::arp(rest);
}
