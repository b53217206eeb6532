//! Public key and subkey packets (RFC 9580 §5.5.2), versions 4 and 6, and their fingerprints.

use sha2::{Digest, Sha256};

use super::packet::{Packet, Reader};
use super::{Fingerprint, KeyId, PublicKeyAlgorithm};
use crate::error::Result;

/// The key material of a public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMaterial {
    /// An RSA key: modulus and public exponent, big-endian.
    Rsa {
        /// The modulus n.
        n: Vec<u8>,
        /// The public exponent e.
        e: Vec<u8>,
    },
    /// An EdDSA key in the version 4 encoding: the curve's OID and the point (`0x40 ‖ 32 bytes`
    /// for Ed25519).
    EdDsaLegacy {
        /// The curve OID (`2B 06 01 04 01 DA 47 0F 01` is Ed25519).
        curve: Vec<u8>,
        /// The public point.
        point: Vec<u8>,
    },
    /// A native Ed25519 key (RFC 9580): the 32-byte public key.
    Ed25519(Vec<u8>),
    /// Any other algorithm: the raw key material.
    Other(Vec<u8>),
}

/// A public key or subkey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// 4 or 6.
    pub version: u8,
    /// The creation time (seconds since 1970).
    pub created: u32,
    /// The public-key algorithm.
    pub algorithm: PublicKeyAlgorithm,
    /// The key material.
    pub material: KeyMaterial,
    /// The fingerprint.
    pub fingerprint: Fingerprint,
    /// The key id.
    pub key_id: KeyId,
    /// For a subkey, the fingerprint of its primary key; `None` for a primary key.
    pub primary: Option<Fingerprint>,
    /// The user IDs of a primary key (`Name <email>`), as given.
    pub user_ids: Vec<String>,
}

/// Parses a public key (`primary` is `None`) or subkey packet and computes its fingerprint.
pub(super) fn parse(p: &Packet<'_>, primary: Option<Fingerprint>) -> Result<PublicKey> {
    let mut r = Reader::of(p);
    let version = r.u8("the key version")?;
    if version != 4 && version != 6 {
        return Err(r.error(format!("key version {version} is not supported (only 4 and 6)")));
    }
    let created = r.u32("the key creation time")?;
    let algorithm = PublicKeyAlgorithm::from_id(r.u8("the public-key algorithm")?);
    let mut m = if version == 6 {
        let len = r.u32("the key material length")? as usize;
        let at = r.pos;
        let material = r.take(len, "the key material")?;
        r.finish("the key material")?;
        Reader::new(material, p.index, p.offset + at)
    } else {
        let at = r.pos;
        Reader::new(r.rest(), p.index, p.offset + at)
    };
    let material = match algorithm {
        PublicKeyAlgorithm::Rsa | PublicKeyAlgorithm::RsaSignOnly => KeyMaterial::Rsa {
            n: m.mpi("the RSA modulus")?.to_vec(),
            e: m.mpi("the RSA exponent")?.to_vec(),
        },
        PublicKeyAlgorithm::EdDsaLegacy => {
            let len = m.u8("the curve OID length")?;
            if len == 0 || len == 0xFF {
                return Err(m.error(format!("a curve OID length of {len} is reserved")));
            }
            KeyMaterial::EdDsaLegacy {
                curve: m.take(usize::from(len), "the curve OID")?.to_vec(),
                point: m.mpi("the EdDSA point")?.to_vec(),
            }
        }
        PublicKeyAlgorithm::Ed25519 => KeyMaterial::Ed25519(m.take(32, "the Ed25519 key")?.to_vec()),
        _ => KeyMaterial::Other(m.rest().to_vec()),
    };
    m.finish("the key material")?;
    let fingerprint = if version == 4 {
        let len = u16::try_from(p.body.len())
            .map_err(|_| r.error("a version 4 key packet longer than 65,535 bytes"))?;
        let mut h = sha1_smol::Sha1::new();
        h.update(&[0x99]);
        h.update(&len.to_be_bytes());
        h.update(p.body);
        Fingerprint(h.digest().bytes().to_vec())
    } else {
        let len = u32::try_from(p.body.len()).map_err(|_| r.error("a key packet longer than 4 GiB"))?;
        let mut h = Sha256::new();
        h.update([0x9B]);
        h.update(len.to_be_bytes());
        h.update(p.body);
        Fingerprint(h.finalize().to_vec())
    };
    let id = if version == 4 {
        &fingerprint.0[12..20]
    } else {
        &fingerprint.0[..8]
    };
    let mut key_id = [0u8; 8];
    key_id.copy_from_slice(id);
    Ok(PublicKey {
        version,
        created,
        algorithm,
        material,
        fingerprint,
        key_id: KeyId(key_id),
        primary,
        user_ids: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openpgp::packet::packets;

    fn packet(tag_byte: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag_byte, u8::try_from(body.len()).expect("short")];
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn version_6_keys_and_errors() {
        // A v6 native Ed25519 key: the fingerprint is SHA-256 over 0x9B, a 4-byte length, the body.
        let mut body = vec![6, 0x66, 0, 0, 0, 27, 0, 0, 0, 32];
        body.extend([0x5A; 32]);
        let bytes = packet(0xC6, &body);
        let k = parse(&packets(&bytes).expect("packet")[0], None).expect("v6 key");
        let mut h = Sha256::new();
        h.update([0x9B, 0, 0, 0, u8::try_from(body.len()).expect("short")]);
        h.update(&body);
        assert_eq!(k.fingerprint.0, h.finalize().to_vec());
        assert_eq!(k.key_id.0[..], k.fingerprint.0[..8]);
        assert_eq!(k.material, KeyMaterial::Ed25519(vec![0x5A; 32]));
        assert_eq!(k.created, 0x6600_0000);

        // Material shorter than its length says; trailing bytes; an unknown version.
        let mut short = body.clone();
        short[9] = 33;
        assert!(parse(&packets(&packet(0xC6, &short)).expect("packet")[0], None).is_err());
        let mut long = body.clone();
        long.push(0);
        assert!(parse(&packets(&packet(0xC6, &long)).expect("packet")[0], None).is_err());
        let e = parse(&packets(&packet(0xC6, &[5, 0, 0])).expect("packet")[0], None).expect_err("v5");
        assert!(e.message.contains("version 5"), "{e}");
        // A v4 RSA key cut inside its exponent.
        let rsa = [4, 0, 0, 0, 0, 1, 0, 8, 0xC5, 0, 17, 1];
        let e = parse(&packets(&packet(0xC6, &rsa)).expect("packet")[0], None).expect_err("cut");
        assert!(e.message.contains("RSA exponent"), "{e}");
    }
}
