//! Batched, parallel matching and the piecewise JSON writer give exactly what a one-shot scan
//! gives: same findings in the same order, the same bytes.

use levee_report::scan::{self as report, JsonChunk, JsonWriter};
use levee_sbom::Component;
use levee_vuln::vendor::VendorAliases;
use levee_vuln::{Index, MatchOptions, Matcher, match_sbom};

use crate::fixtures::{sbom, snapshot};

/// The three-component SBOM of the VEX tests, repeated with varying versions up to `n` components.
fn big_sbom(n: usize) -> levee_sbom::Sbom {
    let mut s = sbom("V3.0");
    let base = s.components.clone();
    s.components = (0..n)
        .map(|i| {
            let mut c: Component = base[i % base.len()].clone();
            c.bom_ref = format!("{}-{i}", c.bom_ref);
            if c.purl.is_none() {
                c.version = Some(format!("V{}.{}", 2 + i % 3, i % 7));
                c.update_scan_status();
            }
            c
        })
        .collect();
    s
}

/// The one-shot scan of [`big_sbom`].
fn scan_of(n: usize) -> levee_vuln::ScanResult {
    let snap = snapshot();
    let aliases = VendorAliases::bundled().expect("aliases");
    let index = Index::build(&snap, &aliases);
    match_sbom(&big_sbom(n), &index, &MatchOptions::default())
}

#[test]
fn batches_on_any_number_of_threads_equal_the_one_shot_scan() {
    let snap = snapshot();
    let aliases = VendorAliases::bundled().expect("aliases");
    let index = Index::build(&snap, &aliases);
    let sbom = big_sbom(1_000);
    let whole = match_sbom(&sbom, &index, &MatchOptions::default());
    assert!(whole.findings.len() > 600, "{}", whole.findings.len());
    let matcher = Matcher::new(&sbom, &index, &MatchOptions::default());
    for threads in [1, 2, 3, 8] {
        let mut seen = Vec::new();
        let mut next = 0;
        matcher
            .run_batches(
                threads,
                |b| b,
                |b| {
                    assert_eq!(b.components.start, next, "batches arrive in order");
                    next = b.components.end;
                    seen.extend(b.findings);
                    Ok::<(), ()>(())
                },
            )
            .expect("no error");
        assert_eq!(next, sbom.components.len());
        assert_eq!(seen, whole.findings, "{threads} threads");
    }
}

#[test]
fn a_writer_error_stops_the_workers_and_is_returned() {
    let snap = snapshot();
    let aliases = VendorAliases::bundled().expect("aliases");
    let index = Index::build(&snap, &aliases);
    let sbom = big_sbom(5_000);
    let matcher = Matcher::new(&sbom, &index, &MatchOptions::default());
    let mut calls = 0;
    let r = matcher.run_batches(
        2,
        |b| b.components.len(),
        |_| {
            calls += 1;
            if calls == 3 { Err("disk full") } else { Ok(()) }
        },
    );
    assert_eq!(r, Err("disk full"));
    assert_eq!(calls, 3, "nothing is consumed after the error");
}

#[test]
fn a_panic_in_a_worker_or_the_writer_propagates_instead_of_hanging() {
    let snap = snapshot();
    let aliases = VendorAliases::bundled().expect("aliases");
    let index = Index::build(&snap, &aliases);
    // Far more batches than the window, so the other worker would wait for the writer.
    let sbom = big_sbom(5_000);
    let matcher = Matcher::new(&sbom, &index, &MatchOptions::default());
    let worker = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        matcher.run_batches(
            2,
            |b| {
                assert!(b.components.start != 0, "worker fails on the first batch");
                b.components.len()
            },
            |_| Ok::<(), ()>(()),
        )
    }));
    assert!(worker.is_err(), "a worker panic propagates");
    let writer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        matcher.run_batches(
            2,
            |b| b.components.len(),
            |_| -> Result<(), ()> { panic!("writer fails") },
        )
    }));
    assert!(writer.is_err(), "a writer panic propagates");
}

#[test]
fn the_piecewise_json_is_a_sorted_key_pretty_document() {
    let result = scan_of(200);
    let text = report::to_json(&result, "plc \"quoted\"\nname.json");
    // serde_json's Value keeps keys sorted: re-serialising the parsed document must give the same
    // bytes if every piece was indented and separated right.
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let again = serde_json::to_string_pretty(&parsed).expect("serialise") + "\n";
    assert_eq!(text, again);
    assert_eq!(parsed["summary"]["findings"], result.findings.len());
    assert_eq!(
        parsed["findings"].as_array().map(Vec::len),
        Some(result.findings.len())
    );

    // Chunked in uneven pieces, the bytes are the same.
    let mut out = Vec::new();
    let mut w = JsonWriter::begin(
        &mut out,
        &result.components,
        &levee_report::wire::AdvisoryData::named(&result.snapshot),
    )
    .expect("begin");
    for piece in result.findings.chunks(7) {
        w.chunk(&JsonChunk::of(piece).expect("chunk")).expect("write");
        w.chunk(&JsonChunk::of(&[]).expect("empty chunk")).expect("write");
    }
    let summary = w
        .finish("plc \"quoted\"\nname.json", &result.snapshot)
        .expect("finish");
    assert_eq!(String::from_utf8(out).expect("utf-8"), text);
    assert_eq!(summary.findings, result.findings.len());

    // No findings and no components: still a sorted-key pretty document.
    let mut empty = result.clone();
    empty.findings.clear();
    empty.components.clear();
    let text = report::to_json(&empty, "empty.json");
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        text,
        serde_json::to_string_pretty(&parsed).expect("serialise") + "\n"
    );
    assert_eq!(parsed["findings"], serde_json::json!([]));
}

#[test]
fn the_piecewise_sarif_is_a_sorted_key_pretty_document() {
    let result = scan_of(120);
    let pointer = |i: usize| Some(levee_sbom::Location::pointer(format!("/components/{i}")));
    let text = report::to_sarif(&result, "bom.json", &pointer);
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        text,
        serde_json::to_string_pretty(&parsed).expect("serialise") + "\n"
    );
    let run = &parsed["runs"][0];
    let active = result.active().count();
    assert_eq!(run["results"].as_array().map(Vec::len), Some(active));
    let mut vulns: Vec<&str> = result.active().map(|f| f.vulnerability.as_str()).collect();
    vulns.sort_unstable();
    vulns.dedup();
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(rules, vulns, "one rule per vulnerability, sorted");

    // In uneven chunks, the same bytes.
    let mut out = Vec::new();
    let mut w = report::SarifWriter::begin(
        &mut out,
        &levee_report::wire::AdvisoryData::named(&result.snapshot),
    )
    .expect("begin");
    for piece in result.findings.chunks(5) {
        w.chunk(report::SarifChunk::of(piece, "bom.json", &pointer).expect("chunk"))
            .expect("write");
    }
    w.finish().expect("finish");
    assert_eq!(String::from_utf8(out).expect("utf-8"), text);

    // No findings: still valid and sorted.
    let mut empty = result.clone();
    empty.findings.clear();
    let text = report::to_sarif(&empty, "bom.json", &pointer);
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        text,
        serde_json::to_string_pretty(&parsed).expect("serialise") + "\n"
    );
}

#[test]
fn the_table_never_prints_control_characters_from_the_sbom() {
    let mut result = scan_of(3);
    assert!(!result.findings.is_empty());
    std::sync::Arc::make_mut(&mut result.findings[0].component).name = "PLC\u{1b}[31m 5\u{1f}x".into();
    let table = report::to_table(&result);
    assert!(!table.contains('\u{1b}') && !table.contains('\u{1f}'), "{table}");
    assert!(table.contains("PLC [31m 5 x"), "{table}");

    // Bidirectional overrides and zero-width characters are shown as spaces; wide characters
    // take two columns, so the next column still lines up.
    std::sync::Arc::make_mut(&mut result.findings[0].component).name =
        "rtl \u{202e}evil\u{202c} zw\u{200b}x".into();
    std::sync::Arc::make_mut(&mut result.findings[1].component).name = "漢字漢字".into();
    let table = report::to_table(&result);
    assert!(
        !table.contains('\u{202e}') && !table.contains('\u{200b}'),
        "{table}"
    );
    let state_col = |line: &str| {
        let at = ["STATE", "affected", "needs-review", "not-affected", "fixed"]
            .iter()
            .filter_map(|w| line.find(&format!("  {w}")))
            .min()
            .expect("state cell");
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    let lines: Vec<&str> = table.lines().take_while(|l| !l.is_empty()).collect();
    assert!(lines.len() > 2, "{table}");
    let header = state_col(lines[0]);
    for l in &lines[1..] {
        assert_eq!(state_col(l), header, "{table}");
    }
}
