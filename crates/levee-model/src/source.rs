//! One project file as a spanned TOML tree, and the serde step from tree to raw structs.
//!
//! Every file is parsed with error recovery, so one syntax error does not hide the rest of the file.
//! Each array-of-tables entry (`[[zone]]`, …) is then deserialised on its own; when serde rejects a
//! field, the field is reported, removed from a working copy and the entry deserialised again, so every
//! bad field of every entry is reported in one pass.

use std::ops::Range;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::diag::{Loc, Sink, closest, codes, did_you_mean, one_of};

/// A spanned TOML value.
pub(crate) type Value<'a> = Spanned<DeValue<'a>>;

/// One parsed file.
pub(crate) struct Doc<'a> {
    /// Path relative to the project directory.
    pub(crate) name: String,
    text: &'a str,
    line_starts: Vec<usize>,
    /// The document's root table.
    pub(crate) root: Value<'a>,
    /// Whether the TOML was malformed (the tree then holds what could be recovered).
    pub(crate) malformed: bool,
}

impl<'a> Doc<'a> {
    /// Parses `text`, reporting every syntax error.
    pub(crate) fn parse(name: &str, text: &'a str, sink: &mut Sink) -> Doc<'a> {
        let (table, errors) = DeTable::parse_recoverable(text);
        let span = table.span();
        let root = Spanned::new(span, DeValue::Table(table.into_inner()));
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let doc = Doc {
            name: name.to_owned(),
            text,
            line_starts,
            root,
            malformed: !errors.is_empty(),
        };
        for e in &errors {
            let loc = doc.loc(e.span().map_or(0, |s| s.start));
            sink.error(codes::PARSE_ERROR, &loc, toml_message(e.message()));
        }
        doc
    }

    /// The line and column of a byte offset.
    pub(crate) fn loc(&self, offset: usize) -> Loc {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|s| *s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = match self.text.get(start..offset) {
            Some(prefix) => prefix.chars().count(),
            None => offset - start,
        } + 1;
        Loc {
            file: self.name.clone(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    /// A view of the root table.
    pub(crate) fn at(&self) -> At<'_, 'a> {
        At {
            doc: self,
            node: &self.root,
        }
    }

    /// The keys of the root table with their positions, in source order.
    pub(crate) fn root_keys(&self) -> Vec<(String, Loc)> {
        let mut keys: Vec<(usize, String)> = match self.root.get_ref() {
            DeValue::Table(t) => t
                .iter()
                .map(|(k, _)| (k.span().start, k.get_ref().to_string()))
                .collect(),
            _ => Vec::new(),
        };
        keys.sort();
        keys.into_iter().map(|(s, k)| (k, self.loc(s))).collect()
    }

    /// Deserialises every entry of the array of tables `key` (`[[zone]]`).
    ///
    /// Entries that fail are reported and returned as [`Parsed::failed`] so that their ids can still be
    /// known to other checks.
    pub(crate) fn entries<'d, T: DeserializeOwned + JsonSchema>(
        &'d self,
        key: &str,
        sink: &mut Sink,
    ) -> Parsed<'d, 'a, T> {
        let mut parsed = Parsed {
            ok: Vec::new(),
            failed: Vec::new(),
        };
        let Some(value) = self.at().field(key) else {
            return parsed;
        };
        let DeValue::Array(items) = value.node.get_ref() else {
            sink.error(
                codes::PARSE_ERROR,
                &value.loc(),
                format!("`{key}` must be an array of tables"),
            )
            .hint(format!("write each entry under a `[[{key}]]` header"));
            return parsed;
        };
        for item in items.iter() {
            let at = At {
                doc: self,
                node: item,
            };
            if !matches!(item.get_ref(), DeValue::Table(_)) {
                sink.error(
                    codes::PARSE_ERROR,
                    &at.loc(),
                    format!("each `{key}` entry must be a table"),
                )
                .hint(format!("write each entry under a `[[{key}]]` header"));
                continue;
            }
            match self.deserialize::<T>(item, sink) {
                Some(raw) => parsed.ok.push(Entry { raw, at }),
                None => parsed.failed.push(at),
            }
        }
        parsed
    }

    /// Deserialises one table, reporting every field serde rejects and every missing required field.
    ///
    /// Returns the value when serde accepts what is left after dropping the rejected fields.
    pub(crate) fn deserialize<T: DeserializeOwned + JsonSchema>(
        &self,
        node: &Value<'a>,
        sink: &mut Sink,
    ) -> Option<T> {
        let mut work = node.clone();
        // Fields dropped after an error, and names suggested for unknown fields: neither is reported
        // missing again.
        let mut removed: Vec<String> = Vec::new();
        let mut suggested: Vec<String> = Vec::new();
        // Each round removes one field, so the number of rounds is bounded by the size of the tree.
        for _ in 0..1024 {
            let err = match T::deserialize(ValueDeserializer::from(work.clone())) {
                Ok(v) => return Some(v),
                Err(e) => e,
            };
            let span = err.span().unwrap_or_else(|| node.span());
            let message = err.message();
            if let Some(field) = backticked(message).filter(|_| message.starts_with("missing field")) {
                if span == node.span() {
                    let present = At { doc: self, node };
                    for f in required_fields::<T>() {
                        if present.field(&f).is_none() && !suggested.contains(&f) {
                            sink.error(
                                codes::MISSING_FIELD,
                                &self.loc(span.start),
                                format!("missing field `{f}`"),
                            );
                        }
                    }
                    return None;
                }
                if !removed.contains(&field) && !suggested.contains(&field) {
                    sink.error(
                        codes::MISSING_FIELD,
                        &self.loc(span.start),
                        format!("missing field `{field}`"),
                    );
                }
            } else {
                let key = key_at(&work, &span);
                if let Some(s) = self.report(&err, key.as_deref(), node, &span, sink) {
                    suggested.push(s);
                }
            }
            match remove_at(&mut work, &span) {
                Some(k) => removed.push(k),
                None => return None,
            }
        }
        None
    }

    /// Reports a serde error; returns the field suggested for an unknown field, if any.
    fn report(
        &self,
        err: &toml::de::Error,
        key: Option<&str>,
        node: &Value<'a>,
        span: &Range<usize>,
        sink: &mut Sink,
    ) -> Option<String> {
        let loc = self.loc(span.start);
        let message = err.message();
        let expected = expected_names(message);
        let field = key.map_or_else(String::new, |k| format!(" for `{k}`"));
        if let Some(rest) = message.strip_prefix("unknown field ") {
            let name = backticked(rest).unwrap_or_default();
            let names: Vec<&str> = expected.iter().map(String::as_str).collect();
            let close = closest(&name, names.iter().copied());
            let hint = match close {
                Some(c) => format!("did you mean `{c}`?"),
                None if names.is_empty() => "this table has no fields".to_owned(),
                None => format!("expected {}", one_of(&names)),
            };
            sink.error(codes::UNKNOWN_FIELD, &loc, format!("unknown field `{name}`"))
                .hint(hint);
            return close.map(str::to_owned);
        }
        if let Some(rest) = message.strip_prefix("unknown variant ") {
            let got = backticked(rest).unwrap_or_default();
            let names: Vec<&str> = expected.iter().map(String::as_str).collect();
            sink.error(
                codes::INVALID_VALUE,
                &loc,
                format!("invalid value `{got}`{field}: expected {}", one_of(&names)),
            )
            .maybe_hint(did_you_mean(&got, names.iter().copied()));
        } else if let Some(rest) = message.strip_prefix("invalid value: ") {
            sink.error(
                codes::INVALID_VALUE,
                &loc,
                format!("invalid value{field}: {}", plain_types(rest)),
            );
        } else if let Some(rest) = message.strip_prefix("invalid type: ") {
            let hint = matches!(
                find_at(node, span).map(Spanned::get_ref),
                Some(DeValue::Datetime(_))
            )
            .then(|| "write dates as strings, e.g. `\"2026-03-01\"`".to_owned());
            sink.error(
                codes::PARSE_ERROR,
                &loc,
                format!("wrong type{field}: {}", plain_types(rest)),
            )
            .maybe_hint(hint);
        } else {
            sink.error(
                codes::PARSE_ERROR,
                &loc,
                format!("{}{field}", toml_message(message)),
            );
        }
        None
    }
}

/// The entries of one array of tables.
pub(crate) struct Parsed<'d, 'a, T> {
    /// Entries that deserialised (possibly after bad fields were reported and dropped).
    pub(crate) ok: Vec<Entry<'d, 'a, T>>,
    /// Entries that could not be deserialised (already reported).
    pub(crate) failed: Vec<At<'d, 'a>>,
}

/// A deserialised entry and where it is.
pub(crate) struct Entry<'d, 'a, T> {
    /// The raw struct.
    pub(crate) raw: T,
    /// Its table in the file.
    pub(crate) at: At<'d, 'a>,
}

/// A node of a file's tree, for finding positions.
#[derive(Clone, Copy)]
pub(crate) struct At<'d, 'a> {
    doc: &'d Doc<'a>,
    node: &'d Value<'a>,
}

impl<'d, 'a> At<'d, 'a> {
    /// Where the node starts (the `[[header]]` for an array-of-tables entry).
    pub(crate) fn loc(&self) -> Loc {
        self.doc.loc(self.node.span().start)
    }

    /// The value of a field of this table.
    pub(crate) fn field(&self, key: &str) -> Option<At<'d, 'a>> {
        match self.node.get_ref() {
            DeValue::Table(t) => t.get(key).map(|node| At { doc: self.doc, node }),
            _ => None,
        }
    }

    /// Element `i` of this array.
    pub(crate) fn item(&self, i: usize) -> Option<At<'d, 'a>> {
        match self.node.get_ref() {
            DeValue::Array(a) => a.get(i).map(|node| At { doc: self.doc, node }),
            _ => None,
        }
    }

    /// Where a field's value is, or this node when the field is absent.
    pub(crate) fn field_loc(&self, key: &str) -> Loc {
        self.field(key).map_or_else(|| self.loc(), |f| f.loc())
    }

    /// Where element `i` of array field `key` is, falling back to the field, then to this node.
    pub(crate) fn item_loc(&self, key: &str, i: usize) -> Loc {
        match self.field(key) {
            Some(f) => f.item(i).map_or_else(|| f.loc(), |it| it.loc()),
            None => self.loc(),
        }
    }

    /// Where the key `key` of this table is written, or this node when absent.
    pub(crate) fn key_loc(&self, key: &str) -> Loc {
        match self.node.get_ref() {
            DeValue::Table(t) => t
                .get_key_value(key)
                .map_or_else(|| self.loc(), |(k, _)| self.doc.loc(k.span().start)),
            _ => self.loc(),
        }
    }

    /// The string value of a field, if it is a string.
    pub(crate) fn str_field(&self, key: &str) -> Option<&'d str> {
        self.field(key).and_then(|f| f.node.get_ref().as_str())
    }

    /// The spanned value itself.
    pub(crate) fn node(&self) -> &'d Value<'a> {
        self.node
    }

    /// The file this node is in.
    pub(crate) fn file(&self) -> &str {
        &self.doc.name
    }
}

/// The required fields of a struct, from its schema.
fn required_fields<T: JsonSchema>() -> Vec<String> {
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
    schema
        .get("required")
        .and_then(|r| r.as_array())
        .map(|r| r.iter().filter_map(|f| f.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// The key, anywhere in the tree, whose key or value span is `span`, or whose value holds it.
fn key_at(value: &Value<'_>, span: &Range<usize>) -> Option<String> {
    let DeValue::Table(t) = value.get_ref() else {
        return None;
    };
    for (k, v) in t.iter() {
        if k.span() == *span || v.span() == *span {
            return Some(k.get_ref().to_string());
        }
        if contains(&v.span(), span) {
            let deeper = match v.get_ref() {
                DeValue::Table(_) => key_at(v, span),
                DeValue::Array(items) => items
                    .iter()
                    .filter(|it| contains(&it.span(), span))
                    .find_map(|it| key_at(it, span)),
                _ => None,
            };
            return deeper.or_else(|| Some(k.get_ref().to_string()));
        }
    }
    None
}

/// The value whose span is exactly `span`.
fn find_at<'v, 'a>(value: &'v Value<'a>, span: &Range<usize>) -> Option<&'v Value<'a>> {
    if value.span() == *span {
        return Some(value);
    }
    match value.get_ref() {
        DeValue::Table(t) => t
            .iter()
            .filter(|(_, v)| contains(&v.span(), span))
            .find_map(|(_, v)| find_at(v, span)),
        DeValue::Array(a) => a
            .iter()
            .filter(|v| contains(&v.span(), span))
            .find_map(|v| find_at(v, span)),
        _ => None,
    }
}

/// Removes the innermost table field whose key or value is (or holds) `span`; returns its key.
fn remove_at(value: &mut Value<'_>, span: &Range<usize>) -> Option<String> {
    let DeValue::Table(t) = value.get_mut() else {
        return None;
    };
    let mut hit: Option<String> = None;
    for (k, v) in t.iter_mut() {
        if k.span() == *span || v.span() == *span {
            hit = Some(k.get_ref().to_string());
            break;
        }
        if contains(&v.span(), span) {
            let deeper = match v.get_mut() {
                DeValue::Table(_) => remove_at(v, span),
                DeValue::Array(items) => items
                    .iter_mut()
                    .filter(|it| contains(&it.span(), span) && it.span() != *span)
                    .find_map(|it| remove_at(it, span)),
                _ => None,
            };
            if deeper.is_some() {
                return deeper;
            }
            hit = Some(k.get_ref().to_string());
            break;
        }
    }
    let key = hit?;
    t.remove(key.as_str());
    Some(key)
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The first `` `quoted` `` word of a serde message.
fn backticked(s: &str) -> Option<String> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(s[start..start + len].to_owned())
}

/// The names after "expected" in a serde message such as "expected one of `a`, `b`".
fn expected_names(message: &str) -> Vec<String> {
    let Some(at) = message.find(", expected ") else {
        return Vec::new();
    };
    message[at..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// Serde speaks of Rust types (`u8`, `sequence`, `struct RawZone`); users know TOML and ranges.
fn plain_types(message: &str) -> String {
    let (found, expected) = match message.split_once(", expected ") {
        Some((f, e)) => (f, Some(e)),
        None => (message, None),
    };
    let found = match found {
        "sequence" => "array",
        "map" => "table",
        other => other,
    };
    let Some(expected) = expected else {
        return found.to_owned();
    };
    let expected = match expected {
        "u8" => "an integer 0-255",
        "u16" => "an integer 0-65535",
        "u32" => "an integer 0-4294967295",
        "i64" => "an integer",
        "f64" => "a number",
        "a sequence" => "an array",
        e if e.starts_with("struct ") || e == "a map" => "a table",
        e if e.starts_with("enum ") => "a string",
        e => e,
    };
    format!("{found}, expected {expected}")
}

/// A toml error message with its first letter lower-cased and no trailing period.
fn toml_message(message: &str) -> String {
    let m = message.trim().trim_end_matches('.');
    let mut chars = m.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "malformed TOML".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let mut sink = Sink::default();
        let doc = Doc::parse("x.toml", "a = 1\n# é\n\"bé\" = 2\n", &mut sink);
        assert!(sink.diags.is_empty());
        let l = doc.loc(0);
        assert_eq!((l.line, l.column), (1, 1));
        let l = doc.loc(6);
        assert_eq!((l.line, l.column), (2, 1));
        // `"bé" = 2`: the `=` is the sixth character but the seventh byte of its line.
        let eq = "a = 1\n# é\n\"bé\" ".len();
        let l = doc.loc(eq);
        assert_eq!((l.line, l.column), (3, 6));
    }

    #[test]
    fn message_helpers() {
        assert_eq!(
            backticked("unknown field `nmae`, expected `x`").as_deref(),
            Some("nmae")
        );
        assert_eq!(
            expected_names("unknown field `nmae`, expected one of `id`, `name`"),
            vec!["id".to_owned(), "name".to_owned()]
        );
        assert_eq!(
            expected_names("unknown field `x`, there are no fields"),
            Vec::<String>::new()
        );
        assert_eq!(
            plain_types("integer `300`, expected u8"),
            "integer `300`, expected an integer 0-255"
        );
        assert_eq!(
            plain_types("sequence, expected a string"),
            "array, expected a string"
        );
        assert_eq!(
            plain_types("integer `3`, expected struct RawConsequences"),
            "integer `3`, expected a table"
        );
        assert_eq!(
            plain_types("integer `3`, expected enum RawStatus"),
            "integer `3`, expected a string"
        );
        assert_eq!(toml_message("Duplicate key."), "duplicate key");
    }
}
