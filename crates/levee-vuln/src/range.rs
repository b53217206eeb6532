//! Version constraints of advisories, prepared once per index and evaluated per component.
//!
//! An advisory's [`VersionSpec`] is read once into a [`Prepared`] constraint with the scheme that
//! compares its versions: the purl type's or OSV ecosystem's scheme for packages, `industrial` for
//! CSAF vendor products, `generic` for NVD CPE bounds. Evaluating it against a component's version
//! gives an [`Outcome`]: in, out, or unknown with the reason. Unknown is never "not affected": the
//! matcher turns it into a `needs-review` finding carrying the advisory's raw text.

use std::cmp::Ordering;

use levee_advisory::{OsvRange, RangeEvent, RangeKind, VersionBounds, VersionSpec};
use levee_version::{Scheme, VersRange, Version, parse_advisory_range};

/// What a constraint says about one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The version is inside.
    In,
    /// The version is outside.
    Out,
    /// It cannot be decided; the reason says why.
    Unknown(String),
}

/// A component version, parsed lazily once per scheme, so that evaluating many constraints costs
/// one parse per scheme.
#[derive(Debug)]
pub struct VersionCache<'v> {
    text: &'v str,
    parsed: Vec<(Scheme, Result<Version, String>)>,
}

impl<'v> VersionCache<'v> {
    /// A cache for one version string.
    pub fn new(text: &'v str) -> VersionCache<'v> {
        VersionCache {
            text,
            parsed: Vec::new(),
        }
    }

    /// The version string.
    pub fn text(&self) -> &'v str {
        self.text
    }

    fn get(&mut self, scheme: Scheme) -> Result<&Version, String> {
        let i = match self.parsed.iter().position(|(s, _)| *s == scheme) {
            Some(i) => i,
            None => {
                self.parsed.push((
                    scheme,
                    Version::parse(scheme, self.text).map_err(|e| e.to_string()),
                ));
                self.parsed.len() - 1
            }
        };
        self.parsed[i].1.as_ref().map_err(Clone::clone)
    }
}

/// One version constraint, read and ready to evaluate.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The constraint as the advisory wrote it (for evidence and review).
    pub raw: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    All,
    Range(VersRange),
    Exact(Scheme, String),
    Versions(Scheme, Vec<String>),
    Osv(Scheme, OsvRange),
    Bounds(Scheme, VersionBounds),
    NotIn(Vec<String>, Vec<String>),
    Git,
    Unreadable(String),
}

impl Prepared {
    /// Reads a version constraint. `scheme` compares its versions; for the industrial scheme, free
    /// text and `vers:all/…` are read with `parse_advisory_range`, and an exact version that is not
    /// an industrial version is tried as a range (`2.02 | 2.51`).
    pub fn new(spec: &VersionSpec, scheme: Scheme) -> Prepared {
        let (raw, kind) = match spec {
            VersionSpec::All => ("*".to_owned(), Kind::All),
            VersionSpec::Vers(s) | VersionSpec::FreeText(s) => (s.clone(), read_range(s)),
            VersionSpec::Exact(v) => {
                let kind = if scheme == Scheme::Industrial && Version::parse(scheme, v).is_err() {
                    read_range(v)
                } else {
                    Kind::Exact(scheme, v.clone())
                };
                (v.clone(), kind)
            }
            VersionSpec::Versions(list) => (list.join(", "), Kind::Versions(scheme, list.clone())),
            VersionSpec::Osv(r) => {
                let raw = osv_text(r);
                let kind = match r.kind {
                    RangeKind::Git => Kind::Git,
                    RangeKind::Semver => Kind::Osv(Scheme::Semver, r.clone()),
                    _ => Kind::Osv(scheme, r.clone()),
                };
                (raw, kind)
            }
            VersionSpec::Bounds(b) => (bounds_text(b), Kind::Bounds(scheme, b.clone())),
            VersionSpec::NotIn { patched, unaffected } => (
                format!(
                    "patched: {}; unaffected: {}",
                    patched.join(", "),
                    unaffected.join(", ")
                ),
                Kind::NotIn(patched.clone(), unaffected.clone()),
            ),
            other => (
                format!("{other:?}"),
                Kind::Unreadable("an unknown kind of constraint".into()),
            ),
        };
        Prepared { raw, kind }
    }

    /// Whether the constraint could be read (an unreadable one is always [`Outcome::Unknown`]).
    pub fn is_readable(&self) -> bool {
        !matches!(self.kind, Kind::Unreadable(_) | Kind::Git)
    }

    /// Why the constraint could not be read, if it could not.
    pub fn unreadable_reason(&self) -> Option<&str> {
        match &self.kind {
            Kind::Unreadable(r) => Some(r),
            Kind::Git => Some("a git commit range, which a version cannot be placed in"),
            _ => None,
        }
    }

    /// The vers range, when the constraint is one (free text and vers strings).
    pub fn range(&self) -> Option<&VersRange> {
        match &self.kind {
            Kind::Range(r) => Some(r),
            _ => None,
        }
    }

    /// The versions the constraint names: the bounds and versions of a range, an exact version,
    /// the listed versions, the OSV events and NVD bounds. Empty for "every version".
    pub fn boundary_versions(&self) -> Vec<String> {
        match &self.kind {
            Kind::Range(r) => r
                .constraints()
                .iter()
                .filter(|c| c.comparator != levee_version::Comparator::Any)
                .map(|c| c.version.clone())
                .collect(),
            Kind::Exact(_, v) => vec![v.clone()],
            Kind::Versions(_, list) => list.clone(),
            Kind::Osv(_, r) => r.events.iter().map(|e| e.version().to_owned()).collect(),
            Kind::Bounds(_, b) => [&b.start, &b.end]
                .into_iter()
                .flatten()
                .map(|b| b.version.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the constraint covers every version.
    pub fn is_all(&self) -> bool {
        matches!(&self.kind, Kind::All) || self.range().is_some_and(VersRange::is_any)
    }

    /// Evaluates the constraint for one version.
    pub fn evaluate(&self, version: &str) -> Outcome {
        self.evaluate_cached(&mut VersionCache::new(version))
    }

    /// [`Prepared::evaluate`] with the component version parsed at most once per scheme.
    pub fn evaluate_cached(&self, cache: &mut VersionCache<'_>) -> Outcome {
        let version = cache.text;
        match &self.kind {
            Kind::All => Outcome::In,
            Kind::Range(r) => {
                let res = match cache.get(r.scheme()) {
                    Ok(v) => r.contains_version(v).map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                match res {
                    Ok(true) => Outcome::In,
                    Ok(false) => Outcome::Out,
                    Err(e) => Outcome::Unknown(format!("`{version}` cannot be placed in `{r}`: {e}")),
                }
            }
            Kind::Exact(scheme, v) => exact(*scheme, v, version),
            Kind::Versions(scheme, list) => listed(*scheme, list, version),
            Kind::Osv(scheme, r) => osv(*scheme, r, version),
            Kind::Bounds(scheme, b) => bounds(*scheme, b, version),
            Kind::NotIn(patched, unaffected) => not_in(patched, unaffected, version),
            Kind::Git | Kind::Unreadable(_) => Outcome::Unknown(format!(
                "the advisory's version constraint `{}` cannot be read: {}",
                self.raw,
                self.unreadable_reason().unwrap_or("")
            )),
        }
    }
}

fn read_range(text: &str) -> Kind {
    match parse_advisory_range(text) {
        Ok(r) => Kind::Range(r.range),
        Err(e) => Kind::Unreadable(e.to_string()),
    }
}

fn osv_text(r: &OsvRange) -> String {
    let events: Vec<String> = r
        .events
        .iter()
        .map(|e| match e {
            RangeEvent::Introduced(v) => format!("introduced {v}"),
            RangeEvent::Fixed(v) => format!("fixed {v}"),
            RangeEvent::LastAffected(v) => format!("last_affected {v}"),
            RangeEvent::Limit(v) => format!("limit {v}"),
            other => format!("{other:?}"),
        })
        .collect();
    events.join(", ")
}

fn bounds_text(b: &VersionBounds) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &b.start {
        parts.push(format!("{}{}", if s.inclusive { ">=" } else { ">" }, s.version));
    }
    if let Some(e) = &b.end {
        parts.push(format!("{}{}", if e.inclusive { "<=" } else { "<" }, e.version));
    }
    if parts.is_empty() {
        "*".to_owned()
    } else {
        parts.join(" ")
    }
}

/// White space collapsed, case folded: the last resort for versions no scheme reads.
fn loose(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn cmp(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, String> {
    let pa = Version::parse(scheme, a).map_err(|e| e.to_string())?;
    let pb = Version::parse(scheme, b).map_err(|e| e.to_string())?;
    pa.compare_checked(&pb).map_err(|e| e.to_string())
}

fn exact(scheme: Scheme, advisory: &str, version: &str) -> Outcome {
    match cmp(scheme, advisory, version) {
        Ok(Ordering::Equal) => Outcome::In,
        Ok(_) => Outcome::Out,
        Err(e) => {
            if loose(advisory) == loose(version) {
                Outcome::In
            } else {
                Outcome::Unknown(format!(
                    "`{version}` cannot be compared with `{advisory}` ({scheme}): {e}"
                ))
            }
        }
    }
}

/// A list of affected versions (OSV `versions[]`) is an exact-match list: the version is in when
/// it equals an entry, in the scheme's sense where both parse and as text otherwise. An entry the
/// scheme cannot read (PyPI's legacy `0.9-ivysaur`) simply never equals a version that it can.
fn listed(scheme: Scheme, list: &[String], version: &str) -> Outcome {
    let parsed = Version::parse(scheme, version).ok();
    let text = loose(version);
    let equal = |entry: &str| match (&parsed, Version::parse(scheme, entry)) {
        (Some(v), Ok(e)) => e.compare_checked(v).is_ok_and(Ordering::is_eq),
        _ => loose(entry) == text,
    };
    if list.iter().any(|e| equal(e)) {
        Outcome::In
    } else if parsed.is_none() {
        // A version the scheme cannot read, equal to no entry as text: it may still be one of
        // them written differently, so a person looks.
        Outcome::Unknown(format!(
            "`{version}` is not a {scheme} version and equals none of the listed versions as written"
        ))
    } else {
        Outcome::Out
    }
}

/// OSV's evaluation: events in version order; `introduced` opens an affected interval, `fixed`
/// closes it before its version, `last_affected` after it.
fn osv(scheme: Scheme, r: &OsvRange, version: &str) -> Outcome {
    let v = match Version::parse(scheme, version) {
        Ok(v) => v,
        Err(e) => return Outcome::Unknown(format!("`{version}` is not a {scheme} version: {e}")),
    };
    let mut events: Vec<(Option<Version>, &RangeEvent)> = Vec::new();
    for e in &r.events {
        if matches!(e, RangeEvent::Limit(_)) {
            continue;
        }
        let ver = e.version();
        if matches!(e, RangeEvent::Introduced(_)) && ver == "0" {
            events.push((None, e));
            continue;
        }
        match Version::parse(scheme, ver) {
            Ok(p) => events.push((Some(p), e)),
            Err(err) => {
                return Outcome::Unknown(format!(
                    "the advisory's version `{ver}` is not a {scheme} version: {err}"
                ));
            }
        }
    }
    let mut failure = None;
    events.sort_by(|a, b| match (&a.0, &b.0) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.compare(y).unwrap_or_else(|e| {
            failure = Some(e.to_string());
            Ordering::Equal
        }),
    });
    if let Some(f) = failure {
        return Outcome::Unknown(f);
    }
    let mut affected = false;
    for (ev, e) in &events {
        let ord = match ev {
            None => Ordering::Greater,
            Some(p) => match v.compare_checked(p) {
                Ok(o) => o,
                Err(err) => return Outcome::Unknown(err.to_string()),
            },
        };
        match e {
            RangeEvent::Introduced(_) if ord != Ordering::Less => affected = true,
            RangeEvent::Fixed(_) if ord != Ordering::Less => affected = false,
            RangeEvent::LastAffected(_) if ord == Ordering::Greater => affected = false,
            _ => {}
        }
    }
    if affected { Outcome::In } else { Outcome::Out }
}

fn bounds(scheme: Scheme, b: &VersionBounds, version: &str) -> Outcome {
    for (bound, lower) in [(&b.start, true), (&b.end, false)] {
        let Some(bound) = bound else { continue };
        match cmp(scheme, version, &bound.version) {
            Ok(o) => {
                let inside = match (lower, bound.inclusive) {
                    (true, true) => o != Ordering::Less,
                    (true, false) => o == Ordering::Greater,
                    (false, true) => o != Ordering::Greater,
                    (false, false) => o == Ordering::Less,
                };
                if !inside {
                    return Outcome::Out;
                }
            }
            Err(e) => {
                return Outcome::Unknown(format!(
                    "`{version}` cannot be compared with `{}`: {e}",
                    bound.version
                ));
            }
        }
    }
    Outcome::In
}

/// Cargo requirements (RustSec): affected unless a `patched` or `unaffected` requirement matches.
fn not_in(patched: &[String], unaffected: &[String], version: &str) -> Outcome {
    for req in patched.iter().chain(unaffected) {
        match cargo_req(req, version) {
            Ok(true) => return Outcome::Out,
            Ok(false) => {}
            Err(e) => return Outcome::Unknown(format!("requirement `{req}`: {e}")),
        }
    }
    Outcome::In
}

fn numbers(v: &str) -> Result<[u64; 3], String> {
    let core = v.trim().trim_start_matches(['v', 'V']);
    let core = core.split(['-', '+']).next().unwrap_or("");
    let mut out = [0u64; 3];
    for (i, part) in core.split('.').enumerate() {
        if i >= 3 || part == "*" || part.eq_ignore_ascii_case("x") {
            break;
        }
        out[i] = part.parse().map_err(|_| format!("`{v}` is not a version"))?;
    }
    Ok(out)
}

/// Whether a version satisfies a Cargo requirement such as `>= 1.2.3, < 1.4` or `^0.5`.
fn cargo_req(req: &str, version: &str) -> Result<bool, String> {
    let sem = |a: &str, b: &str| cmp(Scheme::Cargo, a, b);
    for part in req.split(',') {
        let part = part.trim();
        if part.is_empty() || part == "*" {
            continue;
        }
        let (op, v) = ["<=", ">=", "<", ">", "=", "^", "~"]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|rest| (*op, rest.trim())))
            .unwrap_or(("^", part));
        let ok = match op {
            "<=" => sem(version, v)? != Ordering::Greater,
            ">=" => sem(version, v)? != Ordering::Less,
            "<" => sem(version, v)? == Ordering::Less,
            ">" => sem(version, v)? == Ordering::Greater,
            "=" => sem(version, v)? == Ordering::Equal,
            _ => {
                let [ma, mi, pa] = numbers(v)?;
                let given = v.trim().trim_start_matches(['v', 'V']).split('.').count();
                // The exclusive upper bound; a component at u64::MAX has no successor, so such a
                // requirement cannot be evaluated (the finding needs review, never a wrap-around).
                let next = |n: u64| {
                    n.checked_add(1)
                        .ok_or_else(|| format!("`{v}`: the version number {n} has no successor"))
                };
                let upper = if op == "~" {
                    if given >= 2 {
                        format!("{ma}.{}.0", next(mi)?)
                    } else {
                        format!("{}.0.0", next(ma)?)
                    }
                } else if ma > 0 || given == 1 {
                    format!("{}.0.0", next(ma)?)
                } else if mi > 0 || given == 2 {
                    format!("0.{}.0", next(mi)?)
                } else {
                    format!("0.0.{}", next(pa)?)
                };
                sem(version, v)? != Ordering::Less && sem(version, &upper)? == Ordering::Less
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Folds the outcomes of a disjunction of constraints: in when any is in; otherwise unknown when
/// any is unknown; otherwise out. Git ranges are skipped when other constraints exist (OSV lists
/// the affected versions beside them). No constraint at all is unknown.
pub fn evaluate_any(specs: &[Prepared], version: &str) -> (Outcome, Option<usize>) {
    evaluate_any_cached(specs, &mut VersionCache::new(version))
}

/// [`evaluate_any`] with a version cache.
pub fn evaluate_any_cached(specs: &[Prepared], cache: &mut VersionCache<'_>) -> (Outcome, Option<usize>) {
    let non_git: Vec<usize> = (0..specs.len())
        .filter(|&i| !matches!(specs[i].kind, Kind::Git))
        .collect();
    let considered: Vec<usize> = if non_git.is_empty() {
        (0..specs.len()).collect()
    } else {
        non_git
    };
    if considered.is_empty() {
        return (
            Outcome::Unknown("the advisory gives no version information for this product".into()),
            None,
        );
    }
    let mut unknown = None;
    for i in considered {
        match specs[i].evaluate_cached(cache) {
            Outcome::In => return (Outcome::In, Some(i)),
            Outcome::Unknown(r) if unknown.is_none() => unknown = Some((r, i)),
            _ => {}
        }
    }
    match unknown {
        Some((r, i)) => (Outcome::Unknown(r), Some(i)),
        None => (Outcome::Out, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use levee_advisory::Bound;

    fn ind(spec: VersionSpec) -> Prepared {
        Prepared::new(&spec, Scheme::Industrial)
    }

    #[test]
    fn free_text_and_exact() {
        let p = ind(VersionSpec::FreeText("< V3.1".into()));
        assert_eq!(p.evaluate("V3.0"), Outcome::In);
        assert_eq!(p.evaluate("V3.1"), Outcome::Out);
        assert!(matches!(p.evaluate("A11"), Outcome::Unknown(_)));
        let p = ind(VersionSpec::Exact("V2.90 SP1".into()));
        assert_eq!(p.evaluate("v2.90 sp1"), Outcome::In);
        assert_eq!(p.evaluate("V2.90 SP2"), Outcome::Out);
        let p = ind(VersionSpec::Exact("2.02 | 2.51".into()));
        assert_eq!(p.evaluate("2.51"), Outcome::In);
        let p = ind(VersionSpec::FreeText("< January 31 2014".into()));
        assert!(!p.is_readable());
        assert!(matches!(p.evaluate("1.0"), Outcome::Unknown(r) if r.contains("January")));
        let p = ind(VersionSpec::Vers("vers:all/>=V7.80<V9.40".into()));
        assert_eq!(p.evaluate("V8.0"), Outcome::In);
        assert!(ind(VersionSpec::Vers("vers:all/*".into())).is_all());
    }

    #[test]
    fn osv_events() {
        let r = OsvRange {
            kind: RangeKind::Ecosystem,
            repo: None,
            events: vec![
                RangeEvent::Introduced("0".into()),
                RangeEvent::Fixed("1.2".into()),
                RangeEvent::Introduced("2.0".into()),
                RangeEvent::LastAffected("2.3".into()),
            ],
        };
        let p = Prepared::new(&VersionSpec::Osv(r), Scheme::Pypi);
        for (v, o) in [
            ("0.1", true),
            ("1.1.9", true),
            ("1.2", false),
            ("1.9", false),
            ("2.0", true),
            ("2.3", true),
            ("2.3.1", false),
        ] {
            assert_eq!(p.evaluate(v) == Outcome::In, o, "{v}");
        }
    }

    #[test]
    fn nvd_bounds_and_rustsec() {
        let b = VersionBounds {
            start: Some(Bound {
                version: "2.0".into(),
                inclusive: true,
            }),
            end: Some(Bound {
                version: "2.4.1".into(),
                inclusive: false,
            }),
        };
        let p = Prepared::new(&VersionSpec::Bounds(b), Scheme::Generic);
        assert_eq!(p.evaluate("2.0"), Outcome::In);
        assert_eq!(p.evaluate("2.4.1"), Outcome::Out);
        assert_eq!(p.evaluate("1.9"), Outcome::Out);
        let p = Prepared::new(
            &VersionSpec::NotIn {
                patched: vec![">= 1.2.3".into(), "~1.1.7".into()],
                unaffected: vec!["< 0.5".into()],
            },
            Scheme::Cargo,
        );
        assert_eq!(p.evaluate("1.2.0"), Outcome::In);
        assert_eq!(p.evaluate("1.1.8"), Outcome::Out);
        assert_eq!(p.evaluate("1.1.6"), Outcome::In);
        assert_eq!(p.evaluate("0.4.9"), Outcome::Out);
        assert_eq!(p.evaluate("2.0.0"), Outcome::Out);
    }

    #[test]
    fn disjunction() {
        let specs = vec![
            ind(VersionSpec::FreeText("nonsense (with remark)".into())),
            ind(VersionSpec::FreeText("<= 6.3.5.11".into())),
        ];
        assert_eq!(evaluate_any(&specs, "6.3.5.11").0, Outcome::In);
        assert!(matches!(evaluate_any(&specs, "6.3.5.12").0, Outcome::Unknown(_)));
        assert!(matches!(evaluate_any(&[], "1").0, Outcome::Unknown(_)));
    }
}
