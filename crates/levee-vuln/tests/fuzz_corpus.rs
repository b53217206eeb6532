//! Replays the `vex` fuzz corpus through the fuzz target's entry point.

#[test]
fn vex_corpus() {
    levee_testutil::replay_corpus("vex", levee_vuln::fuzzing::vex);
}
