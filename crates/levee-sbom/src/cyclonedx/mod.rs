//! CycloneDX readers: JSON 1.2–1.7 and XML 1.0–1.7.
//!
//! Both readers validate before they map: JSON against the official JSON schema of the document's
//! `specVersion` ([`schema`]), XML against the XSD constraints that matter for reading
//! ([`xml_checks`]). Both then fill the same [`Builder`], which flattens nested components (keeping
//! each one's path), generates `component-<index>` references where the document has none, warns
//! about duplicate references, and works out every component's scan status.

mod formats;
pub(crate) mod json;
pub(crate) mod schema;
pub(crate) mod xml;
mod xml_checks;

use std::collections::{HashMap, HashSet};

use crate::error::{Location, Warning};
use crate::model::{Component, ComponentKind, ComponentPath, Hash, Sbom};

/// At most this many per-component warnings (repaired or invalid identifiers, duplicate
/// references) are kept; the rest are counted.
pub(crate) const MAX_COMPONENT_WARNINGS: usize = 1000;

/// A component as read, before identity is worked out.
#[derive(Debug, Default)]
pub(crate) struct RawComponent {
    pub bom_ref: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub group: Option<String>,
    pub supplier: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    pub hashes: Vec<Hash>,
    pub licenses: Vec<String>,
}

/// Collects components in document order.
#[derive(Default)]
pub(crate) struct Builder {
    comps: Vec<Component>,
    /// The index of each component's parent (always an earlier index).
    parents: Vec<Option<usize>>,
    locations: Vec<Loc>,
}

impl Builder {
    /// Room for `n` more components (the top-level count is known before they are read, so the
    /// list is allocated once instead of doubling, which would briefly hold it twice).
    pub(crate) fn reserve(&mut self, n: usize) {
        self.comps.reserve_exact(n);
        self.parents.reserve_exact(n);
        self.locations.reserve_exact(n);
    }

    /// Adds a component nested in the component at index `parent` (`None`: at top level).
    pub(crate) fn add(
        &mut self,
        raw: RawComponent,
        parent: Option<usize>,
        is_root: bool,
        location: impl Into<Loc>,
    ) {
        let index = self.comps.len();
        let (bom_ref, generated) = match raw.bom_ref {
            Some(r) => (r, false),
            None => (format!("component-{index}"), true),
        };
        let mut c = Component::new(bom_ref, raw.name.unwrap_or_default());
        c.bom_ref_generated = generated;
        c.version = raw.version;
        c.group = raw.group;
        c.supplier = raw.supplier;
        c.publisher = raw.publisher;
        c.author = raw.author;
        c.kind = raw
            .kind
            .as_deref()
            .map_or(ComponentKind::Unknown, ComponentKind::from_name);
        c.hashes = raw.hashes;
        c.licenses = raw.licenses;
        c.is_root = is_root;
        if let Some(p) = &raw.purl {
            c.set_purl(p);
        }
        if let Some(x) = &raw.cpe {
            c.set_cpe(x);
        }
        self.comps.push(c);
        self.parents.push(parent.filter(|&p| p < index));
        self.locations.push(location.into());
    }

    /// The index of the component added last.
    pub(crate) fn last_index(&self) -> usize {
        self.comps.len().saturating_sub(1)
    }

    /// The JSON pointer of component `i`, built from its parents' locations.
    fn pointer_of(locations: &[Loc], parents: &[Option<usize>], i: usize) -> String {
        let mut steps = Vec::new();
        let mut at = Some(i);
        let mut base = String::new();
        while let Some(k) = at {
            match locations.get(k) {
                Some(Loc::Child(n)) => {
                    steps.push(*n);
                    at = parents.get(k).copied().flatten();
                }
                Some(Loc::Pointer(p)) => {
                    base.clone_from(p);
                    at = None;
                }
                Some(Loc::Top(n)) => {
                    base = format!("/components/{n}");
                    at = None;
                }
                _ => at = None,
            }
        }
        for n in steps.iter().rev() {
            base.push_str("/components/");
            base.push_str(&n.to_string());
        }
        base
    }

    /// Sets every component's path from the parent indexes, once the references are final: one
    /// shared node per parent, so the work and memory are linear in the number of components.
    fn link_paths(&mut self) {
        let mut below: Vec<Option<ComponentPath>> = vec![None; self.comps.len()];
        for i in 0..self.comps.len() {
            let Some(p) = self.parents.get(i).copied().flatten() else {
                continue;
            };
            let path = match below.get(p) {
                Some(Some(path)) => path.clone(),
                _ => {
                    let Some(parent) = self.comps.get(p) else { continue };
                    let path = parent.path.child(parent.bom_ref.clone());
                    if let Some(slot) = below.get_mut(p) {
                        *slot = Some(path.clone());
                    }
                    path
                }
            };
            if let Some(c) = self.comps.get_mut(i) {
                c.path = path;
            }
        }
    }

    /// Generates unique references, warns about duplicates and bad identifiers, sets the scan
    /// status of every component and moves them into `sbom`.
    pub(crate) fn finish(mut self, sbom: &mut Sbom, text: Option<&[u8]>) {
        let mut pending: Vec<(usize, String)> = Vec::new();
        let mut dropped = 0usize;
        let explicit: HashSet<String> = self
            .comps
            .iter()
            .filter(|c| !c.bom_ref_generated)
            .map(|c| c.bom_ref.clone())
            .collect();
        for c in self.comps.iter_mut().filter(|c| c.bom_ref_generated) {
            if explicit.contains(&c.bom_ref) {
                let mut n = 1;
                let mut candidate = format!("{}-{n}", c.bom_ref);
                while explicit.contains(&candidate) {
                    n += 1;
                    candidate = format!("{}-{n}", c.bom_ref);
                }
                c.bom_ref = candidate;
            }
        }
        self.link_paths();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, c) in self.comps.iter_mut().enumerate() {
            if let Some(first) = seen.get(&c.bom_ref)
                && pending.len() < MAX_COMPONENT_WARNINGS
            {
                pending.push((
                    i,
                    format!(
                        "duplicate bom-ref `{}` (first used by component {first})",
                        c.bom_ref
                    ),
                ));
            } else {
                seen.insert(c.bom_ref.clone(), i);
            }
            for m in c.identifier_warnings() {
                if pending.len() < MAX_COMPONENT_WARNINGS {
                    pending.push((i, m));
                } else {
                    dropped += 1;
                }
            }
            c.update_scan_status();
            if c.is_root && sbom.root.is_none() {
                sbom.root = Some(c.bom_ref.clone());
            }
        }
        // XML: every component's line and column, in one pass over the text.
        let offsets: Vec<usize> = self
            .locations
            .iter()
            .filter_map(|l| match l {
                Loc::Offset(o) => Some(*o),
                _ => None,
            })
            .collect();
        let resolved = match text {
            Some(t) if !offsets.is_empty() => resolve_offsets(t, &offsets),
            _ => HashMap::new(),
        };
        for (c, l) in self.comps.iter_mut().zip(&self.locations) {
            if let Loc::Offset(o) = l {
                c.location = resolved.get(o).cloned();
            }
        }
        sbom.components = self.comps;
        for (i, message) in pending {
            let location = match self.locations.get(i) {
                Some(Loc::Pointer(p)) => Location::pointer(p.clone()),
                Some(Loc::Child(_) | Loc::Top(_)) => {
                    Location::pointer(Builder::pointer_of(&self.locations, &self.parents, i))
                }
                Some(Loc::Offset(o)) => resolved.get(o).cloned().unwrap_or(Location::Document),
                None => Location::Document,
            };
            sbom.warnings.push(Warning::new(location, message));
        }
        if dropped > 0 {
            sbom.warnings.push(Warning::new(
                Location::Document,
                format!(
                    "{dropped} more component warnings not listed (the first {MAX_COMPONENT_WARNINGS} are)"
                ),
            ));
        }
    }
}

/// Where a component is: a JSON pointer, or a byte offset into the XML text that is turned into a
/// line and column only if a warning needs it (all at once, in one pass over the text).
pub(crate) enum Loc {
    /// A JSON pointer.
    Pointer(String),
    /// The n-th entry of the top-level `components` (JSON).
    Top(usize),
    /// The n-th entry of its parent's `components` (JSON).
    Child(usize),
    /// A byte offset.
    Offset(usize),
}

impl From<String> for Loc {
    fn from(p: String) -> Loc {
        Loc::Pointer(p)
    }
}

/// Line and column of each of `offsets` in `text`, in one pass.
fn resolve_offsets(text: &[u8], offsets: &[usize]) -> HashMap<usize, Location> {
    let mut sorted: Vec<usize> = offsets.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = HashMap::with_capacity(sorted.len());
    let (mut line, mut column, mut pos) = (1usize, 1usize, 0usize);
    for off in sorted {
        let off = off.min(text.len());
        for &b in &text[pos..off] {
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xC0 != 0x80 {
                column += 1;
            }
        }
        pos = off;
        out.insert(off, Location::LineColumn { line, column });
    }
    out
}
