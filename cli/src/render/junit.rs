//! The JUnit XML report of `weft check --junit FILE`: one test case per model, for CI systems that
//! show test results. A failure's text is the model's full explanation, without colours.

use std::fmt::Write;

use weft::harness::Status;

use super::check::{full_report, verdict_text};
use crate::diagnostics::Printer;
use crate::model::{CheckResult, Checked};

/// Escape text for XML 1.0 content and attribute values. Characters XML 1.0 cannot carry at all
/// (most control characters) become U+FFFD, so the file always parses.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The XML document.
pub fn junit(models: &[Checked]) -> String {
    let plain = Printer::new(false);
    let count = |f: &dyn Fn(&Checked) -> bool| models.iter().filter(|m| f(m)).count();
    let errors = count(&|m| matches!(m.result, CheckResult::Error(_)));
    let skipped = count(&|m| matches!(m.result, CheckResult::Skipped));
    let failures = models.len() - errors - skipped - count(&|m| m.passed());
    let time: f64 = models.iter().map(|m| m.elapsed.as_secs_f64()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let totals = format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time:.3}\"",
        models.len()
    );
    let _ = writeln!(out, "<testsuites name=\"weft\" {totals}>");
    let _ = writeln!(out, "  <testsuite name=\"weft check\" {totals}>");
    for m in models {
        let path = m.path.display().to_string();
        let classname = m
            .path
            .parent()
            .map(|p| p.display().to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| ".".to_string());
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
            escape(&path),
            escape(&classname),
            m.elapsed.as_secs_f64()
        );
        match &m.result {
            CheckResult::Skipped => {
                out.push_str(">\n      <skipped message=\"interrupted before its turn\"/>\n");
            }
            CheckResult::Error(e) => {
                let _ = write!(
                    out,
                    ">\n      <error message=\"{}\" type=\"error\">{}</error>\n",
                    escape(&e.summary()),
                    escape(&e.render(&plain))
                );
            }
            CheckResult::Done(done) if done.status == Status::Passed => {
                out.push_str(">\n");
                out.push_str(&properties(&done.report));
            }
            CheckResult::Done(done) => {
                out.push_str(">\n");
                out.push_str(&properties(&done.report));
                let mut message = verdict_text(&done.report);
                if let Some(expectation) = &done.report.expectation {
                    for check in expectation.failures() {
                        let _ = write!(message, "; header `{}`: {}", check.directive, check.detail);
                    }
                }
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(&message),
                    done.status.as_str(),
                    escape(&full_report(&plain, m, done))
                );
            }
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// A checked model's properties: the memory model it was checked under, and any approximation.
fn properties(report: &weft::Report) -> String {
    let mut out = String::from("      <properties>\n");
    let _ = writeln!(
        out,
        "        <property name=\"memory_model\" value=\"{}\"/>",
        report.memory_model
    );
    for note in &report.notes {
        let _ = writeln!(
            out,
            "        <property name=\"note\" value=\"{}\"/>",
            escape(note)
        );
    }
    out.push_str("      </properties>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_control_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1b}[0m\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{FFFD}[0m\n"
        );
    }
}
