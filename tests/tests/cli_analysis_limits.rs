//! The time limit holds after the search too: `weft check` on a model whose livelock analysis used to
//! take minutes (issue 12) ends incomplete, with exit 3, soon after its limit.

mod cli_common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use cli_common::{Run, Sandbox};

/// `timelimit_ignored_livelock_parallel_edges.weft`: three spinning threads that each chose among
/// 65,536 values first, so every state has 65,536 parallel edges; 8 states, 786,444 transitions.
const PARALLEL_EDGES: &str = "\
//! A livelock whose spinning threads each chose among 65,536 values first: every state has 65,536 parallel edges.
static X: AtomicInt = 0;
thread a { choose(0..65536); while X.load(Relaxed) != 1 { spin_loop(); } }
thread b { choose(0..65536); while X.load(Relaxed) != 1 { spin_loop(); } }
thread c { choose(0..65536); while X.load(Relaxed) != 1 { spin_loop(); } }
";

/// Far more than the search and the analysis need here, far less than the quadratic analysis took.
const GENEROUS: Duration = Duration::from_secs(120);

#[test]
fn a_short_time_limit_ends_the_run_incomplete_after_the_search() {
    let s = Sandbox::new();
    s.write("parallel_edges.weft", PARALLEL_EDGES);
    // A millisecond: far less than the 786,444 steps of the search take on any machine, so the
    // analysis after it starts with no time left.
    let args = ["check", "parallel_edges.weft", "--time-limit", "0.001s"];
    let mut child = s
        .command(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start weft");
    let start = Instant::now();
    // Poll rather than wait, so a hang fails the test instead of stalling it.
    while child.try_wait().expect("poll weft").is_none() {
        if start.elapsed() > GENEROUS {
            let _ = child.kill();
            panic!("weft ran past {GENEROUS:?} with a time limit of 1 ms");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("weft ends");
    let run = Run::new(&args, output);
    // The search either notices the limit itself or finishes first; then the livelock analysis
    // does. Either way: incomplete, named after the time limit, and no livelock claimed.
    run.expect_code(3);
    assert!(
        run.stdout
            .contains("incomplete: the search stopped at the time limit"),
        "{}",
        run.transcript()
    );
    assert!(
        !run.stdout.contains("error[livelock]"),
        "{}",
        run.transcript()
    );
}
