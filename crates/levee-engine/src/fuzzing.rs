//! Entry point shared by the `project_report` fuzz target and its corpus regression test: a
//! project file from outside goes through the whole `assess` pipeline (parse, assess, build the
//! report) and every renderer (report.md, .html, .pdf, .xlsx, .oscal.json). Pure: no file is read
//! or written.

use levee_report::assessment;

/// The project of `levee_model::fuzzing::project_input` (the first byte picks the file the rest of
/// the input replaces in the asset-owner template); one that loads is assessed and rendered in
/// every format.
pub fn project_report(data: &[u8]) {
    let Some((files, catalog)) = levee_model::fuzzing::project_input(data) else {
        return;
    };
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
