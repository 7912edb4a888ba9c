//! Shared by the CLI transcript tests: the `weft` binary (built on first use unless up to date, so
//! `cargo test -p weft-tests` never runs a stale one), a sandbox folder holding a copy of `models/`, running a
//! command, and normalising what varies between runs (timings) before comparing.

#![allow(dead_code)] // Each test crate uses its own part of this module.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use regex::Regex;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The `weft` binary, built once per test process with the same profile as the tests. Cargo only
/// builds a package's binaries for that package's own integration tests, and these live in another
/// package. Under `cargo test --workspace` the CLI package's own test (`cli/tests/binary.rs`) has
/// made cargo build it already, with the workspace's features: when it is newer than every source
/// it is built from, it is used as it is. Otherwise (`cargo test -p weft-tests` after an edit) it
/// is built here, which takes a minute or more on a cold cache.
pub fn weft_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test's own path");
        // target/<profile>/deps/<test> -> target/<profile>
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test runs from target/<profile>/deps");
        let bin = profile_dir.join(format!("weft{}", std::env::consts::EXE_SUFFIX));
        if is_up_to_date(&bin) {
            return bin;
        }
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build.current_dir(root()).args([
            "build",
            "--quiet",
            "--package",
            "weft-checker-cli",
            "--bin",
            "weft",
        ]);
        // The profile the tests themselves were built with, so the library build is shared.
        build.args(["--profile", if release { "release" } else { "test" }]);
        let status = build.status().expect("running cargo build");
        assert!(status.success(), "cargo build of the weft binary failed");
        assert!(bin.exists(), "no weft binary at {}", bin.display());
        bin
    })
}

/// Is `bin` newer than every file it is built from (the library's and the CLI's sources and
/// manifests, the lockfile)? A target folder shared by two checkouts can hold a binary built from
/// the other one after this one's last edit: give each checkout its own `CARGO_TARGET_DIR`.
fn is_up_to_date(bin: &Path) -> bool {
    let Ok(built) = fs::metadata(bin).and_then(|m| m.modified()) else {
        return false;
    };
    let root = root();
    let mut pending = vec![
        root.join("checker"),
        root.join("cli"),
        root.join("Cargo.toml"),
        root.join("Cargo.lock"),
    ];
    while let Some(path) = pending.pop() {
        let Ok(meta) = fs::metadata(&path) else {
            return false;
        };
        if meta.is_dir() {
            let Ok(entries) = fs::read_dir(&path) else {
                return false;
            };
            pending.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
        } else if meta.modified().map_or(true, |m| m > built) {
            return false;
        }
    }
    true
}

/// A temporary folder with a copy of the repository's `models/`, where commands run.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a sandbox folder");
    for entry in fs::read_dir(from).expect("read a models folder") {
        let entry = entry.expect("a directory entry");
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy a model");
        }
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temporary folder");
        copy_dir(&root().join("models"), &dir.path().join("models"));
        Sandbox { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write a file (and its folders) below the sandbox.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        fs::write(path, text).expect("write a file");
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.dir.path().join(rel))
            .unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// A `weft` command that runs in the sandbox, with a clean colour environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(weft_bin());
        cmd.current_dir(self.dir.path())
            .args(args)
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR")
            .env("NO_COLOR", "1");
        cmd
    }

    /// Run `weft ARGS` in the sandbox.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().expect("running weft");
        Run::new(args, output)
    }
}

/// A finished command: its arguments, exit code and output.
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn new(args: &[&str], output: Output) -> Run {
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The whole transcript, normalised: the command, its exit code, standard output and error.
    pub fn transcript(&self) -> String {
        let mut out = format!("$ weft {}\nexit: {}\n", self.args.join(" "), self.code);
        out.push_str("--- stdout\n");
        out.push_str(&normalise(&self.stdout));
        out.push_str("--- stderr\n");
        out.push_str(&normalise(&self.stderr));
        out
    }

    /// Assert the exit code, showing the transcript when it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            code,
            "unexpected exit code:\n{}",
            self.transcript()
        );
        self
    }
}

/// Replace what varies between runs: durations (`0.01s`, `"elapsed_ms": 1.25`), rates (`1234 states/s`,
/// `"states_per_sec": ...`), JUnit `time` attributes, and the measured peak memory (`"memory_bytes"`,
/// what the CLI's allocator counted: it varies with the environment, as timings do).
pub fn normalise(text: &str) -> String {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            (r"\d+(\.\d+)? states/s", "[RATE] states/s"),
            (r"\b\d+\.\d+s\b", "[TIME]s"),
            (r#""elapsed_ms": [0-9.e+-]+"#, r#""elapsed_ms": "[TIME]""#),
            (
                r#""states_per_sec": [0-9.e+-]+"#,
                r#""states_per_sec": "[RATE]""#,
            ),
            (r#"time="[0-9.]+""#, r#"time="[TIME]""#),
            (r#""memory_bytes": \d+"#, r#""memory_bytes": "[MEMORY]""#),
        ]
        .into_iter()
        .map(|(pattern, with)| (Regex::new(pattern).expect("a valid pattern"), with))
        .collect()
    });
    let mut text = text.to_string();
    for (re, with) in rules {
        text = re.replace_all(&text, *with).into_owned();
    }
    text
}
