//! The `weft` command line: argument parsing, rendering, progress and exit codes. All decisions live
//! in the `weft` library; this crate reads files, calls it, and prints.

mod args;
mod commands;
mod diagnostics;
mod exit;
mod inputs;
mod interrupt;
mod memory;
mod model;
mod progress;
mod render;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    // anstream strips colours per stream when that stream is not a terminal (or NO_COLOR is set),
    // unless the user insists either way.
    match cli.color {
        args::ColorChoice::Always => anstream::ColorChoice::Always.write_global(),
        args::ColorChoice::Never => anstream::ColorChoice::Never.write_global(),
        args::ColorChoice::Auto => {}
    }
    let code = commands::run(cli);
    ExitCode::from(code as u8)
}
