//! Replays the firmware fuzz corpora (`fuzz/corpus/firmware_*`) through the fuzz targets' entry
//! points.

use levee_firmware::fuzzing as f;

/// A corpus and the entry point it is replayed through.
type Target = (&'static str, fn(&[u8]));

#[test]
fn firmware_corpora() {
    let targets: [Target; 18] = [
        ("firmware_uimage", f::uimage),
        ("firmware_squashfs", f::squashfs),
        ("firmware_squashfs3", f::squashfs3),
        ("firmware_ubi", f::ubi),
        ("firmware_ubifs", f::ubifs),
        ("firmware_tar", f::tar),
        ("firmware_cpio", f::cpio),
        ("firmware_zip", f::zip),
        ("firmware_cramfs", f::cramfs),
        ("firmware_romfs", f::romfs),
        ("firmware_yaffs2", f::yaffs2),
        ("firmware_jffs2", f::jffs2),
        ("firmware_ext", f::ext),
        ("firmware_fit", f::fit),
        ("firmware_streams", f::streams),
        ("firmware_lzo", f::lzo),
        ("firmware_elf", f::elf),
        ("firmware_analyze", f::analyze),
    ];
    for (name, run) in targets {
        levee_testutil::replay_corpus(name, run);
    }
}
