//! Entry point shared by the `project_files` fuzz target and its corpus regression test.

use std::sync::OnceLock;

use levee_catalog::Catalog;

use crate::{PROJECT_FILES, ProjectFiles, parse};

fn catalog() -> Option<&'static Catalog> {
    static CATALOG: OnceLock<Option<Catalog>> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::bundled().ok()).as_ref()
}

/// The fuzz input as a project: the file chosen by the first byte holds the rest of the input;
/// the other files form a small valid project (the asset-owner template), so references across
/// files are exercised too. `None` for an empty input or an unloadable catalog. Shared with the
/// whole-pipeline target (`levee_engine::fuzzing`).
pub fn project_input(data: &[u8]) -> Option<(ProjectFiles, &'static Catalog)> {
    let (first, rest) = data.split_first()?;
    let catalog = catalog()?;
    let mut files: ProjectFiles = crate::template(levee_core::ProjectKind::AssetOwner)
        .into_iter()
        .collect();
    let mut names: Vec<&str> = PROJECT_FILES.to_vec();
    names.push("responses/fuzz.toml");
    let name = names[usize::from(*first) % names.len()];
    files.insert(name, String::from_utf8_lossy(rest).into_owned());
    Some((files, catalog))
}

/// Parses the project of [`project_input`].
pub fn project_files(data: &[u8]) {
    let Some((files, catalog)) = project_input(data) else {
        return;
    };
    let (project, diagnostics) = parse(&files, catalog);
    // A project is returned exactly when no diagnostic is an error.
    assert_eq!(project.is_some(), !diagnostics.iter().any(|d| d.is_error()));
    for d in &diagnostics {
        let _ = d.to_string();
    }
}
