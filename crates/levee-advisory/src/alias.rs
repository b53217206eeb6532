//! The alias graph: one canonical id per vulnerability across CVE, GHSA, OSV ids (GO, PYSEC,
//! RUSTSEC, …) and the ids of CSAF documents.
//!
//! True aliases (an OSV record's `id` and `aliases`, a CSAF vulnerability's CVE and `ids`) are
//! merged with union-find. A CSAF document id (`ICSA-24-004-01`) names a document that may cover
//! many vulnerabilities, so it is never merged: it maps to every group its vulnerabilities are in.
//!
//! The canonical id of a group is its CVE (the lowest by year and number when a group has
//! several), else its GHSA id, else the smallest other id. Output is sorted, so it does not depend
//! on insertion order.
//!
//! ```
//! use levee_advisory::alias::AliasGraph;
//!
//! let mut g = AliasGraph::new();
//! g.add_aliases(["GO-2021-0113", "CVE-2021-38561", "GHSA-ppp9-7jff-5vj2"]);
//! g.add_aliases(["PYSEC-2021-1", "ghsa-PPP9-7jff-5vj2"]);
//! g.add_document("ICSA-24-004-01", ["CVE-2021-38561", "CVE-2023-0001"]);
//! assert_eq!(g.canonical("PYSEC-2021-1").as_deref(), Some("CVE-2021-38561"));
//! assert_eq!(g.resolve("ICSA-24-004-01"), ["CVE-2021-38561", "CVE-2023-0001"]);
//! ```

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;

use crate::model::{Advisory, Source};
use crate::util::is_cve;

/// A group of ids that name one vulnerability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasGroup {
    /// The canonical id.
    pub canonical: String,
    /// Every id in the group, canonical included, sorted.
    pub ids: Vec<String>,
}

/// Union-find over vulnerability ids.
#[derive(Debug, Clone, Default)]
pub struct AliasGraph {
    index: HashMap<String, usize>,
    names: Vec<String>,
    parent: Vec<usize>,
    /// The members of each root's group (empty for non-roots).
    members: Vec<Vec<usize>>,
    documents: BTreeMap<String, BTreeSet<usize>>,
}

/// The spelling an id is stored under: CVE ids upper case, GHSA ids as `GHSA-` plus lower case,
/// others trimmed.
pub fn normalize_id(id: &str) -> String {
    let id = id.trim();
    if is_cve(id) {
        id.to_ascii_uppercase()
    } else if let Some(rest) = id
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("GHSA-"))
        .and(id.get(5..))
    {
        format!("GHSA-{}", rest.to_ascii_lowercase())
    } else {
        id.to_owned()
    }
}

/// Orders ids by preference as the canonical id: CVE (by year, then number), GHSA, others.
fn preference(id: &str) -> (u8, u64, u64, &str) {
    if is_cve(id) {
        let year = id[4..8].parse().unwrap_or(u64::MAX);
        let num = id[9..].parse().unwrap_or(u64::MAX);
        (0, year, num, id)
    } else if id.starts_with("GHSA-") {
        (1, 0, 0, id)
    } else {
        (2, 0, 0, id)
    }
}

impl AliasGraph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    fn node(&mut self, id: &str) -> Option<usize> {
        let id = normalize_id(id);
        if id.is_empty() {
            return None;
        }
        if let Some(&i) = self.index.get(&id) {
            return Some(i);
        }
        let i = self.names.len();
        self.names.push(id.clone());
        self.parent.push(i);
        self.members.push(vec![i]);
        self.index.insert(id, i);
        Some(i)
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn find_const(&self, mut i: usize) -> usize {
        while self.parent[i] != i {
            i = self.parent[i];
        }
        i
    }

    /// Records that all these ids name the same vulnerability.
    pub fn add_aliases<I, S>(&mut self, ids: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut first = None;
        for id in ids {
            let Some(n) = self.node(id.as_ref()) else { continue };
            match first {
                None => first = Some(n),
                Some(f) => {
                    let (a, b) = (self.find(f), self.find(n));
                    if a != b {
                        // Attach the larger index below the smaller: deterministic.
                        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                        self.parent[hi] = lo;
                        // Small into large: every id moves O(log n) times.
                        let mut moved = std::mem::take(&mut self.members[hi]);
                        if moved.len() > self.members[lo].len() {
                            std::mem::swap(&mut moved, &mut self.members[lo]);
                        }
                        self.members[lo].extend(moved);
                    }
                }
            }
        }
    }

    /// Records that a document (e.g. a CSAF advisory) covers these vulnerabilities.
    pub fn add_document<I, S>(&mut self, document_id: &str, vulnerability_ids: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let doc = normalize_id(document_id);
        for id in vulnerability_ids {
            if let Some(n) = self.node(id.as_ref()) {
                self.documents.entry(doc.clone()).or_default().insert(n);
            }
        }
    }

    /// Adds what an advisory says: its ids are aliases; a CSAF advisory's document id covers them.
    pub fn add_advisory(&mut self, advisory: &Advisory) {
        let ids: Vec<&str> = advisory.all_ids().collect();
        self.add_aliases(ids.iter().copied());
        if advisory.source == Source::Csaf
            && let Some(doc) = &advisory.document_id
        {
            self.add_document(doc, ids);
        }
    }

    fn canonical_of_root(&self, root: usize) -> &str {
        self.members[root]
            .iter()
            .map(|&i| self.names[i].as_str())
            .min_by(|a, b| preference(a).cmp(&preference(b)))
            .unwrap_or("")
    }

    /// The canonical id of an id's group, or `None` for an unknown id; costs the size of the group.
    pub fn canonical(&self, id: &str) -> Option<String> {
        let &i = self.index.get(&normalize_id(id))?;
        Some(self.canonical_of_root(self.find_const(i)).to_owned())
    }

    /// The canonical ids an id stands for: one for a vulnerability id, one per group for a
    /// document id, none for an unknown id. Sorted.
    pub fn resolve(&self, id: &str) -> Vec<String> {
        let id = normalize_id(id);
        let mut out: BTreeSet<String> = BTreeSet::new();
        if let Some(&i) = self.index.get(&id) {
            out.insert(self.canonical_of_root(self.find_const(i)).to_owned());
        }
        if let Some(nodes) = self.documents.get(&id) {
            for &n in nodes {
                out.insert(self.canonical_of_root(self.find_const(n)).to_owned());
            }
        }
        out.into_iter().collect()
    }

    /// Every group, sorted by canonical id.
    pub fn groups(&self) -> Vec<AliasGroup> {
        let mut members: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for (i, name) in self.names.iter().enumerate() {
            members.entry(self.find_const(i)).or_default().push(name);
        }
        let mut out: Vec<AliasGroup> = members
            .into_values()
            .map(|mut ids| {
                ids.sort_unstable();
                let canonical = ids
                    .iter()
                    .copied()
                    .min_by(|a, b| preference(a).cmp(&preference(b)))
                    .unwrap_or("");
                AliasGroup {
                    canonical: canonical.to_owned(),
                    ids: ids.into_iter().map(str::to_owned).collect(),
                }
            })
            .collect();
        out.sort_by(|a, b| preference(&a.canonical).cmp(&preference(&b.canonical)));
        out
    }

    /// A map from every id to its canonical id, built in one pass.
    pub fn canonical_map(&self) -> std::collections::HashMap<String, String> {
        let mut out = std::collections::HashMap::with_capacity(self.names.len());
        for g in self.groups() {
            for id in g.ids {
                out.insert(id, g.canonical.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_deterministic_and_prefer_the_lowest_cve() {
        let mut a = AliasGraph::new();
        a.add_aliases(["GHSA-x", "CVE-2022-0002"]);
        a.add_aliases(["CVE-2021-0009", "GHSA-x"]);
        a.add_aliases(["RUSTSEC-2020-0001"]);
        let mut b = AliasGraph::new();
        b.add_aliases(["RUSTSEC-2020-0001"]);
        b.add_aliases(["CVE-2021-0009", "GHSA-x"]);
        b.add_aliases(["GHSA-x", "CVE-2022-0002"]);
        assert_eq!(a.groups(), b.groups());
        assert_eq!(a.canonical("ghsa-X").as_deref(), Some("CVE-2021-0009"));
        assert_eq!(a.groups()[1].canonical, "RUSTSEC-2020-0001");
        assert_eq!(a.resolve("nothing"), Vec::<String>::new());
    }
}
