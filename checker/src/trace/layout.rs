//! The JSON layout of weft's files: the outer levels one entry per line, anything deeper on one
//! line. A trace step, a report's outcome or a graph edge is then one line, which keeps the files
//! short to read and their diffs small.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

/// Pretty-prints containers nested at most `expanded` deep; deeper ones are written inline with a
/// space after each `,` and `:`.
struct Layout {
    depth: usize,
    expanded: usize,
    has_value: bool,
}

impl Layout {
    fn newline<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        let expanded = self.depth <= self.expanded;
        self.depth -= 1;
        if self.has_value && expanded {
            Self::newline(w, self.depth)?;
        }
        w.write_all(bracket)
    }

    fn entry<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.depth <= self.expanded {
            Self::newline(w, self.depth)
        } else if !first {
            w.write_all(b" ")
        } else {
            Ok(())
        }
    }
}

impl Formatter for Layout {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.entry(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.entry(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as JSON with the outer `expanded` levels one entry per line, and a final newline.
pub(crate) fn to_json_layout<T: Serialize + ?Sized>(value: &T, expanded: usize) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        Layout {
            depth: 0,
            expanded,
            has_value: false,
        },
    );
    // Writing plain data (strings, numbers, lists, maps with string keys) into memory cannot fail.
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    out.push(b'\n');
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outer_levels_break_inner_levels_stay_inline() {
        let v = json!({"a": [{"b": [1, 2], "c": {}}, []], "d": []});
        assert_eq!(
            to_json_layout(&v, 2),
            "{\n  \"a\": [\n    {\"b\": [1, 2], \"c\": {}},\n    []\n  ],\n  \"d\": []\n}\n"
        );
        assert_eq!(to_json_layout(&v, 0), "{\"a\": [{\"b\": [1, 2], \"c\": {}}, []], \"d\": []}\n");
        let back: serde_json::Value = serde_json::from_str(&to_json_layout(&v, 1)).unwrap();
        assert_eq!(back, v);
    }
}
