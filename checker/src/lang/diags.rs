//! The error sink shared by the lexer and the parser: caps the number of errors and records why
//! parsing stopped early (too many errors, or input nested too deeply).

use crate::source::{Diagnostic, Span};

/// After this many errors the front end stops and adds one "aborting" diagnostic: past that point
/// further errors are almost always cascades, and binary garbage would otherwise yield one per byte.
pub const MAX_ERRORS: usize = 50;

#[derive(Debug, Default)]
pub(crate) struct Diags {
    list: Vec<Diagnostic>,
    /// Set once parsing must stop: every later error is dropped and the parser sees end of input.
    stopped: bool,
    /// Where the first error past the cap was found, if the cap was hit.
    overflow_at: Option<Span>,
}

impl Diags {
    pub(crate) fn stopped(&self) -> bool {
        self.stopped
    }

    /// Records an error and returns its index, or `None` if it was dropped (stopped, or over the cap).
    pub(crate) fn error(&mut self, diag: Diagnostic) -> Option<usize> {
        if self.stopped {
            return None;
        }
        if self.list.len() >= MAX_ERRORS {
            self.stopped = true;
            self.overflow_at = Some(diag.span);
            return None;
        }
        self.list.push(diag);
        Some(self.list.len() - 1)
    }

    /// Records an error after which nothing more is parsed.
    pub(crate) fn fatal(&mut self, diag: Diagnostic) {
        self.error(diag);
        self.stopped = true;
    }

    /// Adds a secondary span to an already recorded diagnostic.
    pub(crate) fn add_note(&mut self, index: usize, span: Span, label: &str) {
        if let Some(d) = self.list.get_mut(index) {
            d.notes.push((span, label.to_string()));
        }
    }

    /// The diagnostics in source order, followed by the "aborting" one if the cap was hit.
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        // The lexer runs a few tokens ahead of the parser, so its errors can be recorded slightly
        // out of order; a stable sort restores source order without reordering equal positions.
        self.list.sort_by_key(|d| d.span.lo);
        if let Some(span) = self.overflow_at {
            self.list.push(
                Diagnostic::error(span, "aborting due to too many errors")
                    .with_label("parsing stopped here")
                    .with_help(format!(
                        "only the first {MAX_ERRORS} syntax errors are reported; fix them and run again"
                    )),
            );
        }
        self.list
    }
}
