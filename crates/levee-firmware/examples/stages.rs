//! Times the stages of an analysis (unpack, detect) on one image: a developer's tool.
//!
//! `cargo run --release -p levee-firmware --example stages -- IMAGE`

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: stages IMAGE");
        std::process::exit(2);
    };
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let t = Instant::now();
    let tree = levee_firmware::unpack(&path, &data, levee_firmware::Limits::default());
    let unpacked = t.elapsed();
    let t = Instant::now();
    let components = levee_firmware::detect::detect(&tree);
    let detected = t.elapsed();
    println!(
        "{path}: {} bytes in, {} bytes unpacked, {} components; unpack {:.3} s, detect {:.3} s",
        data.len(),
        tree.used.0,
        components.len(),
        unpacked.as_secs_f64(),
        detected.as_secs_f64()
    );
}
