//! Joining the records of every source file into one [`Snapshot`], by rules that make the result
//! a function of the set of inputs, whatever order they were found in.
//!
//! - Advisories: all of them, sorted by id then source. When one source has the same id twice (two
//!   revisions of a CSAF document, the same OSV record in two files), the one with the latest
//!   `modified` stays; on a tie, the one from the smaller content digest.
//! - KEV: when several catalogs were imported, the one with the highest `catalogVersion` (then the
//!   smaller digest) provides both the KEV map and the KEV advisories; the others are superseded.
//! - EPSS: every table's rows; when two tables score the same CVE, the later score date wins (a
//!   table without a date counts as the oldest), then the larger digest.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use levee_advisory::Advisory;
use levee_vuln::snapshot::{EpssInfo, Snapshot, SourceFile};

use crate::records::Records;

/// The records of one block and the digest of the content they came from.
pub(crate) struct Block {
    /// SHA-256 of the source content.
    pub sha256: String,
    /// The records.
    pub records: Records,
}

/// An EPSS table: its date, its digest, its rows.
type EpssTable = (Option<String>, String, Vec<(String, EpssInfo)>);

/// Builds the snapshot: `blocks` sorted by digest (then name), `sources` the manifest.
pub(crate) fn assemble(id: String, sources: Vec<SourceFile>, blocks: Vec<Block>) -> Snapshot {
    let capacity = blocks
        .iter()
        .map(|b| match &b.records {
            Records::Advisories(a) | Records::Kev { advisories: a, .. } => a.len(),
            Records::Epss { .. } => 0,
        })
        .sum();
    let mut advisories: Vec<Advisory> = Vec::with_capacity(capacity);
    let mut kev: Option<(String, String, Vec<_>, Vec<Advisory>)> = None;
    let mut epss_tables: Vec<EpssTable> = Vec::new();
    for block in blocks {
        match block.records {
            Records::Advisories(mut a) => advisories.append(&mut a),
            Records::Kev {
                version,
                entries,
                advisories: a,
            } => {
                let better = kev
                    .as_ref()
                    .is_none_or(|(v, d, ..)| (&version, Reverse(&block.sha256)) > (v, Reverse(d)));
                if better {
                    kev = Some((version, block.sha256, entries, a));
                }
            }
            Records::Epss { date, rows } => epss_tables.push((date, block.sha256, rows)),
        }
    }
    let (kev_version, kev) = match kev {
        Some((version, _, entries, mut a)) => {
            advisories.append(&mut a);
            (Some(version), entries.into_iter().collect())
        }
        None => (None, BTreeMap::new()),
    };
    let epss_date = epss_tables.iter().filter_map(|t| t.0.clone()).max();
    let rows = merge_epss(epss_tables);
    let epss: BTreeMap<String, EpssInfo> = rows.into_iter().collect();

    // Blocks arrive in digest order, so a stable sort keeps the smaller digest first on ties.
    // Advisories are large: sort indexes, then move each advisory once.
    let mut order: Vec<usize> = (0..advisories.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&advisories[i], &advisories[j]);
        a.id.cmp(&b.id)
            .then_with(|| a.source.cmp(&b.source))
            .then_with(|| b.modified.cmp(&a.modified))
    });
    permute(&mut advisories, &order);
    advisories.dedup_by(|later, first| later.id == first.id && later.source == first.source);

    let mut snapshot = Snapshot {
        id,
        sources,
        advisories,
        kev,
        kev_version,
        epss,
        epss_date,
    };
    snapshot.canonicalise();
    snapshot
}

/// Joins EPSS tables (each sorted by CVE) into one sorted list with one row per CVE.
fn merge_epss(mut tables: Vec<EpssTable>) -> Vec<(String, EpssInfo)> {
    let total = tables.iter().map(|t| t.2.len()).sum();
    let mut rows: Vec<(String, EpssInfo)> = Vec::with_capacity(total);
    // The usual case, one table per CVE year: the tables do not overlap, so concatenating them in
    // the order of their first CVE gives a sorted list.
    tables.sort_by(|a, b| a.2.first().map(|r| &r.0).cmp(&b.2.first().map(|r| &r.0)));
    let disjoint = tables.windows(2).all(|w| match (w[0].2.last(), w[1].2.first()) {
        (Some(last), Some(first)) => last.0 < first.0,
        _ => true,
    }) && tables.iter().all(|t| t.2.windows(2).all(|w| w[0].0 < w[1].0));
    if !disjoint {
        // Newest table first (a table without a date is the oldest), then the larger digest; the
        // stable sort by CVE keeps the first row of each CVE.
        tables.sort_by(|a, b| (&b.0, &b.1).cmp(&(&a.0, &a.1)));
    }
    for (_, _, mut r) in tables {
        rows.append(&mut r);
    }
    if !disjoint {
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows.dedup_by(|later, first| later.0 == first.0);
    }
    rows
}

/// Reorders `v` so that the new `v[k]` is the old `v[order[k]]`, moving each element once.
/// `order` must be a permutation of `0..v.len()`.
fn permute<T>(v: &mut [T], order: &[usize]) {
    let mut done = vec![false; v.len()];
    for start in 0..v.len() {
        if done[start] {
            continue;
        }
        let mut k = start;
        loop {
            done[k] = true;
            let src = order[k];
            if src == start {
                break;
            }
            v.swap(k, src);
            k = src;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use levee_advisory::Source;
    use levee_vuln::snapshot::KevInfo;

    fn adv(id: &str, modified: &str) -> Advisory {
        let mut a = Advisory::new(id, Source::Osv);
        a.modified = Some(modified.into());
        a
    }

    fn kev(version: &str, cve: &str) -> Records {
        Records::Kev {
            version: version.into(),
            entries: vec![(
                cve.into(),
                KevInfo {
                    date_added: "2024-01-01".into(),
                    due_date: "2024-02-01".into(),
                    ransomware: false,
                    vendor_project: "V".into(),
                    product: "P".into(),
                },
            )],
            advisories: vec![Advisory::new(cve, Source::Kev)],
        }
    }

    fn epss(date: Option<&str>, score: f64) -> Records {
        Records::Epss {
            date: date.map(str::to_owned),
            rows: vec![(
                "CVE-2024-0001".into(),
                EpssInfo {
                    score,
                    percentile: 0.5,
                },
            )],
        }
    }

    fn block(sha: &str, records: Records) -> Block {
        Block {
            sha256: sha.into(),
            records,
        }
    }

    #[test]
    fn permutation_moves_each_element_to_its_place() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut v, &[3, 0, 4, 1, 2]);
        assert_eq!(v, ['d', 'a', 'e', 'b', 'c']);
    }

    #[test]
    fn duplicates_resolve_by_date_then_digest() {
        let s = assemble(
            "id".into(),
            Vec::new(),
            vec![
                block(
                    "a",
                    Records::Advisories(vec![adv("GO-1", "2023"), adv("GO-2", "2020")]),
                ),
                block("b", Records::Advisories(vec![adv("GO-1", "2024")])),
                block("c", kev("2025.01.01", "CVE-2024-0001")),
                block("d", kev("2024.01.01", "CVE-2023-0001")),
                block("e", epss(Some("2024-01-02"), 0.9)),
                block("f", epss(None, 0.1)),
                block("g", epss(Some("2024-01-01"), 0.2)),
            ],
        );
        let ids: Vec<(&str, Option<&str>)> = s
            .advisories
            .iter()
            .map(|a| (a.id.as_str(), a.modified.as_deref()))
            .collect();
        assert_eq!(
            ids,
            [
                ("CVE-2024-0001", None),
                ("GO-1", Some("2024")),
                ("GO-2", Some("2020"))
            ]
        );
        assert_eq!(s.kev_version.as_deref(), Some("2025.01.01"));
        assert_eq!(s.kev.keys().collect::<Vec<_>>(), ["CVE-2024-0001"]);
        assert_eq!(s.epss["CVE-2024-0001"].score, 0.9);
        assert_eq!(s.epss_date.as_deref(), Some("2024-01-02"));
    }
}
