//! `weft parse`: the front end only. Prints each model's summary (statics, threads, the visible
//! operations of each body), or its diagnostics.

use super::Ui;
use crate::args::{Format, ParseArgs};
use crate::exit::Exit;
use crate::inputs;
use crate::model;
use crate::render::json;

pub fn run(args: &ParseArgs, ui: &Ui) -> Exit {
    let files = match inputs::expand(&args.paths) {
        Ok(files) => files,
        Err(message) => {
            ui.error(&message);
            return Exit::Error;
        }
    };
    let human = args.format == Format::Human;
    let mut status = Exit::Holds;
    let mut errors = 0usize;
    let mut entries = Vec::new();
    for path in &files {
        match model::load(path) {
            Ok(program) => {
                let summary = weft::ir::summary(&program);
                if human && !ui.quiet {
                    anstream::print!("{summary}");
                }
                entries.push(json::parse_entry(
                    path,
                    Some(summary),
                    serde_json::json!([]),
                ));
            }
            Err(e) => {
                anstream::eprint!("{}", e.render(&ui.printer));
                entries.push(json::parse_entry(path, None, e.to_json()));
                status = Exit::Error;
                errors += 1;
            }
        }
    }
    if human && files.len() > 1 {
        anstream::println!(
            "{} models: {} parsed, {} with errors",
            files.len(),
            files.len() - errors,
            errors
        );
    }
    if !human {
        anstream::print!("{}", json::to_text(&json::parse_doc(entries)));
    }
    status
}
