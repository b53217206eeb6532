//! `template` and `init`: starter projects are valid and never overwrite anything.

use levee_core::ProjectKind;
use levee_model::{ModelError, ProjectFiles, init, load_dir, parse, template};

use crate::support::catalog;

#[test]
fn templates_parse_without_any_diagnostic() {
    for kind in [ProjectKind::AssetOwner, ProjectKind::Product] {
        let files: ProjectFiles = template(kind).into_iter().collect();
        let (project, diags) = parse(&files, catalog());
        let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert!(diags.is_empty(), "{kind:?}:\n{}", shown.join("\n"));
        let project = project.expect("a project");
        assert_eq!(project.kind, kind);
        match kind {
            ProjectKind::AssetOwner => {
                assert_eq!(project.zones.len(), 3);
                assert!(project.zones.iter().any(|z| z.purdue_level == Some(3.5)), "a DMZ");
                assert_eq!(project.conduits.len(), 2);
                assert_eq!(project.assets.len(), 6);
                assert_eq!(project.risk.scenarios.len(), 2);
                assert!(!project.risk.countermeasures.is_empty());
                assert!(project.responses.len() >= 3);
            }
            ProjectKind::Product => {
                assert_eq!(project.components.len(), 1);
                assert!(project.responses.len() >= 3);
                assert!(!project.maturity.is_empty());
            }
        }
    }
}

#[test]
fn init_writes_a_loadable_project() {
    for kind in [ProjectKind::AssetOwner, ProjectKind::Product] {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("new-project");
        let written = init(&root, kind).expect("init");
        assert_eq!(written.len(), template(kind).len());
        assert!(written.iter().all(|p| p.is_file()));
        let (project, diags) = load_dir(&root, catalog());
        assert!(diags.is_empty(), "{diags:#?}");
        assert!(project.is_some());
    }
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("zones.toml"), "# mine\n").expect("write");
    let err = init(dir.path(), ProjectKind::AssetOwner).expect_err("must refuse");
    assert!(
        matches!(&err, ModelError::Exists { path } if path.ends_with("zones.toml")),
        "{err}"
    );
    assert_eq!(err.code(), "file-exists");
    assert!(!dir.path().join("levee.toml").exists(), "nothing written");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("zones.toml")).expect("read"),
        "# mine\n"
    );
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_linked_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).expect("mkdir");
    let project = dir.path().join("project");
    std::fs::create_dir(&project).expect("mkdir");
    std::os::unix::fs::symlink(&outside, project.join("responses")).expect("link");
    let err = init(&project, ProjectKind::AssetOwner).expect_err("must refuse");
    assert!(
        matches!(&err, ModelError::Link { path, .. } if path.ends_with("responses")),
        "{err}"
    );
    assert_eq!(err.code(), "file-outside-project");
    assert_eq!(
        std::fs::read_dir(&outside).expect("read").count(),
        0,
        "nothing written outside"
    );
    assert!(
        !project.join("levee.toml").exists(),
        "nothing written inside either"
    );
    // A file where a folder belongs is refused the same way.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(other.join("responses"), "").expect("write");
    assert_eq!(
        init(&other, ProjectKind::AssetOwner).expect_err("refuse").code(),
        "file-outside-project"
    );
}
