//! A violation explained: its kind and message over the source with a caret, the interleaving table,
//! the preemption count and the command that replays it.

use annotate_snippets::{Level, Snippet};
use weft::report::Stats;
use weft::{Report, SourceFile, Violation};

use super::interleaving_table;
use crate::diagnostics::Printer;

/// One line of statistics.
pub fn stats_line(report: &Report) -> String {
    let s: &Stats = &report.stats;
    format!(
        "{} states, {} transitions, max depth {}, {:.2}s ({:.0} states/s)",
        s.states,
        s.transitions,
        s.max_depth,
        s.elapsed.as_secs_f64(),
        s.states_per_sec
    )
}

/// The full explanation of one violation. `replay_command` is printed as the way to reproduce it.
pub fn explain_violation(
    printer: &Printer,
    file: &SourceFile,
    v: &Violation,
    replay_command: Option<&str>,
) -> String {
    let text: &str = &file.text;
    let clamp = |lo: u32, hi: u32| {
        let lo = (lo as usize).min(text.len());
        let hi = (hi as usize).min(text.len()).max(lo);
        lo..hi
    };
    let primary_label = v
        .thread_name
        .as_ref()
        .map(|t| format!("in thread `{t}`"))
        .unwrap_or_default();
    let mut snippet = Snippet::source(text)
        .origin(&file.name)
        .fold(true)
        .annotation(
            Level::Error
                .span(clamp(v.span.lo, v.span.hi))
                .label(&primary_label),
        );
    for (span, label) in &v.related {
        snippet = snippet.annotation(Level::Warning.span(clamp(span.lo, span.hi)).label(label));
    }
    let title_lines: Vec<&str> = v.message.lines().collect();
    let title = title_lines.first().copied().unwrap_or("");
    let mut message = Level::Error
        .title(title)
        .id(v.kind.as_str())
        .snippet(snippet);
    let extra: Vec<String> = title_lines
        .iter()
        .skip(1)
        .map(|l| l.trim().to_string())
        .collect();
    for line in &extra {
        message = message.footer(Level::Note.title(line));
    }
    let mut out = printer.render_message(message);
    let preemptions = match v.preemptions {
        1 => "1 preemption".to_string(),
        n => format!("{n} preemptions"),
    };
    out.push_str(&format!(
        "interleaving: {} steps, {preemptions} (a preemption switches away from a thread that could have continued)\n",
        v.steps
    ));
    out.push_str(&interleaving_table(
        file,
        &v.trace.steps,
        v.trace.cycle_start,
    ));
    if let Some(cmd) = replay_command {
        out.push_str(&format!("replay: {cmd}\n"));
    }
    out.push('\n');
    out
}
