//! Dead variable reduction: zero the locals no instruction will read again before each visible
//! operation, so states that differ only in such values become one state.
//!
//! A thread's locals are part of the state at every preemption point. A temporary holding a value
//! read steps ago, or a counter after its loop, would otherwise split states that behave the same.
//! Liveness is computed backwards over each code's control flow; a forward pass finds which dead
//! locals may be non-zero, and a `Set local = 0` is inserted before the visible operation for each
//! of them. Jumps to that operation land on the inserted instructions. The program's behaviour is
//! unchanged: only values that are never read again are touched.
//!
//! Both passes run over basic blocks, not instructions, and keep their sets as runs of consecutive
//! local ids ([`IdSet`]). A set of all locals per instruction costs instructions × locals bits: a
//! thread of 100,000 `let`s took 2.5 GB, a million aborted. Here a block holds one set per pass, and
//! a set is as large as its runs; lowering numbers locals in the order it meets them, so the locals
//! a stretch of local code defines are mostly one run. The result is the same least fixpoint as the
//! per-instruction equations (`tests/tests/liveness.rs` compares the two), so the zeroes inserted,
//! and every state count, are unchanged.

use std::collections::VecDeque;

use smallvec::SmallVec;

use crate::ir::idset::IdSet;
use crate::ir::program::{Cell, Code, Expr, Instr, LocalId, Obj, Op, Pc, Program};

/// Zero dead locals in every code of `program` (see the module documentation).
pub fn zero_dead_locals(program: &mut Program) {
    let entry = entry_locals(program);
    for (code, entry) in program.codes.iter_mut().zip(&entry) {
        zero_in_code(code, entry);
    }
}

/// For each code, the locals that may be non-zero when it starts: a spawned code starts with its
/// captures set; every other local starts at zero.
fn entry_locals(program: &Program) -> Vec<Vec<LocalId>> {
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
    entry
}

fn expr_uses(e: &Expr, f: &mut impl FnMut(LocalId)) {
    match e {
        Expr::Const(_) | Expr::Tid => {}
        Expr::Local(l) => f(*l),
        Expr::Static(c) => cell_uses(c, f),
        Expr::Unary(_, a) => expr_uses(a, f),
        Expr::Binary(_, a, b) => {
            expr_uses(a, f);
            expr_uses(b, f);
        }
    }
}

fn cell_uses(c: &Cell, f: &mut impl FnMut(LocalId)) {
    if let Some(i) = &c.index {
        expr_uses(i, f);
    }
}

fn obj_uses(o: &Obj, f: &mut impl FnMut(LocalId)) {
    if let Some(i) = &o.index {
        expr_uses(i, f);
    }
}

/// Call `f` on every local an instruction reads.
fn for_each_use(op: &Op, f: &mut impl FnMut(LocalId)) {
    match op {
        Op::Set { value, .. } => expr_uses(value, f),
        Op::Jump { .. } | Op::Fail { .. } | Op::Fence { .. } | Op::Yield | Op::End => {}
        Op::Branch { cond, .. } | Op::Assume { cond } => expr_uses(cond, f),
        Op::Assert { cond, operands, .. } => {
            expr_uses(cond, f);
            operands.iter().for_each(|e| expr_uses(e, f));
        }
        Op::Load { cell, .. } | Op::ReadPlain { cell, .. } => cell_uses(cell, f),
        Op::Store { cell, value, .. }
        | Op::WritePlain { cell, value }
        | Op::Rmw { cell, value, .. } => {
            cell_uses(cell, f);
            expr_uses(value, f);
        }
        Op::CompareExchange {
            cell, current, new, ..
        } => {
            cell_uses(cell, f);
            expr_uses(current, f);
            expr_uses(new, f);
        }
        Op::Lock { mutex, .. } | Op::TryLock { mutex, .. } | Op::Unlock { mutex } => {
            obj_uses(mutex, f)
        }
        Op::RwLock { rw, .. } => obj_uses(rw, f),
        Op::DropGuard { guard, .. } => f(*guard),
        Op::CondWait { cv, guard } => {
            obj_uses(cv, f);
            f(*guard);
        }
        Op::Notify { cv, .. } => obj_uses(cv, f),
        Op::Send { ch, value } | Op::TrySend { ch, value, .. } => {
            obj_uses(ch, f);
            expr_uses(value, f);
        }
        Op::Recv { ch, .. } | Op::TryRecv { ch, .. } => obj_uses(ch, f),
        Op::BarrierWait { barrier } => obj_uses(barrier, f),
        Op::Spawn { captures, .. } => captures.iter().for_each(|(p, _)| f(*p)),
        Op::Join { handle } => expr_uses(handle, f),
        Op::Choose { lo, hi, .. } => {
            expr_uses(lo, f);
            expr_uses(hi, f);
        }
    }
}

/// Call `f` on every local an instruction writes.
fn for_each_def(op: &Op, f: &mut impl FnMut(LocalId)) {
    let mut some = |l: &Option<LocalId>| {
        if let Some(l) = l {
            f(*l)
        }
    };
    match op {
        Op::Set { dst, .. }
        | Op::Load { dst, .. }
        | Op::ReadPlain { dst, .. }
        | Op::Choose { dst, .. } => some(&Some(*dst)),
        Op::Rmw { dst, .. } | Op::TryLock { dst, .. } | Op::TrySend { dst, .. } => some(dst),
        Op::Spawn { dst, .. } | Op::Recv { dst, .. } => some(dst),
        Op::Lock { guard, .. } | Op::RwLock { guard, .. } => some(guard),
        Op::CompareExchange {
            dst_ok, dst_value, ..
        } => {
            some(dst_ok);
            some(dst_value);
        }
        Op::TryRecv {
            dst_some,
            dst_value,
            ..
        } => {
            some(dst_some);
            some(dst_value);
        }
        Op::Jump { .. }
        | Op::Branch { .. }
        | Op::Assert { .. }
        | Op::Assume { .. }
        | Op::Fail { .. }
        | Op::Fence { .. }
        | Op::Yield
        | Op::End
        | Op::Store { .. }
        | Op::WritePlain { .. }
        | Op::Unlock { .. }
        | Op::DropGuard { .. }
        | Op::CondWait { .. }
        | Op::Notify { .. }
        | Op::Send { .. }
        | Op::BarrierWait { .. }
        | Op::Join { .. } => {}
    }
}

/// The instructions control can pass to after `pc` (targets past the end are no instructions).
fn successors(pc: usize, op: &Op, n: usize) -> SmallVec<[usize; 2]> {
    let mut out = SmallVec::new();
    let mut next = |p: usize| {
        if p < n {
            out.push(p)
        }
    };
    match op {
        Op::Jump { target } => next(target.index()),
        Op::Branch {
            if_true, if_false, ..
        } => {
            next(if_true.index());
            next(if_false.index());
        }
        Op::End | Op::Fail { .. } => {}
        _ => next(pc + 1),
    }
    out
}

/// A basic block: instructions from one leader up to `end`, entered only at its first. A visible operation is always
/// the last instruction of its block, as it is the only place the forward pass forgets locals.
struct Block {
    end: usize,
    succs: SmallVec<[u32; 2]>,
    preds: SmallVec<[u32; 2]>,
    /// Locals read before any write in the block (upward-exposed uses).
    gen: IdSet,
    /// Locals written anywhere in the block.
    kill: IdSet,
    /// For a block ending in a visible operation: the locals written before it, and what the
    /// operation itself reads and writes.
    visible: Option<Visible>,
}

struct Visible {
    before: IdSet,
    uses: IdSet,
    defs: IdSet,
}

/// Split a code into basic blocks, with each block's use and write sets (locals `>= nl` ignored).
fn blocks(instrs: &[Instr], nl: usize) -> Vec<Block> {
    let n = instrs.len();
    let mut leader = vec![false; n + 1];
    leader[0] = true;
    for (pc, instr) in instrs.iter().enumerate() {
        let op = &instr.op;
        let ends_block =
            op.is_visible() || matches!(op, Op::Jump { .. } | Op::Branch { .. } | Op::Fail { .. });
        if ends_block {
            leader[pc + 1] = true;
        }
        if matches!(op, Op::Jump { .. } | Op::Branch { .. }) {
            for s in successors(pc, op, n) {
                leader[s] = true;
            }
        }
    }
    let mut block_at = vec![0u32; n];
    let mut blocks: Vec<Block> = Vec::new();
    // `written[l] == b + 1` once block `b` has written local `l`.
    let mut written = vec![0u32; nl];
    let mut start = 0;
    for end in 1..=n {
        if !leader[end] {
            continue;
        }
        let b = blocks.len() as u32;
        let (mut gen, mut kill, mut before) = (Vec::new(), Vec::new(), Vec::new());
        for pc in start..end {
            let op = &instrs[pc].op;
            block_at[pc] = b;
            for_each_use(op, &mut |l| {
                if l.index() < nl && written[l.index()] != b + 1 {
                    gen.push(l.0);
                }
            });
            for_each_def(op, &mut |l| {
                if l.index() < nl {
                    written[l.index()] = b + 1;
                    kill.push(l.0);
                }
            });
            if pc + 1 < end {
                before.extend_from_slice(&kill[before.len()..]);
            }
        }
        let last = &instrs[end - 1].op;
        let visible = last.is_visible().then(|| {
            let (mut uses, mut defs) = (Vec::new(), Vec::new());
            for_each_use(last, &mut |l| uses.extend((l.index() < nl).then_some(l.0)));
            for_each_def(last, &mut |l| defs.extend((l.index() < nl).then_some(l.0)));
            Visible {
                before: IdSet::from_unsorted(before),
                uses: IdSet::from_unsorted(uses),
                defs: IdSet::from_unsorted(defs),
            }
        });
        blocks.push(Block {
            end,
            succs: SmallVec::new(),
            preds: SmallVec::new(),
            gen: IdSet::from_unsorted(gen),
            kill: IdSet::from_unsorted(kill),
            visible,
        });
        start = end;
    }
    for b in 0..blocks.len() {
        let last = blocks[b].end - 1;
        for s in successors(last, &instrs[last].op, n) {
            // Every successor is a leader, so it starts its block.
            let sb = block_at[s];
            blocks[b].succs.push(sb);
            blocks[sb as usize].preds.push(b as u32);
        }
    }
    blocks
}

/// A queue of blocks to (re)visit, each queued at most once at a time.
struct Worklist {
    queue: VecDeque<u32>,
    queued: Vec<bool>,
}

impl Worklist {
    fn new(order: impl Iterator<Item = u32>, n: usize) -> Worklist {
        Worklist {
            queue: order.collect(),
            queued: vec![true; n],
        }
    }
    fn push(&mut self, b: u32) {
        if !std::mem::replace(&mut self.queued[b as usize], true) {
            self.queue.push_back(b);
        }
    }
    fn pop(&mut self) -> Option<u32> {
        let b = self.queue.pop_front()?;
        self.queued[b as usize] = false;
        Some(b)
    }
}

/// The locals to zero before each visible operation of `code` (except `End`: a finished thread's
/// locals are cleared by the semantics anyway), as `(pc, locals in ascending order)` by pc. `entry`
/// holds the locals that may be non-zero when the code starts.
///
/// A local is zeroed where it is dead and may be non-zero. A local the operation itself writes is
/// zeroed too: the state at a preemption point is taken before the operation runs, so an old value
/// there would still split states.
pub(crate) fn zero_sets(code: &Code, entry: &[LocalId]) -> Vec<(usize, Vec<LocalId>)> {
    let nl = code.locals.len();
    if code.instrs.is_empty() || nl == 0 {
        return Vec::new();
    }
    let blocks = blocks(&code.instrs, nl);
    let nb = blocks.len();
    let live_out = |live_in: &[IdSet], b: &Block| {
        b.succs
            .iter()
            .fold(IdSet::new(), |acc, &s| acc.union(&live_in[s as usize]))
    };

    // Backward liveness: live_in(b) = gen(b) ∪ (live_out(b) \ kill(b)).
    let mut live_in = vec![IdSet::new(); nb];
    let mut work = Worklist::new((0..nb as u32).rev(), nb);
    while let Some(b) = work.pop() {
        let block = &blocks[b as usize];
        let new = block
            .gen
            .union(&live_out(&live_in, block).difference(&block.kill));
        if new != live_in[b as usize] {
            live_in[b as usize] = new;
            block.preds.iter().for_each(|&p| work.push(p));
        }
    }
    // Live on entry to each block's closing visible operation.
    let live_at_visible: Vec<IdSet> = blocks
        .iter()
        .map(|b| match &b.visible {
            Some(v) => v.uses.union(&live_out(&live_in, b).difference(&v.defs)),
            None => IdSet::new(),
        })
        .collect();

    // Forward: the locals that may be non-zero on entry to each block. A visible operation passes
    // on only its live ones (the dead ones are zeroed before it) and what it writes.
    let mut dirty_in = vec![IdSet::new(); nb];
    dirty_in[0] = IdSet::from_unsorted(
        entry
            .iter()
            .filter(|l| l.index() < nl)
            .map(|l| l.0)
            .collect(),
    );
    let mut work = Worklist::new(0..nb as u32, nb);
    while let Some(b) = work.pop() {
        let block = &blocks[b as usize];
        let out = match &block.visible {
            Some(v) => dirty_in[b as usize]
                .union(&v.before)
                .intersection(&live_at_visible[b as usize])
                .union(&v.defs),
            None => dirty_in[b as usize].union(&block.kill),
        };
        for &s in &block.succs {
            if dirty_in[s as usize].union_with(&out) {
                work.push(s);
            }
        }
    }

    let mut out = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        let Some(v) = &block.visible else { continue };
        let pc = block.end - 1;
        if matches!(code.instrs[pc].op, Op::End) {
            continue;
        }
        let zero = dirty_in[b].union(&v.before).difference(&live_at_visible[b]);
        if !zero.is_empty() {
            out.push((pc, zero.iter().map(LocalId).collect()));
        }
    }
    out
}

/// Insert the zeroing `Set`s into one code, remapping jump targets onto them.
fn zero_in_code(code: &mut Code, entry: &[LocalId]) {
    let zeroes = zero_sets(code, entry);
    if zeroes.is_empty() {
        return;
    }
    let n = code.instrs.len();
    let added: usize = zeroes.iter().map(|(_, z)| z.len()).sum();
    let mut new_pc = vec![0u32; n];
    let mut at = 0u32;
    let mut next = zeroes.iter().peekable();
    for (pc, slot) in new_pc.iter_mut().enumerate() {
        // A jump to an operation lands on the first zero inserted before it.
        *slot = at;
        if let Some((_, z)) = next.next_if(|(zpc, _)| *zpc == pc) {
            at += z.len() as u32;
        }
        at += 1;
    }
    let old = std::mem::take(&mut code.instrs);
    let mut instrs = Vec::with_capacity(n + added);
    let mut next = zeroes.into_iter().peekable();
    for (pc, mut instr) in old.into_iter().enumerate() {
        if let Some((_, z)) = next.next_if(|(zpc, _)| *zpc == pc) {
            instrs.extend(z.into_iter().map(|l| Instr {
                op: Op::Set {
                    dst: l,
                    value: Expr::Const(0),
                },
                span: instr.span,
            }));
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
