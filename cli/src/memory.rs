//! What the process has allocated, measured by a counting allocator, and the default memory limit.
//!
//! The search checks `--memory-limit` against what is really allocated (not an estimate of its
//! tables), before every expansion: the estimate missed everything outside the visited set, graph
//! and frontier, and a model with large states overshot a 256 MiB limit tenfold. The count is
//! [`cap`]'s: a thin wrapper around the system allocator that keeps one atomic total.

use std::alloc::System;

use cap::Cap;

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// Bytes the process has allocated and not yet freed.
pub fn allocated() -> u64 {
    ALLOCATOR.allocated() as u64
}

/// The memory limit when `--memory-limit` is not given: half of the machine's physical memory, so
/// that a model whose state space explodes stops with a report instead of taking the machine (and
/// being killed, or aborting, with none). `None` where the machine's memory cannot be read (only
/// Linux's `/proc/meminfo` is read); there only an explicit limit applies.
pub fn default_limit() -> Option<u64> {
    machine_memory().map(|bytes| bytes / 2)
}

/// Physical memory, from `/proc/meminfo`'s `MemTotal` line (in KiB).
fn machine_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}
