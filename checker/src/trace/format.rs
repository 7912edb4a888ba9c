//! The versioned JSON form of a trace (`docs/trace-format.md`): serde DTOs and their conversion.
//! These and the report DTOs are the only serde types in the library.

use serde::{Deserialize, Serialize};

use super::{ReplayError, Trace, TraceStep, TraceViolation};
use crate::report::ViolationKind;
use crate::source::Span;

/// The `format` field of every trace file.
pub const FORMAT_NAME: &str = "weft-trace";
/// The version this weft writes. Version 1 (before the weak memory models) is still read: its
/// traces were all found under sequential consistency.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
struct TraceFile {
    format: String,
    version: u32,
    model: String,
    model_hash: String,
    #[serde(default)]
    options_hash: String,
    /// `sc`, `ra` or `rc11`; absent in version 1, which means `sc`.
    #[serde(default)]
    memory_model: Option<String>,
    #[serde(default)]
    preemptions: u32,
    #[serde(default)]
    violation: Option<ViolationDto>,
    #[serde(default)]
    cycle_start: Option<usize>,
    steps: Vec<StepDto>,
}

#[derive(Serialize, Deserialize)]
struct ViolationDto {
    kind: String,
    message: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    span: [u32; 2],
    step: usize,
}

/// Only `thread` and `choice` are needed to replay; the rest describes the step for people.
#[derive(Serialize, Deserialize)]
struct StepDto {
    thread: u32,
    #[serde(default)]
    choice: u32,
    #[serde(default)]
    thread_name: String,
    #[serde(default)]
    operation: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    span: [u32; 2],
    #[serde(default)]
    reads: Vec<(String, i64)>,
    #[serde(default)]
    writes: Vec<(String, i64)>,
}

fn to_dto(trace: &Trace) -> TraceFile {
    TraceFile {
        format: FORMAT_NAME.to_string(),
        version: FORMAT_VERSION,
        model: trace.model.clone(),
        model_hash: trace.model_hash.clone(),
        options_hash: trace.options_hash.clone(),
        memory_model: Some(trace.memory_model.as_str().to_string()),
        preemptions: trace.preemptions,
        violation: trace.violation.as_ref().map(|v| ViolationDto {
            kind: v.kind.as_str().to_string(),
            message: v.message.clone(),
            location: v.location.clone(),
            span: [v.span.lo, v.span.hi],
            step: v.step,
        }),
        cycle_start: trace.cycle_start,
        steps: trace
            .steps
            .iter()
            .map(|s| StepDto {
                thread: s.thread,
                choice: s.choice,
                thread_name: s.thread_name.clone(),
                operation: s.operation.clone(),
                location: s.location.clone(),
                span: [s.span.lo, s.span.hi],
                reads: s.reads.clone(),
                writes: s.writes.clone(),
            })
            .collect(),
    }
}

pub(super) fn to_value(trace: &Trace) -> serde_json::Value {
    // A DTO of strings, integers and lists always serialises.
    serde_json::to_value(to_dto(trace)).unwrap_or(serde_json::Value::Null)
}

pub(super) fn to_json(trace: &Trace) -> String {
    // The file and its violation one field per line; each step on a line of its own.
    super::to_json_layout(&to_dto(trace), 2)
}

fn malformed(message: impl Into<String>) -> ReplayError {
    ReplayError::Malformed {
        message: message.into(),
    }
}

pub(super) fn from_json(text: &str) -> Result<Trace, ReplayError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
    // Format and version first, so that a newer trace says so instead of failing on a field.
    let format = value.get("format").and_then(|f| f.as_str());
    match format {
        Some(FORMAT_NAME) => {}
        Some(other) => {
            return Err(ReplayError::WrongFormat {
                found: other.to_string(),
            })
        }
        None => {
            return Err(malformed(
                "missing `format` field (expected \"weft-trace\")",
            ))
        }
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == 1 || v == u64::from(FORMAT_VERSION) => {}
        Some(v) => return Err(ReplayError::UnsupportedVersion { found: v }),
        None => return Err(malformed("missing or non-integer `version` field")),
    }
    let file: TraceFile = serde_json::from_value(value).map_err(|e| malformed(e.to_string()))?;
    from_dto(file)
}

fn span(s: [u32; 2]) -> Result<Span, ReplayError> {
    if s[0] > s[1] {
        return Err(malformed(format!(
            "span [{}, {}] ends before it starts",
            s[0], s[1]
        )));
    }
    Ok(Span { lo: s[0], hi: s[1] })
}

fn from_dto(file: TraceFile) -> Result<Trace, ReplayError> {
    let violation = match file.violation {
        None => None,
        Some(v) => {
            let kind: ViolationKind = v
                .kind
                .parse()
                .map_err(|()| malformed(format!("unknown violation kind `{}`", v.kind)))?;
            Some(TraceViolation {
                kind,
                message: v.message,
                span: span(v.span)?,
                location: v.location,
                step: v.step,
            })
        }
    };
    if let Some(c) = file.cycle_start {
        if c >= file.steps.len() {
            return Err(malformed(format!(
                "`cycle_start` is {c} but the trace has {} step(s)",
                file.steps.len()
            )));
        }
    }
    let memory_model = match file.memory_model.as_deref() {
        None => crate::MemoryModel::Sc,
        Some(name) => crate::MemoryModel::parse(name)
            .ok_or_else(|| malformed(format!("unknown memory model `{name}`")))?,
    };
    let steps = file
        .steps
        .into_iter()
        .map(|s| {
            Ok(TraceStep {
                thread: s.thread,
                choice: s.choice,
                thread_name: s.thread_name,
                operation: s.operation,
                span: span(s.span)?,
                location: s.location,
                reads: s.reads,
                writes: s.writes,
            })
        })
        .collect::<Result<Vec<_>, ReplayError>>()?;
    Ok(Trace {
        model: file.model,
        model_hash: file.model_hash,
        options_hash: file.options_hash,
        memory_model,
        steps,
        violation,
        cycle_start: file.cycle_start,
        preemptions: file.preemptions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Trace {
        Trace {
            model: "lost_update.weft".into(),
            model_hash: "00112233445566778899aabbccddeeff".into(),
            options_hash: "ffeeddccbbaa99887766554433221100".into(),
            memory_model: crate::MemoryModel::Rc11,
            steps: vec![
                TraceStep {
                    thread: 0,
                    choice: 0,
                    thread_name: "inc[0]".into(),
                    operation: "COUNT read".into(),
                    span: Span::new(10, 15),
                    location: "lost_update.weft:6:5".into(),
                    reads: vec![("COUNT".into(), 0)],
                    writes: vec![],
                },
                TraceStep {
                    thread: 1,
                    choice: 2,
                    thread_name: "inc[1]".into(),
                    operation: "COUNT write".into(),
                    span: Span::new(20, 25),
                    location: "lost_update.weft:6:5".into(),
                    reads: vec![],
                    writes: vec![("COUNT".into(), -1)],
                },
            ],
            violation: Some(TraceViolation {
                kind: ViolationKind::DataRace,
                message: "data race on `COUNT`".into(),
                span: Span::new(20, 25),
                location: "lost_update.weft:6:5".into(),
                step: 2,
            }),
            cycle_start: Some(1),
            preemptions: 1,
        }
    }

    #[test]
    fn json_round_trip_is_exact() {
        let t = sample();
        let text = t.to_json();
        let back = Trace::from_json(&text).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.to_json(), text);
        assert!(text.starts_with("{\n  \"format\": \"weft-trace\",\n  \"version\": 2,"));
        assert!(text.contains("\n  \"memory_model\": \"rc11\",\n"));
        // A version 1 trace (no memory model) reads as one found under SC.
        let v1 = text
            .replace("\"version\": 2", "\"version\": 1")
            .replace("\n  \"memory_model\": \"rc11\",", "");
        assert_eq!(
            Trace::from_json(&v1).unwrap().memory_model,
            crate::MemoryModel::Sc
        );
        assert!(text.contains(
            "\n    {\"thread\": 0, \"choice\": 0, \"thread_name\": \"inc[0]\", \"operation\": \
             \"COUNT read\", \"location\": \"lost_update.weft:6:5\", \"span\": [10, 15], \
             \"reads\": [[\"COUNT\", 0]], \"writes\": []},\n"
        ));
    }

    #[test]
    fn minimal_hand_written_trace_parses() {
        let text = r#"{"format": "weft-trace", "version": 1, "model": "m.weft",
            "model_hash": "x", "steps": [{"thread": 1}, {"thread": 0, "choice": 2}]}"#;
        let t = Trace::from_json(text).unwrap();
        assert_eq!(t.steps.len(), 2);
        assert_eq!(t.steps[1].transition().choice, 2);
        assert!(t.violation.is_none());
    }

    #[test]
    fn format_errors_are_reported_not_panicked() {
        assert!(matches!(
            Trace::from_json("{not json"),
            Err(ReplayError::Malformed { .. })
        ));
        assert!(matches!(
            Trace::from_json(r#"{"format": "other", "version": 1}"#),
            Err(ReplayError::WrongFormat { .. })
        ));
        assert_eq!(
            Trace::from_json(r#"{"format": "weft-trace", "version": 7}"#),
            Err(ReplayError::UnsupportedVersion { found: 7 })
        );
        let e = Trace::from_json(r#"{"format": "weft-trace", "version": 1, "model": "m"}"#);
        assert!(matches!(e, Err(ReplayError::Malformed { .. })), "{e:?}");
        let mut bad_kind = sample().to_json();
        bad_kind = bad_kind.replace("\"data-race\"", "\"bad-kind\"");
        let e = Trace::from_json(&bad_kind).unwrap_err();
        assert_eq!(
            e.to_string(),
            "malformed trace: unknown violation kind `bad-kind`"
        );
        let bad_cycle = sample()
            .to_json()
            .replace("\"cycle_start\": 1", "\"cycle_start\": 5");
        assert!(matches!(
            Trace::from_json(&bad_cycle),
            Err(ReplayError::Malformed { .. })
        ));
        let negative = sample()
            .to_json()
            .replace("\"thread\": 1", "\"thread\": -1");
        assert!(matches!(
            Trace::from_json(&negative),
            Err(ReplayError::Malformed { .. })
        ));
    }

    /// The example in docs/trace-format.md must stay a valid trace.
    #[test]
    fn documented_example_parses() {
        let doc = include_str!("../../../docs/trace-format.md");
        let start = doc.find("```json\n").expect("the doc has a json example") + 8;
        let end = start + doc[start..].find("```").expect("the example is closed");
        let t = Trace::from_json(&doc[start..end]).unwrap();
        assert!(!t.steps.is_empty());
        let v = t
            .violation
            .as_ref()
            .expect("the example ends in a violation");
        assert_eq!(v.step, t.steps.len());
        assert_eq!(Trace::from_json(&t.to_json()).unwrap(), t);
    }
}
