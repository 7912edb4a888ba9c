//! The model hash: which model a trace or a report belongs to.
//!
//! A trace is a list of choices, so it replays on any model whose lowered program is the same.
//! The hash therefore covers what lowering produces and behaviour depends on (statics and their
//! initial values, every code body's locals and instructions, the initial threads, the `final`
//! block), and leaves out source positions, the `//!` description and the `//@` header (its
//! search settings are the options hash's business, its expectations change no behaviour). So a
//! saved trace survives comments, blank lines, reformatting and a changed expectation, and is
//! refused after any edit that could change what it replays.
//!
//! The hash is part of the trace format: each item is written as one line of text (operations
//! in their `Debug` form, which holds no spans), and each line is fed to the fixed-seed
//! [`StableHasher`] as one write, so the value does not depend on how formatting splits its output.
//! A unit test pins a value; a change to it invalidates every saved trace and needs a reason.

use std::fmt::Write as _;
use std::hash::Hasher as _;

use super::Program;
use crate::explore::StableHasher;

/// The model hash of `program`, as 32 hex digits (the `model_hash` of traces and reports).
pub fn model_hash(program: &Program) -> String {
    let mut lines = Lines::default();
    lines.put(format_args!("weft-program 1"));
    for s in &program.statics {
        lines.put(format_args!(
            "static {} {:?} {:?} {}",
            s.name, s.kind, s.len, s.base
        ));
    }
    lines.put(format_args!("cells {:?}", program.cell_init));
    lines.put(format_args!("plain {:?}", program.cell_plain));
    lines.put(format_args!(
        "objects {} {} {} {:?} {:?}",
        program.mutex_count,
        program.rwlock_count,
        program.condvar_count,
        program.channel_capacity,
        program.barrier_parties
    ));
    for code in &program.codes {
        lines.put(format_args!(
            "code {} {} {}",
            code.name,
            code.locals.len(),
            code.instrs.len()
        ));
        for local in &code.locals {
            lines.put(format_args!("local {} {:?}", local.name, local.ty));
        }
        for instr in &code.instrs {
            lines.put(format_args!("{:?}", instr.op));
        }
    }
    for t in &program.threads {
        lines.put(format_args!("thread {} {} {}", t.name, t.code.0, t.tid));
    }
    lines.put(format_args!("final {:?}", program.final_code.map(|c| c.0)));
    lines.finish()
}

/// Feeds one line at a time to the hasher, reusing one buffer.
#[derive(Default)]
struct Lines {
    hasher: StableHasher,
    buffer: String,
    bytes: u64,
}

impl Lines {
    fn put(&mut self, line: std::fmt::Arguments<'_>) {
        self.buffer.clear();
        // Writing into a `String` cannot fail.
        let _ = self.buffer.write_fmt(line);
        self.buffer.push('\n');
        self.hasher.write(self.buffer.as_bytes());
        self.bytes += self.buffer.len() as u64;
    }

    fn finish(mut self) -> String {
        self.hasher.write_u64(self.bytes);
        self.hasher.finish128().to_hex()
    }
}
