//! `weft outcomes MODEL`: the table of reachable final outcomes, with the number of distinct final
//! states showing each, and the model's `//@ outcome` lines evaluated. Like `graph`, it describes:
//! exit 0 after a complete search, 3 after an incomplete one (the table may miss outcomes). With
//! `--memory-model all`, one column per memory model.

use super::Ui;
use crate::args::{Format, OutcomesArgs};
use crate::exit::Exit;
use crate::model;
use crate::render::json;
use crate::render::outcomes::{outcomes_by_model_table, outcomes_table};
use crate::render::style::{paint, Tone};

pub fn run(args: &OutcomesArgs, ui: &Ui) -> Exit {
    let program = match model::load(&args.model) {
        Ok(program) => program,
        Err(e) => {
            anstream::eprint!("{}", e.render(&ui.printer));
            return Exit::Error;
        }
    };
    if args.search.memory_model == Some(crate::args::MemoryModelArg::All) {
        return by_model(args, ui, &program);
    }
    let options = model::options(&args.search, &ui.cancel);
    let report = model::search(&program, &options, ui.feedback(&args.search));
    if args.format == Format::Json {
        anstream::print!(
            "{}",
            json::to_text(&json::outcomes_doc(&args.model, &report))
        );
    } else {
        let styled = ui.printer.styled();
        let distinct = report.outcomes.len();
        let states: u64 = report.outcomes.iter().map(|(_, n)| n).sum();
        if distinct == 0 {
            anstream::println!("{}: no execution finishes", args.model.display());
        } else {
            anstream::println!(
                "{}: {distinct} distinct outcome{} in {states} final state{}",
                args.model.display(),
                if distinct == 1 { "" } else { "s" },
                if states == 1 { "" } else { "s" }
            );
            anstream::print!("{}", outcomes_table(&report.outcomes));
        }
        if let weft::Verdict::Incomplete { limit } = report.verdict {
            anstream::println!(
                "{}: the search stopped at {limit}; other outcomes may exist",
                paint("incomplete", Tone::Warn, styled)
            );
        }
        let checks = report.expectation.iter().flat_map(|e| e.checks.iter());
        for check in checks.filter(|c| c.directive.starts_with("outcome")) {
            let mark = if check.passed {
                paint("ok", Tone::Good, styled)
            } else {
                paint("FAILED", Tone::Bad, styled)
            };
            anstream::println!("header `{}`: {mark} ({})", check.directive, check.detail);
        }
        if !report.violations.is_empty() && !ui.quiet {
            let kinds: Vec<&str> = report.kinds().iter().map(|k| k.as_str()).collect();
            anstream::println!(
                "note: violations found ({}): `weft check {}` explains them; executions they stop have no outcome",
                kinds.join(", "),
                args.model.display()
            );
        }
    }
    if report.is_complete() {
        Exit::Holds
    } else {
        Exit::Incomplete
    }
}

/// `--memory-model all`: the outcomes under every memory model side by side, one column per model
/// (the number of distinct final states showing the outcome, `-` where it is not reachable).
fn by_model(args: &OutcomesArgs, ui: &Ui, program: &weft::Program) -> Exit {
    let base = model::options(&args.search, &ui.cancel);
    let reports: Vec<(weft::MemoryModel, weft::Report)> = weft::MemoryModel::ALL
        .iter()
        .map(|&m| {
            let options = weft::Options {
                memory_model: Some(m),
                ..base.clone()
            };
            (
                m,
                model::search(program, &options, ui.feedback(&args.search)),
            )
        })
        .collect();
    if args.format == Format::Json {
        anstream::print!(
            "{}",
            json::to_text(&json::outcomes_by_model_doc(&args.model, &reports))
        );
    } else {
        anstream::println!(
            "{}: outcomes under each memory model (distinct final states)",
            args.model.display()
        );
        anstream::print!("{}", outcomes_by_model_table(&reports));
        let styled = ui.printer.styled();
        for (m, report) in &reports {
            if let weft::Verdict::Incomplete { limit } = report.verdict {
                anstream::println!(
                    "{} under {m}: the search stopped at {limit}; other outcomes may exist",
                    paint("incomplete", Tone::Warn, styled)
                );
            }
        }
    }
    if reports.iter().all(|(_, r)| r.is_complete()) {
        Exit::Holds
    } else {
        Exit::Incomplete
    }
}
