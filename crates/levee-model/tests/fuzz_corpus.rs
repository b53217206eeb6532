//! Replays the `project_files` fuzz corpus through the fuzz target's entry point.

#[test]
fn project_files_corpus() {
    levee_testutil::replay_corpus("project_files", levee_model::fuzzing::project_files);
}
