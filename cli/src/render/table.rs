//! The interleaving as a table: one column per thread, one row per step, each cell the operation with
//! the values it read and wrote, and the source line at the end of the row. Built whole (column widths
//! need every step) and printed whole, or row by row by `weft replay --step`.

use weft::trace::TraceStep;
use weft::SourceFile;

/// Widest a thread column may grow before its cells are cut (with `…`).
const MAX_COLUMN: usize = 44;

/// A row to mark: the 1-based step at which a violation shows, and the text of the mark.
pub struct Mark<'a> {
    pub step: usize,
    pub text: &'a str,
}

pub struct Table {
    header: String,
    rows: Vec<String>,
}

/// A step's cell: the operation, with the values it read and wrote that its text does not show.
pub fn cell_text(step: &TraceStep) -> String {
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
            .all(|(_, value)| shows(&step.operation, *value))
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

/// Does the operation's text already show `value` (`X = 1`, `F.load() -> true`)? Booleans are 0/1.
fn shows(operation: &str, value: i64) -> bool {
    operation.contains(&value.to_string())
        || (value == 0 && operation.contains("false"))
        || (value == 1 && operation.contains("true"))
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Pad to `width` characters (`format!`'s width counts chars too, but `…` makes that explicit).
fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(n)))
}

impl Table {
    /// Lay out `steps`. `cycle_start` marks where a livelock's repeating part begins; `mark` points
    /// at the step where the violation shows.
    pub fn new(
        file: &SourceFile,
        steps: &[TraceStep],
        cycle_start: Option<usize>,
        mark: Option<Mark<'_>>,
    ) -> Table {
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
        let mut header = format!("  {:>step_width$} ", "step");
        for ((_, name), w) in threads.iter().zip(&widths) {
            header.push_str(&format!("| {} ", pad(&cut(name, *w), *w)));
        }
        header.push_str("| line");
        let mut rule = format!("  {}-", "-".repeat(step_width));
        for w in &widths {
            rule.push_str(&format!("+-{}-", "-".repeat(*w)));
        }
        rule.push_str("+-----");
        let header = format!("{}\n{rule}\n", header.trim_end());
        let mut rows = Vec::with_capacity(steps.len());
        for (i, (step, cell)) in steps.iter().zip(&cells).enumerate() {
            let mut row = String::new();
            if cycle_start == Some(i) {
                row.push_str("  -- the steps below repeat forever --\n");
            }
            row.push_str(&format!("  {:>step_width$} ", i + 1));
            for ((t, _), w) in threads.iter().zip(&widths) {
                let text = if *t == step.thread {
                    cut(cell, *w)
                } else {
                    String::new()
                };
                row.push_str(&format!("| {} ", pad(&text, *w)));
            }
            let (line, _) = file.line_col(step.span.lo);
            row.push_str(&format!("| {line}"));
            if let Some(m) = &mark {
                if m.step == i + 1 {
                    row.push_str(&format!("  <- {}", m.text));
                }
            }
            row.push('\n');
            rows.push(row);
        }
        Table { header, rows }
    }

    /// The column titles and the rule below them.
    pub fn header(&self) -> &str {
        &self.header
    }

    /// The rows, one per step (a row may start with the livelock cycle's marker line).
    pub fn rows(&self) -> &[String] {
        &self.rows
    }

    /// The whole table.
    pub fn render(&self) -> String {
        let mut out = self.header.clone();
        for row in &self.rows {
            out.push_str(row);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft::Span;

    fn step(thread: u32, name: &str, op: &str, reads: &[(&str, i64)]) -> TraceStep {
        TraceStep {
            thread,
            choice: 0,
            thread_name: name.to_string(),
            operation: op.to_string(),
            span: Span::new(0, 1),
            location: "m.weft:1:1".to_string(),
            reads: reads.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
            writes: Vec::new(),
        }
    }

    #[test]
    fn one_column_per_thread_and_a_mark() {
        let file = SourceFile::new("m.weft", "x\n");
        let steps = [
            step(1, "b", "X read", &[("X", 0)]),
            step(0, "a", "X = 1", &[]),
        ];
        let mark = Mark {
            step: 2,
            text: "data-race",
        };
        let table = Table::new(&file, &steps, Some(1), Some(mark));
        let text = table.render();
        assert_eq!(
            text,
            "  step | b                  | a     | line\n  \
             -----+--------------------+-------+-----\n     \
             1 | X read  [read X=0] |       | 1\n  \
             -- the steps below repeat forever --\n     \
             2 |                    | X = 1 | 1  <- data-race\n"
        );
        assert_eq!(table.rows().len(), 2);
    }

    #[test]
    fn long_cells_are_cut() {
        let long = "y".repeat(100);
        assert_eq!(cut(&long, 5), "yyyy…");
        assert_eq!(pad(&cut(&long, 5), 6), "yyyy… ");
    }
}
