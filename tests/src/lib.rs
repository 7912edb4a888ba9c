//! Test support for the integration tests: a generator of random `.weft` models ([`generate`]) and a
//! cache-free reference explorer to check the real search against ([`oracle`]).

pub mod generate;
pub mod generate_sync;
pub mod oracle;
