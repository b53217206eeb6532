//! An asset with `firmware = { image = "…" }`: `assess` unpacks the image (read inside the
//! project only) and scans its components like an SBOM.

use std::path::PathBuf;

use levee_engine::{AssessError, AssessRequest, DataRequest, DataSupply, assess_project};

use crate::support::example_copy;

const ASSET: &str = "\n[[asset]]\nid = \"edge-gateway\"\nname = \"Edge gateway\"\nzone = \"control\"\ntype = \"gateway\"\nfirmware = { image = \"firmware/gw.img\", version = \"0.1.0\" }\n";

fn request(dir: PathBuf) -> AssessRequest {
    AssessRequest {
        dir,
        ..AssessRequest::default()
    }
}

fn data() -> DataRequest {
    DataRequest {
        data_dir: Some(PathBuf::from("/nonexistent-levee-data-dir")),
        ..DataRequest::default()
    }
}

fn catalog() -> levee_catalog::Catalog {
    levee_catalog::Catalog::bundled().expect("catalog")
}

#[test]
fn a_firmware_image_is_scanned_like_an_sbom() {
    let (_tmp, dir) = example_copy();
    let assets = dir.join("assets.toml");
    let mut text = std::fs::read_to_string(&assets).expect("assets");
    text.push_str(ASSET);
    std::fs::write(&assets, text).expect("write");
    std::fs::create_dir_all(dir.join("firmware")).expect("mkdir");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../levee-firmware/tests/data/sq-xz.sqfs");
    std::fs::copy(&fixture, dir.join("firmware/gw.img")).expect("copy image");
    let done = assess_project(&request(dir.clone()), &catalog(), DataSupply::Open(&data()))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let scan = done
        .scans
        .iter()
        .find(|s| s.asset.as_str() == "edge-gateway")
        .expect("the gateway's image is scanned");
    assert_eq!(scan.sbom, "firmware/gw.img");
    let names: Vec<&str> = scan
        .result
        .components
        .iter()
        .map(|c| c.component.bom_ref.as_str())
        .collect();
    for want in ["dropbear", "lighttpd", "openssl"] {
        assert!(names.iter().any(|n| n.contains(want)), "{names:?}");
    }
    let asset = done
        .project
        .assets
        .iter()
        .find(|a| a.id.as_str() == "edge-gateway")
        .expect("asset");
    assert_eq!(asset.firmware.as_deref(), Some("0.1.0"));
}

#[test]
fn a_firmware_image_outside_the_project_is_refused() {
    let (_tmp, dir) = example_copy();
    let assets = dir.join("assets.toml");
    let mut text = std::fs::read_to_string(&assets).expect("assets");
    text.push_str(&ASSET.replace("firmware/gw.img", "../outside.img"));
    std::fs::write(&assets, text).expect("write");
    let err = assess_project(&request(dir), &catalog(), DataSupply::Open(&data()));
    assert!(matches!(err, Err(AssessError::Invalid { .. })), "{err:?}");
}
