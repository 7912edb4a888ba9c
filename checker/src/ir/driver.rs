//! The whole model: top-level names and their duplicates, statics, helper signatures and recursion,
//! threads (families expanded), `final`, directives, and the assembly of the [`Program`].

use std::collections::BTreeMap;

use crate::ir::consteval;
use crate::ir::directives::lower_directives;
use crate::ir::lower::{check_recursion, FrameKind, Lowerer};
use crate::ir::program::{Code, Directives, InitialThread, Instr, Op, Program};
use crate::ir::scope::{FnSig, Globals};
use crate::ir::statics::lower_statics;
use crate::ir::types::{scalar_type, Ty};
use crate::lang::ast;
use crate::source::{cap_errors, Diagnostic, Severity, SourceFile, Span};

/// Largest thread family accepted.
pub(crate) const MAX_FAMILY: i64 = 256;

pub(crate) fn lower_model(
    file: &SourceFile,
    model: &ast::Model,
) -> Result<Program, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let items = Items::collect(model, &mut diags);
    let tables = lower_statics(&items.statics, &mut diags);
    let sigs: Vec<FnSig> = items.fns.iter().map(|f| signature(f, &mut diags)).collect();
    let mut globals = Globals::new(tables.statics.clone(), tables.broken.clone(), sigs);
    let (recursive, rec_diags) = check_recursion(&globals.fns, |n| globals.fn_index(n));
    globals.recursive = recursive;
    diags.extend(rec_diags);

    let mut lw = Lowerer::new(file, &globals);
    let mut threads = Vec::new();
    for t in &items.threads {
        let count = match &t.count {
            None => None,
            Some(e) => match consteval::eval_size(e, "thread count", 1, MAX_FAMILY) {
                Ok(n) => Some(n),
                Err(d) => {
                    diags.push(d);
                    Some(1)
                }
            },
        };
        let kind = FrameKind::Thread {
            family: count.is_some(),
        };
        let code = lw.lower_code(t.name.name.clone(), kind, t.span, &t.body);
        match count {
            None => threads.push(InitialThread {
                code,
                tid: 0,
                name: t.name.name.clone(),
            }),
            Some(n) => threads.extend((0..n).map(|i| InitialThread {
                code,
                tid: i64::from(i),
                name: format!("{}[{i}]", t.name.name),
            })),
        }
    }
    let final_code = items
        .finals
        .first()
        .map(|f| lw.lower_code("final".into(), FrameKind::Final, f.span, &f.body));
    for i in 0..globals.fns.len() {
        lw.check_fn(i);
    }
    let directives: Directives = lower_directives(file, &model.directives, &mut lw);
    let (codes, lower_diags) = lw.finish();
    diags.extend(lower_diags);
    if items.threads.is_empty() {
        diags.push(
            Diagnostic::error(Span::DUMMY, "the model has no threads")
                .with_help("add one: `thread main { .. }`; every model runs at least one thread"),
        );
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        // At most as many as the parser reports syntax errors, then one saying how many more.
        return Err(cap_errors(sorted(diags), crate::lang::MAX_ERRORS));
    }
    let codes = codes
        .into_iter()
        .map(|c| {
            // Every reserved slot is filled once its body is lowered; an empty code keeps the ids
            // valid should that ever not hold.
            c.unwrap_or_else(|| Code {
                name: String::new(),
                locals: Vec::new(),
                instrs: vec![Instr {
                    op: Op::End,
                    span: Span::DUMMY,
                }],
                span: Span::DUMMY,
            })
        })
        .collect();
    Ok(Program {
        source: file.clone(),
        doc: model.doc.clone(),
        statics: tables.statics,
        cell_init: tables.cell_init,
        cell_plain: tables.cell_plain,
        mutex_count: tables.mutex_count,
        rwlock_count: tables.rwlock_count,
        condvar_count: tables.condvar_count,
        channel_capacity: tables.channel_capacity,
        barrier_parties: tables.barrier_parties,
        codes,
        threads,
        final_code,
        directives,
    })
}

/// Diagnostics in source order, each reported once (a helper's body is lowered at every call).
pub(crate) fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_key(|d| (d.span.lo, d.span.hi));
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    // Duplicates share a span, so after the sort they sit in the run of diagnostics at that span:
    // only that run is searched (searching all of `out` made 10,000 errors take 10^8 comparisons).
    let mut run_start = 0;
    for d in diags {
        if out.last().is_some_and(|o| o.span != d.span) {
            run_start = out.len();
        }
        if !out[run_start..].iter().any(|o| o.message == d.message) {
            out.push(d);
        }
    }
    out
}

/// The top-level items by kind, duplicates reported and left out.
struct Items<'a> {
    statics: Vec<&'a ast::StaticDecl>,
    threads: Vec<&'a ast::ThreadDecl>,
    fns: Vec<&'a ast::FnDecl>,
    finals: Vec<&'a ast::FinalBlock>,
}

impl<'a> Items<'a> {
    fn collect(model: &'a ast::Model, diags: &mut Vec<Diagnostic>) -> Items<'a> {
        let mut items = Items {
            statics: Vec::new(),
            threads: Vec::new(),
            fns: Vec::new(),
            finals: Vec::new(),
        };
        // Statics and functions share one namespace (as Rust's values do); threads have their own.
        let mut values: BTreeMap<&str, Span> = BTreeMap::new();
        let mut thread_names: BTreeMap<&str, Span> = BTreeMap::new();
        for item in &model.items {
            match item {
                ast::Item::Static(s) => {
                    if !duplicate(&mut values, &s.name, "name", diags) {
                        items.statics.push(s);
                    }
                }
                ast::Item::Fn(f) => {
                    if crate::ir::lower::BUILTINS.contains(&f.name.name.as_str()) {
                        diags.push(
                            Diagnostic::error(
                                f.name.span,
                                format!("`{}` is a builtin function", f.name.name),
                            )
                            .with_help("choose another name for the helper"),
                        );
                    } else if !duplicate(&mut values, &f.name, "name", diags) {
                        items.fns.push(f);
                    }
                }
                ast::Item::Thread(t) => {
                    if !duplicate(&mut thread_names, &t.name, "thread", diags) {
                        items.threads.push(t);
                    }
                }
                ast::Item::Final(f) => {
                    if let Some(first) = items.finals.first() {
                        diags.push(
                            Diagnostic::error(f.span, "only one `final` block is allowed")
                                .with_note(first.span, "the first `final` block is here")
                                .with_help("merge the checks into one `final` block"),
                        );
                    } else {
                        items.finals.push(f);
                    }
                }
            }
        }
        items
    }
}

/// Record a top-level name; report it and return true when it was already defined.
fn duplicate<'a>(
    names: &mut BTreeMap<&'a str, Span>,
    id: &'a ast::Ident,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if let Some(first) = names.get(id.name.as_str()) {
        diags.push(
            Diagnostic::error(
                id.span,
                format!("the {what} `{}` is defined multiple times", id.name),
            )
            .with_label(format!("`{}` redefined here", id.name))
            .with_note(*first, format!("previous definition of `{}` here", id.name)),
        );
        true
    } else {
        names.insert(&id.name, id.span);
        false
    }
}

/// A helper's parameter and return types (`int` or `bool`), with duplicate parameters reported.
fn signature<'a>(f: &'a ast::FnDecl, diags: &mut Vec<Diagnostic>) -> FnSig<'a> {
    let mut params = Vec::new();
    let mut seen: Vec<&ast::Ident> = Vec::new();
    for p in &f.params {
        if let Some(first) = seen.iter().find(|s| s.name == p.name.name) {
            diags.push(
                Diagnostic::error(
                    p.name.span,
                    format!(
                        "identifier `{}` is bound more than once in this parameter list",
                        p.name.name
                    ),
                )
                .with_label("used as parameter more than once")
                .with_note(first.span, "first use here"),
            );
        }
        seen.push(&p.name);
        params.push(scalar_or_report(&p.ty, "parameters", diags));
    }
    let ret = match &f.ret {
        None => Ty::Unit,
        Some(t) => scalar_or_report(t, "return values", diags),
    };
    FnSig {
        decl: f,
        params,
        ret,
    }
}

fn scalar_or_report(ty: &ast::TypeExpr, what: &str, diags: &mut Vec<Diagnostic>) -> Ty {
    match scalar_type(ty) {
        Some(s) => Ty::scalar(s),
        None => {
            diags.push(
                Diagnostic::error(
                    ty.span(),
                    format!("helper function {what} must be `int` or `bool`"),
                )
                .with_help("shared objects are statics: name them directly inside the function"),
            );
            Ty::Error
        }
    }
}
