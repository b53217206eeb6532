//! A scratch copy of the water-treatment example.

use std::path::{Path, PathBuf};

/// The example project directory.
pub fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/water-treatment")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// A copy of the example in a temporary directory, to change.
pub fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("water-treatment");
    copy_dir(&example(), &dir);
    (tmp, dir)
}

/// The PLC SBOM of the example, relative to the project.
pub const PLC_SBOM: &str = "sbom/plc-chem-dosing.cdx.json";
