//! weft against loom on the same programs, in the same run: weft's states and time, loom's
//! executions and time, and the ratio, as a markdown table (recorded in docs/performance.md).
//!
//! Run with `cargo bench -p weft-tests --bench versus` (release build; not part of CI). Arguments
//! after `--`: `--cap SECONDS` (default 60) bounds each loom run, and any other words select the
//! programs whose names contain them. A capped loom run reports how many executions it started;
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
}

fn parse_args() -> Result<Args, String> {
    let mut cap = Duration::from_secs_f64(DEFAULT_CAP_SECS);
    let mut filters = Vec::new();
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
        } else if !arg.starts_with("--") {
            // cargo bench passes `--bench`; anything else that is not a flag selects programs.
            filters.push(arg);
        }
    }
    Ok(Args { cap, filters })
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

/// What the comparison says about one program, in a few words.
fn judgement(case: &Case, loom: &LoomFinding, agree: bool) -> &'static str {
    match (loom, case.relation) {
        (LoomFinding::Capped, _) => "loom capped",
        (_, _) if agree => "same",
        (_, Relation::LoomFalseAlarm) => "loom false alarm (SeqCst as AcqRel)",
        (_, Relation::WeftMissesWeakMemory) => "weft misses it (SC only)",
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
    println!(
        "| program | weft verdict | weft states | weft time | loom verdict | loom executions | loom time | loom / weft | verdicts |"
    );
    println!("|---|---|---:|---:|---|---:|---:|---:|---|");
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
        println!(
            "| {} | {} | {} | {} | {} | {}{} | {}{} | {}{:.0}x | {} |",
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
    }
    if unexpected > 0 {
        eprintln!("versus: {unexpected} program(s) got verdicts the comparison does not expect");
        std::process::exit(1);
    }
}
