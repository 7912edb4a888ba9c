//! The `weft` command line: argument parsing, rendering and exit codes. All decisions live in the
//! `weft` library; this crate only reads files, calls it, and prints.

mod args;
mod commands;
mod diagnostics;
mod exit;
mod inputs;
mod render;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let code = commands::run(cli);
    ExitCode::from(code as u8)
}
