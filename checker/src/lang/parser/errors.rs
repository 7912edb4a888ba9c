//! The syntax-error catalogue: every parser diagnostic is built here, in rustc's wording.
//!
//! Each builder is a separate cold, never-inlined function. Besides keeping the wording in one
//! place, this keeps diagnostic temporaries out of the stack frames of the recursive grammar
//! functions: in a debug build every temporary gets its own stack slot, and those frames are
//! repeated once per nesting level.

use super::{PResult, Parser, Recovered};
use crate::lang::ast::{BinOp, Expr, ExprKind};
use crate::lang::token::{Token, TokenKind};
use crate::source::{similar_name, Diagnostic, Span};

use super::stmts::MACROS;

impl Parser<'_> {
    /// "expected {what}, found {current token}", pointing at the current token.
    pub(crate) fn expected(&mut self, what: &str) -> Diagnostic {
        let t = self.tok();
        let found = self.describe(t);
        Diagnostic::error(t.span, format!("expected {what}, found {found}"))
            .with_label(format!("expected {what}"))
    }

    /// Reports `expected {what}` and asks the caller to recover.
    #[cold]
    #[inline(never)]
    pub(crate) fn fail<T>(&mut self, what: &str) -> PResult<T> {
        let d = self.expected(what);
        self.error_at_tok(d);
        Err(Recovered)
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn fail_token<T>(&mut self, kind: TokenKind) -> PResult<T> {
        self.fail(&format!("`{}`", kind.text()))
    }

    /// Reports `expected {what}` with a `help:` line and asks the caller to recover.
    #[cold]
    #[inline(never)]
    pub(crate) fn fail_help<T>(&mut self, what: &str, help: &str) -> PResult<T> {
        let d = self.expected(what).with_help(help);
        self.error_at_tok(d);
        Err(Recovered)
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn fail_close<T>(&mut self, close: TokenKind, open: Span) -> PResult<T> {
        let t = self.tok();
        match t.kind {
            TokenKind::Eof => self.unclosed(open),
            TokenKind::CloseBrace | TokenKind::CloseParen | TokenKind::CloseBracket => {
                self.error_at_tok(
                    Diagnostic::error(
                        t.span,
                        format!("mismatched closing delimiter: `{}`", t.kind.text()),
                    )
                    .with_label("mismatched closing delimiter")
                    .with_note(open, "unclosed delimiter")
                    .with_help(format!("close it with `{}`", close.text())),
                );
            }
            _ => {
                let what = match close {
                    TokenKind::CloseParen => "`,` or `)`",
                    TokenKind::CloseBracket => "`,` or `]`",
                    _ => "`}`",
                };
                let d = self.expected(what);
                self.error_at_tok(d);
            }
        }
        Err(Recovered)
    }

    /// Reports that the delimiter opened at `open` is never closed. Reported once per file (at
    /// the end, as rustc does); each further unclosed delimiter becomes a note on that error.
    #[cold]
    #[inline(never)]
    pub(crate) fn unclosed(&mut self, open: Span) {
        if self.diags.stopped() {
            return;
        }
        match self.unclosed {
            Some(index) => self.diags.add_note(index, open, "unclosed delimiter"),
            None => {
                let end = Span::new(self.src.len(), self.src.len());
                let input = self.input_name();
                self.unclosed = self.diags.error(
                    Diagnostic::error(end, format!("this {input} contains an unclosed delimiter"))
                        .with_label(format!("the {input} ends here"))
                        .with_note(open, "unclosed delimiter"),
                );
            }
        }
    }

    /// Reports a missing `;` (pointing just after the previous token). Returns `Ok` when parsing
    /// can go on as if it were there: the next token starts a new line.
    #[cold]
    #[inline(never)]
    pub(crate) fn missing_semi(&mut self) -> PResult<()> {
        let t = self.tok();
        let found = self.describe(t);
        let at = Span {
            lo: self.prev_hi,
            hi: self.prev_hi,
        };
        self.error_at_tok(
            Diagnostic::error(at, format!("expected `;`, found {found}"))
                .with_label("expected `;`")
                .with_note(t.span, "unexpected token")
                .with_help("add `;` here"),
        );
        if self.newline_before_tok() {
            Ok(())
        } else {
            Err(Recovered)
        }
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn missing_arm_comma(&mut self) -> PResult<()> {
        let t = self.tok();
        let at = Span {
            lo: self.prev_hi,
            hi: self.prev_hi,
        };
        self.error_at_tok(
            Diagnostic::error(at, "expected `,` following `match` arm")
                .with_label("missing a comma here to end this `match` arm")
                .with_note(t.span, "unexpected token"),
        );
        if self.newline_before_tok() {
            Ok(())
        } else {
            Err(Recovered)
        }
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn too_deep(&mut self) -> Recovered {
        let span = self.tok().span;
        self.diags.fatal(
            Diagnostic::error(
                span,
                format!(
                    "expression nested too deeply (more than {} levels)",
                    super::MAX_NESTING
                ),
            )
            .with_label("nesting limit reached here")
            .with_help("split the expression using `let` bindings or helper functions"),
        );
        Recovered
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn unexpected_closing(&mut self, t: Token) {
        self.error_at_tok(
            Diagnostic::error(
                t.span,
                format!("unexpected closing delimiter: `{}`", t.kind.text()),
            )
            .with_label("unexpected closing delimiter"),
        );
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn expected_item(&mut self, tok: Token) {
        let mut d = self.expected("item");
        let statements = "statements must be inside a `thread`, `fn` or `final` block";
        match tok.kind {
            TokenKind::Ident => {
                d = match self.text(tok.span) {
                    "const" => {
                        d.with_help("declare shared state with `static`: `static X: int = 0;`")
                    }
                    "use" => d.with_help(
                        "there are no imports in models: the `std::sync` types are built in",
                    ),
                    "pub" => d.with_help("items have no visibility in models: remove `pub`"),
                    "struct" | "enum" | "impl" | "trait" | "type" | "mod" => {
                        d.with_help("models are made of `static`, `thread`, `fn` and `final` items")
                    }
                    _ => d.with_help(statements),
                }
            }
            TokenKind::Let
            | TokenKind::If
            | TokenKind::While
            | TokenKind::Loop
            | TokenKind::For
            | TokenKind::Match
            | TokenKind::Return
            | TokenKind::Break
            | TokenKind::Continue
            | TokenKind::Spawn => d = d.with_help(statements),
            TokenKind::Other if self.text(tok.span) == "#" => {
                d = d.with_help("attributes are not supported in models")
            }
            _ => {}
        }
        self.error_at_tok(d);
    }

    /// An item keyword inside a block: the block was never closed.
    #[cold]
    #[inline(never)]
    pub(crate) fn item_in_block(&mut self, open: Span) {
        let kind = self.tok().kind;
        let d = self
            .expected("`}`")
            .with_note(open, "unclosed delimiter")
            .with_help(format!(
                "items cannot be nested: close the block with `}}` before this `{}`",
                kind.text()
            ));
        self.error_at_tok(d);
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn missing_static_type<T>(&mut self, name: &str, span: Span) -> PResult<T> {
        let d = Diagnostic::error(span, "missing type for `static` item")
            .with_label("the type goes after the name")
            .with_help(format!(
                "provide a type: `static {name}: int = 0;` or `static {name}: AtomicInt = 0;`"
            ));
        self.error_at_tok(d);
        Err(Recovered)
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn missing_param_type<T>(&mut self, name: &str) -> PResult<T> {
        let d = self
            .expected("`:`")
            .with_help(format!("parameters need a type: `{name}: int`"));
        self.error_at_tok(d);
        Err(Recovered)
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn let_without_init<T>(&mut self, name: &str) -> PResult<T> {
        let mut d = self.expected("`=`");
        if self.at(TokenKind::Semi) {
            d = d.with_help(format!(
                "a `let` needs an initial value, which also gives the local its type: \
                 `let {name} = 0;`"
            ));
        }
        self.error_at_tok(d);
        Err(Recovered)
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn integer_too_large(&mut self, span: Span) {
        self.error(
            Diagnostic::error(span, "integer literal is too large")
                .with_label("does not fit in an `int`")
                .with_help(
                    "an `int` is a 64-bit signed integer: -9223372036854775808..=9223372036854775807",
                ),
        );
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn chained_comparison(
        &mut self,
        lhs: &Expr,
        first: (BinOp, Span),
        second: (BinOp, Span),
        rhs: &Expr,
    ) {
        let mut d = Diagnostic::error(second.1, "comparison operators cannot be chained")
            .with_label("second comparison")
            .with_note(first.1, "first comparison");
        let (a, b) = match &lhs.kind {
            ExprKind::Binary(_, a, b) => (self.text(a.span), self.text(b.span)),
            _ => ("", ""),
        };
        let c = self.text(rhs.span);
        let short = [a, b, c]
            .iter()
            .all(|s| !s.is_empty() && s.len() <= 30 && !s.contains('\n'));
        let ordering = |op| matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge);
        let (op1, op2) = (first.0.as_str(), second.0.as_str());
        d = if !short {
            d.with_help("use parentheses to group the comparisons")
        } else if ordering(first.0) && ordering(second.0) {
            d.with_help(format!(
                "split the comparison into two: `{a} {op1} {b} && {b} {op2} {c}`"
            ))
        } else {
            d.with_help(format!(
                "use parentheses to group the comparisons: `({a} {op1} {b}) {op2} {c}`"
            ))
        };
        self.error(d);
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn field_access<T>(&mut self, method: &str, span: Span) -> PResult<T> {
        let d = Diagnostic::error(
            span,
            format!("fields are not supported: `.{method}` must be a method call"),
        )
        .with_label("not a method call")
        .with_help(format!("call it: `.{method}()`"));
        self.error_at_tok(d);
        Err(Recovered)
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn tuple<T>(&mut self, open: Span) -> PResult<T> {
        let d = Diagnostic::error(self.tok().span, "tuples are not supported")
            .with_label("expected `)`")
            .with_note(open, "this parenthesis holds one expression");
        self.error_at_tok(d);
        Err(Recovered)
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn unexpected_string(&mut self, span: Span) {
        self.error_at_tok(
            Diagnostic::error(span, "unexpected string literal")
                .with_label("strings are only messages")
                .with_help(
                    "a string literal can only be the last argument of a check macro: \
                     `assert!(c, \"why\")`",
                ),
        );
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn expected_expression<T>(&mut self) -> PResult<T> {
        match self.tok().kind {
            TokenKind::Loop | TokenKind::While | TokenKind::For => self.fail_help(
                "expression",
                "`loop`, `while` and `for` are statements in models: they have no value",
            ),
            _ => self.fail("expression"),
        }
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn function_path<T>(&mut self, span: Span, last: &str) -> PResult<T> {
        let d = Diagnostic::error(span, "function paths are not supported")
            .with_label("a path")
            .with_help(format!("call the function by its name: `{last}(..)`"));
        self.error_at_tok(d);
        Err(Recovered)
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn macro_in_expr<T>(&mut self, name: &str, span: Span) -> PResult<T> {
        let d = Diagnostic::error(span, format!("`{name}!` can only be used as a statement"))
            .with_label("macro call in an expression")
            .with_help("check macros are statements in models: `assert!(c);`");
        self.error_at_tok(d);
        Err(Recovered)
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn underscore_expr(&mut self, span: Span) {
        self.error(
            Diagnostic::error(
                span,
                "in expressions, `_` can only be used on the left-hand side of an assignment",
            )
            .with_label("`_` not allowed here"),
        );
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn expected_arrow<T>(&mut self) -> PResult<T> {
        let mut d = self.expected("`=>`");
        if self.at(TokenKind::If) {
            d = d.with_help("match guards are not supported: test the condition inside the arm");
        } else if self.at(TokenKind::Or) {
            d = d.with_help("or-patterns are not supported: write one arm per pattern");
        }
        self.error_at_tok(d);
        Err(Recovered)
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn for_without_range(&mut self, span: Span) {
        self.error(
            Diagnostic::error(span, "`for` loops iterate over a range of integers")
                .with_label("expected a range `a..b` or `a..=b`")
                .with_help(
                    "to visit an array, loop over its indices: `for i in 0..N { .. A[i] .. }`",
                ),
        );
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn unknown_macro(&mut self, name: &str, span: Span) {
        let d = Diagnostic::error(span, format!("cannot find macro `{name}` in this scope"))
            .with_label("unknown macro");
        let d = match similar_name(name, MACROS) {
            Some(similar) => {
                d.with_help(format!("a macro with a similar name exists: `{similar}`"))
            }
            None => d.with_help(
                "the macros are `assert!`, `assert_eq!`, `assert_ne!`, `assume!`, `panic!` \
                 and `unreachable!`",
            ),
        };
        self.error(d);
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn format_arguments<T>(&mut self) -> PResult<T> {
        let d = Diagnostic::error(self.tok().span, "format arguments are not supported")
            .with_label("unexpected argument")
            .with_help("the message must be the last argument, a plain string literal");
        self.error_at_tok(d);
        Err(Recovered)
    }
}
