//! Trace files for the models a harness run did not pass, so that a failure in CI can be replayed
//! (`weft replay MODEL TRACE`) from the files it leaves behind. Each model's traces replace the ones
//! an earlier run wrote for it, so stale traces do not pile up.

use std::fs;
use std::path::{Path, PathBuf};

use std::fmt::Write;

use super::{HarnessOptions, ModelResult};
use crate::report::Report;

/// The file name stem of a model's traces: its name below the folder with `/` as `.`
/// (`basics.lost_update`), so that models in different folders do not share files.
fn stem(name: &str) -> String {
    name.replace(['/', '\\'], ".")
}

/// Is `file` one of the traces written for the model with this stem (`STEM-KIND.json` or
/// `STEM-KIND-N.json`, KIND a violation kind)? `weft check` names its traces the same way.
pub fn is_trace_of(file: &str, stem: &str) -> bool {
    let Some(rest) = file
        .strip_prefix(stem)
        .and_then(|r| r.strip_prefix('-'))
        .and_then(|r| r.strip_suffix(".json"))
    else {
        return false;
    };
    crate::report::ViolationKind::ALL.iter().any(|k| {
        rest.strip_prefix(k.as_str()).is_some_and(|n| {
            n.is_empty()
                || n.strip_prefix('-')
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        })
    })
}

/// Removes the traces an earlier run wrote for this model, then writes one per violation of
/// `report` into `dir`; returns the files written, in violation order. An I/O failure is returned
/// as text for the explanation (the verdict does not depend on it).
pub(crate) fn write(dir: &Path, name: &str, report: &Report) -> Result<Vec<PathBuf>, String> {
    let stem = stem(name);
    let shown = dir.display();
    fs::create_dir_all(dir).map_err(|e| format!("cannot create `{shown}`: {e}"))?;
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    for entry in entries.flatten() {
        let file = entry.file_name();
        if is_trace_of(&file.to_string_lossy(), &stem) {
            fs::remove_file(entry.path())
                .map_err(|e| format!("cannot remove `{}`: {e}", entry.path().display()))?;
        }
    }
    let mut written: Vec<PathBuf> = Vec::new();
    for v in &report.violations {
        let base = format!("{stem}-{}", v.kind.as_str());
        let mut path = dir.join(format!("{base}.json"));
        let mut n = 2;
        while written.contains(&path) {
            path = dir.join(format!("{base}-{n}.json"));
            n += 1;
        }
        fs::write(&path, v.trace.to_json())
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Writes the traces of a model that did not pass, and says where in its explanation.
pub(super) fn leave(result: &mut ModelResult, options: &HarnessOptions) {
    let (Some(dir), Some(report)) = (&options.trace_dir, &result.report) else {
        return;
    };
    if result.passed() || report.violations.is_empty() {
        return;
    }
    match write(dir, &result.name, report) {
        Ok(files) => {
            for file in files {
                let _ = writeln!(
                    result.explanation,
                    "  replay: weft replay {} {}",
                    result.path.display(),
                    file.display()
                );
            }
        }
        Err(problem) => {
            let _ = writeln!(result.explanation, "  (no trace files: {problem})");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_models_traces_are_recognised_and_no_others() {
        assert!(is_trace_of(
            "basics.lost-assertion-failure.json",
            "basics.lost"
        ));
        assert!(is_trace_of("basics.lost-data-race-2.json", "basics.lost"));
        assert!(!is_trace_of(
            "basics.lost_update-data-race.json",
            "basics.lost"
        ));
        assert!(!is_trace_of("basics.lost-notes.json", "basics.lost"));
        assert!(!is_trace_of("basics.lost-data-race.txt", "basics.lost"));
        assert_eq!(stem("locks/ticket"), "locks.ticket");
    }
}
