//! `weft check --format sarif` and `--format github`, the formats for CI. Every SARIF log is
//! validated against the official SARIF 2.1.0 schema (`tests/fixtures/sarif/`, draft-04, with the
//! `jsonschema` crate), and the exit status must not depend on the format.

mod cli_common;

use std::sync::OnceLock;

use cli_common::{root, Run, Sandbox};
use serde_json::Value;

/// A model with no header and two kinds of bug: a lost update (data races and an assertion whose
/// message holds characters the GitHub format must escape).
const LOST_UPDATE: &str =
    "static mut COUNT: int = 0;\n\nthread inc[2] {\n    COUNT = COUNT + 1;\n}\n\n\
final {\n    assert!(COUNT == 2, \"100% sure: 2, not 1\");\n}\n";

/// A model that claims to be safe and is not.
const CLAIMS_SAFE: &str = "//@ expect: safe\nstatic mut X: int = 0;\nthread t[2] { X = 1; }\n";

const BROKEN: &str = "static mut X: int = 0;\nthread t { X = Y + 1; }\n";

fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.write("lost_update.weft", LOST_UPDATE);
    sandbox.write("odd, name/lost: update.weft", LOST_UPDATE);
    sandbox.write("claims_safe.weft", CLAIMS_SAFE);
    sandbox.write("broken.weft", BROKEN);
    sandbox
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let path = root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
        let text = std::fs::read_to_string(&path).expect("the vendored SARIF schema");
        let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the SARIF schema compiles")
    })
}

/// Run `weft check ARGS --format sarif`, check its exit status against `--format human`, and
/// return the log after validating it.
fn sarif(sandbox: &Sandbox, args: &[&str], code: i32) -> Value {
    let human = sandbox.run(&[&["check"], args].concat());
    human.expect_code(code);
    let run = sandbox.run(&[&["check"], args, &["--format", "sarif"]].concat());
    run.expect_code(code);
    let log: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.transcript()));
    let errors: Vec<String> = validator()
        .iter_errors(&log)
        .map(|e| format!("{e} (at {})", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "weft check {args:?} --format sarif does not validate:\n{}\n{}",
        errors.join("\n"),
        run.stdout
    );
    log
}

fn run_of(log: &Value) -> &Value {
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run per command");
    &runs[0]
}

fn results(log: &Value) -> &Vec<Value> {
    run_of(log)["results"].as_array().expect("results")
}

fn invocation(log: &Value) -> &Value {
    &run_of(log)["invocations"][0]
}

fn region(location: &Value) -> [u64; 4] {
    let r = &location["physicalLocation"]["region"];
    ["startLine", "startColumn", "endLine", "endColumn"].map(|k| r[k].as_u64().expect(k))
}

#[test]
fn a_safe_model_has_no_results_and_a_successful_invocation() {
    let sandbox = sandbox();
    let log = sarif(&sandbox, &["models/basics/mutex_counter.weft"], 0);
    assert_eq!(log["version"], "2.1.0");
    assert!(results(&log).is_empty());
    let inv = invocation(&log);
    assert_eq!(inv["executionSuccessful"], true);
    assert_eq!(inv["exitCode"], 0);
    let driver = &run_of(&log)["tool"]["driver"];
    assert_eq!(driver["name"], "weft");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    // One rule per violation kind, then compile errors and unmet headers.
    let ids: Vec<&str> = driver["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    for kind in weft::ViolationKind::ALL {
        assert!(ids.contains(&kind.as_str()), "no rule for {kind}");
    }
    assert!(ids.contains(&"compile-error") && ids.contains(&"header-not-met"));
    for rule in driver["rules"].as_array().expect("rules") {
        for field in ["shortDescription", "fullDescription", "help"] {
            assert!(rule[field]["text"].as_str().is_some_and(|t| !t.is_empty()));
        }
    }
}

#[test]
fn a_data_race_points_at_both_accesses_and_steps_through_the_interleaving() {
    let sandbox = sandbox();
    let log = sarif(&sandbox, &["lost_update.weft"], 1);
    let results = results(&log);
    let kinds: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().expect("ruleId"))
        .collect();
    assert_eq!(kinds, ["assertion-failure", "data-race", "data-race"]);
    let rules = run_of(&log)["tool"]["driver"]["rules"].clone();
    for r in results {
        // No header expects them: errors, not suppressed.
        assert_eq!(r["level"], "error");
        assert!(r.get("suppressions").is_none());
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let location = &r["locations"][0];
        assert_eq!(
            location["physicalLocation"]["artifactLocation"]["uri"],
            "lost_update.weft"
        );
        // The message is the violation's, then the verdict, then how to replay it.
        let message = r["message"]["text"].as_str().expect("message");
        assert!(message.contains("\nviolation: assertion-failure, data-race (a complete search"));
        assert!(message.contains("\nreplay: weft replay lost_update.weft weft-traces/"));
        // The interleaving, one location per step in execution order, naming the thread.
        let steps = r["codeFlows"][0]["threadFlows"][0]["locations"]
            .as_array()
            .expect("thread flow locations");
        assert_eq!(
            steps.len() as u64,
            r["properties"]["steps"].as_u64().unwrap()
        );
        for (i, step) in steps.iter().enumerate() {
            assert_eq!(step["executionOrder"], i as u64 + 1);
            let text = step["location"]["message"]["text"].as_str().unwrap();
            assert!(
                text.starts_with(&format!("step {}, thread `inc[", i + 1)),
                "{text}"
            );
        }
    }
    // `COUNT = COUNT + 1;` at 4:5 (to just after the `;`), and the other access beside it.
    let race = &results[1];
    assert_eq!(region(&race["locations"][0]), [4, 5, 4, 23]);
    let related = race["relatedLocations"]
        .as_array()
        .expect("relatedLocations");
    assert_eq!(related.len(), 1);
    assert_eq!(region(&related[0]), [4, 5, 4, 23]);
    assert!(related[0]["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("write by `inc["));
    // The assertion in `final`, with the step where it shows marked.
    let assertion = &results[0];
    assert_eq!(region(&assertion["locations"][0]), [8, 5, 8, 47]);
}

#[test]
fn an_expected_violation_is_a_suppressed_note() {
    let sandbox = sandbox();
    let log = sarif(&sandbox, &["models/basics/write_write_race.weft"], 0);
    let results = results(&log);
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "data-race");
    assert_eq!(r["level"], "note");
    assert_eq!(r["suppressions"][0]["kind"], "inSource");
    assert_eq!(r["properties"]["thread"], "claim[1]");
    assert_eq!(
        r["properties"]["trace"],
        "weft-traces/write_write_race-data-race.json"
    );
    assert_eq!(invocation(&log)["executionSuccessful"], true);
}

#[test]
fn a_deadlock_ends_its_interleaving_in_the_blocked_state() {
    let sandbox = sandbox();
    let log = sarif(&sandbox, &["models/classic/bank_transfer_deadlock.weft"], 0);
    let results = results(&log);
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "deadlock");
    let steps = r["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .expect("steps");
    assert_eq!(steps.len(), 2);
    assert!(steps[1]["location"]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("thread `t2`: ACCOUNT[1].lock()"));
}

#[test]
fn a_compile_error_is_a_result_at_its_place_and_a_failed_invocation() {
    let sandbox = sandbox();
    let log = sarif(&sandbox, &["broken.weft"], 2);
    let results = results(&log);
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "compile-error");
    assert_eq!(r["level"], "error");
    assert_eq!(region(&r["locations"][0]), [2, 16, 2, 17]);
    assert!(r["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("cannot find value `Y` in this scope"));
    let inv = invocation(&log);
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["exitCode"], 2);
    assert_eq!(
        inv["toolExecutionNotifications"][0]["descriptor"]["id"],
        "does-not-compile"
    );
}

#[test]
fn an_incomplete_run_says_so_in_its_invocation() {
    let sandbox = sandbox();
    let log = sarif(
        &sandbox,
        &["models/basics/mutex_counter.weft", "--max-states", "3"],
        3,
    );
    assert!(results(&log).is_empty());
    let inv = invocation(&log);
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["exitCode"], 3);
    let notes = inv["toolExecutionNotifications"].as_array().expect("notes");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["descriptor"]["id"], "incomplete");
    assert_eq!(notes[0]["level"], "warning");
    let text = notes[0]["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("models/basics/mutex_counter.weft: incomplete: the search stopped at the state limit (3 states)"),
        "{text}"
    );
}

#[test]
fn a_folder_is_one_run_with_every_result() {
    let sandbox = sandbox();
    let log = sarif(&sandbox, &["models/basics"], 0);
    let run = run_of(&log);
    let models = weft::harness::model_files(sandbox.path().join("models/basics")).unwrap();
    assert_eq!(run["artifacts"].as_array().unwrap().len(), models.len());
    // Each result's artifact index points at its own file.
    for r in results(&log) {
        let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        let index = location["index"].as_u64().unwrap() as usize;
        assert_eq!(run["artifacts"][index]["location"]["uri"], location["uri"]);
        // Every model of the folder expects what it finds.
        assert_eq!(r["level"], "note", "{r}");
    }
    let json: Value = serde_json::from_str(
        &sandbox
            .run(&["check", "models/basics", "--format", "json"])
            .stdout,
    )
    .unwrap();
    let violations: usize = json["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["report"]["violations"].as_array().unwrap().len())
        .sum();
    assert_eq!(results(&log).len(), violations);
}

#[test]
fn an_unmet_header_is_a_result_on_its_line() {
    let sandbox = sandbox();
    let log = sarif(&sandbox, &["claims_safe.weft"], 1);
    let results = results(&log);
    let header = results
        .iter()
        .find(|r| r["ruleId"] == "header-not-met")
        .expect("a header-not-met result");
    assert_eq!(region(&header["locations"][0]), [1, 1, 1, 17]);
    assert!(header["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("the model does not meet its header line `expect: safe`: found data-race"));
    assert!(results
        .iter()
        .any(|r| r["ruleId"] == "data-race" && r["level"] == "error"));
}

#[test]
fn odd_paths_and_other_outcomes_still_validate() {
    let sandbox = sandbox();
    let log = sarif(&sandbox, &["odd, name/lost: update.weft"], 1);
    let uri = &results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "odd%2C%20name/lost%3A%20update.weft");
    sarif(&sandbox, &["models/basics/spin_never_set.weft"], 0);
    sarif(
        &sandbox,
        &["models/litmus/sb_relaxed.weft", "--memory-model", "all"],
        0,
    );
    // A path that cannot be read still gives a log, with the error as a notification.
    let log = sarif(&sandbox, &["nope.weft"], 2);
    let inv = invocation(&log);
    assert_eq!(inv["executionSuccessful"], false);
    assert!(inv["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("cannot read `nope.weft`"));
    // Several paths at once: a folder and a broken model together.
    sarif(
        &sandbox,
        &["models/basics", "broken.weft", "claims_safe.weft"],
        2,
    );
}

/// The `::` workflow command lines of a run.
fn commands(run: &Run) -> Vec<&str> {
    run.stdout.lines().filter(|l| l.starts_with("::")).collect()
}

#[test]
fn github_gives_one_escaped_annotation_per_violation_then_the_human_output() {
    let sandbox = sandbox();
    let run = sandbox.run(&["check", "odd, name/lost: update.weft", "--format", "github"]);
    run.expect_code(1);
    let lines = commands(&run);
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    // Properties escape `,` and `:`; the message escapes `%` and newlines, keeping `,` and `:`.
    assert_eq!(
        lines[0],
        "::error file=odd%2C name/lost%3A update.weft,line=8,col=5,endLine=8,endColumn=47,\
         title=weft assertion-failure::100%25 sure: 2, not 1%0Aviolation: assertion-failure, \
         data-race (a complete search, 11 states explored)%0Areplay: weft replay \
         'odd, name/lost: update.weft' 'weft-traces/lost: update-assertion-failure.json'"
    );
    for line in &lines[1..] {
        assert!(line.starts_with("::error file=odd%2C name/lost%3A update.weft,line=4,col="));
        assert!(line.contains(",title=weft data-race::data race on `COUNT`"));
    }
    // Then the usual explanation, which the runner shows as it is.
    let human = sandbox.run(&["check", "odd, name/lost: update.weft"]);
    let rest: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.starts_with("::"))
        .collect();
    let human_lines: Vec<&str> = human.stdout.lines().collect();
    assert_eq!(rest.len(), human_lines.len());
    assert!(rest[0].starts_with("model odd, name/lost: update.weft"));
}

#[test]
fn github_notes_expected_violations_and_warns_of_incomplete_runs() {
    let sandbox = sandbox();
    let run = sandbox.run(&[
        "check",
        "models/basics/write_write_race.weft",
        "--format",
        "github",
    ]);
    run.expect_code(0);
    let lines = commands(&run);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with(
        "::notice file=models/basics/write_write_race.weft,line=8,col=5,endLine=8,endColumn=21,\
         title=weft data-race::"
    ));
    let run = sandbox.run(&[
        "check",
        "models/basics/mutex_counter.weft",
        "--max-states",
        "3",
        "--format",
        "github",
    ]);
    run.expect_code(3);
    let lines = commands(&run);
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with(
            "::warning file=models/basics/mutex_counter.weft,title=weft incomplete::\
             models/basics/mutex_counter.weft: incomplete: the search stopped at the state limit \
             (3 states) after 3 states; no violation found so far, which proves nothing%0Ahelp: "
        ),
        "{}",
        lines[0]
    );
}

#[test]
fn github_annotates_compile_errors_unmet_headers_and_unreadable_paths() {
    let sandbox = sandbox();
    let run = sandbox.run(&["check", "broken.weft", "--format", "github"]);
    run.expect_code(2);
    assert_eq!(
        commands(&run),
        ["::error file=broken.weft,line=2,col=16,endLine=2,endColumn=17,title=weft compile-error\
          ::cannot find value `Y` in this scope%0Anot found in this scope%0Ahelp: did you mean `X`?"]
    );
    // The rustc-style error is still on standard error.
    assert!(run
        .stderr
        .contains("error: cannot find value `Y` in this scope"));
    let run = sandbox.run(&["check", "claims_safe.weft", "--format", "github"]);
    run.expect_code(1);
    assert!(commands(&run).iter().any(|l| l.starts_with(
        "::error file=claims_safe.weft,line=1,col=1,endLine=1,endColumn=17,title=weft header-not-met::"
    )));
    let run = sandbox.run(&["check", "nope.weft", "--format", "github"]);
    run.expect_code(2);
    assert_eq!(
        commands(&run),
        ["::error title=weft error::cannot read `nope.weft`: no such file or directory"]
    );
}

#[test]
fn exit_codes_are_the_same_for_every_format() {
    let sandbox = sandbox();
    let cases: &[(&[&str], i32)] = &[
        (&["models/basics/mutex_counter.weft"], 0),
        (&["lost_update.weft"], 1),
        (&["broken.weft"], 2),
        (
            &["models/basics/mutex_counter.weft", "--max-states", "3"],
            3,
        ),
        (&["models/basics", "claims_safe.weft"], 1),
        (&["models/basics", "-q"], 0),
    ];
    for (args, code) in cases {
        for format in ["human", "json", "sarif", "github"] {
            let run = sandbox.run(&[&["check"], *args, &["--format", format]].concat());
            run.expect_code(*code);
        }
    }
}

#[test]
fn github_with_a_folder_keeps_the_summary_line() {
    let sandbox = sandbox();
    let run = sandbox.run(&[
        "check",
        "models/basics",
        "claims_safe.weft",
        "--format",
        "github",
    ]);
    run.expect_code(1);
    let models = weft::harness::model_files(sandbox.path().join("models/basics")).unwrap();
    let last = run.stdout.lines().last().unwrap_or_default();
    assert_eq!(last, format!("{} passed, 1 failed", models.len()));
    // One annotation per violation: every model of the folder expects its own (notices), and the
    // claimed-safe model has an unexpected race (error) and its header line (error).
    let errors = commands(&run)
        .iter()
        .filter(|l| l.starts_with("::error"))
        .count();
    assert_eq!(errors, 2, "{}", run.stdout);
}

#[test]
fn the_schema_check_rejects_what_is_not_sarif() {
    // So a passing validation above means something: a wrong level, a missing version and a
    // region line of 0 are each refused.
    let sandbox = sandbox();
    let run = sandbox.run(&["check", "lost_update.weft", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(validator().is_valid(&log));
    let mut wrong = log.clone();
    wrong["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator().is_valid(&wrong));
    let mut wrong = log.clone();
    wrong.as_object_mut().unwrap().remove("version");
    assert!(!validator().is_valid(&wrong));
    let mut wrong = log;
    wrong["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator().is_valid(&wrong));
}
