//! Printing a litmus program as a `.weft` model whose final-state outcomes are keyed exactly as the
//! reference's ([`super::program::Litmus::observed`]): locations are `AtomicInt` statics `X<i>`,
//! registers are `static mut` ints `R<thread>_<reg>` (each written only by its own thread, so
//! never racing; the checker reads them in final states), threads are `t0, t1, ...`.

use std::fmt::Write as _;

use super::program::{location_name, register_name, Instr, Litmus};

impl Litmus {
    /// The program as `.weft` source text.
    pub fn to_weft(&self) -> String {
        let mut out = String::from("//! A generated litmus program.\n");
        let _ = writeln!(out, "//@ observe: {}", self.observed().join(", "));
        out.push('\n');
        for loc in 0..self.locations {
            let _ = writeln!(out, "static {}: AtomicInt = 0;", location_name(loc));
        }
        for (t, r) in self.registers() {
            let _ = writeln!(out, "static mut {}: int = 0;", register_name(t, r));
        }
        for (t, thread) in self.threads.iter().enumerate() {
            let _ = writeln!(out, "\nthread t{t} {{");
            for instr in thread {
                render_instr(&mut out, t, instr);
            }
            out.push_str("}\n");
        }
        out
    }
}

/// One instruction, indented one level. A register assignment is a visible step of its own in
/// weft (a write of a `static mut`); that adds interleavings but no outcome, since only the
/// register's own thread touches it.
fn render_instr(out: &mut String, t: usize, instr: &Instr) {
    match *instr {
        Instr::Load { loc, reg, order } => {
            let _ = writeln!(
                out,
                "    {} = {}.load({order});",
                register_name(t, reg),
                location_name(loc)
            );
        }
        Instr::Store { loc, value, order } => {
            let _ = writeln!(out, "    {}.store({value}, {order});", location_name(loc));
        }
        Instr::Rmw {
            loc,
            reg,
            op,
            value,
            order,
        } => {
            let _ = writeln!(
                out,
                "    {} = {}.{}({value}, {order});",
                register_name(t, reg),
                location_name(loc),
                op.method()
            );
        }
        Instr::Cas {
            loc,
            reg,
            expected,
            new,
            success,
            failure,
        } => {
            // `compare_exchange` returns `Ok(previous)` or `Err(actual)`: either way the value
            // read, which is what the register receives.
            let reg = register_name(t, reg);
            let _ = writeln!(
                out,
                "    match {}.compare_exchange({expected}, {new}, {success}, {failure}) {{",
                location_name(loc)
            );
            let _ = writeln!(
                out,
                "        Ok(v) => {{\n            {reg} = v;\n        }}"
            );
            let _ = writeln!(
                out,
                "        Err(v) => {{\n            {reg} = v;\n        }}"
            );
            out.push_str("    }\n");
        }
        Instr::Fence { order } => {
            let _ = writeln!(out, "    fence({order});");
        }
    }
}
