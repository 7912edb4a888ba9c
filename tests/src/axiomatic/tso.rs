//! x86-TSO, axiomatically, in the style of Owens, Sarkar and Sewell ("A better x86 memory model:
//! x86-TSO", TPHOLs 2009) as herd's `x86tso.cat` states it: each thread's writes go through a FIFO
//! store buffer, so program order is kept except from a write to a later read, and a thread may
//! read its own buffered write before others see it (internal reads-from is not global order).
//!
//! Atomic accesses follow the usual mapping of C++/Rust atomics to x86: loads and non-`SeqCst`
//! stores are plain `MOV`s; a `SeqCst` store is `XCHG`, and RMWs and compare-exchanges
//! (successful or not) are `LOCK`ed instructions, all of which drain the buffer; `fence(SeqCst)`
//! is `MFENCE`; the other fences compile to nothing.

use super::execution::{Execution, Kind, Mode};

/// Is `x` allowed by x86-TSO?
pub fn consistent(x: &Execution) -> bool {
    let all = x.all();
    let (reads, writes) = (x.reads(), x.writes());
    let memory = reads | writes;
    let locked = x.set(|e| e.locked);
    let mfences = x.set(|e| e.kind == Kind::Fence && e.mode == Mode::Sc);
    let fr = x.fr();
    let com = x.rf.union(&fr).union(&x.mo);

    // Uniproc: each location on its own is sequentially consistent (this is where reading one's
    // own buffered write is constrained).
    let po_loc = x.po.inter(&x.same_loc());
    if !po_loc.union(&com).acyclic() || !x.atomic() {
        return false;
    }

    // Preserved program order between memory accesses: everything but write → read, which a
    // locked instruction at either end restores (it drains the buffer).
    let po_mem = x.po.restrict(memory, memory);
    let write_read = po_mem.restrict(writes, reads);
    let restored = write_read
        .restrict(locked, all)
        .union(&write_read.restrict(all, locked));
    let ppo = po_mem.minus(&write_read).union(&restored);
    // An MFENCE orders every access before it with every access after it.
    let mfence =
        x.po.restrict(memory, mfences)
            .seq(&x.po.restrict(mfences, memory));
    // Global happens-before: reading from another thread is ordered, reading one's own buffered
    // write is not.
    let rfe = x.rf.inter(&x.external());
    let ghb = ppo.union(&mfence).union(&rfe).union(&fr).union(&x.mo);
    ghb.acyclic()
}
