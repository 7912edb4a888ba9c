//! Expressions: a Pratt parser over Rust's precedence (`BinOp::precedence`), unary and postfix
//! operators, primaries, ranges, `if`/`if let`/`match`, `spawn` and array literals.

use super::{PResult, Parser, Recovered};
use crate::lang::ast::{BinOp, Block, Expr, ExprKind, MatchArm, Stmt, StmtKind, UnOp};
use crate::lang::lexer::{int_value, IntValue, Token, TokenKind};
use crate::source::{Diagnostic, Span};

/// The binary operator a token stands for, if any.
fn binop(kind: TokenKind) -> Option<BinOp> {
    use TokenKind as T;
    Some(match kind {
        T::Star => BinOp::Mul,
        T::Slash => BinOp::Div,
        T::Percent => BinOp::Rem,
        T::Plus => BinOp::Add,
        T::Minus => BinOp::Sub,
        T::Shl => BinOp::Shl,
        T::Shr => BinOp::Shr,
        T::And => BinOp::BitAnd,
        T::Caret => BinOp::BitXor,
        T::Or => BinOp::BitOr,
        T::EqEq => BinOp::Eq,
        T::Ne => BinOp::Ne,
        T::Lt => BinOp::Lt,
        T::Le => BinOp::Le,
        T::Gt => BinOp::Gt,
        T::Ge => BinOp::Ge,
        T::AndAnd => BinOp::And,
        T::OrOr => BinOp::Or,
        _ => return None,
    })
}

pub(crate) fn is_comparison(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
    )
}

/// Expressions that end a statement at their closing `}` (no `;` needed), as in Rust.
pub(crate) fn is_block_like(kind: &ExprKind) -> bool {
    matches!(
        kind,
        ExprKind::If { .. } | ExprKind::IfLet { .. } | ExprKind::Match { .. } | ExprKind::Block(_)
    )
}

fn can_start_expr(kind: TokenKind) -> bool {
    use TokenKind as T;
    matches!(
        kind,
        T::Int
            | T::Str
            | T::True
            | T::False
            | T::Tid
            | T::Ident
            | T::OpenParen
            | T::OpenBracket
            | T::OpenBrace
            | T::If
            | T::Match
            | T::Spawn
            | T::Minus
            | T::Bang
    )
}

const MIN_INT: u64 = 1 << 63;

impl Parser<'_> {
    /// A full expression, ranges included.
    pub(crate) fn parse_expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let e = self.parse_bp(0).and_then(|lhs| self.finish_range(lhs));
        self.leave();
        e
    }

    /// Binary expressions whose operators bind at least as tightly as `min_prec`.
    fn parse_bp(&mut self, min_prec: u8) -> PResult<Expr> {
        let lhs = self.parse_unary()?;
        self.binary_rest(lhs, min_prec)
    }

    /// Continues a binary expression after its first operand. Left-associative chains are built
    /// in a loop; each link deepens the tree, so it counts as one level of nesting.
    pub(crate) fn binary_rest(&mut self, mut lhs: Expr, min_prec: u8) -> PResult<Expr> {
        let mut links = 0;
        // The comparison that produced `lhs` in this loop: comparisons do not chain in Rust.
        let mut last_cmp: Option<(BinOp, Span)> = None;
        let result = loop {
            let t = self.tok();
            let Some(op) = binop(t.kind) else {
                break Ok(lhs);
            };
            let prec = op.precedence();
            if prec < min_prec {
                break Ok(lhs);
            }
            self.bump();
            if let Err(r) = self.enter() {
                break Err(r);
            }
            links += 1;
            let rhs = match self.parse_bp(prec + 1) {
                Ok(rhs) => rhs,
                Err(r) => break Err(r),
            };
            if is_comparison(op) {
                if let Some((first, first_span)) = last_cmp {
                    self.chained_comparison(&lhs, first, first_span, op, t.span, &rhs);
                }
                last_cmp = Some((op, t.span));
            } else {
                last_cmp = None;
            }
            lhs = Expr {
                span: lhs.span.to(rhs.span),
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
            };
        };
        self.leave_n(links);
        result
    }

    fn chained_comparison(
        &mut self,
        lhs: &Expr,
        first: BinOp,
        first_span: Span,
        second: BinOp,
        second_span: Span,
        rhs: &Expr,
    ) {
        let mut d = Diagnostic::error(second_span, "comparison operators cannot be chained")
            .with_label("second comparison")
            .with_note(first_span, "first comparison");
        let (a, b) = match &lhs.kind {
            ExprKind::Binary(_, a, b) => (self.text(a.span), self.text(b.span)),
            _ => ("", ""),
        };
        let c = self.text(rhs.span);
        let short = [a, b, c].iter().all(|s| !s.is_empty() && s.len() <= 30 && !s.contains('\n'));
        let ordering = |op| matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge);
        d = if !short {
            d.with_help("use parentheses to group the comparisons")
        } else if ordering(first) && ordering(second) {
            d.with_help(format!(
                "split the comparison into two: `{a} {} {b} && {b} {} {c}`",
                first.as_str(),
                second.as_str()
            ))
        } else {
            d.with_help(format!(
                "use parentheses to group the comparisons: `({a} {} {b}) {} {c}`",
                first.as_str(),
                second.as_str()
            ))
        };
        self.error(d);
    }

    /// `lo..hi` / `lo..=hi`, if a range operator follows `lo`. Ranges bind loosest of all.
    pub(crate) fn finish_range(&mut self, lo: Expr) -> PResult<Expr> {
        let inclusive = match self.tok().kind {
            TokenKind::DotDot => false,
            TokenKind::DotDotEq => true,
            _ => return Ok(lo),
        };
        self.bump();
        if !can_start_expr(self.tok().kind) {
            let d = self
                .expected("expression")
                .with_help("a range needs both ends: `a..b` or `a..=b`");
            self.error_at_tok(d);
            return Err(Recovered);
        }
        let hi = self.parse_bp(0)?;
        Ok(Expr {
            span: lo.span.to(hi.span),
            kind: ExprKind::Range {
                lo: Box::new(lo),
                hi: Box::new(hi),
                inclusive,
            },
        })
    }

    /// Prefix `-` and `!`, then a postfix expression. `-9223372036854775808` is read as the
    /// literal `i64::MIN` (the digits alone do not fit an `int`), as rustc does.
    pub(crate) fn parse_unary(&mut self) -> PResult<Expr> {
        let t = self.tok();
        let op = match t.kind {
            TokenKind::Minus => UnOp::Neg,
            TokenKind::Bang => UnOp::Not,
            _ => return self.parse_postfix(),
        };
        self.enter()?;
        let e = self.parse_unary_op(t, op);
        self.leave();
        e
    }

    fn parse_unary_op(&mut self, t: Token, op: UnOp) -> PResult<Expr> {
        self.bump();
        if op == UnOp::Neg && self.at(TokenKind::Int) {
            let lit = self.tok();
            let postfix = matches!(self.nth(1), TokenKind::Dot | TokenKind::OpenBracket);
            if !postfix && int_value(self.text(lit.span)) == IntValue::Value(MIN_INT) {
                self.bump();
                return Ok(Expr {
                    kind: ExprKind::Int(i64::MIN),
                    span: t.span.to(lit.span),
                });
            }
        }
        let operand = self.parse_unary()?;
        Ok(Expr {
            span: t.span.to(operand.span),
            kind: ExprKind::Unary(op, Box::new(operand)),
        })
    }

    fn parse_postfix(&mut self) -> PResult<Expr> {
        let e = self.parse_primary()?;
        self.postfix_rest(e)
    }

    /// Method calls `.m(args)` and indexing `[i]` after `e`; each link counts as one level.
    pub(crate) fn postfix_rest(&mut self, mut e: Expr) -> PResult<Expr> {
        let mut links = 0;
        let result = loop {
            let t = self.tok();
            if !matches!(t.kind, TokenKind::Dot | TokenKind::OpenBracket) {
                break Ok(e);
            }
            if let Err(r) = self.enter() {
                break Err(r);
            }
            links += 1;
            match self.postfix_one(e, t) {
                Ok(next) => e = next,
                Err(r) => break Err(r),
            }
        };
        self.leave_n(links);
        result
    }

    fn postfix_one(&mut self, base: Expr, t: Token) -> PResult<Expr> {
        self.bump();
        if t.kind == TokenKind::OpenBracket {
            let index = self.parse_expr()?;
            self.expect_close(TokenKind::CloseBracket, t.span)?;
            return Ok(Expr {
                span: self.span_from(base.span.lo),
                kind: ExprKind::Index(Box::new(base), Box::new(index)),
            });
        }
        let name = self.tok();
        if name.kind != TokenKind::Ident {
            return self.fail("method name");
        }
        self.bump();
        let method = self.ident(name);
        if !self.at(TokenKind::OpenParen) {
            let d = Diagnostic::error(
                method.span,
                format!("fields are not supported: `.{}` must be a method call", method.name),
            )
            .with_label("not a method call")
            .with_help(format!("call it: `.{}()`", method.name));
            self.error_at_tok(d);
            return Err(Recovered);
        }
        let open = self.bump().span;
        let args = self.parse_args(open)?;
        Ok(Expr {
            span: self.span_from(base.span.lo),
            kind: ExprKind::MethodCall {
                receiver: Box::new(base),
                method,
                args,
            },
        })
    }

    /// Arguments after an opening `(` up to and including the `)`; a trailing comma is allowed.
    pub(crate) fn parse_args(&mut self, open: Span) -> PResult<Vec<Expr>> {
        let mut args = Vec::new();
        while !self.at(TokenKind::CloseParen) {
            args.push(self.parse_expr()?);
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        self.expect_close(TokenKind::CloseParen, open)?;
        Ok(args)
    }

    /// The value of an integer literal token, reporting one that does not fit an `int`.
    /// `None` for a literal that is too large or malformed (the lexer reported the latter).
    pub(crate) fn int_literal(&mut self, tok: Token, negated: bool) -> Option<i64> {
        match int_value(self.text(tok.span)) {
            IntValue::Value(v) if v < MIN_INT => Some(if negated { -(v as i64) } else { v as i64 }),
            IntValue::Value(MIN_INT) if negated => Some(i64::MIN),
            IntValue::Invalid => None,
            IntValue::Value(_) | IntValue::Overflow => {
                self.error(
                    Diagnostic::error(tok.span, "integer literal is too large")
                        .with_label("does not fit in an `int`")
                        .with_help(
                            "an `int` is a 64-bit signed integer: \
                             -9223372036854775808..=9223372036854775807",
                        ),
                );
                None
            }
        }
    }

    pub(crate) fn parse_primary(&mut self) -> PResult<Expr> {
        let t = self.tok();
        let kind = match t.kind {
            TokenKind::Int => {
                self.bump();
                self.int_literal(t, false)
                    .map_or(ExprKind::Error, ExprKind::Int)
            }
            TokenKind::True | TokenKind::False => {
                self.bump();
                ExprKind::Bool(t.kind == TokenKind::True)
            }
            TokenKind::Tid => {
                self.bump();
                ExprKind::Tid
            }
            TokenKind::Ident => return self.parse_name(t),
            TokenKind::OpenParen => {
                self.bump();
                let inner = self.parse_expr()?;
                if self.at(TokenKind::Comma) {
                    let d = Diagnostic::error(self.tok().span, "tuples are not supported")
                        .with_label("expected `)`")
                        .with_note(t.span, "this parenthesis holds one expression");
                    self.error_at_tok(d);
                    return Err(Recovered);
                }
                self.expect_close(TokenKind::CloseParen, t.span)?;
                inner.kind
            }
            TokenKind::OpenBracket => self.parse_array(t)?,
            TokenKind::OpenBrace => ExprKind::Block(self.parse_block()?),
            TokenKind::If => return self.parse_if(),
            TokenKind::Match => return self.parse_match(),
            TokenKind::Spawn => {
                self.bump();
                if !self.at(TokenKind::OpenBrace) {
                    let d = self
                        .expected("`{`")
                        .with_help("`spawn` takes a block: `let h = spawn { .. };`");
                    self.error_at_tok(d);
                    return Err(Recovered);
                }
                ExprKind::Spawn(self.parse_block()?)
            }
            TokenKind::Str => {
                self.bump();
                self.error_at_tok(
                    Diagnostic::error(t.span, "unexpected string literal")
                        .with_label("strings are only messages")
                        .with_help(
                            "a string literal can only be the last argument of a check macro: \
                             `assert!(c, \"why\")`",
                        ),
                );
                ExprKind::Error
            }
            TokenKind::Loop | TokenKind::While | TokenKind::For => {
                let d = self
                    .expected("expression")
                    .with_help("`loop`, `while` and `for` are statements in models: they have no value");
                self.error_at_tok(d);
                return Err(Recovered);
            }
            _ => return self.fail("expression"),
        };
        Ok(Expr {
            kind,
            span: self.span_from(t.span.lo),
        })
    }

    /// A name, a path (`Ordering::SeqCst`), or a call `f(args)`.
    fn parse_name(&mut self, t: Token) -> PResult<Expr> {
        self.bump();
        let name = self.ident(t);
        let kind = if self.at(TokenKind::PathSep) {
            let mut segments = vec![name];
            while self.eat(TokenKind::PathSep) {
                let seg = self.expect_ident("identifier")?;
                segments.push(self.ident(seg));
            }
            if self.at(TokenKind::OpenParen) {
                let last = segments.last().map_or("", |s| s.name.as_str());
                let d = Diagnostic::error(self.span_from(t.span.lo), "function paths are not supported")
                    .with_label("a path")
                    .with_help(format!("call the function by its name: `{last}(..)`"));
                self.error_at_tok(d);
                return Err(Recovered);
            }
            ExprKind::Path(segments)
        } else if self.at(TokenKind::OpenParen) {
            let open = self.bump().span;
            let args = self.parse_args(open)?;
            ExprKind::Call { func: name, args }
        } else if self.at(TokenKind::Bang) {
            let d = Diagnostic::error(
                t.span.to(self.tok().span),
                format!("`{}!` can only be used as a statement", name.name),
            )
            .with_label("macro call in an expression")
            .with_help("check macros are statements in models: `assert!(c);`");
            self.error_at_tok(d);
            return Err(Recovered);
        } else if name.name == "_" && !self.at(TokenKind::Eq) {
            self.error(
                Diagnostic::error(
                    t.span,
                    "in expressions, `_` can only be used on the left-hand side of an assignment",
                )
                .with_label("`_` not allowed here"),
            );
            ExprKind::Error
        } else {
            ExprKind::Name(name.name)
        };
        Ok(Expr {
            kind,
            span: self.span_from(t.span.lo),
        })
    }

    /// `[]`, `[a, b, c]` or `[v; n]` (after checking the current token is `[`).
    fn parse_array(&mut self, open: Token) -> PResult<ExprKind> {
        self.bump();
        if self.eat(TokenKind::CloseBracket) {
            return Ok(ExprKind::ArrayList(Vec::new()));
        }
        let first = self.parse_expr()?;
        if self.eat(TokenKind::Semi) {
            let len = self.parse_expr()?;
            self.expect_close(TokenKind::CloseBracket, open.span)?;
            return Ok(ExprKind::ArrayRepeat(Box::new(first), Box::new(len)));
        }
        let mut items = vec![first];
        while self.eat(TokenKind::Comma) {
            if self.at(TokenKind::CloseBracket) {
                break;
            }
            items.push(self.parse_expr()?);
        }
        self.expect_close(TokenKind::CloseBracket, open.span)?;
        Ok(ExprKind::ArrayList(items))
    }

    /// `if c { } [else ..]` and `if let P = e { } [else ..]`; an `else if` chain nests, so each
    /// `if` counts as one level.
    pub(crate) fn parse_if(&mut self) -> PResult<Expr> {
        self.enter()?;
        let e = self.parse_if_inner();
        self.leave();
        e
    }

    fn parse_if_inner(&mut self) -> PResult<Expr> {
        let start = self.bump().span.lo;
        let kind = if self.eat(TokenKind::Let) {
            let pat = self.parse_pattern()?;
            self.expect_let_eq()?;
            let expr = self.parse_expr()?;
            let then = self.parse_cond_block()?;
            let els = self.parse_else()?;
            ExprKind::IfLet {
                pat,
                expr: Box::new(expr),
                then,
                els,
            }
        } else {
            let cond = self.parse_expr()?;
            let then = self.parse_cond_block()?;
            let els = self.parse_else()?;
            ExprKind::If {
                cond: Box::new(cond),
                then,
                els,
            }
        };
        Ok(Expr {
            kind,
            span: self.span_from(start),
        })
    }

    /// The `=` of `if let` / `while let`.
    pub(crate) fn expect_let_eq(&mut self) -> PResult<()> {
        if self.eat(TokenKind::Eq) {
            return Ok(());
        }
        let d = self
            .expected("`=`")
            .with_help("`if let` and `while let` take a pattern, `=` and a value: `if let Some(v) = e`");
        self.error_at_tok(d);
        Err(Recovered)
    }

    /// The block after an `if` or `while` condition, with a hint for `if x = 1 {`.
    pub(crate) fn parse_cond_block(&mut self) -> PResult<Block> {
        if self.at(TokenKind::Eq) {
            let d = self
                .expected("`{`")
                .with_help("to compare for equality, use `==`");
            self.error_at_tok(d);
            return Err(Recovered);
        }
        self.parse_block()
    }

    fn parse_else(&mut self) -> PResult<Option<Box<Expr>>> {
        if !self.eat(TokenKind::Else) {
            return Ok(None);
        }
        match self.tok().kind {
            TokenKind::If => Ok(Some(Box::new(self.parse_if()?))),
            TokenKind::OpenBrace => {
                let block = self.parse_block()?;
                Ok(Some(Box::new(Expr {
                    span: block.span,
                    kind: ExprKind::Block(block),
                })))
            }
            _ => self.fail("`{` or `if`"),
        }
    }

    /// `match e { PAT => expr, PAT => { .. } }`
    fn parse_match(&mut self) -> PResult<Expr> {
        let start = self.bump().span.lo;
        let scrutinee = self.parse_expr()?;
        if !self.at(TokenKind::OpenBrace) {
            return self.fail("`{`");
        }
        let open = self.bump().span;
        let mut arms = Vec::new();
        loop {
            if self.eat(TokenKind::CloseBrace) {
                break;
            }
            if self.at(TokenKind::Eof) {
                self.unclosed(open);
                return Err(Recovered);
            }
            let arm_start = self.tok().span.lo;
            let pat = self.parse_pattern()?;
            if !self.at(TokenKind::FatArrow) {
                let mut d = self.expected("`=>`");
                if self.at(TokenKind::If) {
                    d = d.with_help("match guards are not supported: test the condition inside the arm");
                } else if self.at(TokenKind::Or) {
                    d = d.with_help("or-patterns are not supported: write one arm per pattern");
                }
                self.error_at_tok(d);
                return Err(Recovered);
            }
            self.bump();
            let (body, block_like) = self.parse_stmt_like_expr(true)?;
            arms.push(MatchArm {
                pat,
                body,
                span: self.span_from(arm_start),
            });
            if self.eat(TokenKind::Comma) || self.at(TokenKind::CloseBrace) || block_like {
                continue;
            }
            let t = self.tok();
            let at = Span {
                lo: self.prev_hi(),
                hi: self.prev_hi(),
            };
            self.error_at_tok(
                Diagnostic::error(at, "expected `,` following `match` arm")
                    .with_label("missing a comma here to end this `match` arm")
                    .with_note(t.span, "unexpected token"),
            );
            if !self.newline_before_tok() {
                return Err(Recovered);
            }
        }
        Ok(Expr {
            kind: ExprKind::Match {
                scrutinee: Box::new(scrutinee),
                arms,
            },
            span: self.span_from(start),
        })
    }

    /// An expression in statement position or as a `match` arm body. A block-like expression
    /// (`if`, `match`, a block) ends there unless a method call follows, as in Rust; the flag
    /// says whether it ended that way. In an arm, `break`, `continue` and `return` are accepted
    /// and wrapped in a block (`None => break,` means `None => { break; }`).
    pub(crate) fn parse_stmt_like_expr(&mut self, arm: bool) -> PResult<(Expr, bool)> {
        let t = self.tok();
        match t.kind {
            TokenKind::OpenBrace | TokenKind::If | TokenKind::Match => {
                let e = self.parse_primary()?;
                if !self.at(TokenKind::Dot) {
                    return Ok((e, true));
                }
                let e = self.postfix_rest(e)?;
                let e = self.binary_rest(e, 0)?;
                Ok((self.finish_range(e)?, false))
            }
            TokenKind::Break | TokenKind::Continue | TokenKind::Return if arm => {
                self.bump();
                let kind = match t.kind {
                    TokenKind::Break => StmtKind::Break,
                    TokenKind::Continue => StmtKind::Continue,
                    _ if matches!(self.tok().kind, TokenKind::Comma | TokenKind::CloseBrace) => {
                        StmtKind::Return(None)
                    }
                    _ => StmtKind::Return(Some(self.parse_expr()?)),
                };
                let span = self.span_from(t.span.lo);
                let block = Block {
                    stmts: vec![Stmt { kind, span }],
                    tail: None,
                    span,
                };
                Ok((
                    Expr {
                        kind: ExprKind::Block(block),
                        span,
                    },
                    false,
                ))
            }
            _ => Ok((self.parse_expr()?, false)),
        }
    }
}
