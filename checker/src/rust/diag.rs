//! Spans out of `syn` and the diagnostics the Rust front end gives: syntax errors, the nesting cap,
//! and "weft does not model `X` yet" with the nearest supported form.

use proc_macro2::Span as PmSpan;
use syn::spanned::Spanned;

use crate::source::{Diagnostic, Span};

/// A `proc_macro2` span as a byte range of the file.
pub(crate) fn span(s: PmSpan) -> Span {
    let r = s.byte_range();
    Span::new(r.start, r.end)
}

/// The span of any syntax node.
pub(crate) fn sp<T: Spanned>(node: &T) -> Span {
    span(node.span())
}

pub(crate) fn syntax_error(e: &syn::Error) -> Diagnostic {
    Diagnostic::error(span(e.span()), e.to_string()).with_label("the Rust parser stops here")
}

/// "weft does not model `what` yet", with a `help:` line when there is a near equivalent.
pub(crate) fn unsupported(at: Span, what: &str, help: Option<&str>) -> Diagnostic {
    let d = Diagnostic::error(at, format!("weft does not model {what} yet"))
        .with_label("not in the Rust subset weft reads");
    match help {
        Some(h) => d.with_help(h.to_string()),
        None => d.with_help("docs/rust.md lists the Rust that weft reads"),
    }
}

/// Most operator characters between two of `;`, `{`, `}`: operator and call chains nest without
/// brackets, and `syn` builds (and drops) them recursively.
pub(crate) const MAX_CHAIN: usize = 1000;

/// An error at the first bracket deeper than `max` levels, or at the first statement with more
/// than [`MAX_CHAIN`] operators, if any. Comments and strings do not count.
pub(crate) fn too_deep(text: &str, max: usize) -> Option<Diagnostic> {
    let bytes = text.as_bytes();
    let (mut depth, mut i, mut ops, mut elses) = (0usize, 0usize, 0usize, 0usize);
    while i < bytes.len() {
        // Words: `else if` chains and `return return ..` nest without brackets too.
        if (bytes[i].is_ascii_alphabetic() || bytes[i] == b'_')
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
        {
            let end = bytes[i..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                .map_or(bytes.len(), |n| i + n);
            let word = &bytes[i..end];
            if word == b"else" {
                elses += 1;
            }
            if matches!(word, b"return" | b"break" | b"move" | b"else") {
                ops += 1;
            }
            if elses > MAX_CHAIN || ops > MAX_CHAIN {
                return Some(
                    Diagnostic::error(
                        Span::new(i, end),
                        format!("more than {MAX_CHAIN} `else` branches or operators in a row"),
                    )
                    .with_label("too long")
                    .with_help("split the code into helper functions"),
                );
            }
            i = end;
            continue;
        }
        if b"+-*/%^|&<>.![(=".contains(&bytes[i]) {
            ops += 1;
            if ops > MAX_CHAIN {
                return Some(
                    Diagnostic::error(
                        Span::new(i, i + 1),
                        format!("more than {MAX_CHAIN} operators in one statement"),
                    )
                    .with_label("too long")
                    .with_help("split the expression using `let` bindings or helper functions"),
                );
            }
        }
        if matches!(bytes[i], b';' | b'{' | b'}') {
            ops = 0;
        }
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut nest = 0usize;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        nest += 1;
                        i += 1;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        nest -= 1;
                        i += 1;
                        if nest == 0 {
                            break;
                        }
                    }
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(
                        Diagnostic::error(
                            Span::new(i, i + 1),
                            format!("nesting deeper than {max} levels"),
                        )
                        .with_label("too deeply nested")
                        .with_help("split the code into helper functions"),
                    );
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}
