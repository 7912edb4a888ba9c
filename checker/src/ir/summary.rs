//! A readable, stable summary of a lowered program for `weft parse`: statics, threads, and the
//! visible operations of each code body with their source lines.

use std::fmt::Write;

use crate::ir::program::{
    Cell, Code, CodeId, Expr, GuardKind, Obj, Op, Program, RmwOp, ScalarTy, StaticId, StaticKind,
};
use crate::ir::types::scalar_name;
use crate::lang::ast::UnOp;

/// The summary text: one section per part of the model, one line per item.
pub fn summary(program: &Program) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "model {}", program.source.name);
    for line in &program.doc {
        let _ = writeln!(out, "  //! {line}");
    }
    let _ = writeln!(out, "statics: {}", program.statics.len());
    for (i, s) in program.statics.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}: {}{}",
            s.name,
            static_type(program, i),
            static_init(program, i)
        );
    }
    let _ = writeln!(out, "threads: {}", program.threads.len());
    for (ci, code) in program.codes.iter().enumerate() {
        let names: Vec<&str> = program
            .threads
            .iter()
            .filter(|t| t.code.index() == ci)
            .map(|t| t.name.as_str())
            .collect();
        if !names.is_empty() {
            let _ = writeln!(out, "  {} (code `{}`)", names.join(", "), code.name);
        }
    }
    for (ci, code) in program.codes.iter().enumerate() {
        let id = CodeId(ci as u32);
        let role = if program.final_code == Some(id) {
            "final block"
        } else if program.threads.iter().any(|t| t.code == id) {
            "thread"
        } else {
            "spawned thread"
        };
        let n = program.visible_ops(id);
        let plural = if n == 1 { "" } else { "s" };
        let _ = writeln!(
            out,
            "code `{}` ({role}): {n} visible operation{plural}",
            code.name
        );
        for instr in code.instrs.iter().filter(|i| i.op.is_step()) {
            let (line, col) = program.source.line_col(instr.span.lo);
            let _ = writeln!(
                out,
                "  {line}:{col}  {}",
                describe(program, code, &instr.op)
            );
        }
    }
    let d = &program.directives;
    // `safe`, or the kinds, as the header writes them.
    let kinds_text = |kinds: &[crate::report::ViolationKind]| {
        if kinds.is_empty() {
            "safe".to_string()
        } else {
            let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            names.join(", ")
        }
    };
    if let Some(expect) = &d.expect {
        let _ = writeln!(out, "expect: {}", kinds_text(expect));
    }
    for (m, kinds) in &d.expect_for {
        let _ = writeln!(out, "expect[{m}]: {}", kinds_text(kinds));
    }
    if let Some(observe) = &d.observe {
        let names: Vec<&str> = observe.iter().map(|id| static_name(program, *id)).collect();
        let _ = writeln!(out, "observe: {}", names.join(", "));
    }
    for o in &d.outcomes {
        let which = if o.allowed { "allowed" } else { "forbidden" };
        let model = o.model.map(|m| format!("[{m}]")).unwrap_or_default();
        let _ = writeln!(out, "outcome{model} {which}: {}", o.text);
    }
    if let Some(m) = &d.memory_model {
        let _ = writeln!(out, "memory-model: {m}");
    }
    if let Some(on) = d.spurious_wakeups {
        let _ = writeln!(out, "spurious-wakeups: {}", if on { "on" } else { "off" });
    }
    let bounds = [
        ("max-preemptions", d.max_preemptions.map(u64::from)),
        ("max-states", d.max_states),
        ("max-depth", d.max_depth.map(u64::from)),
    ];
    for (key, value) in bounds {
        if let Some(v) = value {
            let _ = writeln!(out, "{key}: {v}");
        }
    }
    out
}

/// Every instruction of every code, numbered by `Pc`, for debugging and tests: locals by name,
/// jumps by target.
pub fn listing(program: &Program) -> String {
    let mut out = String::new();
    for code in &program.codes {
        let _ = writeln!(out, "code `{}`", code.name);
        for (pc, instr) in code.instrs.iter().enumerate() {
            let text = match &instr.op {
                Op::Set { dst, value } => {
                    format!("{} = {}", local(code, *dst), expr(program, code, value))
                }
                Op::Jump { target } => format!("jump {}", target.0),
                Op::Branch {
                    cond,
                    if_true,
                    if_false,
                } => format!(
                    "if {} then {} else {}",
                    expr(program, code, cond),
                    if_true.0,
                    if_false.0
                ),
                Op::Assert { cond, message, .. } => {
                    format!("assert {} \"{message}\"", expr(program, code, cond))
                }
                Op::Assume { cond } => format!("assume {}", expr(program, code, cond)),
                Op::Fail { message } => format!("fail \"{message}\""),
                op => {
                    let dst = destinations(op)
                        .into_iter()
                        .map(|l| local(code, l))
                        .collect::<Vec<_>>();
                    let text = describe(program, code, op);
                    if dst.is_empty() {
                        format!("step {text}")
                    } else {
                        format!("step {} <- {text}", dst.join(", "))
                    }
                }
            };
            let _ = writeln!(out, "  {pc:>3}  {text}");
        }
    }
    out
}

/// The locals a visible operation writes.
fn destinations(op: &Op) -> Vec<crate::ir::program::LocalId> {
    match op {
        Op::Load { dst, .. } | Op::ReadPlain { dst, .. } | Op::Choose { dst, .. } => vec![*dst],
        Op::Rmw { dst, .. }
        | Op::TryLock { dst, .. }
        | Op::Recv { dst, .. }
        | Op::TrySend { dst, .. }
        | Op::Spawn { dst, .. } => dst.iter().copied().collect(),
        Op::Lock { guard, .. } | Op::RwLock { guard, .. } => guard.iter().copied().collect(),
        Op::CompareExchange {
            dst_ok, dst_value, ..
        } => dst_ok.iter().chain(dst_value).copied().collect(),
        Op::TryRecv {
            dst_some,
            dst_value,
            ..
        } => dst_some.iter().chain(dst_value).copied().collect(),
        _ => Vec::new(),
    }
}

fn static_type(p: &Program, i: usize) -> String {
    let s = &p.statics[i];
    let elem = match s.kind {
        StaticKind::Atomic(ScalarTy::Int) => "AtomicInt".to_string(),
        StaticKind::Atomic(ScalarTy::Bool) => "AtomicBool".to_string(),
        StaticKind::Plain(t) => scalar_name(t).to_string(),
        StaticKind::Mutex => "Mutex".into(),
        StaticKind::RwLock => "RwLock".into(),
        StaticKind::Condvar => "Condvar".into(),
        StaticKind::Channel { elem } => {
            let cap = p
                .channel_capacity
                .get(s.base as usize)
                .copied()
                .unwrap_or(0);
            format!("Channel<{}, {cap}>", scalar_name(elem))
        }
        StaticKind::Barrier => "Barrier".into(),
    };
    let ty = match s.len {
        Some(n) => format!("[{elem}; {n}]"),
        None => elem,
    };
    match s.kind {
        StaticKind::Plain(_) => format!("{ty} (static mut)"),
        _ => ty,
    }
}

fn static_init(p: &Program, i: usize) -> String {
    let s = &p.statics[i];
    let range = s.base as usize..(s.base + s.elements()) as usize;
    let values: Vec<String> = match s.kind {
        StaticKind::Atomic(t) | StaticKind::Plain(t) => p
            .cell_init
            .get(range)
            .unwrap_or_default()
            .iter()
            .map(|v| match t {
                ScalarTy::Bool => (*v != 0).to_string(),
                ScalarTy::Int => v.to_string(),
            })
            .collect(),
        StaticKind::Barrier => p
            .barrier_parties
            .get(range)
            .unwrap_or_default()
            .iter()
            .map(u32::to_string)
            .collect(),
        _ => return String::new(),
    };
    match s.len {
        Some(_) => format!(" = [{}]", values.join(", ")),
        None => format!(" = {}", values.join(", ")),
    }
}

fn static_name(p: &Program, id: StaticId) -> &str {
    p.statics.get(id.index()).map_or("?", |s| s.name.as_str())
}

fn cell(p: &Program, c: &Code, cell: &Cell) -> String {
    place(p, c, cell.var, cell.index.as_ref())
}

fn obj(p: &Program, c: &Code, o: &Obj) -> String {
    place(p, c, o.var, o.index.as_ref())
}

fn place(p: &Program, c: &Code, var: StaticId, index: Option<&Expr>) -> String {
    match index {
        Some(i) => format!("{}[{}]", static_name(p, var), expr(p, c, i)),
        None => static_name(p, var).to_string(),
    }
}

fn local(c: &Code, l: crate::ir::program::LocalId) -> &str {
    c.locals.get(l.index()).map_or("?", |i| i.name.as_str())
}

/// An expression in source-like syntax (fully parenthesised binary operations).
pub(crate) fn expr(p: &Program, c: &Code, e: &Expr) -> String {
    match e {
        Expr::Const(v) => v.to_string(),
        Expr::Local(l) => local(c, *l).to_string(),
        Expr::Tid => "tid".into(),
        Expr::Static(cl) => cell(p, c, cl),
        Expr::Unary(op, a) => {
            let sym = if *op == UnOp::Neg { "-" } else { "!" };
            format!("{sym}{}", expr(p, c, a))
        }
        Expr::Binary(op, a, b) => format!("({} {} {})", expr(p, c, a), op.as_str(), expr(p, c, b)),
    }
}

/// A value written to a cell: constants stored into `bool` statics read as `true`/`false`.
fn stored(p: &Program, c: &Code, cl: &Cell, value: &Expr) -> String {
    let is_bool = p.statics.get(cl.var.index()).is_some_and(|s| {
        matches!(
            s.kind,
            StaticKind::Atomic(ScalarTy::Bool) | StaticKind::Plain(ScalarTy::Bool)
        )
    });
    match value {
        Expr::Const(v) if is_bool => (*v != 0).to_string(),
        other => expr(p, c, other),
    }
}

/// One visible operation, as it would be written.
fn describe(p: &Program, c: &Code, op: &Op) -> String {
    let e = |x: &Expr| expr(p, c, x);
    match op {
        Op::Load {
            cell: cl, order, ..
        } => format!("{}.load({})", cell(p, c, cl), order.as_str()),
        Op::Store {
            cell: cl,
            value,
            order,
        } => {
            format!(
                "{}.store({}, {})",
                cell(p, c, cl),
                stored(p, c, cl, value),
                order.as_str()
            )
        }
        Op::Rmw {
            cell: cl,
            op,
            value,
            order,
            ..
        } => {
            let name = match op {
                RmwOp::Swap => "swap",
                RmwOp::Add => "fetch_add",
                RmwOp::Sub => "fetch_sub",
                RmwOp::And => "fetch_and",
                RmwOp::Or => "fetch_or",
                RmwOp::Xor => "fetch_xor",
                RmwOp::Max => "fetch_max",
                RmwOp::Min => "fetch_min",
            };
            format!(
                "{}.{name}({}, {})",
                cell(p, c, cl),
                stored(p, c, cl, value),
                order.as_str()
            )
        }
        Op::CompareExchange {
            cell: cl,
            current,
            new,
            success,
            failure,
            weak,
            ..
        } => format!(
            "{}.compare_exchange{}({}, {}, {}, {})",
            cell(p, c, cl),
            if *weak { "_weak" } else { "" },
            stored(p, c, cl, current),
            stored(p, c, cl, new),
            success.as_str(),
            failure.as_str()
        ),
        Op::Fence { order } => format!("fence({})", order.as_str()),
        Op::ReadPlain { cell: cl, .. } => format!("read {}", cell(p, c, cl)),
        Op::WritePlain { cell: cl, value } => {
            format!("write {} = {}", cell(p, c, cl), stored(p, c, cl, value))
        }
        Op::Lock { mutex, .. } => format!("{}.lock()", obj(p, c, mutex)),
        Op::TryLock { mutex, .. } => format!("{}.try_lock()", obj(p, c, mutex)),
        Op::Unlock { mutex } => format!("{}.unlock()", obj(p, c, mutex)),
        Op::RwLock { rw, write, .. } => {
            format!(
                "{}.{}()",
                obj(p, c, rw),
                if *write { "write" } else { "read" }
            )
        }
        Op::DropGuard { guard, kind } => {
            let what = match kind {
                GuardKind::Mutex => "",
                GuardKind::Read => " (read guard)",
                GuardKind::Write => " (write guard)",
            };
            format!("drop({}){what}", local(c, *guard))
        }
        Op::CondWait { cv, guard } => format!("{}.wait({})", obj(p, c, cv), local(c, *guard)),
        Op::Notify { cv, all } => {
            format!(
                "{}.notify_{}()",
                obj(p, c, cv),
                if *all { "all" } else { "one" }
            )
        }
        Op::Send { ch, value } => format!("{}.send({})", obj(p, c, ch), e(value)),
        Op::Recv { ch, .. } => format!("{}.recv()", obj(p, c, ch)),
        Op::TrySend { ch, value, .. } => format!("{}.try_send({})", obj(p, c, ch), e(value)),
        Op::TryRecv { ch, .. } => format!("{}.try_recv()", obj(p, c, ch)),
        Op::BarrierWait { barrier } => format!("{}.wait()", obj(p, c, barrier)),
        Op::Spawn { code, .. } => format!(
            "spawn `{}`",
            p.codes.get(code.index()).map_or("?", |c| c.name.as_str())
        ),
        Op::Join { handle } => format!("join({})", e(handle)),
        Op::Choose {
            lo, hi, inclusive, ..
        } => {
            let dots = if *inclusive { "..=" } else { ".." };
            format!("choose({}{dots}{})", e(lo), e(hi))
        }
        Op::Yield => "yield".into(),
        Op::End => "end".into(),
        Op::Set { .. }
        | Op::Jump { .. }
        | Op::Branch { .. }
        | Op::Assert { .. }
        | Op::Assume { .. }
        | Op::Fail { .. } => "local code".into(),
    }
}
