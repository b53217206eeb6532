//! Signature packets (RFC 9580 §5.2), versions 4 and 6, and the hash they sign.

use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::packet::{Packet, Reader};
use super::{Fingerprint, HashAlgorithm, KeyId, PublicKeyAlgorithm, SignatureType};
use crate::error::Result;

/// One signature subpacket (RFC 9580 §5.2.3.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subpacket {
    /// The subpacket type (2 creation time, 16 issuer key id, 33 issuer fingerprint, …).
    pub tag: u8,
    /// Whether the critical bit is set: a verifier that does not know the type must reject the
    /// signature.
    pub critical: bool,
    /// The body, without length and type.
    pub body: Vec<u8>,
}

/// A signature packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// 4 or 6.
    pub version: u8,
    /// What is signed.
    pub signature_type: SignatureType,
    /// The public-key algorithm.
    pub public_key_algorithm: PublicKeyAlgorithm,
    /// The hash algorithm.
    pub hash_algorithm: HashAlgorithm,
    /// The creation time (seconds since 1970), from the hashed subpackets.
    pub created: Option<u32>,
    /// The issuer's key id (subpacket 16), or the one its fingerprint implies.
    pub issuer_key_id: Option<KeyId>,
    /// The issuer's fingerprint (subpacket 33).
    pub issuer_fingerprint: Option<Fingerprint>,
    /// The subpackets covered by the signature.
    pub hashed_subpackets: Vec<Subpacket>,
    /// The subpackets not covered by it (usually the issuer key id).
    pub unhashed_subpackets: Vec<Subpacket>,
    /// The left 16 bits of the signed hash.
    pub hash_prefix: [u8; 2],
    /// The salt hashed before the document (version 6 only; empty for version 4).
    pub salt: Vec<u8>,
    /// The algorithm's signature values: MPIs without their bit counts (one for RSA, `r` and `s`
    /// for DSA, ECDSA and EdDSA), or the raw 64 bytes of a native Ed25519 signature.
    pub values: Vec<Vec<u8>>,
    /// The hashed part of the packet (version to the end of the hashed subpackets).
    hashed: Vec<u8>,
}

/// The most subpackets one area may hold (real signatures carry a handful). Bounds the memory a
/// hostile version 6 signature, whose areas may be 4 GiB long, can cost.
const MAX_SUBPACKETS: usize = 256;

/// Reads the `area_len` bytes of subpackets at the reader's position.
fn subpackets(r: &mut Reader<'_>, area_len: usize, what: &str) -> Result<Vec<Subpacket>> {
    if area_len > r.remaining() {
        return Err(r.error(format!(
            "the {what} area says it has {area_len} bytes, but only {} remain",
            r.remaining()
        )));
    }
    let end = r.pos + area_len;
    let mut out = Vec::new();
    while r.pos < end {
        if out.len() == MAX_SUBPACKETS {
            return Err(r.error(format!(
                "more than {MAX_SUBPACKETS} subpackets in the {what} area"
            )));
        }
        let first = r.u8("a subpacket length")?;
        // Subpacket lengths have no partial form: 192 to 254 all start a two-octet length.
        let len = r.length(first, 254, "a subpacket length")?.unwrap_or(0);
        if len == 0 {
            return Err(r.error("a subpacket of length 0 (it must at least hold its type)"));
        }
        // The length octets themselves may already have run past the end of the area.
        if len > end.saturating_sub(r.pos) {
            return Err(r.error(format!(
                "a subpacket of {len} bytes runs past the end of the {what} area"
            )));
        }
        let kind = r.u8("a subpacket type")?;
        let body = r.take(len - 1, "a subpacket")?;
        out.push(Subpacket {
            tag: kind & 0x7F,
            critical: kind & 0x80 != 0,
            body: body.to_vec(),
        });
    }
    Ok(out)
}

/// Parses a signature packet.
pub(super) fn parse(p: &Packet<'_>) -> Result<Signature> {
    let mut r = Reader::of(p);
    let version = r.u8("the signature version")?;
    if version != 4 && version != 6 {
        return Err(r.error(format!(
            "signature version {version} is not supported (only 4 and 6)"
        )));
    }
    let signature_type = SignatureType::from_id(r.u8("the signature type")?);
    let public_key_algorithm = PublicKeyAlgorithm::from_id(r.u8("the public-key algorithm")?);
    let hash_algorithm = HashAlgorithm::from_id(r.u8("the hash algorithm")?);
    let area_len = |r: &mut Reader<'_>, what: &str| -> Result<usize> {
        if version == 4 {
            r.u16(what).map(usize::from)
        } else {
            r.u32(what).map(|n| n as usize)
        }
    };
    let len = area_len(&mut r, "the hashed subpacket length")?;
    let hashed_subpackets = subpackets(&mut r, len, "hashed subpacket")?;
    let hashed = p.body[..r.pos].to_vec();
    let len = area_len(&mut r, "the unhashed subpacket length")?;
    let unhashed_subpackets = subpackets(&mut r, len, "unhashed subpacket")?;
    let prefix = r.take(2, "the left 16 bits of the hash")?;
    let hash_prefix = [prefix[0], prefix[1]];
    let salt = if version == 6 {
        let n = r.u8("the salt length")?;
        let salt = r.take(usize::from(n), "the salt")?;
        if let Some(want) = hash_algorithm.salt_len()
            && want != salt.len()
        {
            return Err(r.error(format!(
                "a salt of {} bytes; {hash_algorithm} needs {want}",
                salt.len()
            )));
        }
        salt.to_vec()
    } else {
        Vec::new()
    };
    let values: Vec<Vec<u8>> = match public_key_algorithm {
        PublicKeyAlgorithm::Rsa | PublicKeyAlgorithm::RsaSignOnly => {
            vec![r.mpi("the RSA signature")?.to_vec()]
        }
        PublicKeyAlgorithm::Dsa | PublicKeyAlgorithm::Ecdsa | PublicKeyAlgorithm::EdDsaLegacy => {
            let a = r.mpi("the signature value r")?.to_vec();
            vec![a, r.mpi("the signature value s")?.to_vec()]
        }
        PublicKeyAlgorithm::Ed25519 => vec![r.take(64, "the Ed25519 signature")?.to_vec()],
        PublicKeyAlgorithm::Ed448 => vec![r.take(114, "the Ed448 signature")?.to_vec()],
        _ => vec![r.rest().to_vec()],
    };
    r.finish("the signature values")?;

    let find = |tag: u8| {
        hashed_subpackets
            .iter()
            .chain(&unhashed_subpackets)
            .find(|s| s.tag == tag)
    };
    let created = hashed_subpackets
        .iter()
        .find(|s| s.tag == 2)
        .and_then(|s| <[u8; 4]>::try_from(s.body.as_slice()).ok())
        .map(u32::from_be_bytes);
    let issuer_fingerprint = find(33).and_then(|s| match s.body.split_first() {
        Some((4, fp)) if fp.len() == 20 => Some(Fingerprint(fp.to_vec())),
        Some((6, fp)) if fp.len() == 32 => Some(Fingerprint(fp.to_vec())),
        _ => None,
    });
    let issuer_key_id = find(16)
        .and_then(|s| <[u8; 8]>::try_from(s.body.as_slice()).ok())
        .or_else(|| {
            let fp = &issuer_fingerprint.as_ref()?.0;
            let id = if fp.len() == 20 { &fp[12..] } else { &fp[..8] };
            <[u8; 8]>::try_from(id).ok()
        })
        .map(KeyId);
    Ok(Signature {
        version,
        signature_type,
        public_key_algorithm,
        hash_algorithm,
        created,
        issuer_key_id,
        issuer_fingerprint,
        hashed_subpackets,
        unhashed_subpackets,
        hash_prefix,
        salt,
        values,
        hashed,
    })
}

/// Feeds a document to `update`, with every line end made CRLF when `text` is set (a text
/// signature, RFC 9580 §5.2.4): a lone LF becomes CR LF, a CR LF stays as it is.
fn feed_document(document: &[u8], text: bool, update: &mut dyn FnMut(&[u8])) {
    if !text {
        update(document);
        return;
    }
    let mut rest = document;
    while let Some(i) = rest.iter().position(|&b| b == b'\n') {
        if i > 0 && rest[i - 1] == b'\r' {
            update(&rest[..=i]);
        } else {
            update(&rest[..i]);
            update(b"\r\n");
        }
        rest = &rest[i + 1..];
    }
    update(rest);
}

fn run<D: Digest>(s: &Signature, document: &[u8]) -> Vec<u8> {
    let mut h = D::new();
    h.update(&s.salt);
    feed_document(document, s.signature_type == SignatureType::Text, &mut |b| {
        h.update(b);
    });
    h.update(&s.hashed);
    // The trailer: version, 0xFF, and the length of the hashed part as 4 bytes (RFC 9580 §5.2.4).
    h.update([s.version, 0xFF]);
    h.update((s.hashed.len() as u32).to_be_bytes());
    h.finalize().to_vec()
}

impl Signature {
    /// The hash this signature signs over `document`; `None` when the hash algorithm is not
    /// supported ([`HashAlgorithm::is_supported`]).
    pub fn digest(&self, document: &[u8]) -> Option<Vec<u8>> {
        Some(match self.hash_algorithm {
            HashAlgorithm::Sha224 => run::<Sha224>(self, document),
            HashAlgorithm::Sha256 => run::<Sha256>(self, document),
            HashAlgorithm::Sha384 => run::<Sha384>(self, document),
            HashAlgorithm::Sha512 => run::<Sha512>(self, document),
            _ => return None,
        })
    }

    /// Whether the left 16 bits of the hash over `document` match the packet's.
    ///
    /// An integrity check, not authenticity: it catches a document changed after signing (all but
    /// 1 in 65,536 changes), but anyone can make a packet that passes it for any document. Use
    /// [`Signature::verify`] with the signer's public key to know who signed. `false` when the
    /// hash algorithm is not supported, or the signature does not sign a document.
    pub fn quick_check(&self, document: &[u8]) -> bool {
        if !matches!(self.signature_type, SignatureType::Binary | SignatureType::Text) {
            return false;
        }
        self.digest(document)
            .is_some_and(|d| d.get(..2) == Some(&self.hash_prefix[..]))
    }

    /// The first critical hashed subpacket this reader does not understand, if any.
    pub(super) fn unknown_critical(&self) -> Option<u8> {
        // Creation time, issuer, signer's user id, issuer fingerprint. The signature expiration
        // time (3) is not evaluated, so a critical one is not understood; neither is notation
        // data, which is harmless only when not critical.
        const KNOWN: &[u8] = &[2, 16, 28, 33];
        self.hashed_subpackets
            .iter()
            .find(|s| s.critical && !KNOWN.contains(&s.tag))
            .map(|s| s.tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openpgp::packet::packets;

    /// A v6 RSA signature packet over `doc`, with its left 16 bits computed here.
    pub(crate) fn v6_packet(doc: &[u8], text: bool) -> Vec<u8> {
        let mut body = vec![6, u8::from(text), 1, 8];
        let hashed_area = [5u8, 2, 0x66, 0x00, 0x00, 0x01];
        body.extend((hashed_area.len() as u32).to_be_bytes());
        body.extend(hashed_area);
        let hashed_len = body.len();
        let unhashed = [33u8 + 1, 33, 6]
            .into_iter()
            .chain(std::iter::repeat_n(0xAB, 32))
            .collect::<Vec<u8>>();
        body.extend((unhashed.len() as u32).to_be_bytes());
        body.extend(&unhashed);
        let salt = [7u8; 16];
        let mut h = Sha256::new();
        h.update(salt);
        let mut canon = Vec::new();
        feed_document(doc, text, &mut |b| canon.extend_from_slice(b));
        h.update(&canon);
        h.update(&body[..hashed_len]);
        h.update([6, 0xFF]);
        h.update((hashed_len as u32).to_be_bytes());
        let d = h.finalize();
        body.extend([d[0], d[1], 16]);
        body.extend(salt);
        body.extend([0, 9, 1, 0xFF]);
        let mut out = vec![0xC2, u8::try_from(body.len()).expect("short")];
        out.extend(body);
        out
    }

    #[test]
    fn version_6_signatures_read_and_quick_check() {
        let doc = b"line one\nline two\r\nend";
        let bytes = v6_packet(doc, false);
        let p = packets(&bytes).expect("packet");
        let s = parse(&p[0]).expect("v6");
        assert_eq!((s.version, s.salt.len()), (6, 16));
        assert_eq!(s.hash_algorithm, HashAlgorithm::Sha256);
        assert_eq!(s.created, Some(0x6600_0001));
        assert_eq!(s.issuer_fingerprint.as_ref().map(|f| f.0.len()), Some(32));
        assert_eq!(s.issuer_key_id, Some(KeyId([0xAB; 8])));
        assert!(s.quick_check(doc));
        assert!(!s.quick_check(b"line one\nline two\r\nenD"));

        // A text signature hashes CRLF line ends: the LF and CRLF spellings both pass.
        let text = v6_packet(doc, true);
        let s = parse(&packets(&text).expect("packet")[0]).expect("v6 text");
        assert_eq!(s.signature_type, SignatureType::Text);
        assert!(s.quick_check(doc));
        assert!(s.quick_check(b"line one\r\nline two\nend"));
        assert!(!s.quick_check(b"line one line two end"));
    }

    #[test]
    fn malformed_signatures_are_errors() {
        let good = v6_packet(b"x", false);
        // Every cut of the packet body fails cleanly.
        for cut in 2..good.len() {
            let mut b = good[..cut].to_vec();
            b[1] = u8::try_from(cut - 2).expect("short");
            let p = packets(&b).expect("framing");
            assert!(parse(&p[0]).is_err(), "cut at {cut}");
        }
        // A salt of the wrong size for the hash.
        let mut b = good.clone();
        let salt_len_at = b.len() - 4 - 16 - 1;
        b[salt_len_at] = 15;
        b.remove(salt_len_at + 1);
        b[1] -= 1;
        let e = parse(&packets(&b).expect("framing")[0]).expect_err("salt");
        assert!(e.message.contains("salt of 15 bytes"), "{e}");
        // Version 3 and a zero-length subpacket.
        let e = parse(&packets(&[0xC2, 1, 3]).expect("framing")[0]).expect_err("v3");
        assert!(e.message.contains("version 3"), "{e}");
        let v4 = [0xC2, 8, 4, 0, 1, 8, 0, 1, 0, 0];
        let e = parse(&packets(&v4).expect("framing")[0]).expect_err("empty subpacket");
        assert!(e.message.contains("length 0"), "{e}");
        // A five-octet subpacket length that starts on the last byte of the hashed area.
        let v4 = [0xC2, 12, 4, 0, 1, 8, 0, 1, 255, 0, 0, 0, 2, 0];
        let e = parse(&packets(&v4).expect("framing")[0]).expect_err("length past the area");
        assert!(e.message.contains("runs past the end"), "{e}");
    }

    #[test]
    fn text_canonicalisation() {
        let mut out = Vec::new();
        feed_document(b"a\nb\r\nc\r\rd\n", true, &mut |b| out.extend_from_slice(b));
        assert_eq!(out, b"a\r\nb\r\nc\r\rd\r\n");
        out.clear();
        feed_document(b"a\nb", false, &mut |b| out.extend_from_slice(b));
        assert_eq!(out, b"a\nb");
    }
}
