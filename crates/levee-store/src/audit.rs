//! The audit chain: every entry's hash covers its own fields and the hash of the entry before it,
//! so editing, deleting or reordering a stored entry breaks the chain at that entry.

use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened to an attempted action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done and committed.
    Ok,
    /// Refused for the credentials: none, unknown, expired, revoked, or too small a role.
    Denied,
    /// Refused for the request: bad input, a stale ETag, limits.
    Rejected,
}

impl Outcome {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Rejected => "rejected",
        }
    }
}

/// An entry to append: the store adds the sequence number, the previous hash and its own hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditDraft {
    /// Who: a user name, or `anonymous`.
    pub actor: String,
    /// What, as `noun.verb`: `project.push`, `finding.triage`, `token.revoke`.
    pub action: String,
    /// On what: `project:water-treatment`, `finding:water-treatment/…`.
    pub target: String,
    /// What came of it.
    pub outcome: Outcome,
    /// A short free text (the HTTP status and problem type for refusals).
    pub detail: String,
    /// The hash of the target's state before (an ETag without quotes), when it existed.
    pub before: Option<String>,
    /// The hash of its state after, when it exists.
    pub after: Option<String>,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its place in the chain, from 1.
    pub seq: i64,
    /// When, in Unix milliseconds.
    pub at: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// On what.
    pub target: String,
    /// `ok`, `denied` or `rejected`.
    pub outcome: String,
    /// Free text.
    pub detail: String,
    /// Hash before.
    pub before: Option<String>,
    /// Hash after.
    pub after: Option<String>,
    /// The previous entry's hash ([`GENESIS`] for the first).
    pub prev: String,
    /// This entry's hash ([`entry_hash`]).
    pub hash: String,
}

/// The hash of an entry: SHA-256 over every field, each length-prefixed so no two different entries
/// encode alike, and the previous hash.
pub fn entry_hash(e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field("levee-audit/1");
    field(&e.seq.to_string());
    field(&e.at.to_string());
    field(&e.actor);
    field(&e.action);
    field(&e.target);
    field(&e.outcome);
    field(&e.detail);
    field(e.before.as_deref().unwrap_or("-"));
    field(e.after.as_deref().unwrap_or("-"));
    field(&e.prev);
    hex(&h.finalize())
}

/// Where a chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The first entry that does not verify.
    pub seq: i64,
    /// Why.
    pub reason: String,
}

/// Checks a chain entry by entry, in sequence order, with memory that does not grow.
#[derive(Debug, Clone)]
pub struct Verifier {
    prev: String,
    next: i64,
}

impl Default for Verifier {
    fn default() -> Verifier {
        Verifier {
            prev: GENESIS.to_owned(),
            next: 1,
        }
    }
}

impl Verifier {
    /// Checks the next entry.
    pub fn push(&mut self, e: &AuditEntry) -> Result<(), Break> {
        let broken = |seq: i64, reason: String| Err(Break { seq, reason });
        if e.seq != self.next {
            return broken(
                self.next,
                format!(
                    "entry {} is missing (the next stored entry is {})",
                    self.next, e.seq
                ),
            );
        }
        if e.prev != self.prev {
            return broken(
                e.seq,
                "its previous hash is not the hash of the entry before it".into(),
            );
        }
        if entry_hash(e) != e.hash {
            return broken(
                e.seq,
                "its content does not match its hash (the entry was changed)".into(),
            );
        }
        self.prev.clone_from(&e.hash);
        self.next += 1;
        Ok(())
    }

    /// How many entries were checked.
    pub fn checked(&self) -> i64 {
        self.next - 1
    }

    /// Checks the end of the chain against the head the store keeps (`head_seq`, `head_hash`).
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Option<Break> {
        let last = self.next - 1;
        (last != head_seq || self.prev != head_hash).then(|| Break {
            seq: self.next.min(head_seq.max(1)),
            reason: format!(
                "the chain ends at entry {last} but the store's head says {head_seq} (entries were removed at the end)"
            ),
        })
    }
}

/// Checks entries given in sequence order against each other and against the store's head;
/// `None` when the chain is whole.
pub fn verify<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
    head_seq: i64,
    head_hash: &str,
) -> Option<Break> {
    let mut v = Verifier::default();
    for e in entries {
        if let Err(b) = v.push(e) {
            return Some(b);
        }
    }
    v.finish(head_seq, head_hash)
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at: 1000 + seq,
                    actor: "ana".into(),
                    action: "project.push".into(),
                    target: "project:p".into(),
                    outcome: "ok".into(),
                    detail: String::new(),
                    before: None,
                    after: Some(format!("{seq:064}")),
                    prev: prev.clone(),
                    hash: String::new(),
                };
                e.hash = entry_hash(&e);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn a_changed_removed_or_truncated_entry_is_named() {
        let c = chain(5);
        let head = c[4].hash.clone();
        assert_eq!(verify(&c, 5, &head), None);
        let mut edited = c.clone();
        edited[2].actor = "mallory".into();
        assert_eq!(verify(&edited, 5, &head).map(|b| b.seq), Some(3));
        let mut rehashed = edited.clone();
        rehashed[2].hash = entry_hash(&rehashed[2]);
        assert_eq!(verify(&rehashed, 5, &head).map(|b| b.seq), Some(4));
        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(verify(&removed, 5, &head).map(|b| b.seq), Some(2));
        assert_eq!(verify(&c[..4], 5, &head).map(|b| b.seq), Some(5));
    }

    #[test]
    fn fields_cannot_shift_into_each_other() {
        let mut a = chain(1).remove(0);
        let mut b = a.clone();
        a.actor = "ab".into();
        a.action = "c".into();
        b.actor = "a".into();
        b.action = "bc".into();
        assert_ne!(entry_hash(&a), entry_hash(&b));
    }
}
