//! Transcripts of `weft graph`, `weft outcomes`, `weft parse` and the help texts. Re-accept
//! snapshots with `INSTA_UPDATE=always cargo test -p weft-tests --test cli_commands`.

mod cli_common;

use cli_common::Sandbox;
use insta::assert_snapshot;
use serde_json::Value;

#[test]
fn graph_as_dot_highlights_violations() {
    let s = Sandbox::new();
    let run = s.run(&["graph", "models/basics/write_write_race.weft"]);
    run.expect_code(0);
    assert!(run.stdout.starts_with("digraph weft {\n"));
    assert!(run.stdout.ends_with("}\n"));
    // The racing step is red; the counterexample's steps are bold.
    assert!(run.stdout.contains("color=red"), "{}", run.stdout);
    assert!(run.stdout.contains("style=bold"), "{}", run.stdout);
    assert_eq!(run.stderr, "");
}

#[test]
fn graph_as_json_to_a_file() {
    let s = Sandbox::new();
    let run = s.run(&[
        "graph",
        "models/basics/mutex_counter.weft",
        "--format",
        "json",
        "-o",
        "graph.json",
    ]);
    run.expect_code(0);
    assert_eq!(run.stdout, "");
    assert_snapshot!(run.transcript());
    let doc: Value = serde_json::from_str(&s.read("graph.json")).expect("graph JSON");
    assert_eq!(doc["format"], "weft-graph");
    assert_eq!(doc["version"], 1);
    // One node per explored state, one edge per transition: the same counts `weft check` reports.
    let check = s.run(&["check", "models/basics/mutex_counter.weft"]);
    let stats = check
        .stdout
        .lines()
        .find(|l| l.contains(" states, "))
        .expect("a statistics line");
    let count = |word: &str| -> usize {
        let words: Vec<&str> = stats.split([' ', ',']).filter(|w| !w.is_empty()).collect();
        let at = words.iter().position(|w| *w == word).expect("counted");
        words[at - 1].parse().expect("a number")
    };
    let nodes = doc["nodes"].as_array().expect("nodes").len();
    let edges = doc["edges"].as_array().expect("edges").len();
    assert!(nodes > 1);
    assert_eq!(nodes, count("states"));
    assert_eq!(edges, count("transitions"));
}

#[test]
fn a_partial_graph_exits_3() {
    let s = Sandbox::new();
    let run = s.run(&[
        "graph",
        "models/basics/mutex_counter.weft",
        "--max-states",
        "4",
    ]);
    run.expect_code(3);
    assert!(run.stdout.contains("style=dashed"));
    assert!(run.stderr.contains("the graph is partial"));
}

#[test]
fn a_sampled_search_has_no_graph() {
    let s = Sandbox::new();
    let run = s.run(&[
        "graph",
        "models/basics/mutex_counter.weft",
        "--strategy",
        "random",
    ]);
    run.expect_code(2);
    assert!(run
        .stderr
        .contains("`--strategy random` samples executions"));
}

#[test]
fn outcomes_of_a_litmus_test() {
    let s = Sandbox::new();
    let run = s.run(&["outcomes", "models/litmus/sb.weft"]);
    run.expect_code(0);
    assert_snapshot!(run.transcript());
}

#[test]
fn outcomes_as_json() {
    let s = Sandbox::new();
    let run = s.run(&["outcomes", "models/litmus/sb.weft", "--format", "json"]);
    run.expect_code(0);
    let doc: Value = serde_json::from_str(&run.stdout).expect("outcomes JSON");
    assert_eq!(doc["format"], "weft-outcomes");
    assert_eq!(doc["complete"], true);
    let outcomes = doc["outcomes"].as_array().expect("outcomes");
    assert_eq!(outcomes.len(), 3);
    assert_eq!(
        outcomes[0]["values"],
        serde_json::json!([["R1", 0], ["R2", 1]])
    );
    assert!(doc["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .all(|c| c["passed"] == true));
    let limited = s.run(&["outcomes", "models/litmus/sb.weft", "--max-states", "5"]);
    limited.expect_code(3);
    assert!(limited.stdout.contains("incomplete: the search stopped"));
}

#[test]
fn outcomes_mention_violations() {
    let s = Sandbox::new();
    let run = s.run(&["outcomes", "models/basics/lost_update_racy.weft"]);
    run.expect_code(0);
    assert_snapshot!(run.transcript());
}

#[test]
fn parse_prints_a_summary_or_errors() {
    let s = Sandbox::new();
    let run = s.run(&["parse", "models/basics/mutex_counter.weft"]);
    run.expect_code(0);
    assert_snapshot!(run.transcript());
    s.write("broken.weft", "thread t { let x = ; }\n");
    let broken = s.run(&["parse", "broken.weft", "models/basics/mutex_counter.weft"]);
    broken.expect_code(2);
    assert!(broken
        .stdout
        .ends_with("2 models: 1 parsed, 1 with errors\n"));
    assert!(broken.stderr.starts_with("error"));
    let json = s.run(&["parse", "broken.weft", "--format", "json"]);
    json.expect_code(2);
    let doc: Value = serde_json::from_str(&json.stdout).expect("parse JSON");
    assert_eq!(doc["format"], "weft-parse");
    assert_eq!(doc["models"][0]["ok"], false);
    assert_eq!(doc["models"][0]["diagnostics"][0]["severity"], "error");
}

#[test]
fn help_teaches() {
    let s = Sandbox::new();
    let top = s.run(&["--help"]);
    top.expect_code(0);
    assert_snapshot!("help", top.transcript());
    let check = s.run(&["check", "--help"]);
    check.expect_code(0);
    assert_snapshot!("help_check", check.transcript());
    for command in ["replay", "graph", "outcomes", "parse"] {
        let run = s.run(&[command, "--help"]);
        run.expect_code(0);
        assert!(run.stdout.contains("Example"), "{command}");
        assert!(run.stdout.contains("Exit status"), "{command}");
    }
    s.run(&["--version"]).expect_code(0);
    // No command at all is a usage error.
    s.run(&[]).expect_code(2);
}
