//! Observers of a running search: the progress callback and its throttle, the budget checks (time,
//! memory, cancellation), and the running estimate of a state's size.

use std::time::{Duration, Instant};

use crate::report::{Limit, Options};

/// A snapshot of a running search, handed to the progress callback.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub states: u64,
    pub transitions: u64,
    /// Depth of the state being expanded.
    pub depth: u32,
    /// States discovered but not yet expanded.
    pub frontier: usize,
    pub elapsed: Duration,
    pub states_per_sec: f64,
    /// The estimated memory of the visited set, graph and frontier (what `memory_limit` limits).
    pub memory_bytes: u64,
}

/// At most this often the progress callback runs, and the clock-based limits are checked.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);
/// At most this many expansions between two looks at the clock: reading it on every step would cost
/// more than a step.
const CHECK_EVERY: u32 = 64;
/// When the expansions between two looks took longer than this, the clock is looked at after every
/// expansion until they are quick again (a model with huge states takes milliseconds per expansion,
/// and 64 of them would overshoot a time limit by far more than it allows).
const SLOW: Duration = Duration::from_millis(2);

pub(crate) fn rate(states: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        states as f64 / secs
    } else {
        0.0
    }
}

/// Decides when to look at the clock and when to call the progress callback.
pub(crate) struct Throttle {
    start: Instant,
    /// Elapsed time at the last progress report.
    last_report: Duration,
    countdown: u32,
    /// Expansions between looks at the clock: 1 while expansions are slow, doubling up to
    /// [`CHECK_EVERY`] while they are quick.
    interval: u32,
    /// Elapsed time at the last look.
    last_look: Duration,
}

impl Throttle {
    pub(crate) fn new() -> Throttle {
        Throttle {
            start: Instant::now(),
            last_report: Duration::ZERO,
            countdown: 1,
            interval: 1,
            last_look: Duration::ZERO,
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Called once per expansion: true when it is time to look at the clock and the limits, every
    /// [`CHECK_EVERY`] expansions while they are quick and after every one while they are slow.
    pub(crate) fn tick(&mut self) -> bool {
        self.countdown -= 1;
        if self.countdown > 0 {
            return false;
        }
        let now = self.elapsed();
        self.interval = if now.saturating_sub(self.last_look) > SLOW {
            1
        } else {
            (self.interval * 2).min(CHECK_EVERY)
        };
        self.last_look = now;
        self.countdown = self.interval;
        true
    }

    /// The elapsed time [`Throttle::tick`] read at its last look at the clock: the limits and the
    /// progress report use it rather than reading the clock a second time.
    pub(crate) fn last_look(&self) -> Duration {
        self.last_look
    }

    /// Is it time for another progress report, `elapsed` into the search? Resets the interval when
    /// it is.
    pub(crate) fn report_due(&mut self, elapsed: Duration) -> bool {
        if elapsed.saturating_sub(self.last_report) >= PROGRESS_INTERVAL {
            self.last_report = elapsed;
            true
        } else {
            false
        }
    }
}

/// A deterministic running average of [`super::TransitionSystem::state_bytes`]: every one of the
/// first 64 states, then every 64th.
#[derive(Default)]
pub(crate) struct SizeSampler {
    seen: u64,
    samples: u64,
    total: u64,
}

impl SizeSampler {
    pub(crate) fn wants_sample(&mut self) -> bool {
        self.seen += 1;
        self.seen <= 64 || self.seen % 64 == 0
    }

    pub(crate) fn add(&mut self, bytes: usize) {
        self.samples += 1;
        self.total += bytes as u64;
    }

    pub(crate) fn average(&self) -> u64 {
        self.total.checked_div(self.samples).unwrap_or(0)
    }
}

/// With a probe of what the process has allocated (`Options::memory_probe`), the memory limit is
/// checked before every expansion, once its enabled transitions are known, keeping room for what
/// it will allocate: a state per successor. One expansion of a model with large states can take
/// hundreds of megabytes, so checking less often, or only what is already allocated, overshoots
/// the limit by that much. `peak` records the largest reading.
pub(crate) fn measured_memory_limit(
    options: &Options,
    average_state: u64,
    successors: usize,
    peak: &mut u64,
) -> Option<Limit> {
    let limit = options.effective_memory_limit()?;
    let probe = options.memory_probe?;
    let allocated = probe();
    *peak = (*peak).max(allocated);
    let next = average_state.saturating_mul(successors as u64 + 1);
    (allocated.saturating_add(next) > limit).then_some(Limit::Memory(limit))
}

/// Expansions with more successors than this look at cancellation and the clock before each one.
pub(crate) const WATCH_WIDER_THAN: usize = 16;

/// Cancellation, or the time limit passed: what stops a search in the middle of an expansion.
pub(crate) fn interruption(options: &Options, throttle: &Throttle) -> Option<Limit> {
    if options.cancelled() {
        return Some(Limit::Cancelled);
    }
    let limit = options.time_limit?;
    (throttle.elapsed() >= limit).then_some(Limit::Time(limit))
}

/// Expansions between two looks at the memory in use (the estimate walks no tables, but the probe
/// and the estimate need not be read on every expansion).
pub(crate) const MEMORY_EVERY: u64 = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampler_averages_its_samples() {
        let mut s = SizeSampler::default();
        assert_eq!(s.average(), 0);
        let mut taken = 0;
        for i in 0..1000u64 {
            if s.wants_sample() {
                taken += 1;
                s.add(100 + (i % 2) as usize * 100);
            }
        }
        // 1..=64, then 128, 192, ..., 960.
        assert_eq!(taken, 64 + 14);
        assert!((100..=200).contains(&s.average()));
    }

    #[test]
    fn quick_expansions_space_the_clock_checks_out_to_the_interval() {
        let mut t = Throttle::new();
        // Ticks with no time passing: the interval doubles from 1 up to CHECK_EVERY (1 + 2 + 4 + 8 +
        // 16 + 32 = 63 expansions for the first six looks), then stays there.
        let ticks: Vec<u32> = (1..=63 + CHECK_EVERY * 3).filter(|_| t.tick()).collect();
        assert_eq!(ticks.len(), 6 + 3, "{ticks:?}");
        assert_eq!(t.interval, CHECK_EVERY);
        assert_eq!(rate(10, Duration::ZERO), 0.0);
        assert_eq!(rate(10, Duration::from_secs(2)), 5.0);
    }

    #[test]
    fn slow_expansions_are_checked_one_by_one() {
        let mut t = Throttle::new();
        for _ in 0..200 {
            t.tick();
        }
        assert_eq!(t.interval, CHECK_EVERY);
        // The next look finds more than SLOW gone by since the last: back to every expansion.
        t.start = Instant::now() - SLOW * 3;
        t.last_look = Duration::ZERO;
        t.countdown = 1;
        assert!(t.tick());
        assert_eq!(t.interval, 1);
        assert!(t.tick(), "the very next expansion is checked");
    }
}
