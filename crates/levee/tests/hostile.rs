//! Issue 14: every command that reads files refuses a FIFO, a device, a symbolic link out of its
//! project and an oversized file, quickly, with the file named, and prints nothing it should not.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::macros::Run;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs levee with a deadline: a command that hangs (on a FIFO, say) fails the test instead of
/// hanging it. `SECRET_MARKER` is in the environment, to catch a leak of `/proc/self/environ`.
fn run(data: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_levee"))
        .args(args)
        .env_remove("LEVEE_DATA_DIR")
        .env("HOME", data.join("home"))
        .env("XDG_DATA_HOME", data.join("xdg"))
        .env("SECRET_MARKER", "do-not-print-me-7f3a")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("levee runs");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("levee {args:?} did not finish within 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !r.stdout.contains("do-not-print-me") && !r.stderr.contains("do-not-print-me"),
        "levee {args:?} printed the environment:\n{}\n{}",
        r.stdout,
        r.stderr
    );
    r
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

fn copy_example(to: &Path) {
    let from = root().join("examples/water-treatment");
    let status = Command::new("cp")
        .arg("-r")
        .arg(&from)
        .arg(to)
        .status()
        .expect("cp");
    assert!(status.success());
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[cfg(unix)]
#[test]
fn project_files_never_lead_out_of_the_project_nor_hang() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("tmp");
    let secret = tmp.path().join("id_rsa");
    std::fs::write(&secret, "-----BEGIN PRIVATE KEY----- do-not-print-me-key\n").expect("write");
    for (case, setup) in [
        (
            "env",
            &(|d: &Path| symlink("/proc/self/environ", d.join("responses/env.toml")).expect("link"))
                as &dyn Fn(&Path),
        ),
        ("key", &|d: &Path| {
            std::fs::remove_file(d.join("zones.toml")).expect("rm");
            symlink(&secret, d.join("zones.toml")).expect("link");
        }),
        ("zero", &|d: &Path| {
            std::fs::remove_file(d.join("levee.toml")).expect("rm");
            symlink("/dev/zero", d.join("levee.toml")).expect("link");
        }),
        ("fifo", &|d: &Path| {
            std::fs::remove_file(d.join("levee.toml")).expect("rm");
            mkfifo(&d.join("levee.toml"));
        }),
        ("fifo-zones", &|d: &Path| {
            std::fs::remove_file(d.join("zones.toml")).expect("rm");
            mkfifo(&d.join("zones.toml"));
        }),
        ("linked-responses", &|d: &Path| {
            let outside = d.parent().expect("parent").join("outside-responses");
            std::fs::rename(d.join("responses"), &outside).expect("mv");
            symlink(&outside, d.join("responses")).expect("link");
        }),
    ] {
        let dir = tmp.path().join(case);
        copy_example(&dir);
        setup(&dir);
        for cmd in ["validate", "assess"] {
            let r = run(tmp.path(), &[cmd, &s(&dir)]);
            assert_code!(r, 2);
            assert!(
                r.stderr.contains("file-outside-project") || r.stderr.contains("not-a-file"),
                "{case} {cmd}: {}",
                r.stderr
            );
            assert!(
                !r.stderr.contains("do-not-print-me-key"),
                "{case} {cmd} printed the key"
            );
        }
    }
}

/// An asset's SBOM is a project file like any other: `assess` never follows a link out of the
/// project to read it.
#[cfg(unix)]
#[test]
fn assess_reads_asset_sboms_only_inside_the_project() {
    let tmp = tempfile::tempdir().expect("tmp");
    let outside = tmp.path().join("outside.cdx.json");
    std::fs::copy(
        root().join("examples/water-treatment/sbom/plc-chem-dosing.cdx.json"),
        &outside,
    )
    .expect("copy");
    let dir = tmp.path().join("plant");
    copy_example(&dir);
    let linked = dir.join("sbom/plc-chem-dosing.cdx.json");
    std::fs::remove_file(&linked).expect("rm");
    std::os::unix::fs::symlink(&outside, &linked).expect("link");
    let r = run(tmp.path(), &["assess", &s(&dir)]);
    assert_code!(r, 2);
    assert!(
        r.stderr.contains("file-outside-project") || r.stderr.contains("outside"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn scan_and_import_text_refuse_fifos_devices_and_oversized_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let fifo = tmp.path().join("bom.json");
    mkfifo(&fifo);
    let big = tmp.path().join("big.cdx.json");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(600 << 20).expect("sparse 600 MiB");
    let sbom = s(&root().join("examples/water-treatment/sbom/plc-chem-dosing.cdx.json"));
    let cases: [(Vec<String>, &str); 6] = [
        (vec!["scan".into(), "sbom".into(), s(&fifo)], "not a regular file"),
        (
            vec!["scan".into(), "sbom".into(), "/dev/zero".into()],
            "not a regular file",
        ),
        (vec!["scan".into(), "sbom".into(), s(&big)], "larger than 512 MiB"),
        (
            vec![
                "scan".into(),
                "sbom".into(),
                sbom.clone(),
                "--vex".into(),
                s(&fifo),
            ],
            "not a regular file",
        ),
        (
            vec![
                "scan".into(),
                "sbom".into(),
                sbom.clone(),
                "--vendor-aliases".into(),
                "/dev/zero".into(),
            ],
            "not a regular file",
        ),
        (
            vec!["catalog".into(), "import-text".into(), "/dev/zero".into()],
            "not a regular file",
        ),
    ];
    for (args, want) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(tmp.path(), &args);
        assert_code!(r, 2);
        assert!(r.stderr.contains(want), "{args:?}: {}", r.stderr);
    }
    // --out naming the input would overwrite it.
    let copy = tmp.path().join("plc.cdx.json");
    std::fs::copy(&sbom, &copy).expect("copy");
    let r = run(
        tmp.path(),
        &["scan", "sbom", &s(&copy), "--format", "json", "--out", &s(&copy)],
    );
    assert_code!(r, 2);
    assert_eq!(
        std::fs::read(&copy).expect("read"),
        std::fs::read(&sbom).expect("read"),
        "input unchanged"
    );
}

#[test]
fn a_millisecond_or_negative_source_date_epoch_is_exit_2() {
    let tmp = tempfile::tempdir().expect("tmp");
    let ex = s(&root().join("examples/water-treatment"));
    for bad in ["1795824000000", "-5"] {
        let out = Command::new(env!("CARGO_BIN_EXE_levee"))
            .args(["assess", &ex, "--fail-on", "review"])
            .env("SOURCE_DATE_EPOCH", bad)
            .env("HOME", tmp.path())
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{bad}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH"));
    }
}

#[test]
fn openvex_not_affected_without_a_reason_does_not_silence_a_finding() {
    let tmp = tempfile::tempdir().expect("tmp");
    let vex = tmp.path().join("lazy.openvex.json");
    std::fs::write(
        &vex,
        r#"{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "urn:x", "author": "a",
            "timestamp": "2026-01-01T00:00:00Z", "version": 1,
            "statements": [{"vulnerability": {"name": "CVE-2024-46886"},
              "products": [{"@id": "pkg:generic/x"}], "status": "not_affected"}]}"#,
    )
    .expect("write");
    let sbom = s(&root().join("examples/water-treatment/sbom/plc-chem-dosing.cdx.json"));
    let r = run(tmp.path(), &["scan", "sbom", &sbom, "--vex", &s(&vex)]);
    assert_code!(r, 2);
    assert!(
        r.stderr.contains("/statements/0/status") && r.stderr.contains("justification"),
        "{}",
        r.stderr
    );
}
