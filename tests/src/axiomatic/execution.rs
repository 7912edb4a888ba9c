//! Candidate executions: the events of one run of a litmus program (with their values), program
//! order, reads-from, modification order and the RMW pairing, plus the relations every model derives
//! from them (from-reads, same-location, external/internal).
//!
//! An RMW (and a successful compare-exchange) is two events, a read and a write, paired by `rmw`
//! and adjacent in program order, as in Lahav et al.'s RC11 paper; a failed compare-exchange is a
//! read only. The initial write of each location is an event of no thread, before every other
//! event in program order (the paper's convention) and first in modification order.

use super::rel::{members, Rel, Set};

/// An access mode as the RC11 paper writes it: `na ⊏ rlx ⊏ acq, rel ⊏ acq_rel ⊏ sc`. Only the
/// initial writes are non-atomic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Na,
    Rlx,
    Acq,
    Rel,
    AcqRel,
    Sc,
}

impl Mode {
    /// `⊒ rlx`: every atomic access.
    pub fn at_least_rlx(self) -> bool {
        self != Mode::Na
    }

    /// `⊒ acq`
    pub fn at_least_acq(self) -> bool {
        matches!(self, Mode::Acq | Mode::AcqRel | Mode::Sc)
    }

    /// `⊒ rel`
    pub fn at_least_rel(self) -> bool {
        matches!(self, Mode::Rel | Mode::AcqRel | Mode::Sc)
    }

    pub fn is_sc(self) -> bool {
        self == Mode::Sc
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
    Fence,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// `None` for an initial write.
    pub thread: Option<usize>,
    /// Which instruction of its thread the event belongs to (0 for an initial write).
    pub instr: usize,
    pub kind: Kind,
    /// `None` for a fence.
    pub loc: Option<usize>,
    pub mode: Mode,
    /// The value read or written (0 for a fence).
    pub value: i64,
    /// Part of a locked instruction on x86 (an RMW or a compare-exchange, successful or not, or a
    /// `SeqCst` store, which compiles to `XCHG`).
    pub locked: bool,
}

/// One candidate execution: the events and the base relations. The model modules decide whether it
/// is consistent.
#[derive(Clone, Debug)]
pub struct Execution {
    pub events: Vec<Event>,
    /// Program order: strict, transitive; initial writes before every thread event.
    pub po: Rel,
    /// Reads-from: from a write to each read, same location, same value.
    pub rf: Rel,
    /// Modification order: for each location a strict total order of its writes, transitive.
    pub mo: Rel,
    /// The read and the write of each RMW or successful compare-exchange.
    pub rmw: Rel,
}

impl Execution {
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The set of events satisfying `f`.
    pub fn set(&self, f: impl Fn(&Event) -> bool) -> Set {
        self.events
            .iter()
            .enumerate()
            .filter(|(_, e)| f(e))
            .fold(0, |s, (i, _)| s | 1 << i)
    }

    pub fn reads(&self) -> Set {
        self.set(|e| e.kind == Kind::Read)
    }

    pub fn writes(&self) -> Set {
        self.set(|e| e.kind == Kind::Write)
    }

    pub fn fences(&self) -> Set {
        self.set(|e| e.kind == Kind::Fence)
    }

    /// Every event.
    pub fn all(&self) -> Set {
        self.set(|_| true)
    }

    /// `fr = rf⁻¹; mo`: a read is before every write that is mo-after the one it read. (Reads and
    /// writes are distinct events here, so it has no identity pairs to remove.)
    pub fn fr(&self) -> Rel {
        self.rf.inverse().seq(&self.mo)
    }

    /// Pairs of distinct events accessing the same location (fences access none).
    pub fn same_loc(&self) -> Rel {
        Rel::from_fn(self.len(), |a, b| {
            let (la, lb) = (self.events[a].loc, self.events[b].loc);
            la.is_some() && la == lb
        })
    }

    /// Pairs of events of the same thread (initial writes belong to none).
    pub fn same_thread(&self) -> Rel {
        Rel::from_fn(self.len(), |a, b| {
            let (ta, tb) = (self.events[a].thread, self.events[b].thread);
            ta.is_some() && ta == tb
        })
    }

    /// Pairs of events of different threads, counting the initial writes as a thread of their own.
    pub fn external(&self) -> Rel {
        Rel::from_fn(self.len(), |a, b| {
            self.events[a].thread != self.events[b].thread
        })
    }

    /// Atomicity of RMWs, `rmw ∩ (fr; mo) = ∅`: no write comes between the write an RMW reads and
    /// the RMW's own write in modification order.
    pub fn atomic(&self) -> bool {
        self.rmw.inter(&self.fr().seq(&self.mo)).is_empty()
    }

    /// The value of location `loc` at the end: that of its mo-last write.
    pub fn final_value(&self, loc: usize) -> i64 {
        let writes = self.set(|e| e.kind == Kind::Write && e.loc == Some(loc));
        let last = members(writes).find(|&w| self.mo.successors(w) & writes == 0);
        last.map_or(0, |w| self.events[w].value)
    }
}
