//! `levee firmware scan` end to end on the shared firmware corpus: the report validates against
//! its schema, the SBOM scans, hostile archives write nothing outside the extraction root, the
//! bomb stops at the ratio limit, partial results say so in the exit code, modes and in-root
//! links survive extraction, and the output is the same on every run.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::macros::levee_in;
use crate::schemas::assert_valid;

fn samples() -> Option<PathBuf> {
    Some(levee_testutil::shared_data("firmware-samples")?.join("firmware-samples"))
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn json_validates_and_the_cyclonedx_sbom_scans() {
    let Some(s) = samples() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let image = s.join("synthetic-permissive-fw/rootfs.cpio.gz.uImage");
    let r = levee_in(tmp.path(), &["firmware", "scan", arg(&image), "--format", "json"]);
    assert_code!(r, 0);
    let v = r.json();
    assert_valid("firmware", &v);
    assert_eq!(v["components"].as_array().map(Vec::len), Some(10));
    let uimage = &v["tree"]["layers"][0];
    assert_eq!(uimage["format"], "uimage");
    assert_eq!(uimage["info"]["arch"], "x86_64");
    assert_eq!(uimage["checks"][0]["ok"], true);
    assert_eq!(uimage["checks"][1]["ok"], true);
    let again = levee_in(tmp.path(), &["firmware", "scan", arg(&image), "--format", "json"]);
    assert_eq!(r.stdout, again.stdout, "same image, same bytes");

    let cdx = tmp.path().join("fw.cdx.json");
    let w = levee_in(
        tmp.path(),
        &[
            "firmware",
            "scan",
            arg(&image),
            "--format",
            "cyclonedx",
            "--out",
            arg(&cdx),
        ],
    );
    assert_code!(w, 0);
    let doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&cdx).expect("sbom")).expect("json");
    assert_eq!(doc["specVersion"], "1.6");
    let dropbear = doc["components"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == "dropbear"))
        .expect("dropbear");
    assert_eq!(dropbear["version"], "2022.83");
    assert!(
        dropbear["cpe"]
            .as_str()
            .is_some_and(|c| c.contains(":dropbear_ssh:2022.83:"))
    );
    assert!(
        dropbear["evidence"]["occurrences"][0]["location"]
            .as_str()
            .is_some_and(|l| l.contains("cpio@0"))
    );
    let valid = levee_in(tmp.path(), &["sbom", "validate", arg(&cdx)]);
    assert_code!(valid, 0);
    assert!(
        valid.stdout.contains("valid cyclonedx-json 1.6"),
        "{}",
        valid.stdout
    );
    let scan = levee_in(tmp.path(), &["scan", "sbom", arg(&cdx), "--format", "json"]);
    assert_code!(scan, 0);
    assert_valid("scan", &scan.json());
    let with_scan = levee_in(
        tmp.path(),
        &["firmware", "scan", arg(&image), "--format", "json", "--scan"],
    );
    assert_code!(with_scan, 0);
    let v = with_scan.json();
    assert_valid("firmware", &v);
    assert!(v["scan"]["components"].as_array().is_some_and(|c| c.len() >= 10));
    let spdx = tmp.path().join("fw.spdx.json");
    let w = levee_in(
        tmp.path(),
        &[
            "firmware",
            "scan",
            arg(&image),
            "--format",
            "spdx",
            "--out",
            arg(&spdx),
        ],
    );
    assert_code!(w, 0);
    let valid = levee_in(tmp.path(), &["sbom", "validate", arg(&spdx)]);
    assert_code!(valid, 0);
    assert!(
        valid.stdout.contains("valid spdx-json SPDX-2.3, 11 components"),
        "{}",
        valid.stdout
    );
}

/// Every path under `dir`, relative.
fn tree(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        out.push(p.clone());
        if fs::symlink_metadata(&p).expect("meta").is_dir() {
            tree(&p, out);
        }
    }
}

#[test]
fn hostile_archives_write_nothing_outside_the_root() {
    let Some(s) = samples() else { return };
    let mut files: Vec<PathBuf> = fs::read_dir(s.join("extraction-safety"))
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 8);
    for f in files {
        // The root sits three levels down, so that `../../..` would still land in the sandbox.
        let sandbox = tempfile::tempdir().expect("tmp");
        let root = sandbox.path().join("a/b/c/root");
        let r = levee_in(
            sandbox.path(),
            &[
                "firmware",
                "scan",
                arg(&f),
                "--extract",
                arg(&root),
                "--format",
                "json",
            ],
        );
        assert!(
            r.code == 0 || r.code == 3,
            "{}: exit {}\n{}",
            f.display(),
            r.code,
            r.stderr
        );
        let v = r.json();
        let mut all = Vec::new();
        tree(sandbox.path(), &mut all);
        for p in &all {
            let inside =
                p.starts_with(&root) || root.starts_with(p) || p.starts_with(sandbox.path().join("xdg"));
            assert!(
                inside,
                "{}: {} is outside the extraction root",
                f.display(),
                p.display()
            );
            if let Ok(target) = fs::read_link(p) {
                let resolved = p.parent().expect("parent").join(&target);
                let canon = fs::canonicalize(&resolved).unwrap_or(resolved);
                assert!(
                    canon.starts_with(fs::canonicalize(&root).expect("root")),
                    "{}: link {} escapes",
                    f.display(),
                    p.display()
                );
            }
        }
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let problems = v["problems"].as_array().cloned().unwrap_or_default();
        let codes: Vec<&str> = problems.iter().filter_map(|p| p["code"].as_str()).collect();
        match name {
            "gzip-ratio-1000x-64MiB.gz" => {
                assert_eq!(r.code, 3);
                assert!(codes.contains(&"limit-ratio"), "{codes:?}");
                assert!(
                    v["limits"]["used_bytes"].as_u64().unwrap_or(u64::MAX) < 4 << 20,
                    "stopped before inflating"
                );
            }
            "tar-dotdot.tar" | "zip-slip.zip" | "cpio-dotdot.cpio" => {
                assert_eq!(r.code, 3);
                assert!(codes.contains(&"unsafe-path"), "{name}: {codes:?}");
                assert!(
                    all.iter()
                        .any(|p| p.ends_with("ok/readme.txt") || p.ends_with("ok.txt")),
                    "{name}: the good entry is kept"
                );
            }
            "tar-hardlink-escape.tar" => assert!(codes.contains(&"unsafe-link"), "{codes:?}"),
            "tar-symlink-escape.tar" | "squashfs-symlink-escape.sqfs" => {
                assert!(r.stderr.contains("neutralised"), "{name}: {}", r.stderr);
            }
            _ => {}
        }
    }
}

#[test]
fn modes_and_in_root_links_are_kept() {
    let Some(s) = samples() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("x");
    let image = s.join("synthetic-permissive-fw/rootfs.squashfs");
    let r = levee_in(
        tmp.path(),
        &[
            "firmware",
            "scan",
            arg(&image),
            "--extract",
            arg(&out),
            "--format",
            "json",
        ],
    );
    assert_code!(r, 0);
    let v = r.json();
    let base = out.join("0-squashfs");
    let manifest =
        fs::read_to_string(s.join("synthetic-permissive-fw/rootfs-manifest.tsv")).expect("manifest");
    let mut links = 0;
    for line in manifest.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let p = base.join(cells[0]);
        match cells[1] {
            "symlink" => {
                links += 1;
                assert_eq!(
                    fs::read_link(&p).expect("link").to_str(),
                    Some(cells[3]),
                    "{}",
                    cells[0]
                );
            }
            "file" => {
                assert_eq!(
                    fs::metadata(&p).expect("file").len().to_string(),
                    cells[2],
                    "{}",
                    cells[0]
                );
            }
            _ => assert!(p.is_dir(), "{}", cells[0]),
        }
    }
    assert_eq!(links, 11);
    for f in v["tree"]["layers"][0]["files"].as_array().expect("files") {
        if f["kind"] == "file" || f["kind"] == "dir" {
            let mode = fs::symlink_metadata(base.join(f["path"].as_str().expect("path")))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(
                format!("{:04o}", mode & 0o1777),
                f["mode"].as_str().expect("mode"),
                "{}",
                f["path"]
            );
        }
    }
}

#[test]
fn a_layer_that_cannot_be_unpacked_makes_the_result_partial() {
    let Some(s) = samples() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let data = fs::read(s.join("synthetic-permissive-fw/rootfs.squashfs")).expect("image");
    let cut = tmp.path().join("cut.squashfs");
    fs::write(&cut, &data[..data.len() / 2]).expect("write");
    let r = levee_in(tmp.path(), &["firmware", "scan", arg(&cut), "--format", "json"]);
    assert_code!(r, 3);
    let v = r.json();
    assert_eq!(v["partial"], true);
    assert!(
        v["problems"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["code"] == "truncated")),
        "{}",
        r.stdout
    );
    for name in ["7z.bin", "mbr.bin"] {
        let r = levee_in(
            tmp.path(),
            &[
                "firmware",
                "scan",
                arg(&s.join("binwalk-test-inputs").join(name)),
                "--format",
                "json",
            ],
        );
        assert_code!(r, 3);
        assert!(r.stderr.contains("partial"), "{}", r.stderr);
    }
}
