//! Unit tests of the Rust front end: translation (what a snippet becomes and how it checks), the
//! widths of integers, and a located diagnostic for each construct outside the subset.

mod diagnostics;
mod translation;
mod widths;

use crate::report::{Options, Report, ViolationKind};
use crate::source::{Diagnostic, SourceFile};
use crate::Program;

/// Compile a Rust snippet (it must be in the subset).
pub(super) fn compile(text: &str) -> Program {
    crate::ir::compile(SourceFile::new("m.rs", text))
        .unwrap_or_else(|d| panic!("the snippet does not compile: {d:#?}\n{text}"))
}

/// Compile and check a Rust snippet with default options.
pub(super) fn check(text: &str) -> Report {
    crate::check_program(&compile(text), &Options::default())
}

pub(super) fn kinds(report: &Report) -> Vec<ViolationKind> {
    report.kinds().into_iter().collect()
}

/// The errors of a snippet outside the subset.
pub(super) fn errors(text: &str) -> Vec<Diagnostic> {
    match crate::ir::compile(SourceFile::new("m.rs", text)) {
        Ok(_) => panic!("the snippet compiled:\n{text}"),
        Err(d) => d,
    }
}

/// The first error's message and the text its span covers.
pub(super) fn first_error(text: &str) -> (String, String) {
    let d = errors(text).remove(0);
    let covered = text[d.span.lo as usize..d.span.hi as usize].to_string();
    (d.message, covered)
}

/// The `main` of a snippet with the usual imports.
pub(super) fn program(statics: &str, main: &str) -> String {
    format!(
        "use std::sync::atomic::{{AtomicBool, AtomicI32, AtomicU8, AtomicUsize, Ordering}};\n\
         use std::sync::{{Condvar, Mutex, RwLock}};\nuse std::thread;\n\n{statics}\n\nfn main() {{\n{main}\n}}\n"
    )
}
