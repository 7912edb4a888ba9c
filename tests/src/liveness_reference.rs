//! The dead variable reduction as it was first written, kept as a reference for the one in
//! `weft::ir` (`checker/src/ir/liveness.rs`): one bitset of all locals per instruction, iterated to a
//! fixpoint over instructions. Simple enough to trust, and quadratic (instructions × locals bits),
//! which is why the library no longer uses it. `tests/liveness.rs` checks both insert the same zeroes.
//!
//! A thread's locals are part of the state at every preemption point. A temporary holding a value
//! read steps ago, or a counter after its loop, would otherwise split states that behave the same.
//! Liveness is computed backwards over each code's control flow; a forward pass finds which dead
//! locals may be non-zero, and a `Set local = 0` is inserted before the visible operation for each
//! of them. Jumps to that operation land on the inserted instructions. The program's behaviour is
//! unchanged: only values that are never read again are touched.

use weft::ir::{Cell, Code, Expr, Instr, LocalId, Obj, Op, Pc, Program};

/// Zero dead locals in every code of `program` (see the module documentation).
pub fn zero_dead_locals(program: &mut Program) {
    // A spawned code starts with its captures set; every other local starts at zero.
    let mut entry: Vec<Vec<LocalId>> = vec![Vec::new(); program.codes.len()];
    for code in &program.codes {
        for instr in &code.instrs {
            if let Op::Spawn { code, captures, .. } = &instr.op {
                if let Some(e) = entry.get_mut(code.index()) {
                    e.extend(captures.iter().map(|(_, own)| *own));
                }
            }
        }
    }
    for (code, entry) in program.codes.iter_mut().zip(&entry) {
        zero_in_code(code, entry);
    }
}

/// A fixed-size set of locals.
#[derive(Clone, PartialEq, Eq)]
struct Set(Vec<u64>);

impl Set {
    fn new(n: usize) -> Set {
        Set(vec![0; n.div_ceil(64)])
    }
    fn insert(&mut self, l: LocalId) {
        if let Some(w) = self.0.get_mut(l.index() / 64) {
            *w |= 1 << (l.index() % 64);
        }
    }
    fn remove(&mut self, l: LocalId) {
        if let Some(w) = self.0.get_mut(l.index() / 64) {
            *w &= !(1 << (l.index() % 64));
        }
    }
    fn contains(&self, l: usize) -> bool {
        self.0.get(l / 64).is_some_and(|w| w & (1 << (l % 64)) != 0)
    }
    fn union_with(&mut self, o: &Set) -> bool {
        let mut changed = false;
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            let n = *a | b;
            changed |= n != *a;
            *a = n;
        }
        changed
    }
    fn intersect_with(&mut self, o: &Set) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a &= b;
        }
    }
}

fn expr_uses(e: &Expr, out: &mut Vec<LocalId>) {
    match e {
        Expr::Const(_) | Expr::Tid => {}
        Expr::Local(l) => out.push(*l),
        Expr::Static(c) => cell_uses(c, out),
        Expr::Unary(_, a) => expr_uses(a, out),
        Expr::Binary(_, a, b) => {
            expr_uses(a, out);
            expr_uses(b, out);
        }
    }
}

fn cell_uses(c: &Cell, out: &mut Vec<LocalId>) {
    if let Some(i) = &c.index {
        expr_uses(i, out);
    }
}

fn obj_uses(o: &Obj, out: &mut Vec<LocalId>) {
    if let Some(i) = &o.index {
        expr_uses(i, out);
    }
}

/// The locals an instruction reads, and those it writes.
fn uses_defs(op: &Op) -> (Vec<LocalId>, Vec<LocalId>) {
    let mut u = Vec::new();
    let mut d = Vec::new();
    match op {
        Op::Set { dst, value } => {
            expr_uses(value, &mut u);
            d.push(*dst);
        }
        Op::Jump { .. } | Op::Fail { .. } | Op::Fence { .. } | Op::Yield | Op::End => {}
        Op::Branch { cond, .. } | Op::Assume { cond } => expr_uses(cond, &mut u),
        Op::Assert { cond, operands, .. } => {
            expr_uses(cond, &mut u);
            operands.iter().for_each(|e| expr_uses(e, &mut u));
        }
        Op::Load { dst, cell, .. } | Op::ReadPlain { dst, cell } => {
            cell_uses(cell, &mut u);
            d.push(*dst);
        }
        Op::Store { cell, value, .. } | Op::WritePlain { cell, value } => {
            cell_uses(cell, &mut u);
            expr_uses(value, &mut u);
        }
        Op::Rmw {
            dst, cell, value, ..
        } => {
            cell_uses(cell, &mut u);
            expr_uses(value, &mut u);
            d.extend(dst);
        }
        Op::CompareExchange {
            dst_ok,
            dst_value,
            cell,
            current,
            new,
            ..
        } => {
            cell_uses(cell, &mut u);
            expr_uses(current, &mut u);
            expr_uses(new, &mut u);
            d.extend(dst_ok);
            d.extend(dst_value);
        }
        Op::Lock { mutex, guard } => {
            obj_uses(mutex, &mut u);
            d.extend(guard);
        }
        Op::TryLock { mutex, dst } => {
            obj_uses(mutex, &mut u);
            d.extend(dst);
        }
        Op::Unlock { mutex } => obj_uses(mutex, &mut u),
        Op::RwLock { rw, guard, .. } => {
            obj_uses(rw, &mut u);
            d.extend(guard);
        }
        Op::DropGuard { guard, .. } => u.push(*guard),
        Op::CondWait { cv, guard } => {
            obj_uses(cv, &mut u);
            u.push(*guard);
        }
        Op::Notify { cv, .. } => obj_uses(cv, &mut u),
        Op::Send { ch, value } => {
            obj_uses(ch, &mut u);
            expr_uses(value, &mut u);
        }
        Op::Recv { ch, dst } => {
            obj_uses(ch, &mut u);
            d.extend(dst);
        }
        Op::TrySend { ch, value, dst } => {
            obj_uses(ch, &mut u);
            expr_uses(value, &mut u);
            d.extend(dst);
        }
        Op::TryRecv {
            ch,
            dst_some,
            dst_value,
        } => {
            obj_uses(ch, &mut u);
            d.extend(dst_some);
            d.extend(dst_value);
        }
        Op::BarrierWait { barrier } => obj_uses(barrier, &mut u),
        Op::Spawn { captures, dst, .. } => {
            u.extend(captures.iter().map(|(p, _)| *p));
            d.extend(dst);
        }
        Op::Join { handle } => expr_uses(handle, &mut u),
        Op::Choose { dst, lo, hi, .. } => {
            expr_uses(lo, &mut u);
            expr_uses(hi, &mut u);
            d.push(*dst);
        }
    }
    (u, d)
}

fn successors(pc: usize, op: &Op, n: usize) -> Vec<usize> {
    let next = |p: usize| if p < n { vec![p] } else { Vec::new() };
    match op {
        Op::Jump { target } => next(target.index()),
        Op::Branch {
            if_true, if_false, ..
        } => [next(if_true.index()), next(if_false.index())].concat(),
        Op::End | Op::Fail { .. } => Vec::new(),
        _ => next(pc + 1),
    }
}

/// Insert the zeroing `Set`s into one code. `entry` holds the locals that may be non-zero when the
/// code starts (a spawned thread's captures).
fn zero_in_code(code: &mut Code, entry: &[LocalId]) {
    let n = code.instrs.len();
    let nl = code.locals.len();
    if n == 0 || nl == 0 {
        return;
    }
    let ud: Vec<(Vec<LocalId>, Vec<LocalId>)> =
        code.instrs.iter().map(|i| uses_defs(&i.op)).collect();
    let succ: Vec<Vec<usize>> = code
        .instrs
        .iter()
        .enumerate()
        .map(|(pc, i)| successors(pc, &i.op, n))
        .collect();
    // Backward liveness.
    let mut live_in = vec![Set::new(nl); n];
    let mut changed = true;
    while changed {
        changed = false;
        for pc in (0..n).rev() {
            let mut s = Set::new(nl);
            for &q in &succ[pc] {
                s.union_with(&live_in[q]);
            }
            for d in &ud[pc].1 {
                s.remove(*d);
            }
            for u in &ud[pc].0 {
                s.insert(*u);
            }
            if s != live_in[pc] {
                live_in[pc] = s;
                changed = true;
            }
        }
    }
    // Forward: locals that may be non-zero on entry to each instruction (after zeroing at visible
    // operations, only live ones remain).
    let visible: Vec<bool> = code.instrs.iter().map(|i| i.op.is_visible()).collect();
    let mut dirty_in = vec![Set::new(nl); n];
    for l in entry {
        dirty_in[0].insert(*l);
    }
    let mut changed = true;
    while changed {
        changed = false;
        for pc in 0..n {
            let mut out = dirty_in[pc].clone();
            if visible[pc] {
                out.intersect_with(&live_in[pc]);
            }
            for d in &ud[pc].1 {
                out.insert(*d);
            }
            for &q in &succ[pc] {
                changed |= dirty_in[q].union_with(&out);
            }
        }
    }
    // Rebuild with the zeroing instructions, remapping jump targets.
    let mut new_pc = vec![0u32; n];
    let mut instrs = Vec::with_capacity(n);
    let mut zeroes: Vec<Vec<LocalId>> = Vec::with_capacity(n);
    for pc in 0..n {
        // `End` is skipped: a finished thread's locals are cleared by the semantics anyway. A local
        // the operation itself writes is zeroed too: the state at a preemption point is taken
        // before the operation runs, so an old value there would still split states.
        let z: Vec<LocalId> = if visible[pc] && !matches!(code.instrs[pc].op, Op::End) {
            (0..nl)
                .filter(|&l| dirty_in[pc].contains(l) && !live_in[pc].contains(l))
                .map(|l| LocalId(l as u32))
                .collect()
        } else {
            Vec::new()
        };
        zeroes.push(z);
    }
    let mut at = 0u32;
    for pc in 0..n {
        new_pc[pc] = at;
        at += zeroes[pc].len() as u32 + 1;
    }
    let old = std::mem::take(&mut code.instrs);
    for (pc, mut instr) in old.into_iter().enumerate() {
        for l in &zeroes[pc] {
            instrs.push(Instr {
                op: Op::Set {
                    dst: *l,
                    value: Expr::Const(0),
                },
                span: instr.span,
            });
        }
        match &mut instr.op {
            Op::Jump { target } => *target = Pc(new_pc[target.index()]),
            Op::Branch {
                if_true, if_false, ..
            } => {
                *if_true = Pc(new_pc[if_true.index()]);
                *if_false = Pc(new_pc[if_false.index()]);
            }
            _ => {}
        }
        instrs.push(instr);
    }
    code.instrs = instrs;
}
