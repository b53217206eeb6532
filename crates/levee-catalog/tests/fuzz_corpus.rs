//! Replays the fuzz corpora `overlay`, `catalog_files` and `core_text` through the fuzz targets'
//! entry points, so a crash found once stays fixed.

#[test]
fn overlay_corpus() {
    levee_testutil::replay_corpus("overlay", levee_catalog::fuzzing::overlay);
}

#[test]
fn catalog_files_corpus() {
    levee_testutil::replay_corpus("catalog_files", levee_catalog::fuzzing::catalog_files);
}

#[test]
fn core_text_corpus() {
    levee_testutil::replay_corpus("core_text", levee_catalog::fuzzing::core_text);
}
