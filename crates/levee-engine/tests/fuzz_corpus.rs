//! Replays the `project_report` fuzz corpus through the fuzz target's entry point.

#[test]
fn project_report_corpus() {
    levee_testutil::replay_corpus("project_report", levee_engine::fuzzing::project_report);
}
