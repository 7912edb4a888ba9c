//! `weft replay MODEL TRACE`: re-run a trace and show the interleaving with its values, all at once or
//! (`--step`, on a terminal) one step at a time. Exit 1 when the recorded violation reproduces, 0 when
//! the trace records none, 2 when the trace does not fit the model or cannot be read.

use std::fs;
use std::io::{BufRead, IsTerminal, Write};

use weft::trace::{Replay, ReplayEnd, ReplayError, Trace};
use weft::SourceFile;

use super::Ui;
use crate::args::{Format, ReplayArgs};
use crate::exit::Exit;
use crate::model::{self, LoadError};
use crate::render::table::{Mark, Table};
use crate::render::violation::trace_table;
use crate::render::{json, plural};

pub fn run(args: &ReplayArgs, ui: &Ui) -> Exit {
    let fail = |message: String, help: Option<&str>| {
        ui.error(&message);
        if let Some(help) = help {
            ui.note(&format!("help: {help}"));
        }
        if args.format == Format::Json {
            let doc = json::replay_error_doc(&args.model, &args.trace, &message);
            anstream::print!("{}", json::to_text(&doc));
        }
        Exit::Error
    };
    let program = match model::load(&args.model) {
        Ok(program) => program,
        Err(e) => {
            anstream::eprint!("{}", e.render(&ui.printer));
            let message = match &e {
                LoadError::Io(message) => message.clone(),
                LoadError::Compile { .. } => format!("`{}` {}", args.model.display(), e.summary()),
            };
            if args.format == Format::Json {
                let doc = json::replay_error_doc(&args.model, &args.trace, &message);
                anstream::print!("{}", json::to_text(&doc));
            }
            return Exit::Error;
        }
    };
    let text = match fs::read(&args.trace) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => return fail(format!("cannot read `{}`: {e}", args.trace.display()), None),
    };
    let trace = match Trace::from_json(&text) {
        Ok(trace) => trace,
        Err(e) => {
            let message = format!("`{}` is not a weft trace: {e}", args.trace.display());
            return fail(message, None);
        }
    };
    let replay = match weft::replay(&program, &trace) {
        Ok(replay) => replay,
        Err(e) => {
            let help = match e {
                ReplayError::ModelMismatch { .. } => Some(
                    "a trace replays on the model it was found in, whatever its comments and layout; \
                     after a change to the code, run `weft check` on this model for a fresh trace",
                ),
                _ => None,
            };
            let message = format!(
                "trace `{}` does not fit model `{}`: {e}",
                args.trace.display(),
                args.model.display()
            );
            return fail(message, help);
        }
    };
    if args.format == Format::Json {
        let doc = json::replay_doc(&args.model, &args.trace, &trace, &replay);
        anstream::print!("{}", json::to_text(&doc));
    } else {
        show(args, ui, &program.source, &trace, &replay);
    }
    if replay.violation.is_some() {
        Exit::Violation
    } else {
        Exit::Holds
    }
}

/// The human form: the table (whole, or step by step), then the result.
fn show(args: &ReplayArgs, ui: &Ui, file: &SourceFile, trace: &Trace, replay: &Replay) {
    let by_a_step = replay
        .violation
        .as_ref()
        .is_some_and(|f| f.thread.is_some());
    if !ui.quiet {
        anstream::println!(
            "replaying {} on {} ({}, {})",
            args.trace.display(),
            file.name,
            plural(replay.steps.len(), "step", "steps"),
            plural(trace.preemptions as usize, "preemption", "preemptions")
        );
    }
    let interactive =
        args.step && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if args.step && !interactive {
        ui.note("note: --step pauses only when standard input and output are a terminal; showing every step");
    }
    if interactive {
        if !step_by_step(file, trace, replay, by_a_step) {
            return;
        }
    } else if !ui.quiet {
        let shown = Trace {
            steps: replay.steps.clone(),
            ..trace.clone()
        };
        anstream::print!("{}", trace_table(file, &shown, by_a_step));
    }
    match &replay.end {
        ReplayEnd::Finished { outcome } if !outcome.is_empty() && !ui.quiet => {
            let values: Vec<String> = outcome.iter().map(|(n, v)| format!("{n} = {v}")).collect();
            anstream::println!("every thread finished: {}", values.join(", "));
        }
        _ => {}
    }
    match (&trace.violation, &replay.violation) {
        (Some(recorded), Some(found)) => {
            anstream::println!(
                "reproduced {} at step {}: {}",
                recorded.kind,
                recorded.step,
                found.message.lines().next().unwrap_or("")
            );
            anstream::println!("  --> {}", file.location(found.span));
        }
        _ => anstream::println!(
            "the trace ran to its end ({} steps); it records no violation",
            replay.steps.len()
        ),
    }
}

/// Print the table a row at a time, waiting for Enter after each; `false` when the user quit.
fn step_by_step(file: &SourceFile, trace: &Trace, replay: &Replay, by_a_step: bool) -> bool {
    let kind = trace
        .violation
        .as_ref()
        .map(|v| v.kind.as_str())
        .unwrap_or("");
    let step = trace.violation.as_ref().map(|v| v.step).unwrap_or(0);
    let mark = (by_a_step && step > 0).then_some(Mark { step, text: kind });
    let table = Table::new(file, &replay.steps, trace.cycle_start, mark);
    anstream::print!("{}", table.header());
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let total = table.rows().len();
    for (i, row) in table.rows().iter().enumerate() {
        anstream::print!("{row}");
        if let Some(s) = replay.steps.get(i) {
            let (line, _) = file.line_col(s.span.lo);
            anstream::println!("         {line:>4} | {}", file.line_text(line).trim_end());
        }
        if i + 1 == total {
            break;
        }
        anstream::print!(
            "  step {}/{total}: Enter for the next step, q to quit ",
            i + 1
        );
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        match input.read_line(&mut answer) {
            // End of input: show the rest without pausing.
            Ok(0) | Err(_) => {
                anstream::println!();
                for rest in &table.rows()[i + 1..] {
                    anstream::print!("{rest}");
                }
                break;
            }
            Ok(_) if answer.trim().eq_ignore_ascii_case("q") => {
                anstream::println!("stopped after step {} of {total}", i + 1);
                return false;
            }
            Ok(_) => {}
        }
    }
    if !by_a_step && trace.violation.is_some() && trace.cycle_start.is_none() {
        anstream::println!("  after step {step}: {kind}");
    }
    true
}
