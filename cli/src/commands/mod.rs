//! One module per subcommand; each returns the process exit status.

mod check;
mod parse;
mod replay;

use crate::args::{Cli, Command};
use crate::diagnostics::Printer;
use crate::exit::Exit;

pub fn run(cli: Cli) -> Exit {
    let printer = Printer::new(cli.color);
    match cli.command {
        Command::Parse { paths } => parse::run(&paths, &printer),
        Command::Check(args) => check::run(&args, &printer),
        Command::Replay { model, trace } => replay::run(&model, &trace, &printer),
    }
}
