//! The fuzz corpora replayed: every input any fuzzer run kept must still not panic.

#[test]
fn capture_corpus() {
    levee_testutil::replay_corpus("capture", levee_net::fuzzing::capture);
}

#[test]
fn decoder_corpus() {
    levee_testutil::replay_corpus("net_decoders", levee_net::fuzzing::decoders);
}
