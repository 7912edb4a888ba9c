//! Replay: re-run a trace's choices and check that it still fits its model and still ends in the
//! violation it records. Every misfit is a [`ReplayError`]; replay never panics on a trace.

use std::fmt;

use super::execute::{execute, End};
use super::{Trace, TraceStep, FORMAT_VERSION};
use crate::exec::Machine;
use crate::explore::{model_hash, stable_text_hash, Finding, Status, TransitionSystem};
use crate::ir::Program;
use crate::report::ViolationKind;
use crate::source::SourceFile;

/// A finding met during replay, with the step that found it (0: the initial step).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayFinding {
    pub step: usize,
    pub finding: Finding,
}

/// How the replayed execution ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayEnd {
    /// Threads could still move after the last step.
    Running,
    /// Every thread finished; the observed outcome.
    Finished {
        outcome: Vec<(String, i64)>,
    },
    Deadlock,
    /// The last step stopped the execution with a fatal violation.
    Stopped,
    /// The last step was discarded by a false `assume!`.
    Discarded,
}

/// The result of a successful replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replay {
    /// Each step as it ran now: the same as the trace's steps when the model is unchanged.
    pub steps: Vec<TraceStep>,
    pub findings: Vec<ReplayFinding>,
    pub end: ReplayEnd,
    /// The recorded violation, as it reproduced (`None` when the trace records none).
    pub violation: Option<Finding>,
}

/// Why a trace does not replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// The text is not valid JSON or not a valid trace.
    Malformed {
        message: String,
    },
    /// Valid JSON, but not a weft trace.
    WrongFormat {
        found: String,
    },
    UnsupportedVersion {
        found: u64,
    },
    /// The trace was recorded for another model text.
    ModelMismatch {
        trace: String,
        model: String,
    },
    /// The trace runs a thread that cannot move at that step.
    ThreadNotEnabled {
        step: usize,
        thread: u32,
        enabled: Vec<u32>,
    },
    /// The thread can move, but has no alternative with this number.
    ChoiceOutOfRange {
        step: usize,
        thread: u32,
        choice: u32,
        choices: u32,
    },
    /// The execution stopped (a fatal violation) or was discarded (`assume!`) after `step` steps,
    /// with trace steps left over.
    ExecutionEnded {
        step: usize,
        stopped: bool,
        remaining: usize,
    },
    /// The trace has fewer steps than the step its violation is recorded at.
    EndsEarly {
        steps: usize,
        expected: usize,
    },
    /// The recorded violation did not happen at its step.
    NotReproduced {
        step: usize,
        expected: ViolationKind,
        found: Vec<ViolationKind>,
    },
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Malformed { message } => write!(f, "malformed trace: {message}"),
            ReplayError::WrongFormat { found } => write!(
                f,
                "not a weft trace: `format` is {found:?}, expected \"{}\"",
                super::FORMAT_NAME
            ),
            ReplayError::UnsupportedVersion { found } => write!(
                f,
                "unsupported trace version {found}: this weft reads version {FORMAT_VERSION}"
            ),
            ReplayError::ModelMismatch { trace, model } => write!(
                f,
                "the trace was recorded for a different model (model hash {trace}, this model has \
                 {model}): the model changed since the trace was written"
            ),
            ReplayError::ThreadNotEnabled {
                step,
                thread,
                enabled,
            } => {
                write!(f, "step {step}: thread {thread} cannot move here")?;
                if enabled.is_empty() {
                    f.write_str(" (no thread can)")
                } else {
                    let list: Vec<String> = enabled.iter().map(u32::to_string).collect();
                    write!(f, " (threads that can: {})", list.join(", "))
                }
            }
            ReplayError::ChoiceOutOfRange {
                step,
                thread,
                choice,
                choices,
            } => write!(
                f,
                "step {step}: thread {thread} has {choices} alternative(s) here, the trace takes \
                 alternative {choice}"
            ),
            ReplayError::ExecutionEnded {
                step,
                stopped,
                remaining,
            } => {
                let how = if *stopped {
                    "stopped on a violation"
                } else {
                    "was discarded by `assume!`"
                };
                write!(
                    f,
                    "the execution {how} after step {step}, but the trace has {remaining} more step(s)"
                )
            }
            ReplayError::EndsEarly { steps, expected } => write!(
                f,
                "the trace ends early: it has {steps} step(s) but records its violation at step \
                 {expected}"
            ),
            ReplayError::NotReproduced {
                step,
                expected,
                found,
            } => {
                write!(f, "the recorded {expected} did not happen at step {step}")?;
                if found.is_empty() {
                    Ok(())
                } else {
                    let list: Vec<&str> = found.iter().map(|k| k.as_str()).collect();
                    write!(f, " (found there: {})", list.join(", "))
                }
            }
        }
    }
}

impl std::error::Error for ReplayError {}

/// Replay `trace` on `program`: its model hash must match the program's ([`crate::ir::model_hash`]).
pub fn replay_program(program: &Program, trace: &Trace) -> Result<Replay, ReplayError> {
    let options = crate::exec::MachineOptions {
        memory_model: trace.memory_model,
        // A trace is a finite path: it needs no history bound, whatever bound found it.
        history_bound: u32::MAX,
        // Nor the search's local-step bound; a finite one still stops a trace that points into
        // local code that never ends without repeating itself.
        max_local_steps: 10 * crate::exec::DEFAULT_MAX_LOCAL_STEPS,
        ..crate::exec::MachineOptions::default()
    };
    replay_system(
        &Machine::with_options(program, options),
        &program.source,
        trace,
    )
}

/// Replay `trace` on `sys`, built from the model text `source`.
pub fn replay_system<T: TransitionSystem>(
    sys: &T,
    source: &SourceFile,
    trace: &Trace,
) -> Result<Replay, ReplayError> {
    let model = model_hash(sys, source);
    // Traces written before the hash covered the lowered program carry the hash of the text:
    // they still fit the text they were written for.
    if trace.model_hash != model && trace.model_hash != stable_text_hash(&source.text) {
        return Err(ReplayError::ModelMismatch {
            trace: trace.model_hash.clone(),
            model,
        });
    }
    let transitions = trace.transitions();
    if let Some(v) = &trace.violation {
        if v.step > transitions.len() {
            return Err(ReplayError::EndsEarly {
                steps: transitions.len(),
                expected: v.step,
            });
        }
    }
    let ex = execute(sys, source, &transitions, trace.cycle_start)?;
    let findings: Vec<ReplayFinding> = ex
        .findings
        .into_iter()
        .map(|(step, finding)| ReplayFinding { step, finding })
        .collect();
    let (end, end_finding, same_as_saved) = match &ex.end {
        End::State(s) => {
            let cycle = ex.saved.as_ref().is_some_and(|saved| saved == s);
            match sys.status(s) {
                Status::Running => (ReplayEnd::Running, None, cycle),
                Status::Finished => (
                    ReplayEnd::Finished {
                        outcome: sys.observe(s),
                    },
                    None,
                    cycle,
                ),
                Status::Deadlock(f) => (ReplayEnd::Deadlock, Some(f), cycle),
            }
        }
        End::Stopped => (ReplayEnd::Stopped, None, false),
        End::Discarded | End::Diverged => (ReplayEnd::Discarded, None, false),
    };
    let violation = match &trace.violation {
        None => None,
        Some(v) => {
            let last = transitions.len();
            let reproduced = match v.kind {
                ViolationKind::Deadlock if v.step == last => end_finding.clone(),
                ViolationKind::Livelock if v.step == last && same_as_saved => {
                    Some(livelock_finding(trace, v))
                }
                _ => findings
                    .iter()
                    .find(|f| f.step == v.step && f.finding.kind == v.kind)
                    .map(|f| f.finding.clone()),
            };
            match reproduced {
                Some(f) => Some(f),
                None => {
                    let mut found: Vec<ViolationKind> = findings
                        .iter()
                        .filter(|f| f.step == v.step)
                        .map(|f| f.finding.kind)
                        .chain(end_finding.as_ref().map(|f| f.kind))
                        .collect();
                    found.sort();
                    found.dedup();
                    return Err(ReplayError::NotReproduced {
                        step: v.step,
                        expected: v.kind,
                        found,
                    });
                }
            }
        }
    };
    Ok(Replay {
        steps: ex.steps,
        findings,
        end,
        violation,
    })
}

/// A livelock is a property of the cycle, not of one step: the reproduced finding is the recorded one.
fn livelock_finding(trace: &Trace, v: &super::TraceViolation) -> Finding {
    let thread = trace
        .cycle_start
        .and_then(|c| trace.steps.get(c))
        .map(|s| s.thread);
    Finding {
        kind: v.kind,
        message: v.message.clone(),
        span: v.span,
        related: Vec::new(),
        thread,
    }
}
