//! The narrow interface between the search and the semantics. The search is generic over
//! [`TransitionSystem`] and never names an instruction; `exec` implements it for a lowered program.

use std::hash::Hash;

use super::footprints::Footprinter;
use crate::report::ViolationKind;
use crate::source::Span;

/// One scheduling decision: run `thread`, taking alternative `choice` of its next step
/// (the value of `choose`, a spurious `compare_exchange_weak` failure, which waiter `notify_one`
/// wakes; 0 when the step has a single outcome).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Transition {
    pub thread: u32,
    pub choice: u32,
}

/// A problem found by a step, in terms a person can read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    pub kind: ViolationKind,
    pub message: String,
    /// The primary location and, for a data race, the other access (and so on) as secondary spans.
    pub span: Span,
    pub related: Vec<(Span, String)>,
    /// The thread whose step found it (`None` for the final block or a whole-state property).
    pub thread: Option<u32>,
}

/// What happened in one step: the thread, operation and values, for traces and tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepInfo {
    pub thread: u32,
    /// Thread's display name (`inc[1]`).
    pub thread_name: String,
    /// The visible operation, as a short text (`COUNT read`, `X.store(1, Release)`, `M.lock()`).
    pub operation: String,
    pub span: Span,
    /// Values read (`name`, value) and written.
    pub reads: Vec<(String, i64)>,
    pub writes: Vec<(String, i64)>,
}

/// The result of taking one transition.
#[derive(Clone, Debug)]
pub enum Next<S> {
    /// The step completed; the new state.
    State(S),
    /// A fatal violation: the execution stops here (assertion failure, overflow, ...).
    Stop,
    /// An `assume!` was false: the execution is dropped.
    Discard,
    /// The step went past a bound of the semantics (`Cut::limit`): the execution is not followed,
    /// and the search is incomplete.
    Cut(Cut),
}

/// A bound of the semantics that a step reached, and what to tell the user about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    pub limit: crate::report::Limit,
    /// Names what reached the bound, e.g. the location whose history grew too long.
    pub note: String,
}

#[derive(Clone, Debug)]
pub struct Outcome<S> {
    pub next: Next<S>,
    /// Violations found by the step. With `Next::Stop` there is at least one; with `Next::State` they
    /// are non-fatal (data races) and the execution continues.
    pub findings: Vec<Finding>,
}

/// How a state stands, when it has no enabled transition or has finished.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Some thread can move.
    Running,
    /// Every thread finished and the final block passed: a final state.
    Finished,
    /// No thread can move and not all have finished.
    Deadlock(Finding),
}

/// A deterministic transition system: the semantics the search explores.
pub trait TransitionSystem {
    type State: Clone + Eq + Hash;

    fn initial(&self) -> Outcome<Self::State>;

    /// The enabled transitions of `state`, in a canonical order (by thread, then choice).
    fn enabled(&self, state: &Self::State, out: &mut Vec<Transition>);

    fn step(&self, state: &Self::State, t: Transition) -> Outcome<Self::State>;

    /// `step`, given states the search has no more use for (`spares`, which it may take from and
    /// add to): a system whose states are allocations can write the new state into one of them
    /// instead of allocating. The outcome must be `step`'s. Default: `step`.
    fn step_reusing(
        &self,
        state: &Self::State,
        t: Transition,
        spares: &mut Vec<Self::State>,
    ) -> Outcome<Self::State> {
        let _ = spares;
        self.step(state, t)
    }

    /// Like `step`, also describing what the step did (used by replay and for traces; slower).
    fn step_explained(
        &self,
        state: &Self::State,
        t: Transition,
    ) -> (Outcome<Self::State>, StepInfo);

    fn status(&self, state: &Self::State) -> Status;

    /// The observed values of a finished state (`//@ observe`, default every scalar static), as
    /// `name = value` pairs in declaration order.
    fn observe(&self, state: &Self::State) -> Vec<(String, i64)>;

    /// Did `t`'s thread still have an enabled transition in `state` before the step? (Is switching away
    /// from `last` a preemption?) Default: whether any enabled transition belongs to `last`.
    fn thread_enabled(&self, state: &Self::State, thread: u32) -> bool {
        let mut v = Vec::new();
        self.enabled(state, &mut v);
        v.iter().any(|t| t.thread == thread)
    }

    /// Approximate bytes one stored state occupies, inline plus heap, for the memory estimate and
    /// the memory limit. Default: the inline size only; implementations with heap data override it.
    fn state_bytes(&self, state: &Self::State) -> usize {
        let _ = state;
        std::mem::size_of::<Self::State>()
    }

    /// What each step of a state touches, for partial-order reduction (`por.rs`); built once per
    /// search. Default `None`: the system says nothing, and every state is expanded fully.
    fn footprinter(&self) -> Option<Box<dyn Footprinter<Self::State> + '_>> {
        None
    }

    /// The model hash traces and reports carry, when the system can say what its behaviour
    /// depends on (a lowered program: `ir::model_hash`). Default `None`: the hash of the source
    /// text stands in ([`model_hash`]).
    fn model_hash(&self) -> Option<String> {
        None
    }
}

/// The model hash of `sys`, built from `source`: the system's own, else the hash of the text.
pub fn model_hash<T: TransitionSystem + ?Sized>(sys: &T, source: &crate::SourceFile) -> String {
    sys.model_hash()
        .unwrap_or_else(|| super::hash::stable_text_hash(&source.text))
}

/// One step taken from a state being expanded, with what the search records about it.
pub(crate) struct Taken<S> {
    pub(crate) transition: Transition,
    pub(crate) outcome: Outcome<S>,
    /// Can the stepping thread still move in the state reached? (Preemption counting needs it.)
    pub(crate) still_enabled: bool,
    /// Is the step known to lead back to the state it was taken from (a spin in place)? Then the
    /// search need not fingerprint and look the state up again.
    pub(crate) back_home: bool,
}

impl<S> Taken<S> {
    /// Step `t` with this `outcome`, asking `sys` whether its thread can still move after it.
    pub(crate) fn new<T: TransitionSystem<State = S>>(
        sys: &T,
        transition: Transition,
        outcome: Outcome<S>,
    ) -> Taken<S> {
        let still_enabled = match &outcome.next {
            Next::State(s) => sys.thread_enabled(s, transition.thread),
            _ => false,
        };
        Taken {
            transition,
            outcome,
            still_enabled,
            back_home: false,
        }
    }

    /// A step seen to lead back to the state it was taken from, where its thread could move.
    pub(crate) fn back_home(transition: Transition, outcome: Outcome<S>) -> Taken<S> {
        Taken {
            transition,
            outcome,
            still_enabled: true,
            back_home: true,
        }
    }
}
