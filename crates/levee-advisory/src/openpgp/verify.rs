//! Checking a signature against trusted public keys: RSA with PKCS#1 v1.5 encoding (RFC 8017
//! §8.2.2, RFC 9580 §5.2.2).
//!
//! The expected encoding `00 01 FF … FF 00 ‖ DigestInfo ‖ hash` is built in full and compared
//! with `s^e mod n` byte for byte, so no lenient parse of the decrypted block can be fooled. Only
//! public values are involved, so nothing here needs to run in constant time.

use std::fmt;

use num_bigint::BigUint;

use super::{
    Fingerprint, HashAlgorithm, KeyId, KeyMaterial, PublicKey, PublicKeyAlgorithm, Signature, SignatureType,
};

/// The smallest RSA modulus accepted, in bits (RFC 9580 §12.4 advises against fewer).
const MIN_RSA_BITS: u64 = 2048;
/// The largest RSA modulus accepted, in bits (bounds the work a hostile key can cause).
const MAX_RSA_BITS: u64 = 16384;

/// What [`Signature::verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The signature is good and made by the trusted key with this fingerprint (a primary key or
    /// a subkey).
    Verified {
        /// The fingerprint of the key that made it.
        fingerprint: Fingerprint,
    },
    /// A trusted key is named as the issuer, but the signature does not match the document: the
    /// document was changed, or the signature was not made over it.
    BadSignature {
        /// The fingerprint of the key the signature names.
        fingerprint: Fingerprint,
    },
    /// The issuer is not among the trusted keys.
    UnknownKey {
        /// The issuer's fingerprint, when the signature names it.
        fingerprint: Option<Fingerprint>,
        /// The issuer's key id, when the signature names it.
        key_id: Option<KeyId>,
    },
    /// The signature cannot be checked: an algorithm, hash, signature type or key this reader
    /// does not verify.
    Unsupported {
        /// Why, in a few words.
        reason: String,
    },
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verified { fingerprint } => write!(f, "a good signature by key {fingerprint}"),
            Self::BadSignature { fingerprint } => write!(
                f,
                "a bad signature: key {fingerprint} did not sign this content (was it changed?)"
            ),
            Self::UnknownKey {
                fingerprint: Some(fp),
                ..
            } => write!(f, "signed by key {fp}, which is not among the trusted keys"),
            Self::UnknownKey { key_id: Some(id), .. } => {
                write!(f, "signed by key id {id}, which is not among the trusted keys")
            }
            Self::UnknownKey { .. } => {
                f.write_str("the signature names no issuer and no trusted key verifies it")
            }
            Self::Unsupported { reason } => write!(f, "the signature cannot be verified: {reason}"),
        }
    }
}

/// The DER `DigestInfo` prefix of a hash (RFC 9580 §5.2.2, RFC 8017 §9.2): a SEQUENCE of the
/// hash's OID (2.16.840.1.101.3.4.2.n) with NULL parameters, and the OCTET STRING header.
fn digest_info(hash: HashAlgorithm) -> Option<[u8; 19]> {
    let (n, len) = match hash {
        HashAlgorithm::Sha256 => (1, 32),
        HashAlgorithm::Sha384 => (2, 48),
        HashAlgorithm::Sha512 => (3, 64),
        HashAlgorithm::Sha224 => (4, 28),
        _ => return None,
    };
    Some([
        0x30,
        0x11 + len,
        0x30,
        0x0D,
        0x06,
        0x09,
        0x60,
        0x86,
        0x48,
        0x01,
        0x65,
        0x03,
        0x04,
        0x02,
        n,
        0x05,
        0x00,
        0x04,
        len,
    ])
}

/// Checks an RSA PKCS#1 v1.5 signature value against a key: `Ok(true)` when it is good,
/// `Ok(false)` when it is not, `Err` when the key cannot be used.
fn rsa_pkcs1v15(key: &PublicKey, value: &[u8], info: &[u8], digest: &[u8]) -> Result<bool, String> {
    let KeyMaterial::Rsa { n, e } = &key.material else {
        return Err(format!(
            "key {} is an {} key, the signature an RSA one",
            key.fingerprint, key.algorithm
        ));
    };
    let n = BigUint::from_bytes_be(n);
    let bits = n.bits();
    if bits < MIN_RSA_BITS {
        return Err(format!(
            "key {} has an RSA modulus of {bits} bits, fewer than the {MIN_RSA_BITS} accepted",
            key.fingerprint
        ));
    }
    if bits > MAX_RSA_BITS || !n.bit(0) {
        return Err(format!(
            "key {} has an unusable RSA modulus ({bits} bits)",
            key.fingerprint
        ));
    }
    let e = BigUint::from_bytes_be(e);
    if e.bits() > 64 || e < BigUint::from(3u8) || !e.bit(0) {
        return Err(format!("key {} has an unusable RSA exponent", key.fingerprint));
    }
    let k = usize::try_from(bits.div_ceil(8)).map_err(|_| "the RSA modulus is too large".to_owned())?;
    let t = info.len() + digest.len();
    let s = BigUint::from_bytes_be(value);
    if s >= n || k < t + 11 {
        return Ok(false);
    }
    let m = s.modpow(&e, &n).to_bytes_be();
    let mut em = vec![0u8; k.saturating_sub(m.len())];
    em.extend_from_slice(&m);
    let mut expected = Vec::with_capacity(k);
    expected.extend_from_slice(&[0x00, 0x01]);
    expected.resize(k - t - 1, 0xFF);
    expected.push(0x00);
    expected.extend_from_slice(info);
    expected.extend_from_slice(digest);
    Ok(em == expected)
}

impl Signature {
    /// Whether this signature names `key` as its issuer (by fingerprint, else by key id; a
    /// signature that names no issuer may be by any key). A version 6 signature is only ever
    /// made by a version 6 key.
    fn names(&self, key: &PublicKey) -> bool {
        if self.version == 6 && key.version != 6 {
            return false;
        }
        // The issuer subpackets are hints (the unhashed ones are not even signed): a key named by
        // either the fingerprint or the key id is tried, and the signature decides.
        let by_fingerprint = self.issuer_fingerprint.as_ref().map(|fp| *fp == key.fingerprint);
        let by_key_id = self.issuer_key_id.map(|id| id == key.key_id);
        match (by_fingerprint, by_key_id) {
            (None, None) => true,
            (a, b) => a == Some(true) || b == Some(true),
        }
    }

    /// Checks this signature over `document` against trusted keys.
    ///
    /// The keys are taken as trusted as they are: binding signatures, expiry, revocation and key
    /// flags are not evaluated, and neither is the signature's own expiry (a critical expiry
    /// subpacket makes the signature unsupported) nor its creation time against a clock; a
    /// signature without a hashed creation time is unsupported. RSA signatures with
    /// SHA-224, SHA-256, SHA-384 or SHA-512 are verified; others are
    /// [`Verification::Unsupported`].
    pub fn verify(&self, document: &[u8], keys: &[PublicKey]) -> Verification {
        let unsupported = |reason: String| Verification::Unsupported { reason };
        if let SignatureType::Other(t) = self.signature_type {
            return unsupported(format!("signature type 0x{t:02X} does not sign a document"));
        }
        if !matches!(
            self.public_key_algorithm,
            PublicKeyAlgorithm::Rsa | PublicKeyAlgorithm::RsaSignOnly
        ) {
            return unsupported(format!(
                "{} signatures are not verified yet (RSA only)",
                self.public_key_algorithm
            ));
        }
        let (Some(info), Some(digest)) = (digest_info(self.hash_algorithm), self.digest(document)) else {
            return unsupported(format!("hash algorithm {} is not accepted", self.hash_algorithm));
        };
        if self.created.is_none() {
            return unsupported("the signature has no creation time in its hashed subpackets".into());
        }
        if let Some(tag) = self.unknown_critical() {
            return unsupported(format!(
                "a critical subpacket of type {tag}, which this reader does not understand"
            ));
        }
        let candidates: Vec<&PublicKey> = keys.iter().filter(|k| self.names(k)).collect();
        let Some(first) = candidates.first() else {
            return Verification::UnknownKey {
                fingerprint: self.issuer_fingerprint.clone(),
                key_id: self.issuer_key_id,
            };
        };
        let bad = Verification::BadSignature {
            fingerprint: first.fingerprint.clone(),
        };
        if digest.get(..2) != Some(&self.hash_prefix[..]) {
            return bad;
        }
        let Some(value) = self.values.first() else {
            return bad;
        };
        let mut reason = None;
        let mut any_bad = false;
        for key in &candidates {
            match rsa_pkcs1v15(key, value, &info, &digest) {
                Ok(true) => {
                    return Verification::Verified {
                        fingerprint: key.fingerprint.clone(),
                    };
                }
                Ok(false) => any_bad = true,
                Err(r) => {
                    reason.get_or_insert(r);
                }
            }
        }
        match reason {
            Some(r) if !any_bad => unsupported(r),
            _ => bad,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rsa_key(n: Vec<u8>, e: Vec<u8>) -> PublicKey {
        PublicKey {
            version: 4,
            created: 0,
            algorithm: PublicKeyAlgorithm::Rsa,
            material: KeyMaterial::Rsa { n, e },
            fingerprint: Fingerprint(vec![1; 20]),
            key_id: KeyId([1; 8]),
            primary: None,
            user_ids: Vec::new(),
        }
    }

    #[test]
    fn the_encoding_is_compared_whole() {
        // An odd 2048-bit modulus and e = 3: s = 1 gives s^e = 1, no valid encoding.
        let mut n = vec![0xFF; 256];
        n[255] = 0xFD;
        let key = rsa_key(n.clone(), vec![3]);
        let info = &digest_info(HashAlgorithm::Sha256).expect("info");
        // The SHA-256 prefix as RFC 9580 §5.2.2 spells it.
        assert_eq!(
            info[..],
            [
                0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
                0x05, 0x00, 0x04, 0x20
            ]
        );
        assert_eq!(rsa_pkcs1v15(&key, &[1], info, &[0; 32]), Ok(false));
        // A value not below the modulus is bad, not an error.
        assert_eq!(rsa_pkcs1v15(&key, &n, info, &[0; 32]), Ok(false));
        // Small or even moduli and even, tiny or huge exponents are refused with a reason.
        assert!(rsa_pkcs1v15(&rsa_key(vec![0xFF; 128], vec![3]), &[1], info, &[0; 32]).is_err());
        let mut even = n.clone();
        even[255] = 0xFE;
        assert!(rsa_pkcs1v15(&rsa_key(even, vec![3]), &[1], info, &[0; 32]).is_err());
        assert!(rsa_pkcs1v15(&rsa_key(n.clone(), vec![4]), &[1], info, &[0; 32]).is_err());
        assert!(rsa_pkcs1v15(&rsa_key(n, vec![1; 9]), &[1], info, &[0; 32]).is_err());
        assert!(digest_info(HashAlgorithm::Sha1).is_none());
    }
}
