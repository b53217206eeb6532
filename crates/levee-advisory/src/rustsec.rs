//! RustSec advisories: Markdown files whose TOML front matter sits in a fenced ```` ```toml ````
//! block, followed by a `# Title` and the description.
//!
//! The package is a crates.io crate; versions are Cargo semver requirement lists kept as
//! [`VersionSpec::NotIn`]: a version is affected unless it matches one of `patched` or
//! `unaffected`.

use serde::Deserialize;

use crate::cvss::CvssVersion;
use crate::error::{AdvisoryError, ErrorKind, Location};
use crate::model::{
    Advisory, AffectedProduct, Origin, Product, ProductStatus, Reference, Source, VersionSpec,
};
use crate::util::{is_cve, normalize_cve, sorted_unique};

#[derive(Debug, Deserialize)]
struct FrontMatter {
    advisory: AdvisoryDef,
    #[serde(default)]
    versions: Option<VersionsDef>,
}

#[derive(Debug, Deserialize)]
struct AdvisoryDef {
    id: String,
    package: String,
    date: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    informational: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
    #[serde(default)]
    references: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct VersionsDef {
    #[serde(default)]
    patched: Vec<String>,
    #[serde(default)]
    unaffected: Vec<String>,
}

fn err(kind: ErrorKind, line: usize, msg: impl Into<String>) -> AdvisoryError {
    AdvisoryError::new(kind, Location::line(line), msg)
}

/// Reads one RustSec advisory.
pub fn parse(bytes: &[u8]) -> Result<Advisory, AdvisoryError> {
    crate::json::check_size(bytes)?;
    let text = std::str::from_utf8(crate::json::strip_bom(bytes))
        .map_err(|e| AdvisoryError::new(ErrorKind::Encoding, Location::root(), format!("not UTF-8: {e}")))?;
    let mut lines = text.lines().enumerate();
    let Some((_, first)) = lines.next() else {
        return Err(err(ErrorKind::Syntax, 1, "empty advisory"));
    };
    if first.trim_end() != "```toml" {
        return Err(err(ErrorKind::Syntax, 1, "expected a ```toml front matter block"));
    }
    let mut toml_text = String::new();
    let mut end = None;
    for (n, line) in lines.by_ref() {
        if line.trim_end() == "```" {
            end = Some(n);
            break;
        }
        toml_text.push_str(line);
        toml_text.push('\n');
    }
    let Some(end) = end else {
        return Err(err(ErrorKind::Syntax, 1, "the front matter block is not closed"));
    };
    let fm: FrontMatter = toml::from_str(&toml_text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            toml_text
                .get(..s.start)
                .map_or(1, |before| before.matches('\n').count() + 2)
        });
        err(ErrorKind::Schema, line, e.message().trim_end().to_owned())
    })?;
    let body: Vec<&str> = lines.map(|(_, l)| l).collect();
    let title_idx = body.iter().position(|l| l.starts_with("# "));
    let title = title_idx.map(|i| body[i][2..].trim().to_owned());
    let description = title_idx
        .map(|i| body[i + 1..].join("\n").trim().to_owned())
        .filter(|d| !d.is_empty());

    let d = fm.advisory;
    let mut a = Advisory::new(d.id.clone(), Source::RustSec);
    a.title = title;
    a.description = description;
    a.published = Some(d.date.clone());
    a.withdrawn = d.withdrawn.clone();
    let (cves, others): (Vec<String>, Vec<String>) = d.aliases.iter().cloned().partition(|x| is_cve(x));
    a.cves = sorted_unique(cves.iter().map(|c| normalize_cve(c)).collect());
    a.aliases = sorted_unique(others);
    a.related = sorted_unique(d.related.clone());
    a.severity_text = d.informational.clone();
    if let Some(v) = &d.cvss {
        let hint = if v.starts_with("CVSS:4.0") {
            CvssVersion::V4_0
        } else if v.starts_with("CVSS:3.0") {
            CvssVersion::V3_0
        } else {
            CvssVersion::V3_1
        };
        a.cvss.extend(crate::osv::cvss_score(v, Some(hint)));
    }
    a.references = d
        .url
        .iter()
        .chain(&d.references)
        .map(|u| Reference {
            url: u.clone(),
            kind: None,
            summary: None,
        })
        .collect();
    let versions = fm.versions.map_or_else(
        || VersionSpec::NotIn {
            patched: Vec::new(),
            unaffected: Vec::new(),
        },
        |v| VersionSpec::NotIn {
            patched: v.patched.iter().map(|s| s.trim().to_owned()).collect(),
            unaffected: v.unaffected.iter().map(|s| s.trim().to_owned()).collect(),
        },
    );
    let product = Product {
        ecosystem: Some("crates.io".to_owned()),
        name: Some(d.package.clone()),
        purl: Some(format!("pkg:cargo/{}", d.package)),
        versions: vec![versions],
        ..Product::default()
    };
    let mut ap = AffectedProduct::new(product, ProductStatus::KnownAffected);
    ap.origin = format!("line {}", end + 1);
    a.affected.push(ap);
    a.origin = Origin {
        file: None,
        pointer: "line 1".into(),
    };
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_title() -> Result<(), AdvisoryError> {
        let md = "```toml\n[advisory]\nid = \"RUSTSEC-2021-0001\"\npackage = \"demo\"\ndate = \"2021-01-01\"\n\
aliases = [\"CVE-2021-1234\", \"GHSA-aaaa-bbbb-cccc\"]\n\
cvss = \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"\n\n[versions]\npatched = [\">= 1.2.3\"]\n\
unaffected = [\"< 0.5\"]\n```\n\n# Demo is broken\n\nDetails.\n";
        let a = parse(md.as_bytes())?;
        assert_eq!(a.title.as_deref(), Some("Demo is broken"));
        assert_eq!(a.cves, ["CVE-2021-1234"]);
        assert_eq!(a.aliases, ["GHSA-aaaa-bbbb-cccc"]);
        assert_eq!(a.cvss[0].base_score, Some(9.8));
        assert_eq!(
            a.affected[0].product.versions,
            [VersionSpec::NotIn {
                patched: vec![">= 1.2.3".into()],
                unaffected: vec!["< 0.5".into()]
            }]
        );
        let bad = "```toml\n[advisory]\nid = 3\n```\n";
        assert_eq!(
            parse(bad.as_bytes()).expect_err("must fail").location.line,
            Some(3)
        );
        Ok(())
    }
}
