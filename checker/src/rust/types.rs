//! Rust's types as the translation sees them: the integer widths, `bool`, the atomics, the locks
//! and the other `std::sync` statics, and the value types of local code.

use syn::Type;

/// A Rust integer type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum IntTy {
    I8,
    I16,
    I32,
    I64,
    Isize,
    U8,
    U16,
    U32,
    U64,
    Usize,
}

impl IntTy {
    pub(crate) fn from_name(name: &str) -> Option<IntTy> {
        Some(match name {
            "i8" => IntTy::I8,
            "i16" => IntTy::I16,
            "i32" => IntTy::I32,
            "i64" => IntTy::I64,
            "isize" => IntTy::Isize,
            "u8" => IntTy::U8,
            "u16" => IntTy::U16,
            "u32" => IntTy::U32,
            "u64" => IntTy::U64,
            "usize" => IntTy::Usize,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            IntTy::I8 => "i8",
            IntTy::I16 => "i16",
            IntTy::I32 => "i32",
            IntTy::I64 => "i64",
            IntTy::Isize => "isize",
            IntTy::U8 => "u8",
            IntTy::U16 => "u16",
            IntTy::U32 => "u32",
            IntTy::U64 => "u64",
            IntTy::Usize => "usize",
        }
    }

    /// Width in bits (`usize`/`isize`: 64, the targets weft's users check on).
    pub(crate) fn bits(self) -> u32 {
        match self {
            IntTy::I8 | IntTy::U8 => 8,
            IntTy::I16 | IntTy::U16 => 16,
            IntTy::I32 | IntTy::U32 => 32,
            _ => 64,
        }
    }

    pub(crate) fn signed(self) -> bool {
        matches!(
            self,
            IntTy::I8 | IntTy::I16 | IntTy::I32 | IntTy::I64 | IntTy::Isize
        )
    }

    /// The values weft holds for this type: Rust's range, except that `u64`/`usize` stop at
    /// `i64::MAX` (values are `i64`).
    pub(crate) fn range(self) -> (i64, i64) {
        match (self.signed(), self.bits()) {
            (true, 64) => (i64::MIN, i64::MAX),
            (false, 64) => (0, i64::MAX),
            (true, b) => (-(1i64 << (b - 1)), (1i64 << (b - 1)) - 1),
            (false, b) => (0, (1i64 << b) - 1),
        }
    }

    /// Does i64 arithmetic check this type exactly (overflow where Rust's does)?
    pub(crate) fn is_i64(self) -> bool {
        matches!(self, IntTy::I64 | IntTy::Isize)
    }

    /// Unsigned 64 bits: values above `i64::MAX` exist in Rust but not in weft.
    pub(crate) fn is_u64(self) -> bool {
        matches!(self, IntTy::U64 | IntTy::Usize)
    }
}

/// The type of a value in local code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Int(IntTy),
    /// An integer whose type is not fixed yet (an unsuffixed literal, or a local made from one).
    IntLit,
    Bool,
    Unit,
    /// `Result<T, T>` of a compare-exchange on an atomic of this value type.
    Result(Box<Ty>),
    /// A guard of the lock static named (`M`), `write` for a write guard of an `RwLock`.
    Guard {
        lock: String,
        write: bool,
    },
    /// `&mut T` into a lock's data, the argument of a `wait_while` closure.
    DataRef {
        lock: String,
    },
    /// A `JoinHandle`.
    Handle,
    /// Never returns (`panic!`, `break`, `return`).
    Never,
}

impl Ty {
    pub(crate) fn is_int(&self) -> bool {
        matches!(self, Ty::Int(_) | Ty::IntLit)
    }
    pub(crate) fn int(&self) -> Option<IntTy> {
        match self {
            Ty::Int(t) => Some(*t),
            _ => None,
        }
    }
    pub(crate) fn describe(&self) -> String {
        match self {
            Ty::Int(t) => format!("`{}`", t.name()),
            Ty::IntLit => "an integer".into(),
            Ty::Bool => "`bool`".into(),
            Ty::Unit => "`()`".into(),
            Ty::Result(t) => format!("a `Result` of {}", t.describe()),
            Ty::Guard { .. } => "a lock guard".into(),
            Ty::DataRef { .. } => "a reference".into(),
            Ty::Handle => "a `JoinHandle`".into(),
            Ty::Never => "`!`".into(),
        }
    }
}

/// The last segment of a path type and its generic arguments: `std::sync::Mutex<i32>` gives
/// `("Mutex", [i32])`. `None` for anything but a plain path.
pub(crate) fn path_type(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(p) = ty else {
        return None;
    };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    let args = match &last.arguments {
        syn::PathArguments::None => Vec::new(),
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        syn::PathArguments::Parenthesized(_) => return None,
    };
    Some((last.ident.to_string(), args))
}

/// A scalar type of local code: an integer type or `bool`.
pub(crate) fn scalar(ty: &Type) -> Option<Ty> {
    if let Type::Paren(p) = ty {
        return scalar(&p.elem);
    }
    let (name, args) = path_type(ty)?;
    if !args.is_empty() {
        return None;
    }
    if name == "bool" {
        return Some(Ty::Bool);
    }
    IntTy::from_name(&name).map(Ty::Int)
}

/// `AtomicUsize` gives `Some(Int(usize))`, `AtomicBool` gives `Some(Bool)`.
pub(crate) fn atomic_value(name: &str) -> Option<Ty> {
    if name == "AtomicBool" {
        return Some(Ty::Bool);
    }
    let rest = name.strip_prefix("Atomic")?;
    IntTy::from_name(&rest.to_ascii_lowercase()).map(Ty::Int)
}

/// Is `ty` the unit type `()`?
pub(crate) fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}
