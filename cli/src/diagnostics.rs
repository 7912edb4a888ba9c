//! rustc-style rendering of the library's diagnostics, via annotate-snippets (the renderer rustc
//! itself uses), coloured when the terminal allows; and their JSON form.

use annotate_snippets::{Level, Message, Renderer, Snippet};
use weft::source::Severity;
use weft::{Diagnostic, SourceFile};

pub struct Printer {
    renderer: Renderer,
    styled: bool,
}

impl Printer {
    /// A printer that styles its output when `styled`. Styled text is fine to print anywhere:
    /// `anstream` strips the styles from a stream that is not a terminal (see `main`).
    pub fn new(styled: bool) -> Printer {
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Printer { renderer, styled }
    }

    /// Does this printer emit styles?
    pub fn styled(&self) -> bool {
        self.styled
    }

    /// Render one diagnostic against its file.
    ///
    /// annotate-snippets is given only the lines the diagnostic marks, from the first to the last,
    /// and of a long first or last line only a window around the marks
    /// ([`SourceFile::shown_range`]): handed the whole file, it scanned everything before the
    /// first mark and every character of its line, for each diagnostic, and 10,000 errors on one
    /// 70 KB line took seconds. What is shown is the same: it cuts long lines to the terminal's
    /// width around the marks anyway, and finds the lines to show itself.
    pub fn render(&self, file: &SourceFile, d: &Diagnostic) -> String {
        let level = match d.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let text: &str = &file.text;
        let clamp = |lo: u32, hi: u32| {
            let lo = file.floor_char_boundary(lo as usize);
            let hi = file.floor_char_boundary(hi as usize).max(lo);
            lo..hi
        };
        let primary = clamp(d.span.lo, d.span.hi);
        let notes: Vec<_> = d
            .notes
            .iter()
            .map(|(span, label)| (clamp(span.lo, span.hi), label))
            .collect();
        let lo = notes
            .iter()
            .map(|(r, _)| r.start)
            .fold(primary.start, usize::min);
        let hi = notes
            .iter()
            .map(|(r, _)| r.end)
            .fold(primary.end, usize::max);
        let (first, last) = (file.line_of(lo as u32), file.line_of(hi as u32));
        let start = if first == last {
            file.shown_range(first, lo, hi).start
        } else {
            file.shown_range(first, lo, file.line_range(first).end)
                .start
        };
        let end = if first == last {
            file.shown_range(last, lo, hi).end
        } else {
            file.shown_range(last, file.line_range(last).start, hi).end
        }
        .max(hi);
        let shift = |r: &std::ops::Range<usize>| r.start - start..r.end - start;
        let mut snippet = Snippet::source(&text[start..end])
            .line_start(first)
            .origin(&file.name)
            .fold(true)
            .annotation(level.span(shift(&primary)).label(&d.label));
        for (range, label) in &notes {
            snippet = snippet.annotation(Level::Warning.span(shift(range)).label(label));
        }
        let mut message = level.title(&d.message).snippet(snippet);
        for help in &d.help {
            message = message.footer(Level::Help.title(help));
        }
        let mut out = self.renderer.render(message).to_string();
        // annotate-snippets takes the column of the `-->` line from the text it was given: where
        // that starts inside the primary mark's line, put the file's column back.
        if start > file.line_range(first).start && file.line_of(primary.start as u32) == first {
            let given = file.chars_between(start, primary.start) + 1;
            let (_, col) = file.line_col(primary.start as u32);
            let wrong = format!("{}:{first}:{given}", file.name);
            let title_end = out.find('\n').map_or(0, |i| i + 1);
            if let Some(at) = out[title_end..].find(&wrong) {
                let at = title_end + at;
                out.replace_range(
                    at..at + wrong.len(),
                    &format!("{}:{first}:{col}", file.name),
                );
            }
        }
        format!("{out}\n\n")
    }

    /// Render any annotate-snippets message.
    pub fn render_message(&self, message: Message<'_>) -> String {
        format!("{}\n\n", self.renderer.render(message))
    }

    /// Render a plain error with no source location (I/O, usage).
    pub fn render_plain(&self, message: &str) -> String {
        format!("{}\n", self.renderer.render(Level::Error.title(message)))
    }
}

/// A diagnostic as JSON (used in every `--format json` document that reports a model's errors).
pub fn diagnostic_json(file: &SourceFile, d: &Diagnostic) -> serde_json::Value {
    let notes: Vec<serde_json::Value> = d
        .notes
        .iter()
        .map(|(span, label)| {
            serde_json::json!({
                "location": file.location(*span),
                "span": [span.lo, span.hi],
                "label": label,
            })
        })
        .collect();
    serde_json::json!({
        "severity": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "message": d.message,
        "location": file.location(d.span),
        "span": [d.span.lo, d.span.hi],
        "label": d.label,
        "notes": notes,
        "help": d.help,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft::source::SHOWN_CONTEXT;
    use weft::Span;

    /// The rendering before windows: annotate-snippets given the whole file.
    fn whole_file(printer: &Printer, file: &SourceFile, d: &Diagnostic) -> String {
        let text: &str = &file.text;
        let clamp = |lo: u32, hi: u32| {
            let lo = (lo as usize).min(text.len());
            let hi = (hi as usize).min(text.len()).max(lo);
            lo..hi
        };
        let mut snippet = Snippet::source(text)
            .origin(&file.name)
            .fold(true)
            .annotation(
                Level::Error
                    .span(clamp(d.span.lo, d.span.hi))
                    .label(&d.label),
            );
        for (span, label) in &d.notes {
            snippet = snippet.annotation(Level::Warning.span(clamp(span.lo, span.hi)).label(label));
        }
        let mut message = Level::Error.title(&d.message).snippet(snippet);
        for help in &d.help {
            message = message.footer(Level::Help.title(help));
        }
        format!("{}\n\n", printer.renderer.render(message))
    }

    /// A model with short lines, a 30 KB line of ASCII, a long line with multi-byte characters, and
    /// a long indented line.
    fn file() -> SourceFile {
        let mut text = String::from("static X: AtomicInt = 0;\n//@ expect: ");
        text.push_str(&"bogus, ".repeat(4000));
        text.push_str("\nthread t { X.store(1, SeqCst); }\n// ");
        text.push_str(&"é ∀ 𝄞 x, ".repeat(300));
        text.push('\n');
        text.push_str(&" ".repeat(300));
        text.push_str(&"y = 1; ".repeat(200));
        text.push_str("\nthread u { }\n");
        SourceFile::new("m.weft", text)
    }

    /// Spans at many places: starts and ends of lines, inside long lines, across lines.
    fn spans(file: &SourceFile) -> Vec<Span> {
        let len = file.text.len();
        let mut out = Vec::new();
        let mut at = 0;
        while at < len {
            let lo = file.floor_char_boundary(at);
            for width in [0, 1, 5, 300] {
                let hi = file.floor_char_boundary(lo + width);
                out.push(Span::new(lo, hi));
            }
            at += 997;
        }
        for line in 1..=6 {
            let r = file.line_range(line);
            out.push(Span::new(r.start, r.start + 1));
            out.push(Span::new(r.end, r.end));
            out.push(Span::new(r.start, r.end));
        }
        out.push(Span::new(len, len));
        out
    }

    /// Where the windowed rendering of `d` first differs from the whole file's (cut short: the
    /// lines can be 30 KB long). Nothing when the whole file's panics: annotate-snippets
    /// subtracts with overflow (in debug builds) for a mark inside 300 spaces of indentation,
    /// which the window, holding less of that indentation, does not meet.
    fn difference(printer: &Printer, file: &SourceFile, d: &Diagnostic) -> Option<Option<String>> {
        let new = printer.render(file, d);
        let old = std::panic::catch_unwind(|| whole_file(printer, file, d)).ok()?;
        Some(first_difference(&new, &old))
    }

    fn first_difference(a: &str, b: &str) -> Option<String> {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        let at = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i))?;
        let cut = |l: Option<&&str>| l.map_or(String::new(), |l| l.chars().take(300).collect());
        Some(format!(
            "line {at}:\n{}\n{}",
            cut(a.get(at)),
            cut(b.get(at))
        ))
    }

    /// Is `span` within one line?
    fn one_line(file: &SourceFile, span: Span) -> bool {
        file.line_of(span.lo) == file.line_of(span.hi)
    }

    #[test]
    fn windows_render_as_the_whole_file_did() {
        let file = file();
        // Marks within one line: a window shows what the whole file showed. (A mark across lines
        // is drawn with a connector as wide as its columns, which a window makes narrower.)
        let spans: Vec<Span> = spans(&file)
            .into_iter()
            .filter(|s| one_line(&file, *s))
            .collect();
        let mut compared = 0;
        for styled in [false, true] {
            let printer = Printer::new(styled);
            for (i, &span) in spans.iter().enumerate() {
                let mut d = Diagnostic::error(span, "unknown violation kind `bogus`")
                    .with_label("not a kind of violation")
                    .with_help("the kinds are safe, ...");
                let diff = difference(&printer, &file, &d);
                compared += usize::from(diff.is_some());
                let diff = diff.flatten();
                assert!(diff.is_none(), "{span:?}: {}", diff.unwrap_or_default());
                // With a note on the same line. (Marks on several long lines share one
                // horizontal window when annotate-snippets has the whole lines; cut, each line
                // keeps its own, so that the marks stay in view.)
                let other = spans[(i * 7 + 3) % spans.len()];
                if file.line_of(other.lo) != file.line_of(span.lo) {
                    continue;
                }
                d = d.with_note(other, "related");
                let diff = difference(&printer, &file, &d);
                compared += usize::from(diff.is_some());
                let diff = diff.flatten();
                assert!(
                    diff.is_none(),
                    "{span:?} with a note at {other:?}: {}",
                    diff.unwrap_or_default()
                );
            }
        }
        assert!(compared > 100, "only {compared} renderings compared");
    }

    #[test]
    fn a_mark_on_a_long_line_is_located_and_shown_around_its_place() {
        let file = file();
        let printer = Printer::new(false);
        // The empty line after the last line break has no text to show a mark on.
        let last = file.line_range(file.line_of(file.text.len() as u32));
        for span in spans(&file)
            .into_iter()
            .filter(|s| s.lo as usize != last.start)
        {
            let d = Diagnostic::error(span, "m")
                .with_note(Span::new(span.hi as usize, span.hi as usize + 3), "n");
            let out = printer.render(&file, &d);
            let (line, col) = file.line_col(span.lo);
            assert!(
                out.contains(&format!("--> m.weft:{line}:{col}\n")),
                "{span:?}: {}",
                out.chars().take(300).collect::<String>()
            );
            // What is shown is bounded by the window, not by the 30 KB line.
            let shown = 2 * SHOWN_CONTEXT + span.len() + 1000;
            let longest = out.lines().map(str::len).max().unwrap_or(0);
            assert!(longest <= shown * 4, "{span:?}: a line of {longest} bytes");
        }
    }
}
