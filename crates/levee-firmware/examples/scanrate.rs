//! Signature-scan throughput on uncompressed data: a developer's benchmark.
//!
//! `cargo run --release -p levee-firmware --example scanrate -- IMAGE [MIB]`
//!
//! Unpacks IMAGE, concatenates the ELF files it holds until MIB mebibytes (default 256) behind a
//! 16-byte pad (so the whole is no ELF and every byte is carved), then times, median of 3, the
//! carving pass (`unpack`: the magic automaton plus every candidate it checks) and the detection
//! pass (`detect`: the marker automaton and what it confirms) over it, and the whole analysis of
//! IMAGE itself.

use std::time::Instant;

use levee_firmware::{Kind, Limits, Node, detect, unpack};

fn elves(n: &Node, out: &mut Vec<Vec<u8>>) {
    if matches!(n.kind, Kind::File) && n.data.starts_with(b"\x7fELF") {
        out.push(n.data.clone());
    }
    for l in &n.layers {
        for f in &l.files {
            elves(f, out);
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: scanrate IMAGE [MIB]");
        std::process::exit(2);
    };
    let mib: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(256);
    let image = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let whole: Vec<f64> = (0..3)
        .map(|_| {
            let t = Instant::now();
            let a = levee_firmware::analyze(&path, &image, Limits::default());
            std::hint::black_box(a.components.len());
            t.elapsed().as_secs_f64()
        })
        .collect();
    let tree = unpack(&path, &image, Limits::default());
    let mut parts = Vec::new();
    elves(&tree.root, &mut parts);
    if parts.is_empty() {
        eprintln!("{path}: no ELF files inside");
        std::process::exit(2);
    }
    let size = mib << 20;
    let mut raw = vec![0xffu8; 16];
    'fill: loop {
        for p in &parts {
            raw.extend_from_slice(p);
            if raw.len() >= size {
                break 'fill;
            }
        }
    }
    raw.truncate(size);
    let limits = Limits {
        max_total: 4 << 30,
        max_file: 2 << 30,
        ..Limits::default()
    };
    let mut carve = Vec::new();
    let mut det = Vec::new();
    let mut layers = 0;
    let mut comps = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let tree = unpack("raw.bin", &raw, limits);
        carve.push(t.elapsed().as_secs_f64());
        layers = tree.root.layers.len();
        let t = Instant::now();
        comps = detect::detect(&tree).len();
        det.push(t.elapsed().as_secs_f64());
    }
    let (c, d) = (median(carve), median(det));
    let gb = raw.len() as f64 / 1e9;
    println!("{path}: whole analysis {:.3} s (median of 3)", median(whole));
    println!(
        "{} MiB of ELF bytes from {} files: carving {:.3} s = {:.2} GB/s ({layers} layers), detection {:.3} s = {:.2} GB/s ({comps} components), together {:.2} GB/s",
        mib,
        parts.len(),
        c,
        gb / c,
        d,
        gb / d,
        gb / (c + d)
    );
}
