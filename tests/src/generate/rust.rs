//! Rendering a [`ModelSpec`] with every thread started by `main`: as a Rust program
//! ([`ModelSpec::rust_source`]) and as the `.weft` model written the same way
//! ([`ModelSpec::spawned_source`]). `main` spawns each thread (each member of a family, `tid` the
//! loop variable), joins them all in order, then runs the `final` checks. The statics are
//! `AtomicI64`, `static mut i64` and `Mutex<()>` in Rust. Models with `choose` or `assume!`, which
//! Rust does not have, have neither rendering.

use std::fmt::Write as _;

use super::render::Renderer;
use super::spec::{ModelSpec, StaticRef, Stmt};

impl ModelSpec {
    /// The model as a Rust program (`None` when it uses `choose` or `assume!`).
    pub fn rust_source(&self) -> Option<String> {
        self.main_source(true)
    }

    /// The `.weft` model of [`ModelSpec::rust_source`]'s program: threads spawned by `main`.
    pub fn spawned_source(&self) -> Option<String> {
        self.main_source(false)
    }

    fn main_source(&self, rust: bool) -> Option<String> {
        if self.threads.iter().any(|t| !rust_only(&t.body)) {
            return None;
        }
        let mut out = String::new();
        out.push_str("//! A generated model.\n");
        if let Some(list) = &self.observe {
            let mut names: Vec<String> = list.iter().map(|r| self.static_name(*r)).collect();
            names.sort();
            names.dedup();
            let _ = writeln!(out, "//@ observe: {}", names.join(", "));
        }
        out.push('\n');
        if rust {
            out.push_str("use std::sync::atomic::{AtomicI64, Ordering, Ordering::*};\n");
            out.push_str("use std::sync::Mutex;\nuse std::thread;\n\n");
        }
        for (i, v) in self.atomics.iter().enumerate() {
            let _ = match rust {
                true => writeln!(out, "static X{i}: AtomicI64 = AtomicI64::new({v});"),
                false => writeln!(out, "static X{i}: AtomicInt = {v};"),
            };
        }
        for (i, v) in self.plains.iter().enumerate() {
            let _ = match rust {
                true => writeln!(out, "static mut D{i}: i64 = {v};"),
                false => writeln!(out, "static mut D{i}: int = {v};"),
            };
        }
        for i in 0..self.mutexes {
            let _ = match rust {
                true => writeln!(out, "static M{i}: Mutex<()> = Mutex::new(());"),
                false => writeln!(out, "static M{i}: Mutex;"),
            };
        }
        let mut handles = 0;
        match rust {
            true => out.push_str("\nfn main() {\n    let mut handles = Vec::new();\n"),
            false => out.push_str("\nthread main {\n"),
        }
        for t in &self.threads {
            let body = |tid: Option<u32>| {
                let mut text = String::new();
                let mut r = Renderer {
                    spec: self,
                    out: &mut text,
                    depth: if rust && tid.is_some() { 3 } else { 2 },
                    scope: Vec::new(),
                    fresh: 0,
                    family: tid.is_some(),
                    rust,
                };
                r.stmts(&t.body);
                // `tid` is a keyword of `.weft`: the member's number is the local `t_id`.
                if !rust {
                    text = replace_word(&text, "tid", "t_id");
                }
                text
            };
            match (t.family, rust) {
                (Some(n), true) => {
                    let _ = writeln!(out, "    for tid in 0..{n} {{");
                    out.push_str("        handles.push(thread::spawn(move || unsafe {\n");
                    out.push_str(&body(Some(0)));
                    out.push_str("        }));\n    }\n");
                }
                (None, true) => {
                    out.push_str("    handles.push(thread::spawn(move || unsafe {\n");
                    out.push_str(&body(None));
                    out.push_str("    }));\n");
                }
                (family, false) => {
                    let members: Vec<Option<u32>> = match family {
                        Some(n) => (0..n).map(Some).collect(),
                        None => vec![None],
                    };
                    for tid in members {
                        if let Some(k) = tid {
                            let _ = writeln!(out, "    let t_id = {k};");
                        }
                        let _ = writeln!(out, "    let h{handles} = spawn {{");
                        out.push_str(&body(tid));
                        out.push_str("    };\n");
                        handles += 1;
                    }
                }
            }
        }
        match rust {
            true => out.push_str("    for h in handles {\n        h.join().unwrap();\n    }\n"),
            false => {
                for h in 0..handles {
                    let _ = writeln!(out, "    h{h}.join();");
                }
            }
        }
        for c in &self.final_checks {
            let lhs = match (c.target, rust) {
                (StaticRef::Atomic(_), _) => {
                    format!("{}.load(SeqCst)", self.static_name(c.target))
                }
                (StaticRef::Plain(_), true) => {
                    format!("unsafe {{ {} }}", self.static_name(c.target))
                }
                (StaticRef::Plain(_), false) => self.static_name(c.target),
            };
            let _ = writeln!(out, "    assert!({lhs} {} {});", c.op.as_str(), c.rhs);
        }
        out.push_str("}\n");
        Some(out)
    }
}

/// `text` with every whole-word `from` replaced by `to`.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        if text[i..].starts_with(from)
            && (i == 0 || !word(bytes[i - 1]))
            && bytes.get(i + from.len()).is_none_or(|b| !word(*b))
        {
            out.push_str(to);
            i += from.len();
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// No `choose` or `assume!` anywhere in the statements.
fn rust_only(stmts: &[Stmt]) -> bool {
    stmts.iter().all(|s| match s {
        Stmt::Choose | Stmt::Assume { .. } => false,
        Stmt::Cas {
            then, otherwise, ..
        }
        | Stmt::If {
            then, otherwise, ..
        } => rust_only(then) && rust_only(otherwise),
        Stmt::Lock { body, .. } | Stmt::LockPair { body, .. } | Stmt::For { body, .. } => {
            rust_only(body)
        }
        _ => true,
    })
}
