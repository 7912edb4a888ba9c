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

/// Longest line a diagnostic shows whole, in bytes; a longer one is cut around the place it marks.
pub const MAX_SHOWN_LINE: usize = 512;
/// Characters kept either side of the marked place when a line is cut (more than a terminal shows).
pub const SHOWN_CONTEXT: usize = 200;

/// A model's text with a precomputed line table.
///
/// Locating an offset is a binary search, never a scan: the line in `line_starts`, and the column
/// (in characters) from the byte distance minus the extra bytes of the multi-byte characters in
/// between, found in `multibyte`. A diagnostic on a 70 KB line used to count that line's characters
/// every time, which made 10,000 of them take seconds.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
    /// For each character longer than one byte: its offset, and the extra bytes (beyond one per
    /// character) of all such characters up to and including it. Empty for ASCII text.
    multibyte: Vec<(u32, u32)>,
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
        let mut multibyte = Vec::new();
        if !text.is_ascii() {
            let mut extra = 0u32;
            for (i, c) in text.char_indices() {
                if c.len_utf8() > 1 {
                    extra += c.len_utf8() as u32 - 1;
                    multibyte.push((i as u32, extra));
                }
            }
        }
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            multibyte,
        }
    }

    /// The largest character boundary at or before `offset` (clamped to the text).
    pub fn floor_char_boundary(&self, offset: usize) -> usize {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// Extra bytes of the multi-byte characters starting before byte `offset`.
    fn extra_before(&self, offset: usize) -> usize {
        let i = self
            .multibyte
            .partition_point(|&(o, _)| (o as usize) < offset);
        i.checked_sub(1).map_or(0, |i| self.multibyte[i].1 as usize)
    }

    /// Characters in `lo..hi` (byte offsets on character boundaries, `lo <= hi`).
    pub fn chars_between(&self, lo: usize, hi: usize) -> usize {
        (hi - lo) - (self.extra_before(hi) - self.extra_before(lo))
    }

    /// The 1-based line of a byte offset (clamped to the text).
    pub fn line_of(&self, offset: u32) -> usize {
        let offset = offset.min(self.text.len() as u32);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Byte range of a 1-based line, without its line break (empty past the last line).
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return self.text.len()..self.text.len();
        };
        let end = self
            .line_starts
            .get(line)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        let text = self.text[start as usize..end].trim_end_matches(['\n', '\r']);
        start as usize..start as usize + text.len()
    }

    /// 1-based line and column (in characters) of a byte offset. `O(log n)`.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.line_starts[line - 1] as usize;
        let end = self.floor_char_boundary(offset as usize).max(start);
        (line, self.chars_between(start, end) + 1)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        &self.text[self.line_range(line)]
    }

    /// The part of a 1-based line to show for a mark on bytes `lo..hi` of it: the whole line when
    /// it is at most [`MAX_SHOWN_LINE`] bytes long, else [`SHOWN_CONTEXT`] characters either side
    /// of the mark, so that rendering a diagnostic costs what it shows, not the length of its line.
    pub fn shown_range(&self, line: usize, lo: usize, hi: usize) -> std::ops::Range<usize> {
        let whole = self.line_range(line);
        if whole.len() <= MAX_SHOWN_LINE {
            return whole;
        }
        let lo = self.floor_char_boundary(lo.clamp(whole.start, whole.end));
        let hi = self.floor_char_boundary(hi.clamp(lo, whole.end));
        let text = &self.text;
        let start = text[whole.start..lo]
            .char_indices()
            .rev()
            .nth(SHOWN_CONTEXT - 1)
            .map_or(whole.start, |(i, _)| whole.start + i);
        let end = text[hi..whole.end]
            .char_indices()
            .nth(SHOWN_CONTEXT)
            .map_or(whole.end, |(i, _)| hi + i);
        start..end
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
            // The span's first line, cut to a window around the span when it is long.
            let l = file.line_of(span.lo);
            let whole = file.line_range(l);
            let lo = file
                .floor_char_boundary(span.lo as usize)
                .clamp(whole.start, whole.end);
            let hi = if file.line_of(span.hi) == l {
                file.floor_char_boundary(span.hi as usize).max(lo)
            } else {
                whole.end
            };
            let shown = file.shown_range(l, lo, hi);
            let (before, after) = (
                if shown.start > whole.start { "..." } else { "" },
                if shown.end < whole.end { "..." } else { "" },
            );
            let text = &file.text[shown.clone()];
            out.push_str(&format!("{l:>gutter$} | {before}{text}{after}\n"));
            let indent = before.len() + file.chars_between(shown.start, lo);
            let width = file.chars_between(lo, hi.min(shown.end)).max(1);
            let marks: String = std::iter::repeat_n(mark, width).collect();
            out.push_str(&format!(
                "{:gutter$} | {}{} {}\n",
                "",
                " ".repeat(indent),
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

/// Keep the first `max` diagnostics of a list in source order and replace the rest by one error
/// saying how many more there are, pointing at the first of them. A front-end stage reports at most
/// `max + 1` diagnostics per file: a model with thousands of mistakes (a 10,000-entry `//@ expect:`
/// line) is reported in time proportional to what is shown, and the first errors are the ones to
/// fix (later ones are often consequences).
pub fn cap_errors(mut diags: Vec<Diagnostic>, max: usize) -> Vec<Diagnostic> {
    if diags.len() <= max {
        return diags;
    }
    let hidden = diags.split_off(max);
    let n = hidden.len();
    diags.push(
        Diagnostic::error(
            hidden[0].span,
            format!("{n} more error{} not shown", if n == 1 { "" } else { "s" }),
        )
        .with_label("the next one is here")
        .with_help(format!(
            "only the first {max} errors are reported; fix them and run again"
        )),
    );
    diags
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

    proptest::proptest! {
        /// Lines and columns from the index agree with counting from the start of the text.
        #[test]
        fn line_col_agrees_with_counting(text in "[a\né∀𝄞\r ]{0,60}", at in 0usize..80) {
            let f = SourceFile::new("m.weft", text.as_str());
            let offset = at.min(text.len());
            let mut end = offset;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let before = &text[..end];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            proptest::prop_assert_eq!(f.line_col(offset as u32), (line, col));
        }
    }

    #[test]
    fn a_long_line_is_shown_around_the_span() {
        let mut text = String::from("//@ expect: ");
        text.push_str(&"bogus, ".repeat(10_000));
        text.push('\n');
        let f = SourceFile::new("m.weft", text.as_str());
        let at = 12 + 7 * 5_000;
        let d = Diagnostic::error(Span::new(at, at + 5), "unknown violation kind `bogus`")
            .with_label("not a kind of violation");
        let out = d.render(&f);
        assert!(out.contains(&format!("--> m.weft:1:{}\n", at + 1)), "{out}");
        let shown = out.lines().nth(3).expect("the source line");
        assert!(
            shown.starts_with(" 1 | ...") && shown.ends_with("..."),
            "{shown}"
        );
        assert!(shown.len() < 2 * SHOWN_CONTEXT + 20, "{shown}");
        // The carets sit under the span in the cut line.
        let carets = out.lines().nth(4).expect("the marks");
        let column = carets.find('^').expect("carets");
        assert_eq!(&shown[column..column + 5], "bogus", "{out}");
        assert_eq!(carets[column..].trim_end(), "^^^^^ not a kind of violation");
    }

    #[test]
    fn errors_past_the_cap_are_counted_in_one() {
        let diags: Vec<Diagnostic> = (0..120)
            .map(|i| Diagnostic::error(Span::new(i, i + 1), format!("e{i}")))
            .collect();
        let capped = cap_errors(diags.clone(), 50);
        assert_eq!(capped.len(), 51);
        assert_eq!(capped[..50], diags[..50]);
        assert_eq!(capped[50].message, "70 more errors not shown");
        assert_eq!(capped[50].span, Span::new(50, 51));
        assert_eq!(cap_errors(diags[..50].to_vec(), 50), diags[..50]);
        assert_eq!(
            cap_errors(diags[..51].to_vec(), 50)[50].message,
            "1 more error not shown"
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(similar_name("COUNTER", ["COUNT", "M"]), Some("COUNT"));
        assert_eq!(similar_name("x", ["COUNT"]), None);
    }
}
