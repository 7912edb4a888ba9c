//! weft against loom on the same programs, in the same run: weft's states and time, loom's
//! executions and time, and the ratio, as a markdown table (recorded in docs/performance.md).
//!
//! Run with `cargo bench -p weft-tests --bench versus` (release build; not part of CI). Arguments
//! after `--`: `--cap SECONDS` (default 60) bounds each loom run, `--write` replaces the table in
//! docs/performance.md (between its `versus-table` markers) with this run's, and any other words
//! select the programs whose names contain them. A capped loom run reports how many executions it started;
//! its time is then a lower bound, and so is the ratio (shown with `>`). weft's time is the best of
//! `RUNS` checks; loom runs once per program (its runs take seconds to minutes).

#[path = "../loom/mod.rs"]
#[allow(dead_code)] // shared by the loom tests and the versus bench; each uses part of it
mod versus;

use std::time::Duration;

use versus::{
    run_loom, run_weft, verdicts_agree, weft_label, Case, LoomFinding, Relation, CASES, LOOM_THREAD,
};

const RUNS: usize = 3;
const DEFAULT_CAP_SECS: f64 = 60.0;

struct Args {
    cap: Duration,
    filters: Vec<String>,
    write: bool,
}

/// Where `--write` puts the table: between these two lines of docs/performance.md.
const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/performance.md");
const BEGIN: &str =
    "<!-- versus-table:begin (cargo bench -p weft-tests --bench versus -- --write) -->";
const END: &str = "<!-- versus-table:end -->";

fn parse_args() -> Result<Args, String> {
    let mut cap = Duration::from_secs_f64(DEFAULT_CAP_SECS);
    let mut filters = Vec::new();
    let mut write = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--cap" {
            let value = args.next().ok_or("--cap needs a number of seconds")?;
            let secs: f64 = value
                .parse()
                .map_err(|_| format!("--cap needs a number of seconds, not `{value}`"))?;
            if !(secs > 0.0 && secs.is_finite()) {
                return Err(format!("--cap must be positive, not `{value}`"));
            }
            cap = Duration::from_secs_f64(secs);
        } else if arg == "--write" {
            write = true;
        } else if !arg.starts_with("--") {
            // cargo bench passes `--bench`; anything else that is not a flag selects programs.
            filters.push(arg);
        }
    }
    if write && !filters.is_empty() {
        return Err("--write records the whole table: select no programs".to_string());
    }
    Ok(Args {
        cap,
        filters,
        write,
    })
}

/// loom reports failures by panicking; keep those expected panics off the terminal (the table
/// shows them), and let every other panic through.
fn quiet_loom_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some(LOOM_THREAD) {
            default(info);
        }
    }));
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1e3)
    } else if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

/// Replace the lines between [`BEGIN`] and [`END`] in docs/performance.md with `table`.
fn write_table(table: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(DOCS).map_err(|e| format!("reading {DOCS}: {e}"))?;
    let (Some(begin), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        return Err(format!("{DOCS} has no `{BEGIN}` ... `{END}` markers"));
    };
    let after_begin = begin + BEGIN.len();
    if end < after_begin {
        return Err(format!("{DOCS}: the markers are out of order"));
    }
    let updated = format!("{}\n{table}{}", &text[..after_begin], &text[end..]);
    std::fs::write(DOCS, updated).map_err(|e| format!("writing {DOCS}: {e}"))
}

/// What the comparison says about one program, in a few words.
fn judgement(case: &Case, loom: &LoomFinding, agree: bool) -> &'static str {
    match (loom, case.relation) {
        (LoomFinding::Capped, _) => "loom capped",
        (_, _) if agree => "same",
        (_, Relation::LoomFalseAlarm) => "loom false alarm (SeqCst as AcqRel)",
        (LoomFinding::TooManyBranches, _) => "loom gives up (branch limit)",
        _ => "DIFFERENT",
    }
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("versus: {e}");
            std::process::exit(2);
        }
    };
    quiet_loom_panics();
    let cases: Vec<&Case> = CASES
        .iter()
        .filter(|c| args.filters.is_empty() || args.filters.iter().any(|f| c.name.contains(f)))
        .collect();
    println!(
        "loom capped at {:.0} s per program; weft: best of {RUNS} exhaustive checks (BFS, full store)\n",
        args.cap.as_secs_f64()
    );
    let mut table = String::from(
        "| program | weft verdict | weft states | weft time | loom verdict | loom executions | loom time | loom / weft | verdicts |\n\
         |---|---|---:|---:|---|---:|---:|---:|---|\n",
    );
    print!("{table}");
    let mut unexpected = 0;
    for case in cases {
        let mut best = Duration::MAX;
        let mut report = run_weft(case);
        for _ in 1..RUNS {
            best = best.min(report.stats.elapsed);
            report = run_weft(case);
        }
        best = best.min(report.stats.elapsed);
        let loom = run_loom(case, Some(args.cap));
        let agree = verdicts_agree(&loom.finding, &report);
        let capped = loom.finding == LoomFinding::Capped;
        let ratio = loom.elapsed.as_secs_f64() / best.as_secs_f64().max(1e-9);
        let verdict = judgement(case, &loom.finding, agree);
        if verdict == "DIFFERENT" {
            unexpected += 1;
        }
        let row = format!(
            "| {} | {} | {} | {} | {} | {}{} | {}{} | {}{:.0}x | {} |\n",
            case.name,
            weft_label(&report),
            report.stats.states,
            ms(best),
            loom.finding.label(),
            if capped { "> " } else { "" },
            loom.executions,
            if capped { "> " } else { "" },
            ms(loom.elapsed),
            if capped { "> " } else { "" },
            ratio,
            verdict
        );
        print!("{row}");
        table.push_str(&row);
    }
    if args.write {
        if let Err(e) = write_table(&table) {
            eprintln!("versus: {e}");
            std::process::exit(2);
        }
        eprintln!("versus: the table in docs/performance.md is replaced");
    }
    if unexpected > 0 {
        eprintln!("versus: {unexpected} program(s) got verdicts the comparison does not expect");
        std::process::exit(1);
    }
}
