//! The laws of every scheme's order, checked on versions built from random pieces: comparison is
//! antisymmetric and reflexive, equality agrees with it, and the order is transitive.
//!
//! Maven is the exception to transitivity: Maven's own `ComparableVersion` is not transitive for
//! some unusual strings, and Levee keeps Maven's results (see `src/maven.rs`).

use std::cmp::Ordering;

use levee_version::{Scheme, Version};

/// A xorshift generator: deterministic, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % 1_000_003).unwrap_or(0)
    }
}

const PIECES: &[&str] = &[
    "0", "1", "2", "10", "01", ".", "-", "_", "+", "~", "^", ":", "a", "b", "c", "x", "p", "r", "k", "sp",
    "rc", "ga", "alpha", "beta", "pre", "dev", "post", "final", "snapshot", "V", "SP", "HF", "U", "Update",
    "R", " ", "z", "-r", "_p", "_rc", "1.1.1", "3.0.0",
];

fn versions(scheme: Scheme, rng: &mut Rng, want: usize) -> Vec<Version> {
    let mut out = Vec::new();
    for _ in 0..200_000 {
        if out.len() == want {
            break;
        }
        let n = 1 + rng.next() % 6;
        let s: String = (0..n).map(|_| PIECES[rng.next() % PIECES.len()]).collect();
        if let Ok(v) = Version::parse(scheme, &s) {
            out.push(v);
        }
    }
    out
}

fn cmp(a: &Version, b: &Version) -> Ordering {
    a.compare(b).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_scheme_orders_consistently() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for scheme in Scheme::ALL {
        let vs = versions(*scheme, &mut rng, 90);
        assert!(
            vs.len() >= 20 || *scheme == Scheme::Openssl,
            "{scheme}: only {} versions",
            vs.len()
        );
        for a in &vs {
            assert_eq!(cmp(a, a), Ordering::Equal, "{scheme}: {a} = {a}");
            for b in &vs {
                let ab = cmp(a, b);
                assert_eq!(ab, cmp(b, a).reverse(), "{scheme}: {a} vs {b}");
                assert_eq!(ab == Ordering::Equal, a == b, "{scheme}: {a} == {b}");
                if *scheme == Scheme::Maven || ab == Ordering::Greater {
                    continue;
                }
                for c in &vs {
                    let bc = cmp(b, c);
                    if bc == Ordering::Greater {
                        continue;
                    }
                    let want = if ab == Ordering::Equal && bc == Ordering::Equal {
                        Ordering::Equal
                    } else {
                        Ordering::Less
                    };
                    assert_eq!(cmp(a, c), want, "{scheme}: {a} {ab:?} {b} {bc:?} {c}");
                }
            }
        }
    }
}

/// The cycle Maven's order has, kept on purpose: if it disappears, update `src/maven.rs`.
#[test]
fn maven_keeps_mavens_cycle() {
    let v = |s| Version::parse(Scheme::Maven, s).unwrap_or_else(|e| panic!("{e}"));
    let (a, b, c) = (v("u"), v("u0prefinalga"), v("u0.snapshot"));
    assert!(a < b && b < c && c < a);
}
