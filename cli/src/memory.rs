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

/// The memory limit when `--memory-limit` is not given: half of the memory the process may use
/// (the machine's physical memory, or its control group's limit when that is lower, as in a
/// container or a CI job), so that a model whose state space explodes stops with a report instead
/// of taking the machine (and being killed, or aborting, with none). `None` where the machine's
/// memory cannot be read (only Linux's `/proc/meminfo` is read); there only an explicit limit
/// applies.
pub fn default_limit() -> Option<u64> {
    let machine = machine_memory()?;
    let usable = cgroup_limit().map_or(machine, |limit| limit.min(machine));
    Some(usable / 2)
}

/// Physical memory, from `/proc/meminfo`'s `MemTotal` line (in KiB).
fn machine_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// The lowest memory limit of the process's control group and its ancestors (cgroup v2's
/// `memory.max`, v1's `memory.limit_in_bytes`), if any is set.
fn cgroup_limit() -> Option<u64> {
    let membership = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    limit_files(&membership)
        .iter()
        .filter_map(|file| std::fs::read_to_string(file).ok())
        .filter_map(|text| parse_limit(&text))
        .min()
}

/// The limit files that apply to a process whose `/proc/self/cgroup` reads `membership`: its own
/// group's and every ancestor's, for the v2 hierarchy (`0::/path`) and v1's memory controller
/// (`N:memory:/path`, or a list of controllers naming `memory`).
fn limit_files(membership: &str) -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new("/sys/fs/cgroup");
    let mut files = Vec::new();
    for line in membership.lines() {
        let mut fields = line.splitn(3, ':');
        let (Some(id), Some(controllers), Some(path)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let (base, file) = if id == "0" && controllers.is_empty() {
            (root.to_path_buf(), "memory.max")
        } else if controllers.split(',').any(|c| c == "memory") {
            (root.join(controllers), "memory.limit_in_bytes")
        } else {
            continue;
        };
        let mut group = std::path::Path::new(path.trim_start_matches('/'));
        loop {
            files.push(base.join(group).join(file));
            match group.parent() {
                Some(parent) => group = parent,
                None => break,
            }
        }
    }
    files
}

/// A limit file's value: bytes, or none for v2's `max` and v1's "unlimited" (a value near
/// `i64::MAX`, rounded down to a page).
fn parse_limit(text: &str) -> Option<u64> {
    let bytes: u64 = text.trim().parse().ok()?;
    (bytes < 1 << 62).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn limit_files_cover_the_group_and_its_ancestors() {
        let v2 = limit_files("0::/ci/job-7\n");
        let expected: Vec<PathBuf> = [
            "/sys/fs/cgroup/ci/job-7/memory.max",
            "/sys/fs/cgroup/ci/memory.max",
            "/sys/fs/cgroup/memory.max",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(v2, expected);
        let v1 = limit_files("9:name=systemd:/\n4:memory:/process_api/e2ee\n3:cpuset:/\n0::/\n");
        assert_eq!(
            v1[..3],
            [
                PathBuf::from("/sys/fs/cgroup/memory/process_api/e2ee/memory.limit_in_bytes"),
                PathBuf::from("/sys/fs/cgroup/memory/process_api/memory.limit_in_bytes"),
                PathBuf::from("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
            ]
        );
        // The v2 line of a hybrid system counts too.
        assert_eq!(v1[3], PathBuf::from("/sys/fs/cgroup/memory.max"));
        assert!(limit_files("garbage\n").is_empty());
    }

    #[test]
    fn unlimited_values_are_no_limit() {
        assert_eq!(parse_limit("max\n"), None);
        assert_eq!(parse_limit("9223372036854771712\n"), None);
        assert_eq!(parse_limit("2147483648\n"), Some(2 << 30));
        assert_eq!(parse_limit(""), None);
    }
}
