//! Page helpers of report.html: the table of contents and Markdown code spans in notes.

use std::fmt::Write;

use crate::html::escape;

/// `a `b` c` → `a <code>b</code> c`: notes are written with Markdown code spans; everything else is
/// escaped.
pub(crate) fn inline_code(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut parts = s.split('`');
    let mut open = false;
    if let Some(first) = parts.next() {
        out.push_str(&escape(first));
    }
    let rest: Vec<&str> = parts.collect();
    // An unmatched last backtick stays a backtick.
    let pairs = rest.len() / 2 * 2;
    for (i, p) in rest.iter().enumerate() {
        if i >= pairs {
            out.push('`');
            out.push_str(&escape(p));
            continue;
        }
        open = !open;
        if open {
            out.push_str("<code>");
            out.push_str(&escape(p));
            out.push_str("</code>");
        } else {
            out.push_str(&escape(p));
        }
    }
    out
}

/// Inserts a table of contents after the page header: every `<section id="…"><h2>…</h2>` in page
/// order, with the zones nested under theirs. One pass over the page; the titles are already
/// escaped HTML.
pub(crate) fn with_contents(page: String) -> String {
    const OPEN: &str = "<section id=\"";
    // (section id, title, [(zone heading id, zone name)])
    type Entry<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);
    let mut entries: Vec<Entry<'_>> = Vec::new();
    let mut first_section = None;
    let mut from = 0;
    while let Some(i) = page[from..].find(OPEN) {
        let at = from + i;
        first_section.get_or_insert(at);
        from = at + OPEN.len();
        let after = &page[from..];
        let Some(q) = after.find('"') else { break };
        let id = &after[..q];
        let Some(title) = after[q..]
            .strip_prefix("\"><h2>")
            .and_then(|h| h.find("</h2>").map(|e| &h[..e]))
        else {
            continue;
        };
        let mut nested = Vec::new();
        if id == "zones" {
            let body = &after[..after.find("</section>").unwrap_or(after.len())];
            let mut rest = body;
            while let Some(z) = rest.find("<h3 id=\"") {
                let h = &rest[z + 8..];
                let (Some(qe), Some(te)) = (h.find('"'), h.find("</h3>")) else {
                    break;
                };
                let name_start = h[..te].find('>').map_or(te, |g| g + 1);
                let name = h[name_start..te].split(" <code>").next().unwrap_or("");
                nested.push((&h[..qe], name));
                rest = &h[te..];
            }
        }
        entries.push((id, title, nested));
    }
    let mut toc = String::from("<nav id=\"contents\" aria-label=\"Contents\"><h2>Contents</h2><ol>");
    for (id, title, nested) in &entries {
        let _ = write!(toc, "<li><a href=\"#{id}\">{title}</a>");
        if !nested.is_empty() {
            toc.push_str("<ol>");
            for (zid, name) in nested {
                let _ = write!(toc, "<li><a href=\"#{zid}\">{name}</a></li>");
            }
            toc.push_str("</ol>");
        }
        toc.push_str("</li>");
    }
    toc.push_str("</ol></nav>");
    match first_section {
        Some(at) => {
            let mut out = String::with_capacity(page.len() + toc.len());
            out.push_str(&page[..at]);
            out.push_str(&toc);
            out.push_str(&page[at..]);
            out
        }
        None => page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_become_code_and_the_rest_is_escaped() {
        assert_eq!(
            inline_code("set `untrusted = true` on <c>"),
            "set <code>untrusted = true</code> on &lt;c&gt;"
        );
        assert_eq!(inline_code("a `b` c `d"), "a <code>b</code> c `d");
        assert_eq!(inline_code("no code"), "no code");
    }

    #[test]
    fn contents_lists_every_section_and_nests_the_zones() {
        let page = "<h1>t</h1><section id=\"summary\"><h2>Summary</h2></section>\
                    <section id=\"zones\"><h2>Zones</h2><h3 id=\"zone-a\">Zone &amp; A <code>a</code></h3></section>\
                    <section id=\"plan\"><h2>Plan</h2></section>"
            .to_owned();
        let out = with_contents(page);
        let nav = &out[out.find("<nav").expect("nav")..out.find("</nav>").expect("end")];
        assert!(out.starts_with("<h1>t</h1><nav"), "{out}");
        assert_eq!(
            nav,
            "<nav id=\"contents\" aria-label=\"Contents\"><h2>Contents</h2><ol><li><a href=\"#summary\">Summary</a></li>\
             <li><a href=\"#zones\">Zones</a><ol><li><a href=\"#zone-a\">Zone &amp; A</a></li></ol></li>\
             <li><a href=\"#plan\">Plan</a></li></ol>"
        );
    }
}
