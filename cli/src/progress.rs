//! The progress line on standard error: drawn only on a terminal, only once a search has run for a
//! second (quick checks stay silent), redrawn in place with `\r`, and erased when the search ends.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use weft::Progress;

/// A search shorter than this shows no progress at all.
const QUIET_PERIOD: Duration = Duration::from_secs(1);

pub struct ProgressLine {
    label: String,
    enabled: bool,
    drawn: bool,
}

impl ProgressLine {
    /// A progress line for checking `label`; drawn only when `wanted` and standard error is a terminal.
    pub fn new(label: String, wanted: bool) -> ProgressLine {
        ProgressLine {
            label,
            enabled: wanted && std::io::stderr().is_terminal(),
            drawn: false,
        }
    }

    pub fn update(&mut self, p: &Progress) {
        if !self.enabled || p.elapsed < QUIET_PERIOD {
            return;
        }
        let line = format!(
            "{}: {} states, {} states/s, depth {}, frontier {} ({:.0}s; Ctrl-C stops)",
            self.label,
            thousands(p.states),
            thousands(p.states_per_sec as u64),
            p.depth,
            thousands(p.frontier as u64),
            p.elapsed.as_secs_f64()
        );
        // `\x1b[2K` clears the previous, possibly longer, line.
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        self.drawn = true;
    }

    /// Erase the line, so that the report starts on a clean line.
    pub fn finish(&mut self) {
        if self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    // The first group holds 1 to 3 digits, every later one exactly 3.
    let first = match digits.len() % 3 {
        0 => 3,
        r => r,
    };
    let (head, mut rest) = digits.split_at(first.min(digits.len()));
    let mut out = head.to_string();
    while !rest.is_empty() {
        let (group, more) = rest.split_at(3.min(rest.len()));
        out.push(',');
        out.push_str(group);
        rest = more;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
