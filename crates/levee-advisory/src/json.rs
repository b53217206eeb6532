//! Reading JSON with limits, and errors located by JSON pointer.
//!
//! The happy path is plain `serde_json`; only when a document fails to deserialize is it read a
//! second time with path tracking, so the error can name the JSON pointer of the bad value.

use serde::de::DeserializeOwned;

use crate::error::{AdvisoryError, ErrorKind, Location};
use crate::limits::MAX_INPUT_BYTES;

/// Drops a UTF-8 byte order mark.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Fails when the input is larger than [`MAX_INPUT_BYTES`].
pub(crate) fn check_size(bytes: &[u8]) -> Result<(), AdvisoryError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(AdvisoryError::new(
            ErrorKind::Limit,
            Location::root(),
            format!(
                "input of {} bytes exceeds the limit of {MAX_INPUT_BYTES} bytes",
                bytes.len()
            ),
        ));
    }
    Ok(())
}

/// Deserializes a whole JSON document.
pub(crate) fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AdvisoryError> {
    check_size(bytes)?;
    let bytes = strip_bom(bytes);
    match serde_json::from_slice::<T>(bytes) {
        Ok(v) => Ok(v),
        Err(e) => Err(locate::<T>(bytes, &e)),
    }
}

/// Turns a `serde_json` error into a located error, re-reading the input to find the pointer.
fn locate<T: DeserializeOwned>(bytes: &[u8], e: &serde_json::Error) -> AdvisoryError {
    let mut location = Location {
        line: Some(e.line()),
        column: Some(e.column()),
        ..Location::default()
    };
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m)
        .to_owned();
    let kind = if message.contains("recursion limit") {
        ErrorKind::Limit
    } else if e.is_data() {
        ErrorKind::Schema
    } else {
        ErrorKind::Syntax
    };
    if e.is_data() {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        if let Err(err) = serde_path_to_error::deserialize::<_, T>(&mut de) {
            location.pointer = Some(path_to_pointer(err.path()));
        }
    }
    AdvisoryError::new(kind, location, message)
}

/// Converts a `serde_path_to_error` path to a JSON pointer.
pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out = crate::error::push_pointer(&out, index),
            Segment::Map { key } => out = crate::error::push_pointer(&out, key),
            Segment::Enum { variant } => out = crate::error::push_pointer(&out, variant),
            Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
    }

    #[test]
    fn data_errors_carry_a_pointer_and_syntax_errors_a_line() {
        let e = from_slice::<Outer>(br#"{"items":[{"name":"a"},{"name":3}]}"#)
            .map(|_| ())
            .expect_err("must fail");
        assert_eq!(e.kind, ErrorKind::Schema);
        assert_eq!(e.location.pointer.as_deref(), Some("/items/1/name"));
        let e = from_slice::<Outer>(b"{\n\"items\": [}")
            .map(|_| ())
            .expect_err("must fail");
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert_eq!(e.location.line, Some(2));
        let deep = "[".repeat(1000);
        let e = from_slice::<serde_json::Value>(deep.as_bytes())
            .map(|_| ())
            .expect_err("must fail");
        assert_eq!(e.kind, ErrorKind::Limit);
    }
}
