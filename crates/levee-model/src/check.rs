//! The state shared while converting a project's files: the catalog, the diagnostics, and the ids
//! declared so far, so that later files can check their references.

use std::collections::{BTreeMap, BTreeSet};

use levee_catalog::{Catalog, Requirement};
use levee_core::{ComponentType, ProjectKind, RiskMatrix, SlTarget, SlVector};

use crate::diag::{Loc, Sink, codes, did_you_mean};
use crate::raw::RawSl;
use crate::source::{At, Doc, Parsed};
use crate::values::{SlError, sl_value};

/// A file the project refers to, checked on disk by `load_dir`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileRef {
    /// Path relative to the project directory, as written.
    pub(crate) path: String,
    /// The recorded SHA-256 (lower case), if any.
    pub(crate) sha256: Option<String>,
    /// Where the path is written.
    pub(crate) loc: Loc,
    /// Where the hash is written.
    pub(crate) sha_loc: Option<Loc>,
    /// `evidence` or `SBOM`, for messages.
    pub(crate) what: &'static str,
}

/// The longest id (in chars) a project may declare.
pub(crate) const MAX_ID_CHARS: usize = 128;

/// How many zones, conduits, assets, components, scenarios and countermeasures a project may
/// declare. Far above real plants (hundreds of zones, tens of thousands of assets), low enough that
/// a hostile project stays within the time and memory an assessment is allowed.
pub(crate) mod limits {
    pub(crate) const ZONES: usize = 2_000;
    pub(crate) const CONDUITS: usize = 5_000;
    pub(crate) const ASSETS: usize = 200_000;
    pub(crate) const COMPONENTS: usize = 200_000;
    pub(crate) const SCENARIOS: usize = 20_000;
    pub(crate) const COUNTERMEASURES: usize = 20_000;
}

/// How many unknown references of one kind get a "did you mean" search.
const SUGGESTIONS: usize = 100;

/// The ids of one kind declared so far.
pub(crate) struct Ids {
    what: &'static str,
    file: &'static str,
    /// The code for a reference to an undeclared id; `None` for ids nothing refers to.
    unknown_code: Option<&'static str>,
    /// How many ids of this kind a project may declare.
    max: usize,
    seen: BTreeMap<String, Loc>,
    known: BTreeSet<String>,
    /// How many "did you mean" searches have been run: each costs a pass over every declared id,
    /// so only the first [`SUGGESTIONS`] unknown references get one (linear work however many
    /// references a hostile project holds).
    suggested: std::cell::Cell<usize>,
    /// How many entries were refused for being over `max`.
    over: std::cell::Cell<usize>,
    /// False when the declaring file could not be read or parsed whole: unknown references are then
    /// not reported, since the declaration may be in the lost part.
    pub(crate) complete: bool,
}

impl Ids {
    pub(crate) fn new(
        what: &'static str,
        file: &'static str,
        unknown_code: Option<&'static str>,
        max: usize,
    ) -> Ids {
        Ids {
            what,
            file,
            max,
            unknown_code,
            seen: BTreeMap::new(),
            known: BTreeSet::new(),
            suggested: std::cell::Cell::new(0),
            over: std::cell::Cell::new(0),
            complete: true,
        }
    }

    /// Declares an id; reports an empty id or a duplicate and returns false for them.
    pub(crate) fn declare(&mut self, id: &str, at: &At<'_, '_>, sink: &mut Sink) -> bool {
        let loc = at.field_loc("id");
        if id.trim().is_empty() {
            sink.error(codes::INVALID_VALUE, &loc, format!("{} id is empty", self.what));
            return false;
        }
        let chars = id.chars().count();
        if chars > MAX_ID_CHARS {
            sink.error(
                codes::LIMIT_EXCEEDED,
                &loc,
                format!(
                    "{} id is {chars} characters long; the limit is {MAX_ID_CHARS}",
                    self.what
                ),
            )
            .hint("use a short, stable id and put the description in `name`");
            return false;
        }
        if self.seen.len() >= self.max {
            // Reported once, at the first entry over the limit; later ones are refused silently
            // (the project already fails) and references to them are not reported again.
            if !self.known.contains(id) && self.over.get() == 0 {
                sink.error(
                    codes::LIMIT_EXCEEDED,
                    &loc,
                    format!(
                        "more than {} {}s; a project holds at most {}",
                        self.max, self.what, self.max
                    ),
                )
                .hint(format!(
                    "split the system under consideration into several projects, or merge {}s",
                    self.what
                ));
            }
            self.over.set(self.over.get() + 1);
            self.known.insert(id.to_owned());
            return false;
        }
        if let Some(first) = self.seen.get(id) {
            sink.error(
                codes::DUPLICATE_ID,
                &loc,
                format!("duplicate {} id `{id}`; the first is at {first}", self.what),
            )
            .hint(format!("give each {} a unique id", self.what));
            return false;
        }
        self.seen.insert(id.to_owned(), loc);
        true
    }

    /// Records an id from an entry that failed to load, so references to it are not reported.
    pub(crate) fn know(&mut self, id: &str) {
        self.known.insert(id.to_owned());
    }

    /// Where an id was first declared.
    pub(crate) fn first(&self, id: &str) -> Option<&Loc> {
        self.seen.get(id)
    }

    /// Checks a reference; reports it unless the id is known (or the declarations are incomplete).
    /// The ids declared so far, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.seen.keys().map(String::as_str)
    }

    pub(crate) fn check(&self, id: &str, loc: &Loc, sink: &mut Sink) -> bool {
        if self.seen.contains_key(id) || self.known.contains(id) {
            return true;
        }
        if let (true, Some(code)) = (self.complete, self.unknown_code) {
            let searches = self.suggested.get();
            self.suggested.set(searches.saturating_add(1));
            let suggestion = if searches < SUGGESTIONS {
                did_you_mean(id, self.seen.keys().map(String::as_str))
            } else {
                None
            };
            let hint = suggestion.unwrap_or_else(|| {
                if self.seen.is_empty() {
                    format!("no {} is declared; declare it in {}", self.what, self.file)
                } else {
                    format!("declare it in {}", self.file)
                }
            });
            sink.error(code, loc, format!("unknown {} `{id}`", self.what))
                .hint(hint);
        }
        false
    }
}

/// Everything the converters share.
pub(crate) struct Ctx<'c> {
    pub(crate) catalog: &'c Catalog,
    pub(crate) sink: Sink,
    /// The project kind, when `levee.toml` says.
    pub(crate) kind: Option<ProjectKind>,
    pub(crate) matrix: RiskMatrix,
    /// The threat sources levee.toml defines, and the SL-T method.
    pub(crate) threat_sources: Vec<levee_core::ThreatSource>,
    pub(crate) sl_method: levee_core::SlMethod,
    pub(crate) zones: Ids,
    pub(crate) conduits: Ids,
    pub(crate) assets: Ids,
    pub(crate) components: Ids,
    pub(crate) scenarios: Ids,
    pub(crate) countermeasures: Ids,
    /// The type of every declared component.
    pub(crate) component_types: BTreeMap<String, ComponentType>,
    /// The conduits declared `untrusted = true` (SR 1.13 applies to them).
    pub(crate) untrusted_conduits: BTreeSet<String>,
    /// Countermeasures risk.toml declares `planned` (a response cannot rest on them yet).
    pub(crate) planned_countermeasures: BTreeSet<String>,
    /// Files referred to (evidence, SBOMs).
    pub(crate) file_refs: Vec<FileRef>,
    /// The networks of the zones read so far, for overlap diagnostics.
    pub(crate) zone_networks: Vec<(String, Vec<levee_core::Cidr>)>,
}

impl<'c> Ctx<'c> {
    pub(crate) fn new(catalog: &'c Catalog) -> Ctx<'c> {
        Ctx {
            catalog,
            sink: Sink::default(),
            kind: None,
            matrix: RiskMatrix::default(),
            threat_sources: Vec::new(),
            sl_method: levee_core::SlMethod::default(),
            zones: Ids::new("zone", "zones.toml", Some(codes::UNKNOWN_ZONE), limits::ZONES),
            conduits: Ids::new(
                "conduit",
                "conduits.toml",
                Some(codes::UNKNOWN_CONDUIT),
                limits::CONDUITS,
            ),
            assets: Ids::new("asset", "assets.toml", Some(codes::UNKNOWN_ASSET), limits::ASSETS),
            components: Ids::new(
                "component",
                "components.toml",
                Some(codes::UNKNOWN_COMPONENT),
                limits::COMPONENTS,
            ),
            scenarios: Ids::new(
                "scenario",
                "risk.toml",
                Some(codes::UNKNOWN_SCENARIO),
                limits::SCENARIOS,
            ),
            countermeasures: Ids::new(
                "countermeasure",
                "risk.toml",
                Some(codes::UNKNOWN_COUNTERMEASURE),
                limits::COUNTERMEASURES,
            ),
            component_types: BTreeMap::new(),
            untrusted_conduits: BTreeSet::new(),
            planned_countermeasures: BTreeSet::new(),
            file_refs: Vec::new(),
            zone_networks: Vec::new(),
        }
    }

    /// Reports keys of a file's root table other than `allowed`. Skipped for malformed files, where
    /// a broken header leaves its keys at the root.
    pub(crate) fn check_root_keys(&mut self, doc: &Doc<'_>, allowed: &[&str]) {
        if doc.malformed {
            return;
        }
        for (key, loc) in doc.root_keys() {
            if !allowed.contains(&key.as_str()) {
                let hint = did_you_mean(&key, allowed.iter().copied()).unwrap_or_else(|| {
                    let tables: Vec<String> = allowed.iter().map(|a| format!("`[[{a}]]`")).collect();
                    format!("{} holds only {}", doc.name, tables.join(" and "))
                });
                self.sink
                    .error(codes::UNKNOWN_FIELD, &loc, format!("unknown table `{key}`"))
                    .hint(hint);
            }
        }
    }

    /// Makes the ids of entries that failed known, and marks `ids` incomplete when the file is malformed.
    pub(crate) fn note_failed<T>(doc: &Doc<'_>, parsed: &Parsed<'_, '_, T>, ids: &mut Ids) {
        if doc.malformed {
            ids.complete = false;
        }
        for at in &parsed.failed {
            match at.str_field("id") {
                Some(id) => ids.know(id),
                None => ids.complete = false,
            }
        }
    }

    /// Warns when a file's data does not fit the project kind.
    pub(crate) fn kind_mismatch(&mut self, at: Option<&At<'_, '_>>, unexpected: ProjectKind, what: &str) {
        let (Some(at), Some(kind)) = (at, self.kind) else {
            return;
        };
        if kind == unexpected {
            let other = match kind {
                ProjectKind::AssetOwner => ProjectKind::Product,
                ProjectKind::Product => ProjectKind::AssetOwner,
            };
            self.sink
                .warning(
                    codes::KIND_MISMATCH,
                    &at.loc(),
                    format!("{what} in a `{}` project", kind.as_str()),
                )
                .hint(format!(
                    "{} belongs to `{}` projects; set `kind` in levee.toml or remove the file",
                    at.file(),
                    other.as_str()
                ));
        }
    }

    /// Converts a target security level (`sl_t`, `sl_target`) and reports what is wrong with it.
    ///
    /// For `sl_t`, `justification` is the justification field's key and value: `derived` is allowed,
    /// and a given level needs a justification.
    pub(crate) fn sl(
        &mut self,
        at: &At<'_, '_>,
        key: &str,
        raw: &RawSl,
        justification: Option<(&str, Option<&str>)>,
    ) -> Option<Option<SlVector>> {
        match sl_value(raw, justification.is_some()) {
            Ok(v) => {
                if let (Some(_), Some((jk, text))) = (v, justification)
                    && text.is_none_or(|t| t.trim().is_empty())
                {
                    self.sink
                        .error(
                            codes::MISSING_JUSTIFICATION,
                            &at.key_loc(key),
                            format!("`{key}` is given without `{jk}`"),
                        )
                        .hint(format!(
                            "explain why the target is set by hand: `{jk} = \"…\"`, or remove `{key}` to derive it"
                        ));
                }
                Some(v)
            }
            Err(errors) => {
                for e in errors {
                    match e {
                        SlError::OutOfRange { index, message } => {
                            let loc = index.map_or_else(|| at.field_loc(key), |i| at.item_loc(key, i));
                            self.sink
                                .error(codes::SL_OUT_OF_RANGE, &loc, format!("{message} in `{key}`"));
                        }
                        SlError::WrongLength(n) => {
                            self.sink
                                .error(
                                    codes::SL_OUT_OF_RANGE,
                                    &at.field_loc(key),
                                    format!("`{key}` has {n} levels; it needs seven, FR 1 to FR 7"),
                                )
                                .hint("write one level for every FR, e.g. `[2, 2, 2, 1, 1, 1, 1]`, or a single level such as `\"SL2\"`");
                        }
                        SlError::Invalid(t) => {
                            let derived = if justification.is_some() {
                                "`\"derived\"`, "
                            } else {
                                ""
                            };
                            self.sink
                                .error(
                                    codes::INVALID_VALUE,
                                    &at.field_loc(key),
                                    format!("invalid security level `{t}` in `{key}`"),
                                )
                                .hint(format!(
                                    "write {derived}a level such as `2` or `\"SL2\"`, or seven levels such as `[2, 2, 2, 1, 1, 1, 1]`"
                                ));
                        }
                        SlError::DerivedNotAllowed => {
                            self.sink
                                .error(
                                    codes::INVALID_VALUE,
                                    &at.field_loc(key),
                                    format!("`{key}` cannot be `derived`"),
                                )
                                .hint("give the level the component is designed for, e.g. `\"SL2\"`");
                        }
                    }
                }
                None
            }
        }
    }

    /// Looks a requirement up in the catalog; reports an unknown id with the closest known ones.
    pub(crate) fn requirement(&mut self, id: &str, loc: &Loc) -> Option<&'c Requirement> {
        let found = self.catalog.find(id);
        if found.is_none() {
            let hint = match self.catalog.suggest(id, 1).first() {
                Some(s) => format!("did you mean `{s}`?"),
                None => "run `levee catalog list` to see the requirement ids".to_owned(),
            };
            self.sink
                .error(
                    codes::UNKNOWN_REQUIREMENT,
                    loc,
                    format!("unknown requirement `{id}`"),
                )
                .hint(hint);
        }
        found
    }

    /// A zone or conduit `sl_t`.
    pub(crate) fn sl_target(
        &mut self,
        at: &At<'_, '_>,
        raw: Option<&RawSl>,
        justification: Option<&str>,
    ) -> Option<SlTarget> {
        let Some(raw) = raw else {
            return Some(SlTarget::Derived);
        };
        Some(
            match self.sl(at, "sl_t", raw, Some(("sl_t_justification", justification)))? {
                None => SlTarget::Derived,
                Some(vector) => SlTarget::Given {
                    vector,
                    justification: justification.map(str::trim).map(str::to_owned),
                },
            },
        )
    }
}
