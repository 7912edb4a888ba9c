//! Command-line arguments (clap derive). Validation sits next to the flags.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "weft",
    version,
    about = "A deterministic concurrency model checker for small Rust-flavoured programs",
    long_about = "weft explores every interleaving of the threads in a `.weft` model and reports \
assertion failures, deadlocks, data races and non-termination, each with a trace that replays \
the failing interleaving.",
    after_help = "Examples:\n  weft check models/basics/lost_update.weft\n  weft check models/\n  weft parse models/locks/*.weft"
)]
pub struct Cli {
    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and lower models; print each model's summary, or the errors.
    #[command(after_help = "Example:\n  weft parse models/basics/lost_update.weft\n\n\
Exit status: 0 when every model parses, 2 on any error.")]
    Parse {
        /// Model files, or folders searched recursively for `*.weft`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

