//! Command-line arguments (clap derive). Validation sits next to the flags: a value clap accepts is
//! one the commands can use as it is.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "weft",
    version,
    about = "A deterministic concurrency model checker for small Rust-flavoured programs",
    long_about = "weft explores every interleaving of the threads in a `.weft` model and reports \
assertion failures, deadlocks, data races, livelocks and misuse of locks, each with a trace that \
replays the failing interleaving step by step.",
    after_help = "Examples:\n  weft check models/basics/lost_update_racy.weft   explain every bug in one model\n  \
weft check models/ --junit report.xml           run a folder of models in CI\n  \
weft replay MODEL weft-traces/TRACE.json          re-run a counterexample\n\n\
Run `weft help <command>` for a command's options and examples, and `weft docs` for the guide, the \
language reference and the rest of the documentation (built into this binary)."
)]
pub struct Cli {
    /// When to colour the output: `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Print less: for `check`, only the models that do not pass and the summary line.
    #[arg(short, long, global = true)]
    pub quiet: bool,

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
    /// Explore every interleaving of models and report each violation with a replayable trace.
    #[command(
        after_help = concat!(
            "One model: the verdict, the statistics, and each violation explained with its source \
line, the interleaving thread by thread, and the `weft replay` command for its trace.\n\
Several models (or a folder): one line per model, judged against its `//@ expect:` header, then \
`N passed, M failed`.\n\n\
A model with an `//@ expect:` header passes when the violations found are exactly the ones it lists \
(and its `//@ outcome` lines hold); a model without one passes when it is safe. `//@ max-states` and \
`//@ max-depth` set a model's limits; --max-states and --max-depth override them.\n\n\
Examples:\n  weft check models/basics/lost_update_racy.weft\n  weft check models/ --junit weft.xml\n  \
weft check big.weft --strategy dfs --max-states 1000000 --time-limit 60s\n  \
weft check models/locks/ --format json > report.json\n  \
weft check models/ --format sarif > weft.sarif     for GitHub code scanning\n\n",
            "Exit status:\n  0  every check holds\n  1  a violation was found, or a model does not \
meet its `//@ expect:` header\n  2  usage, parse or I/O error\n  3  incomplete: a limit or Ctrl-C \
stopped the search before an answer"
        )
    )]
    Check(CheckArgs),

    /// Re-run a counterexample trace step by step, with the values each step read and wrote.
    #[command(
        after_help = "The trace must have been written for this exact model text: a model \
that changed since is refused, not misreplayed.\n\n\
Examples:\n  weft replay models/basics/lost_update_racy.weft weft-traces/lost_update_racy-assertion-failure.json\n  \
weft replay model.weft trace.json --step     pause after each step (Enter: next, q: quit)\n\n\
Exit status:\n  0  the trace ran; it records no violation\n  1  the recorded violation reproduces\n  \
2  the trace does not fit the model (another model, a thread that cannot move, a choice out of range,\n     \
a violation that does not happen), malformed JSON, or an I/O error"
    )]
    Replay(ReplayArgs),

    /// Export the explored state graph as Graphviz DOT or JSON.
    #[command(
        after_help = "Violating states are red, and the steps of each reported \
counterexample bold. Graphviz draws a few thousand states at most; bound bigger models with \
--max-states or --max-depth.\n\n\
Examples:\n  weft graph models/basics/lost_update_racy.weft -o lost_update.dot && dot -Tsvg lost_update.dot > lost_update.svg\n  \
weft graph models/litmus/sb.weft --format json\n\n\
Exit status: 0 the graph is complete, 2 usage, parse or I/O error, 3 a limit cut the graph short.\n\
The graph describes, it does not judge: a graph with violations in it still exits 0."
    )]
    Graph(GraphArgs),

    /// List the reachable final outcomes (the observed values when every thread has finished).
    #[command(
        after_help = "Each row is one outcome, with the number of distinct final states \
that show it (not the number of interleavings that reach them). The model's `//@ outcome` lines are \
evaluated below the table. Values are those of `//@ observe:`, or of every static.\n\n\
Example:\n  weft outcomes models/litmus/sb.weft\n\n\
Exit status: 0 the search was complete, 2 usage, parse or I/O error, 3 a limit stopped the search \
(the table may miss outcomes)."
    )]
    Outcomes(OutcomesArgs),

    /// Parse and lower models; print each model's summary, or its errors.
    #[command(
        after_help = "Examples:\n  weft parse models/basics/lost_update_racy.weft\n  \
weft parse models/\n\nExit status: 0 every model compiles, 2 any error."
    )]
    Parse(ParseArgs),

    /// Print a shell completion script for weft.
    #[command(
        after_help = "Examples:\n  weft completions bash > ~/.local/share/bash-completion/completions/weft\n  \
weft completions zsh > ~/.zfunc/_weft      (with `fpath+=~/.zfunc` before `compinit`)\n  \
weft completions fish > ~/.config/fish/completions/weft.fish"
    )]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print weft's manual page (roff), generated from the same definitions as `--help`.
    #[command(after_help = "Example:\n  weft man > weft.1 && man ./weft.1")]
    Man,

    /// Print one of weft's documents (Markdown), built into the binary, so an installed weft
    /// carries its own documentation.
    #[command(
        after_help = "Examples:\n  weft docs            the list of documents\n  \
weft docs language   the .weft language reference"
    )]
    Docs {
        /// The document to print; without one, the list.
        #[arg(value_enum)]
        topic: Option<DocTopic>,
    },
}

/// The documents `weft docs` prints.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum DocTopic {
    /// A tour: the first model, reading a counterexample, CI.
    Guide,
    /// The `.weft` language reference.
    Language,
    /// The command line: every command, option, format and exit status.
    Cli,
    /// Rust snippets: what weft reads in a `.rs` file, and what it does not model yet.
    Rust,
    /// The memory models (rc11, ra, tso, sc) and how weft explores them.
    MemoryModels,
    /// The trace file format.
    TraceFormat,
}

/// The search options shared by the commands that explore a model.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Search")]
pub struct SearchArgs {
    /// Search order: `auto` (exhaustive breadth-first, warning when a limit is near), exhaustive `bfs`
    /// or `dfs`, preemption-bounded `icb`, or sampled `random` / `pct`.
    #[arg(long, value_enum, value_name = "STRATEGY", default_value_t = StrategyArg::Auto)]
    pub strategy: StrategyArg,

    /// With `--strategy pct`: the bug depth PCT targets (ordering constraints the bug needs).
    #[arg(long, value_name = "D", default_value_t = 3, value_parser = parse_depth)]
    pub pct_depth: u32,

    /// With `--strategy random` or `pct`: how many executions to sample.
    #[arg(long, value_name = "N", default_value_t = weft::Options::default().runs, value_parser = parse_count)]
    pub runs: u64,

    /// Explore only executions with at most K preemptions (with `icb`: the highest bound tried).
    #[arg(long, value_name = "K", value_parser = parse_preemptions)]
    pub max_preemptions: Option<u32>,

    /// How visited states are stored: `full` is exact, `fingerprint` keeps 128-bit hashes only.
    #[arg(long, value_enum, value_name = "MODE", default_value_t = StoreArg::Full)]
    pub store: StoreArg,

    /// Turn partial-order reduction off (it is on by default and changes only the state count).
    #[arg(long, visible_alias = "no-por")]
    pub no_reduction: bool,

    /// Stop after this many distinct states (the run is then incomplete).
    #[arg(long, value_name = "N", value_parser = parse_count)]
    pub max_states: Option<u64>,

    /// Do not explore executions longer than this many steps (the run is then incomplete).
    #[arg(long, value_name = "N", value_parser = parse_depth)]
    pub max_depth: Option<u32>,

    /// Stop after this long, e.g. `30s`, `2m`, `1.5` (seconds) (the run is then incomplete).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub time_limit: Option<Duration>,

    /// Stop before weft's allocated memory would pass this, e.g. `4GiB`, `512MiB` (the run is then
    /// incomplete, with everything found so far reported). Default: half of the machine's memory,
    /// or of its control group's limit when lower.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub memory_limit: Option<u64>,

    /// The memory model: `rc11` (Rust's, the default), `ra`, `tso` or `sc`, or `all` (`check` and `outcomes`:
    /// each model under every memory model); without the flag, the model's `//@ memory-model:`
    /// header, else `rc11`.
    #[arg(long, value_name = "MODEL", value_parser = parse_memory_model)]
    pub memory_model: Option<MemoryModelArg>,

    /// Check without spurious wake-ups: `CV.wait` returns only when notified (std allows it to
    /// return without a notification, which weft explores by default).
    #[arg(long)]
    pub no_spurious_wakeups: bool,

    /// Under a weak memory model, the most messages one location may keep that some thread can
    /// still read (default 64); a run that reaches it is incomplete and names the location.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..))]
    pub history_bound: Option<u32>,

    /// The most local instructions (those between visible operations) one step may run (default
    /// 10,000,000). Local code that comes back to where it was is reported as a livelock; local code
    /// that only runs longer is cut there and the run reported incomplete.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_local_steps: Option<u64>,

    /// Seed of the sampling strategies: the same seed gives the same executions, on every platform.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    /// Exhaustive breadth-first search with reduction; when the state, time or memory limit is nearly used
    /// up, a note says so and names the `icb` and `pct` flags to try.
    Auto,
    /// Breadth-first, exhaustive.
    Bfs,
    /// Depth-first, exhaustive.
    Dfs,
    /// Iterative context bounding: every execution with 0 preemptions, then 1, 2, ...
    Icb,
    /// Uniformly random executions (sampled: proves nothing when it finds nothing).
    Random,
    /// Probabilistic concurrency testing: sampled, with the odds of a miss stated.
    Pct,
}

impl StrategyArg {
    /// The library's strategy (`pct_depth` is used by `pct` only).
    pub fn strategy(self, pct_depth: u32) -> weft::Strategy {
        match self {
            StrategyArg::Auto | StrategyArg::Bfs => weft::Strategy::Bfs,
            StrategyArg::Dfs => weft::Strategy::Dfs,
            StrategyArg::Icb => weft::Strategy::Icb,
            StrategyArg::Random => weft::Strategy::Random,
            StrategyArg::Pct => weft::Strategy::Pct { depth: pct_depth },
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum StoreArg {
    /// Whole states: exact.
    Full,
    /// 128-bit fingerprints: less memory, a stated chance of a collision.
    Fingerprint,
}

impl From<StoreArg> for weft::StateStore {
    fn from(s: StoreArg) -> weft::StateStore {
        match s {
            StoreArg::Full => weft::StateStore::Full,
            StoreArg::Fingerprint => weft::StateStore::Fingerprint,
        }
    }
}

/// `human` for people, `json` for tools (see docs/cli.md for the schemas).
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// `weft check`'s formats: those of the other commands, and two for CI (docs/cli.md).
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For people: each violation explained (one model), or a line per model.
    Human,
    /// The `weft-check` JSON document.
    Json,
    /// A SARIF 2.1.0 log, for GitHub code scanning and SARIF viewers.
    Sarif,
    /// GitHub Actions annotations (`::error file=...::...`), then the human output.
    Github,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// The `weft-graph` JSON document.
    Json,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Model files, or folders searched recursively for `*.weft`.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub search: SearchArgs,

    /// Where counterexample traces are written, as `<model>-<kind>.json`.
    #[arg(
        long,
        value_name = "DIR",
        default_value = "weft-traces",
        help_heading = "Output"
    )]
    pub trace_dir: PathBuf,

    /// Also write a JUnit XML report (one test case per model) to FILE.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub junit: Option<PathBuf>,

    /// Output format: `human`; `json` for tools; `sarif` or `github` for CI (docs/cli.md).
    #[arg(long, value_enum, default_value_t = CheckFormat::Human, help_heading = "Output")]
    pub format: CheckFormat,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// The model the trace was found in.
    pub model: PathBuf,

    /// The trace file written by `weft check`.
    pub trace: PathBuf,

    /// Pause after each step: Enter shows the next, `q` quits (only on a terminal).
    #[arg(long)]
    pub step: bool,

    /// Output format: `human`, or `json` for tools (schemas in docs/cli.md).
    #[arg(long, value_enum, default_value_t = Format::Human, help_heading = "Output")]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    /// The model.
    pub model: PathBuf,

    #[command(flatten)]
    pub search: SearchArgs,

    /// Output format: Graphviz `dot`, or `json` (the `weft-graph` document).
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot, help_heading = "Output")]
    pub format: GraphFormat,

    /// Write the graph to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct OutcomesArgs {
    /// The model.
    pub model: PathBuf,

    #[command(flatten)]
    pub search: SearchArgs,

    /// Output format: `human`, or `json` for tools (schemas in docs/cli.md).
    #[arg(long, value_enum, default_value_t = Format::Human, help_heading = "Output")]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// Model files, or folders searched recursively for `*.weft`.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format: `human`, or `json` for tools (schemas in docs/cli.md).
    #[arg(long, value_enum, default_value_t = Format::Human, help_heading = "Output")]
    pub format: Format,
}

/// A count such as `1000000` or `1_000_000`, at least 1.
fn parse_count(text: &str) -> Result<u64, String> {
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    match digits.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{text}` is not a positive whole number")),
    }
}

/// A preemption bound: 0 is allowed (only executions without preemptions).
fn parse_preemptions(text: &str) -> Result<u32, String> {
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    digits
        .parse::<u32>()
        .map_err(|_| format!("`{text}` is not a whole number of preemptions"))
}

fn parse_depth(text: &str) -> Result<u32, String> {
    let n = parse_count(text)?;
    u32::try_from(n).map_err(|_| format!("`{text}` is too large (at most {})", u32::MAX))
}

/// `90`, `1.5`, `250ms`, `30s`, `2m`, `1h`: a positive duration (plain numbers are seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (t, 1.0)
    };
    match number.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v * scale < 1e9 => {
            Ok(Duration::from_secs_f64(v * scale))
        }
        _ => Err(format!(
            "`{text}` is not a positive duration (write e.g. `90`, `30s`, `2m`, `250ms`)"
        )),
    }
}

/// A size in bytes: a number with an optional unit, `B`, `KiB`, `MiB`, `GiB` or `TiB` (`K`, `M`,
/// `G`, `T` and `KB`, `MB`, `GB`, `TB` mean the same binary multiples).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => Some(0),
        "k" | "kb" | "kib" => Some(10),
        "m" | "mb" | "mib" => Some(20),
        "g" | "gb" | "gib" => Some(30),
        "t" | "tb" | "tib" => Some(40),
        _ => None,
    };
    let value = number.replace('_', "").parse::<f64>().ok();
    match (value, shift) {
        (Some(v), Some(shift))
            if v.is_finite() && v > 0.0 && v * ((1u64 << shift) as f64) < 1.8e19 =>
        {
            Ok((v * (1u64 << shift) as f64).round().max(1.0) as u64)
        }
        _ => Err(format!(
            "`{text}` is not a positive size (write e.g. `4GiB`, `512MiB`, `100000000`)"
        )),
    }
}

/// `--memory-model`: one model, or every one.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MemoryModelArg {
    One(weft::MemoryModel),
    All,
}

fn parse_memory_model(text: &str) -> Result<MemoryModelArg, String> {
    if text == "all" {
        return Ok(MemoryModelArg::All);
    }
    weft::MemoryModel::parse(text)
        .map(MemoryModelArg::One)
        .ok_or_else(|| {
            format!(
                "`{text}` is not a memory model (the memory models are sc, tso, ra and rc11, or \
                 all of them: all)"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        for bad in ["", "0", "-1", "abc", "1x", "nan", "inf", "1e300"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("1_000_000"), Ok(1_000_000));
        assert!(parse_count("0").is_err());
        assert!(parse_count("-3").is_err());
        assert!(parse_depth("5000000000").is_err());
    }

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size("512 MiB"), Ok(512 << 20));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size("2_000KB"), Ok(2000 << 10));
        for bad in ["", "0", "-1GiB", "12XB", "GiB", "1e30TiB"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn memory_models_by_name() {
        for m in weft::MemoryModel::ALL {
            assert_eq!(parse_memory_model(m.as_str()), Ok(MemoryModelArg::One(m)));
        }
        assert_eq!(parse_memory_model("all"), Ok(MemoryModelArg::All));
        let e = parse_memory_model("arm").unwrap_err();
        assert!(e.starts_with("`arm` is not a memory model"), "{e}");
    }
}
