//! The real models: every `models/**/*.weft` file and every example of `docs/language.md` parses,
//! and printing is a fixed point on them. The same texts seed the mutation property tests.

use std::path::{Path, PathBuf};

use super::{parse_ok, parse_src};
use crate::lang::print;

/// A model text and where it came from.
pub(super) struct Sample {
    pub name: String,
    pub text: String,
    /// A `weft,fails` documentation example: it must fail, though maybe only after parsing.
    pub fails: bool,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn collect_models(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_models(&path, out);
        } else if path.extension().is_some_and(|e| e == "weft") {
            out.push(path);
        }
    }
}

/// Every `.weft` file under `models/` (none if the folder is missing or empty).
pub(super) fn models() -> Vec<Sample> {
    let mut paths = Vec::new();
    collect_models(&workspace().join("models"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read(&path).ok()?;
            Some(Sample {
                name: path.display().to_string(),
                text: String::from_utf8_lossy(&text).into_owned(),
                fails: false,
            })
        })
        .collect()
}

/// The ```` ```weft ```` and ```` ```weft,fails ```` blocks of `docs/language.md`.
pub(super) fn doc_examples() -> Vec<Sample> {
    let Ok(doc) = std::fs::read_to_string(workspace().join("docs/language.md")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut current: Option<Sample> = None;
    for (n, line) in doc.lines().enumerate() {
        match current.take() {
            None => {
                if let Some(info) = line.strip_prefix("```weft") {
                    current = Some(Sample {
                        name: format!("docs/language.md:{}", n + 1),
                        text: String::new(),
                        fails: info.contains("fails"),
                    });
                }
            }
            Some(sample) if line.starts_with("```") => out.push(sample),
            Some(mut sample) => {
                sample.text.push_str(line);
                sample.text.push('\n');
                current = Some(sample);
            }
        }
    }
    out
}

/// Models and documentation examples together: the seeds of the mutation tests.
pub(super) fn all_samples() -> Vec<Sample> {
    let mut all = models();
    all.extend(doc_examples());
    all
}

/// `text` parses without error, and the printer reaches a fixed point after one round.
fn check_round_trip(name: &str, text: &str) {
    let (model, diags) = parse_src(text);
    assert!(diags.is_empty(), "{name}: {diags:#?}");
    let printed = print(&model);
    let (again, diags) = parse_src(&printed);
    assert!(
        diags.is_empty(),
        "{name}: the printed model does not parse: {diags:#?}\n{printed}"
    );
    assert_eq!(
        print(&again),
        printed,
        "{name}: printing is not a fixed point"
    );
    assert_eq!(
        parse_ok(&printed),
        parse_ok(text),
        "{name}: printing changed the tree"
    );
}

#[test]
fn corpus_models_parse_and_round_trip() {
    for sample in models() {
        check_round_trip(&sample.name, &sample.text);
    }
}

#[test]
fn documentation_examples_parse_and_round_trip() {
    let examples = doc_examples();
    assert!(
        !examples.is_empty(),
        "docs/language.md has no ```weft examples"
    );
    for sample in examples {
        let (_, diags) = parse_src(&sample.text);
        if sample.fails && !diags.is_empty() {
            // A syntax error must be the one its first line announces: `// error: MESSAGE`.
            let expected = sample
                .text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("// error: "));
            assert_eq!(Some(diags[0].message.as_str()), expected, "{}", sample.name);
        } else {
            check_round_trip(&sample.name, &sample.text);
        }
    }
}
