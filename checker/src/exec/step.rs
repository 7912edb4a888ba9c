//! One step of a thread: the visible operation, then the thread's local code up to its next
//! visible instruction (or its end), then, when every thread has finished, the `final` block; and
//! what becomes of the state the step wrote (a spin in place goes back to the state it left).
//!
//! Every transition of the search comes through here, so the state is copied once, up front, into
//! a block of its own (or into a spare the search handed back): the step writes at once, and a
//! clone that the first write would copy costs two atomic count updates for nothing.

use super::machine::{Cx, Explain, Flow, Machine, Stopped};
use super::state::{Phase, State};
use crate::explore::{Next, Outcome, StepInfo, Transition};

impl Machine<'_> {
    /// One step; `spares` holds states the search no longer needs, whose blocks a step may write
    /// into instead of allocating (`State::copied_into`).
    pub(crate) fn run(
        &self,
        state: &State,
        tr: Transition,
        explain: Option<&mut Option<StepInfo>>,
        spares: Option<&mut Vec<State>>,
    ) -> Outcome<State> {
        let t = tr.thread;
        if self.tso() && self.has_buffered(state, t) && tr.choice == self.own_alternatives(state, t)
        {
            return self.flush_step(state, t, explain);
        }
        match state.threads.get(t as usize) {
            Some(th) if th.phase != Phase::Finished => {}
            _ => {
                return Outcome {
                    next: Next::Discard,
                    findings: Vec::new(),
                }
            }
        }
        if explain.is_none() && tr.choice == 0 && !self.tso() && self.load_spins(state, t) {
            return Outcome {
                next: Next::State(state.clone()),
                findings: Vec::new(),
            };
        }
        let mut spares = spares;
        let mut s = match spares.as_mut().and_then(|p| State::pop_unshared(p)) {
            Some(spare) => state.copied_into(spare),
            None => state.copied(),
        };
        let mut cx = Cx {
            t,
            pc: s.thread(t).pc.0,
            code: self.code_of(&s, t),
            findings: Vec::new(),
            explain: explain.is_some().then(Explain::default),
            child_stopped: None,
        };
        // `Err(None)`: the fatal finding is already in `cx.findings`.
        let mut next: Result<(), Option<Stopped>> =
            match self.exec_visible(&mut s, &mut cx, tr.choice) {
                Flow::Advance => {
                    s.thread_mut(t).pc.0 += 1;
                    match (self.settle(&mut s, t), cx.child_stopped.take()) {
                        (Ok(()), Some(child)) => Err(Some(child)),
                        (settled, _) => settled.map_err(Some),
                    }
                }
                Flow::Stay => Ok(()),
                Flow::Stop => Err(None),
                Flow::Discard => Err(Some(Stopped::Discard)),
            };
        if let Some(e) = &mut cx.explain {
            // A step that stops (a fatal finding in the operation itself) or is not enabled described
            // nothing; a trace still needs to say what the thread tried to do.
            if e.operation.is_empty() {
                e.operation = self.attempted(state, t);
            }
            if next.is_ok() && s.thread(t).phase == Phase::Finished {
                e.operation.push_str("; finishes");
            }
        }
        s.hb_normalize(&self.layout, t);
        if next.is_ok() && cx.findings.is_empty() && self.spins_in_place(state, &s, t) {
            let written = std::mem::replace(&mut s, state.clone());
            if let Some(p) = spares {
                p.push(written);
            }
            if let Some(e) = &mut cx.explain {
                e.operation.push_str("; spins in place");
            }
        } else if self.options.memory_model.uses_messages() {
            // After the spin check, which compares the messages as the read left them.
            s.collect_messages(&self.layout, &self.rmw_only);
        }
        if next.is_ok() && s.all_finished() {
            next = self.finish_execution(&mut s).map_err(Some);
        }
        if let (Some(info), Some(e)) = (explain, cx.explain.take()) {
            *info = Some(StepInfo {
                thread: t,
                thread_name: self.thread_name(t, &s),
                operation: e.operation,
                span: cx.span(),
                reads: e.reads,
                writes: e.writes,
            });
        }
        let mut findings = cx.findings;
        let next = match next {
            // Only the weak models have bounds of their own.
            Ok(()) if s.weak.is_none() => Next::State(s),
            Ok(()) => match self.history_cut(&s).or_else(|| self.buffer_cut(&s)) {
                Some(cut) => Next::Cut(cut),
                None => Next::State(s),
            },
            Err(None) => Next::Stop,
            Err(Some(Stopped::Discard)) => Next::Discard,
            Err(Some(Stopped::Finding(f))) => {
                findings.push(f);
                Next::Stop
            }
            Err(Some(Stopped::Cut(cut))) => Next::Cut(cut),
        };
        Outcome { next, findings }
    }
}
