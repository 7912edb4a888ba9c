//! `weft parse`: front end only. Prints each model's summary, or its diagnostics.

use std::path::PathBuf;

use crate::diagnostics::Printer;
use crate::exit::Exit;
use crate::inputs;

pub fn run(paths: &[PathBuf], printer: &Printer) -> Exit {
    let files = match inputs::expand(paths) {
        Ok(files) => files,
        Err(message) => {
            anstream::eprint!("{}", printer.render_plain(&message));
            return Exit::Error;
        }
    };
    let mut status = Exit::Holds;
    let mut errors = 0usize;
    for path in &files {
        let file = match inputs::read_model(path) {
            Ok(file) => file,
            Err(message) => {
                anstream::eprint!("{}", printer.render_plain(&message));
                status = Exit::Error;
                errors += 1;
                continue;
            }
        };
        match weft::ir::compile(file.clone()) {
            Ok(program) => print!("{}", weft::ir::summary(&program)),
            Err(diagnostics) => {
                for d in &diagnostics {
                    anstream::eprint!("{}", printer.render(&file, d));
                }
                status = Exit::Error;
                errors += 1;
            }
        }
    }
    if files.len() > 1 {
        println!(
            "{} models: {} parsed, {} with errors",
            files.len(),
            files.len() - errors,
            errors
        );
    }
    status
}
