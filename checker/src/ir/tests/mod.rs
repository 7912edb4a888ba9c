//! Unit tests of lowering, on model source text: IR shapes, errors with their helps, directives.

mod directives;
mod errors;
mod identity;
mod limits;
mod liveness;
mod robustness;
mod shapes;
mod statics;

use crate::ir::{compile, listing, Op, Program};
use crate::source::{Diagnostic, SourceFile};

/// Compile a model that must be valid, and check the IR invariants every program must satisfy.
/// The lowering is shown as written, before the dead variable reduction `compile` applies
/// (`liveness.rs` applies it itself).
pub(super) fn ok(src: &str) -> Program {
    let unreduced = |file: SourceFile| {
        let (model, diags) = crate::lang::parse(&file);
        if diags.is_empty() {
            crate::ir::driver::lower_model(&file, &model)
        } else {
            Err(diags)
        }
    };
    let p = match unreduced(SourceFile::new("test.weft", src)) {
        Ok(p) => p,
        Err(errs) => {
            let file = SourceFile::new("test.weft", src);
            let text: Vec<String> = errs.iter().map(|d| d.render(&file)).collect();
            panic!("expected the model to compile, got:\n{}", text.join("\n"));
        }
    };
    check_invariants(&p);
    p
}

/// Every code ends with `End`, every jump lands on an instruction, every local, code and static
/// named by an instruction exists.
pub(super) fn check_invariants(p: &Program) {
    for code in &p.codes {
        let n = code.instrs.len();
        assert!(
            matches!(code.instrs.last().map(|i| &i.op), Some(Op::End)),
            "`{}` must end with End",
            code.name
        );
        for instr in &code.instrs {
            match &instr.op {
                Op::Jump { target } => assert!(target.index() < n, "jump out of `{}`", code.name),
                Op::Branch {
                    if_true, if_false, ..
                } => {
                    assert!(
                        if_true.index() < n && if_false.index() < n,
                        "branch out of `{}`",
                        code.name
                    )
                }
                Op::Spawn {
                    code: c,
                    captures,
                    dst,
                } => {
                    assert!(c.index() < p.codes.len());
                    let child = &p.codes[c.index()];
                    for (parent, own) in captures {
                        assert!(
                            parent.index() < code.locals.len() && own.index() < child.locals.len()
                        );
                    }
                    assert!(dst.is_none_or(|d| d.index() < code.locals.len()));
                }
                Op::Set { dst, .. }
                | Op::Load { dst, .. }
                | Op::ReadPlain { dst, .. }
                | Op::Choose { dst, .. } => {
                    assert!(dst.index() < code.locals.len())
                }
                Op::DropGuard { guard, .. } | Op::CondWait { guard, .. } => {
                    assert!(guard.index() < code.locals.len())
                }
                _ => {}
            }
        }
    }
    for t in &p.threads {
        assert!(t.code.index() < p.codes.len());
    }
    assert_eq!(p.cell_init.len(), p.cell_plain.len());
}

/// Compile a model that must fail; its diagnostics.
pub(super) fn errors(src: &str) -> Vec<Diagnostic> {
    match compile(SourceFile::new("test.weft", src)) {
        Ok(_) => panic!("expected errors, the model compiled:\n{src}"),
        Err(errs) => errs,
    }
}

/// The diagnostic whose message contains `message` (the model must fail with it).
pub(super) fn error(src: &str, message: &str) -> Diagnostic {
    let errs = errors(src);
    match errs.iter().find(|d| d.message.contains(message)) {
        Some(d) => d.clone(),
        None => {
            let got: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
            panic!("no error containing `{message}`; got {got:#?}");
        }
    }
}

/// Assert that a diagnostic has a help line containing `text`.
pub(super) fn assert_help(d: &Diagnostic, text: &str) {
    assert!(
        d.help.iter().any(|h| h.contains(text)),
        "expected a help containing `{text}` in {d:#?}"
    );
}

/// The instructions of the code named `name`, as `listing` prints them, without their numbers.
pub(super) fn code(p: &Program, name: &str) -> Vec<String> {
    let text = listing(p);
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("code `") {
            inside = rest.strip_suffix('`') == Some(name);
        } else if inside {
            let body = line.trim_start();
            let body = body.split_once("  ").map_or(body, |(_, b)| b);
            out.push(body.to_string());
        }
    }
    assert!(!out.is_empty(), "no code named `{name}` in:\n{text}");
    out
}

/// The visible operations of a code, as `code` prints them (`step ...` lines only).
pub(super) fn steps(p: &Program, name: &str) -> Vec<String> {
    code(p, name)
        .into_iter()
        .filter_map(|l| l.strip_prefix("step ").map(str::to_string))
        .collect()
}
