//! Source text, spans and diagnostics: the vocabulary every front-end pass uses to point at user code.
//!
//! A [`Diagnostic`] is plain data (message, primary span, secondary labels, `help:` notes). Rendering in
//! rustc style is the CLI's job; [`SourceFile::line_col`] gives it the 1-based positions it needs.

use std::fmt;
use std::sync::Arc;

/// A byte range `lo..hi` into one [`SourceFile`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub lo: u32,
    pub hi: u32,
}

impl Span {
    pub const DUMMY: Span = Span { lo: 0, hi: 0 };

    pub fn new(lo: usize, hi: usize) -> Span {
        Span {
            lo: lo as u32,
            hi: hi as u32,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }

    pub fn len(self) -> usize {
        (self.hi - self.lo) as usize
    }

    pub fn is_empty(self) -> bool {
        self.hi == self.lo
    }
}

/// A model's text with a precomputed line table.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceFile {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = offset.min(self.text.len() as u32);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        (line + 1, col)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }

    /// `file:line:col` of a span's start.
    pub fn location(&self, span: Span) -> String {
        let (line, col) = self.line_col(span.lo);
        format!("{}:{}:{}", self.name, line, col)
    }

    pub fn snippet(&self, span: Span) -> &str {
        let lo = (span.lo as usize).min(self.text.len());
        let hi = (span.hi as usize).min(self.text.len()).max(lo);
        self.text.get(lo..hi).unwrap_or("")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A located message about user input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Text under the primary caret (may be empty).
    pub label: String,
    /// Secondary spans with their labels.
    pub notes: Vec<(Span, String)>,
    /// `help:` lines.
    pub help: Vec<String>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            label: String::new(),
            notes: Vec::new(),
            help: Vec::new(),
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn with_note(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.notes.push((span, label.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help.push(help.into());
        self
    }

    /// A plain-text rendering without colours, in rustc's layout (used by tests and the library's
    /// `Display` of errors; the CLI has its own coloured renderer).
    pub fn render(&self, file: &SourceFile) -> String {
        let mut out = String::new();
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let (line, col) = file.line_col(self.span.lo);
        let gutter = line.to_string().len().max(2);
        out.push_str(&format!("{sev}: {}\n", self.message));
        out.push_str(&format!(
            "{:gutter$}--> {}:{}:{}\n",
            "", file.name, line, col
        ));
        let mut spans = vec![(self.span, self.label.as_str(), '^')];
        spans.extend(self.notes.iter().map(|(s, l)| (*s, l.as_str(), '-')));
        out.push_str(&format!("{:gutter$} |\n", ""));
        for (span, label, mark) in spans {
            let (l, c) = file.line_col(span.lo);
            let text = file.line_text(l);
            let (l_end, c_end) = file.line_col(span.hi);
            let width = if l_end == l {
                c_end.saturating_sub(c).max(1)
            } else {
                text.chars().count().saturating_sub(c - 1).max(1)
            };
            out.push_str(&format!("{l:>gutter$} | {text}\n"));
            let marks: String = std::iter::repeat_n(mark, width).collect();
            out.push_str(&format!(
                "{:gutter$} | {}{} {}\n",
                "",
                " ".repeat(c - 1),
                marks,
                label
            ));
        }
        for h in &self.help {
            out.push_str(&format!("{:gutter$} = help: {h}\n", ""));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Suggest the candidate closest to `name` (edit distance at most a third of its length, at least 1).
pub fn similar_name<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_and_render() {
        let f = SourceFile::new("m.weft", "static X: int = 0;\nthread t { Y = 1; }\n");
        let span = Span::new(30, 31);
        assert_eq!(f.line_col(span.lo), (2, 12));
        let d = Diagnostic::error(span, "cannot find value `Y` in this scope")
            .with_label("not found")
            .with_help("a static with a similar name exists: `X`");
        let text = d.render(&f);
        assert!(text.contains("--> m.weft:2:12"), "{text}");
        assert!(text.contains(" 2 | thread t { Y = 1; }"), "{text}");
        assert!(text.contains("   |            ^ not found"), "{text}");
    }

    #[test]
    fn suggestions() {
        assert_eq!(similar_name("COUNTER", ["COUNT", "M"]), Some("COUNT"));
        assert_eq!(similar_name("x", ["COUNT"]), None);
    }
}
