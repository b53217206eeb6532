//! Levee project directories: the file format, loading and validation.
//!
//! A project is a directory of plain TOML files (`levee.toml`, `zones.toml`, `conduits.toml`,
//! `assets.toml`, `components.toml`, `risk.toml`, `responses/*.toml`, `maturity.toml`,
//! `program.toml`), described in `docs/project-format.md`. This crate turns those files into a
//! [`levee_core::Project`] and reports every problem at once as a [`Diagnostic`] with a stable code,
//! the file, and the line and column.
//!
//! The core is pure: [`parse`] takes the files' text as [`ProjectFiles`]. [`load_dir`] is the edge that
//! reads a directory, calls [`parse`], then checks the evidence files on disk. [`template`] and
//! [`init`] create a new project, and [`json_schemas`] describes the format for editors.
//!
//! ```
//! use levee_catalog::Catalog;
//! use levee_model::{ProjectFiles, parse};
//!
//! let catalog = Catalog::bundled()?;
//! let mut files = ProjectFiles::new();
//! files.insert("levee.toml", "[project]\nname = \"Demo\"\nkind = \"asset-owner\"\n");
//! files.insert("zones.toml", "[[zone]]\nid = \"control\"\nname = \"Control\"\ncriticality = \"hgh\"\n");
//! let (project, diagnostics) = parse(&files, &catalog);
//! assert!(project.is_none());
//! assert_eq!(diagnostics[0].code, "invalid-value");
//! assert_eq!((diagnostics[0].line, diagnostics[0].column), (4, 15));
//! assert_eq!(diagnostics[0].hint.as_deref(), Some("did you mean `high`?"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod answers;
mod approvals;
mod check;
mod diag;
mod fs;
#[doc(hidden)]
pub mod fuzzing;
mod quality;
mod raw;
mod risk;
mod schema;
mod source;
mod system;
mod template;
mod values;

use std::collections::{BTreeMap, BTreeSet};

use levee_catalog::Catalog;
use levee_core::{Project, RiskRegister};

pub use diag::{Diagnostic, Severity, codes};
pub use fs::{MAX_FILE_SIZE, ModelError, init, load_dir, load_dir_with_sources};
pub use schema::json_schemas;
pub use template::template;

use check::{Ctx, FileRef};
use diag::{Loc, Sink, did_you_mean};
use source::Doc;

/// The project files Levee knows, besides `responses/*.toml`, in the order they are read.
pub const PROJECT_FILES: &[&str] = &[
    "levee.toml",
    "zones.toml",
    "conduits.toml",
    "assets.toml",
    "components.toml",
    "risk.toml",
    "maturity.toml",
    "program.toml",
    "approvals.toml",
];

/// The directory whose `*.toml` files hold responses to 3-3 and 4-2 requirements.
pub const RESPONSES_DIR: &str = "responses";

/// The text of a project's files, keyed by path relative to the project directory (`zones.toml`,
/// `responses/network.toml`), with `/` separators.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFiles {
    files: BTreeMap<String, String>,
    unreadable: BTreeSet<String>,
}

impl ProjectFiles {
    /// No files.
    pub fn new() -> ProjectFiles {
        ProjectFiles::default()
    }

    /// Adds (or replaces) a file. Back-slashes in the path are read as `/`.
    pub fn insert(&mut self, path: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.files.insert(normalise(path.into()), text.into());
        self
    }

    /// Records a file that exists but could not be read (the caller reports why). [`parse`] then
    /// neither reports it missing nor reports references to ids it may declare.
    pub fn mark_unreadable(&mut self, path: impl Into<String>) -> &mut Self {
        self.unreadable.insert(normalise(path.into()));
        self
    }

    /// The text of a file.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// The paths of the files held, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    fn is_unreadable(&self, path: &str) -> bool {
        self.unreadable.contains(path)
    }
}

impl<P: Into<String>, T: Into<String>> FromIterator<(P, T)> for ProjectFiles {
    fn from_iter<I: IntoIterator<Item = (P, T)>>(iter: I) -> Self {
        let mut files = ProjectFiles::new();
        for (p, t) in iter {
            files.insert(p, t);
        }
        files
    }
}

fn normalise(path: String) -> String {
    path.replace('\\', "/")
}

/// Whether `path` is a file the format reads: one of [`PROJECT_FILES`] or `responses/*.toml`.
pub fn is_project_file(path: &str) -> bool {
    PROJECT_FILES.contains(&path) || is_response_file(path)
}

fn is_response_file(path: &str) -> bool {
    path.strip_prefix(RESPONSES_DIR)
        .and_then(|p| p.strip_prefix('/'))
        .is_some_and(|name| !name.contains('/') && name.ends_with(".toml"))
}

/// Parses and validates a project from its files' text, reporting every problem.
///
/// Returns the project when there are no errors (warnings allowed), and every diagnostic, sorted by
/// file, line and column. Does no I/O: evidence files are checked by [`load_dir`].
pub fn parse(files: &ProjectFiles, catalog: &Catalog) -> (Option<Project>, Vec<Diagnostic>) {
    let out = parse_files(files, catalog);
    (out.project, out.sink.into_sorted())
}

/// What [`parse`] finds, plus the file references for [`load_dir`] to check.
pub(crate) struct ParseOutput {
    pub(crate) project: Option<Project>,
    pub(crate) sink: Sink,
    pub(crate) file_refs: Vec<FileRef>,
}

pub(crate) fn parse_files(files: &ProjectFiles, catalog: &Catalog) -> ParseOutput {
    let mut ctx = Ctx::new(catalog);
    let mut docs: BTreeMap<&str, Doc<'_>> = BTreeMap::new();
    for (path, text) in &files.files {
        if is_project_file(path) {
            docs.insert(path, Doc::parse(path, text, &mut ctx.sink));
        } else if !path.contains('/') && path.ends_with(".toml") {
            let names = PROJECT_FILES.iter().copied().chain([RESPONSES_DIR]);
            let hint = did_you_mean(path, names)
                .unwrap_or_else(|| format!("Levee reads {} and responses/*.toml", PROJECT_FILES.join(", ")));
            ctx.sink
                .warning(
                    codes::UNKNOWN_FILE,
                    &Loc::file(path),
                    format!("{path} is not a project file and is ignored"),
                )
                .hint(hint);
        }
    }
    for (file, ids) in [
        ("zones.toml", &mut ctx.zones),
        ("conduits.toml", &mut ctx.conduits),
        ("assets.toml", &mut ctx.assets),
        ("components.toml", &mut ctx.components),
        ("risk.toml", &mut ctx.countermeasures),
        ("risk.toml", &mut ctx.scenarios),
    ] {
        if files.is_unreadable(file) {
            ids.complete = false;
        }
    }
    let meta = system::manifest(
        &mut ctx,
        docs.get("levee.toml"),
        files.is_unreadable("levee.toml"),
    );
    let zones = docs
        .get("zones.toml")
        .map(|d| system::zones(&mut ctx, d))
        .unwrap_or_default();
    let conduits = docs
        .get("conduits.toml")
        .map(|d| system::conduits(&mut ctx, d))
        .unwrap_or_default();
    let assets = docs
        .get("assets.toml")
        .map(|d| system::assets(&mut ctx, d))
        .unwrap_or_default();
    let components = docs
        .get("components.toml")
        .map(|d| system::components(&mut ctx, d))
        .unwrap_or_default();
    let (scenarios, countermeasures) = docs
        .get("risk.toml")
        .map(|d| risk::risk(&mut ctx, d))
        .unwrap_or_default();
    let mut responses = Vec::new();
    let mut answered = answers::Answered::default();
    for (_, doc) in docs.iter().filter(|(p, _)| is_response_file(p)) {
        responses.extend(answers::responses(&mut ctx, doc, &mut answered));
    }
    let assets_in = (docs.contains_key("assets.toml") && ctx.assets.complete)
        .then(|| assets.iter().map(|a| a.zone.as_str().to_owned()).collect());
    let maturity = docs
        .get("maturity.toml")
        .map(|d| answers::maturity(&mut ctx, d))
        .unwrap_or_default();
    let program = docs
        .get("program.toml")
        .map(|d| answers::program(&mut ctx, d))
        .unwrap_or_default();
    let approvals = docs
        .get("approvals.toml")
        .map(|d| approvals::approvals(&mut ctx, d))
        .unwrap_or_default();
    // Given once the project has no errors: they would bury the errors, and an entry that failed
    // to load (in any file, maturity, program and approvals
    // included) leaves the zones or answers incomplete.
    if !ctx.sink.has_errors() {
        quality::check(&mut ctx, &answered.quality, &zones, &conduits, assets_in.as_ref());
    }
    let project = meta.filter(|_| !ctx.sink.has_errors()).map(|m| Project {
        name: m.name,
        kind: m.kind,
        owner: m.owner,
        description: m.description,
        document: m.document,
        review: m.review,
        captures: m.captures,
        zones,
        conduits,
        assets,
        components,
        crs: m.crs,
        risk: RiskRegister {
            matrix: ctx.matrix.clone(),
            threat_sources: ctx.threat_sources.clone(),
            sl_method: ctx.sl_method.clone(),
            scenarios,
            countermeasures,
            approvals,
        },
        responses,
        maturity,
        program,
    });
    ParseOutput {
        project,
        sink: ctx.sink,
        file_refs: ctx.file_refs,
    }
}
