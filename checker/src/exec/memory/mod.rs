//! The memory-model seam: how atomic accesses and fences behave under each [`MemoryModel`].
//!
//! Under `sc` an atomic location is one value and every load reads it (`exec/ops.rs` does the
//! rest, with happens-before in `hb.rs`). Under the weak models (`ra`, `rc11`) weft runs a
//! view-based operational semantics in the style of the promise-free *promising semantics* (Kang
//! et al., POPL 2017), which keeps states finite and canonical:
//! - each atomic location keeps its messages in modification order (`messages.rs`), each with a
//!   value and the view an acquiring load joins;
//! - each thread has a current view (per location, the newest message it knows of), the view of
//!   its last release fence (what its relaxed stores publish) and the views its relaxed loads read
//!   that an acquire fence would join: the three happens-before slots of `hb.rs`, whose timestamp
//!   words are these views;
//! - a load may read any message at or above its thread's view (each is an alternative, like a
//!   `choose`, the newest first); a store may go anywhere in the modification order above its
//!   thread's view, except between a message and the read-modify-write that read it; a
//!   read-modify-write reads a message whose successor is not already such an RMW, and goes right
//!   after it (atomicity); a compare-exchange that fails is a load;
//! - release sequences follow C++20: an RMW's message carries the view of the message it read;
//!   a relaxed store's message carries its thread's last release fence;
//! - `SeqCst` fences join the thread's view with a global `SeqCst` view and back (as in the
//!   promising semantics); `SeqCst` accesses are exact when every atomic access of the program is
//!   `SeqCst` (each then also joins the global view before and after, which gives sequential
//!   consistency, as RC11 does for such programs), and otherwise are checked as `Acquire`/`Release`
//!   accesses, an over-approximation that the report states ([`Machine::notes`]).
//!
//! Load buffering (a cycle of program order and reads-from) cannot happen: a load reads a message
//! that exists when it runs. RC11 forbids it too.

mod access;
mod messages;
mod tso;

use super::machine::Machine;
use super::state::{State, Stored};
use crate::ir::{Op, Ordering};
use crate::MemoryModel;

/// How `SeqCst` accesses (not fences) are treated under the weak models.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SeqCstAccesses {
    /// Every atomic access of the program is `SeqCst`: each also joins the global `SeqCst` view
    /// before it and publishes into it after, which is exact (the program is sequentially
    /// consistent under RC11).
    Exact,
    /// As `Acquire`/`Release`/`AcqRel` accesses: the `ra` model, or `SeqCst` accesses mixed with
    /// weaker ones under `rc11` (an over-approximation there).
    AsAcqRel,
}

/// What kind of access an ordering belongs to, for the `ra` model's upgrade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    Load,
    Store,
    Rmw,
}

/// The alternatives of a compare-exchange under a weak model: which message it reads (an index)
/// and whether it succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CasChoice {
    pub(crate) read: usize,
    pub(crate) success: bool,
}

/// The operations of the threads' code (not the `final` block, which reads and writes the statics
/// directly after every thread has finished).
fn thread_ops(program: &crate::ir::Program) -> impl Iterator<Item = &Op> + '_ {
    let final_code = program.final_code.map(|c| c.index());
    program
        .codes
        .iter()
        .enumerate()
        .filter(move |(i, _)| Some(*i) != final_code)
        .flat_map(|(_, code)| code.instrs.iter().map(|instr| &instr.op))
}

/// The `SeqCst` policy of `program`'s atomics under `model`.
pub(crate) fn seq_cst_policy(program: &crate::ir::Program, model: MemoryModel) -> SeqCstAccesses {
    if model != MemoryModel::Rc11 {
        return SeqCstAccesses::AsAcqRel;
    }
    let mut orders = thread_ops(program).flat_map(|op| match op {
        Op::Load { order, .. } | Op::Store { order, .. } | Op::Rmw { order, .. } => {
            vec![*order]
        }
        Op::CompareExchange {
            success, failure, ..
        } => vec![*success, *failure],
        _ => Vec::new(),
    });
    if orders.all(|o| o == Ordering::SeqCst) {
        SeqCstAccesses::Exact
    } else {
        SeqCstAccesses::AsAcqRel
    }
}

/// Per atomic location (by atomic index): is every access to it outside the `final` block a
/// read-modify-write (`fetch_add`, `swap`, ...)? Then only its newest message can ever be read
/// again: each older message has the RMW that read it right after it, so no RMW can read it, and
/// no load or compare-exchange exists to read it. The canonical form keeps just that message.
pub(crate) fn rmw_only_locations(program: &crate::ir::Program, atomic_of: &[u32]) -> Box<[bool]> {
    let atomics = atomic_of
        .iter()
        .filter(|&&a| a != super::state::NONE)
        .count();
    let mut only = vec![true; atomics];
    for op in thread_ops(program) {
        let cell = match op {
            Op::Load { cell, .. } | Op::Store { cell, .. } | Op::CompareExchange { cell, .. } => {
                cell
            }
            _ => continue,
        };
        let decl = program.static_decl(cell.var);
        for c in decl.base..decl.base + decl.elements() {
            if let Some(&a) = atomic_of.get(c as usize) {
                if let Some(flag) = only.get_mut(a as usize) {
                    *flag = false;
                }
            }
        }
    }
    only.into_boxed_slice()
}

/// Does `program` have a `SeqCst` access (not a fence) outside its `final` block?
pub(crate) fn has_seq_cst_access(program: &crate::ir::Program) -> bool {
    thread_ops(program).any(|op| {
        matches!(
            op,
            Op::Load {
                order: Ordering::SeqCst,
                ..
            } | Op::Store {
                order: Ordering::SeqCst,
                ..
            } | Op::Rmw {
                order: Ordering::SeqCst,
                ..
            } | Op::CompareExchange {
                success: Ordering::SeqCst,
                ..
            }
        )
    })
}

impl Machine<'_> {
    /// The ordering an access behaves with: under `ra` every access is release/acquire.
    pub(crate) fn effective(&self, order: Ordering, access: Access) -> Ordering {
        if self.options.memory_model != MemoryModel::Ra {
            return order;
        }
        match access {
            Access::Load => Ordering::Acquire,
            Access::Store => Ordering::Release,
            Access::Rmw => Ordering::AcqRel,
        }
    }

    /// Does this access join the global `SeqCst` view?
    fn joins_sc(&self, order: Ordering) -> bool {
        order == Ordering::SeqCst && self.seq_cst == SeqCstAccesses::Exact
    }

    /// What the report must say about where this check approximates RC11 (empty when exact).
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.options.memory_model == MemoryModel::Rc11
            && self.seq_cst == SeqCstAccesses::AsAcqRel
            && has_seq_cst_access(self.program)
        {
            out.push(
                "SeqCst accesses mixed with weaker atomic accesses are checked as Acquire/Release: \
                 an execution reported here may be one that RC11's SeqCst order forbids \
                 (docs/memory-models.md)"
                    .to_string(),
            );
        }
        out
    }

    /// The initial messages: one per atomic location, its initial value, with an empty view.
    pub(crate) fn initial_messages(&self, stride: u32) -> Box<[super::state::Messages]> {
        let init = &self.program.cell_init;
        (0..init.len())
            .filter(|&c| self.atomic_of[c] != super::state::NONE)
            .map(|c| {
                let mut loc = super::state::Messages::new();
                loc.push(Stored {
                    value: init[c],
                    rmw: false,
                    view: smallvec::smallvec![0; stride as usize],
                });
                loc
            })
            .collect()
    }

    /// The number of atomic locations (each a timestamp word of every view under a weak model).
    pub(crate) fn layout_atomics(&self) -> u32 {
        self.atomic_of
            .iter()
            .filter(|&&a| a != super::state::NONE)
            .count() as u32
    }

    /// The oldest message of atomic `a` that `t` may read (its view, and the global `SeqCst` view
    /// for an access that joins it).
    fn readable_from(&self, s: &State, t: u32, a: usize, order: Ordering) -> usize {
        let mut from = s.stamp(self.layout.view(t), a);
        if self.joins_sc(order) {
            from = from.max(s.stamp(self.layout.sc(), a));
        }
        from as usize
    }

    /// The messages a load of atomic `a` by `t` may read, newest first (choice `k` reads the
    /// `k`-th).
    fn load_candidates(
        &self,
        s: &State,
        t: u32,
        a: usize,
        order: Ordering,
    ) -> std::ops::Range<usize> {
        self.readable_from(s, t, a, order)..s.memory()[a].len()
    }

    /// Where a store by `t` to atomic `a` may go, newest place first: the indices the new message
    /// may take (after any message at or above `t`'s view that no RMW is attached to).
    fn store_places<'s>(
        &'s self,
        s: &'s State,
        t: u32,
        a: usize,
        order: Ordering,
    ) -> impl Iterator<Item = usize> + 's {
        // Right after a message an RMW could still read: one at or above the view, with no RMW
        // attached after it.
        self.rmw_reads(s, t, a, order).map(|p| p + 1)
    }

    /// The messages an RMW of atomic `a` by `t` may read, newest first: readable ones that no other
    /// RMW has read.
    fn rmw_reads<'s>(
        &'s self,
        s: &'s State,
        t: u32,
        a: usize,
        order: Ordering,
    ) -> impl Iterator<Item = usize> + 's {
        let msgs = &s.memory()[a];
        self.load_candidates(s, t, a, order)
            .rev()
            .filter(move |&i| i + 1 == msgs.len() || !msgs[i + 1].rmw)
    }

    /// The alternatives of a compare-exchange of atomic `a` by `t` expecting `current`, in order.
    pub(crate) fn cas_choices(
        &self,
        s: &State,
        t: u32,
        a: usize,
        (current, weak_cas): (i64, bool),
        (success, failure): (Ordering, Ordering),
    ) -> Vec<CasChoice> {
        let msgs = &s.memory()[a];
        let succ = self.effective(success, Access::Rmw);
        let fail = self.effective(failure, Access::Load);
        // Both orderings join the global view or neither (`SeqCstAccesses::Exact` makes every
        // access `SeqCst`), so the readable messages are the same for both outcomes.
        debug_assert_eq!(self.joins_sc(succ), self.joins_sc(fail));
        let mut out = Vec::new();
        for i in self.load_candidates(s, t, a, succ).rev() {
            if msgs[i].value == current {
                if i + 1 == msgs.len() || !msgs[i + 1].rmw {
                    out.push(CasChoice {
                        read: i,
                        success: true,
                    });
                }
                if weak_cas {
                    out.push(CasChoice {
                        read: i,
                        success: false,
                    });
                }
            } else {
                out.push(CasChoice {
                    read: i,
                    success: false,
                });
            }
        }
        out
    }

    /// How many alternatives an atomic access by `t` has under a weak model (`None` under SC,
    /// or for an operation that is not an atomic access).
    pub(crate) fn weak_alternatives(
        &self,
        s: &State,
        t: u32,
        op: &Op,
        c: usize,
        current: Option<i64>,
    ) -> Option<u32> {
        if !self.options.memory_model.uses_messages() {
            return None;
        }
        let a = self.atomic_of[c] as usize;
        let n = match op {
            Op::Load { order, .. } => self
                .load_candidates(s, t, a, self.effective(*order, Access::Load))
                .len(),
            Op::Store { order, .. } => self
                .store_places(s, t, a, self.effective(*order, Access::Store))
                .count(),
            Op::Rmw { order, .. } => self
                .rmw_reads(s, t, a, self.effective(*order, Access::Rmw))
                .count(),
            Op::CompareExchange {
                weak,
                success,
                failure,
                ..
            } => self
                .cas_choices(s, t, a, (current?, *weak), (*success, *failure))
                .len(),
            _ => return None,
        };
        Some(n as u32)
    }
}
