//! The lookup tables a scan uses, built once per snapshot.
//!
//! [`Index::build`] reads every affected product of every advisory once: it parses its purl and
//! CPE, resolves its vendor through the alias table, reads its version constraints into
//! [`Prepared`] form with the right scheme, and files it under each identity it has:
//!
//! | table | key | tier |
//! |---|---|---|
//! | purl | type, namespace, name | exact |
//! | ecosystem | OSV ecosystem, package name | exact |
//! | hash | file hash value | exact |
//! | CPE | vendor, product (concrete values only) | CPE |
//! | vendor + product | vendor key, product key of the name, of family + name, or of a family without a name | vendor-product |
//! | model | vendor key → model-number and SKU patterns | model-number |
//! | catalog | vendor key → catalog numbers in a name without a series (`CompactLogix 1768-EWEB`) | model-number |
//! | placeholder | product key of a product whose vendor is a placeholder (`multiple`) | placeholder-vendor |
//! | vendor | vendor key → every product (fuzzy matching only) | fuzzy |
//!
//! A product name is also keyed with its series designator written one way
//! ([`identity::series_variants`]: `1756-EN2T/D` and `1756-EN2T Ser. D` as `1756-EN2T Series D`).
//!
//! A product whose vendor is missing or names no vendor is never filed under a vendor table (one
//! whose vendor is a placeholder is filed under the placeholder table only), and a
//! CPE whose vendor or product is ANY, NA or a wildcard is never filed under the CPE table, so
//! neither can match a component by name alone. KEV entries are not filed at all: KEV names a
//! vendor and product without versions, so it informs prioritisation, not matching.

use std::borrow::Cow;
use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use levee_advisory::alias::AliasGraph;
use levee_advisory::{Advisory, Source};
use levee_sbom::cpe::{AttrValue, Cpe};
use levee_sbom::purl::Purl;
use levee_version::Scheme;

use crate::identity::{self, ecosystem_key};
use std::sync::{Arc, OnceLock};

use crate::range::Prepared;
use crate::snapshot::Snapshot;
use crate::vendor::{VendorAliases, VendorKey};

/// One affected product of one advisory, ready to match.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Index into [`Snapshot::advisories`].
    pub advisory: usize,
    /// Index into that advisory's `affected`.
    pub affected: usize,
    /// The version scheme the constraints are read in.
    pub scheme: Scheme,
    /// The version constraints (a disjunction), read on first use: most entries are never a
    /// candidate in a scan, so reading every range up front would dominate the index build.
    specs: OnceLock<Vec<Prepared>>,
    /// The vendor keys of the product's vendor name (empty when it has none).
    pub vendor_keys: Vec<VendorKey>,
    /// The product's purl key, when it has a purl.
    pub purl: Option<(String, String, String)>,
    /// The product's CPE, when it has one that parses.
    pub cpe: Option<Cpe>,
    /// The product keys it is filed under (shared by the entries of one product name).
    pub product_keys: Arc<[String]>,
}

impl Entry {
    /// The entry's version constraints, read from the snapshot on first use.
    pub fn specs(&self, snapshot: &Snapshot) -> &[Prepared] {
        self.specs.get_or_init(|| {
            snapshot
                .advisories
                .get(self.advisory)
                .and_then(|a| a.affected.get(self.affected))
                .map(|ap| {
                    ap.product
                        .versions
                        .iter()
                        .map(|v| Prepared::new(v, self.scheme))
                        .collect()
                })
                .unwrap_or_default()
        })
    }
}

/// The snapshot an index reads: borrowed from the caller, or shared with it (so an index can own
/// its data and be kept by a long-running process, see [`Index::build_shared`]).
#[derive(Debug)]
pub(crate) enum Held<'a> {
    /// Borrowed for the index's life.
    Borrowed(&'a Snapshot),
    /// Shared ownership.
    Shared(Arc<Snapshot>),
}

impl std::ops::Deref for Held<'_> {
    type Target = Snapshot;
    fn deref(&self) -> &Snapshot {
        match self {
            Held::Borrowed(s) => s,
            Held::Shared(s) => s,
        }
    }
}

/// Lookup tables over a snapshot (see the module documentation).
#[derive(Debug)]
pub struct Index<'a> {
    pub(crate) snapshot: Held<'a>,
    pub(crate) aliases: &'a VendorAliases,
    pub(crate) entries: Vec<Entry>,
    pub(crate) by_purl: HashMap<(String, String, String), Vec<u32>>,
    pub(crate) by_ecosystem: HashMap<(String, String), Vec<u32>>,
    pub(crate) by_hash: HashMap<String, Vec<u32>>,
    pub(crate) by_cpe: HashMap<(String, String), Vec<u32>>,
    /// Entries by vendor key, then product key (nested, so a lookup borrows its keys).
    pub(crate) by_vendor_product: HashMap<VendorKey, HashMap<String, Vec<u32>>>,
    /// Model-number and SKU patterns by vendor key and their literal text before the first
    /// wildcard (lower case; the whole pattern when it has none).
    pub(crate) by_model: HashMap<VendorKey, HashMap<String, Vec<(String, u32)>>>,
    pub(crate) by_vendor: HashMap<VendorKey, Vec<u32>>,
    /// Catalog numbers in product names without a series ([`identity::catalog_numbers`]), by
    /// vendor key.
    pub(crate) by_catalog: HashMap<VendorKey, HashMap<String, Vec<u32>>>,
    /// Products of advisories whose vendor is a placeholder, by [`placeholder_keys`].
    pub(crate) by_placeholder: HashMap<String, Vec<u32>>,
    pub(crate) graph: Cow<'a, AliasGraph>,
    /// Canonical vulnerability id per advisory.
    pub(crate) canonical: Vec<String>,
    /// Every id of each canonical id's group, sorted.
    pub(crate) group_ids: BTreeMap<String, Vec<String>>,
    /// The alias-table names of each known vendor id met so far (normalised).
    pub(crate) vendor_names: HashMap<String, Vec<String>>,
}

/// What the index needs of one vendor name as advisories write it, worked out once per name.
#[derive(Default)]
struct VendorInfo {
    /// Its vendor keys.
    keys: Vec<VendorKey>,
    /// The tokens of the name as written.
    written: Vec<String>,
    /// The token lists of every spelling: as written, and each alias-table name of its keys.
    spellings: Vec<Vec<String>>,
    /// Whether the name is a placeholder ([`crate::vendor::is_placeholder`]).
    placeholder: bool,
}

type VendorCache = HashMap<String, VendorInfo>;

/// The value under a borrowed key, inserted (the key copied) only when missing.
fn slot<'m, Q, V>(map: &'m mut HashMap<Q::Owned, V>, key: &Q) -> &'m mut V
where
    Q: std::hash::Hash + Eq + ToOwned + ?Sized,
    Q::Owned: std::hash::Hash + Eq + std::borrow::Borrow<Q>,
    V: Default,
{
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).expect("the value was inserted above")
}

/// Appends an entry id to a list unless it is already the last one.
fn add(list: &mut Vec<u32>, entry: u32) {
    if list.last() != Some(&entry) {
        list.push(entry);
    }
}

fn push<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<u32>>, key: K, entry: u32) {
    add(map.entry(key).or_default(), entry);
}

/// The concrete literal of a CPE attribute (no ANY, NA or wildcard).
pub(crate) fn literal(v: &AttrValue) -> Option<&str> {
    v.as_literal().filter(|t| !t.is_empty())
}

/// The literal text of a model-number pattern before its first wildcard or escape, lower case:
/// the key patterns are filed under. A value can only match patterns filed under one of its own
/// prefixes.
pub(crate) fn model_prefix(m: &str) -> String {
    m.trim()
        .chars()
        .take_while(|c| !matches!(c, '*' | '?' | '\\'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The keys a product name of a placeholder-vendor advisory is filed under, and a component's
/// names are looked up by: the product key of the name, without its parenthesised words
/// (`uIP (EOL)` is also `uip`), and without a trailing model number. Keys shorter than four
/// characters or without a letter are dropped: a name that short says too little without a vendor.
pub(crate) fn placeholder_keys(name: &str) -> Vec<String> {
    let mut keys = vec![
        identity::product_key_of(&identity::fold_words(name), None),
        identity::product_key_of(&crate::vendor::normalise_tokens(name), None),
    ];
    if let Some(base) = identity::without_model_suffix(name) {
        keys.push(identity::product_key_of(&identity::fold_words(base), None));
    }
    keys.retain(|k| k.len() >= 4 && k.bytes().any(|b| b.is_ascii_alphabetic()));
    keys.sort();
    keys.dedup();
    keys
}

/// The scheme that compares an advisory product's versions.
fn scheme_of(advisory: &Advisory, purl: Option<&Purl>, ecosystem: Option<&str>) -> Scheme {
    if let Some(p) = purl {
        return identity::scheme_for_purl_type(p.ty());
    }
    if let Some(e) = ecosystem {
        return identity::scheme_for_ecosystem(e);
    }
    match advisory.source {
        Source::Csaf => Scheme::Industrial,
        Source::RustSec => Scheme::Cargo,
        _ => Scheme::Generic,
    }
}

/// From this many advisories on, the index is built on two threads.
const PARALLEL_FROM: usize = 2_000;

/// Where to split the advisories between the two threads of [`Index::build`]: at half of their
/// affected products, the unit of work (advisories sorted by id put the many-product CSAF
/// documents after the one-package OSV records, so half the advisories is far from half the work).
/// The first part's thread also files both parts' keys, and the second's builds the alias tables;
/// those two costs are about equal.
fn balanced_split(advisories: &[Advisory]) -> usize {
    let total: usize = advisories.iter().map(|a| a.affected.len()).sum();
    let mut seen = 0;
    for (i, a) in advisories.iter().enumerate() {
        if seen * 2 >= total {
            return i;
        }
        seen += a.affected.len();
    }
    advisories.len()
}

/// The alias graph, the canonical id of every advisory and every group's ids.
fn alias_tables<'g>(
    advisories: &[Advisory],
    given: Option<&'g AliasGraph>,
) -> (Cow<'g, AliasGraph>, Vec<String>, BTreeMap<String, Vec<String>>) {
    let graph = match given {
        Some(g) => Cow::Borrowed(g),
        None => {
            let mut graph = AliasGraph::new();
            for a in advisories {
                graph.add_advisory(a);
            }
            Cow::Owned(graph)
        }
    };
    let canonical = advisories
        .iter()
        .map(|a| {
            a.all_ids()
                .next()
                .and_then(|id| graph.canonical(id))
                .unwrap_or_else(|| a.id.clone())
        })
        .collect();
    let group_ids = graph.groups().into_iter().map(|g| (g.canonical, g.ids)).collect();
    (graph, canonical, group_ids)
}

/// Everything one affected product is filed under, worked out before it is filed.
struct Keys {
    entry: Entry,
    purl_key: Option<(String, String, String)>,
    ecosystem: Vec<(String, String)>,
    hashes: Vec<String>,
    cpe_key: Option<(String, String)>,
    placeholder: Arc<[String]>,
    catalog: Arc<[String]>,
    models: Vec<String>,
}

/// What a product is filed under by its vendor, family and name alone: worked out once per
/// distinct triple (a CSAF document's products recur in each of its vulnerabilities' advisories,
/// and in its revisions).
struct NameKeys {
    product_keys: Arc<[String]>,
    catalog: Arc<[String]>,
    placeholder: Arc<[String]>,
}

/// A product's vendor, family and name, as the advisory writes them.
type NameTriple<'s> = (Option<&'s str>, Option<&'s str>, Option<&'s str>);

/// The keys of a run of advisories, and the alias-table names met while working them out.
struct KeyRun {
    keys: Vec<Keys>,
    names: HashMap<String, Vec<String>>,
}

/// Works out [`Keys`] with its own caches, so two can run on two threads.
struct Prep<'t, 's> {
    aliases: &'t VendorAliases,
    vendors: VendorCache,
    names: HashMap<String, Vec<String>>,
    products: HashMap<NameTriple<'s>, NameKeys>,
}

impl<'t, 's> Prep<'t, 's> {
    fn new(aliases: &'t VendorAliases) -> Prep<'t, 's> {
        Prep {
            aliases,
            vendors: VendorCache::new(),
            names: HashMap::new(),
            products: HashMap::new(),
        }
    }

    /// The keys of every affected product of `advisories`, whose first is advisory `offset` of
    /// the snapshot.
    fn run(mut self, advisories: &'s [Advisory], offset: usize) -> KeyRun {
        let mut keys = Vec::new();
        for (i, a) in advisories.iter().enumerate() {
            if a.source == Source::Kev || a.withdrawn.is_some() {
                continue;
            }
            for (pi, ap) in a.affected.iter().enumerate() {
                keys.push(self.keys(offset + i, pi, a, &ap.product));
            }
        }
        KeyRun {
            keys,
            names: self.names,
        }
    }

    /// The alias-table names of a vendor key (none for a vendor the table does not list).
    fn names_of(&mut self, key: &VendorKey) -> Vec<String> {
        match key {
            VendorKey::Known(id) => self
                .names
                .entry(id.clone())
                .or_insert_with(|| self.aliases.names_of(id))
                .clone(),
            VendorKey::Name(_) => Vec::new(),
        }
    }

    fn vendor(&mut self, v: &str) -> &VendorInfo {
        if !self.vendors.contains_key(v) {
            let keys = self.aliases.resolve(v);
            let written = identity::vendor_tokens(v);
            // The product name may start with any name of its vendor ("Schneider Electric
            // EcoStruxure" under "Schneider Electric Software, LLC"): strip each.
            let mut spellings = vec![written.clone()];
            for vk in &keys {
                for n in self.names_of(vk) {
                    spellings.push(identity::vendor_tokens(&n));
                }
            }
            spellings.sort();
            spellings.dedup();
            let info = VendorInfo {
                keys,
                written,
                spellings,
                placeholder: crate::vendor::is_placeholder(v),
            };
            self.vendors.insert(v.to_owned(), info);
        }
        static NONE: VendorInfo = VendorInfo {
            keys: Vec::new(),
            written: Vec::new(),
            spellings: Vec::new(),
            placeholder: false,
        };
        self.vendors.get(v).unwrap_or(&NONE)
    }

    fn keys(&mut self, ai: usize, pi: usize, a: &Advisory, p: &'s levee_advisory::Product) -> Keys {
        let purl = p.purl.as_deref().and_then(|s| Purl::parse_lenient(s).ok());
        let cpe = p.cpe.as_deref().and_then(|s| Cpe::parse(s).ok());
        let scheme = scheme_of(a, purl.as_ref(), p.ecosystem.as_deref());
        let vendor_keys = match p.vendor.as_deref() {
            Some(v) => self.vendor(v).keys.clone(),
            None => Vec::new(),
        };
        let triple = (p.vendor.as_deref(), p.family.as_deref(), p.name.as_deref());
        if !self.products.contains_key(&triple) {
            let keys = self.name_keys(p);
            self.products.insert(triple, keys);
        }
        let (product_keys, catalog, placeholder) = match self.products.get(&triple) {
            Some(k) => (
                Arc::clone(&k.product_keys),
                Arc::clone(&k.catalog),
                Arc::clone(&k.placeholder),
            ),
            None => (Arc::from([]), Arc::from([]), Arc::from([])),
        };

        let mut ecosystem = Vec::new();
        if let Some(k) = purl.as_ref().and_then(identity::purl_ecosystem) {
            ecosystem.push(k);
        }
        if let (Some(eco), Some(name)) = (p.ecosystem.as_deref(), p.name.as_deref()) {
            ecosystem.push(ecosystem_key(eco, name));
        }
        let hashes = p
            .hashes
            .iter()
            .flat_map(|fh| {
                fh.hashes
                    .iter()
                    .map(|(_, value)| value.trim().to_ascii_lowercase())
            })
            .collect();
        let cpe_key = cpe
            .as_ref()
            .and_then(|c| match (literal(c.vendor()), literal(c.product())) {
                (Some(v), Some(pr)) => Some((v.to_owned(), pr.to_owned())),
                _ => None,
            });
        let models = if vendor_keys.is_empty() {
            Vec::new()
        } else {
            p.model_numbers.iter().chain(&p.skus).cloned().collect()
        };
        let purl_key = purl.as_ref().map(identity::purl_key);
        Keys {
            entry: Entry {
                advisory: ai,
                affected: pi,
                scheme,
                specs: OnceLock::new(),
                vendor_keys,
                purl: purl_key.clone(),
                cpe,
                product_keys,
            },
            purl_key,
            ecosystem,
            hashes,
            cpe_key,
            placeholder,
            catalog,
            models,
        }
    }

    /// The keys of a product's vendor, family and name ([`NameKeys`]).
    fn name_keys(&mut self, p: &levee_advisory::Product) -> NameKeys {
        let none = VendorInfo::default();
        let vendor = match p.vendor.as_deref() {
            Some(v) => self.vendor(v),
            None => &none,
        };
        let spellings = vendor.spellings.as_slice();
        let vendor_written = p.vendor.as_ref().map(|_| vendor.written.as_slice());
        let mut product_keys = Vec::new();
        let name = p.name.as_deref().map(identity::fold_words);
        let base = p
            .name
            .as_deref()
            .and_then(identity::without_model_suffix)
            .map(identity::fold_words);
        let series_written = p
            .name
            .as_deref()
            .map(identity::series_variants)
            .unwrap_or_default();
        let series: Vec<String> = series_written.iter().map(|n| identity::fold_words(n)).collect();
        // With no vendor, the name is keyed as it stands.
        let unstripped = spellings.is_empty().then_some(None);
        for vt in spellings.iter().map(Some).chain(unstripped) {
            for n in name.iter().chain(&base).chain(&series) {
                product_keys.push(identity::product_key_of(n, vt.map(Vec::as_slice)));
            }
        }
        if let Some(n) = p.name.as_deref() {
            if let Some(family) = p.family.as_deref() {
                // Folded whole: mojibake repair looks at the text as one string.
                product_keys.push(identity::product_key_of(
                    &identity::fold_words(&format!("{family} {n}")),
                    vendor_written,
                ));
            }
        } else if let Some(family) = p.family.as_deref() {
            product_keys.push(identity::product_key_of(
                &identity::fold_words(family),
                vendor_written,
            ));
        }
        product_keys.retain(|k| !k.is_empty());
        product_keys.sort();
        product_keys.dedup();
        let catalog = match p.name.as_deref() {
            Some(n) if series_written.is_empty() && !vendor.keys.is_empty() => identity::catalog_numbers(n),
            _ => Vec::new(),
        };
        let placeholder = match p.name.as_deref() {
            Some(n) if vendor.placeholder => placeholder_keys(n),
            _ => Vec::new(),
        };
        NameKeys {
            product_keys: product_keys.into(),
            catalog: catalog.into(),
            placeholder: placeholder.into(),
        }
    }
}

impl<'a> Index<'a> {
    /// The version constraints of one entry, read on first use.
    pub fn specs(&self, entry: &'a Entry) -> &'a [Prepared] {
        entry.specs(&self.snapshot)
    }

    /// Builds the tables over a snapshot, resolving vendors with an alias table.
    pub fn build(snapshot: &'a Snapshot, aliases: &'a VendorAliases) -> Index<'a> {
        Index::build_held(Held::Borrowed(snapshot), aliases, None)
    }

    /// [`Index::build`] with the alias graph given rather than built from the snapshot's
    /// advisories: for a snapshot that holds only the advisories one SBOM can match
    /// ([`crate::prefilter`]), whose canonical ids and alias lists must still be those of the whole
    /// data (the graph of every advisory, [`crate::prefilter::alias_graph`]).
    pub fn build_with_graph(
        snapshot: &'a Snapshot,
        aliases: &'a VendorAliases,
        graph: &'a AliasGraph,
    ) -> Index<'a> {
        Index::build_held(Held::Borrowed(snapshot), aliases, Some(graph))
    }

    /// [`Index::build`] over a snapshot the index shares: with an alias table that lives as long
    /// as the process (such as [`VendorAliases::bundled_static`]), the index is `Index<'static>`,
    /// `Send + Sync`, and can be kept and shared by a long-running process (`Arc<Index<'static>>`).
    pub fn build_shared(snapshot: Arc<Snapshot>, aliases: &'a VendorAliases) -> Index<'a> {
        Index::build_held(Held::Shared(snapshot), aliases, None)
    }

    /// The snapshot as shared, when the index was built by [`Index::build_shared`].
    pub fn shared_snapshot(&self) -> Option<&Arc<Snapshot>> {
        match &self.snapshot {
            Held::Shared(s) => Some(s),
            Held::Borrowed(_) => None,
        }
    }

    fn build_held(held: Held<'a>, aliases: &'a VendorAliases, given: Option<&'a AliasGraph>) -> Index<'a> {
        // A second handle, so the loops below can read the snapshot while they fill the index.
        let local = match &held {
            Held::Borrowed(s) => Held::Borrowed(s),
            Held::Shared(s) => Held::Shared(Arc::clone(s)),
        };
        let snapshot: &Snapshot = &local;
        let mut ix = Index {
            snapshot: held,
            aliases,
            entries: Vec::new(),
            by_purl: HashMap::new(),
            by_ecosystem: HashMap::new(),
            by_hash: HashMap::new(),
            by_cpe: HashMap::new(),
            by_vendor_product: HashMap::new(),
            by_model: HashMap::new(),
            by_vendor: HashMap::new(),
            by_catalog: HashMap::new(),
            by_placeholder: HashMap::new(),
            graph: Cow::Owned(AliasGraph::new()),
            canonical: Vec::with_capacity(snapshot.advisories.len()),
            group_ids: BTreeMap::new(),
            vendor_names: HashMap::new(),
        };
        // Two halves of the work on two threads when the snapshot is large: the alias graph and
        // the keys of the second half of the advisories on a worker, the keys of the first half
        // here (filed while the worker runs). Entries are filed in snapshot order either way, so
        // the index is the same as one built on one thread.
        let n = snapshot.advisories.len();
        let parallel = n >= PARALLEL_FROM && std::thread::available_parallelism().map_or(1, |p| p.get()) > 1;
        let mid = if parallel {
            balanced_split(&snapshot.advisories)
        } else {
            n
        };
        let (first, second) = snapshot.advisories.split_at(mid);
        let (graph, canonical, group_ids, rest) = std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                let (graph, canonical, group_ids) = alias_tables(&snapshot.advisories, given);
                let rest = Prep::new(aliases).run(second, mid);
                (graph, canonical, group_ids, rest)
            });
            let run = Prep::new(aliases).run(first, 0);
            ix.merge_names(run.names);
            for k in run.keys {
                ix.file(k);
            }
            worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        });
        ix.graph = graph;
        ix.canonical = canonical;
        ix.group_ids = group_ids;
        ix.merge_names(rest.names);
        for k in rest.keys {
            ix.file(k);
        }
        ix
    }

    fn merge_names(&mut self, names: HashMap<String, Vec<String>>) {
        for (id, list) in names {
            self.vendor_names.entry(id).or_insert(list);
        }
    }

    /// Files one entry's keys under the next entry id.
    fn file(&mut self, k: Keys) {
        let Ok(id) = u32::try_from(self.entries.len()) else {
            return;
        };
        if let Some(key) = k.purl_key {
            push(&mut self.by_purl, key, id);
        }
        for key in k.ecosystem {
            push(&mut self.by_ecosystem, key, id);
        }
        for h in k.hashes {
            push(&mut self.by_hash, h, id);
        }
        if let Some(key) = k.cpe_key {
            push(&mut self.by_cpe, key, id);
        }
        for key in k.placeholder.iter() {
            add(slot(&mut self.by_placeholder, key.as_str()), id);
        }
        let e = &k.entry;
        for vk in &e.vendor_keys {
            if !e.product_keys.is_empty() {
                let products = slot(&mut self.by_vendor_product, vk);
                for pk in e.product_keys.iter() {
                    add(slot(products, pk.as_str()), id);
                }
                add(slot(&mut self.by_vendor, vk), id);
            }
            if !k.models.is_empty() {
                let models = slot(&mut self.by_model, vk);
                for m in &k.models {
                    models.entry(model_prefix(m)).or_default().push((m.clone(), id));
                }
            }
            if !k.catalog.is_empty() {
                let numbers = slot(&mut self.by_catalog, vk);
                for c in k.catalog.iter() {
                    add(slot(numbers, c.as_str()), id);
                }
            }
        }
        self.entries.push(k.entry);
    }

    /// The alias-table names of a vendor key, when they were met while building.
    pub(crate) fn known_names(&self, key: &VendorKey) -> &[String] {
        match key {
            VendorKey::Known(id) => self.vendor_names.get(id).map_or(&[], Vec::as_slice),
            VendorKey::Name(_) => &[],
        }
    }

    /// The snapshot the index was built over.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The vendor alias table it resolves vendors with.
    pub fn vendor_aliases(&self) -> &VendorAliases {
        self.aliases
    }

    /// How many affected products are filed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is filed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The filed entries, in snapshot order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The alias graph over every advisory of the snapshot.
    pub fn alias_graph(&self) -> &AliasGraph {
        &self.graph
    }

    /// The canonical id of an id (a CVE when the vulnerability has one), or the id itself when the
    /// snapshot does not know it.
    pub fn canonical_id(&self, id: &str) -> String {
        self.graph
            .canonical(id)
            .unwrap_or_else(|| levee_advisory::alias::normalize_id(id))
    }

    /// Every other id of a canonical id's group, sorted.
    pub fn aliases_of(&self, canonical: &str) -> Vec<String> {
        self.group_ids
            .get(canonical)
            .map(|ids| ids.iter().filter(|i| *i != canonical).cloned().collect())
            .unwrap_or_default()
    }

    /// The canonical vulnerability id of the advisory at an index of the snapshot.
    pub fn canonical_of_advisory(&self, advisory: usize) -> &str {
        self.canonical.get(advisory).map_or("", String::as_str)
    }
}
