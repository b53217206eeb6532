//! Diagnostics: what is wrong with a project, where, and how to fix it.
//!
//! Every diagnostic carries a stable kebab-case [`code`](Diagnostic::code) from [`codes`], the file
//! it is about (relative to the project directory) and a 1-based line and column.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The project cannot be used until it is fixed.
    Error,
    /// Suspicious but usable.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a project directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable kebab-case code, one of [`codes::ALL`].
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// Path of the file, relative to the project directory, with `/` separators (`responses/a.toml`).
    pub file: String,
    /// 1-based line; 0 when the diagnostic is about the whole file.
    pub line: u32,
    /// 1-based column in characters; 0 when the diagnostic is about the whole file.
    pub column: u32,
    /// What is wrong (no trailing period).
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `zones.toml:3:6: error[duplicate-id]: …`, then `  hint: …` on a second line when there is a hint.
    /// Whole-file diagnostics leave out the line and column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: ", self.file)?;
        } else {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The stable diagnostic codes. Tools may match on them; they are never renamed.
pub mod codes {
    /// Two entries with the same id.
    pub const DUPLICATE_ID: &str = "duplicate-id";
    /// A reference to a zone that is not declared.
    pub const UNKNOWN_ZONE: &str = "unknown-zone";
    /// A reference to an asset that is not declared.
    pub const UNKNOWN_ASSET: &str = "unknown-asset";
    /// A reference to a conduit that is not declared.
    pub const UNKNOWN_CONDUIT: &str = "unknown-conduit";
    /// A reference to a component that is not declared.
    pub const UNKNOWN_COMPONENT: &str = "unknown-component";
    /// A reference to a countermeasure that is not declared.
    pub const UNKNOWN_COUNTERMEASURE: &str = "unknown-countermeasure";
    /// The same asset id declared in two different zones.
    pub const ASSET_IN_TWO_ZONES: &str = "asset-in-two-zones";
    /// A conduit whose two zones are the same.
    pub const CONDUIT_SELF_LOOP: &str = "conduit-self-loop";
    /// A conduit that does not join exactly two zones.
    pub const CONDUIT_ZONE_COUNT: &str = "conduit-zone-count";
    /// A security level outside 0-4, or an SL vector without seven levels.
    pub const SL_OUT_OF_RANGE: &str = "sl-out-of-range";
    /// An override or a not-applicable or compensating answer without a justification.
    pub const MISSING_JUSTIFICATION: &str = "missing-justification";
    /// A requirement id the catalog does not know.
    pub const UNKNOWN_REQUIREMENT: &str = "unknown-requirement";
    /// A response answered as met (`implemented` or `compensating`) through a countermeasure that
    /// risk.toml declares `planned`.
    pub const COUNTERMEASURE_PLANNED: &str = "countermeasure-planned";
    /// A requirement that does not apply where it is used.
    pub const REQUIREMENT_NOT_APPLICABLE: &str = "requirement-not-applicable";
    /// Two answers to the same requirement for the same target.
    pub const DUPLICATE_RESPONSE: &str = "duplicate-response";
    /// An evidence or SBOM file that does not exist.
    pub const MISSING_EVIDENCE: &str = "missing-evidence";
    /// An evidence file whose SHA-256 differs from the one recorded.
    pub const EVIDENCE_HASH_MISMATCH: &str = "evidence-hash-mismatch";
    /// An evidence or SBOM path that leaves the project directory.
    pub const EVIDENCE_OUTSIDE_PROJECT: &str = "evidence-outside-project";
    /// A value of the right type that is not allowed (bad name, number out of range, bad address or date).
    pub const INVALID_VALUE: &str = "invalid-value";
    /// A field the file format does not have.
    pub const UNKNOWN_FIELD: &str = "unknown-field";
    /// A required field that is absent.
    pub const MISSING_FIELD: &str = "missing-field";
    /// Malformed TOML or a value of the wrong type.
    pub const PARSE_ERROR: &str = "parse-error";
    /// A file larger than the 64 MiB limit.
    pub const FILE_TOO_LARGE: &str = "file-too-large";
    /// A file that is not UTF-8.
    pub const NOT_UTF8: &str = "not-utf8";
    /// A file that could not be read.
    pub const READ_ERROR: &str = "read-error";
    /// A project file that is a symbolic link (or lies below one) leading outside the project.
    pub const FILE_OUTSIDE_PROJECT: &str = "file-outside-project";
    /// A project file that is not a regular file (a FIFO, a device, a directory named `*.toml`).
    pub const NOT_A_FILE: &str = "not-a-file";
    /// Data that does not fit the project kind (components in an asset-owner project, zones in a product).
    pub const KIND_MISMATCH: &str = "kind-mismatch";
    /// No `levee.toml`.
    pub const MISSING_PROJECT_FILE: &str = "missing-project-file";
    /// A TOML file the project format does not know (probably a misspelt name).
    pub const UNKNOWN_FILE: &str = "unknown-file";
    /// A zone network that is not CIDR notation, or has host bits set.
    pub const INVALID_NETWORK: &str = "invalid-network";
    /// Two zone networks share addresses.
    pub const OVERLAPPING_NETWORKS: &str = "overlapping-networks";
    /// An id longer than the id limit, or more entries of one kind than a project may hold.
    pub const LIMIT_EXCEEDED: &str = "limit-exceeded";
    /// Warning: a scenario's threat source is neither built in nor defined in levee.toml.
    pub const UNKNOWN_THREAT_SOURCE: &str = "unknown-threat-source";

    /// A residual-risk approval names neither a zone nor a scenario the project declares.
    pub const UNKNOWN_SCENARIO: &str = "unknown-scenario";
    /// Warning: answered rows (implemented, partial, compensating) without evidence, counted once per file.
    pub const NO_EVIDENCE: &str = "no-evidence";
    /// Warning: a zone no asset sits in (when the project has an assets.toml).
    pub const EMPTY_ZONE: &str = "empty-zone";
    /// Warning: a zone of a project with several zones that no conduit joins.
    pub const ISOLATED_ZONE: &str = "isolated-zone";
    /// Warning: an enhancement answered where its base requirement is unanswered or not applicable.
    pub const ENHANCEMENT_WITHOUT_BASE: &str = "enhancement-without-base";
    /// Warning: a response `level` below the lowest SL that requires its row.
    pub const LEVEL_BELOW_ROW: &str = "level-below-row";

    /// The data-quality warnings: what the files leave unsaid or contradict. The project loads and
    /// is assessed all the same.
    pub const DATA_QUALITY: &[&str] = &[
        NO_EVIDENCE,
        EMPTY_ZONE,
        ISOLATED_ZONE,
        ENHANCEMENT_WITHOUT_BASE,
        LEVEL_BELOW_ROW,
    ];

    /// Every code, in the order the format documentation lists them.
    pub const ALL: &[&str] = &[
        DUPLICATE_ID,
        UNKNOWN_ZONE,
        UNKNOWN_ASSET,
        UNKNOWN_CONDUIT,
        UNKNOWN_COMPONENT,
        UNKNOWN_COUNTERMEASURE,
        ASSET_IN_TWO_ZONES,
        CONDUIT_SELF_LOOP,
        CONDUIT_ZONE_COUNT,
        SL_OUT_OF_RANGE,
        MISSING_JUSTIFICATION,
        UNKNOWN_REQUIREMENT,
        COUNTERMEASURE_PLANNED,
        REQUIREMENT_NOT_APPLICABLE,
        DUPLICATE_RESPONSE,
        MISSING_EVIDENCE,
        EVIDENCE_HASH_MISMATCH,
        EVIDENCE_OUTSIDE_PROJECT,
        INVALID_VALUE,
        UNKNOWN_FIELD,
        MISSING_FIELD,
        PARSE_ERROR,
        FILE_TOO_LARGE,
        NOT_UTF8,
        READ_ERROR,
        FILE_OUTSIDE_PROJECT,
        NOT_A_FILE,
        KIND_MISMATCH,
        MISSING_PROJECT_FILE,
        UNKNOWN_FILE,
        INVALID_NETWORK,
        OVERLAPPING_NETWORKS,
        LIMIT_EXCEEDED,
        UNKNOWN_THREAT_SOURCE,
        UNKNOWN_SCENARIO,
        NO_EVIDENCE,
        EMPTY_ZONE,
        ISOLATED_ZONE,
        ENHANCEMENT_WITHOUT_BASE,
        LEVEL_BELOW_ROW,
    ];
}

/// A position in a file: 1-based line and column (0, 0 for the whole file).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Loc {
    pub(crate) file: String,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

impl Loc {
    /// The whole file.
    pub(crate) fn file(file: &str) -> Loc {
        Loc {
            file: file.to_owned(),
            line: 0,
            column: 0,
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

/// Collects diagnostics.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub(crate) diags: Vec<Diagnostic>,
}

impl Sink {
    /// Records an error and returns it so a hint can be added.
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        loc: &Loc,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(code, Severity::Error, loc, message.into())
    }

    /// Records a warning and returns it so a hint can be added.
    pub(crate) fn warning(
        &mut self,
        code: &'static str,
        loc: &Loc,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(code, Severity::Warning, loc, message.into())
    }

    fn push(
        &mut self,
        code: &'static str,
        severity: Severity,
        loc: &Loc,
        message: String,
    ) -> &mut Diagnostic {
        debug_assert!(codes::ALL.contains(&code), "unregistered code {code}");
        let i = self.diags.len();
        self.diags.push(Diagnostic {
            code,
            severity,
            file: loc.file.clone(),
            line: loc.line,
            column: loc.column,
            message,
            hint: None,
        });
        &mut self.diags[i]
    }

    /// Whether any error was recorded.
    pub(crate) fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics in file, line and column order (stable for equal positions).
    pub(crate) fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.diags
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        self.diags
    }
}

impl Diagnostic {
    /// Sets the hint.
    pub(crate) fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the hint when there is one.
    pub(crate) fn maybe_hint(&mut self, hint: Option<String>) -> &mut Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }
}

/// `did you mean `x`?` when one of `candidates` is close to `got`.
pub(crate) fn did_you_mean<'a>(got: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(got, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate closest to `got` by edit distance (ignoring case), if it is reasonably close: at most
/// a third of the length apart (two edits for short words), and not wholly different.
pub(crate) fn closest<'a>(got: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let want = got.to_lowercase();
    let len = want.chars().count();
    if len > levee_core::MAX_SUGGEST_CHARS {
        return None;
    }
    let limit = (len / 3).max(2);
    candidates
        .into_iter()
        .filter_map(|c| levee_core::edit_distance_within(&want, &c.to_lowercase(), limit).map(|d| (d, c)))
        .filter(|(d, c)| *d < len.max(c.chars().count()))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Joins names as `` `a`, `b` or `c` ``.
pub(crate) fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for c in codes::ALL {
            assert!(seen.insert(*c), "duplicate code {c}");
            assert!(
                c.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{c} is not kebab-case"
            );
        }
    }

    #[test]
    fn display_with_and_without_position() {
        let mut d = Diagnostic {
            code: codes::DUPLICATE_ID,
            severity: Severity::Error,
            file: "zones.toml".into(),
            line: 7,
            column: 6,
            message: "duplicate zone id `a`".into(),
            hint: Some("rename one".into()),
        };
        assert_eq!(
            d.to_string(),
            "zones.toml:7:6: error[duplicate-id]: duplicate zone id `a`\n  hint: rename one"
        );
        d.line = 0;
        d.column = 0;
        d.hint = None;
        d.severity = Severity::Warning;
        assert_eq!(
            d.to_string(),
            "zones.toml: warning[duplicate-id]: duplicate zone id `a`"
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("nmae", ["id", "name", "zone"]).as_deref(),
            Some("did you mean `name`?")
        );
        assert_eq!(did_you_mean("zzzzzz", ["id", "name"]), None);
        assert_eq!(
            did_you_mean("x", ["a", "b"]),
            None,
            "one-letter ids are not close to each other"
        );
        assert_eq!(closest("HGH", ["low", "high"]), Some("high"));
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(one_of(&["a"]), "`a`");
    }
}
