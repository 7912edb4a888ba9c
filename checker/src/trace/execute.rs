//! Re-executing a list of transitions with `step_explained`: the shared core of recording a trace for
//! a path the search found and of replaying a trace from a file.

use super::{ReplayError, TraceStep};
use crate::explore::{Finding, Next, Transition, TransitionSystem};
use crate::source::SourceFile;

/// How a re-execution ended.
pub(crate) enum End<S> {
    /// Every transition ran; the state reached.
    State(S),
    /// The last transition stopped the execution with a fatal violation.
    Stopped,
    /// The last transition was discarded by a false `assume!`.
    Discarded,
    /// A transition could not run (lenient mode only).
    Diverged,
}

pub(crate) struct Execution<S> {
    pub steps: Vec<TraceStep>,
    /// Findings with the step that found them (0: the initial step).
    pub findings: Vec<(usize, Finding)>,
    pub end: End<S>,
    /// The state after `save_at` steps, when asked for.
    pub saved: Option<S>,
}

/// Run `transitions` from the initial state; any misfit is an error.
pub(crate) fn execute<T: TransitionSystem>(
    sys: &T,
    source: &SourceFile,
    transitions: &[Transition],
    save_at: Option<usize>,
) -> Result<Execution<T::State>, ReplayError> {
    let (execution, error) = run(sys, source, transitions, save_at);
    match error {
        Some(e) => Err(e),
        None => Ok(execution),
    }
}

/// Run `transitions`, stopping quietly at the first one that does not fit.
pub(crate) fn execute_lenient<T: TransitionSystem>(
    sys: &T,
    source: &SourceFile,
    transitions: &[Transition],
    save_at: Option<usize>,
) -> Execution<T::State> {
    run(sys, source, transitions, save_at).0
}

fn run<T: TransitionSystem>(
    sys: &T,
    source: &SourceFile,
    transitions: &[Transition],
    save_at: Option<usize>,
) -> (Execution<T::State>, Option<ReplayError>) {
    let mut ex = Execution {
        steps: Vec::with_capacity(transitions.len()),
        findings: Vec::new(),
        end: End::Diverged,
        saved: None,
    };
    let init = sys.initial();
    ex.findings
        .extend(init.findings.into_iter().map(|f| (0, f)));
    let mut state = match init.next {
        Next::State(s) => s,
        other => return finish_early(ex, other, 0, transitions.len()),
    };
    if save_at == Some(0) {
        ex.saved = Some(state.clone());
    }
    let mut enabled = Vec::new();
    for (i, &t) in transitions.iter().enumerate() {
        let step = i + 1;
        enabled.clear();
        sys.enabled(&state, &mut enabled);
        if !enabled.contains(&t) {
            let error = misfit(step, t, &enabled);
            return (ex, Some(error));
        }
        let (outcome, info) = sys.step_explained(&state, t);
        ex.steps.push(TraceStep {
            thread: t.thread,
            choice: t.choice,
            thread_name: info.thread_name,
            operation: info.operation,
            location: source.location(info.span),
            span: info.span,
            reads: info.reads,
            writes: info.writes,
        });
        ex.findings
            .extend(outcome.findings.into_iter().map(|f| (step, f)));
        state = match outcome.next {
            Next::State(s) => s,
            other => return finish_early(ex, other, step, transitions.len()),
        };
        if save_at == Some(step) {
            ex.saved = Some(state.clone());
        }
    }
    ex.end = End::State(state);
    (ex, None)
}

/// The execution stopped or was discarded after `step` steps: fine if that was the last one.
fn finish_early<S>(
    mut ex: Execution<S>,
    next: Next<S>,
    step: usize,
    total: usize,
) -> (Execution<S>, Option<ReplayError>) {
    let stopped = matches!(next, Next::Stop);
    if step == total {
        ex.end = if stopped {
            End::Stopped
        } else {
            End::Discarded
        };
        return (ex, None);
    }
    let error = ReplayError::ExecutionEnded {
        step,
        stopped,
        remaining: total - step,
    };
    (ex, Some(error))
}

fn misfit(step: usize, t: Transition, enabled: &[Transition]) -> ReplayError {
    let choices = enabled.iter().filter(|e| e.thread == t.thread).count() as u32;
    if choices > 0 {
        return ReplayError::ChoiceOutOfRange {
            step,
            thread: t.thread,
            choice: t.choice,
            choices,
        };
    }
    let mut threads: Vec<u32> = enabled.iter().map(|e| e.thread).collect();
    threads.dedup();
    ReplayError::ThreadNotEnabled {
        step,
        thread: t.thread,
        enabled: threads,
    }
}
