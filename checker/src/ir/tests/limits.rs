//! The cap on inlining ([`MAX_INLINED`]): helpers that call helpers twice stop at the limit with a
//! located error naming the chain of calls, over one thread or several; models under it compile.

use crate::ir::lower::MAX_INLINED;
use crate::ir::{compile, compile_unreduced};
use crate::source::SourceFile;

/// `fn f0` calls `f1` twice, ... down to `f{depth}`, which loads once: `2^depth` loads per call
/// of `f0`, one `f0()` in each of `threads` threads.
fn doubling(depth: usize, threads: usize) -> String {
    let mut src = String::from("static X: AtomicInt = 0;\n");
    for i in 0..depth {
        src.push_str(&format!("fn f{i}() {{ f{0}(); f{0}(); }}\n", i + 1));
    }
    src.push_str(&format!("fn f{depth}() {{ let v = X.load(Relaxed); }}\n"));
    for t in 0..threads {
        src.push_str(&format!("thread t{t} {{ f0(); }}\n"));
    }
    src
}

#[test]
fn a_doubling_chain_stops_at_the_limit_with_the_chain_located() {
    let src = doubling(20, 1);
    let errs = super::errors(&src);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let d = &errs[0];
    assert!(d.message.contains("too large to lower"), "{d:#?}");
    assert!(d.message.contains(&MAX_INLINED.to_string()), "{d:#?}");
    let file = SourceFile::new("test.weft", src.as_str());
    // The call in the thread, as written.
    assert_eq!(file.location(d.span), "test.weft:23:13");
    assert_eq!(file.snippet(d.span), "f0()");
    // The chain down to the call being inlined when the count went past the limit (inside some
    // copy of the tree, not necessarily at a leaf), one note per link, each at the call in the
    // caller's body.
    let n = d.notes.len();
    assert!(n >= 1, "{d:#?}");
    assert!(d.label.starts_with("inlining `f0` -> `f1`"), "{}", d.label);
    assert!(
        d.label.ends_with(&format!("-> `f{n}` reaches the limit")),
        "{}",
        d.label
    );
    for (i, (span, label)) in d.notes.iter().enumerate() {
        assert_eq!(label, &format!("`f{i}` calls `f{}` here", i + 1));
        assert_eq!(file.line_of(span.lo), i + 2);
        assert_eq!(file.snippet(*span), format!("f{}()", i + 1));
    }
    super::assert_help(d, "inlined at every call");
    super::assert_help(d, &format!("at most {MAX_INLINED} instructions"));
}

#[test]
fn the_limit_is_over_the_whole_model() {
    // 2^18 loads per thread: one thread is well under the limit, four are past it.
    assert!(compile(SourceFile::new("m.weft", doubling(18, 1))).is_ok());
    let src = doubling(18, 4);
    let d = super::error(&src, "too large to lower");
    let file = SourceFile::new("test.weft", src.as_str());
    assert_eq!(file.location(d.span), "test.weft:24:13", "{d:#?}");
    assert_eq!(file.line_text(24), "thread t3 { f0(); }");
}

#[test]
fn lowering_stops_near_the_limit() {
    // Past the limit nothing more is inlined, so the work done is bounded by the limit and not by
    // the 2^30 copies the model asks for: lowering it returns at once.
    let errs = compile_unreduced(SourceFile::new("m.weft", doubling(30, 1))).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
}

#[test]
fn the_reproducer_with_2_to_the_17_loads_compiles() {
    let p = compile(SourceFile::new("m.weft", doubling(17, 1))).expect("under the limit");
    assert_eq!(p.visible_ops(p.threads[0].code), 1 << 17);
}
