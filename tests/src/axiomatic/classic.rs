//! The classic litmus tests with their published verdicts: which of SC, x86-TSO, RA and RC11
//! allow the interesting outcome. The reference must reproduce every one, and the checker is
//! compared with the reference on them (`tests/tests/memory_models.rs`).
//!
//! The verdicts are the textbook ones. SC forbids every weak outcome. For x86-TSO: store buffering
//! is the only relaxation, and `MFENCE` and locked instructions restore order (Owens, Sarkar and
//! Sewell, "A better x86 memory model: x86-TSO", 2009; the Intel SDM, vol. 3, 8.2.3: loads and
//! stores are not reordered with locked instructions, and a failed `LOCK CMPXCHG` still locks).
//! For RA: it allows SB, IRIW and 2+2W and forbids MP, LB and WRC (Lahav, Giannarakis and
//! Vafeiadis, "Taming release-acquire consistency", POPL 2016). For RC11: Lahav, Vafeiadis, Kang,
//! Hur and Dreyer, "Repairing sequential consistency in C/C++11", PLDI 2017 (section 2 gives Z6.U;
//! no-thin-air forbids LB; SC fences forbid SB, IRIW and RWC), with C++20's release sequences
//! (P0982, "Weaken release sequences"). The coherence shapes (CoRR, CoWR, CoRW, CoWW) and RMW
//! atomicity are forbidden by every model.
//!
//! Two conventions of this project shape some verdicts: TSO follows the usual mapping of atomics to
//! x86 (a `SeqCst` store is an `XCHG`, a locked instruction, so SB+sc is forbidden), and RA weakens `SeqCst` accesses to release/acquire (so
//! IRIW+sc is allowed) while keeping `SeqCst` fences. One test is not from the literature but pins
//! down a reading of RC11 (see `scb-through-fences` below).

use super::program::build::{cas, fence, fetch_add, load, store, swap};
use super::program::{Litmus, Ordering};
use super::Model;

use Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};

/// A litmus test, the outcome it is about, and the models that allow that outcome.
pub struct Classic {
    pub name: &'static str,
    pub program: Litmus,
    /// The outcome asked about: these names with these values (the others may be anything).
    pub condition: Vec<(&'static str, i64)>,
    /// The models that allow it; the others forbid it.
    pub allowed_in: Vec<Model>,
}

fn test(
    name: &'static str,
    locations: usize,
    threads: Vec<Vec<super::Instr>>,
    condition: &[(&'static str, i64)],
    allowed_in: &[Model],
) -> Classic {
    Classic {
        name,
        program: Litmus { locations, threads },
        condition: condition.to_vec(),
        allowed_in: allowed_in.to_vec(),
    }
}

use Model::{Ra, Rc11, Tso};

/// Store buffering: each thread writes one location and reads the other; both read 0?
fn sb(
    name: &'static str,
    st: Ordering,
    ld: Ordering,
    middle: Option<Ordering>,
    allowed: &[Model],
) -> Classic {
    let thread = |mine: usize, other: usize| {
        let mut t = vec![store(mine, 1, st)];
        t.extend(middle.map(fence));
        t.push(load(other, 0, ld));
        t
    };
    test(
        name,
        2,
        vec![thread(0, 1), thread(1, 0)],
        &[("R0_0", 0), ("R1_0", 0)],
        allowed,
    )
}

/// Message passing: data then flag; the reader sees the flag but stale data?
fn mp(
    name: &'static str,
    flag_st: Ordering,
    flag_ld: Ordering,
    fences: bool,
    allowed: &[Model],
) -> Classic {
    let mut writer = vec![store(0, 1, Relaxed)];
    let mut reader = vec![load(1, 0, flag_ld)];
    if fences {
        writer.push(fence(Release));
        reader.push(fence(Acquire));
    }
    writer.push(store(1, 1, flag_st));
    reader.push(load(0, 1, Relaxed));
    test(
        name,
        2,
        vec![writer, reader],
        &[("R1_0", 1), ("R1_1", 0)],
        allowed,
    )
}

/// Independent reads of independent writes: the two readers see the writes in opposite orders?
fn iriw(
    name: &'static str,
    st: Ordering,
    ld: Ordering,
    middle: Option<Ordering>,
    allowed: &[Model],
) -> Classic {
    let reader = |first: usize, second: usize| {
        let mut t = vec![load(first, 0, ld)];
        t.extend(middle.map(fence));
        t.push(load(second, 1, ld));
        t
    };
    test(
        name,
        2,
        vec![
            vec![store(0, 1, st)],
            vec![store(1, 1, st)],
            reader(0, 1),
            reader(1, 0),
        ],
        &[("R2_0", 1), ("R2_1", 0), ("R3_0", 1), ("R3_1", 0)],
        allowed,
    )
}

/// 2+2W: two threads write two locations in opposite orders; both first writes end up last?
fn two_plus_two_w(name: &'static str, st: Ordering, allowed: &[Model]) -> Classic {
    test(
        name,
        2,
        vec![
            vec![store(0, 1, st), store(1, 2, st)],
            vec![store(1, 1, st), store(0, 2, st)],
        ],
        &[("X0", 1), ("X1", 1)],
        allowed,
    )
}

/// Write-to-read causality: t1 reads t0's write and then writes a flag; t2 sees the flag but not
/// t0's write?
fn wrc(name: &'static str, st: Ordering, ld: Ordering, allowed: &[Model]) -> Classic {
    test(
        name,
        2,
        vec![
            vec![store(0, 1, st)],
            vec![load(0, 0, ld), store(1, 1, st)],
            vec![load(1, 0, ld), load(0, 1, Relaxed)],
        ],
        &[("R1_0", 1), ("R2_0", 1), ("R2_1", 0)],
        allowed,
    )
}

/// Read-to-write causality: t1 reads t0's write, then an old Y; t2 writes Y then reads an old X?
fn rwc(
    name: &'static str,
    ld: Ordering,
    st: Ordering,
    middle: Option<Ordering>,
    allowed: &[Model],
) -> Classic {
    let mut t1 = vec![load(0, 0, ld)];
    t1.extend(middle.map(fence));
    t1.push(load(1, 1, ld));
    let mut t2 = vec![store(1, 1, st)];
    t2.extend(middle.map(fence));
    t2.push(load(0, 0, ld));
    test(
        name,
        2,
        vec![vec![store(0, 1, st)], t1, t2],
        &[("R1_0", 1), ("R1_1", 0), ("R2_0", 0)],
        allowed,
    )
}

/// Every test of the catalogue.
pub fn catalogue() -> Vec<Classic> {
    let weak = [Tso, Ra, Rc11];
    let none: [Model; 0] = [];
    vec![
        sb("SB+rlx", Relaxed, Relaxed, None, &weak),
        sb("SB+rel+acq", Release, Acquire, None, &weak),
        sb("SB+sc", SeqCst, SeqCst, None, &[Ra]),
        sb("SB+rlx+fence.sc", Relaxed, Relaxed, Some(SeqCst), &none),
        sb("SB+rlx+fence.acqrel", Relaxed, Relaxed, Some(AcqRel), &weak),
        // SC accesses on one side, an SC fence on the other: psc_base goes through the fence.
        test(
            "SB+sc+fence.sc",
            2,
            vec![
                vec![store(0, 1, SeqCst), load(1, 0, SeqCst)],
                vec![store(1, 1, Relaxed), fence(SeqCst), load(0, 0, Relaxed)],
            ],
            &[("R0_0", 0), ("R1_0", 0)],
            &[Ra],
        ),
        // Locked instructions drain the store buffer on x86, even a failed compare-exchange.
        test(
            "SB+swaps",
            2,
            vec![
                vec![swap(0, 0, 1, Relaxed), load(1, 1, Relaxed)],
                vec![swap(1, 0, 1, Relaxed), load(0, 1, Relaxed)],
            ],
            &[("R0_1", 0), ("R1_1", 0)],
            &[Ra, Rc11],
        ),
        test(
            "SB+failed-cas",
            2,
            vec![
                vec![store(0, 1, Relaxed), cas(1, 0, 2, 2, Relaxed, Relaxed)],
                vec![store(1, 1, Relaxed), cas(0, 0, 2, 2, Relaxed, Relaxed)],
            ],
            &[("R0_0", 0), ("R1_0", 0)],
            &[Ra, Rc11],
        ),
        mp("MP+rlx", Relaxed, Relaxed, false, &[Rc11]),
        mp("MP+rel+rlx", Release, Relaxed, false, &[Rc11]),
        mp("MP+rel+acq", Release, Acquire, false, &none),
        mp("MP+fences", Relaxed, Relaxed, true, &none),
        test(
            "LB+rlx",
            2,
            vec![
                vec![load(0, 0, Relaxed), store(1, 1, Relaxed)],
                vec![load(1, 0, Relaxed), store(0, 1, Relaxed)],
            ],
            &[("R0_0", 1), ("R1_0", 1)],
            &none,
        ),
        iriw("IRIW+rlx", Relaxed, Relaxed, None, &[Ra, Rc11]),
        iriw("IRIW+rel+acq", Release, Acquire, None, &[Ra, Rc11]),
        iriw("IRIW+sc", SeqCst, SeqCst, None, &[Ra]),
        // psc_F: SC fences between the reads forbid it (RA keeps SC fences).
        iriw("IRIW+rlx+fence.sc", Relaxed, Relaxed, Some(SeqCst), &none),
        two_plus_two_w("2+2W+rlx", Relaxed, &[Ra, Rc11]),
        two_plus_two_w("2+2W+rel", Release, &[Ra, Rc11]),
        two_plus_two_w("2+2W+sc", SeqCst, &[Ra]),
        test(
            "CoWW",
            1,
            vec![vec![store(0, 1, Relaxed), store(0, 2, Relaxed)]],
            &[("X0", 1)],
            &none,
        ),
        test(
            "CoRR",
            1,
            vec![
                vec![store(0, 1, Relaxed)],
                vec![load(0, 0, Relaxed), load(0, 1, Relaxed)],
            ],
            &[("R1_0", 1), ("R1_1", 0)],
            &none,
        ),
        test(
            "CoRR2",
            1,
            vec![
                vec![store(0, 1, Relaxed)],
                vec![store(0, 2, Relaxed)],
                vec![load(0, 0, Relaxed), load(0, 1, Relaxed)],
                vec![load(0, 0, Relaxed), load(0, 1, Relaxed)],
            ],
            &[("R2_0", 1), ("R2_1", 2), ("R3_0", 2), ("R3_1", 1)],
            &none,
        ),
        test(
            "CoWR",
            1,
            vec![
                vec![store(0, 1, Relaxed), load(0, 0, Relaxed)],
                vec![store(0, 2, Relaxed)],
            ],
            &[("R0_0", 2), ("X0", 1)],
            &none,
        ),
        test(
            "CoWR-init",
            1,
            vec![
                vec![store(0, 1, Relaxed), load(0, 0, Relaxed)],
                vec![store(0, 2, Relaxed)],
            ],
            &[("R0_0", 0)],
            &none,
        ),
        test(
            "CoRW",
            1,
            vec![
                vec![load(0, 0, Relaxed), store(0, 1, Relaxed)],
                vec![store(0, 2, Relaxed)],
            ],
            &[("R0_0", 2), ("X0", 2)],
            &none,
        ),
        wrc("WRC+rlx", Relaxed, Relaxed, &[Rc11]),
        wrc("WRC+rel+acq", Release, Acquire, &none),
        rwc("RWC+rlx", Relaxed, Relaxed, None, &weak),
        rwc("RWC+rel+acq", Acquire, Release, None, &weak),
        rwc("RWC+rlx+fence.sc", Relaxed, Relaxed, Some(SeqCst), &none),
        // Not from the literature: it pins down that in `scb`'s `po|≠loc; hb; po|≠loc` a fence
        // (which has no location) is at a different location from every access. Then the SC
        // write of X reaches the SC read of Z through the fences' synchronisation, and with the
        // two `fr` edges and t2's program order psc has a cycle. herd's rc11.cat reads it so, and
        // so does C++20's "strongly happens before" (sequenced before, simply happens before,
        // sequenced before, with no condition on locations).
        test(
            "scb-through-fences",
            3,
            vec![
                vec![store(0, 1, SeqCst), fence(Release), store(1, 1, Relaxed)],
                vec![load(1, 0, Relaxed), fence(Acquire), load(2, 1, SeqCst)],
                vec![store(2, 1, SeqCst), load(0, 0, SeqCst)],
            ],
            &[("R1_0", 1), ("R1_1", 0), ("R2_0", 0)],
            &[Ra],
        ),
        // Lahav et al., section 2: C11 forbids this, Power allows it, RC11 allows it.
        test(
            "Z6.U",
            2,
            vec![
                vec![store(0, 1, SeqCst), store(1, 1, Release)],
                vec![fetch_add(1, 0, 1, SeqCst), load(1, 1, Relaxed)],
                vec![store(1, 3, SeqCst), load(0, 0, SeqCst)],
            ],
            &[("R1_0", 1), ("R1_1", 3), ("R2_0", 0)],
            // x86 forbids it: the SeqCst stores are XCHGs.
            &[Ra, Rc11],
        ),
        // Atomicity: two increments cannot both read 0, two CASes from 0 cannot both succeed.
        test(
            "2xFAI",
            1,
            vec![
                vec![fetch_add(0, 0, 1, Relaxed)],
                vec![fetch_add(0, 0, 1, Relaxed)],
            ],
            &[("R0_0", 0), ("R1_0", 0)],
            &none,
        ),
        test(
            "2xCAS",
            1,
            vec![
                vec![cas(0, 0, 0, 1, Relaxed, Relaxed)],
                vec![cas(0, 0, 0, 2, Relaxed, Relaxed)],
            ],
            &[("R0_0", 0), ("R1_0", 0)],
            &none,
        ),
        // A release sequence runs through RMWs of other threads...
        test(
            "MP+relseq-rmw",
            2,
            vec![
                vec![store(0, 1, Relaxed), store(1, 1, Release)],
                vec![fetch_add(1, 0, 1, Relaxed)],
                vec![load(1, 0, Acquire), load(0, 1, Relaxed)],
            ],
            &[("R2_0", 2), ("R2_1", 0)],
            &none,
        ),
        // ...but since C++20 not through later plain stores of the releasing thread.
        test(
            "MP+relseq-store",
            2,
            vec![
                vec![
                    store(0, 1, Relaxed),
                    store(1, 1, Release),
                    store(1, 2, Relaxed),
                ],
                vec![load(1, 0, Acquire), load(0, 1, Relaxed)],
            ],
            &[("R1_0", 2), ("R1_1", 0)],
            &[Rc11],
        ),
    ]
}
