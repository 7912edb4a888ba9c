//! Unit tests of the reference on whole outcome sets and candidate counts, small enough to check
//! by hand. (The published verdicts of the classic catalogue are checked in
//! `tests/tests/memory_models.rs`, which also compares the reference with the checker.)

use std::collections::BTreeSet;

use super::enumerate::{for_each_candidate, Search};
use super::program::build::{cas, fence, fetch_add, load, store, swap};
use super::program::{Litmus, Ordering::*, Outcome};
use super::{outcomes, rc11, sc, Model};

fn outcome(pairs: &[(&str, i64)]) -> Outcome {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn set(outcomes: &[&[(&str, i64)]]) -> BTreeSet<Outcome> {
    outcomes.iter().map(|o| outcome(o)).collect()
}

fn sb() -> Litmus {
    Litmus {
        locations: 2,
        threads: vec![
            vec![store(0, 1, Relaxed), load(1, 0, Relaxed)],
            vec![store(1, 1, Relaxed), load(0, 0, Relaxed)],
        ],
    }
}

/// SB has four candidates (each read from the initial write or the other thread's store); SC
/// keeps the three interleavable ones, RC11 all four.
#[test]
fn sb_candidates_and_outcomes() {
    let (mut candidates, mut sc_ok, mut rc11_ok) = (0, 0, 0);
    for_each_candidate(&sb(), Search::Pruned, |x, _| {
        candidates += 1;
        sc_ok += usize::from(sc::consistent(x));
        rc11_ok += usize::from(rc11::consistent(x));
    });
    assert_eq!((candidates, sc_ok, rc11_ok), (4, 3, 4));
    let both = |a, b| [("R0_0", a), ("R1_0", b), ("X0", 1), ("X1", 1)];
    let sc_outcomes = set(&[&both(0, 1), &both(1, 0), &both(1, 1)]);
    assert_eq!(outcomes(&sb(), Model::Sc), sc_outcomes);
    let mut weak = sc_outcomes.clone();
    weak.insert(outcome(&both(0, 0)));
    for model in [Model::Tso, Model::Ra, Model::Rc11] {
        assert_eq!(outcomes(&sb(), model), weak, "{model}");
    }
}

/// Values flow through RMWs: two `fetch_add(1)` and a `swap(2)` on one location.
#[test]
fn rmw_values() {
    let program = Litmus {
        locations: 1,
        threads: vec![
            vec![fetch_add(0, 0, 1, Relaxed)],
            vec![fetch_add(0, 0, 1, Relaxed)],
            vec![swap(0, 0, 2, Relaxed)],
        ],
    };
    // Whatever the order, every RMW reads the previous one's result: the registers are a
    // permutation of the chain's intermediate values and the last write is the final value.
    let got = outcomes(&program, Model::Rc11);
    assert_eq!(got, outcomes(&program, Model::Sc));
    let o = |a, b, c, x| outcome(&[("R0_0", a), ("R1_0", b), ("R2_0", c), ("X0", x)]);
    let expected: BTreeSet<Outcome> = [
        o(0, 1, 2, 2), // t0, t1, t2
        o(1, 0, 2, 2), // t1, t0, t2
        o(0, 2, 1, 3), // t0, t2, t1
        o(2, 0, 1, 3), // t1, t2, t0
        o(2, 3, 0, 4), // t2, t0, t1
        o(3, 2, 0, 4), // t2, t1, t0
    ]
    .into_iter()
    .collect();
    assert_eq!(got, expected);
}

/// A compare-exchange's register holds the value read; it writes only when that was expected.
#[test]
fn cas_success_and_failure() {
    let program = Litmus {
        locations: 1,
        threads: vec![
            vec![store(0, 1, Relaxed)],
            vec![cas(0, 0, 1, 2, AcqRel, Acquire)],
        ],
    };
    let expected = set(&[
        &[("R1_0", 0), ("X0", 1)], // fails before the store
        &[("R1_0", 1), ("X0", 2)], // succeeds after it
    ]);
    for model in Model::ALL {
        assert_eq!(outcomes(&program, model), expected, "{model}");
    }
}

/// MP's four outcomes: RC11 allows all of them with relaxed accesses and all but the stale read
/// with release/acquire accesses or fences; TSO and RA forbid the stale read anyway.
#[test]
fn mp_outcome_sets() {
    let mp = |flag_st, flag_ld, fences: bool| {
        let mut writer = vec![store(0, 1, Relaxed)];
        let mut reader = vec![load(1, 0, flag_ld)];
        if fences {
            writer.push(fence(Release));
            reader.push(fence(Acquire));
        }
        writer.push(store(1, 1, flag_st));
        reader.push(load(0, 1, Relaxed));
        Litmus {
            locations: 2,
            threads: vec![writer, reader],
        }
    };
    let o = |a, b| outcome(&[("R1_0", a), ("R1_1", b), ("X0", 1), ("X1", 1)]);
    let all: BTreeSet<Outcome> = [o(0, 0), o(0, 1), o(1, 0), o(1, 1)].into_iter().collect();
    let mut strong = all.clone();
    strong.remove(&o(1, 0));
    assert_eq!(outcomes(&mp(Relaxed, Relaxed, false), Model::Rc11), all);
    assert_eq!(outcomes(&mp(Release, Acquire, false), Model::Rc11), strong);
    assert_eq!(outcomes(&mp(Relaxed, Relaxed, true), Model::Rc11), strong);
    assert_eq!(outcomes(&mp(Relaxed, Relaxed, false), Model::Tso), strong);
    assert_eq!(outcomes(&mp(Relaxed, Relaxed, false), Model::Ra), strong);
}
