//! Entry point shared by the `project_report` fuzz target and its corpus regression test: a
//! project file from outside goes through the whole `assess` pipeline (parse, assess, build the
//! report) and every renderer (report.md, .html, .pdf, .xlsx, .oscal.json). Pure: no file is read
//! or written.

use std::sync::OnceLock;

use levee_catalog::Catalog;
use levee_model::{PROJECT_FILES, ProjectFiles};
use levee_report::assessment;

fn catalog() -> Option<&'static Catalog> {
    static CATALOG: OnceLock<Option<Catalog>> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::bundled().ok()).as_ref()
}

/// The first byte picks the project file the rest of the input replaces in a small valid project
/// (the asset-owner template); a project that loads is assessed and rendered in every format.
pub fn project_report(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let Some(catalog) = catalog() else { return };
    let mut files: ProjectFiles = levee_model::template(levee_core::ProjectKind::AssetOwner)
        .into_iter()
        .collect();
    let mut names: Vec<&str> = PROJECT_FILES.to_vec();
    names.push("responses/fuzz.toml");
    let name = names[usize::from(*first) % names.len()];
    files.insert(name, String::from_utf8_lossy(rest).into_owned());
    let (Some(project), _) = levee_model::parse(&files, catalog) else {
        return;
    };
    let a = levee_assess::assess(&project, catalog, &[], &levee_assess::Options::default());
    let report = assessment::report(&a, &project, &[], None, Some("2026-01-01"));
    let json = levee_report::to_json(&report);
    assert!(json.starts_with('{'));
    let md = assessment::markdown::render(&report);
    assert!(md.starts_with("# "));
    let html = assessment::html::render(&report, "");
    assert!(html.ends_with("</html>\n"));
    let pdf = levee_report::pdf::render(&report);
    assert!(pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"));
    let xlsx = levee_report::xlsx::render(&report);
    assert!(xlsx.is_ok_and(|x| x.starts_with(b"PK")));
    let oscal = assessment::oscal::render(&report);
    assert!(oscal.starts_with('{'));
}
