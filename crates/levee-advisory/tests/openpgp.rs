//! The OpenPGP reader on real data: every detached signature CISA publishes in the shared corpus,
//! and fixtures signed by throwaway keys (`tests/data/openpgp/`; only their public keys are kept):
//! with GnuPG an RSA-3072 signer, an RSA-2048 key with an RSA signing subkey and an Ed25519 key
//! (version 4); with OpenPGP.js 6 an RSA-3072 version 6 key and version 6 signatures (RFC 9580).
//! The expected fingerprints are the ones those programs printed when they made the keys.

use std::fs;
use std::path::{Path, PathBuf};

use levee_advisory::ErrorKind;
use levee_advisory::openpgp::{
    HashAlgorithm, KeyMaterial, PublicKey, PublicKeyAlgorithm, Signature, SignatureType, Verification,
    read_public_keys, read_signatures,
};

use crate::support::{data_dir, files, par_map};

/// CISA's signing key, as `gpg --list-packets` names it in every `.asc` of the corpus.
const CISA: &str = "144AED0A57BE7D4AE835D9D8CAC5AC4F74164B17";
const SIGNER: &str = "73D8812B68110EC6CD0242993F9075F37EDFD1CB";
const OTHER: &str = "E627232CD1C9F320930BC919B31AEF831EFC1FB8";
const OTHER_SUBKEY: &str = "D7F6412A28656B08C7132DAA56E1241619ED3432";
const ED25519: &str = "F74E7BBC9C0592530897D05C6454C2D143A6F2F5";
const V6: &str = "2C09826724714764AE4D01D64AABCE8DAC7067766DAC489323E9CA21A469D537";
const V6_SUBKEY: &str = "4B45C7A2FD4E1601F31FEF1A3D2FD722D9562D7CBA853A155753BF51E8EE8853";

fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/openpgp")
        .join(name);
    fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn keys(name: &str) -> Vec<PublicKey> {
    read_public_keys(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn one(name: &str) -> Signature {
    let mut s = read_signatures(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(s.len(), 1, "{name}");
    s.remove(0)
}

fn fingerprint(v: &Verification) -> Option<String> {
    match v {
        Verification::Verified { fingerprint } => Some(fingerprint.to_string()),
        _ => None,
    }
}

#[test]
fn every_cisa_signature_reads_and_quick_checks() {
    let Some(data) = data_dir("cisa-csaf") else { return };
    let ascs: Vec<PathBuf> = files(&data.join("cisa-csaf"), &|n| n.ends_with(".json.asc"));
    let outcomes = par_map(&ascs, |path, bytes| -> Result<(), String> {
        let name = path.display();
        let sigs = read_signatures(bytes).map_err(|e| format!("{name}: {e}"))?;
        let [s] = sigs.as_slice() else {
            return Err(format!("{name}: {} signatures", sigs.len()));
        };
        let issuer = s.issuer_fingerprint.as_ref().map(ToString::to_string);
        if issuer.as_deref() != Some(CISA) {
            return Err(format!("{name}: issuer {issuer:?}"));
        }
        let id = s.issuer_key_id.map(|k| k.to_string()).unwrap_or_default();
        if !CISA.ends_with(&id) || id.len() != 16 {
            return Err(format!("{name}: key id {id} does not end the fingerprint"));
        }
        if (s.version, s.signature_type, s.public_key_algorithm)
            != (4, SignatureType::Binary, PublicKeyAlgorithm::Rsa)
            || s.created.is_none()
        {
            return Err(format!("{name}: {s:?}"));
        }
        let doc_path = path.with_extension("");
        let mut doc = fs::read(&doc_path).map_err(|e| format!("{}: {e}", doc_path.display()))?;
        if !s.quick_check(&doc) {
            return Err(format!("{name}: the quick check fails on the published document"));
        }
        let middle = doc.len() / 2;
        doc[middle] ^= 0x01;
        if s.quick_check(&doc) {
            return Err(format!(
                "{name}: the quick check passes with byte {middle} changed"
            ));
        }
        // Without CISA's key the signature cannot be verified, and says whose it is.
        match s.verify(&doc, &keys("signer.pub.asc")) {
            Verification::UnknownKey {
                fingerprint: Some(fp),
                ..
            } if fp.to_string() == CISA => Ok(()),
            other => Err(format!("{name}: {other:?}")),
        }
    });
    let failures: Vec<String> = outcomes.into_iter().filter_map(Result::err).collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The corpus keeps the signatures of 2024 only: 344 OT and 4 IT advisories.
    assert_eq!(ascs.len(), 348, "signatures in the corpus");
    let hashes: std::collections::BTreeSet<String> = ascs
        .iter()
        .filter_map(|p| read_signatures(&fs::read(p).ok()?).ok())
        .map(|s| s[0].hash_algorithm.to_string())
        .collect();
    assert_eq!(
        hashes.into_iter().collect::<Vec<_>>(),
        ["SHA-256", "SHA-512"],
        "CISA signs with both"
    );
}

#[test]
fn public_keys_read_with_their_fingerprints() {
    let signer = keys("signer.pub.asc");
    assert_eq!(signer.len(), 1);
    assert_eq!(signer[0].fingerprint.to_string(), SIGNER);
    assert_eq!(signer[0].key_id.to_string(), SIGNER[24..]);
    assert_eq!(signer[0].user_ids, ["Levee test signer <signer@example.invalid>"]);
    let KeyMaterial::Rsa { n, e } = &signer[0].material else {
        panic!("not RSA: {:?}", signer[0].material)
    };
    assert_eq!(
        (n.len(), e.as_slice()),
        (384, &[1, 0, 1][..]),
        "RSA-3072, e = 65537"
    );
    // The binary export reads to the same key.
    assert_eq!(keys("signer.pub.gpg"), signer);

    let other = keys("other.pub.asc");
    let fps: Vec<String> = other.iter().map(|k| k.fingerprint.to_string()).collect();
    assert_eq!(fps, [OTHER, OTHER_SUBKEY]);
    assert_eq!(
        other[1].primary.as_ref().map(ToString::to_string).as_deref(),
        Some(OTHER)
    );
    assert!(other[1].user_ids.is_empty());

    let ed = keys("ed25519.pub.asc");
    assert_eq!(ed[0].fingerprint.to_string(), ED25519);
    assert_eq!(ed[0].algorithm, PublicKeyAlgorithm::EdDsaLegacy);
    let KeyMaterial::EdDsaLegacy { curve, point } = &ed[0].material else {
        panic!("not EdDSA: {:?}", ed[0].material)
    };
    assert_eq!(curve, &[0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01]);
    assert_eq!((point.len(), point[0]), (33, 0x40));
}

#[test]
fn signatures_verify_against_the_right_key_only() {
    let doc = fixture("advisory.json");
    let signer = keys("signer.pub.asc");
    let other = keys("other.pub.asc");
    let mut all = signer.clone();
    all.extend(other.clone());

    for (name, hash) in [
        ("advisory.json.asc", HashAlgorithm::Sha512),
        ("advisory.json.sig", HashAlgorithm::Sha256),
        ("advisory.json.text.asc", HashAlgorithm::Sha384),
    ] {
        let s = one(name);
        assert_eq!(s.hash_algorithm, hash, "{name}");
        assert!(s.quick_check(&doc), "{name}");
        assert_eq!(
            fingerprint(&s.verify(&doc, &signer)).as_deref(),
            Some(SIGNER),
            "{name}"
        );
        assert_eq!(
            fingerprint(&s.verify(&doc, &all)).as_deref(),
            Some(SIGNER),
            "{name}"
        );
        match s.verify(&doc, &other) {
            Verification::UnknownKey { fingerprint, key_id } => {
                assert_eq!(fingerprint.map(|f| f.to_string()).as_deref(), Some(SIGNER));
                assert_eq!(key_id.map(|k| k.to_string()).as_deref(), Some(&SIGNER[24..]));
            }
            v => panic!("{name}: {v:?}"),
        }
        let mut tampered = doc.clone();
        tampered[100] ^= 0x20;
        assert!(!s.quick_check(&tampered), "{name}");
        assert!(
            matches!(s.verify(&tampered, &signer), Verification::BadSignature { ref fingerprint } if fingerprint.to_string() == SIGNER),
            "{name}"
        );
    }

    // A signing subkey: the result names the subkey.
    let s = one("advisory.json.other.asc");
    assert_eq!(
        fingerprint(&s.verify(&doc, &other)).as_deref(),
        Some(OTHER_SUBKEY)
    );
    assert!(matches!(s.verify(&doc, &signer), Verification::UnknownKey { .. }));

    // Text signatures hash CRLF line ends, so the CRLF spelling of the document verifies too; a
    // binary signature does not.
    let crlf: Vec<u8> = String::from_utf8(doc.clone())
        .expect("UTF-8")
        .replace('\n', "\r\n")
        .into_bytes();
    assert_eq!(
        fingerprint(&one("advisory.json.text.asc").verify(&crlf, &signer)).as_deref(),
        Some(SIGNER)
    );
    assert!(!one("advisory.json.asc").quick_check(&crlf));

    // EdDSA signatures are read and quick-checked, not verified.
    let ed = one("advisory.json.ed25519.asc");
    assert_eq!(ed.public_key_algorithm, PublicKeyAlgorithm::EdDsaLegacy);
    assert_eq!(ed.values.len(), 2);
    assert!(ed.quick_check(&doc));
    assert!(matches!(
        ed.verify(&doc, &keys("ed25519.pub.asc")),
        Verification::Unsupported { .. }
    ));
}

#[test]
fn version_6_keys_and_signatures_from_another_implementation() {
    let doc = fixture("advisory.json");
    let v6 = keys("v6.pub.asc");
    let fps: Vec<String> = v6.iter().map(|k| k.fingerprint.to_string()).collect();
    assert_eq!(fps, [V6, V6_SUBKEY]);
    assert_eq!(
        (v6[0].version, v6[0].key_id.to_string()),
        (6, V6[..16].to_owned())
    );
    assert!(matches!(v6[0].material, KeyMaterial::Rsa { ref n, .. } if n.len() == 384));
    for (name, kind) in [
        ("advisory.json.v6.asc", SignatureType::Binary),
        ("advisory.json.v6-text.asc", SignatureType::Text),
    ] {
        let s = one(name);
        assert_eq!((s.version, s.signature_type), (6, kind), "{name}");
        assert_eq!(s.salt.len(), salt_len(s.hash_algorithm), "{name}");
        assert_eq!(
            s.issuer_fingerprint.as_ref().map(ToString::to_string).as_deref(),
            Some(V6)
        );
        assert!(s.quick_check(&doc), "{name}");
        assert_eq!(fingerprint(&s.verify(&doc, &v6)).as_deref(), Some(V6), "{name}");
        assert!(matches!(
            s.verify(&doc, &keys("signer.pub.asc")),
            Verification::UnknownKey { .. }
        ));
        let mut tampered = doc.clone();
        tampered[10] ^= 0x01;
        assert!(!s.quick_check(&tampered), "{name}");
        assert!(
            matches!(s.verify(&tampered, &v6), Verification::BadSignature { .. }),
            "{name}"
        );
    }
}

fn salt_len(h: HashAlgorithm) -> usize {
    match h {
        HashAlgorithm::Sha384 => 24,
        HashAlgorithm::Sha512 => 32,
        _ => 16,
    }
}

#[test]
fn a_changed_signature_value_is_a_bad_signature() {
    // The hash and its left 16 bits still match; only the RSA check can catch this.
    let doc = fixture("advisory.json");
    let mut sig = fixture("advisory.json.sig");
    let last = sig.len() - 1;
    sig[last] ^= 0x01;
    let s = read_signatures(&sig).expect("still reads");
    assert!(s[0].quick_check(&doc));
    assert!(matches!(
        s[0].verify(&doc, &keys("signer.pub.asc")),
        Verification::BadSignature { .. }
    ));
}

#[test]
fn damaged_files_are_clear_errors() {
    let armored = String::from_utf8(fixture("advisory.json.asc")).expect("ASCII");
    let lines: Vec<&str> = armored.lines().collect();
    let crc_line = lines
        .iter()
        .position(|l| l.starts_with('='))
        .expect("checksum line");

    // One changed base64 character: the checksum catches it.
    let data_line = lines[3];
    let swapped = if data_line.starts_with('A') { "B" } else { "A" };
    let damaged = armored.replacen(data_line, &format!("{swapped}{}", &data_line[1..]), 1);
    let e = read_signatures(damaged.as_bytes()).expect_err("crc");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert_eq!(e.location.line, Some(crc_line + 1));

    // A wrong checksum line.
    let crc = lines[crc_line];
    let wrong = if crc == "=AAAA" { "=AAAB" } else { "=AAAA" };
    let e = read_signatures(armored.replace(crc, wrong).as_bytes()).expect_err("crc");
    assert_eq!((e.kind, e.code()), (ErrorKind::Integrity, "integrity"));

    // A character that is not base64, on line 4.
    let e = read_signatures(
        armored
            .replacen(data_line, &format!("*{}", &data_line[1..]), 1)
            .as_bytes(),
    )
    .expect_err("base64");
    assert_eq!((e.kind, e.location.line), (ErrorKind::OpenPgp, Some(4)), "{e}");
    assert!(e.to_string().contains("line 4"), "{e}");

    // No END line; a public key where a signature belongs, and the other way round.
    let e = read_signatures(armored.replace("-----END PGP SIGNATURE-----", "").as_bytes()).expect_err("end");
    assert!(e.message.contains("END"), "{e}");
    let e = read_signatures(&fixture("signer.pub.asc")).expect_err("a key");
    assert!(e.message.contains("PUBLIC KEY BLOCK"), "{e}");
    assert!(read_public_keys(&fixture("advisory.json.sig")).is_err());
    let e =
        read_public_keys(b"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n-----END PGP PRIVATE KEY BLOCK-----\n")
            .expect_err("secret");
    assert!(e.message.contains("secret key"), "{e}");
    assert!(read_signatures(b"{\"not\": \"a signature\"}").is_err());
    assert!(read_signatures(b"").is_err());

    // Every truncation of a binary signature and key is an error naming the packet, never a panic.
    for name in ["advisory.json.sig", "signer.pub.gpg"] {
        let bytes = fixture(name);
        for cut in 1..bytes.len() {
            let r = if name.ends_with(".sig") {
                read_signatures(&bytes[..cut]).map(|_| ())
            } else {
                read_public_keys(&bytes[..cut]).map(|_| ())
            };
            // A key file cut between packets is still a valid (shorter) key file.
            if let Err(e) = r {
                assert_eq!(e.kind, ErrorKind::OpenPgp, "{name} cut at {cut}: {e}");
                assert!(
                    e.location
                        .pointer
                        .as_deref()
                        .is_some_and(|p| p.starts_with("/packets/"))
                );
            } else {
                assert!(name.ends_with(".gpg"), "{name} cut at {cut} still reads");
            }
        }
    }
    let e = read_signatures(&fixture("advisory.json.sig")[..100]).expect_err("cut");
    assert!(e.message.contains("cut short"), "{e}");
}

/// Signatures crafted field by field over `crafted/doc.json` with two throwaway RSA-2048 keys
/// (`crafted/A.pub`, `crafted/B.pub`; binary, version 4): the rules verification applies beyond
/// the cryptography.
#[test]
fn crafted_signatures_follow_the_documented_rules() {
    let doc = fixture("crafted/doc.json");
    let a = keys("crafted/A.pub");
    let ab: Vec<PublicKey> = a.iter().cloned().chain(keys("crafted/B.pub")).collect();
    let verify = |name: &str, keys: &[PublicKey]| one(&format!("crafted/{name}")).verify(&doc, keys);
    let good = verify("good.sig", &a);
    assert!(matches!(good, Verification::Verified { .. }), "{good}");
    // A critical expiry is not evaluated, so it is not understood: the signature is refused.
    let expired = verify("expired_critical.sig", &a);
    assert!(
        matches!(&expired, Verification::Unsupported { reason } if reason.contains("critical")),
        "{expired}"
    );
    // RFC 9580 requires a hashed creation time.
    let bare = verify("no_creation.sig", &a);
    assert!(
        matches!(&bare, Verification::Unsupported { reason } if reason.contains("creation time")),
        "{bare}"
    );
    // An unsigned (unhashed) issuer fingerprint naming B cannot stop A's good signature from
    // verifying: every key the issuer hints name is tried.
    let misnamed = verify("unhashed_names_B.sig", &ab);
    assert!(matches!(misnamed, Verification::Verified { .. }), "{misnamed}");
    // A creation time in the future is not checked against a clock (documented).
    let future = verify("future.sig", &a);
    assert!(matches!(future, Verification::Verified { .. }), "{future}");
}

#[test]
fn packet_and_subpacket_counts_are_bounded() {
    // 4,097 marker packets (tag 10, body "PGP").
    let marker = [0xCA, 0x03, b'P', b'G', b'P'];
    let many: Vec<u8> = marker.iter().copied().cycle().take(marker.len() * 4097).collect();
    let e = read_signatures(&many).expect_err("too many packets");
    assert!(e.message.contains("4096 packets"), "{e}");
    assert_eq!(e.kind, ErrorKind::Limit, "{e}");

    // A version 4 signature whose hashed area holds 257 "features" subpackets.
    let subpackets: Vec<u8> = [0x02, 0x1E, 0x01].iter().copied().cycle().take(3 * 257).collect();
    let mut body = vec![4, 0x00, 1, 8];
    body.extend_from_slice(&u16::try_from(subpackets.len()).expect("fits").to_be_bytes());
    body.extend_from_slice(&subpackets);
    body.extend_from_slice(&[0, 0, 0xAB, 0xCD, 0, 8, 0x7F]);
    let len = body.len() - 192;
    let mut packet = vec![
        0xC2,
        u8::try_from((len >> 8) + 192).expect("two-octet"),
        (len & 0xFF) as u8,
    ];
    packet.extend_from_slice(&body);
    let e = read_signatures(&packet).expect_err("too many subpackets");
    assert!(e.message.contains("256 subpackets"), "{e}");
}
