//! The few pieces every page is built from: escaping of every outside string (text and attribute
//! values alike), percent-encoding of path segments and query values, the page layout with its
//! navigation and CSRF token, and the reader of `application/x-www-form-urlencoded` bodies.
//!
//! Nothing outside the binary is written into a page except through [`esc`] (or [`pct`] inside an
//! attribute, whose output is escaped too), so a hostile project, zone or finding name is shown as
//! text and never runs.

use std::fmt::Write;

/// Escapes text for HTML text and double- or single-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline have no place in a page.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a path segment or query value: everything but `A-Z a-z 0-9 - . _ ~`.
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Decodes one `application/x-www-form-urlencoded` component (`+` is a space); `None` for a bad
/// escape or bytes that are not UTF-8.
pub fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The fields of a form body or query string, in order; at most `max` pairs (repeats count), a
/// field named twice keeps its first value. `None` for a malformed body.
pub fn form(body: &str, max: usize) -> Option<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (n, pair) in body.split('&').filter(|p| !p.is_empty()).enumerate() {
        if n >= max {
            return None;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k)?, decode(v)?);
        if !out.iter().any(|(seen, _)| *seen == k) {
            out.push((k, v));
        }
    }
    Some(out)
}

/// The value of `name` in parsed fields.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Who is looking at a page: shown in the header, and the CSRF token its forms carry.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    /// The user name (empty when signed out).
    pub user: String,
    /// The session's CSRF token (empty for a Bearer token or no session).
    pub csrf: String,
}

/// A page: its title, the breadcrumb trail and the body markup (already escaped).
pub struct Page<'a> {
    /// The `<title>` and `<h1>` (escaped here).
    pub title: &'a str,
    /// Who is signed in.
    pub viewer: &'a Viewer,
    /// Breadcrumbs before the title: (text, href), escaped here.
    pub crumbs: &'a [(&'a str, String)],
    /// The main content, already escaped markup.
    pub body: String,
}

impl Page<'_> {
    /// The whole document. No inline script or style: the CSS and JS are the embedded assets.
    pub fn render(&self) -> String {
        let mut s = String::with_capacity(self.body.len() + 2048);
        let _ = write!(
            s,
            r##"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="csrf-token" content="{csrf}"><title>{title} · Levee</title><link rel="icon" href="data:,"><link rel="stylesheet" href="{css}"><script src="{js}" defer></script></head><body><a class="skip" href="#main">Skip to content</a><header class="top"><a class="brand" href="/projects">Levee</a>"##,
            csrf = esc(&self.viewer.csrf),
            title = esc(self.title),
            css = super::CSS_PATH,
            js = super::JS_PATH,
        );
        if !self.viewer.user.is_empty() {
            let _ = write!(
                s,
                r#"<nav aria-label="Main"><a href="/projects">Projects</a></nav><form class="signout" method="post" action="/logout"><input type="hidden" name="csrf" value="{csrf}"><span class="who">{user}</span> <button type="submit">Sign out</button></form>"#,
                csrf = esc(&self.viewer.csrf),
                user = esc(&self.viewer.user),
            );
        }
        s.push_str(r#"</header><main id="main" tabindex="-1">"#);
        if !self.crumbs.is_empty() {
            s.push_str(r#"<nav class="crumbs" aria-label="Breadcrumb"><ol>"#);
            for (text, href) in self.crumbs {
                let _ = write!(s, r#"<li><a href="{}">{}</a></li>"#, esc(href), esc(text));
            }
            let _ = write!(
                s,
                r#"<li aria-current="page">{}</li></ol></nav>"#,
                esc(self.title)
            );
        }
        let _ = write!(s, "<h1>{}</h1>", esc(self.title));
        s.push_str(&self.body);
        s.push_str("</main></body></html>");
        s
    }
}

/// A hidden CSRF field for a form.
pub fn csrf_field(v: &Viewer) -> String {
    format!(r#"<input type="hidden" name="csrf" value="{}">"#, esc(&v.csrf))
}

/// A message box: `kind` is `error` (announced at once) or `ok`.
pub fn notice(kind: &str, text: &str) -> String {
    let role = if kind == "error" { "alert" } else { "status" };
    format!(r#"<p class="notice {kind}" role="{role}">{}</p>"#, esc(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            esc(r#"<script>alert("x")</script>&'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
        );
        assert_eq!(esc("a\u{0}b"), "a\u{fffd}b");
        assert_eq!(pct("SR 1.1/x?y"), "SR%201.1%2Fx%3Fy");
        assert_eq!(decode("SR%201.1+x").as_deref(), Some("SR 1.1 x"));
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%ff"), None);
    }

    #[test]
    fn forms_are_bounded_and_keep_the_first_value() {
        let f = form("state=not-affected&detail=a+b%21&state=fixed", 10).expect("form");
        assert_eq!(field(&f, "state"), Some("not-affected"));
        assert_eq!(field(&f, "detail"), Some("a b!"));
        assert_eq!(field(&f, "csrf"), None);
        assert!(form(&"a=1&".repeat(20), 10).is_none());
        assert!(form("a=%", 10).is_none());
    }

    #[test]
    fn a_page_escapes_its_title_and_user() {
        let v = Viewer {
            user: "<b>".into(),
            csrf: "\"x".into(),
        };
        let html = Page {
            title: "<script>alert(1)</script>",
            viewer: &v,
            crumbs: &[("<i>", "/p?a=\"".into())],
            body: String::new(),
        }
        .render();
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<b>") && !html.contains("<i>"));
        assert!(html.contains(r#"content="&quot;x""#));
    }
}
