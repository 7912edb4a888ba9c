//! The work budget of the analyses that run on the graph after the search (livelock detection,
//! labelling the graph).
//!
//! The search checks the time limit, the memory limit and the cancellation token between
//! expansions; an analysis of a graph with millions of edges takes long enough, and labelling the
//! graph allocates enough, that they must check them too, or `--time-limit`, `--memory-limit` and
//! Ctrl-C would be ignored once the search is over. An analysis charges its work in units (about a
//! node or an edge looked at) and every [`CHECK_EVERY`] units looks at the clock, the token and
//! (with a probe of what is allocated, `Options::memory_probe`) the memory in use; when one says
//! stop, it gives up with the [`Limit`] to report.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::report::{Limit, Options};

/// Units of work between two looks at the clock and the cancellation token: a few thousand units are
/// well under a millisecond, and reading the clock more often would cost more than the work.
pub const CHECK_EVERY: u64 = 4096;

/// What an analysis may still spend: the deadline of the check's time limit, its memory limit and
/// its cancellation token.
#[derive(Debug)]
pub struct Budget<'a> {
    cancel: Option<&'a AtomicBool>,
    /// The memory limit and the probe that measures what is allocated.
    memory: Option<(u64, fn() -> u64)>,
    /// When the time limit runs out, and that limit (which the report names).
    deadline: Option<(Instant, Duration)>,
    /// Units left before the next look.
    left: u64,
}

impl Budget<'static> {
    /// No limit: the analysis always runs to its end.
    pub fn unlimited() -> Budget<'static> {
        Budget {
            cancel: None,
            memory: None,
            deadline: None,
            left: u64::MAX,
        }
    }
}

impl<'a> Budget<'a> {
    /// The budget left of `options`' time limit for a check that started at `started` (the limit is
    /// for the whole check, search included), and its cancellation token.
    pub fn new(options: &'a Options, started: Instant) -> Budget<'a> {
        Budget {
            cancel: options.cancel.as_deref(),
            memory: options.effective_memory_limit().zip(options.memory_probe),
            // A limit too large to add to an instant never runs out.
            deadline: options
                .time_limit
                .and_then(|limit| started.checked_add(limit).map(|at| (at, limit))),
            // Look at once: the search may already have used up the time.
            left: 0,
        }
    }

    /// The budget of work whose result must still be written out (the labelled state graph): a
    /// quarter of what is left of `options`' time limit for a check that started at `started`,
    /// leaving the rest for the writing. Writing a labelled graph costs up to about 2.5 times
    /// the labelling (JSON; DOT about 1.2 times), measured on the 4x4 ticket lock's 575,532
    /// edges, so the whole stays within the limit.
    pub fn leaving_for_output(options: &'a Options, started: Instant) -> Budget<'a> {
        let mut budget = Budget::new(options, started);
        if let Some((at, limit)) = budget.deadline {
            let now = Instant::now();
            let share = at.saturating_duration_since(now) / 4;
            budget.deadline = Some((now + share, limit));
        }
        budget
    }

    /// Charge `units` of work about to be done; every [`CHECK_EVERY`] units, the limit that says
    /// stop, if any.
    #[inline]
    pub fn spend(&mut self, units: usize) -> Result<(), Limit> {
        match self.left.checked_sub(units as u64) {
            Some(left) if left > 0 => {
                self.left = left;
                Ok(())
            }
            _ => self.look(),
        }
    }

    #[cold]
    fn look(&mut self) -> Result<(), Limit> {
        self.left = CHECK_EVERY;
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(Limit::Cancelled);
        }
        if let Some((limit, probe)) = self.memory {
            if probe() > limit {
                return Err(Limit::Memory(limit));
            }
        }
        match self.deadline {
            Some((at, limit)) if Instant::now() >= at => Err(Limit::Time(limit)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_budget_stops_on_cancellation_and_on_a_past_deadline() {
        let mut unlimited = Budget::unlimited();
        for _ in 0..3 * CHECK_EVERY {
            assert_eq!(unlimited.spend(1), Ok(()));
        }

        let token = Arc::new(AtomicBool::new(false));
        let options = Options {
            cancel: Some(token.clone()),
            ..Options::default()
        };
        let mut budget = Budget::new(&options, Instant::now());
        assert_eq!(budget.spend(1), Ok(()));
        token.store(true, Ordering::Relaxed);
        // Noticed within the next CHECK_EVERY units, not necessarily at once.
        let stopped = (0..=CHECK_EVERY).find_map(|_| budget.spend(1).err());
        assert_eq!(stopped, Some(Limit::Cancelled));

        // A deadline already past is noticed by the first charge.
        let options = Options {
            time_limit: Some(Duration::ZERO),
            ..Options::default()
        };
        let mut budget = Budget::new(&options, Instant::now());
        assert_eq!(budget.spend(1), Err(Limit::Time(Duration::ZERO)));
        // A limit that cannot be reached never stops anything.
        let options = Options {
            time_limit: Some(Duration::MAX),
            ..Options::default()
        };
        let mut budget = Budget::new(&options, Instant::now());
        assert_eq!(budget.spend(usize::MAX), Ok(()));
    }

    #[test]
    fn a_budget_stops_past_the_memory_limit() {
        fn allocated() -> u64 {
            1 << 30
        }
        let over = Options {
            memory_limit: Some(1 << 29),
            memory_probe: Some(allocated),
            ..Options::default()
        };
        let mut budget = Budget::new(&over, Instant::now());
        assert_eq!(budget.spend(1), Err(Limit::Memory(1 << 29)));
        // The default limit counts as well; without a probe there is nothing to measure.
        let default = Options {
            default_memory_limit: Some(1 << 29),
            memory_probe: Some(allocated),
            ..Options::default()
        };
        let mut budget = Budget::new(&default, Instant::now());
        assert_eq!(budget.spend(1), Err(Limit::Memory(1 << 29)));
        let under = Options {
            memory_limit: Some(1 << 31),
            memory_probe: Some(allocated),
            ..Options::default()
        };
        assert_eq!(Budget::new(&under, Instant::now()).spend(1), Ok(()));
        let unmeasured = Options {
            memory_limit: Some(1),
            ..Options::default()
        };
        assert_eq!(Budget::new(&unmeasured, Instant::now()).spend(1), Ok(()));
    }
}
