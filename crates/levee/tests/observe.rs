//! `levee observe`: declared vs observed on the Plant1 slices, the JSON against its schema, bad
//! input and exit codes.

use std::path::{Path, PathBuf};

use crate::macros::levee_in;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn plant1() -> Option<Vec<String>> {
    let data = levee_testutil::shared_data("ics-pcaps")?;
    Some(
        [
            "modbus/iti_plant1_modbustcp.pcap",
            "enip/iti_plant1_ethernetip_cip.pcap",
            "s7comm/ct_plant1_s7comm.pcap",
        ]
        .iter()
        .map(|f| data.join("ics-pcaps").join(f).display().to_string())
        .collect(),
    )
}

/// The example project leaves out one conduit (control to packaging), allows only Modbus/TCP on
/// the other, and does not declare 141.81.0.237: exactly these violations follow.
#[test]
fn plant1_declared_vs_observed_gives_exactly_the_expected_violations() {
    let Some(captures) = plant1() else { return };
    let project = root().join("examples/plant1-observed").display().to_string();
    let tmp = tempfile::tempdir().expect("tmp");
    let mut args = vec![
        "observe",
        "--project",
        project.as_str(),
        "--format",
        "json",
        "--quiet",
    ];
    args.extend(captures.iter().map(String::as_str));
    let r = levee_in(tmp.path(), &args);
    assert_code!(r, 0);
    let v = r.json();
    crate::schemas::assert_valid("observe", &v);
    assert_eq!(v["format"], "levee-observe/1");
    let mut got: Vec<(String, String, String, String)> = v["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|x| {
            let s = |k: &str| x[k].as_str().unwrap_or("-").to_owned();
            (s("kind"), s("src"), s("dst"), s("protocol"))
        })
        .collect();
    got.sort();
    let m = "141.81.0.10";
    let mut want: Vec<(String, String, String, String)> = Vec::new();
    want.push((
        "unknown-asset".into(),
        "141.81.0.237".into(),
        "-".into(),
        "-".into(),
    ));
    for h in [23, 43, 63, 83] {
        want.push((
            "no-conduit".into(),
            m.into(),
            format!("141.81.0.{h}"),
            "enip".into(),
        ));
    }
    for h in [14, 31, 51, 71, 91, 111, 130, 146, 151, 166, 236, 237] {
        want.push((
            "protocol-not-allowed".into(),
            m.into(),
            format!("141.81.0.{h}"),
            "s7comm".into(),
        ));
    }
    want.sort();
    assert_eq!(got, want);
    // Every violation names its packets and the zones.
    for x in v["violations"].as_array().expect("violations") {
        assert!(!x["packets"].as_array().expect("packets").is_empty(), "{x}");
        assert!(x["src_zone"].is_string(), "{x}");
    }
    // The master is placed by its asset, the undeclared controller by the zone network.
    let asset = |ip: &str| {
        v["assets"]
            .as_array()
            .expect("assets")
            .iter()
            .find(|a| a["ip"] == ip)
            .cloned()
            .expect(ip)
    };
    assert_eq!(asset(m)["asset"], "scada-master");
    assert_eq!(asset("141.81.0.237")["zone"], "line");
    assert!(asset("141.81.0.237")["asset"].is_null());
    // --fail-on violations turns them into exit code 1.
    let mut gate = args.clone();
    gate.extend(["--fail-on", "violations"]);
    assert_code!(levee_in(tmp.path(), &gate), 1);
}

#[test]
fn table_csv_and_draft_model() {
    let Some(captures) = plant1() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let draft = tmp.path().join("draft.toml");
    let draft_s = draft.display().to_string();
    let mut args = vec!["observe", "--quiet", "--emit-model", draft_s.as_str()];
    args.extend(captures.iter().map(String::as_str));
    let r = levee_in(tmp.path(), &args);
    assert_code!(r, 0);
    assert!(
        r.stdout.contains("141.81.0.10") && r.stdout.contains("hmi"),
        "{}",
        r.stdout
    );
    let text = std::fs::read_to_string(&draft).expect("draft written");
    assert!(
        text.contains("networks = [\"141.81.0.0/24\"]") && text.matches("[[asset]]").count() == 30,
        "{text}"
    );
    let mut csv = vec!["observe", "--quiet", "--format", "csv"];
    csv.push(captures[0].as_str());
    let r = levee_in(tmp.path(), &csv);
    assert_code!(r, 0);
    assert!(r.stdout.starts_with("record,capture,src,dst"), "{}", r.stdout);
    assert!(
        r.stdout
            .lines()
            .any(|l| l.starts_with("operation,") && l.contains("WRITE_MULTIPLE_COILS"))
    );
}

#[test]
fn bad_input_is_an_error_only_when_nothing_can_be_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    let junk = tmp.path().join("junk.pcap");
    std::fs::write(&junk, b"this is not a capture at all").expect("write");
    let short = tmp.path().join("short.pcap");
    std::fs::write(&short, [0xd4, 0xc3, 0xb2, 0xa1, 2, 0]).expect("write");
    let j = junk.display().to_string();
    let s = short.display().to_string();
    let r = levee_in(tmp.path(), &["observe", "--quiet", &j, &s]);
    assert_code!(r, 2);
    assert!(
        r.stderr.contains("not a pcap or pcapng capture") && r.stderr.contains("truncated"),
        "{}",
        r.stderr
    );
    let Some(captures) = plant1() else { return };
    // One good capture among bad ones: a result, with the bad ones named.
    let r = levee_in(
        tmp.path(),
        &["observe", "--quiet", "--format", "json", &j, &captures[0]],
    );
    assert_code!(r, 0);
    let v = r.json();
    assert!(
        v["captures"][0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("not a pcap"))
    );
    assert_eq!(v["captures"][1]["packets"], 15387);
    // A capture cut in the middle of a packet: a partial result with counts.
    let whole = std::fs::read(&captures[0]).expect("read");
    let cut = tmp.path().join("cut.pcap");
    std::fs::write(&cut, &whole[..whole.len() / 2 + 3]).expect("write");
    let c = cut.display().to_string();
    let r = levee_in(tmp.path(), &["observe", "--quiet", "--format", "json", &c]);
    assert_code!(r, 0);
    let v = r.json();
    let cap = &v["captures"][0];
    assert!(
        cap["error"].as_str().is_some_and(|e| e.contains("ends inside")),
        "{cap}"
    );
    assert!(
        cap["packets"].as_u64().is_some_and(|n| n > 7000 && n < 15387),
        "{cap}"
    );
}

/// `[evidence] captures` in levee.toml: `levee assess` takes the violations in as findings with
/// the requirement each bears on.
#[test]
fn assess_includes_capture_findings_against_requirements() {
    let Some(captures) = plant1() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("plant1");
    std::fs::create_dir_all(dir.join("captures")).expect("mkdir");
    let example = root().join("examples/plant1-observed");
    for f in ["levee.toml", "zones.toml", "conduits.toml", "assets.toml"] {
        std::fs::copy(example.join(f), dir.join(f)).expect("copy");
    }
    let mut names = Vec::new();
    for c in &captures {
        let name = Path::new(c)
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        std::fs::copy(c, dir.join("captures").join(&name)).expect("copy");
        names.push(format!("\"captures/{name}\""));
    }
    let mut toml = std::fs::read_to_string(dir.join("levee.toml")).expect("read");
    toml.push_str(&format!("\n[evidence]\ncaptures = [{}]\n", names.join(", ")));
    std::fs::write(dir.join("levee.toml"), toml).expect("write");
    let out = tmp.path().join("report");
    let (d, o) = (dir.display().to_string(), out.display().to_string());
    let r = levee_in(tmp.path(), &["assess", &d, "--out", &o]);
    assert_code!(r, 0);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report"))
            .expect("json");
    crate::schemas::assert_valid("report", &report);
    let items = report["findings"]["items"].as_array().expect("items");
    let net: Vec<&serde_json::Value> = items.iter().filter(|f| f["source"] == "network").collect();
    assert_eq!(net.len(), 17);
    let count = |req: &str, kind: &str| {
        net.iter()
            .filter(|f| f["requirement"] == req && f["subject_kind"] == kind)
            .count()
    };
    assert_eq!(count("SR 5.1", "zone"), 4);
    assert_eq!(count("SR 5.2", "conduit"), 12);
    assert_eq!(count("SR 7.8", "zone"), 1);
    // A listed capture that is missing is a project error, with its name.
    std::fs::remove_file(
        dir.join("captures")
            .join(Path::new(&captures[0]).file_name().expect("name")),
    )
    .expect("rm");
    let r = levee_in(tmp.path(), &["validate", &d]);
    assert_code!(r, 2);
    assert!(
        r.stdout.contains("capture file") || r.stderr.contains("capture file"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}
