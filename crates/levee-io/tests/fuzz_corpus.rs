//! Replays the `stored_path` fuzz corpus through the fuzz target's entry point.

#[test]
fn stored_path_corpus_replays() {
    levee_testutil::replay_corpus("stored_path", levee_io::path::fuzz_relative);
}
