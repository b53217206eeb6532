//! Helpers: parse a set of files and compare the diagnostics as `file:line:col code` lines.

use std::sync::OnceLock;

use levee_catalog::Catalog;
use levee_core::Project;
use levee_model::{Diagnostic, ProjectFiles, codes, parse};

/// The bundled catalog, loaded once.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::bundled().expect("bundled catalog"))
}

/// A minimal asset-owner `levee.toml`.
pub const ASSET_OWNER: &str = "[project]\nname = \"Test\"\nkind = \"asset-owner\"\n";

/// A minimal product `levee.toml`.
pub const PRODUCT: &str = "[project]\nname = \"Test\"\nkind = \"product\"\n";

/// Zones `a`, `b` and `c`, one per line pair (ids on lines 2, 5, 8).
pub const ZONES_ABC: &str = "[[zone]]\nid = \"a\"\nname = \"A\"\n[[zone]]\nid = \"b\"\nname = \"B\"\n[[zone]]\nid = \"c\"\nname = \"C\"\n";

/// Parses `files`, adding an asset-owner `levee.toml` unless one is given.
pub fn run(files: &[(&str, &str)]) -> (Option<Project>, Vec<Diagnostic>) {
    let mut pf = ProjectFiles::new();
    if !files.iter().any(|(p, _)| *p == "levee.toml") {
        pf.insert("levee.toml", ASSET_OWNER);
    }
    for (p, t) in files {
        pf.insert(*p, *t);
    }
    parse(&pf, catalog())
}

/// [`run`] without the data-quality warnings.
pub fn run_quiet(files: &[(&str, &str)]) -> (Option<Project>, Vec<Diagnostic>) {
    let (project, diags) = run(files);
    (project, without_quality(diags))
}

/// The diagnostics of `files` (see [`run`]), leaving out the data-quality warnings (the tests in
/// `quality.rs` look at those): most fixtures are zones without assets and answers without evidence.
pub fn diags(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    without_quality(run(files).1)
}

/// `diags` without the data-quality warnings.
pub fn without_quality(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter(|d| !codes::DATA_QUALITY.contains(&d.code))
        .collect()
}

/// A diagnostic as `file:line:col code`.
pub fn short(d: &Diagnostic) -> String {
    format!("{}:{}:{} {}", d.file, d.line, d.column, d.code)
}

/// Asserts that `files` produce exactly the `expected` diagnostics (`file:line:col code`, in order),
/// and that a project is returned exactly when none of them is an error.
#[track_caller]
pub fn check(files: &[(&str, &str)], expected: &[&str]) {
    let (project, diags) = run(files);
    let diags = without_quality(diags);
    let got: Vec<String> = diags.iter().map(short).collect();
    let full: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(got, expected, "\n--- diagnostics ---\n{}\n", full.join("\n"));
    assert_eq!(
        project.is_some(),
        !diags.iter().any(Diagnostic::is_error),
        "a project is returned exactly when there are no errors"
    );
}

/// The one diagnostic with `code`.
#[track_caller]
pub fn only(files: &[(&str, &str)], code: &str) -> Diagnostic {
    let all = diags(files);
    let mut with: Vec<&Diagnostic> = all.iter().filter(|d| d.code == code).collect();
    assert_eq!(with.len(), 1, "expected one {code}: {all:#?}");
    with.remove(0).clone()
}
