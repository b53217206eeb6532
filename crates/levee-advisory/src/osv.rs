//! OSV records (<https://ossf.github.io/osv-schema/>) in JSON or YAML.
//!
//! [`parse_json`] and [`parse_yaml`] read one record and enforce the parts of the schema the
//! matcher relies on (every range has events, an `introduced` event, one version per event, a repo
//! for `GIT`, no `fixed` together with `last_affected`); [`lint`] reports what is legal but
//! suspicious; [`to_advisory`] builds the normalised [`Advisory`].

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::cvss::CvssVersion;
use crate::error::{AdvisoryError, ErrorKind, Location, push_pointer};
use crate::model::{
    Advisory, AffectedProduct, CvssScore, Origin, OsvRange, Product, ProductStatus, RangeEvent, RangeKind,
    Reference, Source, VersionSpec,
};
use crate::util::{is_cve, normalize_cve, sorted_unique};

/// An OSV record as written.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvRecord {
    /// The schema version.
    #[serde(default)]
    pub schema_version: Option<String>,
    /// The record id (`GO-2021-0113`, `PYSEC-2020-342`, `GHSA-…`).
    pub id: String,
    /// Last modification (RFC 3339).
    pub modified: String,
    /// First publication.
    #[serde(default)]
    pub published: Option<String>,
    /// When the record was withdrawn.
    #[serde(default)]
    pub withdrawn: Option<String>,
    /// Ids of the same vulnerability.
    #[serde(default, deserialize_with = "nullable")]
    pub aliases: Vec<String>,
    /// Ids this record was derived from.
    #[serde(default, deserialize_with = "nullable")]
    pub upstream: Vec<String>,
    /// Ids of related vulnerabilities.
    #[serde(default, deserialize_with = "nullable")]
    pub related: Vec<String>,
    /// One line.
    #[serde(default)]
    pub summary: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub details: Option<String>,
    /// Severity scores.
    #[serde(default, deserialize_with = "nullable")]
    pub severity: Vec<OsvSeverity>,
    /// Affected packages.
    #[serde(default, deserialize_with = "nullable")]
    pub affected: Vec<OsvAffected>,
    /// Links.
    #[serde(default, deserialize_with = "nullable")]
    pub references: Vec<OsvReference>,
    /// Source-specific data.
    #[serde(default)]
    pub database_specific: Option<Value>,
}

/// A severity entry.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvSeverity {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector or rating.
    pub score: String,
}

/// An `affected` entry.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvAffected {
    /// The package.
    #[serde(default)]
    pub package: Option<OsvPackage>,
    /// Severity for this package only.
    #[serde(default, deserialize_with = "nullable")]
    pub severity: Vec<OsvSeverity>,
    /// Version ranges.
    #[serde(default, deserialize_with = "nullable")]
    pub ranges: Vec<OsvRangeDef>,
    /// Affected versions, listed.
    #[serde(default, deserialize_with = "nullable")]
    pub versions: Vec<String>,
    /// Ecosystem-specific data (e.g. Go symbols).
    #[serde(default)]
    pub ecosystem_specific: Option<Value>,
    /// Database-specific data.
    #[serde(default)]
    pub database_specific: Option<Value>,
}

/// A package.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvPackage {
    /// The ecosystem (`Go`, `PyPI`, `Alpine:v3.16`, …).
    pub ecosystem: String,
    /// The package name.
    pub name: String,
    /// A package URL.
    #[serde(default)]
    pub purl: Option<String>,
}

/// A range.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvRangeDef {
    /// `SEMVER`, `ECOSYSTEM`, `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The repository of a `GIT` range.
    #[serde(default)]
    pub repo: Option<String>,
    /// The events.
    pub events: Vec<OsvEventDef>,
}

/// An event: exactly one field is set in a valid record.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvEventDef {
    /// Introduced.
    #[serde(default)]
    pub introduced: Option<String>,
    /// Fixed.
    #[serde(default)]
    pub fixed: Option<String>,
    /// Last affected.
    #[serde(default)]
    pub last_affected: Option<String>,
    /// Limit.
    #[serde(default)]
    pub limit: Option<String>,
}

/// A reference.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvReference {
    /// `ADVISORY`, `FIX`, `WEB`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The URL.
    pub url: String,
}

fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Reads an OSV record from JSON.
pub fn parse_json(bytes: &[u8]) -> Result<OsvRecord, AdvisoryError> {
    let rec: OsvRecord = crate::json::from_slice(bytes)?;
    check(&rec)?;
    Ok(rec)
}

/// Reads an OSV record from YAML.
pub fn parse_yaml(bytes: &[u8]) -> Result<OsvRecord, AdvisoryError> {
    crate::json::check_size(bytes)?;
    let text = std::str::from_utf8(crate::json::strip_bom(bytes))
        .map_err(|e| AdvisoryError::new(ErrorKind::Encoding, Location::root(), format!("not UTF-8: {e}")))?;
    refuse_yaml_anchors(text)?;
    let rec: OsvRecord = serde_yaml_ng::from_str(text).map_err(|e| {
        let mut location = Location::default();
        if let Some(l) = e.location() {
            location.line = Some(l.line());
            location.column = Some(l.column());
        }
        let kind = if e.to_string().contains("recursion limit") {
            ErrorKind::Limit
        } else {
            ErrorKind::Schema
        };
        AdvisoryError::new(kind, location, e.to_string())
    })?;
    check(&rec)?;
    Ok(rec)
}

/// Refuses YAML anchors and aliases before the record is deserialized. An alias is expanded in
/// full every time it is used, so 100,000 aliases to a 1 MB scalar in a 1.6 MB file would ask for
/// 100 GB; OSV records have no use for them. One pass over the event stream in constant memory
/// per event; a file this parser cannot read is refused too (fail closed: the check cannot be
/// side-stepped by YAML one parser reads and the other does not).
fn refuse_yaml_anchors(text: &str) -> Result<(), AdvisoryError> {
    use saphyr_parser::{Event, Parser};
    let at = |line: usize, col: usize| Location {
        line: Some(line),
        column: Some(col + 1),
        ..Location::default()
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            AdvisoryError::new(
                ErrorKind::Schema,
                at(e.marker().line(), e.marker().col()),
                format!("not valid YAML: {}", e.info()),
            )
        })?;
        let anchored = match event {
            Event::Alias(_) => true,
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _) => anchor != 0,
            _ => false,
        };
        if anchored {
            return Err(AdvisoryError::new(
                ErrorKind::Limit,
                at(span.start.line(), span.start.col()),
                "YAML anchors and aliases are not allowed in advisory files (each alias would be \
                 expanded in full); write the value out"
                    .to_owned(),
            ));
        }
    }
    Ok(())
}

/// The schema rules on ranges that the matcher relies on.
fn check(rec: &OsvRecord) -> Result<(), AdvisoryError> {
    if rec.id.trim().is_empty() {
        return Err(AdvisoryError::schema("/id", "empty id"));
    }
    for (i, a) in rec.affected.iter().enumerate() {
        for (j, r) in a.ranges.iter().enumerate() {
            let rp = format!("/affected/{i}/ranges/{j}");
            if !matches!(r.kind.as_str(), "SEMVER" | "ECOSYSTEM" | "GIT") {
                return Err(AdvisoryError::schema(
                    format!("{rp}/type"),
                    format!("unknown range type `{}`", r.kind),
                ));
            }
            if r.kind == "GIT" && r.repo.is_none() {
                return Err(AdvisoryError::schema(
                    format!("{rp}/repo"),
                    "a GIT range needs a repo",
                ));
            }
            if r.events.is_empty() {
                return Err(AdvisoryError::schema(
                    format!("{rp}/events"),
                    "a range needs events",
                ));
            }
            let mut has = [false; 4];
            for (k, e) in r.events.iter().enumerate() {
                let set = [&e.introduced, &e.fixed, &e.last_affected, &e.limit];
                if set.iter().filter(|x| x.is_some()).count() != 1 {
                    return Err(AdvisoryError::schema(
                        format!("{rp}/events/{k}"),
                        "an event has exactly one of introduced, fixed, last_affected, limit",
                    ));
                }
                for (h, x) in has.iter_mut().zip(set) {
                    *h |= x.is_some();
                }
            }
            if !has[0] {
                return Err(AdvisoryError::schema(
                    format!("{rp}/events"),
                    "a range needs an introduced event",
                ));
            }
            if has[1] && has[2] {
                return Err(AdvisoryError::schema(
                    format!("{rp}/events"),
                    "fixed and last_affected events exclude each other",
                ));
            }
        }
    }
    Ok(())
}

/// A suspicious but legal part of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// A stable kebab-case code.
    pub code: &'static str,
    /// The JSON pointer.
    pub pointer: String,
    /// What is suspicious.
    pub message: String,
}

/// Reports what is legal but suspicious: an affected entry without a package (unless it has a
/// `GIT` range, which identifies the code by repository) or without any
/// version information, a range whose events repeat a version (`nondistinct-events`), a CVSS
/// vector that does not parse, a timestamp that is not RFC 3339 (`bad-timestamp`).
///
/// Whether a package exists in its registry cannot be checked offline and is not reported.
pub fn lint(rec: &OsvRecord) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut warn = |code, pointer: String, message: String| {
        out.push(Warning {
            code,
            pointer,
            message,
        })
    };
    for (field, value) in [
        ("modified", Some(&rec.modified)),
        ("published", rec.published.as_ref()),
        ("withdrawn", rec.withdrawn.as_ref()),
    ] {
        if let Some(v) = value
            && crate::csaf::parse_timestamp(v).is_none()
        {
            warn(
                "bad-timestamp",
                format!("/{field}"),
                format!("`{v}` is not an RFC 3339 timestamp"),
            );
        }
    }
    for (i, a) in rec.affected.iter().enumerate() {
        let ap = format!("/affected/{i}");
        if a.package.is_none() && !a.ranges.iter().any(|r| r.kind == "GIT") {
            warn(
                "no-package",
                format!("{ap}/package"),
                "affected entry names no package".into(),
            );
        }
        if a.ranges.is_empty() && a.versions.is_empty() {
            warn(
                "no-versions",
                ap.clone(),
                "affected entry has neither ranges nor versions".into(),
            );
        }
        for (j, r) in a.ranges.iter().enumerate() {
            let mut seen = std::collections::HashSet::new();
            for e in &r.events {
                let v = [&e.introduced, &e.fixed, &e.last_affected, &e.limit]
                    .into_iter()
                    .flatten()
                    .next();
                if let Some(v) = v
                    && v != "0"
                    && !seen.insert(v.as_str())
                {
                    warn(
                        "nondistinct-events",
                        format!("{ap}/ranges/{j}/events"),
                        format!("version `{v}` appears in more than one event"),
                    );
                }
            }
        }
        for (j, s) in a.severity.iter().enumerate() {
            lint_severity(s, format!("{ap}/severity/{j}"), &mut warn);
        }
    }
    for (j, s) in rec.severity.iter().enumerate() {
        lint_severity(s, format!("/severity/{j}"), &mut warn);
    }
    out
}

fn lint_severity(s: &OsvSeverity, pointer: String, warn: &mut impl FnMut(&'static str, String, String)) {
    let Some(expected) = cvss_version(&s.kind) else {
        return;
    };
    match crate::cvss::parse(&s.score, None) {
        Err(e) => warn("invalid-cvss", format!("{pointer}/score"), e.message),
        // `CVSS_V3` covers v3.0 and v3.1.
        Ok(v)
            if v.version != expected
                && !(expected == CvssVersion::V3_1 && v.version == CvssVersion::V3_0) =>
        {
            warn(
                "invalid-cvss",
                format!("{pointer}/score"),
                format!("a {} vector under `{}`", v.version, s.kind),
            )
        }
        Ok(_) => {}
    }
}

fn cvss_version(kind: &str) -> Option<CvssVersion> {
    match kind {
        "CVSS_V2" => Some(CvssVersion::V2),
        "CVSS_V3" => Some(CvssVersion::V3_1),
        "CVSS_V4" => Some(CvssVersion::V4_0),
        _ => None,
    }
}

pub(crate) fn cvss_score(vector: &str, hint: Option<CvssVersion>) -> Option<CvssScore> {
    let parsed = crate::cvss::parse(vector, None).ok();
    let version = parsed.as_ref().map(|p| p.version).or(hint)?;
    Some(CvssScore {
        version,
        vector: vector.to_owned(),
        base_score: parsed.as_ref().map(|p| p.base_score),
        severity: parsed.as_ref().map(crate::cvss::Vector::severity),
        stated_score: None,
        stated_severity: None,
        scorer: None,
        product_ids: Vec::new(),
    })
}

/// Builds the normalised advisory of a record.
pub fn to_advisory(rec: &OsvRecord) -> Advisory {
    let mut a = Advisory::new(rec.id.clone(), Source::Osv);
    a.title = rec.summary.clone();
    a.description = rec.details.clone();
    a.published = rec.published.clone();
    a.modified = Some(rec.modified.clone());
    a.withdrawn = rec.withdrawn.clone();
    let (cves, others): (Vec<&String>, Vec<&String>) = rec.aliases.iter().partition(|x| is_cve(x));
    let mut cves: Vec<String> = cves.into_iter().map(|c| normalize_cve(c)).collect();
    if is_cve(&rec.id) {
        cves.push(normalize_cve(&rec.id));
    }
    a.cves = sorted_unique(cves);
    a.aliases = sorted_unique(others.into_iter().filter(|x| **x != rec.id).cloned().collect());
    a.related = sorted_unique(rec.related.iter().chain(&rec.upstream).cloned().collect());
    a.references = rec
        .references
        .iter()
        .map(|r| Reference {
            url: r.url.clone(),
            kind: Some(r.kind.clone()),
            summary: None,
        })
        .collect();
    a.severity_text = rec
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        // RustSec's records on osv.dev carry `informational` (unmaintained, unsound, notice) in
        // each affected package's `database_specific`, as the RustSec database's own files do.
        .or_else(|| {
            rec.affected
                .iter()
                .filter_map(|x| x.database_specific.as_ref())
                .find_map(|d| d.get("informational").and_then(Value::as_str))
                .map(str::to_owned)
        });
    for s in rec
        .severity
        .iter()
        .chain(rec.affected.iter().flat_map(|x| &x.severity))
    {
        if let Some(score) = cvss_version(&s.kind).and_then(|v| cvss_score(&s.score, Some(v)))
            && !a.cvss.iter().any(|c| c.vector == score.vector)
        {
            a.cvss.push(score);
        }
    }
    if let Some(cwes) = rec
        .database_specific
        .as_ref()
        .and_then(|d| d.get("cwe_ids"))
        .and_then(Value::as_array)
    {
        a.cwe = sorted_unique(cwes.iter().filter_map(Value::as_str).map(str::to_owned).collect());
    }
    a.origin = Origin {
        file: None,
        pointer: String::new(),
    };
    for (i, x) in rec.affected.iter().enumerate() {
        let mut product = Product::default();
        if let Some(p) = &x.package {
            product.ecosystem = Some(p.ecosystem.clone());
            product.name = Some(p.name.clone());
            product.purl.clone_from(&p.purl);
        }
        for r in &x.ranges {
            let kind = match r.kind.as_str() {
                "SEMVER" => RangeKind::Semver,
                "GIT" => RangeKind::Git,
                _ => RangeKind::Ecosystem,
            };
            let events = r
                .events
                .iter()
                .filter_map(|e| {
                    if let Some(v) = &e.introduced {
                        Some(RangeEvent::Introduced(v.clone()))
                    } else if let Some(v) = &e.fixed {
                        Some(RangeEvent::Fixed(v.clone()))
                    } else if let Some(v) = &e.last_affected {
                        Some(RangeEvent::LastAffected(v.clone()))
                    } else {
                        e.limit.as_ref().map(|v| RangeEvent::Limit(v.clone()))
                    }
                })
                .collect();
            product.versions.push(VersionSpec::Osv(OsvRange {
                kind,
                repo: r.repo.clone(),
                events,
            }));
        }
        if !x.versions.is_empty() {
            product.versions.push(VersionSpec::Versions(x.versions.clone()));
        }
        let mut ap = AffectedProduct::new(product, ProductStatus::KnownAffected);
        ap.origin = push_pointer("/affected", i);
        a.affected.push(ap);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_read_the_same_record() {
        let yaml = b"id: PYSEC-2020-342\nmodified: 2023-11-07T20:24:23.946863Z\naliases:\n- CVE-2020-13921\n\
affected:\n- package:\n    ecosystem: PyPI\n    name: apache-skywalking\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: \"0\"\n  versions:\n  - 1.0\n  - 0.1.0\n";
        let rec = parse_yaml(yaml).expect("valid YAML record");
        let a = to_advisory(&rec);
        assert_eq!(a.cves, ["CVE-2020-13921"]);
        assert_eq!(
            a.affected[0].product.versions[1],
            VersionSpec::Versions(vec!["1.0".into(), "0.1.0".into()])
        );
    }

    #[test]
    fn yaml_alias_bombs_are_refused() {
        let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            y.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        y.push_str("id: X\nmodified: '2024-01-01T00:00:00Z'\nrelated: *a9\n");
        assert!(parse_yaml(y.as_bytes()).is_err());
    }

    #[test]
    fn many_aliases_to_a_large_scalar_are_refused_without_expanding_them() {
        // The issue's case: 100,000 aliases to a 1 MB scalar would expand to 100 GB.
        let mut y = format!(
            "id: X\nmodified: '2024-01-01T00:00:00Z'\ndetails: &big {}\naliases:\n",
            "a".repeat(1 << 20)
        );
        for _ in 0..100_000 {
            y.push_str("- *big\n");
        }
        let e = parse_yaml(y.as_bytes())
            .map(|_| ())
            .expect_err("aliases are refused");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(e.location.line, Some(3));
        assert!(e.to_string().contains("anchors and aliases"), "{e}");
    }

    #[test]
    fn markdown_bullets_and_ampersands_in_text_are_not_aliases() {
        let y = b"id: PYSEC-1\nmodified: '2024-01-01T00:00:00Z'\nsummary: R&D *not* an alias\ndetails: |\n  * a bullet\n  &amp; more\n";
        let rec = parse_yaml(y).expect("plain text with * and & is fine");
        assert!(
            rec.details
                .as_deref()
                .is_some_and(|d| d.starts_with("* a bullet"))
        );
    }

    #[test]
    fn broken_ranges_are_rejected() {
        let no_intro = br#"{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Go","name":"a"},
            "ranges":[{"type":"SEMVER","events":[{"fixed":"1.0.0"}]}]}]}"#;
        let e = parse_json(no_intro).map(|_| ()).expect_err("must fail");
        assert_eq!(e.location.pointer.as_deref(), Some("/affected/0/ranges/0/events"));
        let two = br#"{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"ranges":[{"type":"SEMVER",
            "events":[{"introduced":"0","fixed":"1.0.0"}]}]}]}"#;
        assert!(parse_json(two).is_err());
    }
}
