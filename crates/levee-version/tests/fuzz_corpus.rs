//! Replays the `vers` fuzz corpus through the fuzz target's entry point.

#[test]
fn vers_corpus() {
    levee_testutil::replay_corpus("vers", levee_version::fuzzing::vers);
}
