//! The JSON form of a [`Report`] (`"format": "weft-report"`, `"version": 1`), for CI systems and
//! tools. Keys are sorted (serde_json's map), and every timing sits in the `timing` object, so two
//! runs of the same check produce the same text outside it.

use serde_json::{json, Value};

use super::{Expectation, Limit, Report, SearchInfo, Verdict, Violation};
use crate::source::Span;

/// Version of the report JSON.
pub const REPORT_FORMAT_VERSION: u32 = 1;

fn span(s: Span) -> Value {
    json!([s.lo, s.hi])
}

fn limit(l: Limit) -> Value {
    let value = match l {
        Limit::MaxStates(n) | Limit::Memory(n) => json!(n),
        Limit::MaxDepth(n) | Limit::Preemptions(n) | Limit::History(n) => json!(n),
        Limit::LocalSteps(n) => json!(n),
        Limit::Sampled { runs } => json!(runs),
        Limit::Time(d) => json!(d.as_millis() as u64),
        Limit::Cancelled | Limit::Capacity => Value::Null,
    };
    json!({ "limit": l.as_str(), "value": value, "reason": l.to_string() })
}

fn violation(v: &Violation) -> Value {
    let related: Vec<Value> = v
        .related
        .iter()
        .map(|(s, label)| json!({ "span": span(*s), "label": label }))
        .collect();
    json!({
        "kind": v.kind.as_str(),
        "message": v.message,
        "location": v.location,
        "span": span(v.span),
        "related": related,
        "thread": v.thread,
        "thread_name": v.thread_name,
        "preemptions": v.preemptions,
        "steps": v.steps,
        "shortest_steps": v.shortest_steps,
        "run": v.run.map(|r| json!({ "index": r.index, "seed": r.seed })),
        "trace": v.trace.to_json_value(),
    })
}

/// What a bounded or sampled search covered (`null` for an exhaustive search).
fn search(info: &SearchInfo) -> Value {
    match info {
        SearchInfo::Bounded(b) => {
            let iterations: Vec<Value> = b
                .iterations
                .iter()
                .map(|i| {
                    json!({
                        "bound": i.bound,
                        "states": i.states,
                        "transitions": i.transitions,
                        "violations": i.violations,
                    })
                })
                .collect();
            json!({
                "kind": "bounded",
                "iterative": b.iterative,
                "bound": b.bound,
                "cap": b.cap,
                "pruned": b.pruned,
                "iterations": iterations,
            })
        }
        SearchInfo::Sampled(s) => {
            let depth = match s.strategy {
                crate::explore::Strategy::Pct { depth } => Some(depth),
                _ => None,
            };
            let guarantee = s.guarantee.map(|g| {
                json!({
                    "threads": g.threads,
                    "steps": g.steps,
                    "depth": g.depth,
                    "runs": g.runs,
                    "per_run": g.per_run,
                    "miss": g.miss,
                })
            });
            json!({
                "kind": "sampled",
                "strategy": s.strategy.as_str(),
                "depth": depth,
                "seed": s.seed,
                "runs": s.runs,
                "completed": s.completed,
                "ended": {
                    "finished": s.finished,
                    "stopped": s.stopped,
                    "deadlocked": s.deadlocked,
                    "discarded": s.discarded,
                    "cut": s.cut,
                },
                "step_cap": s.step_cap,
                "threads": s.threads,
                "longest": s.longest,
                "guarantee": guarantee,
            })
        }
    }
}

fn expectation(e: &Expectation) -> Value {
    let checks: Vec<Value> = e
        .checks
        .iter()
        .map(|c| json!({ "directive": c.directive, "passed": c.passed, "detail": c.detail }))
        .collect();
    json!({ "passed": e.passed(), "checks": checks })
}

pub(super) fn report_to_json(r: &Report) -> String {
    let incomplete = match r.verdict {
        Verdict::Incomplete { limit: l } => limit(l),
        _ => Value::Null,
    };
    let counts: serde_json::Map<String, Value> = r
        .kind_counts
        .iter()
        .map(|(k, n)| (k.as_str().to_string(), json!(n)))
        .collect();
    let outcomes: Vec<Value> = r
        .outcomes
        .iter()
        .map(|(values, states)| json!({ "values": values, "states": states }))
        .collect();
    let s = &r.stats;
    let doc = json!({
        "format": "weft-report",
        "version": REPORT_FORMAT_VERSION,
        "model": r.model,
        "model_hash": r.model_hash,
        "options_hash": r.options_hash,
        "memory_model": r.memory_model.as_str(),
        "notes": r.notes,
        "verdict": r.verdict.as_str(),
        "complete": r.is_complete(),
        "summary": r.summary(),
        "incomplete": incomplete,
        "search": r.search.as_ref().map(search),
        "suggestion": r.suggestion,
        "violations": r.violations.iter().map(violation).collect::<Vec<_>>(),
        "kind_counts": counts,
        "outcomes": outcomes,
        "stats": {
            "states": s.states,
            "transitions": s.transitions,
            "max_depth": s.max_depth,
            "finished": s.finished,
            "deadlocks": s.deadlocks,
            "stopped": s.stopped,
            "discarded": s.discarded,
            "memory_bytes": s.memory_bytes,
        },
        "store": {
            "mode": r.store.mode.as_str(),
            "fingerprint_bits": r.store.fingerprint_bits,
            "collision_odds": r.store.collision_odds,
            "bytes_per_state": r.store.bytes_per_state,
        },
        "expectation": r.expectation.as_ref().map(expectation),
        "timing": {
            "elapsed_ms": s.elapsed.as_secs_f64() * 1000.0,
            "states_per_sec": s.states_per_sec,
        },
    });
    // Down to a violation's trace one field per line; each trace step on one line.
    crate::trace::to_json_layout(&doc, 5)
}
