//! TCP reassembly (order, retransmissions, gaps) and the events decoders report.

use core::net::IpAddr;

use crate::decode::{self, Event, Framing, Sink, Target};
use crate::ident::{self, Evidence};
use crate::packet::tcpflag;
use crate::proto::{OpClass, Proto};

use super::types::{HostKey, OpObs, PacketRefs};
use super::{Analyzer, Ctx, OpKey};

impl Analyzer {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn tcp(
        &mut self,
        fi: usize,
        dir: usize,
        from_client: bool,
        seq: u32,
        flags: u8,
        payload: &[u8],
        ctx: Ctx,
    ) {
        let max_ooo = self.limits.max_out_of_order;
        self.note_payload(fi, payload);
        {
            let f = &mut self.table[fi];
            let Some(streams) = f.streams.as_mut() else {
                if f.proto.is_none() && !payload.is_empty() && f.tries < self.limits.identify_tries {
                    let found = ident::identify_tcp(payload, !from_client);
                    self.identify(fi, found);
                }
                return;
            };
            let st = &mut streams[dir];
            if flags & tcpflag::SYN != 0 {
                st.next = Some(seq.wrapping_add(1));
                if payload.is_empty() {
                    return;
                }
            }
            if payload.is_empty() {
                return;
            }
        }
        // Identification looks at the segment as sent.
        if self.table[fi].proto.is_none() {
            let found = ident::identify_tcp(payload, !from_client);
            self.identify(fi, found);
            if self.table[fi].streams.is_none() {
                return;
            }
        }
        let f = &mut self.table[fi];
        let Some(streams) = f.streams.as_mut() else { return };
        let st = &mut streams[dir];
        let next = *st.next.get_or_insert(seq);
        let rel = seq.wrapping_sub(next) as i32;
        let fresh: Option<&[u8]>;
        // At a PDU boundary, a later segment that starts a PDU of the flow's protocol means the
        // bytes between were lost (a capture drops far more often than a network reorders).
        let starts_pdu = st.buf.is_empty()
            && f.proto
                .is_some_and(|p| matches!(decode::frame(p, payload), Some(Framing::Pdu(_) | Framing::Need)));
        if rel == 0 {
            fresh = Some(payload);
        } else if rel < 0 {
            let skip = rel.unsigned_abs() as usize;
            let in_hole = st.hole.is_some_and(|(from, to)| {
                seq.wrapping_sub(from) as i32 >= 0
                    && to.wrapping_sub(seq.wrapping_add(payload.len() as u32)) as i32 >= 0
            });
            if in_hole {
                // A late segment filling a gap already skipped: decode it on its own.
                f.reordered += 1;
                self.feed_detached(fi, dir, from_client, payload, ctx);
                return;
            }
            if skip >= payload.len() {
                f.retransmissions += 1;
                return;
            }
            fresh = Some(&payload[skip..]);
        } else if !starts_pdu && (rel as u32) < (1 << 20) && st.ooo.len() < max_ooo {
            st.ooo.push((seq, payload.to_vec()));
            return;
        } else {
            // A gap: the missing bytes never came. Restart at this segment.
            f.gaps += 1;
            st.hole = Some((next, seq));
            st.buf.clear();
            st.ooo.retain(|(s, _)| s.wrapping_sub(seq) as i32 > 0);
            fresh = Some(payload);
            st.next = Some(seq);
        }
        if let Some(data) = fresh {
            let at = st.next.unwrap_or(seq);
            st.next = Some(at.wrapping_add(data.len() as u32));
            self.feed(fi, dir, from_client, data, ctx);
        }
        // Drain out-of-order segments that now fit.
        loop {
            let f = &mut self.table[fi];
            let Some(streams) = f.streams.as_mut() else { return };
            let st = &mut streams[dir];
            let Some(next) = st.next else { return };
            let Some(pos) = st.ooo.iter().position(|(s, _)| next.wrapping_sub(*s) as i32 >= 0) else {
                return;
            };
            let (s, data) = st.ooo.swap_remove(pos);
            let skip = next.wrapping_sub(s) as usize;
            if skip >= data.len() {
                f.retransmissions += 1;
                continue;
            }
            st.next = Some(next.wrapping_add((data.len() - skip) as u32));
            self.feed(fi, dir, from_client, &data[skip..], ctx);
        }
    }

    /// Decodes a late segment on its own, leaving the stream's buffer as it is.
    fn feed_detached(&mut self, fi: usize, dir: usize, from_client: bool, data: &[u8], ctx: Ctx) {
        let Some(s) = self.table[fi].streams.as_mut() else {
            return;
        };
        let saved = std::mem::take(&mut s[dir].buf);
        self.feed(fi, dir, from_client, data, ctx);
        if let Some(s) = self.table[fi].streams.as_mut() {
            s[dir].buf = saved;
        }
    }

    /// New in-order bytes of one direction: split into PDUs and decode.
    fn feed(&mut self, fi: usize, dir: usize, from_client: bool, data: &[u8], ctx: Ctx) {
        let Some(proto) = self.table[fi].proto else {
            // Not identified yet: keep the bytes (bounded) for when it is, and look at the
            // reassembled start of the stream (a PDU split over segments).
            let Some(s) = self.table[fi].streams.as_mut() else {
                return;
            };
            let st = &mut s[dir];
            if st.buf.len() + data.len() <= decode::MAX_PDU {
                st.buf.extend_from_slice(data);
            } else {
                st.buf.clear();
            }
            let found = ident::identify_tcp(&st.buf[..st.buf.len().min(4096)], !from_client);
            if let Some(p) = found {
                self.table[fi].proto = Some(p);
                self.table[fi].evidence = Evidence::Content;
                self.feed(fi, dir, from_client, &[], ctx);
            }
            return;
        };
        if self.table[fi].evidence == Evidence::Port || decode::frame(proto, &[]).is_none() {
            self.table[fi].streams = None;
            return;
        }
        let mut events = std::mem::take(&mut self.events);
        let mut buf = {
            let Some(s) = self.table[fi].streams.as_mut() else {
                return;
            };
            std::mem::take(&mut s[dir].buf)
        };
        let encrypted_ua = self.table[fi].encrypted && proto == Proto::Opcua;
        let mut pdus = 0u32;
        let mut decode_one = |pdu: &[u8], events: &mut Vec<Event>| {
            pdus += 1;
            if !encrypted_ua || !pdu.starts_with(b"MSG") {
                decode::decode(proto, pdu, from_client, &mut Sink { events });
            }
        };
        let leftover: &[u8] = if buf.is_empty() {
            // Fast path: decode straight from the segment.
            let mut rest = data;
            loop {
                match decode::frame(proto, rest) {
                    Some(Framing::Pdu(n)) => {
                        decode_one(&rest[..n], &mut events);
                        rest = &rest[n..];
                        if rest.is_empty() {
                            break;
                        }
                    }
                    Some(Framing::Need) => break,
                    _ => {
                        rest = &[];
                        break;
                    }
                }
            }
            rest
        } else {
            buf.extend_from_slice(data);
            let mut start = 0;
            loop {
                match decode::frame(proto, &buf[start..]) {
                    Some(Framing::Pdu(n)) => {
                        let (s, e) = (start, start + n);
                        decode_one(&buf[s..e], &mut events);
                        start = e;
                        if start == buf.len() {
                            break;
                        }
                    }
                    Some(Framing::Need) => break,
                    _ => {
                        start = buf.len();
                        break;
                    }
                }
            }
            buf.drain(..start);
            &[]
        };
        if !leftover.is_empty() {
            buf.extend_from_slice(leftover);
        }
        let light = matches!(
            proto,
            Proto::Tls | Proto::Ssh | Proto::Smb | Proto::Http | Proto::Rdp
        );
        if let Some(s) = self.table[fi].streams.as_mut() {
            s[dir].buf = buf;
            s[dir].pdus += pdus;
            if light && s[0].pdus + s[1].pdus >= 8 {
                self.table[fi].streams = None;
            }
        }
        self.apply(&mut events, fi, ctx);
        self.events = events;
    }

    fn target(&self, t: Target, ctx: Ctx) -> Option<HostKey> {
        match t {
            Target::Sender => Some(ctx.sender),
            Target::Receiver => Some(ctx.receiver),
            Target::Ip(ip) => Some(HostKey::Ip(ip)),
            Target::Mac(m) => Some(HostKey::Mac(m)),
        }
    }

    pub(super) fn apply(&mut self, events: &mut Vec<Event>, fi: usize, ctx: Ctx) {
        let cap = self.limits.max_packet_refs;
        for e in events.drain(..) {
            match e {
                Event::Op { proto, class, func } => {
                    let key = OpKey {
                        capture: ctx.capture,
                        proto,
                        class,
                        func,
                        src: ctx.sender,
                        dst: ctx.receiver,
                    };
                    let op = self.ops.entry(key).or_insert_with(|| OpObs {
                        capture: ctx.capture,
                        proto,
                        class,
                        func,
                        src: ctx.sender,
                        dst: ctx.receiver,
                        packets: PacketRefs::default(),
                        first_ns: ctx.ts,
                        last_ns: ctx.ts,
                    });
                    op.packets.add(ctx.number, cap);
                    op.last_ns = op.last_ns.max(ctx.ts);
                    let first = op.packets.count == 1;
                    if first && class != OpClass::Read {
                        let h = self.host(ctx.sender, ctx.ts);
                        if h.issued.len() < 64 {
                            h.issued.push((class, proto, func.name));
                        }
                    }
                    if proto != self.table[fi].proto.unwrap_or(proto) {
                        self.table[fi].inner.insert(proto);
                    }
                }
                Event::Inner(p) => {
                    self.table[fi].inner.insert(p);
                }
                Event::Encrypted => self.table[fi].encrypted = true,
                Event::Identity { target, key, value } => {
                    if key == "sni" {
                        self.table[fi].sni.get_or_insert(value);
                        continue;
                    }
                    let Some(hk) = self.target(target, ctx) else {
                        continue;
                    };
                    if key == "ip"
                        && let HostKey::Mac(m) = hk
                        && let Ok(ip) = value.parse::<IpAddr>()
                    {
                        self.bindings.entry(m).or_insert(ip);
                    }
                    let h = self.host(hk, ctx.ts);
                    if h.identity.len() < 24 && !h.identity.iter().any(|(k, v)| *k == key && *v == value) {
                        h.identity.push((key, value));
                    }
                }
                Event::Name { target, name, source } => {
                    let Some(hk) = self.target(target, ctx) else {
                        continue;
                    };
                    if let HostKey::Ip(ip) = hk
                        && !matches!(target, Target::Sender | Target::Receiver)
                    {
                        // Names of addresses seen only in answers: bounded (a resolver's capture
                        // can hold millions).
                        if self.addr_names.len() >= 100_000 && !self.addr_names.contains_key(&ip) {
                            continue;
                        }
                        let v = self.addr_names.entry(ip).or_default();
                        if v.len() < 8 && !v.iter().any(|(n, _)| *n == name) {
                            v.push((name, source));
                        }
                        continue;
                    }
                    let h = self.host(hk, ctx.ts);
                    if h.names.len() < 8 && !h.names.iter().any(|(n, _)| *n == name) {
                        h.names.push((name, source));
                    }
                }
                Event::Role { target, role, rule } => {
                    let Some(hk) = self.target(target, ctx) else {
                        continue;
                    };
                    let h = self.host(hk, ctx.ts);
                    if !h.hints.iter().any(|(r, _)| *r == role) {
                        h.hints.push((role, rule));
                    }
                }
            }
        }
    }
}
