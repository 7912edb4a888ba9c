//! Rust's integer widths: narrow arithmetic panics where a debug build does, casts truncate,
//! `usize` cannot go below zero, and what weft cannot hold is reported, not wrapped silently.

use super::{check, kinds, program};
use crate::report::{Verdict, ViolationKind};

fn failure(main: &str) -> String {
    let r = check(&program(
        "static X: AtomicU8 = AtomicU8::new(250);\nstatic U: AtomicUsize = AtomicUsize::new(0);",
        main,
    ));
    assert_eq!(kinds(&r), vec![ViolationKind::AssertionFailure], "{main}");
    r.violations[0].message.clone()
}

fn safe(main: &str) {
    let r = check(&program(
        "static X: AtomicU8 = AtomicU8::new(250);\nstatic U: AtomicUsize = AtomicUsize::new(0);",
        main,
    ));
    assert_eq!(r.verdict, Verdict::Safe, "{main}: {:?}", r.violations);
}

#[test]
fn narrow_arithmetic_panics_with_rusts_message() {
    assert_eq!(
        failure("let a: u8 = 200;\nlet b = a + 100;\nlet _ = b;"),
        "attempt to add with overflow"
    );
    assert_eq!(
        failure("let a: i8 = -100;\nlet _b = a - 100;"),
        "attempt to subtract with overflow"
    );
    assert_eq!(
        failure("let a: i16 = 300;\nlet _b = a * 300;"),
        "attempt to multiply with overflow"
    );
    assert_eq!(
        failure("let a: i8 = -128;\nlet _b = -a;"),
        "attempt to negate with overflow"
    );
    assert_eq!(
        failure("let mut c: u32 = 0;\nc -= 1;\nlet _ = c;"),
        "attempt to subtract with overflow"
    );
    assert_eq!(
        failure("let a: u8 = 1;\nlet s = 8;\nlet _b = a << s;"),
        "attempt to shift left with overflow"
    );
    safe("let a: u8 = 200;\nlet b = a + 55;\nassert_eq!(b, 255);\nlet c: i32 = i32::MAX - 1;\nlet _d = c + 1;");
}

#[test]
fn a_local_takes_the_width_of_what_it_meets() {
    // `i` is a usize from `i < N`: going below zero panics.
    assert_eq!(
        failure(
            "const N: usize = 2;\nlet mut i = 0;\nwhile i < N { i += 1; }\ni -= 3;\nlet _ = i;"
        ),
        "attempt to subtract with overflow"
    );
}

#[test]
fn casts_truncate_like_rust() {
    safe("let a: i32 = 300;\nassert_eq!(a as u8, 44);\nlet b: i32 = -1;\nassert_eq!(b as u8, 255);\nassert_eq!(200u8 as i8, -56);\nassert_eq!(true as i32, 1);\nlet s: u8 = 200;\nassert_eq!(s << 1, 144);");
}

#[test]
fn usize_stays_at_or_above_zero_and_below_i64_max() {
    assert_eq!(
        failure("let a: usize = 0;\nlet _b = a - 1;"),
        "attempt to subtract with overflow"
    );
    // An atomic usize wraps as Rust's does (the bits are the same); reading a value above
    // i64::MAX is reported rather than seen as negative.
    let m = failure("U.fetch_sub(1, Ordering::SeqCst);\nlet _v = U.load(Ordering::SeqCst);");
    assert!(
        m.contains("weft does not model `usize` values above i64::MAX yet"),
        "{m}"
    );
    safe("U.fetch_sub(1, Ordering::SeqCst);\nU.fetch_add(1, Ordering::SeqCst);\nassert_eq!(U.load(Ordering::SeqCst), 0);");
}

#[test]
fn a_narrow_atomic_that_would_wrap_is_reported() {
    let m = failure("X.fetch_add(10, Ordering::SeqCst);");
    assert!(
        m.contains("weft does not model the wrapping of `fetch_add` on `AtomicU8` yet"),
        "{m}"
    );
    safe("let p = X.fetch_add(5, Ordering::SeqCst);\nassert_eq!(p, 250);\nassert_eq!(X.load(Ordering::SeqCst), 255);");
}

#[test]
fn wrapping_methods_wrap_at_the_width() {
    safe("let a: u8 = 250;\nassert_eq!(a.wrapping_add(10), 4);\nlet b: i8 = -128;\nassert_eq!(b.wrapping_sub(1), 127);\nassert_eq!(200u8.wrapping_mul(2), 144);\nassert_eq!(X.load(Ordering::SeqCst).wrapping_add(6), 0);\nlet u: usize = 3;\nassert_eq!(u.wrapping_add(1), 4);");
    let m = failure("let u: usize = 0;\nlet _v = u.wrapping_sub(1);");
    assert!(
        m.contains("weft does not model `usize` values above i64::MAX yet"),
        "{m}"
    );
    let (m, at) = super::first_error(&program("", "let a: i64 = 1;\nlet _b = a.wrapping_add(1);"));
    assert_eq!(
        m,
        "weft does not model `wrapping_add` on `i64` (its wrap-around) yet"
    );
    assert_eq!(at, "wrapping_add");
}

#[test]
fn a_usize_above_i64_max_is_reported_wherever_it_is_compared_or_computed_with() {
    let m = failure("U.fetch_sub(1, Ordering::SeqCst);\nU.fetch_max(5, Ordering::SeqCst);");
    assert!(
        m.contains("weft does not model `usize` values above i64::MAX yet"),
        "{m}"
    );
    let m = failure("U.fetch_sub(1, Ordering::SeqCst);\nlet _ = U.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |x| Some(x / 2));");
    assert!(
        m.contains("the argument of `fetch_update`'s closure"),
        "{m}"
    );
}
