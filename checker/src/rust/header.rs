//! The header of a `.rs` model: `//!` description lines and `//@ key: value` directives, read
//! exactly as the `.weft` lexer reads them (both are comments to rustc). A line counts when it
//! starts, after indentation, with `//!` or `//@`.

use crate::lang::ast::Directive;
use crate::source::{Diagnostic, Span};

/// The `//!` lines, the `//@` directives, and an error for each malformed directive.
pub(crate) fn scan(text: &str) -> (Vec<String>, Vec<Directive>, Vec<Diagnostic>) {
    let (mut doc, mut directives, mut diags) = (Vec::new(), Vec::new(), Vec::new());
    let mut lo = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let indent = line.len() - line.trim_start().len();
        let at = lo + indent;
        let line = &line[indent..];
        let line_span = Span::new(at, at + line.len());
        if let Some(text) = line.strip_prefix("//!") {
            let text = text.strip_prefix(' ').unwrap_or(text);
            doc.push(text.trim_end().to_string());
        } else if let Some(body) = line.strip_prefix("//@") {
            match directive(body, at + 3, line_span) {
                Ok(d) => directives.push(d),
                Err(d) => diags.push(d),
            }
        }
        lo += raw.len();
    }
    (doc, directives, diags)
}

/// `body` is the text after `//@`, starting at byte `body_lo`.
fn directive(body: &str, body_lo: usize, line_span: Span) -> Result<Directive, Diagnostic> {
    let Some(colon) = body.find(':').filter(|&i| !body[..i].trim().is_empty()) else {
        return Err(Diagnostic::error(line_span, "expected `//@ key: value`")
            .with_label("malformed directive")
            .with_help("directives look like `//@ expect: safe`"));
    };
    let after = &body[colon + 1..];
    let value = after.trim();
    let value_lo = body_lo + colon + 1 + (after.len() - after.trim_start().len());
    Ok(Directive {
        key: body[..colon].trim().to_string(),
        value: value.to_string(),
        span: line_span,
        value_span: Span::new(value_lo, value_lo + value.len()),
    })
}
