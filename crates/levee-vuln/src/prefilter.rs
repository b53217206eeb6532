//! Which advisories one SBOM can match, decided before they are decoded.
//!
//! An advisory product can only become a candidate of a component through one of the index's
//! tables ([`crate::index`]), and every table is keyed by something both sides carry: a purl key,
//! an OSV ecosystem key, a file hash, a concrete CPE vendor and product, or a vendor key (the
//! vendor-product, model-number, catalog and fuzzy tables; related vendors included). Products of
//! placeholder-vendor advisories are the one exception (matched on the product name) and are always
//! kept. [`AdvisoryKeys`] is what a store keeps about each source file's advisories (worked out at
//! import); [`Wanted`] is what an SBOM's components look up. A file none of whose keys an SBOM
//! looks up cannot give that SBOM a finding, so an open for one scan need not decode it: the
//! findings are the same as against the whole snapshot (a test in `levee-engine` checks this on the
//! CISA and Go data).
//!
//! [`AdvisoryHead`] is the part of an advisory the alias graph and the snapshot's de-duplication
//! need (ids, source, `modified`), kept for every advisory so that canonical ids and alias lists stay
//! those of the whole snapshot.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use levee_advisory::alias::AliasGraph;
use levee_advisory::{Advisory, Source};
use levee_sbom::Sbom;
use levee_sbom::cpe::Cpe;
use levee_sbom::purl::Purl;

use crate::identity::{ecosystem_key, purl_ecosystem, purl_key};
use crate::index::literal;
use crate::matcher::candidates::vendor_names;
use crate::vendor::{VendorAliases, VendorKey, is_placeholder};

/// The lookup keys of the advisories of one source file, as the index files them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdvisoryKeys {
    /// purl keys (type, namespace, name).
    pub purls: Vec<(String, String, String)>,
    /// OSV ecosystem keys (ecosystem, package name).
    pub ecosystems: Vec<(String, String)>,
    /// File hash values (trimmed, lower case).
    pub hashes: Vec<String>,
    /// Concrete CPE (vendor, product) pairs.
    pub cpes: Vec<(String, String)>,
    /// Vendor names as the advisories write them (resolved when a scan opens the data, with the
    /// alias table of that scan).
    pub vendors: Vec<String>,
    /// Whether a product's vendor is a placeholder (`multiple`): such products match on the
    /// product name, so the file is always kept.
    pub placeholder: bool,
}

impl AdvisoryKeys {
    /// The keys of every affected product the index would file (not KEV, not withdrawn).
    pub fn of(advisories: &[Advisory]) -> AdvisoryKeys {
        let mut k = AdvisoryKeys::default();
        for a in advisories {
            if a.source == Source::Kev || a.withdrawn.is_some() {
                continue;
            }
            for ap in &a.affected {
                let p = &ap.product;
                if let Some(purl) = p.purl.as_deref().and_then(|s| Purl::parse_lenient(s).ok()) {
                    k.purls.push(purl_key(&purl));
                    if let Some(e) = purl_ecosystem(&purl) {
                        k.ecosystems.push(e);
                    }
                }
                if let (Some(eco), Some(name)) = (p.ecosystem.as_deref(), p.name.as_deref()) {
                    k.ecosystems.push(ecosystem_key(eco, name));
                }
                for fh in &p.hashes {
                    k.hashes
                        .extend(fh.hashes.iter().map(|(_, v)| v.trim().to_ascii_lowercase()));
                }
                if let Some(cpe) = p.cpe.as_deref().and_then(|s| Cpe::parse(s).ok())
                    && let (Some(v), Some(pr)) = (literal(cpe.vendor()), literal(cpe.product()))
                {
                    k.cpes.push((v.to_owned(), pr.to_owned()));
                }
                if let Some(v) = p.vendor.as_deref() {
                    k.placeholder |= is_placeholder(v);
                    k.vendors.push(v.to_owned());
                }
            }
        }
        for list in [&mut k.hashes, &mut k.vendors] {
            list.sort();
            list.dedup();
        }
        k.purls.sort();
        k.purls.dedup();
        k.ecosystems.sort();
        k.ecosystems.dedup();
        k.cpes.sort();
        k.cpes.dedup();
        k
    }
}

/// What the components of one SBOM look up in the index.
#[derive(Debug)]
pub struct Wanted<'a> {
    aliases: &'a VendorAliases,
    purls: HashSet<(String, String, String)>,
    ecosystems: HashSet<(String, String)>,
    hashes: HashSet<String>,
    cpes: HashSet<(String, String)>,
    vendors: HashSet<VendorKey>,
    /// Whether a vendor name as an advisory writes it resolves to a wanted key, worked out once.
    resolved: HashMap<String, bool>,
}

impl<'a> Wanted<'a> {
    /// The keys every component of `sbom` looks up, with vendors resolved through `aliases` (the
    /// table the scan matches with).
    pub fn of(sbom: &Sbom, aliases: &'a VendorAliases) -> Wanted<'a> {
        let mut w = Wanted {
            aliases,
            purls: HashSet::new(),
            ecosystems: HashSet::new(),
            hashes: HashSet::new(),
            cpes: HashSet::new(),
            vendors: HashSet::new(),
            resolved: HashMap::new(),
        };
        for c in &sbom.components {
            if let Some(p) = c.effective_purl() {
                w.purls.insert(purl_key(&p));
                if let Some(e) = purl_ecosystem(&p) {
                    w.ecosystems.insert(e);
                }
            }
            for h in &c.hashes {
                w.hashes.insert(h.value.trim().to_ascii_lowercase());
            }
            if let Some(cpe) = &c.cpe
                && let (Some(v), Some(p)) = (literal(cpe.vendor()), literal(cpe.product()))
            {
                w.cpes.insert((v.to_owned(), p.to_owned()));
            }
            for n in vendor_names(c) {
                for k in aliases.resolve(&n) {
                    if let VendorKey::Known(id) = &k {
                        for r in aliases.related(id) {
                            w.vendors.insert(VendorKey::Known(r.to_owned()));
                        }
                    }
                    w.vendors.insert(k);
                }
            }
        }
        w
    }

    /// Whether a file with these keys can give a finding to a component of the SBOM.
    pub fn wants(&mut self, keys: &AdvisoryKeys) -> bool {
        if keys.placeholder
            || keys.purls.iter().any(|k| self.purls.contains(k))
            || keys.ecosystems.iter().any(|k| self.ecosystems.contains(k))
            || keys.hashes.iter().any(|k| self.hashes.contains(k))
            || keys.cpes.iter().any(|k| self.cpes.contains(k))
        {
            return true;
        }
        if self.vendors.is_empty() {
            return false;
        }
        for v in &keys.vendors {
            let hit = match self.resolved.get(v) {
                Some(&hit) => hit,
                None => {
                    let hit = self.aliases.resolve(v).iter().any(|k| self.vendors.contains(k));
                    self.resolved.insert(v.clone(), hit);
                    hit
                }
            };
            if hit {
                return true;
            }
        }
        false
    }
}

/// What the alias graph and the snapshot's de-duplication need of one advisory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvisoryHead {
    /// The advisory id.
    pub id: String,
    /// Its source.
    pub source: Source,
    /// When it was last modified.
    pub modified: Option<String>,
    /// Every vulnerability id it stands for ([`Advisory::all_ids`]).
    pub ids: Vec<String>,
    /// The CSAF document id, for CSAF advisories.
    pub document: Option<String>,
}

impl AdvisoryHead {
    /// The head of an advisory.
    pub fn of(a: &Advisory) -> AdvisoryHead {
        AdvisoryHead {
            id: a.id.clone(),
            source: a.source,
            modified: a.modified.clone(),
            ids: a.all_ids().map(str::to_owned).collect(),
            document: if a.source == Source::Csaf {
                a.document_id.clone()
            } else {
                None
            },
        }
    }

    fn add_to(&self, graph: &mut AliasGraph) {
        graph.add_aliases(self.ids.iter());
        if let Some(doc) = &self.document {
            graph.add_document(doc, self.ids.iter());
        }
    }
}

/// The alias graph of a whole snapshot from the heads of its advisories, `blocks` in snapshot
/// block order (by content digest), KEV heads left out (the snapshot's KEV advisories are added
/// from `kev`). Where one source has the same id twice, only the head the snapshot keeps counts
/// (the latest `modified`, then the earlier block), as [`AliasGraph::add_advisory`] over the
/// snapshot's advisories would see it.
pub fn alias_graph<'h>(
    blocks: impl IntoIterator<Item = &'h [AdvisoryHead]>,
    kev: impl IntoIterator<Item = &'h Advisory>,
) -> AliasGraph {
    let mut kept: BTreeMap<(&str, Source), &AdvisoryHead> = BTreeMap::new();
    for heads in blocks {
        for h in heads {
            if h.source == Source::Kev {
                continue;
            }
            kept.entry((h.id.as_str(), h.source))
                .and_modify(|old| {
                    if h.modified > old.modified {
                        *old = h;
                    }
                })
                .or_insert(h);
        }
    }
    let mut graph = AliasGraph::new();
    for h in kept.values() {
        h.add_to(&mut graph);
    }
    for a in kev {
        graph.add_advisory(a);
    }
    graph
}
