//! The dead variable reduction (`weft::ir::zero_dead_locals`, block-level dataflow over runs of
//! local ids) against the per-instruction bitset version it replaced
//! ([`weft_tests::liveness_reference`]): both must insert exactly the same zeroes, so the lowered
//! programs, and with them every state count, are the same.
//!
//! Compared on every model of the repository, on generated models (both generators), and on random
//! instruction lists whose control flow no model would produce: jumps anywhere, loops, dead code,
//! and spawned codes that start with captured locals.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use weft::ir::{self, Cell, Code, CodeId, Expr, Instr, LocalId, LocalInfo, LocalTy, Op, Pc};
use weft::ir::{Ordering, Program, StaticId};
use weft::{SourceFile, Span};
use weft_tests::{cases, generate, generate_sync, liveness_reference};

/// The codes of `program` after each reduction, as text (the IR has no `PartialEq`).
fn both(program: &Program) -> (String, String) {
    let mut new = program.clone();
    ir::zero_dead_locals(&mut new);
    let mut old = program.clone();
    liveness_reference::zero_dead_locals(&mut old);
    (format!("{:#?}", new.codes), format!("{:#?}", old.codes))
}

/// Where two listings first differ, with a few lines of context from each (empty when equal).
fn difference(new: &str, old: &str) -> String {
    let (n, o): (Vec<&str>, Vec<&str>) = (new.lines().collect(), old.lines().collect());
    let Some(at) = (0..n.len().max(o.len())).find(|&i| n.get(i) != o.get(i)) else {
        return String::new();
    };
    let window = |v: &[&str]| v[at.saturating_sub(8)..(at + 8).min(v.len())].join("\n");
    format!(
        "first difference at line {at}\n--- new:\n{}\n--- reference:\n{}",
        window(&n),
        window(&o)
    )
}

fn unreduced(name: &str, text: &str) -> Option<Program> {
    ir::compile_unreduced(SourceFile::new(name, text)).ok()
}

fn weft_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            weft_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "weft") {
            out.push(path);
        }
    }
}

#[test]
fn every_model_of_the_repository_is_reduced_as_before() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["models", "tests", "docs"] {
        weft_files(&root.join(dir), &mut files);
    }
    let mut compared = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a model is readable");
        let Some(program) = unreduced(&path.display().to_string(), &text) else {
            continue;
        };
        let (new, old) = both(&program);
        assert!(
            new == old,
            "{} is reduced differently: {}",
            path.display(),
            difference(&new, &old)
        );
        compared += 1;
    }
    assert!(compared >= 50, "only {compared} models compared");
}

proptest! {
    #![proptest_config(cases(300))]

    #[test]
    fn generated_models_are_reduced_as_before(spec in generate::model()) {
        let text = spec.source();
        let program = unreduced("generated.weft", &text).expect("generated models compile");
        let (new, old) = both(&program);
        prop_assert!(new == old, "{}\n{}", text, difference(&new, &old));
    }

    #[test]
    fn generated_sync_models_are_reduced_as_before(spec in generate_sync::model()) {
        let text = spec.source();
        let program = unreduced("generated.weft", &text).expect("generated models compile");
        let (new, old) = both(&program);
        prop_assert!(new == old, "{}\n{}", text, difference(&new, &old));
    }

    #[test]
    fn random_control_flow_is_reduced_as_before(
        parent in random_code(),
        child in random_code(),
        captures in proptest::collection::vec((0u32..LOCALS, 0u32..LOCALS), 0..4),
    ) {
        let mut program = unreduced("shell.weft", "static X: AtomicInt = 0;\nthread t { }\n")
            .expect("the shell compiles");
        let mut parent = parent;
        // The parent spawns the child, which then starts with its captured locals set.
        let spawn = Op::Spawn {
            code: CodeId(1),
            captures: captures.into_iter().map(|(p, c)| (LocalId(p), LocalId(c))).collect(),
            dst: None,
        };
        parent.instrs.insert(0, instr(spawn));
        for i in &mut parent.instrs {
            shift_targets(&mut i.op);
        }
        program.codes = vec![parent, child];
        let (new, old) = both(&program);
        prop_assert!(new == old, "{:#?}\n{}", program.codes, difference(&new, &old));
    }
}

/// Locals of a random code.
const LOCALS: u32 = 12;

fn instr(op: Op) -> Instr {
    Instr {
        op,
        span: Span::DUMMY,
    }
}

/// Move jump targets one instruction on (an instruction was inserted at the start).
fn shift_targets(op: &mut Op) {
    match op {
        Op::Jump { target } => target.0 += 1,
        Op::Branch {
            if_true, if_false, ..
        } => {
            if_true.0 += 1;
            if_false.0 += 1;
        }
        _ => {}
    }
}

fn local() -> impl Strategy<Value = LocalId> {
    (0..LOCALS).prop_map(LocalId)
}

fn expr() -> impl Strategy<Value = Expr> {
    prop_oneof![
        (0i64..3).prop_map(Expr::Const),
        local().prop_map(Expr::Local),
        (local(), local()).prop_map(|(a, b)| Expr::Binary(
            weft::lang::ast::BinOp::Add,
            Box::new(Expr::Local(a)),
            Box::new(Expr::Local(b))
        )),
    ]
}

fn cell() -> Cell {
    Cell {
        var: StaticId(0),
        index: None,
    }
}

/// One instruction; jump targets are fractions of the code's length, fixed up by [`random_code`].
fn op() -> impl Strategy<Value = (Op, Option<(u32, u32)>)> {
    prop_oneof![
        5 => (local(), expr()).prop_map(|(dst, value)| (Op::Set { dst, value }, None)),
        2 => (0u32..1000).prop_map(|t| (Op::Jump { target: Pc(0) }, Some((t, t)))),
        3 => (expr(), 0u32..1000, 0u32..1000).prop_map(|(cond, t, f)| (
            Op::Branch { cond, if_true: Pc(0), if_false: Pc(0) },
            Some((t, f))
        )),
        3 => local().prop_map(|dst| (
            Op::Load { dst, cell: cell(), order: Ordering::SeqCst },
            None
        )),
        3 => expr().prop_map(|value| (
            Op::Store { cell: cell(), value, order: Ordering::SeqCst },
            None
        )),
        1 => (proptest::option::of(local()), expr()).prop_map(|(dst, value)| (
            Op::Rmw { dst, cell: cell(), op: ir::RmwOp::Add, value, order: Ordering::SeqCst },
            None
        )),
        1 => expr().prop_map(|cond| (
            Op::Assert { cond, message: String::new(), operands: Vec::new() },
            None
        )),
        1 => Just((Op::Fail { message: String::new() }, None)),
        1 => Just((Op::Yield, None)),
        1 => Just((Op::End, None)),
    ]
}

/// A code of random instructions over [`LOCALS`] locals, ending with `End`.
fn random_code() -> impl Strategy<Value = Code> {
    proptest::collection::vec(op(), 0..40).prop_map(|ops| {
        let n = ops.len() as u32 + 1;
        let mut instrs: Vec<Instr> = ops
            .into_iter()
            .map(|(mut op, targets)| {
                if let Some((t, f)) = targets {
                    match &mut op {
                        Op::Jump { target } => *target = Pc(t % n),
                        Op::Branch {
                            if_true, if_false, ..
                        } => {
                            *if_true = Pc(t % n);
                            *if_false = Pc(f % n);
                        }
                        _ => {}
                    }
                }
                instr(op)
            })
            .collect();
        instrs.push(instr(Op::End));
        Code {
            name: "random".into(),
            locals: (0..LOCALS)
                .map(|i| LocalInfo {
                    name: format!("l{i}"),
                    ty: LocalTy::Int,
                    span: Span::DUMMY,
                })
                .collect(),
            instrs,
            span: Span::DUMMY,
        }
    })
}
