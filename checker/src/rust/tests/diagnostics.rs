//! Every construct outside the subset gets a located diagnostic: its message, and the text its
//! span covers.

use super::{errors, first_error, program};

fn unsupported(main: &str) -> (String, String) {
    first_error(&program(
        "static X: AtomicUsize = AtomicUsize::new(0);",
        main,
    ))
}

#[test]
fn heap_and_std_types_outside_the_subset() {
    let (m, at) = first_error("use std::sync::Arc;\nfn main() { let a = Arc::new(5); }\n");
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("weft does not model `std::sync::Arc::new` yet", "Arc::new")
    );
    let (m, at) = unsupported("let (tx, rx) = std::sync::mpsc::channel::<i32>();");
    assert_eq!(m, "weft does not model this pattern in `let` yet");
    assert_eq!(at, "(tx, rx)");
    let (m, at) = unsupported("let b = Box::new(1);");
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("weft does not model `Box::new` yet", "Box::new")
    );
    let (m, at) = unsupported("let m = Mutex::new(0);");
    assert_eq!(
        (m.as_str(), at.as_str()),
        (
            "weft does not model `std::sync::Mutex::new` yet",
            "Mutex::new"
        )
    );
    let (m, at) = unsupported("let o = Some(1);");
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("weft does not model `Some` yet", "Some")
    );
    let (m, _) = unsupported("thread::park();");
    assert_eq!(m, "weft does not model `std::thread::park` yet");
}

#[test]
fn items_outside_the_subset() {
    let (m, at) = first_error("struct Counter { n: i32 }\nfn main() {}\n");
    assert_eq!(m, "weft does not model `struct`s yet");
    assert_eq!(at, "struct Counter { n: i32 }");
    let (m, at) = first_error("fn id<T>(x: T) -> T { x }\nfn main() {}\n");
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("weft does not model generic function `id` yet", "<T>")
    );
    let (m, _) = first_error("impl Foo {}\nfn main() {}\n");
    assert_eq!(m, "weft does not model `impl` blocks yet");
    let (m, at) = first_error("#[test]\nfn t() {}\nfn main() {}\n");
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("weft does not model `#[test]` functions yet", "#[test]")
    );
    let (m, _) = first_error(
        "static X: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);\n",
    );
    assert_eq!(m, "the file has no `fn main`");
    let (m, at) = first_error("fn f(x: &i32) -> i32 { *x }\nfn main() {}\n");
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("weft does not model parameters of this type yet", "&i32")
    );
}

#[test]
fn atomic_methods_outside_the_subset() {
    let (m, at) = unsupported("X.fetch_nand(1, Ordering::SeqCst);");
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("weft does not model `fetch_nand` yet", "fetch_nand")
    );
    let (m, at) =
        unsupported("let r = X.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |x| Some(x + 1));");
    assert_eq!(
        m,
        "weft does not model the `Result` of `fetch_update` as a value yet"
    );
    assert_eq!(
        at,
        "X.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |x| Some(x + 1))"
    );
    let (m, at) = unsupported(
        "X.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |x| x.checked_add(1)).unwrap();",
    );
    assert_eq!(
        m,
        "weft does not model this `fetch_update` closure body yet"
    );
    assert_eq!(at, "x.checked_add(1)");
    let (m, at) = unsupported("let o = Ordering::SeqCst;\nX.store(1, o);");
    assert_eq!(
        m,
        "weft does not model orderings outside an atomic operation's arguments yet"
    );
    assert_eq!(at, "Ordering::SeqCst");
}

#[test]
fn threads_outside_the_subset() {
    let (m, at) = unsupported("thread::spawn(|| {});");
    assert_eq!(m, "weft does not model a thread that is never joined (the process ends when `main` returns) yet");
    assert_eq!(at, "thread::spawn(|| {})");
    let (m, at) =
        unsupported("let mut n = 0;\nthread::scope(|s| { s.spawn(|| { n += 1; }); });\nlet _ = n;");
    assert_eq!(
        m,
        "weft does not model a thread writing a local of the thread that spawned it yet"
    );
    assert_eq!(at, "n");
    let (m, _) = unsupported("let f = || 1;\nlet _ = f;");
    assert_eq!(m, "weft does not model closures here yet");
    let (m, _) = unsupported("let n = 5;\nlet hs: Vec<_> = (0..n).map(|_| thread::spawn(|| {})).collect();\nfor h in hs { h.join().unwrap(); }");
    assert_eq!(
        m,
        "weft does not model spawning threads in a loop whose bounds are not constants yet"
    );
}

#[test]
fn locks_and_references_outside_the_subset() {
    let text = program(
        "static M: Mutex<i32> = Mutex::new(0);\nstatic CV: Condvar = Condvar::new();",
        "let g = M.lock().unwrap();\nlet (g, _t) = CV.wait_timeout(g, std::time::Duration::from_millis(1)).unwrap();",
    );
    assert_eq!(
        first_error(&text).0,
        "weft does not model this pattern in `let` yet"
    );
    let text = program(
        "static M: Mutex<i32> = Mutex::new(0);",
        "let r = M.try_lock();\nlet _ = r;",
    );
    assert_eq!(
        first_error(&text),
        (
            "weft does not model `try_lock` on a lock yet".into(),
            "try_lock".into()
        )
    );
    let text = program(
        "static M: Mutex<i32> = Mutex::new(0);",
        "if *M.lock().unwrap() > 0 { *M.lock().unwrap() = 0; }",
    );
    assert_eq!(
        first_error(&text).0,
        "weft does not model a lock guard temporary in the condition of `if`, `while` or `match` yet"
    );
    let text = program(
        "static M: Mutex<i32> = Mutex::new(0);\nstatic Y: AtomicI32 = AtomicI32::new(0);",
        "let v = *M.lock().unwrap() + Y.load(Ordering::SeqCst);\nlet _ = v;",
    );
    assert_eq!(
        first_error(&text).0,
        "weft does not model a lock guard temporary in a statement with other shared accesses yet"
    );
    let (m, at) = unsupported("let x = 1;\nlet r = &x;\nlet _ = r;");
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("weft does not model references yet", "&x")
    );
    let (m, at) = unsupported("let _m = u64::MAX;");
    assert_eq!(
        (m.as_str(), at.as_str()),
        (
            "weft does not model `u64::MAX` (above i64::MAX) yet",
            "u64::MAX"
        )
    );
}

#[test]
fn every_unsupported_diagnostic_has_a_help_line() {
    let d = errors(&program("", "let v = vec![1, 2];\nlet _ = v;"));
    assert!(
        d[0].message.starts_with("weft does not model"),
        "{}",
        d[0].message
    );
    assert!(!d[0].help.is_empty());
}

#[test]
fn syntax_errors_and_deep_nesting_are_located() {
    let d = errors("fn main() { let x = ; }\n");
    assert!(d[0].message.starts_with("expected"), "{}", d[0].message);
    let deep = format!(
        "fn main() {{ let _x = {}1{}; }}\n",
        "(".repeat(200),
        ")".repeat(200)
    );
    let d = errors(&deep);
    assert_eq!(d[0].message, "nesting deeper than 128 levels");
    // Chains nest without brackets: operators, `else if`, and expressions inside expressions.
    let chain = format!(
        "fn main() {{ let _x: i64 = {}; }}\n",
        vec!["1"; 5000].join(" + ")
    );
    assert_eq!(
        errors(&chain)[0].message,
        "more than 1000 operators in one statement"
    );
    let elses = format!(
        "fn main() {{ let x = 1; if x == 0 {{}} {} }}\n",
        "else if x == 1 {} ".repeat(3000)
    );
    assert_eq!(
        errors(&elses)[0].message,
        "more than 1000 `else` branches or operators in a row"
    );
    let sum = format!(
        "fn main() {{ let _x: i64 = {}; }}\n",
        vec!["1"; 300].join(" + ")
    );
    assert_eq!(errors(&sum)[0].message, "nesting deeper than 64 levels");
}

/// Whatever the text, the front end answers with a model or diagnostics, never a panic: every
/// prefix of every Rust model, and every `.weft` model read as Rust.
#[test]
fn no_input_makes_it_panic() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../models");
    let mut texts = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("the corpus").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "weft") {
                texts.push(std::fs::read_to_string(&path).expect("a model"));
            }
        }
    }
    assert!(texts.len() > 30);
    for text in &texts {
        let cuts: Vec<usize> = (0..text.len())
            .step_by(7)
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for i in cuts {
            let _ = crate::ir::compile(crate::SourceFile::new("m.rs", &text[..i]));
        }
    }
}

#[test]
fn a_check_message_does_not_read_shared_memory() {
    let (m, at) = unsupported("assert!(true, \"{}\", X.load(Ordering::Relaxed));");
    assert_eq!(
        m,
        "weft does not model a format argument that reads shared memory yet"
    );
    assert_eq!(at, "X.load(Ordering::Relaxed)");
    // Locals are fine, and `println!` always evaluates its arguments, as Rust does.
    let text = program(
        "static X: AtomicUsize = AtomicUsize::new(0);",
        "let v = 1;\nassert!(v == 1, \"v = {}\", v);\nprintln!(\"{}\", X.load(Ordering::Relaxed));",
    );
    let _ = super::compile(&text);
}
