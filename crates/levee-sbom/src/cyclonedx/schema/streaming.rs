//! Validation of a CycloneDX JSON document read in pieces (see [`Streaming`]).

use std::collections::HashMap;
use std::hash::Hasher;

use serde_json::Value;

use super::{FastMap, Fnv, MAX_WARNINGS, Mode, Validator, Violation, fail, hash_value, push_ptr, schemas};

/// Validation of a document that arrives in pieces: the top level without its large arrays,
/// then each item of `components`, `dependencies` and `vulnerabilities` on its own, so that no
/// tree of the whole document is ever built. The result is the same as validating the whole.
pub(crate) struct Streaming {
    v: Validator<'static>,
    doc: &'static str,
    root: &'static Value,
    /// Per array: item hash to the indexes of the distinct items with that hash (`uniqueItems`).
    unique: HashMap<&'static str, FastMap<u64, Vec<usize>>>,
}

impl Streaming {
    /// A validator against the schema `doc`.
    pub(crate) fn new(doc: &'static str, mode: Mode) -> Result<Streaming, Violation> {
        let s = schemas();
        let Some(root) = s.docs.get(doc) else {
            return Err(Violation {
                pointer: String::new(),
                message: format!("no schema {doc}"),
            });
        };
        Ok(Streaming {
            v: Validator {
                s,
                mode,
                warnings: Vec::new(),
                dropped: 0,
            },
            doc,
            root,
            unique: HashMap::new(),
        })
    }

    /// Validates the top level (the large arrays left out or empty).
    pub(crate) fn top(&mut self, instance: &Value) -> Result<(), Violation> {
        let mut ptr = String::new();
        let res = self.v.check(self.doc, self.root, instance, &mut ptr, 0, false);
        self.v.soften(res, false)
    }

    /// The schema of the items of the top-level array `key`, when the schema has the usual
    /// `{"type": "array", "items": …}` shape.
    pub(crate) fn items_of(&self, key: &str) -> Option<&'static Value> {
        let p = self.root.get("properties")?.get(key)?;
        (p.get("type").and_then(Value::as_str) == Some("array")).then_some(())?;
        p.get("items").filter(|i| i.is_object())
    }

    /// Validates item `i` of the top-level array `key` against `items` (from [`Self::items_of`]),
    /// and that it repeats no earlier item; `same_as` tells whether an earlier item equals it
    /// (asked only when their hashes agree).
    pub(crate) fn item(
        &mut self,
        key: &'static str,
        items: &'static Value,
        i: usize,
        instance: &Value,
        same_as: impl Fn(usize) -> bool,
    ) -> Result<(), Violation> {
        let mut ptr = String::new();
        push_ptr(&mut ptr, key);
        push_ptr(&mut ptr, &i.to_string());
        let res = self.v.check(self.doc, items, instance, &mut ptr, 1, false);
        self.v.soften(res, false)?;
        let unique = self
            .root
            .get("properties")
            .and_then(|p| p.get(key))
            .and_then(|p| p.get("uniqueItems"))
            == Some(&Value::Bool(true));
        if unique {
            let mut h = Fnv::default();
            hash_value(instance, &mut h, u8::MAX);
            let bucket = self.unique.entry(key).or_default().entry(h.finish()).or_default();
            if let Some(j) = bucket.iter().copied().find(|&j| same_as(j)) {
                let res = fail(&ptr, format!("duplicate of item {j} (items must be unique)"));
                self.v.soften(res, false)?;
            } else {
                bucket.push(i);
            }
        }
        Ok(())
    }

    /// The warnings, once every piece is validated.
    pub(crate) fn finish(mut self) -> Vec<Violation> {
        if self.v.dropped > 0 {
            self.v.warnings.push(Violation {
                pointer: String::new(),
                message: format!(
                    "{} more schema violations not listed (the first {MAX_WARNINGS} are)",
                    self.v.dropped
                ),
            });
        }
        self.v.warnings
    }
}
