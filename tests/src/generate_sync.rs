//! Random synchronisation-heavy `.weft` models for property tests: condition variables (waits in
//! `while` and `if`, `notify_one` and `notify_all`, with and without the lock), a channel of capacity
//! 0, 1 or 2 (`send`, `recv`, `try_send`, `try_recv`), a barrier, a rwlock, `try_lock`, `spawn` and
//! `join`, spin loops, `choose`, `yield_now`, fences and atomics, with two to four threads.
//!
//! Like [`crate::generate`] (which covers atomics, plain memory and mutexes in depth), the strategy
//! produces a context-free [`SyncSpec`] whose references are plain numbers resolved while rendering,
//! so every value proptest produces or shrinks to renders to a model that compiles. Models may
//! deadlock, race, fail assertions or lose wake-ups: the properties compare searches, so every verdict
//! is welcome. Each thread's visible operations are roughly capped ([`SyncSpec::thread_budget`]) to
//! keep the full search, the reference, small.

use std::fmt::Write as _;

use proptest::collection::vec;
use proptest::prelude::*;

/// A model: its statics are always `X0, X1` (atomic), `D0, D1` (plain, unless `!plain`), `M0, M1`
/// (mutexes), `CV`, `CH` (capacity `capacity`), `B` (`parties` parties) and `RW`.
#[derive(Clone, Debug)]
pub struct SyncSpec {
    /// Declare the plain statics `D0, D1`. Without them, what would read or write `Di` reads or
    /// writes `Xi` with `SeqCst` instead (a model without plain memory, where unused `fetch_add`s
    /// commute).
    pub plain: bool,
    pub capacity: u32,
    pub parties: u32,
    pub threads: Vec<Vec<SyncStmt>>,
    /// `assert!(D<i> <= k)` checks in the `final` block.
    pub final_checks: Vec<(u8, i64)>,
}

/// A statement of a thread body. Numbers pick among the statics or the locals in scope (modulo).
#[derive(Clone, Debug)]
pub enum SyncStmt {
    /// `let v = X.load(o);`
    Load { atomic: u8, order: u8 },
    /// `X.store(k, o);`
    Store { atomic: u8, value: i64, order: u8 },
    /// `X.fetch_add(1, o);` (or `fetch_sub`, `swap`, `fetch_or`, `fetch_max`, picked by `op`), its
    /// result bound to a local when `bind`.
    Rmw {
        atomic: u8,
        order: u8,
        op: u8,
        bind: bool,
    },
    /// `let v = D;`
    PlainRead { plain: u8 },
    /// `D = k;`
    PlainWrite { plain: u8, value: i64 },
    /// `{ let g = M.lock(); .. }`
    Locked { mutex: u8, body: Vec<SyncStmt> },
    /// `{ let g = M0.lock(); while|if D == 0 { CV.wait(g); } }`
    Wait { plain: u8, looped: bool },
    /// `D = 1` under `M0` (or no write), then `CV.notify_one()` / `notify_all()`, inside or after the
    /// locked block.
    Notify {
        plain: u8,
        set: bool,
        all: bool,
        inside: bool,
    },
    /// `CH.send(k);`
    Send { value: i64 },
    /// `let v = CH.recv();`
    Recv,
    /// `let ok = CH.try_send(k);`
    TrySend { value: i64 },
    /// `if let Some(w) = CH.try_recv() { assert!(w <= k); }`
    TryRecv { bound: i64 },
    /// `B.wait();`
    Barrier,
    /// `{ let r = RW.read(); let v = D; }`
    ReadLocked { plain: u8 },
    /// `{ let w = RW.write(); D = k; }`
    WriteLocked { plain: u8, value: i64 },
    /// `if M1.try_lock() { D = k; M1.unlock(); }`
    TryLock { plain: u8, value: i64 },
    /// `let h = spawn { body }; after..; h.join();` (the join left out when `!join`).
    Spawn {
        body: Vec<SyncStmt>,
        after: Vec<SyncStmt>,
        join: bool,
    },
    /// `while X.load(o) == 0 { spin_loop(); }` (`value` 0) or `while X.load(o) != value { .. }`:
    /// waits for another thread's store, forever if none comes (a cycle of states: what the
    /// reduction's ignoring proviso is about). Waiting for one value while others come and go is
    /// where spin collapsing matters (`tests/spins.rs`).
    SpinUntil { atomic: u8, order: u8, value: i64 },
    /// `let v = choose(0..2);`
    Choose,
    /// `yield_now();` or `spin_loop();`
    Yield { spin: bool },
    /// `fence(o);`
    Fence { order: u8 },
    /// `assert!(<local> != k);` (left out with no local in scope)
    Assert { local: u8, value: i64 },
    /// `assume!(<local> != k);` (left out with no local in scope)
    Assume { local: u8, value: i64 },
}

const LOAD_ORDERS: [&str; 3] = ["Relaxed", "Acquire", "SeqCst"];
const STORE_ORDERS: [&str; 3] = ["Relaxed", "Release", "SeqCst"];
const RMW_ORDERS: [&str; 4] = ["Relaxed", "Acquire", "Release", "AcqRel"];
const FENCE_ORDERS: [&str; 4] = ["Acquire", "Release", "AcqRel", "SeqCst"];
/// Read-modify-writes, the commuting ones (for the reduction) most often.
const RMW_METHODS: [&str; 7] = [
    "fetch_add",
    "fetch_add",
    "fetch_sub",
    "fetch_add",
    "swap",
    "fetch_or",
    "fetch_max",
];

impl SyncStmt {
    /// Roughly the visible operations this statement performs (a wait loop counts one round).
    pub fn cost(&self) -> u32 {
        match self {
            SyncStmt::Load { .. }
            | SyncStmt::Store { .. }
            | SyncStmt::Rmw { .. }
            | SyncStmt::PlainRead { .. }
            | SyncStmt::PlainWrite { .. }
            | SyncStmt::Send { .. }
            | SyncStmt::Recv
            | SyncStmt::TrySend { .. }
            | SyncStmt::Barrier
            | SyncStmt::Choose
            | SyncStmt::Yield { .. }
            | SyncStmt::Fence { .. } => 1,
            SyncStmt::SpinUntil { .. } => 2,
            SyncStmt::TryRecv { .. } => 1,
            SyncStmt::Assert { .. } | SyncStmt::Assume { .. } => 0,
            SyncStmt::Locked { body, .. } => 2 + cost(body),
            SyncStmt::Wait { .. } => 5,
            SyncStmt::Notify { set, .. } => 3 + u32::from(*set),
            SyncStmt::ReadLocked { .. } | SyncStmt::WriteLocked { .. } => 3,
            SyncStmt::TryLock { .. } => 3,
            SyncStmt::Spawn { body, after, join } => {
                1 + cost(body) + cost(after) + u32::from(*join)
            }
        }
    }
}

/// The cost of a statement list.
pub fn cost(stmts: &[SyncStmt]) -> u32 {
    stmts.iter().map(SyncStmt::cost).sum()
}

impl SyncSpec {
    /// Visible operations each thread may roughly perform.
    pub fn thread_budget(threads: usize) -> u32 {
        match threads {
            0..=2 => 8,
            3 => 5,
            _ => 3,
        }
    }

    /// The model as `.weft` source text.
    pub fn source(&self) -> String {
        let mut out = String::from("//! A generated synchronisation model.\n\n");
        out.push_str("static X0: AtomicInt = 0;\nstatic X1: AtomicInt = 0;\n");
        if self.plain {
            out.push_str("static mut D0: int = 0;\nstatic mut D1: int = 0;\n");
        }
        out.push_str("static M0: Mutex;\nstatic M1: Mutex;\nstatic CV: Condvar;\n");
        let _ = writeln!(out, "static CH: Channel<int, {}>;", self.capacity);
        let _ = writeln!(out, "static B: Barrier = {};", self.parties);
        out.push_str("static RW: RwLock;\n");
        for (i, body) in self.threads.iter().enumerate() {
            let name = ["a", "b", "c", "d"].get(i).copied().unwrap_or("e");
            let _ = writeln!(out, "\nthread {name} {{");
            let mut r = Renderer {
                plain: self.plain,
                out: &mut out,
                depth: 1,
                scope: Vec::new(),
                fresh: 0,
            };
            r.stmts(body);
            out.push_str("}\n");
        }
        if !self.final_checks.is_empty() {
            out.push_str("\nfinal {\n");
            for (plain, bound) in &self.final_checks {
                let lhs = if self.plain {
                    format!("D{}", plain % 2)
                } else {
                    format!("X{}.load(SeqCst)", plain % 2)
                };
                let _ = writeln!(out, "    assert!({lhs} <= {bound});");
            }
            out.push_str("}\n");
        }
        out
    }
}

impl std::fmt::Display for SyncSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source())
    }
}

struct Renderer<'a> {
    plain: bool,
    out: &'a mut String,
    depth: usize,
    /// Int locals in scope, innermost last.
    scope: Vec<String>,
    fresh: usize,
}

impl Renderer<'_> {
    fn line(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn fresh(&mut self, prefix: &str) -> String {
        let name = format!("{prefix}{}", self.fresh);
        self.fresh += 1;
        name
    }

    fn bind(&mut self, init: &str) {
        let name = self.fresh("v");
        self.line(&format!("let {name} = {init};"));
        self.scope.push(name);
    }

    /// A read of "plain static" `p`: `Dp`, or `Xp.load(SeqCst)` in a model without plain statics.
    fn read_of(&self, p: u8) -> String {
        if self.plain {
            format!("D{}", p % 2)
        } else {
            format!("X{}.load(SeqCst)", p % 2)
        }
    }

    /// A write of "plain static" `p`, as a statement.
    fn write_of(&self, p: u8, value: i64) -> String {
        if self.plain {
            format!("D{} = {value};", p % 2)
        } else {
            format!("X{}.store({value}, SeqCst);", p % 2)
        }
    }

    fn local(&self, k: u8) -> Option<String> {
        (!self.scope.is_empty()).then(|| self.scope[usize::from(k) % self.scope.len()].clone())
    }

    /// `{`, `first`, the body in its own scope, `}`.
    fn block(&mut self, first: &[String], body: &[SyncStmt]) {
        self.line("{");
        self.depth += 1;
        let saved = self.scope.len();
        for l in first {
            self.line(l);
        }
        self.stmts(body);
        self.scope.truncate(saved);
        self.depth -= 1;
        self.line("}");
    }

    fn stmts(&mut self, stmts: &[SyncStmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &SyncStmt) {
        match s {
            SyncStmt::Load { atomic, order } => {
                let init = format!("X{}.load({})", atomic % 2, pick(&LOAD_ORDERS, *order));
                self.bind(&init);
            }
            SyncStmt::Store {
                atomic,
                value,
                order,
            } => {
                let o = pick(&STORE_ORDERS, *order);
                self.line(&format!("X{}.store({value}, {o});", atomic % 2));
            }
            SyncStmt::Rmw {
                atomic,
                order,
                op,
                bind,
            } => {
                let o = pick(&RMW_ORDERS, *order);
                let method = pick(&RMW_METHODS, *op);
                let call = format!("X{}.{method}(1, {o})", atomic % 2);
                if *bind {
                    self.bind(&call);
                } else {
                    self.line(&format!("{call};"));
                }
            }
            SyncStmt::PlainRead { plain } => {
                let init = self.read_of(*plain);
                self.bind(&init);
            }
            SyncStmt::PlainWrite { plain, value } => {
                let text = self.write_of(*plain, *value);
                self.line(&text);
            }
            SyncStmt::Locked { mutex, body } => {
                let g = self.fresh("g");
                self.block(&[format!("let {g} = M{}.lock();", mutex % 2)], body);
            }
            SyncStmt::Wait { plain, looped } => {
                let g = self.fresh("g");
                let kw = if *looped { "while" } else { "if" };
                let lines = [
                    format!("let {g} = M0.lock();"),
                    format!("{kw} {} == 0 {{", self.read_of(*plain)),
                    format!("    CV.wait({g});"),
                    "}".to_string(),
                ];
                self.block(&lines, &[]);
            }
            SyncStmt::Notify {
                plain,
                set,
                all,
                inside,
            } => {
                let g = self.fresh("g");
                let notify = if *all {
                    "CV.notify_all();"
                } else {
                    "CV.notify_one();"
                };
                let mut lines = vec![format!("let {g} = M0.lock();")];
                if *set {
                    lines.push(self.write_of(*plain, 1));
                }
                if *inside {
                    lines.push(notify.to_string());
                }
                self.block(&lines, &[]);
                if !*inside {
                    self.line(notify);
                }
            }
            SyncStmt::Send { value } => self.line(&format!("CH.send({value});")),
            SyncStmt::Recv => self.bind("CH.recv()"),
            SyncStmt::TrySend { value } => {
                let ok = self.fresh("ok");
                self.line(&format!("let {ok} = CH.try_send({value});"));
            }
            SyncStmt::TryRecv { bound } => {
                let w = self.fresh("w");
                self.line(&format!("if let Some({w}) = CH.try_recv() {{"));
                self.line(&format!("    assert!({w} <= {bound});"));
                self.line("}");
            }
            SyncStmt::Barrier => self.line("B.wait();"),
            SyncStmt::ReadLocked { plain } => {
                let (r, v) = (self.fresh("r"), self.fresh("v"));
                let lines = [
                    format!("let {r} = RW.read();"),
                    format!("let {v} = {};", self.read_of(*plain)),
                ];
                self.block(&lines, &[]);
            }
            SyncStmt::WriteLocked { plain, value } => {
                let w = self.fresh("w");
                let lines = [
                    format!("let {w} = RW.write();"),
                    self.write_of(*plain, *value),
                ];
                self.block(&lines, &[]);
            }
            SyncStmt::TryLock { plain, value } => {
                self.line("if M1.try_lock() {");
                let text = self.write_of(*plain, *value);
                self.line(&format!("    {text}"));
                self.line("    M1.unlock();");
                self.line("}");
            }
            SyncStmt::Spawn { body, after, join } => {
                let h = self.fresh("h");
                self.line(&format!("let {h} = spawn {{"));
                self.depth += 1;
                let saved = self.scope.len();
                self.stmts(body);
                self.scope.truncate(saved);
                self.depth -= 1;
                self.line("};");
                self.stmts(after);
                if *join {
                    self.line(&format!("{h}.join();"));
                }
            }
            SyncStmt::SpinUntil {
                atomic,
                order,
                value,
            } => {
                let o = pick(&LOAD_ORDERS, *order);
                let x = atomic % 2;
                self.line(&match value {
                    0 => format!("while X{x}.load({o}) == 0 {{"),
                    v => format!("while X{x}.load({o}) != {v} {{"),
                });
                self.line("    spin_loop();");
                self.line("}");
            }
            SyncStmt::Choose => self.bind("choose(0..2)"),
            SyncStmt::Yield { spin } => {
                self.line(if *spin {
                    "spin_loop();"
                } else {
                    "yield_now();"
                });
            }
            SyncStmt::Fence { order } => {
                self.line(&format!("fence({});", pick(&FENCE_ORDERS, *order)));
            }
            SyncStmt::Assert { local, value } => {
                if let Some(l) = self.local(*local) {
                    self.line(&format!("assert!({l} != {value});"));
                }
            }
            SyncStmt::Assume { local, value } => {
                if let Some(l) = self.local(*local) {
                    self.line(&format!("assume!({l} != {value});"));
                }
            }
        }
    }
}

fn pick(orders: &[&str], i: u8) -> String {
    orders[usize::from(i) % orders.len()].to_string()
}

/// Statements without a body of their own.
fn leaf() -> impl Strategy<Value = SyncStmt> {
    let small = 0i64..3;
    prop_oneof![
        2 => (any::<u8>(), any::<u8>()).prop_map(|(atomic, order)| SyncStmt::Load { atomic, order }),
        2 => (any::<u8>(), small.clone(), any::<u8>())
            .prop_map(|(atomic, value, order)| SyncStmt::Store { atomic, value, order }),
        2 => (any::<u8>(), any::<u8>(), any::<u8>(), prop::bool::weighted(0.3))
            .prop_map(|(atomic, order, op, bind)| SyncStmt::Rmw { atomic, order, op, bind }),
        2 => any::<u8>().prop_map(|plain| SyncStmt::PlainRead { plain }),
        2 => (any::<u8>(), small.clone()).prop_map(|(plain, value)| SyncStmt::PlainWrite { plain, value }),
        1 => (any::<u8>(), any::<bool>()).prop_map(|(plain, looped)| SyncStmt::Wait { plain, looped }),
        2 => (any::<u8>(), prop::bool::weighted(0.8), any::<bool>(), any::<bool>())
            .prop_map(|(plain, set, all, inside)| SyncStmt::Notify { plain, set, all, inside }),
        2 => (1i64..3).prop_map(|value| SyncStmt::Send { value }),
        1 => Just(SyncStmt::Recv),
        1 => (1i64..3).prop_map(|value| SyncStmt::TrySend { value }),
        1 => (0i64..3).prop_map(|bound| SyncStmt::TryRecv { bound }),
        1 => Just(SyncStmt::Barrier),
        1 => any::<u8>().prop_map(|plain| SyncStmt::ReadLocked { plain }),
        1 => (any::<u8>(), small.clone()).prop_map(|(plain, value)| SyncStmt::WriteLocked { plain, value }),
        1 => (any::<u8>(), small.clone()).prop_map(|(plain, value)| SyncStmt::TryLock { plain, value }),
        2 => (any::<u8>(), any::<u8>(), 0i64..3)
            .prop_map(|(atomic, order, value)| SyncStmt::SpinUntil { atomic, order, value }),
        1 => Just(SyncStmt::Choose),
        1 => any::<bool>().prop_map(|spin| SyncStmt::Yield { spin }),
        1 => any::<u8>().prop_map(|order| SyncStmt::Fence { order }),
        1 => (any::<u8>(), small.clone()).prop_map(|(local, value)| SyncStmt::Assert { local, value }),
        1 => (any::<u8>(), small).prop_map(|(local, value)| SyncStmt::Assume { local, value }),
    ]
}

fn stmt() -> impl Strategy<Value = SyncStmt> {
    prop_oneof![
        8 => leaf(),
        2 => (any::<u8>(), vec(leaf(), 1..3))
            .prop_map(|(mutex, body)| SyncStmt::Locked { mutex, body }),
        2 => (vec(leaf(), 1..3), vec(leaf(), 0..2), prop::bool::weighted(0.8))
            .prop_map(|(body, after, join)| SyncStmt::Spawn { body, after, join }),
    ]
}

/// Keep the statements that fit in `budget`, in order.
fn fit(stmts: Vec<SyncStmt>, budget: u32) -> Vec<SyncStmt> {
    let mut left = budget;
    stmts
        .into_iter()
        .filter(|s| {
            let c = s.cost();
            let fits = c <= left;
            if fits {
                left -= c;
            }
            fits
        })
        .collect()
}

/// A random synchronisation model that compiles; see the module documentation.
pub fn model() -> impl Strategy<Value = SyncSpec> {
    let threads = prop_oneof![3 => Just(2usize), 2 => Just(3), 2 => Just(4)];
    threads.prop_flat_map(|n| {
        (
            prop::bool::weighted(0.7),
            0u32..3,
            1u32..=n as u32,
            vec(vec(stmt(), 1..5), n),
            vec((any::<u8>(), 1i64..4), 0..2),
        )
            .prop_map(move |(plain, capacity, parties, bodies, final_checks)| {
                let budget = SyncSpec::thread_budget(n);
                SyncSpec {
                    plain,
                    capacity,
                    parties,
                    threads: bodies.into_iter().map(|b| fit(b, budget)).collect(),
                    final_checks,
                }
            })
    })
}
