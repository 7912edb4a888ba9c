//! Checking a lowered program: its semantics ([`Machine`]) under the search, with the bounds its
//! header sets, and the report compared with the header's expectations.

use super::observe::Progress;
use super::run::check_system;
use crate::exec::{Machine, MachineOptions};
use crate::ir::{self, Program};
use crate::report::{Expectation, Options, Report};
use crate::source::{Diagnostic, SourceFile};

/// Compile `source` and check it; the diagnostics when it does not compile.
pub fn check_source(source: &SourceFile, options: &Options) -> Result<Report, Vec<Diagnostic>> {
    let program = ir::compile(source.clone())?;
    Ok(check_program(&program, options))
}

/// Check `program`. Limits left unset in `options` come from its `//@ max-states` / `//@ max-depth`
/// header; the report carries the comparison with its `//@ expect` / `//@ outcome` lines.
pub fn check_program_with(
    program: &Program,
    options: &Options,
    progress: Option<&mut dyn FnMut(&Progress)>,
) -> Report {
    let options = options.with_directives(&program.directives);
    let machine = Machine::with_options(
        program,
        MachineOptions {
            memory_model: options.memory_model.unwrap_or_default(),
            history_bound: options
                .history_bound
                .unwrap_or(crate::exec::DEFAULT_HISTORY_BOUND),
            spurious_wakeups: options.spurious_wakeups.unwrap_or(true),
            max_local_steps: options
                .max_local_steps
                .unwrap_or(crate::exec::DEFAULT_MAX_LOCAL_STEPS),
            ..MachineOptions::default()
        },
    );
    let mut report = check_system(&machine, &program.source, &options, progress);
    report.notes.splice(0..0, machine.notes());
    report.expectation = Expectation::evaluate(program, &report);
    report
}

/// [`check_program_with`] without a progress callback.
pub fn check_program(program: &Program, options: &Options) -> Report {
    check_program_with(program, options, None)
}
