//! A verdict must not depend on the order in which threads are declared (issue 12).
//!
//! Every thread's initial local code runs before any visible operation, in no particular order, and
//! a spawned thread's initial local code runs alongside the rest of its parent's step: a thread
//! whose local code discards the execution (`assume!`) must not hide another's failure. The fixed
//! cases pin the reproducer; the property permutes the thread declarations of generated models and
//! compares the violation kinds found, under `sc` and under the default `rc11`.

use proptest::test_runner::{TestCaseError, TestRunner};
use weft::{MemoryModel, Options, SourceFile, ViolationKind};
use weft_tests::cases;
use weft_tests::generate::{self, ModelSpec};

/// Cases when `PROPTEST_CASES` is not set: each runs three permutations under two models.
const CASES: u32 = 300;

fn kinds(text: &str, model: MemoryModel) -> Vec<ViolationKind> {
    let file = SourceFile::new("order.weft", text.to_string());
    let options = Options {
        memory_model: Some(model),
        ..Options::default()
    };
    match weft::check(&file, &options) {
        Ok(report) => report.kinds().into_iter().collect(),
        Err(d) => panic!("does not compile: {}\n{text}", d[0].message),
    }
}

#[test]
fn a_discarding_thread_does_not_hide_a_failing_one_declared_after_it() {
    let first = "thread a { assume!(false); }\nthread b { assert!(false); }\n";
    let second = "thread b { assert!(false); }\nthread a { assume!(false); }\n";
    for model in [MemoryModel::Sc, MemoryModel::Rc11] {
        assert_eq!(kinds(first, model), vec![ViolationKind::AssertionFailure]);
        assert_eq!(kinds(second, model), vec![ViolationKind::AssertionFailure]);
    }
}

#[test]
fn a_spawned_thread_that_discards_does_not_hide_its_parents_failure() {
    // The child's initial local code discards; the parent's own local code after the spawn fails.
    let parent_fails = "thread main { let h = spawn { assume!(false); }; assert!(false); }\n";
    // And the other way round: the child fails, the parent's local code discards.
    let child_fails = "thread main { let h = spawn { assert!(false); }; assume!(false); }\n";
    for text in [parent_fails, child_fails] {
        assert_eq!(
            kinds(text, MemoryModel::Sc),
            vec![ViolationKind::AssertionFailure],
            "{text}"
        );
    }
}

#[test]
fn threads_that_only_discard_are_still_safe() {
    let text = "thread a { assume!(false); }\nthread b { assume!(false); }\n";
    assert_eq!(kinds(text, MemoryModel::Sc), vec![]);
    let spawned = "thread main { let h = spawn { assume!(false); }; h.join(); }\n";
    assert_eq!(kinds(spawned, MemoryModel::Sc), vec![]);
}

/// What a thread's body may start with, before its first visible operation: nothing (most
/// often), or a check that ends every execution at once, or one that depends on the instance.
const PREFIXES: [&str; 6] = [
    "",
    "",
    "",
    "assume!(false);",
    "assert!(false);",
    "assume!(tid != 1);",
];

/// The model's source with its threads declared in `order`, thread `i`'s body starting with
/// `PREFIXES[prefix[i]]` (`tid` only in families; elsewhere that prefix is left out).
fn render(spec: &ModelSpec, order: &[usize], prefix: &[usize]) -> String {
    let mut out = spec.clone();
    out.threads = order.iter().map(|&i| spec.threads[i].clone()).collect();
    let text = out.source();
    let mut lines: Vec<String> = Vec::new();
    let mut thread = 0;
    for line in text.lines() {
        lines.push(line.to_string());
        if line.starts_with("thread ") && line.ends_with('{') {
            let original = order[thread];
            let check = PREFIXES[prefix.get(original).copied().unwrap_or(0)];
            if !check.contains("tid") || line.contains('[') {
                lines.push(format!("    {check}"));
            }
            thread += 1;
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn verdicts_do_not_depend_on_thread_declaration_order() {
    let mut runner = TestRunner::new(cases(CASES));
    let strategy = (
        generate::model(),
        proptest::collection::vec(0..PREFIXES.len(), 4),
    );
    let result = runner.run(&strategy, |(spec, prefix)| {
        let n = spec.threads.len();
        let identity: Vec<usize> = (0..n).collect();
        let reversed: Vec<usize> = (0..n).rev().collect();
        let rotated: Vec<usize> = (1..n).chain(0..1.min(n)).collect();
        for model in [MemoryModel::Sc, MemoryModel::Rc11] {
            let original = render(&spec, &identity, &prefix);
            let base = kinds(&original, model);
            for order in [&reversed, &rotated] {
                let other = render(&spec, order, &prefix);
                let found = kinds(&other, model);
                if found != base {
                    return Err(TestCaseError::fail(format!(
                        "under {}: {base:?} in declaration order, {found:?} in order {order:?}\n\
                         original:\n{original}\npermuted:\n{other}",
                        model.as_str(),
                    )));
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
