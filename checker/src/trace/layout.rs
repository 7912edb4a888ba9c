//! The JSON layout of weft's files: containers nested at most a few levels deep are written one
//! entry per line, deeper ones and lists of plain values (`[170, 188]`, `["COUNT", 0]`) on one line.
//! A trace step, a report's outcome pair or a graph edge is then one line, which keeps the files
//! short to read and their diffs small.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

/// How an open container is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// An array whose first element has not been seen yet.
    Undecided,
    Expanded,
    Inline,
}

struct Layout {
    /// Open containers, innermost last.
    stack: Vec<Mode>,
    expanded: usize,
    has_value: bool,
    /// An array entry has begun (`Some(first)`), and its separator waits for the entry's kind.
    pending: Option<bool>,
}

fn newline<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
    w.write_all(b"\n")?;
    for _ in 0..depth {
        w.write_all(b"  ")?;
    }
    Ok(())
}

impl Layout {
    fn separator<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        match self.stack.last() {
            Some(Mode::Expanded) => newline(w, self.stack.len()),
            _ if !first => w.write_all(b" "),
            _ => Ok(()),
        }
    }

    /// Before any value: settle a pending array entry. An array is expanded when its first entry
    /// is a container and it is shallow enough.
    fn value<W: ?Sized + Write>(&mut self, w: &mut W, container: bool) -> io::Result<()> {
        let Some(first) = self.pending.take() else {
            return Ok(());
        };
        let depth = self.stack.len();
        if let Some(mode) = self.stack.last_mut() {
            if *mode == Mode::Undecided {
                *mode = if container && depth <= self.expanded {
                    Mode::Expanded
                } else {
                    Mode::Inline
                };
            }
        }
        self.separator(w, first)
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, mode: Mode, bracket: &[u8]) -> io::Result<()> {
        self.value(w, true)?;
        self.stack.push(mode);
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        let mode = self.stack.pop();
        if self.has_value && mode == Some(Mode::Expanded) {
            newline(w, self.stack.len())?;
        }
        w.write_all(bracket)
    }
}

macro_rules! scalar {
    ($($name:ident($ty:ty)),* $(,)?) => {
        $(
            fn $name<W: ?Sized + Write>(&mut self, w: &mut W, v: $ty) -> io::Result<()> {
                self.value(w, false)?;
                CompactFormatter.$name(w, v)
            }
        )*
    };
}

impl Formatter for Layout {
    scalar!(
        write_bool(bool),
        write_i8(i8),
        write_i16(i16),
        write_i32(i32),
        write_i64(i64),
        write_i128(i128),
        write_u8(u8),
        write_u16(u16),
        write_u32(u32),
        write_u64(u64),
        write_u128(u128),
        write_f32(f32),
        write_f64(f64),
        write_number_str(&str),
        write_byte_array(&[u8]),
    );

    fn write_null<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value(w, false)?;
        w.write_all(b"null")
    }
    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value(w, false)?;
        w.write_all(b"\"")
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, Mode::Undecided, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, _: &mut W, first: bool) -> io::Result<()> {
        self.pending = Some(first);
        Ok(())
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        let mode = if self.stack.len() < self.expanded {
            Mode::Expanded
        } else {
            Mode::Inline
        };
        self.open(w, mode, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.separator(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as JSON, containers nested at most `expanded` deep one entry per line, with a final
/// newline.
pub(crate) fn to_json_layout<T: Serialize + ?Sized>(value: &T, expanded: usize) -> String {
    let mut out = Vec::new();
    // Writing plain data (strings, numbers, lists, maps with string keys) into memory cannot fail.
    if write_json_layout(value, expanded, &mut out).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// [`to_json_layout`], written to `out` as it is serialised (a large document is never held whole).
pub(crate) fn write_json_layout<T: Serialize + ?Sized, W: Write>(
    value: &T,
    expanded: usize,
    out: &mut W,
) -> io::Result<()> {
    let layout = Layout {
        stack: Vec::new(),
        expanded,
        has_value: false,
        pending: None,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, layout);
    value.serialize(&mut ser).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outer_levels_break_inner_levels_and_plain_lists_stay_inline() {
        let v = json!({"a": [{"b": [1, 2], "c": {}}, []], "d": [], "e": [[1, "x"], [2, null]]});
        assert_eq!(
            to_json_layout(&v, 2),
            "{\n  \"a\": [\n    {\"b\": [1, 2], \"c\": {}},\n    []\n  ],\n  \"d\": [],\n  \
             \"e\": [\n    [1, \"x\"],\n    [2, null]\n  ]\n}\n"
        );
        assert_eq!(
            to_json_layout(&v, 0),
            "{\"a\": [{\"b\": [1, 2], \"c\": {}}, []], \"d\": [], \"e\": [[1, \"x\"], [2, null]]}\n"
        );
        for depth in 0..4 {
            let back: serde_json::Value = serde_json::from_str(&to_json_layout(&v, depth)).unwrap();
            assert_eq!(back, v);
        }
    }

    #[test]
    fn strings_are_escaped() {
        let v = json!({"s": ["a \"quoted\"\nline", "\\"]});
        let text = to_json_layout(&v, 3);
        assert_eq!(
            text,
            "{\n  \"s\": [\"a \\\"quoted\\\"\\nline\", \"\\\\\"]\n}\n"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
    }
}
