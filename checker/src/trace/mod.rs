//! Traces: the list of choices from the initial state; the versioned JSON format; replay.
