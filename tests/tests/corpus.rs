//! Every model in `models/` (and the SPIN comparison's in `tests/spin/weft/`) as a named cargo test,
//! through `weft::harness` (the same harness users run from their own `cargo test`): it must have an
//! `//@ expect:` header and meet it, and every violation's trace must survive a JSON round trip and
//! replay to the same violation at the same step. The corpus is checked under every memory model
//! (`name::sc`, `name::tso`, `name::ra`, `name::rc11`): a model states what differs with `//@ expect[MODEL]:`
//! and `//@ outcome[MODEL] ...` lines.

use std::path::Path;

use libtest_mimic::{Arguments, Trial};
use weft::harness::{self, HarnessOptions};

fn options() -> HarnessOptions {
    HarnessOptions {
        require_header: true,
        verify_traces: true,
        ..HarnessOptions::default()
    }
}

/// The harness options under memory model `model`.
fn options_under(model: weft::MemoryModel) -> HarnessOptions {
    let mut o = options();
    o.options.memory_model = Some(model);
    o
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let files = harness::model_files(&root)
        .unwrap_or_else(|e| panic!("reading the corpus under {}: {e}", root.display()));
    assert!(
        files.len() >= 30,
        "expected the model corpus under {}",
        root.display()
    );
    let mut trials: Vec<Trial> = files
        .into_iter()
        .flat_map(|path| {
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .with_extension("")
                .display()
                .to_string()
                .replace('/', "::");
            weft::MemoryModel::ALL.map(|model| {
                let path = path.clone();
                Trial::test(format!("{name}::{model}"), move || {
                    Ok(harness::check_file(&path, &options_under(model)).into_result()?)
                })
            })
        })
        .collect();
    // The benchmark-size models of the SPIN comparison (`tests/spin/run.sh`) must meet their headers
    // too, or the comparison would time a wrong model.
    let spin = Path::new(env!("CARGO_MANIFEST_DIR")).join("spin/weft");
    for path in harness::model_files(&spin)
        .unwrap_or_else(|e| panic!("reading the SPIN models under {}: {e}", spin.display()))
    {
        let name = format!(
            "spin::{}",
            path.file_stem().unwrap_or_default().to_string_lossy()
        );
        // Under SC, as the Promela models they are compared with.
        trials.push(Trial::test(name, move || {
            Ok(harness::check_file(&path, &options_under(weft::MemoryModel::Sc)).into_result()?)
        }));
    }
    // One folder at once, as a user's single `#[test]` runs it (the whole corpus is covered above).
    let basics = root.join("basics");
    trials.push(Trial::test("harness::check_folder", move || {
        let count = harness::model_files(&basics)?.len();
        let result = harness::check_folder_with(&basics, &options())?;
        if result.models.len() != count || count == 0 {
            return Err(format!("{} models checked, {count} on disk", result.models.len()).into());
        }
        if result.summary() != format!("{count} passed, 0 failed") {
            return Err(result.summary().into());
        }
        Ok(result.into_result()?)
    }));
    libtest_mimic::run(&args, trials).exit();
}
