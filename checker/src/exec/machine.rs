//! [`Machine`]: the transition system of a lowered program. It builds the initial state, lists enabled
//! transitions, and holds what a step builds besides the state ([`Cx`]); the step itself (the visible
//! operation, then the thread's local code up to its next visible instruction, or its end: reaching
//! `End` is not a step of its own, the thread finishes in the step that brought it there, then, when
//! every thread has finished, the `final` block) is in `step.rs`.

use smallvec::SmallVec;

use super::describe::Names;
use super::eval::Env;
use super::hb::{hb_len, HbLayout};
use super::state::{Phase, RwState, Shape, State, StateData, Thread, Threads, NONE};
use crate::explore::{Cut, Finding, Next, Outcome, Status, StepInfo, Transition, TransitionSystem};
use crate::ir::{Code, Instr, LocalId, Pc, Program, StaticKind};
use crate::report::ViolationKind;
use crate::source::Span;

/// Semantic switches. The defaults are the documented language semantics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MachineOptions {
    /// Let a thread sleeping in `CV.wait` wake without a notification, as std allows (on by
    /// default). A state where only such wake-ups could happen is still a deadlock.
    pub spurious_wakeups: bool,
    /// The most local instructions one step may run. Local code that comes back to where it was
    /// (same position, same locals) before that is reported as running forever (a livelock); local
    /// code that just runs longer is cut there and the search reported incomplete
    /// (`Limit::LocalSteps`).
    pub max_local_steps: u64,
    /// Collapse a read that leaves everything but the reader's acquired views as it was (a failed
    /// iteration of a spin loop) into a step that returns to the state it left: see
    /// [`Machine::spins_in_place`]. On by default; tests turn it off to compare with the plain
    /// semantics.
    pub collapse_spins: bool,
    /// The memory model the atomics follow (`exec/memory/`).
    pub memory_model: crate::MemoryModel,
    /// Under a weak model, the most messages one location may keep that some thread can still
    /// read; a step past it is cut and the search reported incomplete (`Limit::History`).
    pub history_bound: u32,
}

/// The default [`MachineOptions::history_bound`]: far more than any bounded model keeps (the
/// corpus never keeps more than a handful), small enough to stop a history that grows forever.
pub const DEFAULT_HISTORY_BOUND: u32 = 64;

/// The default [`MachineOptions::max_local_steps`].
pub const DEFAULT_MAX_LOCAL_STEPS: u64 = 10_000_000;

impl Default for MachineOptions {
    fn default() -> Self {
        MachineOptions {
            spurious_wakeups: true,
            max_local_steps: DEFAULT_MAX_LOCAL_STEPS,
            collapse_spins: true,
            memory_model: crate::MemoryModel::default(),
            history_bound: DEFAULT_HISTORY_BOUND,
        }
    }
}

/// The semantics of one lowered program.
///
/// `step` expects a transition listed by `enabled`; any other (a finished or blocked thread, a choice
/// out of range) yields `Next::Discard` without a finding, never a panic.
pub struct Machine<'p> {
    pub(crate) program: &'p Program,
    pub(crate) options: MachineOptions,
    pub(crate) layout: HbLayout,
    /// Per cell: its index among plain cells, or [`NONE`] for an atomic.
    pub(crate) plain_of: Box<[u32]>,
    /// Per cell: its index among atomic cells, or [`NONE`] for a plain cell.
    pub(crate) atomic_of: Box<[u32]>,
    pub(crate) names: Names,
    /// The `//@ observe` cells: display name and cell index.
    observed: Vec<(String, usize)>,
    /// How `SeqCst` accesses behave under a weak model (`exec/memory/`).
    pub(crate) seq_cst: super::memory::SeqCstAccesses,
    /// Per atomic location: accessed by read-modify-writes only (`memory::rmw_only_locations`).
    pub(crate) rmw_only: Box<[bool]>,
}

/// How the visible part of a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Move past the instruction and run the local code after it.
    Advance,
    /// The operation is in progress (a multi-step wait): stay on the instruction.
    Stay,
    /// A fatal finding was recorded.
    Stop,
    /// The execution is dropped (`assume!`), or the transition was not enabled.
    Discard,
}

/// What a step is building besides the state: its findings and, when explaining, its description.
pub(crate) struct Cx<'p> {
    pub(crate) t: u32,
    pub(crate) pc: u32,
    /// The stepping thread's code (a step never changes it): where [`Cx::span`] looks, only when
    /// there is something to report.
    pub(crate) code: &'p Code,
    pub(crate) findings: Vec<Finding>,
    pub(crate) explain: Option<Explain>,
    /// A thread spawned in this step discarded the execution (or was cut) in its initial local
    /// code; the spawning thread's own local code still runs, since a finding there wins.
    pub(crate) child_stopped: Option<Stopped>,
}

#[derive(Default)]
pub(crate) struct Explain {
    pub(crate) operation: String,
    pub(crate) reads: Vec<(String, i64)>,
    pub(crate) writes: Vec<(String, i64)>,
}

impl Cx<'_> {
    /// The span of the instruction the step performs.
    pub(crate) fn span(&self) -> Span {
        self.code
            .instrs
            .get(self.pc as usize)
            .map_or(self.code.span, |i| i.span)
    }

    pub(crate) fn fatal(&mut self, kind: ViolationKind, message: String) -> Flow {
        self.findings.push(Finding {
            kind,
            message,
            span: self.span(),
            related: Vec::new(),
            thread: Some(self.t),
        });
        Flow::Stop
    }

    pub(crate) fn fault(&mut self, f: super::eval::Fault) -> Flow {
        self.fatal(f.kind, f.message)
    }

    pub(crate) fn misuse(&mut self, message: String) -> Flow {
        self.fatal(ViolationKind::LockMisuse, message)
    }

    pub(crate) fn explaining(&self) -> bool {
        self.explain.is_some()
    }

    /// Describes the step's operation; `text` only runs when explaining, so the search formats nothing.
    pub(crate) fn op(&mut self, text: impl FnOnce() -> String) {
        if let Some(e) = &mut self.explain {
            e.operation = text();
        }
    }

    pub(crate) fn read(&mut self, name: &str, value: i64) {
        if let Some(e) = &mut self.explain {
            e.reads.push((name.to_string(), value));
        }
    }

    pub(crate) fn wrote(&mut self, name: &str, value: i64) {
        if let Some(e) = &mut self.explain {
            e.writes.push((name.to_string(), value));
        }
    }
}

/// Evaluates, or ends the operation with the fault as a fatal finding.
macro_rules! tri {
    ($cx:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(f) => return $cx.fault(f),
        }
    };
}
pub(crate) use tri;

/// Why settling a thread (or the final block) stopped the execution.
pub(crate) enum Stopped {
    Finding(Finding),
    Discard,
    /// A bound of the semantics was reached (local code past `--max-local-steps`).
    Cut(Cut),
}

impl<'p> Machine<'p> {
    /// The machine under the model's `//@ memory-model:` header, else RC11.
    pub fn new(program: &'p Program) -> Machine<'p> {
        let memory_model = program.directives.memory_model.unwrap_or_default();
        Machine::with_options(
            program,
            MachineOptions {
                memory_model,
                ..MachineOptions::default()
            },
        )
    }

    pub fn with_options(program: &'p Program, options: MachineOptions) -> Machine<'p> {
        let mut plain_of = vec![NONE; program.cell_init.len()];
        let mut atomic_of = vec![NONE; program.cell_init.len()];
        let (mut plain, mut atomic) = (0u32, 0u32);
        for (c, &is_plain) in program.cell_plain.iter().enumerate() {
            if is_plain {
                plain_of[c] = plain;
                plain += 1;
            } else {
                atomic_of[c] = atomic;
                atomic += 1;
            }
        }
        let layout = HbLayout::new(
            plain,
            program.mutex_count,
            program.rwlock_count,
            atomic,
            program.barrier_parties.len() as u32,
            options.memory_model.uses_messages(),
        );
        let rmw_only = super::memory::rmw_only_locations(program, &atomic_of);
        let names = Names::new(program);
        let observed = observed_cells(program);
        Machine {
            program,
            options,
            layout,
            plain_of: plain_of.into_boxed_slice(),
            atomic_of: atomic_of.into_boxed_slice(),
            names,
            observed,
            seq_cst: super::memory::seq_cst_policy(program, options.memory_model),
            rmw_only,
        }
    }

    pub fn program(&self) -> &'p Program {
        self.program
    }

    #[inline]
    pub(crate) fn code_of(&self, s: &State, t: u32) -> &'p Code {
        &self.program.codes[s.thread(t).code.index()]
    }

    /// The instruction `t` rests on (`None` past the end of its code, which behaves as `End`).
    #[inline]
    pub(crate) fn instr(&self, s: &State, t: u32) -> Option<&'p Instr> {
        self.code_of(s, t).instrs.get(s.thread(t).pc.index())
    }

    pub(crate) fn instr_span(&self, s: &State, t: u32) -> Span {
        self.instr(s, t).map_or(self.code_of(s, t).span, |i| i.span)
    }

    #[inline]
    pub(crate) fn env<'a>(&'a self, s: &'a State, t: u32) -> Env<'a> {
        let th = s.thread(t);
        let n = self.program.codes[th.code.index()].locals.len();
        Env {
            program: self.program,
            locals: s.thread_locals(t, n),
            tid: self.tid(s, t),
            cells: s.cells(),
        }
    }

    /// `t`'s `tid`: its initial ancestor's (a spawned thread shares its parent's).
    #[inline]
    pub(crate) fn tid(&self, s: &State, t: u32) -> i64 {
        let mut t = t;
        // Usually no step at all: only spawned threads have a parent.
        loop {
            match s.threads.get(t as usize) {
                Some(th) if th.parent != NONE => t = th.parent,
                _ => break,
            }
        }
        self.program.threads.get(t as usize).map_or(0, |it| it.tid)
    }

    pub(crate) fn set_local(&self, s: &mut State, t: u32, l: LocalId, v: i64) {
        let start = s.thread(t).locals as usize;
        s.vals_mut()[start + l.index()] = v;
    }

    pub(crate) fn get_local(&self, s: &State, t: u32, l: LocalId) -> i64 {
        s.vals()[s.thread(t).locals as usize + l.index()]
    }

    fn initial_state(&self) -> State {
        let p = self.program;
        let shape = Shape {
            cells: p.cell_init.len() as u32,
            mutexes: p.mutex_count,
            hb_at: 0,
            hb_words: 0,
            ts_words: 0,
            access_at: 0,
        };
        let mut threads = Threads::with_capacity(p.threads.len());
        // Cells, mutex owners and two counters per barrier come before the locals.
        let mut locals = shape.cells + shape.mutexes + 2 * p.barrier_parties.len() as u32;
        for it in &p.threads {
            threads.push(Thread {
                code: it.code,
                pc: Pc(0),
                locals,
                parent: NONE,
                phase: Phase::Ready,
                joined: false,
            });
            locals += p.codes[it.code.index()].locals.len() as u32;
        }
        // Cells, then free mutexes, then barriers with nobody arrived or leaving, then locals, then
        // the happens-before words (all clear).
        let weak = self.options.memory_model.uses_messages();
        let atomics = if weak { self.layout_atomics() } else { 0 };
        let (hb_words, access_at, hb_len) = hb_len(&self.layout, threads.len() as u32, atomics);
        let mut vals = Vec::with_capacity((locals + hb_len) as usize);
        vals.extend_from_slice(&p.cell_init);
        vals.extend(std::iter::repeat_n(i64::from(NONE), p.mutex_count as usize));
        vals.resize((locals + hb_len) as usize, 0);
        let data = StateData {
            threads,
            shape: Shape {
                hb_at: locals,
                hb_words,
                ts_words: atomics,
                access_at,
                ..shape
            },
            rwlocks: vec![
                RwState {
                    writer: NONE,
                    readers: SmallVec::new()
                };
                p.rwlock_count as usize
            ]
            .into_boxed_slice(),
            condvars: vec![SmallVec::new(); p.condvar_count as usize].into_boxed_slice(),
            channels: vec![SmallVec::new(); p.channel_capacity.len()].into_boxed_slice(),
            weak: match self.options.memory_model {
                crate::MemoryModel::Sc => None,
                crate::MemoryModel::Tso => Some(Box::new(super::state::WeakTables {
                    memory: Box::default(),
                    buffers: vec![Default::default(); p.threads.len()].into_boxed_slice(),
                })),
                _ => Some(Box::new(super::state::WeakTables {
                    memory: self.initial_messages(hb_words + atomics),
                    buffers: Box::default(),
                })),
            },
        };
        State::new(data, vals)
    }
}

/// The observed cells: `//@ observe` statics, or every atomic and plain static, arrays expanded.
fn observed_cells(program: &Program) -> Vec<(String, usize)> {
    let chosen: Vec<usize> = match &program.directives.observe {
        Some(ids) => ids.iter().map(|id| id.index()).collect(),
        None => (0..program.statics.len()).collect(),
    };
    let mut out = Vec::new();
    for i in chosen {
        let Some(decl) = program.statics.get(i) else {
            continue;
        };
        if !matches!(decl.kind, StaticKind::Atomic(_) | StaticKind::Plain(_)) {
            continue;
        }
        match decl.len {
            None => out.push((decl.name.clone(), decl.base as usize)),
            Some(n) => out
                .extend((0..n).map(|k| (format!("{}[{k}]", decl.name), (decl.base + k) as usize))),
        }
    }
    out
}

impl TransitionSystem for Machine<'_> {
    type State = State;

    fn model_hash(&self) -> Option<String> {
        Some(crate::ir::model_hash(self.program))
    }

    fn initial(&self) -> Outcome<State> {
        let mut s = self.initial_state();
        // Every thread's initial local code runs before any visible operation, in no particular
        // order: a thread whose code discards the execution (`assume!`) does not stop another's
        // from failing first, so a finding anywhere wins over a discard, whatever the threads'
        // declaration order (the first finding in thread order is reported); a cut (code that ran
        // past the local-step bound, and might have failed later) wins over a discard.
        let mut result = Ok(());
        for t in 0..s.thread_count() {
            match self.settle(&mut s, t) {
                Ok(()) => {}
                Err(Stopped::Discard) if result.is_ok() => result = Err(Stopped::Discard),
                Err(Stopped::Discard) => {}
                Err(Stopped::Cut(cut)) => {
                    if !matches!(result, Err(Stopped::Cut(_))) {
                        result = Err(Stopped::Cut(cut));
                    }
                }
                Err(finding) => {
                    result = Err(finding);
                    break;
                }
            }
        }
        if result.is_ok() && s.all_finished() {
            result = self.run_final(&mut s);
        }
        match result {
            Ok(()) => Outcome {
                next: Next::State(s),
                findings: Vec::new(),
            },
            Err(Stopped::Discard) => Outcome {
                next: Next::Discard,
                findings: Vec::new(),
            },
            Err(Stopped::Finding(f)) => Outcome {
                next: Next::Stop,
                findings: vec![f],
            },
            Err(Stopped::Cut(cut)) => Outcome {
                next: Next::Cut(cut),
                findings: Vec::new(),
            },
        }
    }

    fn enabled(&self, state: &State, out: &mut Vec<Transition>) {
        if self.only_spurious(state) {
            return;
        }
        for thread in 0..state.thread_count() {
            let n = self.alternatives(state, thread);
            out.extend((0..n).map(|choice| Transition { thread, choice }));
        }
    }

    fn step(&self, state: &State, t: Transition) -> Outcome<State> {
        self.run(state, t, None, None)
    }

    fn step_reusing(
        &self,
        state: &State,
        t: Transition,
        spares: &mut Vec<State>,
    ) -> Outcome<State> {
        self.run(state, t, None, Some(spares))
    }

    fn step_explained(&self, state: &State, t: Transition) -> (Outcome<State>, StepInfo) {
        let mut info = None;
        let outcome = self.run(state, t, Some(&mut info), None);
        let info = info.unwrap_or_else(|| StepInfo {
            thread: t.thread,
            thread_name: format!("#{}", t.thread),
            operation: "(no such thread can move)".to_string(),
            span: Span::DUMMY,
            reads: Vec::new(),
            writes: Vec::new(),
        });
        (outcome, info)
    }

    fn status(&self, state: &State) -> Status {
        if state.all_finished() {
            return Status::Finished;
        }
        if (0..state.thread_count()).any(|t| self.alternatives(state, t) > 0)
            && !self.only_spurious(state)
        {
            return Status::Running;
        }
        Status::Deadlock(self.deadlock_finding(state))
    }

    fn observe(&self, state: &State) -> Vec<(String, i64)> {
        self.observed
            .iter()
            .map(|(name, c)| (name.clone(), state.cells()[*c]))
            .collect()
    }

    fn thread_enabled(&self, state: &State, thread: u32) -> bool {
        thread < state.thread_count()
            && self.alternatives(state, thread) > 0
            && !self.only_spurious(state)
    }

    fn state_bytes(&self, state: &State) -> usize {
        state.bytes()
    }

    fn footprinter(&self) -> Option<Box<dyn crate::explore::Footprinter<State> + '_>> {
        super::footprint::footprinter(self)
    }
}
