//! Litmus programs: straight-line threads of atomic accesses and fences over a few `AtomicInt`
//! locations, the orderings each instruction may carry, and the names an outcome is keyed by.
//!
//! This is the input of the axiomatic reference ([`super::outcomes`]) and of the weft rendering
//! ([`super::render`]). It is deliberately tiny: no control flow, no plain memory, no locks, so that
//! every execution can be enumerated as a graph of events.

use std::collections::BTreeMap;
use std::fmt;

/// A C++/Rust memory ordering, as written on an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ordering {
    Relaxed,
    Acquire,
    Release,
    AcqRel,
    SeqCst,
}

impl Ordering {
    pub const ALL: [Ordering; 5] = [
        Ordering::Relaxed,
        Ordering::Acquire,
        Ordering::Release,
        Ordering::AcqRel,
        Ordering::SeqCst,
    ];
    /// The orderings a load may carry.
    pub const LOAD: [Ordering; 3] = [Ordering::Relaxed, Ordering::Acquire, Ordering::SeqCst];
    /// The orderings a store may carry.
    pub const STORE: [Ordering; 3] = [Ordering::Relaxed, Ordering::Release, Ordering::SeqCst];
    /// The orderings a fence may carry (Rust rejects `fence(Relaxed)`).
    pub const FENCE: [Ordering; 4] = [
        Ordering::Acquire,
        Ordering::Release,
        Ordering::AcqRel,
        Ordering::SeqCst,
    ];

    /// The name weft (and Rust) spells it with.
    pub fn as_str(self) -> &'static str {
        match self {
            Ordering::Relaxed => "Relaxed",
            Ordering::Acquire => "Acquire",
            Ordering::Release => "Release",
            Ordering::AcqRel => "AcqRel",
            Ordering::SeqCst => "SeqCst",
        }
    }

    /// The failure orderings a strong `compare_exchange` with this success ordering may take: never
    /// `Release`/`AcqRel`, and never stronger than the success ordering (the rule older Rust
    /// versions enforced; kept so that every program here is valid under either rule).
    pub fn failure_orderings(self) -> &'static [Ordering] {
        match self {
            Ordering::Relaxed | Ordering::Release => &[Ordering::Relaxed],
            Ordering::Acquire | Ordering::AcqRel => &[Ordering::Relaxed, Ordering::Acquire],
            Ordering::SeqCst => &[Ordering::Relaxed, Ordering::Acquire, Ordering::SeqCst],
        }
    }
}

impl fmt::Display for Ordering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The read-modify-write operations: both return the previous value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RmwOp {
    Swap,
    FetchAdd,
}

impl RmwOp {
    /// The value an RMW writes after reading `old`. `fetch_add` wraps, as Rust's atomics do.
    pub fn apply(self, old: i64, operand: i64) -> i64 {
        match self {
            RmwOp::Swap => operand,
            RmwOp::FetchAdd => old.wrapping_add(operand),
        }
    }

    pub fn method(self) -> &'static str {
        match self {
            RmwOp::Swap => "swap",
            RmwOp::FetchAdd => "fetch_add",
        }
    }
}

/// One instruction of a litmus thread. `loc` indexes the atomics `X0..`, `reg` the thread's
/// registers `R<thread>_<reg>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Instr {
    Load {
        loc: usize,
        reg: usize,
        order: Ordering,
    },
    Store {
        loc: usize,
        value: i64,
        order: Ordering,
    },
    /// `reg` receives the previous value.
    Rmw {
        loc: usize,
        reg: usize,
        op: RmwOp,
        value: i64,
        order: Ordering,
    },
    /// A strong `compare_exchange`: `reg` receives the value read (equal to `expected` exactly
    /// when it succeeded).
    Cas {
        loc: usize,
        reg: usize,
        expected: i64,
        new: i64,
        success: Ordering,
        failure: Ordering,
    },
    Fence {
        order: Ordering,
    },
}

impl Instr {
    /// The location accessed, if any.
    pub fn loc(&self) -> Option<usize> {
        match *self {
            Instr::Load { loc, .. }
            | Instr::Store { loc, .. }
            | Instr::Rmw { loc, .. }
            | Instr::Cas { loc, .. } => Some(loc),
            Instr::Fence { .. } => None,
        }
    }

    /// The register written, if any.
    pub fn reg(&self) -> Option<usize> {
        match *self {
            Instr::Load { reg, .. } | Instr::Rmw { reg, .. } | Instr::Cas { reg, .. } => Some(reg),
            Instr::Store { .. } | Instr::Fence { .. } => None,
        }
    }

    /// Does the instruction carry an ordering Rust accepts for it?
    fn orderings_valid(&self) -> bool {
        match *self {
            Instr::Load { order, .. } => Ordering::LOAD.contains(&order),
            Instr::Store { order, .. } => Ordering::STORE.contains(&order),
            Instr::Rmw { .. } => true,
            Instr::Cas {
                success, failure, ..
            } => success.failure_orderings().contains(&failure),
            Instr::Fence { order } => Ordering::FENCE.contains(&order),
        }
    }
}

/// A litmus program: `locations` atomics `X0..`, all initially 0, and straight-line threads.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Litmus {
    pub locations: usize,
    pub threads: Vec<Vec<Instr>>,
}

/// A final state: every observed name (`X<i>`, `R<t>_<r>`) with its value.
pub type Outcome = BTreeMap<String, i64>;

impl Litmus {
    /// Why the program is malformed (a location out of range, an ordering Rust rejects), if it is.
    pub fn validate(&self) -> Result<(), String> {
        for (t, thread) in self.threads.iter().enumerate() {
            for (i, instr) in thread.iter().enumerate() {
                if instr.loc().is_some_and(|l| l >= self.locations) {
                    return Err(format!("thread {t} instruction {i}: location out of range"));
                }
                if !instr.orderings_valid() {
                    return Err(format!("thread {t} instruction {i}: invalid ordering"));
                }
            }
        }
        Ok(())
    }

    /// The number of instructions in all threads.
    pub fn len(&self) -> usize {
        self.threads.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every register some instruction writes, as `(thread, reg)`, sorted.
    pub fn registers(&self) -> Vec<(usize, usize)> {
        let mut regs: Vec<(usize, usize)> = self
            .threads
            .iter()
            .enumerate()
            .flat_map(|(t, thread)| thread.iter().filter_map(move |i| i.reg().map(|r| (t, r))))
            .collect();
        regs.sort_unstable();
        regs.dedup();
        regs
    }

    /// The names of an outcome: every location, then every register, as the weft rendering
    /// declares them (so the checker's outcomes use the same keys).
    pub fn observed(&self) -> Vec<String> {
        let mut names: Vec<String> = (0..self.locations).map(location_name).collect();
        names.extend(
            self.registers()
                .into_iter()
                .map(|(t, r)| register_name(t, r)),
        );
        names
    }

    /// The same program under release/acquire: loads `Acquire`, stores `Release`, RMWs and
    /// compare-exchanges `AcqRel` (failure `Acquire`), fences unchanged. `SeqCst` accesses are
    /// weakened too: RA has no SC accesses, only SC fences.
    pub fn as_release_acquire(&self) -> Litmus {
        let threads = self
            .threads
            .iter()
            .map(|thread| {
                thread
                    .iter()
                    .map(|instr| match instr.clone() {
                        Instr::Load { loc, reg, .. } => Instr::Load {
                            loc,
                            reg,
                            order: Ordering::Acquire,
                        },
                        Instr::Store { loc, value, .. } => Instr::Store {
                            loc,
                            value,
                            order: Ordering::Release,
                        },
                        Instr::Rmw {
                            loc,
                            reg,
                            op,
                            value,
                            ..
                        } => Instr::Rmw {
                            loc,
                            reg,
                            op,
                            value,
                            order: Ordering::AcqRel,
                        },
                        Instr::Cas {
                            loc,
                            reg,
                            expected,
                            new,
                            ..
                        } => Instr::Cas {
                            loc,
                            reg,
                            expected,
                            new,
                            success: Ordering::AcqRel,
                            failure: Ordering::Acquire,
                        },
                        fence @ Instr::Fence { .. } => fence,
                    })
                    .collect()
            })
            .collect();
        Litmus {
            locations: self.locations,
            threads,
        }
    }
}

/// The name of location `loc` in outcomes and in the weft rendering.
pub fn location_name(loc: usize) -> String {
    format!("X{loc}")
}

/// The name of register `reg` of thread `thread`.
pub fn register_name(thread: usize, reg: usize) -> String {
    format!("R{thread}_{reg}")
}

/// Short constructors, so that litmus tests read like their textbook pictures.
pub mod build {
    use super::{Instr, Ordering, RmwOp};

    pub fn load(loc: usize, reg: usize, order: Ordering) -> Instr {
        Instr::Load { loc, reg, order }
    }

    pub fn store(loc: usize, value: i64, order: Ordering) -> Instr {
        Instr::Store { loc, value, order }
    }

    pub fn fetch_add(loc: usize, reg: usize, value: i64, order: Ordering) -> Instr {
        Instr::Rmw {
            loc,
            reg,
            op: RmwOp::FetchAdd,
            value,
            order,
        }
    }

    pub fn swap(loc: usize, reg: usize, value: i64, order: Ordering) -> Instr {
        Instr::Rmw {
            loc,
            reg,
            op: RmwOp::Swap,
            value,
            order,
        }
    }

    pub fn cas(
        loc: usize,
        reg: usize,
        expected: i64,
        new: i64,
        success: Ordering,
        failure: Ordering,
    ) -> Instr {
        Instr::Cas {
            loc,
            reg,
            expected,
            new,
            success,
            failure,
        }
    }

    pub fn fence(order: Ordering) -> Instr {
        Instr::Fence { order }
    }
}
