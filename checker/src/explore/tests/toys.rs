//! Small hand-written transition systems whose state spaces are counted by hand in the tests.

use crate::explore::{Finding, Next, Outcome, Status, StepInfo, Transition, TransitionSystem};
use crate::report::ViolationKind;
use crate::source::Span;

fn info(t: Transition, op: &str, span: Span) -> StepInfo {
    StepInfo {
        thread: t.thread,
        thread_name: format!("t{}", t.thread),
        operation: op.to_string(),
        span,
        reads: Vec::new(),
        writes: Vec::new(),
    }
}

fn state<S>(s: S) -> Outcome<S> {
    Outcome {
        next: Next::State(s),
        findings: Vec::new(),
    }
}

fn finding(kind: ViolationKind, span: Span, thread: Option<u32>, message: &str) -> Finding {
    Finding {
        kind,
        message: message.to_string(),
        span,
        related: Vec::new(),
        thread,
    }
}

/// `threads` threads, each taking `steps` private steps: (steps+1)^threads states,
/// threads * steps * (steps+1)^(threads-1) transitions.
pub struct Counter {
    pub threads: u32,
    pub steps: u8,
}

impl TransitionSystem for Counter {
    type State = Vec<u8>;

    fn initial(&self) -> Outcome<Vec<u8>> {
        state(vec![0; self.threads as usize])
    }

    fn enabled(&self, s: &Vec<u8>, out: &mut Vec<Transition>) {
        for (i, &pc) in s.iter().enumerate() {
            if pc < self.steps {
                out.push(Transition {
                    thread: i as u32,
                    choice: 0,
                });
            }
        }
    }

    fn step(&self, s: &Vec<u8>, t: Transition) -> Outcome<Vec<u8>> {
        let mut n = s.clone();
        n[t.thread as usize] += 1;
        state(n)
    }

    fn step_explained(&self, s: &Vec<u8>, t: Transition) -> (Outcome<Vec<u8>>, StepInfo) {
        (self.step(s, t), info(t, "tick", Span::new(1, 2)))
    }

    fn status(&self, s: &Vec<u8>) -> Status {
        if s.iter().all(|&pc| pc == self.steps) {
            Status::Finished
        } else {
            Status::Running
        }
    }

    fn observe(&self, s: &Vec<u8>) -> Vec<(String, i64)> {
        vec![("total".into(), s.iter().map(|&x| i64::from(x)).sum())]
    }
}

pub const RACE_SPAN: Span = Span { lo: 50, hi: 60 };
pub const FINAL_SPAN: Span = Span { lo: 100, hi: 110 };

/// Two threads run `X = X + 1` as a read step and a write step. A write while the other thread has
/// read but not yet written is a (non-fatal) data race; a final `X != 2` stops with an assertion
/// failure. 12 states, 14 transitions (2 of them stop), two final states, both with `x = 2`.
pub struct LostUpdate;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LuState {
    pub pc: [u8; 2],
    pub local: [i64; 2],
    pub x: i64,
}

impl TransitionSystem for LostUpdate {
    type State = LuState;

    fn initial(&self) -> Outcome<LuState> {
        state(LuState {
            pc: [0; 2],
            local: [0; 2],
            x: 0,
        })
    }

    fn enabled(&self, s: &LuState, out: &mut Vec<Transition>) {
        for i in 0..2u32 {
            if s.pc[i as usize] < 2 {
                out.push(Transition {
                    thread: i,
                    choice: 0,
                });
            }
        }
    }

    fn step(&self, s: &LuState, t: Transition) -> Outcome<LuState> {
        self.step_explained(s, t).0
    }

    fn step_explained(&self, s: &LuState, t: Transition) -> (Outcome<LuState>, StepInfo) {
        let me = t.thread as usize;
        let other = 1 - me;
        let mut n = s.clone();
        let mut findings = Vec::new();
        let mut step = if s.pc[me] == 0 {
            n.local[me] = s.x;
            let mut i = info(t, "X read", Span::new(40, 45));
            i.reads.push(("X".into(), s.x));
            i
        } else {
            n.x = s.local[me] + 1;
            if s.pc[other] == 1 {
                findings.push(finding(
                    ViolationKind::DataRace,
                    RACE_SPAN,
                    Some(t.thread),
                    "data race on `X`",
                ));
            }
            let mut i = info(t, "X write", RACE_SPAN);
            i.writes.push(("X".into(), n.x));
            i
        };
        n.pc[me] += 1;
        step.thread_name = format!("inc[{me}]");
        if n.pc == [2, 2] && n.x != 2 {
            findings.push(finding(
                ViolationKind::AssertionFailure,
                FINAL_SPAN,
                None,
                &format!("assertion failed: X == 2 (X is {})", n.x),
            ));
            let out = Outcome {
                next: Next::Stop,
                findings,
            };
            return (out, step);
        }
        let out = Outcome {
            next: Next::State(n),
            findings,
        };
        (out, step)
    }

    fn status(&self, s: &LuState) -> Status {
        if s.pc == [2, 2] {
            Status::Finished
        } else {
            Status::Running
        }
    }

    fn observe(&self, s: &LuState) -> Vec<(String, i64)> {
        vec![("x".into(), s.x)]
    }
}

pub const DEADLOCK_SPAN: Span = Span { lo: 7, hi: 9 };

/// Two threads take two locks in opposite orders, then release both: a deadlock when each holds one.
pub struct Locks;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LockState {
    pub pc: [u8; 2],
    pub owner: [Option<u8>; 2],
}

impl Locks {
    /// The lock thread `t` takes at `pc` (0 or 1), or `None` for the release step.
    fn wants(t: usize, pc: u8) -> Option<usize> {
        match pc {
            0 => Some(t),
            1 => Some(1 - t),
            _ => None,
        }
    }
}

impl TransitionSystem for Locks {
    type State = LockState;

    fn initial(&self) -> Outcome<LockState> {
        state(LockState {
            pc: [0; 2],
            owner: [None; 2],
        })
    }

    fn enabled(&self, s: &LockState, out: &mut Vec<Transition>) {
        for t in 0..2usize {
            let ok = match (s.pc[t], Self::wants(t, s.pc[t])) {
                (3, _) => false,
                (_, Some(lock)) => s.owner[lock].is_none(),
                (_, None) => true,
            };
            if ok {
                out.push(Transition {
                    thread: t as u32,
                    choice: 0,
                });
            }
        }
    }

    fn step(&self, s: &LockState, t: Transition) -> Outcome<LockState> {
        let me = t.thread as usize;
        let mut n = s.clone();
        match Self::wants(me, s.pc[me]) {
            Some(lock) => n.owner[lock] = Some(me as u8),
            None => n.owner = [None; 2],
        }
        n.pc[me] += 1;
        state(n)
    }

    fn step_explained(&self, s: &LockState, t: Transition) -> (Outcome<LockState>, StepInfo) {
        let op = match Self::wants(t.thread as usize, s.pc[t.thread as usize]) {
            Some(lock) => format!("L{lock}.lock()"),
            None => "unlock both".to_string(),
        };
        (self.step(s, t), info(t, &op, Span::new(3, 5)))
    }

    fn status(&self, s: &LockState) -> Status {
        if s.pc == [3, 3] {
            return Status::Finished;
        }
        let mut v = Vec::new();
        self.enabled(s, &mut v);
        if v.is_empty() {
            Status::Deadlock(finding(
                ViolationKind::Deadlock,
                DEADLOCK_SPAN,
                None,
                "deadlock: every thread is blocked",
            ))
        } else {
            Status::Running
        }
    }

    fn observe(&self, _: &LockState) -> Vec<(String, i64)> {
        Vec::new()
    }
}

/// Thread 0 spins until a flag is set (a spin step that leaves the state unchanged); thread 1 either
/// sets the flag and finishes (choice 0) or finishes without setting it (choice 1). After choice 1
/// the spinner loops forever: a livelock. 4 states, 5 transitions.
pub struct Spin;

/// (spinner done, setter done, flag)
pub type SpinState = (bool, bool, bool);

impl TransitionSystem for Spin {
    type State = SpinState;

    fn initial(&self) -> Outcome<SpinState> {
        state((false, false, false))
    }

    fn enabled(&self, s: &SpinState, out: &mut Vec<Transition>) {
        if !s.0 {
            out.push(Transition {
                thread: 0,
                choice: 0,
            });
        }
        if !s.1 {
            out.push(Transition {
                thread: 1,
                choice: 0,
            });
            out.push(Transition {
                thread: 1,
                choice: 1,
            });
        }
    }

    fn step(&self, s: &SpinState, t: Transition) -> Outcome<SpinState> {
        let (spun, set, flag) = *s;
        state(match (t.thread, t.choice) {
            (0, _) => (flag, set, flag),
            (_, 0) => (spun, true, true),
            _ => (spun, true, flag),
        })
    }

    fn step_explained(&self, s: &SpinState, t: Transition) -> (Outcome<SpinState>, StepInfo) {
        let op = match (t.thread, t.choice) {
            (0, _) => "F.load()",
            (_, 0) => "F.store(true)",
            _ => "return",
        };
        (
            self.step(s, t),
            info(
                t,
                op,
                Span::new(20 + t.thread as usize, 21 + t.thread as usize),
            ),
        )
    }

    fn status(&self, s: &SpinState) -> Status {
        if s.0 && s.1 {
            Status::Finished
        } else {
            Status::Running
        }
    }

    fn observe(&self, s: &SpinState) -> Vec<(String, i64)> {
        vec![("flag".into(), i64::from(s.2))]
    }
}

/// One thread picks `x` in 0..3; `x == 2` is discarded by an `assume!`. 3 states, 3 transitions.
pub struct Choose;

impl TransitionSystem for Choose {
    type State = Option<u32>;

    fn initial(&self) -> Outcome<Option<u32>> {
        state(None)
    }

    fn enabled(&self, s: &Option<u32>, out: &mut Vec<Transition>) {
        if s.is_none() {
            out.extend((0..3).map(|choice| Transition { thread: 0, choice }));
        }
    }

    fn step(&self, _: &Option<u32>, t: Transition) -> Outcome<Option<u32>> {
        if t.choice == 2 {
            return Outcome {
                next: Next::Discard,
                findings: Vec::new(),
            };
        }
        state(Some(t.choice))
    }

    fn step_explained(&self, s: &Option<u32>, t: Transition) -> (Outcome<Option<u32>>, StepInfo) {
        (self.step(s, t), info(t, "choose(0..3)", Span::new(1, 3)))
    }

    fn status(&self, s: &Option<u32>) -> Status {
        if s.is_some() {
            Status::Finished
        } else {
            Status::Running
        }
    }

    fn observe(&self, s: &Option<u32>) -> Vec<(String, i64)> {
        vec![("x".into(), s.map_or(-1, i64::from))]
    }
}

pub const LATE_SPAN: Span = Span { lo: 30, hi: 31 };

/// Thread A takes 3 steps, thread B 2. B's second step fails when B's first step ran before A's
/// first and A is now exactly 1 or 3 steps in. The shortest failing schedule, b a b, needs 2
/// preemptions; b a a a b needs only 1.
pub struct Preempt;

/// (A's steps, B's steps, B went first)
pub type PreemptState = (u8, u8, bool);

impl TransitionSystem for Preempt {
    type State = PreemptState;

    fn initial(&self) -> Outcome<PreemptState> {
        state((0, 0, false))
    }

    fn enabled(&self, s: &PreemptState, out: &mut Vec<Transition>) {
        if s.0 < 3 {
            out.push(Transition {
                thread: 0,
                choice: 0,
            });
        }
        if s.1 < 2 {
            out.push(Transition {
                thread: 1,
                choice: 0,
            });
        }
    }

    fn step(&self, s: &PreemptState, t: Transition) -> Outcome<PreemptState> {
        let (a, b, first) = *s;
        if t.thread == 0 {
            return state((a + 1, b, first));
        }
        if b == 0 {
            return state((a, 1, a == 0));
        }
        if first && (a == 1 || a == 3) {
            return Outcome {
                next: Next::Stop,
                findings: vec![finding(
                    ViolationKind::AssertionFailure,
                    LATE_SPAN,
                    Some(1),
                    "assertion failed: b saw a half-done a",
                )],
            };
        }
        state((a, 2, first))
    }

    fn step_explained(&self, s: &PreemptState, t: Transition) -> (Outcome<PreemptState>, StepInfo) {
        let op = if t.thread == 0 { "a" } else { "b" };
        (self.step(s, t), info(t, op, Span::new(0, 1)))
    }

    fn status(&self, s: &PreemptState) -> Status {
        if s.0 == 3 && s.1 == 2 {
            Status::Finished
        } else {
            Status::Running
        }
    }

    fn observe(&self, _: &PreemptState) -> Vec<(String, i64)> {
        Vec::new()
    }
}
