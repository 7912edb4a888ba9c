//! One module per subcommand; each returns the process exit status.

mod parse;

use crate::args::{Cli, Command};
use crate::diagnostics::Printer;
use crate::exit::Exit;

pub fn run(cli: Cli) -> Exit {
    let printer = Printer::new(cli.color);
    match cli.command {
        Command::Parse { paths } => parse::run(&paths, &printer),
    }
}
