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
    #[command(
        after_help = "Example:\n  weft parse models/basics/lost_update.weft\n\n\
Exit status: 0 when every model parses, 2 on any error."
    )]
    Parse {
        /// Model files, or folders searched recursively for `*.weft`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Explore every interleaving of the models and report violations.
    #[command(
        after_help = "Examples:\n  weft check models/basics/lost_update.weft\n  weft check models/\n\n\
Models with an `//@ expect:` header are judged against it; others pass when they are safe.\n\n\
Exit status: 0 every check holds, 1 a violation was found (or a model missed its header),\n\
2 usage, parse or I/O error, 3 a limit stopped the search."
    )]
    Check(CheckArgs),
    /// Re-run a counterexample trace step by step, showing the values read and written.
    #[command(
        after_help = "Example:\n  weft replay models/basics/lost_update.weft weft-traces/lost_update-assertion-failure.json\n\n\
Exit status: 1 the recorded violation reproduces, 0 the trace records none, 2 the trace does not fit."
    )]
    Replay {
        /// The model the trace was found in.
        model: PathBuf,
        /// The trace file written by `weft check`.
        trace: PathBuf,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    /// Breadth-first: shortest counterexamples.
    Bfs,
    /// Depth-first: less memory on deep models.
    Dfs,
}

impl From<StrategyArg> for weft::Strategy {
    fn from(s: StrategyArg) -> weft::Strategy {
        match s {
            StrategyArg::Bfs => weft::Strategy::Bfs,
            StrategyArg::Dfs => weft::Strategy::Dfs,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Model files, or folders searched recursively for `*.weft`.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Search order.
    #[arg(long, value_enum, default_value_t = StrategyArg::Bfs)]
    pub strategy: StrategyArg,

    /// Stop after this many distinct states (the run is then incomplete).
    #[arg(long, value_name = "N")]
    pub max_states: Option<u64>,

    /// Do not explore executions longer than this many steps (the run is then incomplete).
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,

    /// Stop after this many seconds (the run is then incomplete).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub time_limit: Option<f64>,

    /// Where counterexample traces are written.
    #[arg(long, value_name = "DIR", default_value = "weft-traces")]
    pub trace_dir: PathBuf,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(s),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}
