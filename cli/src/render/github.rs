//! `weft check --format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's files. One command per finding (`findings.rs`): `::error`
//! for a violation, compile error or unmet header line, `::notice` for a violation the model's
//! header expects (the model passes with it), and `::warning` for a model whose run gave no answer.
//! The command prints the usual human output after each model's commands, so the log still reads
//! as it does without the flag (the runner hides the command lines themselves).

use super::findings::{findings, notice, Finding, Level, NoticeKind};
use crate::model::Checked;

/// Escape a command's message as the runner decodes it (`%`, CR and LF), so a multi-line message
/// stays one command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: as a message, and also `:` and `,`, which separate properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `::NAME key=value,...::message` with the properties and the message escaped.
fn command(name: &str, properties: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    format!("::{name} {}::{}\n", props.join(","), escape_data(message))
}

fn finding_command(f: &Finding<'_>) -> String {
    let name = match f.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Expected => "notice",
    };
    let mut properties = vec![("file", f.path.display().to_string())];
    if let Some(r) = f.region {
        properties.push(("line", r.start_line.to_string()));
        // GitHub places columns only within one line (its check-run annotations refuse columns
        // on a range of lines), so a region over several lines gives lines only.
        if r.start_line == r.end_line {
            properties.push(("col", r.start_column.to_string()));
            properties.push(("endLine", r.end_line.to_string()));
            properties.push(("endColumn", r.end_column.to_string()));
        } else {
            properties.push(("endLine", r.end_line.to_string()));
        }
    }
    let title = match f.memory_model {
        Some(m) => format!("weft {} [{m}]", f.rule),
        None => format!("weft {}", f.rule),
    };
    properties.push(("title", title));
    command(name, &properties, &f.message)
}

/// The workflow commands for one checked model, one line each.
pub fn commands(one: &Checked) -> String {
    let mut out: String = findings(one).iter().map(finding_command).collect();
    if let Some(n) = notice(one) {
        let (name, title) = match n.kind {
            NoticeKind::Incomplete => ("warning", "weft incomplete"),
            NoticeKind::Skipped => ("warning", "weft skipped"),
            NoticeKind::Unreadable => ("error", "weft error"),
            // Each of its errors is a command of its own, at its place.
            NoticeKind::DoesNotCompile => return out,
        };
        let properties = [
            ("file", n.path.display().to_string()),
            ("title", title.to_string()),
        ];
        out.push_str(&command(name, &properties, &n.message));
    }
    out
}

/// An error outside any model (a path that cannot be read), as a command without a file.
pub fn error_command(message: &str) -> String {
    command("error", &[("title", "weft error".to_string())], message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped_as_the_runner_decodes_them() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
        assert_eq!(
            command(
                "error",
                &[("file", "a,b.weft".into()), ("title", "weft x".into())],
                "m\nn"
            ),
            "::error file=a%2Cb.weft,title=weft x::m%0An\n"
        );
    }

    #[test]
    fn errors_outside_models_have_no_file() {
        assert_eq!(
            error_command("cannot read `x`: no such file or directory"),
            "::error title=weft error::cannot read `x`: no such file or directory\n"
        );
    }
}
