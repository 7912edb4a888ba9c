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
    pub fn render(&self, file: &SourceFile, d: &Diagnostic) -> String {
        let level = match d.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let text: &str = &file.text;
        let clamp = |lo: u32, hi: u32| {
            let lo = (lo as usize).min(text.len());
            let hi = (hi as usize).min(text.len()).max(lo);
            lo..hi
        };
        let mut snippet = Snippet::source(text)
            .origin(&file.name)
            .fold(true)
            .annotation(level.span(clamp(d.span.lo, d.span.hi)).label(&d.label));
        for (span, label) in &d.notes {
            snippet = snippet.annotation(Level::Warning.span(clamp(span.lo, span.hi)).label(label));
        }
        let mut message = level.title(&d.message).snippet(snippet);
        for help in &d.help {
            message = message.footer(Level::Help.title(help));
        }
        format!("{}\n\n", self.renderer.render(message))
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
