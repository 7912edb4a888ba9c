//! A proptest strategy for litmus programs: 2–4 threads of 1–3 instructions (at most
//! [`MAX_INSTRUCTIONS`] in all, so that both the reference's enumeration and the checker's search
//! stay small), 1–3 locations, every ordering Rust accepts, fences, RMWs and compare-exchanges.
//! Values are 1 and 2 (and 0 as a compare-exchange's expected value, the initial value), so
//! different writes are often told apart and compare-exchanges both succeed and fail.
//!
//! Random programs show weak behaviour rarely (under RC11 about one in twelve differs from SC), so
//! [`classic_variants`] also offers the classic litmus shapes with their orderings re-drawn: every
//! one of those is a near miss of some weak behaviour.

use proptest::prelude::*;
use proptest::sample::select;

use super::classic;
use super::program::{Instr, Litmus, Ordering, RmwOp};

/// The most instructions a generated program has.
pub const MAX_INSTRUCTIONS: usize = 8;

/// An ordering from `orders`, `Relaxed` (always first) as likely as all the others together:
/// weak behaviour needs weak accesses, and most generated programs should have some.
fn ordering(orders: &'static [Ordering]) -> impl Strategy<Value = Ordering> {
    debug_assert_eq!(orders[0], Ordering::Relaxed);
    prop_oneof![
        1 => Just(Ordering::Relaxed),
        1 => select(orders),
    ]
}

/// One instruction over locations `0..locations`, its register still 0 (numbered by [`litmus`]).
fn instr(locations: usize) -> impl Strategy<Value = Instr> {
    let loc = 0..locations;
    let value = 1..=2i64;
    prop_oneof![
        3 => (loc.clone(), ordering(&Ordering::LOAD))
            .prop_map(|(loc, order)| Instr::Load { loc, reg: 0, order }),
        3 => (loc.clone(), value.clone(), ordering(&Ordering::STORE))
            .prop_map(|(loc, value, order)| Instr::Store { loc, value, order }),
        1 => (
            loc.clone(),
            select(&[RmwOp::Swap, RmwOp::FetchAdd][..]),
            value.clone(),
            ordering(&Ordering::ALL),
        )
            .prop_map(|(loc, op, value, order)| Instr::Rmw { loc, reg: 0, op, value, order }),
        1 => (loc, 0..=2i64, value, ordering(&Ordering::ALL), 0..3usize).prop_map(
            |(loc, expected, new, success, f)| {
                let failures = success.failure_orderings();
                Instr::Cas {
                    loc,
                    reg: 0,
                    expected,
                    new,
                    success,
                    failure: failures[f % failures.len()],
                }
            }
        ),
        1 => select(&Ordering::FENCE[..]).prop_map(|order| Instr::Fence { order }),
    ]
}

/// Litmus programs as described above.
pub fn litmus() -> impl Strategy<Value = Litmus> {
    litmus_up_to(MAX_INSTRUCTIONS)
}

/// Litmus programs of at most `max_instructions` instructions (at least one per thread).
pub fn litmus_up_to(max_instructions: usize) -> impl Strategy<Value = Litmus> {
    // Two locations and threads of two or three instructions are the shapes of most litmus
    // tests (SB, MP, LB, 2+2W), so they are the likeliest.
    let locations = prop_oneof![1 => Just(1usize), 4 => Just(2), 1 => Just(3)];
    locations
        .prop_flat_map(|locations| {
            let thread = prop_oneof![1 => 1..=1usize, 4 => 2..=3usize]
                .prop_flat_map(move |len| prop::collection::vec(instr(locations), len));
            let threads = prop_oneof![2 => Just(2usize), 2 => Just(3), 1 => Just(4)];
            (
                Just(locations),
                threads.prop_flat_map(move |n| prop::collection::vec(thread.clone(), n)),
            )
        })
        .prop_map(move |(locations, mut threads)| {
            // Trim the last threads (keeping one instruction each) down to the size limit.
            let mut total: usize = threads.iter().map(Vec::len).sum();
            for thread in threads.iter_mut().rev() {
                while total > max_instructions && thread.len() > 1 {
                    thread.pop();
                    total -= 1;
                }
            }
            // Every value-producing instruction gets a register of its own.
            for thread in &mut threads {
                let mut next = 0;
                for instr in thread.iter_mut() {
                    if let Instr::Load { reg, .. }
                    | Instr::Rmw { reg, .. }
                    | Instr::Cas { reg, .. } = instr
                    {
                        *reg = next;
                        next += 1;
                    }
                }
            }
            Litmus { locations, threads }
        })
}

/// The programs of the classic catalogue ([`classic::catalogue`]) with every ordering re-drawn
/// among those Rust accepts for the instruction.
pub fn classic_variants() -> impl Strategy<Value = Litmus> {
    let programs: Vec<Litmus> = classic::catalogue()
        .into_iter()
        .map(|c| c.program)
        .collect();
    (
        select(programs),
        prop::collection::vec(any::<u8>(), 2 * MAX_INSTRUCTIONS),
    )
        .prop_map(|(mut program, draws)| {
            let mut draws = draws.into_iter().cycle();
            let mut draw =
                |from: &[Ordering]| from[usize::from(draws.next().unwrap_or(0)) % from.len()];
            for instr in program.threads.iter_mut().flatten() {
                match instr {
                    Instr::Load { order, .. } => *order = draw(&Ordering::LOAD),
                    Instr::Store { order, .. } => *order = draw(&Ordering::STORE),
                    Instr::Rmw { order, .. } => *order = draw(&Ordering::ALL),
                    Instr::Cas {
                        success, failure, ..
                    } => {
                        *success = draw(&Ordering::ALL);
                        *failure = draw(success.failure_orderings());
                    }
                    Instr::Fence { order } => *order = draw(&Ordering::FENCE),
                }
            }
            program
        })
}
