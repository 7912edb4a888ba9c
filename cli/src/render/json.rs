//! The command line's JSON documents (`--format json`), schemas in docs/cli.md. Each has a `format`
//! name and a `version`; keys come out sorted (serde_json's map), so the order is stable.
//! `weft check` embeds the library's own report document (`weft-report`) for each model.

use std::path::Path;

use serde_json::{json, Value};
use weft::trace::{Replay, ReplayEnd, Trace, TraceStep};
use weft::Report;

use crate::model::{CheckResult, Checked};

/// The version of every document defined here.
pub const CLI_FORMAT_VERSION: u32 = 1;

/// The document as text: objects one key per line, except that an array element whose values are
/// all flat (scalars, or arrays of them) stays on one line, like a trace step in a trace file. So a
/// document reads top-down, and a list of steps or outcomes reads one per line.
pub fn to_text(doc: &Value) -> String {
    let mut out = String::new();
    write_block(&mut out, doc, 0);
    out.push('\n');
    out
}

fn is_flat(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().all(|i| !i.is_object() && is_flat(i)),
        Value::Object(_) => false,
        _ => true,
    }
}

/// An element that goes on one line: flat, or an object of flat values.
fn is_inline(v: &Value) -> bool {
    match v {
        Value::Object(map) => map.values().all(is_flat),
        v => is_flat(v),
    }
}

fn scalar(v: &Value) -> String {
    // A scalar `Value` always serialises.
    serde_json::to_string(v).unwrap_or_default()
}

fn write_inline(out: &mut String, v: &Value) {
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_inline(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&scalar(&Value::String(k.clone())));
                out.push_str(": ");
                write_inline(out, item);
            }
            out.push('}');
        }
        v => out.push_str(&scalar(v)),
    }
}

fn write_block(out: &mut String, v: &Value, indent: usize) {
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (k, item)) in map.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&scalar(&Value::String(k.clone())));
                out.push_str(": ");
                write_block(out, item, indent + 1);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() && !is_flat(v) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                if is_inline(item) {
                    write_inline(out, item);
                } else {
                    write_block(out, item, indent + 1);
                }
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        v => write_inline(out, v),
    }
}

fn path_text(path: &Path) -> String {
    path.display().to_string()
}

/// The library's report document as a value.
fn report_value(report: &Report) -> Value {
    serde_json::from_str(&report.to_json()).unwrap_or(Value::Null)
}

/// `weft-check`: every model of a `weft check` run and the summary counts.
pub fn check_doc(models: &[Checked]) -> Value {
    let entries: Vec<Value> = models
        .iter()
        .map(|m| {
            let (report, traces, diagnostics) = match &m.result {
                CheckResult::Skipped => (Value::Null, json!([]), json!([])),
                CheckResult::Error(e) => (Value::Null, json!([]), e.to_json()),
                CheckResult::Done(done) => {
                    let traces: Vec<Value> = done
                        .traces
                        .iter()
                        .map(|t| t.as_deref().map(path_text).map_or(Value::Null, Value::from))
                        .collect();
                    (report_value(&done.report), json!(traces), json!([]))
                }
            };
            json!({
                "path": path_text(&m.path),
                "status": m.status_name(),
                "report": report,
                "traces": traces,
                "diagnostics": diagnostics,
            })
        })
        .collect();
    let count = |name: &str| models.iter().filter(|m| m.status_name() == name).count();
    let passed = count("passed");
    let skipped = count("skipped");
    json!({
        "format": "weft-check",
        "version": CLI_FORMAT_VERSION,
        "models": entries,
        "summary": {
            "passed": passed,
            "failed": models.len() - passed - skipped,
            "skipped": skipped,
        },
    })
}

fn step_value(s: &TraceStep) -> Value {
    json!({
        "thread": s.thread,
        "choice": s.choice,
        "thread_name": s.thread_name,
        "operation": s.operation,
        "location": s.location,
        "reads": s.reads,
        "writes": s.writes,
    })
}

/// `weft-replay`: the steps as they ran, how the execution ended, and the violation reproduced.
pub fn replay_doc(model: &Path, trace_path: &Path, trace: &Trace, replay: &Replay) -> Value {
    let (end, outcome) = match &replay.end {
        ReplayEnd::Running => ("running", Value::Null),
        ReplayEnd::Finished { outcome } => ("finished", json!(outcome)),
        ReplayEnd::Deadlock => ("deadlock", Value::Null),
        ReplayEnd::Stopped => ("stopped", Value::Null),
        ReplayEnd::Discarded => ("discarded", Value::Null),
    };
    let violation = match (&trace.violation, &replay.violation) {
        (Some(recorded), Some(found)) => json!({
            "kind": found.kind.as_str(),
            "message": found.message,
            "location": recorded.location,
            "step": recorded.step,
        }),
        _ => Value::Null,
    };
    let result = if violation.is_null() {
        "no-violation"
    } else {
        "reproduced"
    };
    json!({
        "format": "weft-replay",
        "version": CLI_FORMAT_VERSION,
        "model": path_text(model),
        "trace": path_text(trace_path),
        "result": result,
        "error": null,
        "steps": replay.steps.iter().map(step_value).collect::<Vec<_>>(),
        "cycle_start": trace.cycle_start,
        "end": end,
        "outcome": outcome,
        "violation": violation,
    })
}

/// `weft-replay` for a trace that does not fit (or does not read).
pub fn replay_error_doc(model: &Path, trace_path: &Path, error: &str) -> Value {
    json!({
        "format": "weft-replay",
        "version": CLI_FORMAT_VERSION,
        "model": path_text(model),
        "trace": path_text(trace_path),
        "result": "does-not-fit",
        "error": error,
        "steps": [],
        "cycle_start": null,
        "end": null,
        "outcome": null,
        "violation": null,
    })
}

/// `weft-outcomes`: the reachable final outcomes and the header's outcome lines.
pub fn outcomes_doc(model: &Path, report: &Report) -> Value {
    let outcomes: Vec<Value> = report
        .outcomes
        .iter()
        .map(|(values, states)| json!({ "values": values, "states": states }))
        .collect();
    let checks: Vec<Value> = report
        .expectation
        .iter()
        .flat_map(|e| e.checks.iter())
        .filter(|c| c.directive.starts_with("outcome"))
        .map(|c| json!({ "directive": c.directive, "passed": c.passed, "detail": c.detail }))
        .collect();
    let limit = match report.verdict {
        weft::Verdict::Incomplete { limit } => Value::from(limit.as_str()),
        _ => Value::Null,
    };
    json!({
        "format": "weft-outcomes",
        "version": CLI_FORMAT_VERSION,
        "model": path_text(model),
        "complete": report.is_complete(),
        "limit": limit,
        "final_states": report.stats.finished,
        "outcomes": outcomes,
        "checks": checks,
        "violations": report.violations.len(),
        "memory_model": report.memory_model.as_str(),
    })
}

/// `weft outcomes --memory-model all`: one `weft-outcomes` document per memory model.
pub fn outcomes_by_model_doc(model: &Path, reports: &[(weft::MemoryModel, Report)]) -> Value {
    json!({
        "format": "weft-outcomes-by-model",
        "version": CLI_FORMAT_VERSION,
        "model": path_text(model),
        "by_model": reports.iter().map(|(_, r)| outcomes_doc(model, r)).collect::<Vec<_>>(),
    })
}

/// One entry of `weft-parse`.
pub fn parse_entry(path: &Path, summary: Option<String>, diagnostics: Value) -> Value {
    json!({
        "path": path_text(path),
        "ok": summary.is_some(),
        "summary": summary,
        "diagnostics": diagnostics,
    })
}

/// `weft-parse`: each model's summary or errors.
pub fn parse_doc(entries: Vec<Value>) -> Value {
    json!({
        "format": "weft-parse",
        "version": CLI_FORMAT_VERSION,
        "models": entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_keeps_flat_elements_on_one_line() {
        let doc = json!({
            "b": [{"x": 1, "y": [["R1", 0]]}, {"x": 2, "y": []}],
            "a": {"n": null, "s": "q\"uote", "e": {}, "l": []},
        });
        let text = to_text(&doc);
        assert_eq!(
            text,
            "{\n  \"a\": {\n    \"e\": {},\n    \"l\": [],\n    \"n\": null,\n    \"s\": \"q\\\"uote\"\n  },\n  \
             \"b\": [\n    {\"x\": 1, \"y\": [[\"R1\", 0]]},\n    {\"x\": 2, \"y\": []}\n  ]\n}\n"
        );
        let back: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, doc);
    }
}
