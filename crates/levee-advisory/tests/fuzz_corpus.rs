//! Replays the fuzz corpora `csaf`, `osv`, `nvd`, `kev_epss` and `openpgp` through the fuzz
//! targets' entry points.

#[test]
fn csaf_corpus() {
    levee_testutil::replay_corpus("csaf", levee_advisory::fuzzing::csaf);
}

#[test]
fn osv_corpus() {
    levee_testutil::replay_corpus("osv", levee_advisory::fuzzing::osv);
}

#[test]
fn nvd_corpus() {
    levee_testutil::replay_corpus("nvd", levee_advisory::fuzzing::nvd);
}

#[test]
fn kev_epss_corpus() {
    levee_testutil::replay_corpus("kev_epss", levee_advisory::fuzzing::kev_epss);
}

#[test]
fn openpgp_corpus() {
    levee_testutil::replay_corpus("openpgp", levee_advisory::openpgp::fuzz);
}
