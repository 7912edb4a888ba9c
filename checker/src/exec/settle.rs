//! Local code and the ends of threads and executions: running a thread's local code up to its next
//! visible operation, finishing a thread, and the `final` block once every thread has finished.

use super::eval::{run_local, Env, Halt};
use super::machine::{Machine, Stopped};
use super::state::{Phase, State};
use crate::explore::{Cut, Finding};
use crate::ir::{Op, Pc};
use crate::report::ViolationKind;

impl Machine<'_> {
    /// The cut for local code (`who`'s) that ran past `--max-local-steps` without reaching a
    /// visible operation or coming back to where it was: it may well end, but not within the bound.
    pub(crate) fn local_steps_cut(&self, who: &str) -> Cut {
        let n = self.options.max_local_steps;
        Cut {
            limit: crate::report::Limit::LocalSteps(n),
            note: format!(
                "the local code of {who} did not reach a visible operation within {n} \
                 instructions (--max-local-steps); the executions through it were not explored"
            ),
        }
    }

    /// Runs `t`'s local code up to its next visible instruction.
    pub(crate) fn settle(&self, s: &mut State, t: u32) -> Result<(), Stopped> {
        let th = *s.thread(t);
        let code = &self.program.codes[th.code.index()];
        let mut pc = th.pc.0;
        let mut budget = self.options.max_local_steps;
        let tid = self.tid(s, t);
        let (locals, cells) = s.locals_and_cells(t, code.locals.len());
        let result = run_local(self.program, code, &mut pc, locals, tid, cells, &mut budget);
        s.thread_mut(t).pc = Pc(pc);
        if result.is_ok() && matches!(self.instr(s, t).map(|i| &i.op), None | Some(Op::End)) {
            // Reaching the end is not a step of its own: the thread finishes in the step whose
            // local code brought it here, so a trace has one row per visible operation.
            return self.end_thread(s, t);
        }
        result.map_err(|halt| match halt {
            Halt::Discard => Stopped::Discard,
            Halt::Fault(f, span) => Stopped::Finding(Finding {
                kind: f.kind,
                message: f.message,
                span,
                related: Vec::new(),
                thread: Some(t),
            }),
            Halt::OutOfBudget => {
                Stopped::Cut(self.local_steps_cut(&format!("thread `{}`", self.thread_name(t, s))))
            }
            Halt::Forever => Stopped::Finding(Finding {
                kind: ViolationKind::Livelock,
                message: format!(
                    "thread `{}` runs forever without a visible operation",
                    self.thread_name(t, s)
                ),
                span: self.instr_span(s, t),
                related: Vec::new(),
                thread: Some(t),
            }),
        })
    }

    /// Every thread has finished: the `final` block runs, and the happens-before bookkeeping is
    /// dropped (nothing happens after the end, so final states with the same values are one).
    pub(crate) fn finish_execution(&self, s: &mut State) -> Result<(), Stopped> {
        let result = self.run_final(s);
        s.hb_reset();
        result
    }

    /// Runs the `final` block against the statics. It may read and write them directly; any other
    /// visible operation ends it.
    pub(crate) fn run_final(&self, s: &mut State) -> Result<(), Stopped> {
        let Some(code_id) = self.program.final_code else {
            return Ok(());
        };
        let code = &self.program.codes[code_id.index()];
        let mut locals = vec![0i64; code.locals.len()];
        let mut pc = 0u32;
        let mut budget = self.options.max_local_steps;
        let finding = |kind, message, span| {
            Stopped::Finding(Finding {
                kind,
                message,
                span,
                related: Vec::new(),
                thread: None,
            })
        };
        loop {
            let halt = run_local(
                self.program,
                code,
                &mut pc,
                &mut locals,
                0,
                s.cells(),
                &mut budget,
            );
            match halt {
                Ok(()) => {}
                Err(Halt::Discard) => return Err(Stopped::Discard),
                Err(Halt::Fault(f, span)) => return Err(finding(f.kind, f.message, span)),
                Err(Halt::Forever) => {
                    let message = "the `final` block runs forever".to_string();
                    return Err(finding(ViolationKind::Livelock, message, code.span));
                }
                Err(Halt::OutOfBudget) => {
                    return Err(Stopped::Cut(self.local_steps_cut("the `final` block")));
                }
            }
            let Some(instr) = code.instrs.get(pc as usize) else {
                return Ok(());
            };
            let env = Env {
                program: self.program,
                locals: &locals,
                tid: 0,
                cells: s.cells(),
            };
            let access = match &instr.op {
                Op::Load { dst, cell, .. } | Op::ReadPlain { dst, cell } => {
                    super::eval::cell_index(cell, &env).map(|c| (Some(*dst), c, 0))
                }
                Op::Store { cell, value, .. } | Op::WritePlain { cell, value } => {
                    super::eval::eval(value, &env)
                        .and_then(|v| super::eval::cell_index(cell, &env).map(|c| (None, c, v)))
                }
                _ => return Ok(()),
            };
            match access {
                Ok((Some(dst), c, _)) => locals[dst.index()] = s.cells()[c],
                Ok((None, c, v)) => s.cells_mut()[c] = v,
                Err(f) => return Err(finding(f.kind, f.message, instr.span)),
            }
            budget = budget.saturating_sub(1);
            pc += 1;
        }
    }

    /// `t`'s local code reached its `End`: it finishes, unless it still holds a lock.
    pub(crate) fn end_thread(&self, s: &mut State, t: u32) -> Result<(), Stopped> {
        if let Some(lock) = self.held_lock(s, t) {
            let who = self.quoted(t, s);
            return Err(Stopped::Finding(Finding {
                kind: ViolationKind::LockMisuse,
                message: format!("{who} finishes while holding `{lock}` (it is never released)"),
                span: self.instr_span(s, t),
                related: Vec::new(),
                thread: Some(t),
            }));
        }
        self.finish_thread(s, t);
        Ok(())
    }

    /// `t` finishes: it can no longer run, so its locals and private views go (canonical states).
    pub(crate) fn finish_thread(&self, s: &mut State, t: u32) {
        let n = self.code_of(s, t).locals.len();
        s.thread_locals_mut(t, n).fill(0);
        s.thread_mut(t).phase = Phase::Finished;
        s.hb_finish(&self.layout, t);
    }
}
