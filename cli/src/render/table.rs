//! The interleaving as a table: one column per thread, one row per step, each cell the operation with
//! the values it read and wrote, and the source line at the end of the row.

use weft::trace::TraceStep;
use weft::SourceFile;

/// Widest a thread column may grow before its cells are cut (with `…`).
const MAX_COLUMN: usize = 44;

fn cell_text(step: &TraceStep) -> String {
    let mut text = step.operation.clone();
    let show = |pairs: &[(String, i64)]| {
        pairs
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mentions = |pairs: &[(String, i64)]| {
        pairs
            .iter()
            .all(|(_, value)| step.operation.contains(&value.to_string()))
    };
    // Only add values the operation text does not already show.
    if !step.reads.is_empty() && !mentions(&step.reads) {
        text.push_str(&format!("  [read {}]", show(&step.reads)));
    }
    if !step.writes.is_empty() && !mentions(&step.writes) {
        text.push_str(&format!("  [wrote {}]", show(&step.writes)));
    }
    text
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(width - 1).collect();
        s.push('…');
        s
    }
}

/// Render `steps` as a table. `cycle_start` marks where a livelock's repeating part begins.
pub fn interleaving_table(
    file: &SourceFile,
    steps: &[TraceStep],
    cycle_start: Option<usize>,
) -> String {
    // Columns in order of first appearance, so the table reads left to right like the execution.
    let mut threads: Vec<(u32, String)> = Vec::new();
    for s in steps {
        if !threads.iter().any(|(t, _)| *t == s.thread) {
            threads.push((s.thread, s.thread_name.clone()));
        }
    }
    let cells: Vec<String> = steps.iter().map(cell_text).collect();
    let widths: Vec<usize> = threads
        .iter()
        .map(|(t, name)| {
            let widest = steps
                .iter()
                .zip(&cells)
                .filter(|(s, _)| s.thread == *t)
                .map(|(_, c)| c.chars().count())
                .max()
                .unwrap_or(0);
            widest.max(name.chars().count()).min(MAX_COLUMN)
        })
        .collect();
    let step_width = steps.len().to_string().len().max(4);
    let mut out = String::new();
    let mut header = format!("  {:>step_width$} ", "step");
    for ((_, name), w) in threads.iter().zip(&widths) {
        header.push_str(&format!("| {:w$} ", cut(name, *w)));
    }
    header.push_str("| line");
    out.push_str(header.trim_end());
    out.push('\n');
    let mut rule = format!("  {}-", "-".repeat(step_width));
    for w in &widths {
        rule.push_str(&format!("+-{}-", "-".repeat(*w)));
    }
    rule.push_str("+-----");
    out.push_str(&rule);
    out.push('\n');
    for (i, (step, cell)) in steps.iter().zip(&cells).enumerate() {
        if cycle_start == Some(i) {
            out.push_str("  -- the steps below repeat forever --\n");
        }
        let mut row = format!("  {:>step_width$} ", i + 1);
        for ((t, _), w) in threads.iter().zip(&widths) {
            let text = if *t == step.thread {
                cut(cell, *w)
            } else {
                String::new()
            };
            row.push_str(&format!("| {text:w$} "));
        }
        let (line, _) = file.line_col(step.span.lo);
        row.push_str(&format!("| {line}"));
        out.push_str(&row);
        out.push('\n');
    }
    out
}
