//! OpenPGP detached signatures and public keys (RFC 4880, RFC 9580), as CSAF providers publish
//! them beside each document (`<document>.json.asc`).
//!
//! A pure reader, like the rest of this crate: bytes in, data out, no unsafe code and no panic on
//! any input (the `openpgp` fuzz target runs it).
//!
//! - [`read_signatures`] reads an armored (`-----BEGIN PGP SIGNATURE-----`) or binary signature
//!   file: version 4 and 6 signature packets with their type, algorithms, subpackets (creation
//!   time, issuer key id, issuer fingerprint), the left 16 bits of the hash and the signature values.
//! - [`read_public_keys`] reads an armored or binary transferable public key (`gpg --export`):
//!   every primary key and subkey, version 4 (fingerprint SHA-1 over `0x99 ‖ length ‖ body`) and
//!   version 6 (SHA-256 over `0x9B ‖ length ‖ body`), RSA and EdDSA key material.
//! - [`Signature::quick_check`] hashes the document as the signature says (binary, or with line
//!   ends made CRLF for a text signature), then the signature's hashed part and trailer, and
//!   compares the left 16 bits with the packet's. **This is an integrity check, not authenticity**:
//!   anyone can compute those 16 bits for any document; what it catches is a document changed or
//!   cut short after it was signed (1 in 65,536 changes passes by chance).
//! - [`Signature::verify`] checks the signature against trusted public keys: RSA PKCS#1 v1.5 with
//!   SHA-224, SHA-256, SHA-384 or SHA-512 ([`Verification::Verified`] with the key's fingerprint,
//!   [`Verification::BadSignature`], [`Verification::UnknownKey`],
//!   [`Verification::Unsupported`]). Every key and subkey in the trusted set is trusted as it is:
//!   binding signatures, expiry, revocation and key flags are not evaluated.
//!
//! Errors are [`AdvisoryError`]s of kind [`ErrorKind::OpenPgp`] (malformed armor or packets, an
//! unsupported version) or [`ErrorKind::Integrity`] (an armor checksum that does not match), located
//! by line in the armor or by packet (`#/packets/2`, and the byte offset in the message).
//!
//! ```
//! use levee_advisory::openpgp::{Verification, read_public_keys, read_signatures};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/openpgp/");
//! let document = std::fs::read(format!("{dir}advisory.json")).expect("fixture");
//! let asc = std::fs::read(format!("{dir}advisory.json.asc")).expect("fixture");
//! let keys = read_public_keys(&std::fs::read(format!("{dir}signer.pub.asc")).expect("fixture"))?;
//!
//! let signature = &read_signatures(&asc)?[0];
//! assert!(signature.quick_check(&document));
//! assert!(matches!(signature.verify(&document, &keys), Verification::Verified { .. }));
//! assert!(!signature.quick_check(b"{}"));
//! # Ok::<(), levee_advisory::AdvisoryError>(())
//! ```

mod armor;
mod key;
mod packet;
mod signature;
mod verify;

use std::fmt;

pub use key::{KeyMaterial, PublicKey};
pub use signature::{Signature, Subpacket};
pub use verify::Verification;

use crate::error::{AdvisoryError, ErrorKind, Location, Result};

/// A key fingerprint: 20 bytes for a version 4 key, 32 for version 6. Displayed as upper-case hex.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(pub Vec<u8>);

/// A key id: the low 8 bytes of a version 4 fingerprint, the high 8 of a version 6 one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(pub [u8; 8]);

fn write_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    bytes.iter().try_for_each(|b| write!(f, "{b:02X}"))
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.0)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.0)
    }
}

/// What a signature is over (RFC 9580 §5.2.1); only the first two sign documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureType {
    /// 0x00: the document's bytes as they are.
    Binary,
    /// 0x01: the document as text, with line ends made CRLF before hashing.
    Text,
    /// Any other type (certifications, bindings, revocations, …).
    Other(u8),
}

impl SignatureType {
    fn from_id(id: u8) -> Self {
        match id {
            0x00 => Self::Binary,
            0x01 => Self::Text,
            other => Self::Other(other),
        }
    }
}

macro_rules! algorithms {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $id:literal, $label:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// Any other algorithm id.
            Other(u8),
        }

        impl $name {
            /// The algorithm for an id of the OpenPGP registry.
            pub fn from_id(id: u8) -> Self {
                match id {
                    $($id => Self::$variant,)*
                    other => Self::Other(other),
                }
            }

            /// The id in the OpenPGP registry.
            pub fn id(self) -> u8 {
                match self {
                    $(Self::$variant => $id,)*
                    Self::Other(id) => id,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(Self::$variant => f.write_str($label),)*
                    Self::Other(id) => write!(f, "algorithm {id}"),
                }
            }
        }
    };
}

algorithms! {
    /// A public-key algorithm (RFC 9580 §9.1).
    PublicKeyAlgorithm {
        /// RSA, encrypt or sign.
        Rsa = 1, "RSA";
        /// RSA, sign only (deprecated).
        RsaSignOnly = 3, "RSA (sign only)";
        /// Elgamal, encrypt only.
        Elgamal = 16, "Elgamal";
        /// DSA.
        Dsa = 17, "DSA";
        /// ECDH.
        Ecdh = 18, "ECDH";
        /// ECDSA.
        Ecdsa = 19, "ECDSA";
        /// EdDSA in its version 4 ("legacy") encoding, with a curve OID: Ed25519 in practice.
        EdDsaLegacy = 22, "EdDSA";
        /// X25519.
        X25519 = 25, "X25519";
        /// X448.
        X448 = 26, "X448";
        /// Ed25519 (RFC 9580).
        Ed25519 = 27, "Ed25519";
        /// Ed448 (RFC 9580).
        Ed448 = 28, "Ed448";
    }
}

algorithms! {
    /// A hash algorithm (RFC 9580 §9.5).
    HashAlgorithm {
        /// MD5 (not accepted).
        Md5 = 1, "MD5";
        /// SHA-1 (not accepted for signatures).
        Sha1 = 2, "SHA-1";
        /// RIPEMD-160 (not accepted).
        Ripemd160 = 3, "RIPEMD-160";
        /// SHA-256.
        Sha256 = 8, "SHA-256";
        /// SHA-384.
        Sha384 = 9, "SHA-384";
        /// SHA-512.
        Sha512 = 10, "SHA-512";
        /// SHA-224.
        Sha224 = 11, "SHA-224";
        /// SHA3-256 (not supported yet).
        Sha3_256 = 12, "SHA3-256";
        /// SHA3-512 (not supported yet).
        Sha3_512 = 14, "SHA3-512";
    }
}

impl HashAlgorithm {
    /// Whether this reader can hash with it: the SHA-2 family. MD5, SHA-1 and RIPEMD-160 are
    /// refused for signatures (RFC 9580 §9.5), SHA-3 is not implemented.
    pub fn is_supported(self) -> bool {
        matches!(self, Self::Sha224 | Self::Sha256 | Self::Sha384 | Self::Sha512)
    }

    /// The salt size of a version 6 signature with this hash (RFC 9580 §9.5), when known.
    fn salt_len(self) -> Option<usize> {
        match self {
            Self::Sha224 | Self::Sha256 | Self::Sha3_256 => Some(16),
            Self::Sha384 => Some(24),
            Self::Sha512 | Self::Sha3_512 => Some(32),
            _ => None,
        }
    }
}

/// The armor label of a detached signature.
const SIGNATURE_LABEL: &str = "PGP SIGNATURE";
/// The armor label of a public key.
const PUBLIC_KEY_LABEL: &str = "PGP PUBLIC KEY BLOCK";

/// The binary packets of an input: decoded from armor with `label`, or the input itself.
fn binary(input: &[u8], label: &str) -> Result<Vec<u8>> {
    if input.len() > crate::limits::MAX_INPUT_BYTES {
        return Err(AdvisoryError::new(
            ErrorKind::Limit,
            Location::root(),
            format!(
                "{} bytes is more than the {} an OpenPGP file may have",
                input.len(),
                crate::limits::MAX_INPUT_BYTES
            ),
        ));
    }
    if !armor::is_armored(input) {
        return match input.first() {
            Some(b) if b & 0x80 != 0 => Ok(input.to_vec()),
            _ => Err(AdvisoryError::new(
                ErrorKind::OpenPgp,
                Location::line(1),
                format!("neither ASCII armor (`-----BEGIN {label}-----`) nor binary OpenPGP data"),
            )),
        };
    }
    let mut out = Vec::new();
    for block in armor::decode(input)? {
        if block.label != label {
            let hint = match block.label.as_str() {
                "PGP PRIVATE KEY BLOCK" => "; a secret key must never be given as a trusted key",
                "PGP SIGNED MESSAGE" => " (a cleartext-signed message, not a detached signature)",
                _ => "",
            };
            return Err(AdvisoryError::new(
                ErrorKind::OpenPgp,
                Location::line(block.line),
                format!(
                    "`-----BEGIN {}-----` where `-----BEGIN {label}-----` was expected{hint}",
                    block.label
                ),
            ));
        }
        out.extend_from_slice(&block.data);
    }
    Ok(out)
}

/// Reads every signature of a detached signature file, armored or binary.
///
/// Marker packets are skipped; any other packet is an error, as is a file without a signature.
pub fn read_signatures(input: &[u8]) -> Result<Vec<Signature>> {
    let data = binary(input, SIGNATURE_LABEL)?;
    let mut out = Vec::new();
    for p in packet::packets(&data)? {
        match p.tag {
            2 => out.push(signature::parse(&p)?),
            10 => {}
            _ => return Err(p.unexpected("signature")),
        }
    }
    found(out, "signature")
}

/// Reads every public key and subkey of a transferable public key file (`gpg --export`, armored
/// or not, one key or several). User IDs are kept with their primary key; signatures, trust and
/// user attribute packets are skipped. A secret key is refused.
pub fn read_public_keys(input: &[u8]) -> Result<Vec<PublicKey>> {
    let data = binary(input, PUBLIC_KEY_LABEL)?;
    let mut out: Vec<PublicKey> = Vec::new();
    let mut primary: Option<usize> = None;
    for p in packet::packets(&data)? {
        match p.tag {
            6 => {
                primary = Some(out.len());
                out.push(key::parse(&p, None)?);
            }
            14 => {
                let Some(parent) = primary.and_then(|i| out.get(i)) else {
                    return Err(p.error("a subkey before any primary key"));
                };
                let parent = parent.fingerprint.clone();
                out.push(key::parse(&p, Some(parent))?);
            }
            13 => {
                if let Some(k) = primary.and_then(|i| out.get_mut(i)) {
                    k.user_ids.push(String::from_utf8_lossy(p.body).into_owned());
                }
            }
            2 | 10 | 12 | 17 => {}
            5 | 7 => {
                return Err(p.error("a secret key: give the public key (`gpg --export`), never a secret one"));
            }
            _ => return Err(p.unexpected("public key")),
        }
    }
    found(out, "public key")
}

/// `items`, or an error when there are none.
fn found<T>(items: Vec<T>, what: &str) -> Result<Vec<T>> {
    if items.is_empty() {
        Err(AdvisoryError::new(
            ErrorKind::OpenPgp,
            Location::root(),
            format!("no {what} packet"),
        ))
    } else {
        Ok(items)
    }
}

/// The fuzz target's entry point: reads the input as signatures and as keys, and, split at a point
/// its first byte chooses, as keys followed by a signature over the whole input. Never panics.
#[doc(hidden)]
pub fn fuzz(data: &[u8]) {
    let check = |signatures: &[u8], keys: &[u8]| {
        let keys = read_public_keys(keys).unwrap_or_default();
        for s in read_signatures(signatures).unwrap_or_default() {
            let _ = s.quick_check(data);
            let _ = s.verify(data, &keys);
        }
    };
    check(data, data);
    let split = data
        .first()
        .map_or(0, |&b| (usize::from(b) * data.len() / 256).max(1));
    if let (Some(k), Some(s)) = (data.get(1..split), data.get(split..)) {
        check(s, k);
    }
}
