//! Test support for the integration tests: a generator of random `.weft` models ([`generate`]) and a
//! cache-free reference explorer to check the real search against ([`oracle`]).

pub mod axiomatic;
pub mod compare;
pub mod generate;
pub mod generate_sync;
pub mod large;
pub mod liveness_reference;
pub mod oracle;

/// A property test's configuration: `default_cases` cases, unless `PROPTEST_CASES` says otherwise
/// (proptest's default configuration reads it).
pub fn cases(default_cases: u32) -> proptest::test_runner::Config {
    if std::env::var_os("PROPTEST_CASES").is_some() {
        proptest::test_runner::Config::default()
    } else {
        proptest::test_runner::Config::with_cases(default_cases)
    }
}
