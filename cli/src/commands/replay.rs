//! `weft replay MODEL TRACE`: re-run a trace step by step and show the interleaving with its values.
//! Exit 1 when the recorded violation reproduces, 0 when the trace records none and runs, 2 when the
//! trace does not fit the model.

use std::fs;
use std::path::Path;

use crate::diagnostics::Printer;
use crate::exit::Exit;
use crate::inputs;
use crate::render::interleaving_table;

pub fn run(model: &Path, trace_path: &Path, printer: &Printer) -> Exit {
    let file = match inputs::read_model(model) {
        Ok(file) => file,
        Err(message) => {
            anstream::eprint!("{}", printer.render_plain(&message));
            return Exit::Error;
        }
    };
    let program = match weft::ir::compile(file.clone()) {
        Ok(program) => program,
        Err(diagnostics) => {
            for d in &diagnostics {
                anstream::eprint!("{}", printer.render(&file, d));
            }
            return Exit::Error;
        }
    };
    let text = match fs::read_to_string(trace_path) {
        Ok(text) => text,
        Err(e) => {
            let message = format!("cannot read `{}`: {e}", trace_path.display());
            anstream::eprint!("{}", printer.render_plain(&message));
            return Exit::Error;
        }
    };
    let outcome = weft::Trace::from_json(&text)
        .and_then(|trace| weft::replay(&program, &trace).map(|replay| (trace, replay)));
    let (trace, replay) = match outcome {
        Ok(pair) => pair,
        Err(e) => {
            let message = format!(
                "trace `{}` does not fit model `{}`: {e}",
                trace_path.display(),
                model.display()
            );
            anstream::eprint!("{}", printer.render_plain(&message));
            return Exit::Error;
        }
    };
    println!("replaying {} on {}", trace_path.display(), file.name);
    print!(
        "{}",
        interleaving_table(&file, &replay.steps, trace.cycle_start)
    );
    match (&trace.violation, &replay.violation) {
        (Some(recorded), Some(found)) => {
            println!(
                "reproduced {} at step {}: {}",
                recorded.kind, recorded.step, found.message
            );
            println!("  --> {}", file.location(found.span));
            Exit::Violation
        }
        _ => {
            println!(
                "the trace ran to its end ({} steps); it records no violation",
                replay.steps.len()
            );
            Exit::Holds
        }
    }
}
