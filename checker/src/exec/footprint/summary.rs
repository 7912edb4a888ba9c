//! The static side of footprints: per instruction, everything a thread may touch from there on
//! (spawned code included), where it may land, and the steps whose footprint no state can change;
//! computed once per search by fixpoints over each code's control flow.

use smallvec::SmallVec;

use super::Tables;
use crate::ir::{Cell, Code, Obj, Op};

impl Tables<'_, '_> {
    /// Per code and pc, everything reachable from there, spawned code included.
    pub(super) fn summaries(&self) -> Vec<Vec<u64>> {
        let w2 = self.set;
        let codes = &self.m.program.codes;
        let mut future: Vec<Vec<u64>> = codes
            .iter()
            .map(|c| {
                let mut set = vec![0u64; (c.instrs.len() + 1) * w2];
                for (pc, i) in c.instrs.iter().enumerate() {
                    self.own(&i.op, &mut self.access(&mut set[pc * w2..(pc + 1) * w2]));
                }
                set
            })
            .collect();
        // Spawned code can be nested: repeat until no code's entry summary grows.
        loop {
            let mut grew = false;
            for (ci, code) in codes.iter().enumerate() {
                for (pc, i) in code.instrs.iter().enumerate() {
                    if let Op::Spawn { code: child, .. } = &i.op {
                        let entry: Vec<u64> = future
                            .get(child.index())
                            .map(|f| f[..w2].to_vec())
                            .unwrap_or_default();
                        let set = &mut future[ci][pc * w2..(pc + 1) * w2];
                        for (d, s) in set.iter_mut().zip(&entry) {
                            if *d | s != *d {
                                *d |= s;
                                grew = true;
                            }
                        }
                    }
                }
                let before = future[ci][..w2].to_vec();
                propagate(code, &mut future[ci], w2, |pc| successors(code, pc));
                grew |= future[ci][..w2] != before[..];
            }
            if !grew {
                return future;
            }
        }
    }

    /// Per code and pc, the `recv` channels a step from there may leave its thread resting on.
    pub(super) fn landings(&self) -> Vec<Vec<u64>> {
        let w2 = self.set;
        let codes = &self.m.program.codes;
        // Per pc: the channels of the `recv`s local code from there can reach before any other
        // visible operation.
        let entry: Vec<Vec<u64>> = codes
            .iter()
            .map(|c| {
                let mut set = vec![0u64; (c.instrs.len() + 1) * w2];
                for (pc, i) in c.instrs.iter().enumerate() {
                    if let Op::Recv { ch, .. } = &i.op {
                        let mut a = self.access(&mut set[pc * w2..(pc + 1) * w2]);
                        a.write_all(self.obj_static(ch));
                    }
                }
                propagate(c, &mut set, w2, |pc| match c.instrs.get(pc) {
                    Some(i) if i.op.is_visible() => SmallVec::new(),
                    _ => successors(c, pc),
                });
                set
            })
            .collect();
        codes
            .iter()
            .zip(&entry)
            .map(|(c, e)| {
                let mut set = vec![0u64; (c.instrs.len() + 1) * w2];
                for (pc, i) in c.instrs.iter().enumerate() {
                    let dst = &mut set[pc * w2..(pc + 1) * w2];
                    let mut a = self.access(dst);
                    a.add(&e[(pc + 1) * w2..(pc + 2) * w2]);
                    if let Op::Spawn { code: child, .. } = &i.op {
                        if let Some(ce) = entry.get(child.index()) {
                            a.add(&ce[..w2]);
                        }
                    }
                }
                set
            })
            .collect()
    }

    /// Per code and pc, the footprint of a step whose footprint is the same in every state: its
    /// operands name their objects without an index or with a constant one (then evaluating the
    /// index gives what [`Tables::own`] assumes: that element, or for a constant out of range, the
    /// whole static, which is also what [`Tables::next`] falls back to), and it reads no guard.
    pub(super) fn fixed_steps(&self) -> Vec<Vec<Option<Box<[u64]>>>> {
        let fixed_index = |index: &Option<crate::ir::Expr>| {
            matches!(index, None | Some(crate::ir::Expr::Const(_)))
        };
        let cell = |c: &Cell| fixed_index(&c.index);
        let obj = |o: &Obj| fixed_index(&o.index);
        self.m
            .program
            .codes
            .iter()
            .map(|code| {
                code.instrs
                    .iter()
                    .map(|i| {
                        let fixed = match &i.op {
                            Op::Load { cell: c, .. }
                            | Op::ReadPlain { cell: c, .. }
                            | Op::Rmw { cell: c, .. }
                            | Op::Store { cell: c, .. }
                            | Op::CompareExchange { cell: c, .. }
                            | Op::WritePlain { cell: c, .. } => cell(c),
                            Op::Lock { mutex: o, .. }
                            | Op::TryLock { mutex: o, .. }
                            | Op::Unlock { mutex: o }
                            | Op::RwLock { rw: o, .. }
                            | Op::Notify { cv: o, .. }
                            | Op::Send { ch: o, .. }
                            | Op::Recv { ch: o, .. }
                            | Op::TrySend { ch: o, .. }
                            | Op::TryRecv { ch: o, .. }
                            | Op::BarrierWait { barrier: o } => obj(o),
                            // The guard's lock is known only in the state.
                            Op::DropGuard { .. } | Op::CondWait { .. } => false,
                            Op::Spawn { .. }
                            | Op::Join { .. }
                            | Op::Fence { .. }
                            | Op::Choose { .. }
                            | Op::Yield
                            | Op::End
                            | Op::Set { .. }
                            | Op::Jump { .. }
                            | Op::Branch { .. }
                            | Op::Assert { .. }
                            | Op::Assume { .. }
                            | Op::Fail { .. } => true,
                        };
                        fixed.then(|| {
                            let mut set = vec![0u64; self.set];
                            self.own(&i.op, &mut self.access(&mut set));
                            set.into_boxed_slice()
                        })
                    })
                    .collect()
            })
            .collect()
    }
}

/// The pcs control can go to after `pc` (staying on a multi-step operation adds nothing).
fn successors(code: &Code, pc: usize) -> SmallVec<[usize; 2]> {
    let Some(instr) = code.instrs.get(pc) else {
        return SmallVec::new();
    };
    match &instr.op {
        Op::Jump { target } => SmallVec::from_elem(target.index(), 1),
        Op::Branch {
            if_true, if_false, ..
        } => SmallVec::from_slice(&[if_true.index(), if_false.index()]),
        Op::Fail { .. } | Op::End => SmallVec::new(),
        _ => SmallVec::from_elem(pc + 1, 1),
    }
}

/// Least fixpoint of `set[pc] = own[pc] | set[succ]...` over one code, `w2` words per pc, iterating
/// backwards (loops need a few passes).
fn propagate(
    code: &Code,
    set: &mut [u64],
    w2: usize,
    succ: impl Fn(usize) -> SmallVec<[usize; 2]>,
) {
    let n = code.instrs.len();
    let mut changed = true;
    while changed {
        changed = false;
        for pc in (0..n).rev() {
            for s in succ(pc) {
                if s > n || s == pc {
                    continue;
                }
                for k in 0..w2 {
                    let v = set[s * w2 + k];
                    let d = &mut set[pc * w2 + k];
                    if *d | v != *d {
                        *d |= v;
                        changed = true;
                    }
                }
            }
        }
    }
}
