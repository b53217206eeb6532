//! A small JSON Schema (draft-07) validator over the official CycloneDX JSON schemas.
//!
//! It implements the keywords those schemas use: `$ref` (local and to the SPDX, JSF and
//! cryptography schemas shipped beside them), `type`, `enum`, `const`, `properties`, `required`,
//! `additionalProperties`, `items`/`additionalItems`, `minItems`/`maxItems`, `uniqueItems`,
//! `minLength`/`maxLength`, `pattern`, `format` (`date-time`, `date`, `idn-email`, `uri`),
//! `minimum`/`maximum`, `allOf`/`anyOf`/`oneOf`/`not` and `if`/`then`/`else`. The schemas are
//! embedded with their annotations (titles, descriptions, examples) removed; see
//! `schema/cyclonedx/README.md`.
//!
//! Why not the `jsonschema` crate: it brings in a large tree (URL resolution, several regex
//! engines, networking features) for a fixed set of nine local schemas that need a dozen keywords.
//!
//! Unknown properties (`additionalProperties: false`) are errors, as the schema says, unless the
//! caller allows them: then those found outside `anyOf`/`oneOf`/`not`/`if` branches become
//! warnings (inside a branch they decide which branch applies, so they stay errors there). Every
//! other violation is an error with the JSON pointer of the offending value.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use regex_lite::Regex;

use super::formats::check_format;
use serde_json::Value;

const SCHEMAS: [(&str, &str); 9] = [
    (
        "bom-1.2.schema.json",
        include_str!("../../schema/cyclonedx/bom-1.2.schema.json"),
    ),
    (
        "bom-1.3.schema.json",
        include_str!("../../schema/cyclonedx/bom-1.3.schema.json"),
    ),
    (
        "bom-1.4.schema.json",
        include_str!("../../schema/cyclonedx/bom-1.4.schema.json"),
    ),
    (
        "bom-1.5.schema.json",
        include_str!("../../schema/cyclonedx/bom-1.5.schema.json"),
    ),
    (
        "bom-1.6.schema.json",
        include_str!("../../schema/cyclonedx/bom-1.6.schema.json"),
    ),
    (
        "bom-1.7.schema.json",
        include_str!("../../schema/cyclonedx/bom-1.7.schema.json"),
    ),
    (
        "spdx.schema.json",
        include_str!("../../schema/cyclonedx/spdx.schema.json"),
    ),
    (
        "jsf-0.82.schema.json",
        include_str!("../../schema/cyclonedx/jsf-0.82.schema.json"),
    ),
    (
        "cryptography-defs.schema.json",
        include_str!("../../schema/cyclonedx/cryptography-defs.schema.json"),
    ),
];

/// Depth limit of schema evaluation (nesting of the instance plus `$ref` chains).
const MAX_DEPTH: usize = 512;

/// The parsed schemas and compiled patterns.
pub(crate) struct Schemas {
    docs: HashMap<&'static str, Value>,
    patterns: HashMap<String, Regex>,
}

/// A violation: JSON pointer and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    /// Where.
    pub pointer: String,
    /// What.
    pub message: String,
}

fn schemas() -> &'static Schemas {
    static S: OnceLock<Schemas> = OnceLock::new();
    S.get_or_init(|| {
        let mut docs = HashMap::new();
        let mut patterns = HashMap::new();
        for (name, text) in SCHEMAS {
            // The embedded schemas are checked by a unit test; a broken one validates nothing.
            let doc: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            collect_patterns(&doc, &mut patterns);
            docs.insert(name, doc);
        }
        Schemas { docs, patterns }
    })
}

fn collect_patterns(v: &Value, out: &mut HashMap<String, Regex>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "pattern"
                    && let Some(p) = x.as_str()
                    && !out.contains_key(p)
                    && let Ok(re) = Regex::new(p)
                {
                    out.insert(p.to_owned(), re);
                }
                collect_patterns(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_patterns(x, out)),
        _ => {}
    }
}

/// The SPDX license ids of the schema's `spdx.schema.json` (deprecated ids included).
pub(crate) fn spdx_license_ids() -> &'static std::collections::HashSet<String> {
    static IDS: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        schemas()
            .docs
            .get("spdx.schema.json")
            .and_then(|d| d.get("enum"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    })
}

/// Precomputed lookups over the static schemas: `$ref` targets and large string enums, keyed by
/// the address of the schema node (the schemas never change once loaded).
struct Index {
    refs: FastMap<(&'static str, usize), (&'static str, &'static Value)>,
    enums: FastMap<usize, std::collections::HashSet<&'static str>>,
}

fn index() -> &'static Index {
    static I: OnceLock<Index> = OnceLock::new();
    I.get_or_init(|| {
        let s = schemas();
        let mut idx = Index {
            refs: FastMap::default(),
            enums: FastMap::default(),
        };
        for (name, _) in SCHEMAS {
            if let Some(doc) = s.docs.get(name) {
                index_node(s, name, doc, &mut idx);
            }
        }
        idx
    })
}

fn index_node(s: &'static Schemas, doc: &'static str, v: &'static Value, idx: &mut Index) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref"
                    && let Some(r) = x.as_str()
                {
                    let (file, frag) = r.split_once('#').unwrap_or((r, ""));
                    let target_doc = if file.is_empty() {
                        Some(doc)
                    } else {
                        SCHEMAS.iter().map(|(n, _)| *n).find(|n| *n == file)
                    };
                    if let Some(td) = target_doc
                        && let Some(root) = s.docs.get(td)
                        && let Some(target) = if frag.is_empty() {
                            Some(root)
                        } else {
                            root.pointer(frag)
                        }
                    {
                        idx.refs
                            .insert((doc, std::ptr::from_ref(x) as usize), (td, target));
                    }
                }
                if k == "enum"
                    && let Some(a) = x.as_array()
                    && a.len() > 8
                    && a.iter().all(Value::is_string)
                {
                    idx.enums.insert(
                        std::ptr::from_ref(x) as usize,
                        a.iter().filter_map(Value::as_str).collect(),
                    );
                }
                index_node(s, doc, x, idx);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| index_node(s, doc, x, idx)),
        _ => {}
    }
}

/// The schema file for a CycloneDX version (`1.2` … `1.7`).
pub(crate) fn schema_for(version: &str) -> Option<&'static str> {
    Some(match version {
        "1.2" => "bom-1.2.schema.json",
        "1.3" => "bom-1.3.schema.json",
        "1.4" => "bom-1.4.schema.json",
        "1.5" => "bom-1.5.schema.json",
        "1.6" => "bom-1.6.schema.json",
        "1.7" => "bom-1.7.schema.json",
        _ => return None,
    })
}

mod streaming;

pub(crate) use streaming::Streaming;

/// How violations are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Every violation is an error (what the schema says).
    Strict,
    /// Unknown properties are warnings, every other violation an error.
    UnknownPropertiesWarn,
    /// Every violation is a warning, recorded at the smallest property or array item that holds
    /// it; validation goes on with that value's siblings. Inside `anyOf`/`oneOf`/`not`/`if`
    /// branches violations still decide which branch applies.
    Lenient,
}

/// At most this many warnings are kept; the rest are counted.
pub(crate) const MAX_WARNINGS: usize = 200;

/// Validates `instance` against the schema `doc`. Returns the warnings (unknown properties, or
/// every violation when lenient) or the first error.
#[cfg(test)]
pub(crate) fn validate(doc: &'static str, instance: &Value, mode: Mode) -> Result<Vec<Violation>, Violation> {
    let s = schemas();
    let Some(root) = s.docs.get(doc) else {
        return Err(Violation {
            pointer: String::new(),
            message: format!("no schema {doc}"),
        });
    };
    let mut v = Validator {
        s,
        mode,
        warnings: Vec::new(),
        dropped: 0,
    };
    let mut ptr = String::new();
    let res = v.check(doc, root, instance, &mut ptr, 0, false);
    v.soften(res, false)?;
    if v.dropped > 0 {
        v.warnings.push(Violation {
            pointer: String::new(),
            message: format!(
                "{} more schema violations not listed (the first {MAX_WARNINGS} are)",
                v.dropped
            ),
        });
    }
    Ok(v.warnings)
}

struct Validator<'s> {
    s: &'s Schemas,
    mode: Mode,
    warnings: Vec<Violation>,
    /// Warnings past [`MAX_WARNINGS`].
    dropped: usize,
}

type R = Result<(), Violation>;

fn fail(ptr: &str, message: impl Into<String>) -> R {
    Err(Violation {
        pointer: ptr.to_owned(),
        message: message.into(),
    })
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "integer" => {
            v.as_i64().is_some() || v.as_u64().is_some() || v.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        "number" => v.is_number(),
        other => type_name(v) == other,
    }
}

fn push_ptr(ptr: &mut String, token: &str) -> usize {
    let len = ptr.len();
    ptr.push('/');
    for c in token.chars() {
        match c {
            '~' => ptr.push_str("~0"),
            '/' => ptr.push_str("~1"),
            c => ptr.push(c),
        }
    }
    len
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

impl Validator<'_> {
    fn warn(&mut self, v: Violation) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(v);
        } else {
            self.dropped += 1;
        }
    }

    /// In lenient mode outside a branch, a violation becomes a warning and validation goes on.
    fn soften(&mut self, res: R, in_branch: bool) -> R {
        match res {
            Err(v) if self.mode == Mode::Lenient && !in_branch => {
                self.warn(Violation {
                    pointer: v.pointer,
                    message: format!("not as the schema says: {}", v.message),
                });
                Ok(())
            }
            r => r,
        }
    }

    /// Resolves a `$ref` relative to document `doc`.
    fn resolve(&self, doc: &'static str, r: &'static Value) -> Option<(&'static str, &'static Value)> {
        let key = (doc, std::ptr::from_ref(r) as usize);
        index().refs.get(&key).copied()
    }

    fn check(
        &mut self,
        doc: &'static str,
        schema: &'static Value,
        inst: &Value,
        ptr: &mut String,
        depth: usize,
        in_branch: bool,
    ) -> R {
        if depth > MAX_DEPTH {
            return fail(ptr, "nesting too deep to validate");
        }
        let Some(sch) = schema.as_object() else {
            return match schema {
                Value::Bool(false) => fail(ptr, "no value is allowed here"),
                _ => Ok(()),
            };
        };
        if let Some(rv) = sch.get("$ref")
            && let Some(r) = rv.as_str()
        {
            let Some((d, target)) = self.resolve(doc, rv) else {
                return fail(ptr, format!("schema reference {r} cannot be resolved"));
            };
            return self.check(d, target, inst, ptr, depth + 1, in_branch);
        }
        if let Some(t) = sch.get("type") {
            let ok = match t {
                Value::String(t) => has_type(inst, t),
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(|t| has_type(inst, t)),
                _ => true,
            };
            if !ok {
                return fail(
                    ptr,
                    format!(
                        "expected {}, found {}",
                        t.to_string().replace('"', ""),
                        type_name(inst)
                    ),
                );
            }
        }
        if let Some(ev) = sch.get("enum")
            && let Some(e) = ev.as_array()
            && !match index().enums.get(&(std::ptr::from_ref(ev) as usize)) {
                Some(set) => inst.as_str().is_some_and(|x| set.contains(x)),
                None => e.contains(inst),
            }
        {
            let list: Vec<String> = e.iter().take(8).map(|x| x.to_string()).collect();
            let more = if e.len() > 8 { ", …" } else { "" };
            return fail(
                ptr,
                format!("{} is not one of {}{more}", short(inst), list.join(", ")),
            );
        }
        if let Some(c) = sch.get("const")
            && c != inst
        {
            return fail(ptr, format!("{} is not {}", short(inst), c));
        }
        match inst {
            Value::Object(obj) => {
                if let Some(req) = sch.get("required").and_then(Value::as_array) {
                    for r in req.iter().filter_map(Value::as_str) {
                        if !obj.contains_key(r) {
                            let res = fail(ptr, format!("missing required property `{r}`"));
                            self.soften(res, in_branch)?;
                        }
                    }
                }
                let props = sch.get("properties").and_then(Value::as_object);
                let additional = sch.get("additionalProperties");
                for (k, v) in obj {
                    let len = push_ptr(ptr, k);
                    let res = if let Some(ps) = props.and_then(|p| p.get(k)) {
                        self.check(doc, ps, v, ptr, depth + 1, in_branch)
                    } else {
                        match additional {
                            Some(Value::Bool(false)) => {
                                if in_branch || self.mode == Mode::Strict {
                                    fail(ptr, format!("unknown property `{k}`"))
                                } else {
                                    let v = Violation {
                                        pointer: ptr.clone(),
                                        message: format!("unknown property `{k}` ignored"),
                                    };
                                    self.warn(v);
                                    Ok(())
                                }
                            }
                            Some(s @ Value::Object(_)) => self.check(doc, s, v, ptr, depth + 1, in_branch),
                            _ => Ok(()),
                        }
                    };
                    let res = self.soften(res, in_branch);
                    ptr.truncate(len);
                    res?;
                }
            }
            Value::Array(arr) => {
                if let Some(n) = sch.get("minItems").and_then(Value::as_u64)
                    && (arr.len() as u64) < n
                {
                    return fail(ptr, format!("at least {n} items required, found {}", arr.len()));
                }
                if let Some(n) = sch.get("maxItems").and_then(Value::as_u64)
                    && (arr.len() as u64) > n
                {
                    return fail(ptr, format!("at most {n} items allowed, found {}", arr.len()));
                }
                match sch.get("items") {
                    Some(items @ Value::Object(_)) => {
                        for (i, v) in arr.iter().enumerate() {
                            let len = push_ptr(ptr, &i.to_string());
                            let res = self.check(doc, items, v, ptr, depth + 1, in_branch);
                            let res = self.soften(res, in_branch);
                            ptr.truncate(len);
                            res?;
                        }
                    }
                    Some(Value::Array(tuple)) => {
                        for (i, v) in arr.iter().enumerate() {
                            let s = tuple.get(i).or_else(|| sch.get("additionalItems"));
                            if let Some(s) = s {
                                let len = push_ptr(ptr, &i.to_string());
                                let res = self.check(doc, s, v, ptr, depth + 1, in_branch);
                                let res = self.soften(res, in_branch);
                                ptr.truncate(len);
                                res?;
                            }
                        }
                    }
                    _ => {}
                }
                if sch.get("uniqueItems") == Some(&Value::Bool(true)) {
                    let res = check_unique(arr, ptr);
                    self.soften(res, in_branch)?;
                }
            }
            Value::String(s) => {
                let n = s.chars().count() as u64;
                if let Some(min) = sch.get("minLength").and_then(Value::as_u64)
                    && n < min
                {
                    return fail(ptr, format!("at least {min} characters required"));
                }
                if let Some(max) = sch.get("maxLength").and_then(Value::as_u64)
                    && n > max
                {
                    return fail(ptr, format!("at most {max} characters allowed"));
                }
                if let Some(p) = sch.get("pattern").and_then(Value::as_str)
                    && !match fast_pattern(p, s) {
                        Some(m) => m,
                        None => self.s.patterns.get(p).is_none_or(|re| re.is_match(s)),
                    }
                {
                    return fail(ptr, format!("{} does not match the pattern {p}", short(inst)));
                }
                if let Some(f) = sch.get("format").and_then(Value::as_str)
                    && let Err(why) = check_format(f, s)
                {
                    return fail(ptr, format!("{} is not a valid {f}: {why}", short(inst)));
                }
            }
            Value::Number(num) => {
                if let Some(x) = num.as_f64() {
                    if let Some(min) = sch.get("minimum").and_then(Value::as_f64)
                        && x < min
                    {
                        return fail(ptr, format!("{x} is less than {min}"));
                    }
                    if let Some(max) = sch.get("maximum").and_then(Value::as_f64)
                        && x > max
                    {
                        return fail(ptr, format!("{x} is greater than {max}"));
                    }
                }
            }
            _ => {}
        }
        if let Some(all) = sch.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.check(doc, s, inst, ptr, depth + 1, in_branch)?;
            }
        }
        if let Some(any) = sch.get("anyOf").and_then(Value::as_array) {
            let mut first_err = None;
            let mut ok = false;
            for s in any {
                match self.check(doc, s, inst, ptr, depth + 1, true) {
                    Ok(()) => {
                        ok = true;
                        break;
                    }
                    Err(e) => {
                        first_err.get_or_insert(e);
                    }
                }
            }
            if !ok {
                return Err(deepest(
                    ptr,
                    first_err,
                    "matches none of the allowed forms (anyOf)",
                ));
            }
        }
        if let Some(one) = sch.get("oneOf").and_then(Value::as_array) {
            let mut matched = 0;
            let mut best: Option<Violation> = None;
            for s in one {
                match self.check(doc, s, inst, ptr, depth + 1, true) {
                    Ok(()) => matched += 1,
                    Err(e) => {
                        if best.as_ref().is_none_or(|b| e.pointer.len() > b.pointer.len()) {
                            best = Some(e);
                        }
                    }
                }
            }
            if matched == 0 {
                return Err(deepest(ptr, best, "matches none of the allowed forms (oneOf)"));
            }
            if matched > 1 {
                return fail(ptr, "matches more than one of the exclusive forms (oneOf)");
            }
        }
        if let Some(not) = sch.get("not")
            && self.check(doc, not, inst, ptr, depth + 1, true).is_ok()
        {
            return fail(ptr, "matches a form that is not allowed here (not)");
        }
        if let Some(cond) = sch.get("if") {
            let branch = if self.check(doc, cond, inst, ptr, depth + 1, true).is_ok() {
                sch.get("then")
            } else {
                sch.get("else")
            };
            if let Some(b) = branch {
                self.check(doc, b, inst, ptr, depth + 1, in_branch)?;
            }
        }
        Ok(())
    }
}

/// The error to report when no branch matched: the branch error that got deepest into the
/// value, if it is below `ptr`, else a generic message at `ptr`.
fn deepest(ptr: &str, best: Option<Violation>, generic: &str) -> Violation {
    match best {
        Some(b) if b.pointer.len() > ptr.len() => b,
        Some(b) => Violation {
            pointer: ptr.to_owned(),
            message: format!("{generic}: {}", b.message),
        },
        None => Violation {
            pointer: ptr.to_owned(),
            message: generic.to_owned(),
        },
    }
}

/// Hand-written matchers for the patterns that every large document hits, so that the regex
/// engine runs only for the rare ones. `None`: no fast path for this pattern.
fn fast_pattern(pattern: &str, s: &str) -> Option<bool> {
    const HASH: &str = "^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$";
    const UUID_URN: &str = "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
    match pattern {
        // ECMA-262: `.` matches no line terminator and `$` is the end of the input.
        "^(.*)$" => Some(!s.contains(['\n', '\r', '\u{2028}', '\u{2029}'])),
        HASH => Some(matches!(s.len(), 32 | 40 | 64 | 96 | 128) && s.bytes().all(|b| b.is_ascii_hexdigit())),
        UUID_URN => Some(s.strip_prefix("urn:uuid:").is_some_and(|u| {
            u.len() == 36
                && u.bytes().enumerate().all(|(i, b)| {
                    if matches!(i, 8 | 13 | 18 | 23) {
                        b == b'-'
                    } else {
                        b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
                    }
                })
        })),
        _ => None,
    }
}

/// A fast, non-cryptographic hasher that mixes eight bytes at a time (the multiply-rotate scheme
/// of rustc's FxHash). The uniqueness check resolves collisions by comparison, and the schema
/// indexes are keyed by addresses, so hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// A hash of a value that is equal for equal values. Below `depth` 1, arrays and objects only
/// contribute their kind and length: the hash must be cheap for big arrays of big objects, and
/// collisions are resolved by comparing the values.
fn hash_value(v: &Value, h: &mut Fnv, depth: u8) {
    match v {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => b.hash(h),
        Value::Number(n) => n.as_f64().map(f64::to_bits).hash(h),
        Value::String(s) => s.hash(h),
        Value::Array(a) => {
            (1u8, a.len()).hash(h);
            if depth > 0 {
                a.iter().for_each(|x| hash_value(x, h, depth - 1));
            }
        }
        Value::Object(m) => {
            (2u8, m.len()).hash(h);
            if depth > 0 {
                // Order-independent: sum of the entries' hashes.
                let mut acc: u64 = 0;
                for (k, x) in m {
                    let mut eh = Fnv::default();
                    k.hash(&mut eh);
                    hash_value(x, &mut eh, depth - 1);
                    acc = acc.wrapping_add(eh.finish());
                }
                acc.hash(h);
            }
        }
    }
}

fn check_unique(arr: &[Value], ptr: &str) -> R {
    if arr.len() < 2 {
        return Ok(());
    }
    let mut seen: FastMap<u64, Vec<usize>> = FastMap::with_capacity_and_hasher(arr.len(), Default::default());
    for (i, v) in arr.iter().enumerate() {
        // The whole item is hashed, so items that differ only deep inside do not share a bucket
        // (which would make the comparisons quadratic).
        let mut h = Fnv::default();
        hash_value(v, &mut h, u8::MAX);
        let bucket = seen.entry(h.finish()).or_default();
        if let Some(&j) = bucket.iter().find(|&&j| arr[j] == *v) {
            return fail(
                &format!("{ptr}/{i}"),
                format!("duplicate of item {j} (items must be unique)"),
            );
        }
        bucket.push(i);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
