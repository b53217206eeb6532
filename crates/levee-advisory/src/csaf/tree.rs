//! Flattening the CSAF product tree into one [`Product`] per product id.
//!
//! Rules (also in `docs/advisories.md`):
//! - a branch leaf's identity comes from the path to it: the first `vendor`, the innermost
//!   `product_family` and `product_name`, and the innermost `product_version` (→ `Exact`, unless it
//!   is a `vers:` string, which CISA sometimes writes there) or
//!   `product_version_range` (→ `Vers` for `vers:` strings, `All` for `vers:all/*`, `FreeText`
//!   otherwise); a path without a version gives `All`;
//! - a `full_product_names` entry has no path and no version (`versions` is empty);
//! - a relationship's product is its `product_reference` with the relationship's name and id, and
//!   a [`Relationship`] naming the `relates_to_product_reference` as platform; nested
//!   relationships are resolved up to [`MAX_RELATIONSHIP_DEPTH`], cycles are cut;
//! - product groups map a group id to its product ids.

use std::collections::HashMap;

use super::raw::{Branch, FullProductName, Helper, ProductTree};
use crate::error::push_pointer;
use crate::model::{
    BranchCategory, BranchStep, FileHashes, GenericUri, Product, Relationship, RelationshipCategory,
    VersionSpec,
};

/// How deep relationships may nest before the rest is ignored.
pub const MAX_RELATIONSHIP_DEPTH: usize = 16;

/// A product definition found in the tree.
#[derive(Debug, Clone)]
pub struct ProductDef {
    /// The product's identity.
    pub product: Product,
    /// The context for combined products, outermost first.
    pub relationships: Vec<Relationship>,
    /// The JSON pointer of the definition.
    pub pointer: String,
}

/// Every product and group the tree defines, by id.
#[derive(Debug, Clone, Default)]
pub struct ProductIndex {
    /// Product definitions by product id (the first one wins when an id is defined twice).
    pub products: HashMap<String, ProductDef>,
    /// Product ids in the order of definition.
    pub order: Vec<String>,
    /// Product groups by group id.
    pub groups: HashMap<String, Vec<String>>,
}

impl ProductIndex {
    /// Flattens a product tree.
    pub fn build(tree: Option<&ProductTree>) -> Self {
        let mut index = Self::default();
        let Some(tree) = tree else { return index };
        let mut path = Vec::new();
        for (i, b) in tree.branches.iter().enumerate() {
            index.walk(b, &mut path, &push_pointer("/product_tree/branches", i));
        }
        for (i, fpn) in tree.full_product_names.iter().enumerate() {
            let pointer = push_pointer("/product_tree/full_product_names", i);
            let product = product_from(fpn, &[]);
            index.insert(
                fpn.product_id.clone(),
                ProductDef {
                    product,
                    relationships: Vec::new(),
                    pointer,
                },
            );
        }
        // Relationships may refer to each other in any order: resolve them by id, recursively.
        let rel_by_id: HashMap<&str, usize> = tree
            .relationships
            .iter()
            .enumerate()
            .map(|(i, r)| (r.full_product_name.product_id.as_str(), i))
            .collect();
        let mut resolved: Vec<Option<ProductDef>> = vec![None; tree.relationships.len()];
        for i in 0..tree.relationships.len() {
            let mut stack = Vec::new();
            index.resolve_relationship(tree, &rel_by_id, &mut resolved, i, &mut stack);
        }
        for (i, def) in resolved.into_iter().enumerate() {
            if let Some(def) = def {
                index.insert(tree.relationships[i].full_product_name.product_id.clone(), def);
            }
        }
        for g in &tree.product_groups {
            index
                .groups
                .entry(g.group_id.clone())
                .or_insert_with(|| g.product_ids.clone());
        }
        index
    }

    fn insert(&mut self, id: String, def: ProductDef) {
        if !self.products.contains_key(&id) {
            self.order.push(id.clone());
            self.products.insert(id, def);
        }
    }

    fn walk(&mut self, branch: &Branch, path: &mut Vec<BranchStep>, pointer: &str) {
        let pushed = match BranchCategory::parse(&branch.category) {
            Some(category) => {
                path.push(BranchStep {
                    category,
                    name: branch.name.clone(),
                });
                true
            }
            None => false,
        };
        if let Some(fpn) = &branch.product {
            let product = product_from(fpn, path);
            let def = ProductDef {
                product,
                relationships: Vec::new(),
                pointer: push_pointer(pointer, "product"),
            };
            self.insert(fpn.product_id.clone(), def);
        }
        let sub = push_pointer(pointer, "branches");
        for (i, b) in branch.branches.iter().enumerate() {
            self.walk(b, path, &push_pointer(&sub, i));
        }
        if pushed {
            path.pop();
        }
    }

    /// The definition of a relationship product, resolving the products it refers to.
    fn resolve_relationship(
        &self,
        tree: &ProductTree,
        rel_by_id: &HashMap<&str, usize>,
        resolved: &mut Vec<Option<ProductDef>>,
        i: usize,
        stack: &mut Vec<usize>,
    ) -> Option<ProductDef> {
        if let Some(def) = &resolved[i] {
            return Some(def.clone());
        }
        if stack.contains(&i) || stack.len() >= MAX_RELATIONSHIP_DEPTH {
            return None;
        }
        stack.push(i);
        let rel = &tree.relationships[i];
        let mut lookup = |id: &str, stack: &mut Vec<usize>| -> Option<ProductDef> {
            if let Some(def) = self.products.get(id) {
                return Some(def.clone());
            }
            let j = *rel_by_id.get(id)?;
            self.resolve_relationship(tree, rel_by_id, resolved, j, stack)
        };
        let component = lookup(&rel.product_reference, stack);
        let platform = lookup(&rel.relates_to_product_reference, stack);
        stack.pop();
        let pointer = push_pointer("/product_tree/relationships", i);
        let fpn = &rel.full_product_name;
        let (mut product, mut relationships) = match component {
            Some(def) => (def.product, def.relationships),
            None => (
                Product {
                    product_id: Some(rel.product_reference.clone()),
                    ..Product::default()
                },
                Vec::new(),
            ),
        };
        // The combined product keeps the component's identity, under its own id and name; its own
        // identification helper, when it has one, names the combination more precisely.
        product.product_id = Some(fpn.product_id.clone());
        product.full_name = Some(fpn.name.clone());
        if let Some(h) = &fpn.product_identification_helper {
            apply_helper(&mut product, h);
        }
        let platform = platform.map_or_else(
            || Product {
                product_id: Some(rel.relates_to_product_reference.clone()),
                ..Product::default()
            },
            |d| d.product,
        );
        if let Some(category) = RelationshipCategory::parse(&rel.category) {
            relationships.insert(
                0,
                Relationship {
                    category,
                    platform: Box::new(platform),
                },
            );
        }
        let def = ProductDef {
            product,
            relationships,
            pointer,
        };
        resolved[i] = Some(def.clone());
        Some(def)
    }

    /// The product ids of a group, or none when it is undefined.
    pub fn group(&self, id: &str) -> &[String] {
        self.groups.get(id).map_or(&[], Vec::as_slice)
    }
}

/// Builds the identity of a product from its definition and branch path.
fn product_from(fpn: &FullProductName, path: &[BranchStep]) -> Product {
    let find_last = |c: BranchCategory| {
        path.iter()
            .rev()
            .find(|s| s.category == c)
            .map(|s| s.name.clone())
    };
    let versions = if path.is_empty() {
        Vec::new()
    } else {
        let version = path.iter().rev().find_map(|s| match s.category {
            // CISA writes `vers:all/*` as a product_version too.
            BranchCategory::ProductVersion if s.name.trim_start().starts_with("vers:") => {
                Some(range_spec(&s.name))
            }
            BranchCategory::ProductVersion => Some(VersionSpec::Exact(s.name.clone())),
            BranchCategory::ProductVersionRange => Some(range_spec(&s.name)),
            _ => None,
        });
        vec![version.unwrap_or(VersionSpec::All)]
    };
    let mut product = Product {
        product_id: Some(fpn.product_id.clone()),
        vendor: path
            .iter()
            .find(|s| s.category == BranchCategory::Vendor)
            .map(|s| s.name.clone()),
        family: find_last(BranchCategory::ProductFamily),
        name: find_last(BranchCategory::ProductName),
        full_name: Some(fpn.name.clone()),
        versions,
        branches: path.to_vec(),
        ..Product::default()
    };
    if let Some(h) = &fpn.product_identification_helper {
        apply_helper(&mut product, h);
    }
    product
}

/// Reads a `product_version_range` name.
pub(crate) fn range_spec(s: &str) -> VersionSpec {
    let t = s.trim();
    if t.starts_with("vers:") {
        if t == "vers:all/*" {
            VersionSpec::All
        } else {
            VersionSpec::Vers(t.to_owned())
        }
    } else {
        VersionSpec::FreeText(t.to_owned())
    }
}

fn apply_helper(product: &mut Product, h: &Helper) {
    if h.cpe.is_some() {
        product.cpe.clone_from(&h.cpe);
    }
    if let Some(p) = h.purl.as_ref().or(h.purls.first()) {
        product.purl = Some(p.clone());
    }
    product.model_numbers.extend(h.model_numbers.iter().cloned());
    product.skus.extend(h.skus.iter().cloned());
    product.serial_numbers.extend(h.serial_numbers.iter().cloned());
    product.sbom_urls.extend(h.sbom_urls.iter().cloned());
    product.hashes.extend(h.hashes.iter().map(|fh| {
        FileHashes {
            filename: fh.filename.clone(),
            hashes: fh
                .file_hashes
                .iter()
                .map(|x| (x.algorithm.clone(), x.value.clone()))
                .collect(),
        }
    }));
    product
        .generic_uris
        .extend(h.x_generic_uris.iter().map(|u| GenericUri {
            namespace: u.namespace.clone(),
            uri: u.uri.clone(),
        }));
}
