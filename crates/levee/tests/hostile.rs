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
    // Drain both pipes while waiting, so a long output cannot block the child on a full pipe.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
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
    let status = child.wait().expect("wait");
    let r = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout.join().expect("stdout reader")).into_owned(),
        stderr: String::from_utf8_lossy(&stderr.join().expect("stderr reader")).into_owned(),
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

/// Writes a project of `zones` zones, each with one asset; the first asset may name `zone0`.
fn many_zones(dir: &Path, zones: usize, zone0: &str) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(
        dir.join("levee.toml"),
        "[project]\nname = \"many\"\nkind = \"asset-owner\"\n",
    )
    .expect("write");
    let mut z = String::new();
    let mut a = String::new();
    for i in 0..zones {
        z.push_str(&format!(
            "[[zone]]\nid = \"z{i}\"\nname = \"Zone {i}\"\ncriticality = \"high\"\n\n"
        ));
        let zone = if i == 0 { zone0.to_owned() } else { format!("z{i}") };
        a.push_str(&format!(
            "[[asset]]\nid = \"a{i}\"\nname = \"Asset {i}\"\nzone = \"{zone}\"\ntype = \"plc\"\n\n"
        ));
    }
    std::fs::write(dir.join("zones.toml"), z).expect("write");
    std::fs::write(dir.join("assets.toml"), a).expect("write");
}

#[test]
fn projects_over_the_entry_limits_are_refused_once_with_the_limit_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("over");
    many_zones(&dir, 2_001, "z0");
    let r = run(tmp.path(), &["validate", &s(&dir), "--format", "json"]);
    assert_code!(r, 2);
    let diags = r.json();
    let list = diags.as_array().expect("a list of diagnostics");
    let limits: Vec<&serde_json::Value> = list.iter().filter(|d| d["code"] == "limit-exceeded").collect();
    assert_eq!(limits.len(), 1, "reported once: {list:?}");
    assert_eq!(limits[0]["file"], "zones.toml");
    assert!(
        limits[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("2000 zones")),
        "{}",
        limits[0]
    );
    assert!(
        limits[0]["line"].as_u64().is_some_and(|l| l > 1),
        "located at the zone over the limit"
    );
    // The asset in the refused zone is not reported again as naming an unknown zone.
    assert_eq!(list.len(), 1, "{list:?}");
}

#[test]
fn long_ids_are_refused_and_long_unknown_references_get_no_costly_suggestion() {
    let tmp = tempfile::tempdir().expect("tmp");
    // A 100,000-character unknown zone: reported at once, without a did-you-mean search.
    let dir = tmp.path().join("long-ref");
    many_zones(&dir, 50, &"z".repeat(100_000));
    let r = run(tmp.path(), &["validate", &s(&dir), "--format", "json"]);
    assert_code!(r, 2);
    let diags = r.json();
    let list = diags.as_array().expect("a list");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["code"], "unknown-zone");
    assert_eq!(list[0]["hint"], "declare it in zones.toml");
    // A declared id over 128 characters.
    let dir = tmp.path().join("long-id");
    many_zones(&dir, 3, "z0");
    let zones = std::fs::read_to_string(dir.join("zones.toml")).expect("read");
    std::fs::write(
        dir.join("zones.toml"),
        zones.replace("id = \"z2\"", &format!("id = \"{}\"", "q".repeat(200))),
    )
    .expect("write");
    let r = run(tmp.path(), &["validate", &s(&dir), "--format", "json"]);
    assert_code!(r, 2);
    let diags = r.json();
    let codes: Vec<&str> = diags
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"limit-exceeded"), "{codes:?}");
}
