//! The methods of each kind of static: their names (for help messages and suggestions), what
//! operation each one is, and its parameters.

use crate::ir::program::{RmwOp, ScalarTy, StaticKind};
use crate::ir::statics::kind_name;

/// A method of a static's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Method {
    Load,
    Store,
    Rmw(RmwOp),
    CompareExchange { weak: bool },
    Lock,
    TryLock,
    Unlock,
    Read,
    Write,
    Wait,
    Notify { all: bool },
    Send,
    Recv,
    TrySend,
    TryRecv,
    BarrierWait,
}

const ATOMIC_INT: [&str; 12] = [
    "load",
    "store",
    "swap",
    "compare_exchange",
    "compare_exchange_weak",
    "fetch_add",
    "fetch_sub",
    "fetch_and",
    "fetch_or",
    "fetch_xor",
    "fetch_max",
    "fetch_min",
];
const ATOMIC_BOOL: [&str; 8] = [
    "load",
    "store",
    "swap",
    "compare_exchange",
    "compare_exchange_weak",
    "fetch_and",
    "fetch_or",
    "fetch_xor",
];
pub(super) const ORDERINGS: [&str; 5] = ["Relaxed", "Release", "Acquire", "AcqRel", "SeqCst"];

/// The method names of a kind, in the order help messages list them.
pub(super) fn method_names(kind: StaticKind) -> &'static [&'static str] {
    match kind {
        StaticKind::Atomic(ScalarTy::Int) => &ATOMIC_INT,
        StaticKind::Atomic(ScalarTy::Bool) => &ATOMIC_BOOL,
        StaticKind::Plain(_) => &[],
        StaticKind::Mutex => &["lock", "try_lock", "unlock"],
        StaticKind::RwLock => &["read", "write"],
        StaticKind::Condvar => &["wait", "notify_one", "notify_all"],
        StaticKind::Channel { .. } => &["send", "recv", "try_send", "try_recv"],
        StaticKind::Barrier => &["wait"],
    }
}

fn english_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "atomics have load, store, ..." for a kind.
pub(super) fn methods_help(kind: StaticKind) -> String {
    let names = english_list(method_names(kind));
    match kind {
        StaticKind::Atomic(ScalarTy::Int) => format!("atomics have {names}"),
        StaticKind::Atomic(ScalarTy::Bool) => format!("an `AtomicBool` has {names}"),
        StaticKind::Plain(_) => "plain memory is read by name and written with `=`".into(),
        k => {
            let name = kind_name(k);
            let article = crate::ir::statics::article(&name);
            let name = name.split('<').next().unwrap_or_default().to_string();
            format!("{article} `{name}` has {names}")
        }
    }
}

pub(super) fn method_of(kind: StaticKind, name: &str) -> Option<Method> {
    if !method_names(kind).contains(&name) {
        return None;
    }
    Some(match (kind, name) {
        (StaticKind::Atomic(_), "load") => Method::Load,
        (StaticKind::Atomic(_), "store") => Method::Store,
        (StaticKind::Atomic(_), "swap") => Method::Rmw(RmwOp::Swap),
        (StaticKind::Atomic(_), "compare_exchange") => Method::CompareExchange { weak: false },
        (StaticKind::Atomic(_), "compare_exchange_weak") => Method::CompareExchange { weak: true },
        (StaticKind::Atomic(_), "fetch_add") => Method::Rmw(RmwOp::Add),
        (StaticKind::Atomic(_), "fetch_sub") => Method::Rmw(RmwOp::Sub),
        (StaticKind::Atomic(_), "fetch_and") => Method::Rmw(RmwOp::And),
        (StaticKind::Atomic(_), "fetch_or") => Method::Rmw(RmwOp::Or),
        (StaticKind::Atomic(_), "fetch_xor") => Method::Rmw(RmwOp::Xor),
        (StaticKind::Atomic(_), "fetch_max") => Method::Rmw(RmwOp::Max),
        (StaticKind::Atomic(_), _) => Method::Rmw(RmwOp::Min),
        (StaticKind::Mutex, "lock") => Method::Lock,
        (StaticKind::Mutex, "try_lock") => Method::TryLock,
        (StaticKind::Mutex, _) => Method::Unlock,
        (StaticKind::RwLock, "read") => Method::Read,
        (StaticKind::RwLock, _) => Method::Write,
        (StaticKind::Condvar, "wait") => Method::Wait,
        (StaticKind::Condvar, "notify_one") => Method::Notify { all: false },
        (StaticKind::Condvar, _) => Method::Notify { all: true },
        (StaticKind::Channel { .. }, "send") => Method::Send,
        (StaticKind::Channel { .. }, "recv") => Method::Recv,
        (StaticKind::Channel { .. }, "try_send") => Method::TrySend,
        (StaticKind::Channel { .. }, _) => Method::TryRecv,
        (StaticKind::Barrier, _) => Method::BarrierWait,
        (StaticKind::Plain(_), _) => return None,
    })
}

/// The parameters of a method, for arity errors: `(value, ordering)`.
pub(super) fn usage(m: Method) -> &'static [&'static str] {
    match m {
        Method::Load => &["ordering"],
        Method::Store | Method::Rmw(_) => &["value", "ordering"],
        Method::CompareExchange { .. } => &["current", "new", "success", "failure"],
        Method::Wait => &["guard"],
        Method::Send | Method::TrySend => &["value"],
        _ => &[],
    }
}
