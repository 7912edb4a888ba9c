//! The kinds of violation weft detects, with their stable names (used in `//@ expect:` and JSON).

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ViolationKind {
    AssertionFailure,
    Deadlock,
    DataRace,
    Livelock,
    LockMisuse,
    Overflow,
    IndexOutOfBounds,
}

impl ViolationKind {
    pub const ALL: [ViolationKind; 7] = [
        ViolationKind::AssertionFailure,
        ViolationKind::Deadlock,
        ViolationKind::DataRace,
        ViolationKind::Livelock,
        ViolationKind::LockMisuse,
        ViolationKind::Overflow,
        ViolationKind::IndexOutOfBounds,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::AssertionFailure => "assertion-failure",
            ViolationKind::Deadlock => "deadlock",
            ViolationKind::DataRace => "data-race",
            ViolationKind::Livelock => "livelock",
            ViolationKind::LockMisuse => "lock-misuse",
            ViolationKind::Overflow => "overflow",
            ViolationKind::IndexOutOfBounds => "index-out-of-bounds",
        }
    }
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ViolationKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        ViolationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(())
    }
}
