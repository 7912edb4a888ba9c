//! One module per subcommand; each returns the process exit status.

mod check;
mod graph;
mod meta;
mod outcomes;
mod parse;
mod replay;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::args::{Cli, ColorChoice, Command, SearchArgs, StrategyArg};
use crate::diagnostics::Printer;
use crate::exit::Exit;
use crate::interrupt;
use crate::model::Feedback;

/// What every command needs to talk to the user.
pub struct Ui {
    pub printer: Printer,
    pub quiet: bool,
    /// Set by Ctrl-C (for the commands that search).
    pub cancel: Arc<AtomicBool>,
}

impl Ui {
    /// Print an error without a source location on standard error.
    pub fn error(&self, message: &str) {
        anstream::eprint!("{}", self.printer.render_plain(message));
    }

    /// Print a note (not an error) on standard error, unless quiet.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            anstream::eprintln!("{message}");
        }
    }

    /// What to show while searching with `search`'s flags: a progress line (only on a terminal, see
    /// `progress`) and, for `--strategy auto`, a note when a limit is near.
    pub fn feedback(&self, search: &SearchArgs) -> Feedback {
        Feedback {
            progress: !self.quiet,
            nearing_limits: !self.quiet && search.strategy == StrategyArg::Auto,
        }
    }
}

pub fn run(cli: Cli) -> Exit {
    let ui = Ui {
        printer: Printer::new(cli.color != ColorChoice::Never),
        quiet: cli.quiet,
        cancel: Arc::new(AtomicBool::new(false)),
    };
    let searches = matches!(
        cli.command,
        Command::Check(_) | Command::Graph(_) | Command::Outcomes(_)
    );
    if searches {
        interrupt::install(&ui.cancel);
    }
    match cli.command {
        Command::Check(args) => check::run(&args, &ui),
        Command::Replay(args) => replay::run(&args, &ui),
        Command::Graph(args) => graph::run(&args, &ui),
        Command::Outcomes(args) => outcomes::run(&args, &ui),
        Command::Parse(args) => parse::run(&args, &ui),
        Command::Completions { shell } => meta::completions(shell, &ui),
        Command::Man => meta::man(&ui),
        Command::Docs { topic } => meta::docs(topic, &ui),
    }
}
