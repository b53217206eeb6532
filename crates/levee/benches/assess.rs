//! Validate-and-assess timing on a generated large project: `cargo bench -p levee --bench assess`.
//!
//! The project has 500 zones, 20,000 assets, 1,000 conduits, 500 threat scenarios and a response
//! file per zone (about 27,000 responses), written as real TOML files into a temporary directory,
//! then loaded, validated and assessed exactly as `levee assess` does. The target is under 1 s.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use levee_catalog::{Catalog, Filter};
use levee_core::{Part, SecurityLevel};

const ZONES: usize = 500;
const ASSETS: usize = 20_000;
const CONDUITS: usize = 1_000;

/// Writes the generated project into `dir`.
fn generate(dir: &Path, catalog: &Catalog) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("responses"))?;
    std::fs::write(
        dir.join("levee.toml"),
        "[project]\nname = \"Generated plant\"\nkind = \"asset-owner\"\n\n[review]\ninterval_months = 12\nlast_review = \"2026-01-15\"\n",
    )?;
    let mut zones = String::new();
    for z in 0..ZONES {
        let level = 1 + (z % 4);
        let _ = write!(
            zones,
            "[[zone]]\nid = \"z{z}\"\nname = \"Zone {z}\"\npurdue_level = {}\ncriticality = \"{}\"\nuntrusted = {}\n\n",
            level,
            ["low", "medium", "high", "very-high"][z % 4],
            z % 50 == 0
        );
    }
    std::fs::write(dir.join("zones.toml"), zones)?;
    let mut conduits = String::new();
    for c in 0..CONDUITS {
        let a = c % ZONES;
        let b = (c * 7 + 1) % ZONES;
        let b = if a == b { (b + 1) % ZONES } else { b };
        let _ = write!(
            conduits,
            "[[conduit]]\nid = \"c{c}\"\nname = \"Conduit {c}\"\nzones = [\"z{a}\", \"z{b}\"]\nprotocols = [{{ name = \"modbus-tcp\", port = 502 }}]\n\n"
        );
    }
    std::fs::write(dir.join("conduits.toml"), conduits)?;
    let mut assets = String::new();
    for i in 0..ASSETS {
        let _ = write!(
            assets,
            "[[asset]]\nid = \"a{i}\"\nname = \"Asset {i}\"\nzone = \"z{}\"\ntype = \"plc\"\ncomponent_type = \"embedded-device\"\nvendor = \"Vendor {}\"\nfirmware = \"V{}.{}\"\nip = [\"10.{}.{}.{}\"]\n\n",
            i % ZONES,
            i % 13,
            i % 5,
            i % 10,
            (i / 65536) % 256,
            (i / 256) % 256,
            i % 256
        );
    }
    std::fs::write(dir.join("assets.toml"), assets)?;
    let mut risk = String::new();
    for s in 0..ZONES {
        let _ = write!(
            risk,
            "[[scenario]]\nid = \"TS-{s}\"\ntitle = \"Scenario {s}\"\nthreat_source = \"{}\"\nvector = \"network\"\nzones = [\"z{s}\"]\nassets = [\"a{s}\"]\nvulnerability = \"weak authentication\"\nlikelihood = {}\nconsequences = {{ production = {}, safety = {} }}\ncountermeasures = [\"CM-{}\"]\n\n",
            ["insider", "criminal", "hacktivist", "nation-state"][s % 4],
            1 + s % 5,
            1 + (s * 3) % 5,
            (s * 2) % 6,
            s % 20
        );
    }
    for c in 0..20 {
        let _ = write!(
            risk,
            "[[countermeasure]]\nid = \"CM-{c}\"\ntitle = \"Countermeasure {c}\"\nstatus = \"{}\"\nlikelihood_reduction = 1\n\n",
            if c % 3 == 0 { "planned" } else { "implemented" }
        );
    }
    std::fs::write(dir.join("risk.toml"), risk)?;
    let sl2 = catalog
        .list(&Filter {
            part: Some(Part::P3_3),
            sl: Some(SecurityLevel::SL2),
            ..Filter::default()
        })
        .expect("valid filter");
    for z in 0..ZONES {
        let mut r = String::new();
        for (i, row) in sl2.iter().enumerate() {
            if (i + z) % 7 == 0 {
                continue;
            }
            let _ = write!(
                r,
                "[[response]]\nrequirement = \"{}\"\nzone = \"z{z}\"\nstatus = \"implemented\"\n\n",
                row.id
            );
        }
        std::fs::write(dir.join(format!("responses/z{z}.toml")), r)?;
    }
    Ok(())
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let catalog = Catalog::bundled().expect("valid catalog");
    let dir = tempfile::tempdir().expect("tempdir");
    generate(dir.path(), &catalog).expect("generate project");
    let mut samples: Vec<Duration> = Vec::new();
    let mut responses = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let (project, diagnostics) = levee_model::load_dir(dir.path(), &catalog);
        let project = project.unwrap_or_else(|| {
            panic!(
                "generated project is invalid: {:?}",
                &diagnostics[..3.min(diagnostics.len())]
            )
        });
        let assessment = levee_assess::assess(&project, &catalog, &[], &levee_assess::Options::default());
        samples.push(t.elapsed());
        responses = project.responses.len();
        black_box(assessment);
    }
    samples.sort();
    println!(
        "validate + assess: {ZONES} zones, {ASSETS} assets, {CONDUITS} conduits, {responses} responses: median {:.0} ms, best {:.0} ms (5 runs)",
        samples[2].as_secs_f64() * 1e3,
        samples[0].as_secs_f64() * 1e3
    );
}
