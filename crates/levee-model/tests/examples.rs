//! The example projects shipped in `examples/` load without a diagnostic other than the
//! data-quality warnings they are meant to show (answers without evidence and the like).

use std::path::PathBuf;

use levee_model::load_dir;

use crate::support::catalog;

#[test]
fn shipped_examples_load_cleanly() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let Ok(entries) = std::fs::read_dir(&root) else {
        eprintln!("no examples/ directory at {}; nothing to check", root.display());
        return;
    };
    let mut checked = 0;
    for entry in entries.flatten() {
        let dir = entry.path();
        if !dir.join("levee.toml").is_file() {
            continue;
        }
        let (project, diags) = load_dir(&dir, catalog());
        let diags = crate::support::without_quality(diags);
        let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert!(diags.is_empty(), "{}:\n{}", dir.display(), shown.join("\n"));
        assert!(project.is_some(), "{}", dir.display());
        checked += 1;
    }
    eprintln!("{checked} example projects load cleanly");
}
