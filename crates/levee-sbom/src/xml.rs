//! A small XML element tree over `quick-xml`, with namespaces resolved, byte offsets kept for
//! located errors, and a nesting limit so that hostile input cannot exhaust the stack of the code
//! that walks the tree.
//!
//! DTDs are not processed: a `<!DOCTYPE>` is skipped, and only the predefined entities and
//! character references are expanded, so there are no external or recursive entity expansions.

use std::rc::Rc;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::error::{ErrorKind, Location, SbomError};

/// Deepest element nesting accepted.
pub const MAX_XML_DEPTH: usize = 256;

/// One element.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    /// Namespace URI, empty when unbound (shared between the elements of one namespace).
    pub ns: Rc<str>,
    /// Local name.
    pub name: String,
    /// Unprefixed attributes, in document order (prefixed ones are foreign extensions and are
    /// kept with their prefix).
    pub attrs: Vec<(String, String)>,
    /// Child elements.
    pub children: Vec<Element>,
    /// Text content (text and CDATA, concatenated).
    pub text: String,
    /// Byte offset of the start tag.
    pub offset: usize,
}

impl Element {
    /// The value of an unprefixed attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements named `name` in the same namespace as `self`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |c| c.name == name && c.ns == self.ns)
    }

    /// The first child element named `name` in `self`'s namespace.
    pub fn child<'a>(&'a self, name: &'a str) -> Option<&'a Element> {
        self.all(name).next()
    }

    /// The trimmed text of the first child named `name`, if not empty.
    pub fn child_text(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim().to_owned())
            .filter(|t| !t.is_empty())
    }
}

/// Parses a document into its root element.
pub(crate) fn parse(bytes: &[u8]) -> Result<Element, SbomError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        SbomError::new(
            ErrorKind::Encoding,
            Location::at_offset(bytes, e.valid_up_to()),
            "the XML is not UTF-8",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom_len = bytes.len() - text.len();
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut namespaces: Vec<Rc<str>> = Vec::new();
    let mut root: Option<Element> = None;
    let syntax = |reader: &NsReader<&[u8]>, msg: String| {
        let pos = usize::try_from(reader.error_position())
            .unwrap_or(usize::MAX)
            .saturating_add(bom_len);
        SbomError::new(ErrorKind::Syntax, Location::at_offset(bytes, pos), msg)
    };
    loop {
        let offset = usize::try_from(reader.buffer_position())
            .unwrap_or(usize::MAX)
            .saturating_add(bom_len);
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, ev)) => (intern(&mut namespaces, &ns), ev),
            Err(e) => return Err(syntax(&reader, format!("malformed XML: {e}"))),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if stack.len() >= MAX_XML_DEPTH {
                    return Err(SbomError::new(
                        ErrorKind::TooDeep,
                        Location::at_offset(bytes, offset),
                        format!("elements nested deeper than {MAX_XML_DEPTH}"),
                    ));
                }
                if root.is_some() && stack.is_empty() {
                    return Err(SbomError::new(
                        ErrorKind::Syntax,
                        Location::at_offset(bytes, offset),
                        "more than one root element",
                    ));
                }
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|err| {
                        SbomError::new(
                            ErrorKind::Syntax,
                            Location::at_offset(bytes, offset),
                            format!("malformed attribute: {err}"),
                        )
                    })?;
                    let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        continue;
                    }
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| {
                            SbomError::new(
                                ErrorKind::Syntax,
                                Location::at_offset(bytes, offset),
                                format!("malformed attribute value: {err}"),
                            )
                        })?;
                    attrs.push((key, value.into_owned()));
                }
                let el = Element {
                    ns,
                    name,
                    attrs,
                    children: Vec::new(),
                    text: String::new(),
                    offset,
                };
                if matches!(event, Event::Empty(_)) {
                    attach(&mut stack, &mut root, el);
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                if let Some(el) = stack.pop() {
                    attach(&mut stack, &mut root, el);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = t
                        .xml10_content()
                        .map_err(|e| syntax(&reader, format!("bad text: {e}")))?;
                    top.text.push_str(&s);
                } else if !t.iter().all(u8::is_ascii_whitespace) {
                    return Err(SbomError::new(
                        ErrorKind::Syntax,
                        Location::at_offset(bytes, offset),
                        "text outside the root element",
                    ));
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match r.as_ref() {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None,
                    },
                    Err(_) => None,
                };
                let Some(c) = resolved else {
                    return Err(SbomError::new(
                        ErrorKind::Syntax,
                        Location::at_offset(bytes, offset),
                        format!("unknown entity &{};", String::from_utf8_lossy(&r)),
                    ));
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(SbomError::new(
            ErrorKind::Syntax,
            Location::at_offset(bytes, open.offset),
            format!("element <{}> is not closed", open.name),
        ));
    }
    root.ok_or_else(|| SbomError::document(ErrorKind::Syntax, "no root element"))
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

/// The namespace of a resolved name, shared with earlier elements of the same namespace.
fn intern(known: &mut Vec<Rc<str>>, r: &ResolveResult<'_>) -> Rc<str> {
    let uri: &[u8] = match r {
        ResolveResult::Bound(ns) => ns.as_ref(),
        _ => b"",
    };
    if let Some(k) = known.iter().find(|k| k.as_bytes() == uri) {
        return Rc::clone(k);
    }
    let new: Rc<str> = Rc::from(String::from_utf8_lossy(uri).as_ref());
    if known.len() < 64 {
        known.push(Rc::clone(&new));
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_text_and_entities() {
        let doc = parse(
            br#"<?xml version="1.0"?><bom xmlns="urn:x" xmlns:o="urn:o" a="1&amp;2" o:b="z"><c>t&lt;<![CDATA[u]]>&#65;</c><o:d/></bom>"#,
        )
        .unwrap();
        assert_eq!(&*doc.ns, "urn:x");
        assert_eq!(doc.attr("a"), Some("1&2"));
        assert_eq!(doc.attr("o:b"), Some("z"));
        assert_eq!(doc.child_text("c").as_deref(), Some("t<uA"));
        assert_eq!(&*doc.children[1].ns, "urn:o");
        assert!(doc.child("d").is_none());
    }

    #[test]
    fn errors_are_located() {
        let e = parse(b"<a>\n  <b></c>\n</a>").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(matches!(e.location, Location::LineColumn { line: 2, .. }), "{e}");
        assert_eq!(parse(b"<a>").unwrap_err().kind, ErrorKind::Syntax);
        assert_eq!(parse(b"<a>&foo;</a>").unwrap_err().kind, ErrorKind::Syntax);
        let deep = "<a>".repeat(MAX_XML_DEPTH + 1);
        assert_eq!(parse(deep.as_bytes()).unwrap_err().kind, ErrorKind::TooDeep);
    }
}
