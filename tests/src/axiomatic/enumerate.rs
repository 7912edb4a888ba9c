//! Enumerating the candidate executions of a litmus program: every choice of which
//! compare-exchanges succeed, of a modification order per location and of a write for every read
//! to read from, with the values that follow, each handed over with its outcome. Which candidates
//! are consistent is the model modules' business, not this one's.
//!
//! Three shortcuts keep the search small, each justified by axioms that *all four* models share
//! (so they never drop a candidate some model would accept); [`Search::Exhaustive`] turns them off
//! so that a test can check they change nothing:
//! - program order between writes to one location is kept in modification order (CoWW: `hb; mo`
//!   irreflexive in RC11, uniproc in TSO, acyclicity in SC);
//! - the read of an RMW reads from the write just before the RMW's own write in modification order
//!   (atomicity forbids a write in between, coherence forbids reading an mo-later write);
//! - no read reads from a write program-ordered after it (CoRW, a `po ∪ rf` cycle).
//!
//! One restriction holds in both modes: a candidate whose values depend on themselves (a read that
//! through rf and RMW dependencies reads its own result) has no values at all and is dropped. Such
//! a dependency is a cycle in `po ∪ rf`, which every model forbids: RC11 and RA as no-thin-air,
//! TSO and SC because they keep read→read and read→write program order, and a thread's read of
//! its own write follows that write in program order.

use super::execution::{Event, Execution, Kind, Mode};
use super::program::{location_name, register_name, Instr, Litmus, Ordering, Outcome, RmwOp};
use super::rel::Rel;

/// Whether to use the shortcuts above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    Pruned,
    Exhaustive,
}

/// How a write's value is found.
#[derive(Clone, Copy, Debug)]
enum WriteValue {
    Const(i64),
    /// An RMW's write: `op` applied to what its read part (`read`) read.
    Rmw {
        read: usize,
        op: RmwOp,
        operand: i64,
    },
}

/// The events of a program once it is fixed which compare-exchanges succeed, before any choice
/// of rf and mo. Values are filled in per candidate.
struct Skeleton {
    events: Vec<Event>,
    po: Rel,
    rmw: Rel,
    /// For every write event, how its value is computed (`None` for other events).
    write_values: Vec<Option<WriteValue>>,
    /// For the read of every compare-exchange: the expected value and whether it is assumed to
    /// succeed; the candidate is dropped when the value read disagrees.
    cas_reads: Vec<(usize, i64, bool)>,
    /// Every read event, with the write paired with it if it is an RMW's read.
    reads: Vec<(usize, Option<usize>)>,
    /// For each location, its writes other than the initial one.
    writes_of: Vec<Vec<usize>>,
    /// Every register write: the register's name and the read whose value it receives, in program
    /// order (a later write to the same register wins).
    registers: Vec<(String, usize)>,
}

/// The modes of a read and a write part of an instruction with ordering `o`.
fn read_mode(o: Ordering) -> Mode {
    match o {
        Ordering::Relaxed | Ordering::Release => Mode::Rlx,
        Ordering::Acquire | Ordering::AcqRel => Mode::Acq,
        Ordering::SeqCst => Mode::Sc,
    }
}

fn write_mode(o: Ordering) -> Mode {
    match o {
        Ordering::Relaxed | Ordering::Acquire => Mode::Rlx,
        Ordering::Release | Ordering::AcqRel => Mode::Rel,
        Ordering::SeqCst => Mode::Sc,
    }
}

fn fence_mode(o: Ordering) -> Mode {
    match o {
        Ordering::Relaxed => Mode::Rlx,
        Ordering::Acquire => Mode::Acq,
        Ordering::Release => Mode::Rel,
        Ordering::AcqRel => Mode::AcqRel,
        Ordering::SeqCst => Mode::Sc,
    }
}

impl Skeleton {
    /// The events of `program` when the `i`-th compare-exchange (in thread, then program order)
    /// succeeds iff bit `i` of `successes` is set.
    fn new(program: &Litmus, successes: u32) -> Skeleton {
        let mut events = Vec::new();
        let mut write_values = Vec::new();
        for loc in 0..program.locations {
            events.push(Event {
                thread: None,
                instr: 0,
                kind: Kind::Write,
                loc: Some(loc),
                mode: Mode::Na,
                value: 0,
                locked: false,
            });
            write_values.push(Some(WriteValue::Const(0)));
        }
        let mut rmw_pairs = Vec::new();
        let mut cas_reads = Vec::new();
        let mut registers = Vec::new();
        let mut cas_index = 0;
        for (t, thread) in program.threads.iter().enumerate() {
            for (i, instr) in thread.iter().enumerate() {
                let mut push = |kind, loc, mode, locked, value: Option<WriteValue>| {
                    events.push(Event {
                        thread: Some(t),
                        instr: i,
                        kind,
                        loc,
                        mode,
                        value: 0,
                        locked,
                    });
                    write_values.push(value);
                    events.len() - 1
                };
                match *instr {
                    Instr::Load { loc, reg, order } => {
                        let r = push(Kind::Read, Some(loc), read_mode(order), false, None);
                        registers.push((register_name(t, reg), r));
                    }
                    Instr::Store { loc, value, order } => {
                        let w = Some(WriteValue::Const(value));
                        // A SeqCst store compiles to `XCHG` on x86, a locked instruction.
                        let locked = order == Ordering::SeqCst;
                        push(Kind::Write, Some(loc), write_mode(order), locked, w);
                    }
                    Instr::Rmw {
                        loc,
                        reg,
                        op,
                        value,
                        order,
                    } => {
                        let r = push(Kind::Read, Some(loc), read_mode(order), true, None);
                        let v = WriteValue::Rmw {
                            read: r,
                            op,
                            operand: value,
                        };
                        let w = push(Kind::Write, Some(loc), write_mode(order), true, Some(v));
                        rmw_pairs.push((r, w));
                        registers.push((register_name(t, reg), r));
                    }
                    Instr::Cas {
                        loc,
                        reg,
                        expected,
                        new,
                        success,
                        failure,
                    } => {
                        let succeeds = successes >> cas_index & 1 == 1;
                        cas_index += 1;
                        // A failed compare-exchange is a read with the failure ordering only;
                        // on x86 it is still a locked instruction.
                        let mode = read_mode(if succeeds { success } else { failure });
                        let r = push(Kind::Read, Some(loc), mode, true, None);
                        if succeeds {
                            let w = Some(WriteValue::Const(new));
                            let w = push(Kind::Write, Some(loc), write_mode(success), true, w);
                            rmw_pairs.push((r, w));
                        }
                        cas_reads.push((r, expected, succeeds));
                        registers.push((register_name(t, reg), r));
                    }
                    Instr::Fence { order } => {
                        push(Kind::Fence, None, fence_mode(order), false, None);
                    }
                }
            }
        }
        let n = events.len();
        let po = Rel::from_fn(n, |a, b| match (events[a].thread, events[b].thread) {
            (None, Some(_)) => true,
            (Some(ta), Some(tb)) => ta == tb && a < b,
            _ => false,
        });
        let mut rmw = Rel::empty(n);
        for &(r, w) in &rmw_pairs {
            rmw.insert(r, w);
        }
        let reads = (0..n)
            .filter(|&e| events[e].kind == Kind::Read)
            .map(|r| (r, rmw_pairs.iter().find(|p| p.0 == r).map(|p| p.1)))
            .collect();
        let writes_of = (0..program.locations)
            .map(|loc| {
                (program.locations..n)
                    .filter(|&e| events[e].kind == Kind::Write && events[e].loc == Some(loc))
                    .collect()
            })
            .collect();
        Skeleton {
            events,
            po,
            rmw,
            write_values,
            cas_reads,
            reads,
            writes_of,
            registers,
        }
    }

    /// Every modification order of location `loc`'s writes (after its initial write), as sequences.
    fn mo_choices(&self, loc: usize, search: Search) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        let mut order = Vec::new();
        self.orders(&self.writes_of[loc], &mut order, search, &mut out);
        out
    }

    fn orders(
        &self,
        left: &[usize],
        order: &mut Vec<usize>,
        search: Search,
        out: &mut Vec<Vec<usize>>,
    ) {
        if left.is_empty() {
            out.push(order.clone());
            return;
        }
        for (i, &w) in left.iter().enumerate() {
            // Pruned: a write comes only after the writes program-ordered before it.
            if search == Search::Pruned && left.iter().any(|&v| self.po.contains(v, w)) {
                continue;
            }
            let mut rest = left.to_vec();
            rest.remove(i);
            order.push(w);
            self.orders(&rest, order, search, out);
            order.pop();
        }
    }

    /// The writes read `r` may read from, given the modification orders `mo` (sequences per
    /// location, initial write excluded).
    fn rf_choices(
        &self,
        r: usize,
        paired: Option<usize>,
        mo: &[Vec<usize>],
        search: Search,
    ) -> Vec<usize> {
        let loc = self.events[r].loc.expect("a read has a location");
        if search == Search::Pruned {
            if let Some(w) = paired {
                let pos = mo[loc].iter().position(|&x| x == w).expect("in mo");
                return vec![if pos == 0 { loc } else { mo[loc][pos - 1] }];
            }
        }
        let mut choices = vec![loc];
        choices.extend(
            self.writes_of[loc]
                .iter()
                .copied()
                .filter(|&w| search == Search::Exhaustive || !self.po.contains(r, w)),
        );
        choices
    }

    /// The value of every event given `rf` (the source of each read); `None` when some value
    /// depends on itself.
    fn values(&self, source: &[Option<usize>]) -> Option<Vec<i64>> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            Todo,
            Busy,
            Done(i64),
        }
        fn value(
            s: &Skeleton,
            source: &[Option<usize>],
            state: &mut [State],
            e: usize,
        ) -> Option<i64> {
            match state[e] {
                State::Done(v) => return Some(v),
                State::Busy => return None,
                State::Todo => {}
            }
            state[e] = State::Busy;
            let v = match s.events[e].kind {
                Kind::Read => value(
                    s,
                    source,
                    state,
                    source[e].expect("every read has a source"),
                )?,
                Kind::Write => match s.write_values[e].expect("every write has a value") {
                    WriteValue::Const(v) => v,
                    WriteValue::Rmw { read, op, operand } => {
                        op.apply(value(s, source, state, read)?, operand)
                    }
                },
                Kind::Fence => 0,
            };
            state[e] = State::Done(v);
            Some(v)
        }
        let mut state = vec![State::Todo; self.events.len()];
        (0..self.events.len())
            .map(|e| value(self, source, &mut state, e))
            .collect()
    }
}

/// Call `visit` with every candidate execution of `program` and its outcome.
pub fn for_each_candidate(
    program: &Litmus,
    search: Search,
    mut visit: impl FnMut(&Execution, &Outcome),
) {
    program.validate().expect("a well-formed litmus program");
    let cases = program
        .threads
        .iter()
        .flatten()
        .filter(|i| matches!(i, Instr::Cas { .. }))
        .count();
    assert!(cases < 16, "too many compare-exchanges to enumerate");
    for successes in 0..1u32 << cases {
        let skeleton = Skeleton::new(program, successes);
        let mo_choices: Vec<Vec<Vec<usize>>> = (0..program.locations)
            .map(|loc| skeleton.mo_choices(loc, search))
            .collect();
        let mo_lens: Vec<usize> = mo_choices.iter().map(Vec::len).collect();
        for_each_index(&mo_lens, |mo_index| {
            let mo: Vec<Vec<usize>> = mo_index
                .iter()
                .enumerate()
                .map(|(loc, &i)| mo_choices[loc][i].clone())
                .collect();
            let rf_choices: Vec<Vec<usize>> = skeleton
                .reads
                .iter()
                .map(|&(r, paired)| skeleton.rf_choices(r, paired, &mo, search))
                .collect();
            let rf_lens: Vec<usize> = rf_choices.iter().map(Vec::len).collect();
            for_each_index(&rf_lens, |rf_index| {
                let sources: Vec<usize> = rf_index
                    .iter()
                    .enumerate()
                    .map(|(r, &i)| rf_choices[r][i])
                    .collect();
                if let Some((x, outcome)) = complete(&skeleton, &mo, &sources, program.locations) {
                    visit(&x, &outcome);
                }
            });
        });
    }
}

/// The execution with modification orders `mo` and read `reads[i]` reading from `sources[i]`, and
/// its outcome; `None` when its values are undetermined or contradict a compare-exchange's assumed
/// success.
fn complete(
    s: &Skeleton,
    mo: &[Vec<usize>],
    sources: &[usize],
    locations: usize,
) -> Option<(Execution, Outcome)> {
    let n = s.events.len();
    let mut source = vec![None; n];
    let mut rf = Rel::empty(n);
    for (&(r, _), &w) in s.reads.iter().zip(sources) {
        source[r] = Some(w);
        rf.insert(w, r);
    }
    let values = s.values(&source)?;
    if s.cas_reads
        .iter()
        .any(|&(r, expected, succeeds)| (values[r] == expected) != succeeds)
    {
        return None;
    }
    let mut mo_rel = Rel::empty(n);
    for (loc, order) in mo.iter().enumerate() {
        let chain: Vec<usize> = std::iter::once(loc).chain(order.iter().copied()).collect();
        for (i, &a) in chain.iter().enumerate() {
            for &b in &chain[i + 1..] {
                mo_rel.insert(a, b);
            }
        }
    }
    let mut events = s.events.clone();
    for (e, v) in events.iter_mut().zip(&values) {
        e.value = *v;
    }
    let x = Execution {
        events,
        po: s.po.clone(),
        rf,
        mo: mo_rel,
        rmw: s.rmw.clone(),
    };
    let mut outcome = Outcome::new();
    for loc in 0..locations {
        outcome.insert(location_name(loc), x.final_value(loc));
    }
    for (name, r) in &s.registers {
        outcome.insert(name.clone(), values[*r]);
    }
    Some((x, outcome))
}

/// Call `f` with every choice of one index below each of `lens` (nothing when one is 0).
fn for_each_index(lens: &[usize], mut f: impl FnMut(&[usize])) {
    if lens.contains(&0) {
        return;
    }
    let mut index = vec![0; lens.len()];
    loop {
        f(&index);
        // Advance the odometer: the last position turns fastest.
        let mut i = lens.len();
        loop {
            if i == 0 {
                return;
            }
            i -= 1;
            index[i] += 1;
            if index[i] < lens[i] {
                break;
            }
            index[i] = 0;
        }
    }
}
