//! The state graph on petgraph: export as DOT and JSON, analyses.
