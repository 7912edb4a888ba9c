//! `weft check --format sarif`: a SARIF 2.1.0 log (the OASIS format GitHub code scanning and SARIF
//! viewers read). One run for the whole command: the tool and its rules (one per violation kind,
//! plus compile errors and unmet header lines), the model files as artifacts, one result per
//! finding (`findings.rs`) with its interleaving as a code flow a viewer can step through, and one
//! invocation that says whether every model got an answer (and, per model, why not).
//!
//! Built with serde_json's `json!` rather than a typed SARIF crate: the log uses a small part of
//! the format, and `tests/tests/cli_ci_formats.rs` validates it against the official schema.

use std::path::{Component, Path};

use serde_json::{json, Map, Value};
use weft::trace::Trace;
use weft::{SourceFile, ViolationKind};

use super::findings::{
    findings, notice, Finding, Level, Notice, NoticeKind, Region, COMPILE_ERROR, HEADER_NOT_MET,
};
use super::plural;
use super::table::cell_text;
use crate::model::{CheckResult, Checked};

/// The schema a SARIF 2.1.0 log names (the OASIS standard, errata 01).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Relative paths are relative to where weft ran, normally the repository's root: the base id
/// GitHub code scanning and CodeQL use for it.
const SOURCE_ROOT: &str = "%SRCROOT%";

/// A rule: its id, a name, a short and a full description, and what to do about it.
struct Rule {
    id: &'static str,
    name: &'static str,
    short: &'static str,
    full: &'static str,
    help: &'static str,
}

const STEP_THROUGH: &str =
    "Step through the interleaving (the result's code flow, or `weft replay` \
with the trace file named in the message) to see the order of operations that leads there.";

fn kind_rule(kind: ViolationKind) -> Rule {
    let id = kind.as_str();
    let (name, short, full, help) = match kind {
        ViolationKind::AssertionFailure => (
            "AssertionFailure",
            "An assertion fails in some interleaving",
            "An `assert!`, `assert_eq!`, `panic!` or `unreachable!` of the model (in a thread or in \
             its `final` block) fails in at least one interleaving of its threads.",
            "Find the order of operations that breaks the assertion, then add the synchronisation \
             (a lock, an atomic read-modify-write, release/acquire ordering) that rules it out.",
        ),
        ViolationKind::Deadlock => (
            "Deadlock",
            "Threads can block forever",
            "A reachable state in which some thread has not finished and no thread can move: each \
             waits for a lock, a condition variable, a channel or a join that never comes.",
            "The interleaving ends in the deadlocked state: see what each blocked thread waits for, \
             then take locks in one global order, or notify the condition a sleeper waits on.",
        ),
        ViolationKind::DataRace => (
            "DataRace",
            "Two unordered accesses to the same location",
            "Two accesses to the same non-atomic location, at least one a write, by different \
             threads, that happens-before does not order (under the model's memory model).",
            "Protect the location with a lock, make it atomic, or order the two accesses with \
             release/acquire synchronisation. The related location is the other access.",
        ),
        ViolationKind::Livelock => (
            "Livelock",
            "Threads can run forever without finishing",
            "A reachable state from which no execution can finish: the threads keep moving, or \
             spinning, in a cycle.",
            "The interleaving's last steps form the cycle, which can repeat forever: make the \
             waiting threads' progress depend on something the others eventually do.",
        ),
        ViolationKind::LockMisuse => (
            "LockMisuse",
            "A lock or join is misused",
            "Unlocking a mutex the thread does not hold, locking one it already holds (a \
             self-deadlock in Rust), waiting on a condition variable with a released guard, \
             finishing while holding a lock, or joining a thread twice.",
            "Pair every lock with one unlock by the same thread, and join each thread once.",
        ),
        ViolationKind::Overflow => (
            "Overflow",
            "Arithmetic overflows",
            "Integer arithmetic overflows, divides by zero or shifts by 64 or more, as a debug \
             build of Rust would panic.",
            "Bound the values that reach the operation, or use wrapping atomics where wrapping is \
             meant.",
        ),
        ViolationKind::IndexOutOfBounds => (
            "IndexOutOfBounds",
            "An index is out of bounds",
            "An array is indexed outside its bounds in some interleaving.",
            "Check the index against the array's length, or make the value that feeds it \
             unable to grow past it.",
        ),
    };
    Rule {
        id,
        name,
        short,
        full,
        help,
    }
}

fn rules() -> Vec<Rule> {
    let mut rules: Vec<Rule> = ViolationKind::ALL.into_iter().map(kind_rule).collect();
    rules.push(Rule {
        id: COMPILE_ERROR,
        name: "CompileError",
        short: "The model does not compile",
        full: "The model has a syntax, name or type error, so it could not be checked.",
        help: "Fix the error at the location shown; `weft check MODEL` prints it rustc-style, \
               often with a `help:` line.",
    });
    rules.push(Rule {
        id: HEADER_NOT_MET,
        name: "HeaderNotMet",
        short: "The model does not meet its header",
        full: "The violations found differ from the model's `//@ expect:` line, or an \
               `//@ outcome allowed:` / `//@ outcome forbidden:` line does not hold.",
        help: "Either the model changed behaviour (a bug appeared, or the one it demonstrates \
               is gone) or the header is out of date: `weft check MODEL` shows what was found.",
    });
    rules
}

fn rule_value(rule: &Rule) -> Value {
    let help = if rule.id == COMPILE_ERROR || rule.id == HEADER_NOT_MET {
        rule.help.to_string()
    } else {
        format!("{} {STEP_THROUGH}", rule.help)
    };
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.short },
        "fullDescription": { "text": rule.full },
        "help": { "text": help },
        "defaultConfiguration": { "level": "error" },
        "properties": { "tags": ["concurrency", "correctness"], "precision": "very-high" },
    })
}

/// Percent-encode a path for a URI: every byte but unreserved characters and `/`.
fn encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The artifact location of a model: relative to the source root as given, or a `file:` URI for
/// an absolute path. Separators are `/` on every platform.
fn artifact_location(path: &Path) -> Value {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
        })
        .collect();
    let joined = parts.join("/");
    if path.is_absolute() || path.has_root() {
        let prefix = match path.components().next() {
            Some(Component::Prefix(p)) => format!("/{}/", p.as_os_str().to_string_lossy()),
            _ => "/".to_string(),
        };
        json!({ "uri": format!("file://{}", encode_path(&format!("{prefix}{joined}"))) })
    } else {
        json!({ "uri": encode_path(&joined), "uriBaseId": SOURCE_ROOT })
    }
}

fn region_value(r: Region) -> Value {
    json!({
        "startLine": r.start_line,
        "startColumn": r.start_column,
        "endLine": r.end_line,
        "endColumn": r.end_column,
    })
}

/// A physical location in a model, optionally with a region.
fn physical(path: &Path, artifacts: &[&Path], region: Option<Region>) -> Value {
    let mut artifact = artifact_location(path);
    if let Some(index) = artifacts.iter().position(|a| *a == path) {
        artifact["index"] = json!(index);
    }
    let mut location = json!({ "artifactLocation": artifact });
    if let Some(r) = region {
        location["region"] = region_value(r);
    }
    location
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Expected => "note",
    }
}

/// The interleaving of a violation as one thread flow in execution order: each step's location,
/// with the thread and the operation, so a viewer steps through it as it ran.
fn code_flow(trace: &Trace, file: &SourceFile, path: &Path, artifacts: &[&Path]) -> Value {
    let shows_at = trace.violation.as_ref().map(|v| v.step).unwrap_or(0);
    let locations: Vec<Value> = trace
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let n = i + 1;
            let mut text = format!(
                "step {n}, thread `{}`: {}",
                step.thread_name,
                cell_text(step)
            );
            if trace.cycle_start == Some(i) {
                text.push_str(" (from this step on, the steps repeat forever)");
            }
            if let Some(v) = trace.violation.as_ref().filter(|_| n == shows_at) {
                text.push_str(&format!(" <- {}", v.kind));
            }
            let region = Region::of(file, step.span);
            json!({
                "location": {
                    "physicalLocation": physical(path, artifacts, Some(region)),
                    "message": { "text": text },
                },
                "executionOrder": n,
                "importance": if n == shows_at { "essential" } else { "important" },
            })
        })
        .collect();
    let summary = format!(
        "the interleaving: {}, {}",
        plural(trace.steps.len(), "step", "steps"),
        plural(trace.preemptions as usize, "preemption", "preemptions")
    );
    json!({
        "message": { "text": summary },
        "threadFlows": [{ "id": "interleaving", "locations": locations }],
    })
}

fn result_value(f: &Finding<'_>, rule_index: usize, artifacts: &[&Path]) -> Value {
    let mut result = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level_name(f.level),
        "message": { "text": f.message },
        "locations": [{ "physicalLocation": physical(f.path, artifacts, f.region) }],
    });
    if !f.related.is_empty() {
        result["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, (region, label))| {
                json!({
                    "id": i + 1,
                    "physicalLocation": physical(f.path, artifacts, Some(*region)),
                    "message": { "text": label },
                })
            })
            .collect();
    }
    let mut properties = Map::new();
    if let Some(m) = f.memory_model {
        properties.insert("memoryModel".into(), json!(m.as_str()));
    }
    if let Some((v, file)) = f.violation {
        result["codeFlows"] = json!([code_flow(&v.trace, file, f.path, artifacts)]);
        if let Some(thread) = &v.thread_name {
            result["locations"][0]["message"] = json!({ "text": format!("in thread `{thread}`") });
            properties.insert("thread".into(), json!(thread));
        }
        properties.insert("steps".into(), json!(v.steps));
        properties.insert("preemptions".into(), json!(v.preemptions));
        properties.insert("memoryModel".into(), json!(v.trace.memory_model.as_str()));
        if let Some(trace) = f.trace {
            properties.insert("trace".into(), json!(trace.display().to_string()));
        }
    }
    if f.level == Level::Expected {
        // The model's header expects this bug (it demonstrates it): reported, but suppressed in
        // the source, so viewers that honour suppressions do not count it as open.
        result["suppressions"] = json!([{
            "kind": "inSource",
            "justification": format!("the model's `//@ expect:` header lists {}", f.rule),
        }]);
    }
    if !properties.is_empty() {
        result["properties"] = Value::Object(properties);
    }
    result
}

fn notification(n: &Notice<'_>, artifacts: &[&Path]) -> Value {
    let id = match n.kind {
        NoticeKind::Incomplete => "incomplete",
        NoticeKind::Skipped => "skipped",
        NoticeKind::Unreadable => "unreadable",
        NoticeKind::DoesNotCompile => "does-not-compile",
    };
    json!({
        "descriptor": { "id": id },
        "level": if n.is_error() { "error" } else { "warning" },
        "message": { "text": n.message },
        "locations": [{ "physicalLocation": physical(n.path, artifacts, None) }],
    })
}

/// What each exit status means, for the invocation.
fn exit_description(code: i32) -> &'static str {
    match code {
        0 => "every check holds",
        1 => "a violation was found, or a model does not meet its header",
        2 => "a usage, compile or I/O error",
        _ => "incomplete: a limit or Ctrl-C stopped a search before an answer",
    }
}

/// The SARIF log of a `weft check` run. `exit_code` is the status the command exits with, and
/// `errors` the errors it met outside any model (a path that cannot be read, a file that cannot
/// be written), each said on standard error too.
pub fn sarif_log(models: &[Checked], exit_code: i32, errors: &[String]) -> Value {
    let rules = rules();
    // Each model file once, in the order checked (with `--memory-model all` a model runs several
    // times; an unreadable one has nothing to point into).
    let mut artifacts: Vec<&Path> = Vec::new();
    for m in models {
        let readable = !matches!(m.result, CheckResult::Error(crate::model::LoadError::Io(_)));
        if readable && !artifacts.contains(&m.path.as_path()) {
            artifacts.push(&m.path);
        }
    }
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for m in models {
        for f in findings(m) {
            let index = rules.iter().position(|r| r.id == f.rule).unwrap_or(0);
            results.push(result_value(&f, index, &artifacts));
        }
        if let Some(n) = notice(m) {
            notifications.push(notification(&n, &artifacts));
        }
        if let CheckResult::Done(done) = &m.result {
            if done.traces.iter().any(Option::is_none) {
                notifications.push(json!({
                    "descriptor": { "id": "trace-not-written" },
                    "level": "error",
                    "message": { "text": format!(
                        "{}: a trace file could not be written (standard error says why)",
                        m.path.display()
                    ) },
                }));
            }
        }
    }
    for e in errors {
        notifications.push(json!({
            "descriptor": { "id": "error" },
            "level": "error",
            "message": { "text": e },
        }));
    }
    let mut driver = json!({
        "name": "weft",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules.iter().map(rule_value).collect::<Vec<_>>(),
    });
    // The documentation's address, once the package names its repository.
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    if !repository.is_empty() {
        driver["informationUri"] = json!(format!("{repository}/blob/main/docs/cli.md"));
    }
    let artifact_values: Vec<Value> = artifacts
        .iter()
        .map(|p| json!({ "location": artifact_location(p), "roles": ["analysisTarget"] }))
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [{
                "executionSuccessful": notifications.is_empty() && exit_code != 2,
                "exitCode": exit_code,
                "exitCodeDescription": exit_description(exit_code),
                "toolExecutionNotifications": notifications,
            }],
            "artifacts": artifact_values,
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            artifact_location(Path::new("models/a b/x%.weft")),
            json!({ "uri": "models/a%20b/x%25.weft", "uriBaseId": SOURCE_ROOT })
        );
        assert_eq!(
            artifact_location(Path::new("./m.weft")),
            json!({ "uri": "m.weft", "uriBaseId": SOURCE_ROOT })
        );
        assert_eq!(
            artifact_location(Path::new("../é.weft")),
            json!({ "uri": "../%C3%A9.weft", "uriBaseId": SOURCE_ROOT })
        );
        if cfg!(unix) {
            assert_eq!(
                artifact_location(Path::new("/tmp/m.weft")),
                json!({ "uri": "file:///tmp/m.weft" })
            );
        }
    }

    #[test]
    fn every_kind_has_a_rule_and_rule_ids_are_unique() {
        let rules = rules();
        for kind in ViolationKind::ALL {
            assert!(rules.iter().any(|r| r.id == kind.as_str()), "{kind}");
        }
        let mut ids: Vec<&str> = rules.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), rules.len());
    }
}
