//! `load_dir`: reading a directory, oversized and non-UTF-8 files, and evidence on disk.

use std::fs;
use std::path::Path;

use levee_model::{Diagnostic, MAX_FILE_SIZE, load_dir};
use tempfile::TempDir;

use crate::support::{ASSET_OWNER, ZONES_ABC, catalog, short};

const HELLO_SHA256: &str = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

/// A project directory holding `files` (with an asset-owner `levee.toml` unless one is given).
fn project(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if !files.iter().any(|(p, _)| *p == "levee.toml") {
        fs::write(dir.path().join("levee.toml"), ASSET_OWNER).expect("write");
    }
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
    }
    dir
}

fn load(dir: &Path) -> Vec<Diagnostic> {
    crate::support::without_quality(load_dir(dir, catalog()).1)
}

fn shorts(dir: &Path) -> Vec<String> {
    load(dir).iter().map(short).collect()
}

#[test]
fn evidence_files_exist_and_match_their_hash() {
    let responses = format!(
        "[[response]]\nrequirement = \"SR 5.1\"\nzone = \"a\"\nstatus = \"implemented\"\nevidence = [\n\
         \x20 {{ file = \"evidence/missing.pdf\" }},\n\
         \x20 {{ file = \"evidence/ok.txt\", sha256 = \"{HELLO_SHA256}\" }},\n\
         \x20 {{ file = \"evidence/ok.txt\", sha256 = \"{}\" }},\n\
         \x20 {{ file = \"evidence\" }},\n\
         ]\n",
        "0".repeat(64)
    );
    let dir = project(&[
        ("zones.toml", ZONES_ABC.as_bytes()),
        ("responses/r.toml", responses.as_bytes()),
        ("evidence/ok.txt", b"hello\n"),
    ]);
    let diags = load(dir.path());
    let got: Vec<String> = diags.iter().map(short).collect();
    assert_eq!(
        got,
        [
            "responses/r.toml:6:12 missing-evidence",
            "responses/r.toml:8:40 evidence-hash-mismatch",
            "responses/r.toml:9:12 missing-evidence",
        ]
    );
    assert_eq!(
        diags[0].message,
        "evidence file `evidence/missing.pdf` does not exist"
    );
    let hint = diags[1].hint.as_deref().unwrap_or_default();
    assert!(hint.contains(HELLO_SHA256), "{hint}");
    assert!(load_dir(dir.path(), catalog()).0.is_none());
}

#[test]
fn a_correct_hash_loads() {
    let responses = format!(
        "[[response]]\nrequirement = \"SR 5.1\"\nzone = \"a\"\nstatus = \"implemented\"\n\
         evidence = [{{ file = \"evidence/ok.txt\", sha256 = \"{}\" }}]\n",
        HELLO_SHA256.to_uppercase()
    );
    let dir = project(&[
        ("zones.toml", ZONES_ABC.as_bytes()),
        ("responses/r.toml", responses.as_bytes()),
        ("evidence/ok.txt", b"hello\n"),
    ]);
    let (project, diags) = load_dir(dir.path(), catalog());
    let diags = crate::support::without_quality(diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(project.expect("project").responses.len(), 1);
}

#[test]
fn sbom_paths() {
    let assets = "[[asset]]\nid = \"p\"\nname = \"P\"\nzone = \"a\"\ntype = \"plc\"\nsbom = \"sbom/p.json\"\n\
                  [[asset]]\nid = \"q\"\nname = \"Q\"\nzone = \"a\"\ntype = \"plc\"\nsbom = \"../q.json\"\n\
                  [[asset]]\nid = \"r\"\nname = \"R\"\nzone = \"a\"\ntype = \"plc\"\nsbom = \"sbom/r.json\"\n";
    let dir = project(&[
        ("zones.toml", ZONES_ABC.as_bytes()),
        ("assets.toml", assets.as_bytes()),
        ("sbom/r.json", b"{}"),
    ]);
    assert_eq!(
        shorts(dir.path()),
        [
            "assets.toml:6:8 missing-evidence",
            "assets.toml:12:8 evidence-outside-project"
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_project_is_rejected() {
    let outside = tempfile::tempdir().expect("temp dir");
    fs::write(outside.path().join("secret.txt"), "s").expect("write");
    let responses = "[[response]]\nrequirement = \"SR 5.1\"\nzone = \"a\"\nstatus = \"implemented\"\n\
                     evidence = [{ file = \"evidence/link.txt\" }]\n";
    let dir = project(&[
        ("zones.toml", ZONES_ABC.as_bytes()),
        ("responses/r.toml", responses.as_bytes()),
    ]);
    fs::create_dir_all(dir.path().join("evidence")).expect("mkdir");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("evidence/link.txt"),
    )
    .expect("symlink");
    assert_eq!(
        shorts(dir.path()),
        ["responses/r.toml:5:22 evidence-outside-project"]
    );
}

#[test]
fn oversized_file_is_reported_and_does_not_cascade() {
    let conduits = "[[conduit]]\nid = \"c\"\nname = \"C\"\nzones = [\"a\", \"b\"]\n";
    let dir = project(&[("conduits.toml", conduits.as_bytes())]);
    // A sparse file: its length is over the limit without writing 64 MiB.
    let file = fs::File::create(dir.path().join("zones.toml")).expect("create");
    file.set_len(MAX_FILE_SIZE + 1).expect("set_len");
    let diags = load(dir.path());
    assert_eq!(
        diags.iter().map(short).collect::<Vec<_>>(),
        ["zones.toml:0:0 file-too-large"]
    );
    assert!(
        diags[0]
            .to_string()
            .starts_with("zones.toml: error[file-too-large]"),
        "{}",
        diags[0]
    );
}

#[test]
fn not_utf8_points_at_the_first_bad_byte() {
    let dir = project(&[("zones.toml", b"[[zone]]\nid = \"\xff\"\nname = \"A\"\n")]);
    assert_eq!(shorts(dir.path()), ["zones.toml:2:7 not-utf8"]);
    // An unreadable levee.toml is not reported missing as well.
    let dir = project(&[("levee.toml", b"\xfe[project]\n")]);
    assert_eq!(shorts(dir.path()), ["levee.toml:1:1 not-utf8"]);
}

#[test]
fn no_project_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(shorts(dir.path()), ["levee.toml:0:0 missing-project-file"]);
    assert_eq!(
        shorts(&dir.path().join("nope")),
        ["levee.toml:0:0 missing-project-file"]
    );
}

#[test]
fn responses_are_read_in_name_order_and_other_files_are_ignored() {
    let r = |req: &str| {
        format!("[[response]]\nrequirement = \"{req}\"\nzone = \"a\"\nstatus = \"implemented\"\n")
    };
    let dir = project(&[
        ("zones.toml", ZONES_ABC.as_bytes()),
        ("responses/b.toml", r("SR 5.2").as_bytes()),
        ("responses/a.toml", r("SR 5.1").as_bytes()),
        ("responses/notes.md", b"not toml"),
        ("responses/old/c.toml", b"not toml at all ["),
        ("notes.md", b"# notes"),
    ]);
    let (project, diags) = load_dir(dir.path(), catalog());
    let diags = crate::support::without_quality(diags);
    assert!(diags.is_empty(), "{diags:#?}");
    let order: Vec<String> = project
        .expect("project")
        .responses
        .into_iter()
        .map(|r| r.requirement)
        .collect();
    assert_eq!(order, ["SR 5.1", "SR 5.2"]);
}

#[test]
fn malformed_file_does_not_stop_the_others() {
    let dir = project(&[
        ("zones.toml", b"[[zone]\nid = \"a\"\n"),
        (
            "assets.toml",
            b"[[asset]]\nid = \"p\"\nname = \"P\"\nzone = \"a\"\ntype = \"plc\"\nip = [\"300.1.1.1\"]\n",
        ),
    ]);
    assert_eq!(
        shorts(dir.path()),
        ["assets.toml:6:7 invalid-value", "zones.toml:1:8 parse-error"]
    );
}
