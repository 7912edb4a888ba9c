//! The installed binary answers `--version` with its package version and `--help` with where its
//! documentation is. Also, this being the CLI package's own integration test is what makes
//! `cargo test --workspace` build the real `weft` binary before any test runs, so the CLI tests of
//! `weft-tests` (another package, which cargo builds no binaries for) find it up to date instead
//! of building it inside their first test.

use std::process::Command;

fn weft(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the weft binary runs");
    assert!(out.status.success(), "weft {args:?}: {:?}", out.status);
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn version_is_the_package_version() {
    assert_eq!(
        weft(&["--version"]).trim(),
        format!("weft {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_names_the_documentation() {
    let help = weft(&["--help"]);
    assert!(help.contains("weft docs"), "{help}");
}
