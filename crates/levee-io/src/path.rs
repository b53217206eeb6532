//! Names of files inside a root, as stored and sent (`responses/common.toml`): checked before
//! anything is read or written under them, so no stored name can climb out of the directory it is
//! written into, hide, or mean different files on different systems.

/// The longest name, in bytes.
pub const MAX_PATH_BYTES: usize = 255;

/// The deepest name, in components.
pub const MAX_PATH_DEPTH: usize = 16;

/// Why a name is refused (a phrase that follows the name: "… is empty").
pub fn check_relative(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("is empty");
    }
    if path.len() > MAX_PATH_BYTES {
        return Err("is too long");
    }
    let mut depth = 0;
    for part in path.split('/') {
        depth += 1;
        if depth > MAX_PATH_DEPTH {
            return Err("is nested too deeply");
        }
        if part.is_empty() {
            return Err("has an empty component (a leading, doubled or trailing `/`)");
        }
        if part.starts_with('.') {
            return Err("has a hidden component or `..`");
        }
        if !part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+' | b'@'))
        {
            return Err("has a character outside A-Z, a-z, 0-9, `.`, `_`, `-`, `+` and `@`");
        }
    }
    Ok(())
}

/// Entry point shared by the `stored_path` fuzz target and its corpus regression test: a name
/// that passes stays below any root it is joined to.
pub fn fuzz_relative(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if check_relative(text).is_err() {
        return;
    }
    let rel = std::path::Path::new(text);
    assert!(rel.is_relative(), "{text:?}");
    assert!(
        rel.components()
            .all(|c| matches!(c, std::path::Component::Normal(_))),
        "{text:?}"
    );
    let root = std::path::Path::new("/root");
    assert!(root.join(rel).starts_with(root), "{text:?}");
    assert!(text.len() <= MAX_PATH_BYTES && !text.contains('\\'));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_could_climb_out_or_hide_are_refused() {
        for ok in [
            "levee.toml",
            "responses/common.toml",
            "sbom/plc-1.cdx.json",
            "a/b/c@2+x_y-z",
        ] {
            assert_eq!(check_relative(ok), Ok(()), "{ok}");
            fuzz_relative(ok.as_bytes());
        }
        for bad in [
            "",
            "../x",
            "a/../b",
            "/etc/passwd",
            "a\\b",
            ".git/config",
            "a//b",
            "a/",
            "x y",
            "a/./b",
            "C:x",
            "caf\u{e9}",
            "a\0b",
        ] {
            assert!(check_relative(bad).is_err(), "{bad:?}");
            fuzz_relative(bad.as_bytes());
        }
        assert!(check_relative(&"a".repeat(MAX_PATH_BYTES + 1)).is_err());
        assert!(check_relative(&vec!["a"; MAX_PATH_DEPTH + 1].join("/")).is_err());
        assert!(check_relative(&vec!["a"; MAX_PATH_DEPTH].join("/")).is_ok());
    }
}
