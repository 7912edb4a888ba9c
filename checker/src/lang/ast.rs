//! The abstract syntax tree of a `.weft` model, exactly as written, with a span on every node.
//!
//! The AST knows nothing of semantics: names are unresolved strings, method calls are generic
//! (`receiver.method(args)`), and types are as spelled. `ir::lower` gives them meaning.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// One parsed `.weft` file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Model {
    /// `//!` lines, without the marker, in order.
    pub doc: Vec<String>,
    /// `//@ key: value` lines, in order.
    pub directives: Vec<Directive>,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub key: String,
    pub value: String,
    /// Span of the whole comment line.
    pub span: Span,
    /// Span of `value` alone (for errors inside it).
    pub value_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Static(StaticDecl),
    Thread(ThreadDecl),
    Fn(FnDecl),
    Final(FinalBlock),
}

/// `static [mut] NAME: TYPE [= INIT];`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticDecl {
    pub mutable: bool,
    pub name: Ident,
    pub ty: TypeExpr,
    pub init: Option<Expr>,
    pub span: Span,
}

/// `thread NAME { .. }` or `thread NAME[COUNT] { .. }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadDecl {
    pub name: Ident,
    /// The family size expression (a constant), if written.
    pub count: Option<Expr>,
    pub body: Block,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnDecl {
    pub name: Ident,
    pub params: Vec<Param>,
    pub ret: Option<TypeExpr>,
    pub body: Block,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: Ident,
    pub ty: TypeExpr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinalBlock {
    pub body: Block,
    pub span: Span,
}

/// A type as written: `int`, `AtomicBool`, `[int; 4]`, `Channel<int, 2>`, `Result<int, int>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    /// A name with optional generic arguments (`Channel<int, 2>` has args `[Type(int), Const(2)]`).
    Named {
        name: Ident,
        args: Vec<TypeArg>,
        span: Span,
    },
    /// `[T; N]`
    Array {
        elem: Box<TypeExpr>,
        len: Box<Expr>,
        span: Span,
    },
}

impl TypeExpr {
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Named { span, .. } | TypeExpr::Array { span, .. } => *span,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeArg {
    Type(TypeExpr),
    Const(Expr),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    /// A final expression without `;` (the block's value: `fn f() -> int { x + 1 }`,
    /// `let v = if c { 1 } else { 2 };`).
    pub tail: Option<Box<Expr>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StmtKind {
    /// `let [mut] name[: ty] = init;` (the initialiser is required).
    Let {
        mutable: bool,
        name: Ident,
        ty: Option<TypeExpr>,
        init: Expr,
    },
    /// `place = value;` or `place op= value;` (`op` is `None` for plain `=`).
    Assign {
        place: Expr,
        op: Option<BinOp>,
        value: Expr,
    },
    /// An expression followed by `;`, or a block-like expression (`if`, `while`, ...) without one.
    Expr(Expr),
    /// A macro: `assert!(..)`, `assert_eq!`, `assert_ne!`, `assume!`, `panic!`, `unreachable!`.
    Macro(MacroCall),
    While {
        cond: Expr,
        body: Block,
    },
    /// `while let PAT = EXPR { .. }`
    WhileLet {
        pat: Pattern,
        expr: Expr,
        body: Block,
    },
    Loop(Block),
    /// `for var in lo..hi` or `lo..=hi`.
    For {
        var: Ident,
        lo: Expr,
        hi: Expr,
        inclusive: bool,
        body: Block,
    },
    Break,
    Continue,
    Return(Option<Expr>),
    Block(Block),
    /// Produced by error recovery so later passes see a statement was here.
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroCall {
    pub name: Ident,
    pub args: Vec<Expr>,
    /// A trailing string-literal message (`assert!(c, "why")`, `panic!("why")`).
    pub message: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    Int(i64),
    Bool(bool),
    /// A name: a local, a static, a parameter, or an ordering (`Relaxed`).
    Name(String),
    /// `Ordering::SeqCst` (or any `A::B` path).
    Path(Vec<Ident>),
    Tid,
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `base[index]`
    Index(Box<Expr>, Box<Expr>),
    /// `receiver.method(args)`
    MethodCall {
        receiver: Box<Expr>,
        method: Ident,
        args: Vec<Expr>,
    },
    /// `name(args)`: helper functions and the builtins `fence`, `drop`, `choose`, `yield_now`, `spin_loop`.
    Call {
        func: Ident,
        args: Vec<Expr>,
    },
    /// `lo..hi` / `lo..=hi` (only as the argument of `choose`).
    Range {
        lo: Box<Expr>,
        hi: Box<Expr>,
        inclusive: bool,
    },
    /// `spawn { .. }`
    Spawn(Block),
    If {
        cond: Box<Expr>,
        then: Block,
        els: Option<Box<Expr>>,
    },
    /// `if let PAT = EXPR { .. } else ..`
    IfLet {
        pat: Pattern,
        expr: Box<Expr>,
        then: Block,
        els: Option<Box<Expr>>,
    },
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<MatchArm>,
    },
    /// A block used as an expression (the `else` branch of an `if`).
    Block(Block),
    /// `[v; n]` (static initialisers only)
    ArrayRepeat(Box<Expr>, Box<Expr>),
    /// `[a, b, c]` (static initialisers only)
    ArrayList(Vec<Expr>),
    /// Produced by error recovery.
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchArm {
    pub pat: Pattern,
    pub body: Expr,
    pub span: Span,
}

/// `Ok(x)`, `Err(_)`, `Some(v)`, `None`, `_`, an integer or bool literal, or a binding name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pub kind: PatternKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternKind {
    /// `Ok(p)`, `Err(p)`, `Some(p)`
    Variant(Ident, Box<Pattern>),
    /// `None`
    Unit(Ident),
    Binding(Ident),
    Wildcard,
    Int(i64),
    Bool(bool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Shl,
    Shr,
    BitAnd,
    BitXor,
    BitOr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitXor => "^",
            BinOp::BitOr => "|",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }

    /// Binding power for the Pratt parser (Rust's precedence; higher binds tighter).
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Mul | BinOp::Div | BinOp::Rem => 10,
            BinOp::Add | BinOp::Sub => 9,
            BinOp::Shl | BinOp::Shr => 8,
            BinOp::BitAnd => 7,
            BinOp::BitXor => 6,
            BinOp::BitOr => 5,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 4,
            BinOp::And => 3,
            BinOp::Or => 2,
        }
    }
}
