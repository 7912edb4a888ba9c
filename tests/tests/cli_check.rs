//! Transcripts of `weft check`: one model, a folder, JSON and JUnit output, limits, usage errors and
//! Ctrl-C. Snapshots live in `snapshots/`; after an intended change of output, re-accept them with
//! `INSTA_UPDATE=always cargo test -p weft-tests --test cli_check` (or `cargo insta accept`).

mod cli_common;

use cli_common::{normalise, Sandbox};
use insta::assert_snapshot;

/// The lost update with its header lines removed: a user's own model, which weft must fail.
const LOST_UPDATE: &str = "static mut COUNT: int = 0;

thread inc[2] {
    COUNT = COUNT + 1;
}

final {
    assert!(COUNT == 2, \"an increment was lost\");
}
";

#[test]
fn lost_update_explained() {
    let s = Sandbox::new();
    let run = s.run(&["check", "models/basics/lost_update_racy.weft"]);
    // The header expects both violations, so the model passes.
    run.expect_code(0);
    assert_snapshot!(run.transcript());
}

#[test]
fn a_bug_without_header_fails_with_exit_1() {
    let s = Sandbox::new();
    s.write("counter.weft", LOST_UPDATE);
    let run = s.run(&["check", "counter.weft"]);
    run.expect_code(1);
    assert_snapshot!(run.transcript());
    // Each violation's trace is written where the replay command says.
    for name in [
        "counter-assertion-failure.json",
        "counter-data-race.json",
        "counter-data-race-2.json",
    ] {
        let text = s.read(&format!("weft-traces/{name}"));
        assert!(text.contains("\"format\": \"weft-trace\""), "{name}");
        assert!(run
            .stdout
            .contains(&format!("weft replay counter.weft weft-traces/{name}")));
    }
}

#[test]
fn a_safe_model() {
    let s = Sandbox::new();
    let run = s.run(&["check", "models/basics/mutex_counter.weft"]);
    run.expect_code(0);
    assert_snapshot!(run.transcript());
}

#[test]
fn a_folder_is_judged_model_by_model() {
    let s = Sandbox::new();
    let run = s.run(&["check", "models/basics"]);
    run.expect_code(0);
    assert_snapshot!(run.transcript());
    assert!(run.stdout.ends_with("\n\n13 passed, 0 failed\n"));
}

/// A folder with a model that passes, one with a bug and no header, one whose header is wrong, and
/// one that does not compile.
fn failing_folder(s: &Sandbox) {
    s.write(
        "suite/a_fixed.weft",
        &s.read("models/basics/mutex_counter.weft"),
    );
    s.write("suite/b_counter.weft", LOST_UPDATE);
    s.write(
        "suite/sub/c_wrong_header.weft",
        "//@ expect: deadlock\nstatic mut X: int = 0;\nthread t[2] { X = 1; }\n",
    );
}

#[test]
fn failures_in_a_folder() {
    let s = Sandbox::new();
    failing_folder(&s);
    let run = s.run(&["check", "suite"]);
    run.expect_code(1);
    assert_snapshot!(run.transcript());
    s.write("suite/d_broken.weft", "thread t { X = 1; }\n");
    let run = s.run(&["check", "suite"]);
    // An error outranks a violation.
    run.expect_code(2);
    assert!(run.stdout.contains("ERROR      suite/d_broken.weft"));
    assert!(run.stdout.ends_with("1 passed, 3 failed\n"));
    assert!(run
        .stderr
        .contains("error: cannot find value `X` in this scope"));
}

#[test]
fn quiet_shows_only_what_does_not_pass() {
    let s = Sandbox::new();
    let run = s.run(&["check", "models/basics", "--quiet"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "13 passed, 0 failed\n");
    failing_folder(&s);
    let run = s.run(&["check", "suite", "-q"]);
    run.expect_code(1);
    assert_snapshot!(run.transcript());
}

#[test]
fn json_of_a_model_with_a_violation() {
    let s = Sandbox::new();
    let run = s.run(&[
        "check",
        "models/basics/write_write_race.weft",
        "--format",
        "json",
    ]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("the output is JSON");
    assert_eq!(doc["format"], "weft-check");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["passed"], 1);
    let model = &doc["models"][0];
    assert_eq!(model["path"], "models/basics/write_write_race.weft");
    assert_eq!(model["status"], "passed");
    let report = &model["report"];
    assert_eq!(report["format"], "weft-report");
    assert_eq!(report["verdict"], "violation");
    assert_eq!(report["violations"][0]["kind"], "data-race");
    let steps = report["violations"][0]["trace"]["steps"]
        .as_array()
        .expect("trace steps");
    assert!(!steps.is_empty());
    let trace = model["traces"][0].as_str().expect("a trace path");
    assert_eq!(trace, "weft-traces/write_write_race-data-race.json");
    assert!(s.path().join(trace).exists());
    assert_snapshot!(run.transcript());
}

#[test]
fn json_of_errors_and_failures() {
    let s = Sandbox::new();
    failing_folder(&s);
    s.write("suite/d_broken.weft", "thread t { X = 1; }\n");
    let run = s.run(&["check", "suite", "--format", "json"]);
    run.expect_code(2);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("the output is JSON");
    let statuses: Vec<&str> = doc["models"]
        .as_array()
        .expect("models")
        .iter()
        .map(|m| m["status"].as_str().expect("a status"))
        .collect();
    assert_eq!(statuses, ["passed", "failed", "error", "failed"]);
    let broken = &doc["models"][2];
    assert!(broken["report"].is_null());
    assert_eq!(
        broken["diagnostics"][0]["message"],
        "cannot find value `X` in this scope"
    );
    assert_eq!(
        broken["diagnostics"][0]["location"],
        "suite/d_broken.weft:1:12"
    );
    assert_eq!(doc["summary"]["failed"], 3);
}

#[test]
fn junit_reads_back() {
    use quick_xml::events::Event;
    use quick_xml::Reader;

    let s = Sandbox::new();
    failing_folder(&s);
    s.write("suite/d_broken.weft", "thread t { X = 1; }\n");
    s.run(&["check", "suite", "--junit", "out/junit.xml"])
        .expect_code(2);
    let xml = s.read("out/junit.xml");
    let mut reader = Reader::from_str(&xml);
    let (mut cases, mut failures, mut errors) = (Vec::new(), Vec::new(), 0);
    let mut in_failure = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .expect("attribute")
                        .map(|a| a.unescape_value().expect("escaped").into_owned())
                };
                match e.name().as_ref() {
                    b"testsuites" => assert_eq!(attr("tests").as_deref(), Some("4")),
                    b"testcase" => cases.push(attr("name").expect("a name")),
                    b"failure" => {
                        in_failure = true;
                        let message = attr("message").expect("a message");
                        failures.push(message);
                    }
                    b"error" => errors += 1,
                    _ => {}
                }
            }
            Event::Text(t) if in_failure => {
                let text = t.unescape().expect("escaped text");
                assert!(text.contains("interleaving:"), "{text}");
                in_failure = false;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(
        cases,
        [
            "suite/a_fixed.weft",
            "suite/b_counter.weft",
            "suite/d_broken.weft",
            "suite/sub/c_wrong_header.weft"
        ]
    );
    assert_eq!(errors, 1);
    // The message is the verdict (the library's summary), then the header lines that failed.
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(failures[0].starts_with("violation: assertion-failure, data-race"));
    assert!(failures[1].starts_with("violation: data-race"));
    assert!(failures[1].ends_with(
        "; header `expect: deadlock`: found data-race; missing deadlock; unexpected data-race"
    ));
}

#[test]
fn limits_make_a_run_incomplete() {
    let s = Sandbox::new();
    let run = s.run(&[
        "check",
        "models/basics/mutex_counter.weft",
        "--max-states",
        "3",
    ]);
    run.expect_code(3);
    assert_snapshot!(run.transcript());
    let run = s.run(&[
        "check",
        "models/basics/mutex_counter.weft",
        "--max-depth",
        "2",
    ]);
    run.expect_code(3);
    assert!(run
        .stdout
        .contains("incomplete: the search stopped at the depth limit (2 steps)"));
    let run = s.run(&[
        "check",
        "models/bench/ticket_lock_4x2.weft",
        "--memory-limit",
        "1MiB",
    ]);
    run.expect_code(3);
    assert!(
        run.stdout
            .contains("incomplete: the search stopped at the memory limit (1 MiB)"),
        "{}",
        run.stdout
    );
    let run = s.run(&[
        "check",
        "models/basics/mutex_counter.weft",
        "--memory-limit",
        "12XB",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("`12XB` is not a positive size"),
        "{}",
        run.stderr
    );
}

/// A model far too big to finish in a second.
const TOO_BIG: &str = "static X: AtomicInt = 0;
static Y: AtomicInt = 0;

thread t[6] {
    for i in 0..6 {
        X.fetch_add(1, Relaxed);
        let v = Y.load(Relaxed);
        Y.store(v + 1, Relaxed);
    }
}
";

#[test]
fn auto_warns_before_a_limit_stops_the_search() {
    let s = Sandbox::new();
    s.write("big.weft", TOO_BIG);
    // `auto` is the default: once 80% of the time limit is used, a note names what to try (the
    // line docs/cli.md shows, word for word).
    let run = s.run(&["check", "big.weft", "--time-limit", "1s"]);
    run.expect_code(3);
    assert!(
        run.stderr.contains(
            "note: big.weft: the search has used 80% of the time limit (1.0s) and may stop there, \
             incomplete; if it does, try `--strategy icb --max-preemptions 2` (every execution with \
             at most 2 preemptions, where most concurrency bugs are) or `--strategy pct --runs \
             10000 --seed 1` (sampled executions, with the odds of a miss stated)\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run
        .stdout
        .contains("incomplete: the search stopped at the time limit"));
    // A strategy chosen by name, or --quiet, says nothing before the report.
    for args in [
        &[
            "check",
            "big.weft",
            "--time-limit",
            "1s",
            "--strategy",
            "bfs",
        ][..],
        &["check", "big.weft", "--time-limit", "1s", "--quiet"][..],
    ] {
        let run = s.run(args);
        run.expect_code(3);
        assert!(!run.stderr.contains("note:"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn the_command_line_overrides_the_header() {
    let s = Sandbox::new();
    let model = s.read("models/basics/mutex_counter.weft");
    s.write("limited.weft", &format!("//@ max-states: 3\n{model}"));
    s.run(&["check", "limited.weft"]).expect_code(3);
    s.run(&["check", "limited.weft", "--max-states", "1_000"])
        .expect_code(0);
}

#[test]
fn an_incomplete_search_can_still_refute_a_header() {
    let s = Sandbox::new();
    s.write(
        "racy.weft",
        "//@ expect: safe\nstatic mut X: int = 0;\nthread t[3] { X = 1; X = 2; }\n",
    );
    // The race shows within a few states; finishing would take more.
    let run = s.run(&["check", "racy.weft", "--max-states", "8"]);
    run.expect_code(1);
    assert!(run
        .stdout
        .contains("FAILED: the model does not meet its header"));
}

#[test]
fn both_strategies_agree() {
    let s = Sandbox::new();
    for strategy in ["bfs", "dfs"] {
        let run = s.run(&[
            "check",
            "models/basics/lost_update_racy.weft",
            "--strategy",
            strategy,
            "--store",
            "fingerprint",
            "--seed",
            "7",
            "--quiet",
        ]);
        run.expect_code(0);
        assert_eq!(run.stdout, "1 passed, 0 failed\n");
    }
}

#[test]
fn bounded_and_sampled_searches() {
    let s = Sandbox::new();
    s.write("counter.weft", LOST_UPDATE);
    // Sampling finds the lost update, names the run that showed it, and is reproducible by seed.
    let pct = [
        "check",
        "counter.weft",
        "--strategy",
        "pct",
        "--runs",
        "200",
        "--seed",
        "1",
    ];
    let run = s.run(&pct);
    run.expect_code(1);
    assert!(
        run.stdout.contains("found by sampled run"),
        "{}",
        run.transcript()
    );
    assert_eq!(normalise(&s.run(&pct).stdout), normalise(&run.stdout));
    // Finding nothing proves nothing: a sampled or pruned bounded search of a safe model is incomplete.
    let random = s.run(&[
        "check",
        "models/basics/mutex_counter.weft",
        "--strategy",
        "random",
        "--runs",
        "20",
    ]);
    random.expect_code(3);
    assert!(random.stdout.contains("sampling proves nothing"));
    let icb = s.run(&[
        "check",
        "models/locks/peterson.weft",
        "--strategy",
        "icb",
        "--max-preemptions",
        "1",
    ]);
    icb.expect_code(3);
    assert!(icb.stdout.contains("no violation within 1 preemption"));
    // Partial-order reduction changes the state count, not the verdict.
    s.run(&["check", "counter.weft", "--no-reduction", "-q"])
        .expect_code(1);
}

#[test]
fn usage_errors_exit_2() {
    let s = Sandbox::new();
    let unknown = s.run(&["check", "models/basics", "--memory-model", "arm"]);
    unknown.expect_code(2);
    assert_snapshot!("memory_model_unknown", unknown.transcript());
    let flag = s.run(&["check", "models/basics", "--frobnicate"]);
    flag.expect_code(2);
    assert_snapshot!("bad_flag", flag.transcript());
    let time = s.run(&["check", "models/basics", "--time-limit", "soon"]);
    time.expect_code(2);
    assert!(time.stderr.contains("`soon` is not a positive duration"));
    let strategy = s.run(&["check", "models/basics", "--strategy", "bogus"]);
    strategy.expect_code(2);
    let bound = s.run(&["check", "models/basics", "--max-preemptions", "few"]);
    bound.expect_code(2);
    assert!(bound
        .stderr
        .contains("`few` is not a whole number of preemptions"));
    s.run(&["check"]).expect_code(2);
}

#[test]
fn missing_files_and_empty_folders_exit_2() {
    let s = Sandbox::new();
    let missing = s.run(&["check", "nope.weft"]);
    missing.expect_code(2);
    assert_snapshot!("missing_file", missing.transcript());
    std::fs::create_dir(s.path().join("empty")).expect("a folder");
    let empty = s.run(&["check", "empty"]);
    empty.expect_code(2);
    assert_eq!(
        empty.stderr,
        "error: no `*.weft` or `*.rs` files under `empty`\n"
    );
}

#[test]
fn a_model_that_does_not_compile_exits_2() {
    let s = Sandbox::new();
    s.write(
        "broken.weft",
        "static X: int = 0;\nthread t { X = Y + 1; }\n",
    );
    let run = s.run(&["check", "broken.weft"]);
    run.expect_code(2);
    assert_snapshot!(run.transcript());
}

#[test]
fn an_unwritable_trace_folder_exits_2() {
    let s = Sandbox::new();
    s.write("taken", "a file, not a folder");
    let run = s.run(&[
        "check",
        "models/basics/write_write_race.weft",
        "--trace-dir",
        "taken",
    ]);
    run.expect_code(2);
    assert!(run.stderr.starts_with("error: cannot create `taken`: "));
    // The report is still printed, without a replay command.
    assert!(run.stdout.contains("error[data-race]"));
    assert!(!run.stdout.contains("replay:"));
}

/// Two SIGINTs delivered together (as `timeout -s INT` does: to the process and to its group) are
/// one Ctrl-C: the partial report is still printed, and the exit status is 3, not 130.
#[cfg(unix)]
#[test]
fn two_sigints_at_once_still_give_the_report() {
    use std::time::Duration;

    let s = Sandbox::new();
    s.write(
        "big.weft",
        "static A: AtomicInt = 0;\nthread t[6] {\n    for i in 0..12 {\n        A.fetch_add(1, Relaxed);\n    }\n}\n",
    );
    for _ in 0..3 {
        let child = s
            .command(&[
                "check",
                "big.weft",
                "--time-limit",
                "120s",
                "--no-reduction",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start weft");
        std::thread::sleep(Duration::from_millis(700));
        let pid = child.id().to_string();
        // Back to back, as fast as two processes can be started.
        for _ in 0..2 {
            let status = std::process::Command::new("kill")
                .args(["-INT", &pid])
                .status()
                .expect("run kill");
            assert!(status.success());
        }
        let output = child.wait_with_output().expect("weft ends");
        let run = cli_common::Run::new(&["check", "big.weft"], output);
        run.expect_code(3);
        assert!(
            run.stdout.contains("incomplete: interrupted (Ctrl-C)"),
            "{}",
            run.transcript()
        );
    }
}

/// Ctrl-C stops the search; the partial report is printed, marked incomplete; models not reached are
/// skipped; the exit status is 3.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_search_and_reports() {
    use std::time::{Duration, Instant};

    let s = Sandbox::new();
    s.write(
        "run/a_big.weft",
        "static A: AtomicInt = 0;\nthread t[6] {\n    for i in 0..12 {\n        A.fetch_add(1, Relaxed);\n    }\n}\n",
    );
    s.write(
        "run/b_small.weft",
        &s.read("models/basics/mutex_counter.weft"),
    );
    let child = s
        // Without reduction: the reduction collapses these commuting increments to a few states.
        .command(&["check", "run", "--time-limit", "120s", "--no-reduction"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start weft");
    std::thread::sleep(Duration::from_millis(1500));
    let start = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let output = child.wait_with_output().expect("weft ends");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "the search did not stop"
    );
    let run = cli_common::Run::new(&["check", "run"], output);
    run.expect_code(3);
    assert!(
        run.stdout.contains("INCOMPLETE run/a_big.weft"),
        "{}",
        run.transcript()
    );
    assert!(run.stdout.contains("incomplete (cancelled)"));
    assert!(run.stdout.contains("skipped    run/b_small.weft"));
    assert!(run.stdout.ends_with("0 passed, 1 failed, 1 skipped\n"));
}
