//! weft side by side with loom: the table of programs (a `.weft` model and the same program written
//! with loom), a runner for each side, and the rule that says whether their verdicts agree.
//!
//! Shared by `tests/tests/loom_versus.rs` (one test per program) and `tests/benches/versus.rs`
//! (timings), which include this directory with `#[path]`.

pub mod programs;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use weft::{Options, Report, SourceFile, Verdict, ViolationKind};

/// How loom's verdict on a program is expected to relate to weft's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// Both find the same thing: safe, or a violation loom reports as a kind weft also finds.
    Same,
    /// loom reports a violation weft proves absent: a known false alarm of loom, which treats
    /// SeqCst loads and stores as AcqRel (loom's README, "Unsupported features").
    LoomFalseAlarm,
    /// weft proves the program safe; loom gives up on it: some execution takes more than
    /// `max_branches` scheduling decisions. With two threads spinning at once, each one's
    /// `spin_loop()` lets the other run again, so loom explores schedules where the two spinners
    /// take turns forever and the thread they wait for never runs; raising the limit only makes
    /// those executions longer (at 100 000, one run of `ticket_lock_3` did not end in 4 minutes).
    LoomBranchLimit,
}

/// One program of the comparison.
pub struct Case {
    pub name: &'static str,
    /// The `.weft` model, relative to the repository root.
    pub model: &'static str,
    /// The loom model body (run once per execution loom explores).
    pub loom: fn(),
    pub relation: Relation,
    /// Too slow for `cargo test` in loom (minutes); the versus bench measures it.
    pub huge: bool,
}

const fn case(name: &'static str, model: &'static str, loom: fn()) -> Case {
    Case {
        name,
        model,
        loom,
        relation: Relation::Same,
        huge: false,
    }
}

const fn huge(c: Case) -> Case {
    Case { huge: true, ..c }
}

/// Every program of the comparison, smallest first within each family.
pub const CASES: &[Case] = &[
    case(
        "lost_update_2",
        "models/basics/lost_update_atomic.weft",
        programs::lost_update_2,
    ),
    case(
        "lost_update_3",
        "models/versus/lost_update_atomic_3.weft",
        programs::lost_update_3,
    ),
    case(
        "counter_3x2",
        "models/versus/counter_3x2.weft",
        programs::counter_3x2,
    ),
    huge(case(
        "counter_3x3",
        "models/versus/counter_3x3.weft",
        programs::counter_3x3,
    )),
    huge(case(
        "counter_4x2",
        "models/versus/counter_4x2.weft",
        programs::counter_4x2,
    )),
    Case {
        relation: Relation::LoomFalseAlarm,
        ..case(
            "peterson_seqcst",
            "models/locks/peterson.weft",
            programs::peterson_seqcst,
        )
    },
    // Bugs that need Rust's weak memory model: loom finds them, and so does weft under `rc11`,
    // its default (under `sc` both models are safe).
    case(
        "peterson_release_fence",
        "tests/loom/weft/peterson_release_fence.weft",
        programs::peterson_release_fence,
    ),
    case(
        "store_buffering_release_acquire",
        "tests/loom/weft/store_buffering_release_acquire.weft",
        programs::store_buffering_release_acquire,
    ),
    case(
        "message_passing_relaxed",
        "tests/loom/weft/message_passing_relaxed.weft",
        programs::message_passing_relaxed,
    ),
    case(
        "peterson_swap_fence",
        "models/versus/peterson_swap_fence.weft",
        programs::peterson_swap_fence,
    ),
    case(
        "cas_spinlock_2",
        "models/versus/cas_spinlock_2.weft",
        programs::cas_spinlock_2,
    ),
    huge(Case {
        relation: Relation::LoomBranchLimit,
        ..case(
            "cas_spinlock_3",
            "models/locks/cas_spinlock.weft",
            programs::cas_spinlock_3,
        )
    }),
    Case {
        relation: Relation::LoomBranchLimit,
        ..case(
            "ticket_lock_3",
            "models/locks/ticket_lock.weft",
            programs::ticket_lock_3,
        )
    },
    case(
        "philosophers_3",
        "models/classic/philosophers_deadlock.weft",
        programs::philosophers_3,
    ),
    case(
        "condvar_handshake",
        "models/condvar/handshake.weft",
        programs::condvar_handshake,
    ),
    case(
        "condvar_lost_wakeup",
        "models/condvar/lost_wakeup.weft",
        programs::lost_wakeup,
    ),
    case(
        "treiber_stack",
        "models/atomics/treiber_stack.weft",
        programs::treiber_stack,
    ),
    case(
        "channel_pipeline",
        "models/versus/pipeline_unbounded.weft",
        programs::channel_pipeline,
    ),
];

/// The case named `name`.
pub fn find(name: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no versus case named `{name}`"))
}

/// The repository root (the parent of the weft-tests crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

// ---- weft

/// Compile `case.model` and check it exhaustively with the default options (breadth-first search
/// over full states, no limits), as `weft check` does.
pub fn run_weft(case: &Case) -> Report {
    let path = root().join(case.model);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let program = weft::ir::compile(SourceFile::new(case.model, text))
        .unwrap_or_else(|d| panic!("{} does not compile: {}", case.model, d[0].message));
    weft::check_program(&program, &Options::default())
}

// ---- loom

/// What loom concluded about one program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoomFinding {
    /// Every execution ran to its end without a panic.
    Safe,
    /// A `deadlock; threads = ...` panic: no thread could run.
    Deadlock,
    /// loom's own causality check on its `UnsafeCell` (a data race).
    DataRace,
    /// loom stopped an execution that took too many scheduling decisions (a thread never stops
    /// spinning, or the program is too long for the branch limit).
    TooManyBranches,
    /// Any other panic: a failed assertion of the program, with its message.
    Assertion(String),
    /// The time cap stopped loom before it had explored every execution.
    Capped,
}

impl LoomFinding {
    /// Short form for tables.
    pub fn label(&self) -> &'static str {
        match self {
            LoomFinding::Safe => "safe",
            LoomFinding::Deadlock => "deadlock",
            LoomFinding::DataRace => "data-race",
            LoomFinding::TooManyBranches => "max-branches",
            LoomFinding::Assertion(_) => "assertion-failure",
            LoomFinding::Capped => "capped",
        }
    }
}

/// One loom run: its finding, how many executions it started, and how long it took.
#[derive(Clone, Debug)]
pub struct LoomRun {
    pub finding: LoomFinding,
    pub executions: usize,
    pub elapsed: Duration,
}

/// The payload of the panic that stops loom when the time cap passes.
struct CapReached;

/// The name of the threads loom runs in; the bench's panic hook keeps their expected panics quiet.
pub const LOOM_THREAD: &str = "loom-versus";

/// Run `case`'s loom model to its end, or until `cap` passes (checked at the start of each
/// execution, where a counter also records how far loom got).
///
/// The builder's search settings are set here, not left to the `LOOM_*` environment variables,
/// so the environment cannot change what is compared: no preemption bound (loom explores every
/// interleaving, as weft does), loom's default branch limit of 1000 scheduling decisions per
/// execution (far above the few dozen these programs take), no permutation or duration limit.
/// loom runs on a fresh thread each time: a panic leaves loom's thread-local scheduler state behind.
pub fn run_loom(case: &Case, cap: Option<Duration>) -> LoomRun {
    let executions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&executions);
    let body = case.loom;
    let start = Instant::now();
    let deadline = cap.map(|c| start + c);
    let outcome = std::thread::Builder::new()
        .name(LOOM_THREAD.to_string())
        .spawn(move || {
            let mut builder = loom::model::Builder::new();
            builder.preemption_bound = None;
            builder.max_branches = 1_000;
            builder.max_permutations = None;
            builder.max_duration = None;
            builder.checkpoint_file = None;
            builder.log = false;
            panic::catch_unwind(AssertUnwindSafe(|| {
                builder.check(move || {
                    counter.fetch_add(1, Ordering::Relaxed);
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        panic::panic_any(CapReached);
                    }
                    body();
                })
            }))
        })
        .expect("spawning the loom thread")
        .join()
        .expect("the loom thread catches its panics");
    let elapsed = start.elapsed();
    let finding = match outcome {
        Ok(()) => LoomFinding::Safe,
        Err(payload) => classify(payload),
    };
    LoomRun {
        finding,
        executions: executions.load(Ordering::Relaxed),
        elapsed,
    }
}

fn classify(payload: Box<dyn std::any::Any + Send>) -> LoomFinding {
    if payload.is::<CapReached>() {
        return LoomFinding::Capped;
    }
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic without a message".to_string());
    if message.starts_with("deadlock;") {
        LoomFinding::Deadlock
    } else if message.contains("Causality violation") {
        LoomFinding::DataRace
    } else if message.contains("exceeded maximum number of branches") {
        LoomFinding::TooManyBranches
    } else {
        LoomFinding::Assertion(message)
    }
}

// ---- agreement

/// Whether loom's finding and weft's report say the same thing. loom stops at the first failing
/// execution, so it reports one kind; weft reports every kind it finds: they agree when both say
/// safe, or when loom's kind is among weft's. A capped or branch-limited loom run agrees with nothing.
pub fn verdicts_agree(loom: &LoomFinding, weft: &Report) -> bool {
    let kinds = weft.kinds();
    match (loom, weft.verdict) {
        (LoomFinding::Safe, Verdict::Safe) => true,
        (LoomFinding::Deadlock, Verdict::Violation) => kinds.contains(&ViolationKind::Deadlock),
        (LoomFinding::DataRace, Verdict::Violation) => kinds.contains(&ViolationKind::DataRace),
        (LoomFinding::Assertion(_), Verdict::Violation) => {
            kinds.contains(&ViolationKind::AssertionFailure)
        }
        _ => false,
    }
}

/// weft's verdict in the words of the tables: `safe`, the kinds found, or why it stopped.
pub fn weft_label(report: &Report) -> String {
    match report.verdict {
        Verdict::Safe => "safe".to_string(),
        Verdict::Violation => report
            .kinds()
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        Verdict::Incomplete { limit } => format!("incomplete ({})", limit.as_str()),
    }
}

/// Check that `case`'s two verdicts relate as the case says, with a message naming both.
pub fn assert_relation(case: &Case) {
    let weft = run_weft(case);
    let loom = run_loom(case, None);
    let agree = verdicts_agree(&loom.finding, &weft);
    let detail = format!(
        "{}: weft says {} ({} states), loom says {:?} after {} executions",
        case.name,
        weft_label(&weft),
        weft.stats.states,
        loom.finding,
        loom.executions
    );
    match case.relation {
        Relation::Same => assert!(agree, "the verdicts differ: {detail}"),
        Relation::LoomBranchLimit => {
            assert_eq!(weft.verdict, Verdict::Safe, "{detail}");
            assert_eq!(loom.finding, LoomFinding::TooManyBranches, "{detail}");
        }
        Relation::LoomFalseAlarm => {
            assert_eq!(weft.verdict, Verdict::Safe, "{detail}");
            assert!(
                matches!(loom.finding, LoomFinding::Assertion(_)),
                "loom did not report the violation this case is about: {detail}"
            );
        }
    }
}
