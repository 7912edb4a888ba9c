//! Expressions: a Pratt parser over Rust's precedence (`BinOp::precedence`), unary and postfix
//! operators, primaries, ranges, `if`/`if let`, `spawn` and array literals (`match` is in
//! `arms.rs`).
//!
//! These functions recurse once per nesting level, so they are kept lean: each `match` arm
//! delegates to a function returning the same type, and diagnostics are built in `errors.rs`.

use super::{PResult, Parser};
use crate::lang::ast::{BinOp, Block, Expr, ExprKind, UnOp};
use crate::lang::token::{int_value, is_terminated_string, IntValue, Token, TokenKind};
use crate::source::Span;

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

fn expr(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

impl Parser<'_> {
    /// A full expression, ranges included.
    pub(crate) fn parse_expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let e = self.parse_expr_inner();
        self.leave();
        e
    }

    fn parse_expr_inner(&mut self) -> PResult<Expr> {
        let lhs = self.parse_bp(0)?;
        self.finish_range(lhs)
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
                if let Some(first) = last_cmp {
                    self.chained_comparison(&lhs, first, (op, t.span), &rhs);
                }
                last_cmp = Some((op, t.span));
            } else {
                last_cmp = None;
            }
            let span = lhs.span.to(rhs.span);
            lhs = expr(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span);
        };
        self.leave_n(links);
        result
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
            return self.fail_help("expression", "a range needs both ends: `a..b` or `a..=b`");
        }
        let hi = self.parse_bp(0)?;
        let span = lo.span.to(hi.span);
        Ok(expr(
            ExprKind::Range {
                lo: Box::new(lo),
                hi: Box::new(hi),
                inclusive,
            },
            span,
        ))
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
                return Ok(expr(ExprKind::Int(i64::MIN), t.span.to(lit.span)));
            }
        }
        let operand = self.parse_unary()?;
        let span = t.span.to(operand.span);
        Ok(expr(ExprKind::Unary(op, Box::new(operand)), span))
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
            self.bump();
            let next = if t.kind == TokenKind::OpenBracket {
                self.parse_index(e, t.span)
            } else {
                self.parse_method_call(e)
            };
            match next {
                Ok(next) => e = next,
                Err(r) => break Err(r),
            }
        };
        self.leave_n(links);
        result
    }

    /// After `base[`.
    fn parse_index(&mut self, base: Expr, open: Span) -> PResult<Expr> {
        let index = self.parse_expr()?;
        self.expect_close(TokenKind::CloseBracket, open)?;
        let span = self.span_from(base.span.lo);
        Ok(expr(ExprKind::Index(Box::new(base), Box::new(index)), span))
    }

    /// After `receiver.`.
    fn parse_method_call(&mut self, receiver: Expr) -> PResult<Expr> {
        let name = self.tok();
        if name.kind != TokenKind::Ident {
            return self.fail("method name");
        }
        self.bump();
        let method = self.ident(name);
        if !self.at(TokenKind::OpenParen) {
            return self.field_access(&method.name, method.span);
        }
        let open = self.bump().span;
        let args = self.parse_args(open)?;
        let span = self.span_from(receiver.span.lo);
        Ok(expr(
            ExprKind::MethodCall {
                receiver: Box::new(receiver),
                method,
                args,
            },
            span,
        ))
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
            IntValue::Value(v) if v < MIN_INT => {
                let v = v as i64;
                Some(if negated { -v } else { v })
            }
            IntValue::Value(MIN_INT) if negated => Some(i64::MIN),
            IntValue::Invalid => None,
            IntValue::Value(_) | IntValue::Overflow => {
                self.integer_too_large(tok.span);
                None
            }
        }
    }

    pub(crate) fn parse_primary(&mut self) -> PResult<Expr> {
        let t = self.tok();
        match t.kind {
            TokenKind::Int => {
                self.bump();
                let value = self.int_literal(t, false);
                Ok(expr(value.map_or(ExprKind::Error, ExprKind::Int), t.span))
            }
            TokenKind::True | TokenKind::False => {
                self.bump();
                Ok(expr(ExprKind::Bool(t.kind == TokenKind::True), t.span))
            }
            TokenKind::Tid => {
                self.bump();
                Ok(expr(ExprKind::Tid, t.span))
            }
            TokenKind::Ident => self.parse_name(t),
            TokenKind::OpenParen => self.parse_paren(t),
            TokenKind::OpenBracket => self.parse_array(t),
            TokenKind::OpenBrace => self.parse_block_expr(),
            TokenKind::If => self.parse_if(),
            TokenKind::Match => self.parse_match(),
            TokenKind::Spawn => self.parse_spawn(t),
            TokenKind::Str => {
                self.bump();
                // An unterminated string was reported by the lexer already.
                if is_terminated_string(self.text(t.span)) {
                    self.unexpected_string(t.span);
                }
                Ok(expr(ExprKind::Error, t.span))
            }
            _ => self.expected_expression(),
        }
    }

    /// `( expr )`: the parentheses leave no node, but the span covers them.
    fn parse_paren(&mut self, open: Token) -> PResult<Expr> {
        self.bump();
        let inner = self.parse_expr()?;
        if self.at(TokenKind::Comma) {
            return self.tuple(open.span);
        }
        self.expect_close(TokenKind::CloseParen, open.span)?;
        Ok(expr(inner.kind, self.span_from(open.span.lo)))
    }

    fn parse_block_expr(&mut self) -> PResult<Expr> {
        let block = self.parse_block()?;
        let span = block.span;
        Ok(expr(ExprKind::Block(block), span))
    }

    fn parse_spawn(&mut self, t: Token) -> PResult<Expr> {
        self.bump();
        if !self.at(TokenKind::OpenBrace) {
            return self.fail_help("`{`", "`spawn` takes a block: `let h = spawn { .. };`");
        }
        let block = self.parse_block()?;
        Ok(expr(ExprKind::Spawn(block), self.span_from(t.span.lo)))
    }

    /// A name, a path (`Ordering::SeqCst`), or a call `f(args)`.
    fn parse_name(&mut self, t: Token) -> PResult<Expr> {
        self.bump();
        match self.tok().kind {
            TokenKind::PathSep => self.parse_path(t),
            TokenKind::OpenParen => {
                let open = self.bump().span;
                let args = self.parse_args(open)?;
                let func = self.ident(t);
                Ok(expr(
                    ExprKind::Call { func, args },
                    self.span_from(t.span.lo),
                ))
            }
            TokenKind::Bang => {
                let span = t.span.to(self.tok().span);
                self.macro_in_expr(self.text(t.span), span)
            }
            _ => {
                let name = self.text(t.span);
                if name == "_" && !self.at(TokenKind::Eq) {
                    self.underscore_expr(t.span);
                    return Ok(expr(ExprKind::Error, t.span));
                }
                Ok(expr(ExprKind::Name(name.to_string()), t.span))
            }
        }
    }

    /// `A::B::C`, after `A`.
    fn parse_path(&mut self, first: Token) -> PResult<Expr> {
        let mut segments = vec![self.ident(first)];
        while self.eat(TokenKind::PathSep) {
            let seg = self.expect_ident("identifier")?;
            segments.push(self.ident(seg));
        }
        let span = self.span_from(first.span.lo);
        if self.at(TokenKind::OpenParen) {
            let last = segments.last().map_or("", |s| s.name.as_str());
            return self.function_path(span, last);
        }
        Ok(expr(ExprKind::Path(segments), span))
    }

    /// `[]`, `[a, b, c]` or `[v; n]`.
    fn parse_array(&mut self, open: Token) -> PResult<Expr> {
        self.bump();
        if self.eat(TokenKind::CloseBracket) {
            return Ok(expr(
                ExprKind::ArrayList(Vec::new()),
                self.span_from(open.span.lo),
            ));
        }
        let first = self.parse_expr()?;
        if self.eat(TokenKind::Semi) {
            let len = self.parse_expr()?;
            self.expect_close(TokenKind::CloseBracket, open.span)?;
            let kind = ExprKind::ArrayRepeat(Box::new(first), Box::new(len));
            return Ok(expr(kind, self.span_from(open.span.lo)));
        }
        let mut items = vec![first];
        while self.eat(TokenKind::Comma) {
            if self.at(TokenKind::CloseBracket) {
                break;
            }
            items.push(self.parse_expr()?);
        }
        self.expect_close(TokenKind::CloseBracket, open.span)?;
        Ok(expr(
            ExprKind::ArrayList(items),
            self.span_from(open.span.lo),
        ))
    }

    /// `if c { } [else ..]` and `if let P = e { } [else ..]`; an `else if` chain nests, so each
    /// `if` counts as one level.
    pub(crate) fn parse_if(&mut self) -> PResult<Expr> {
        self.enter()?;
        let start = self.bump().span.lo;
        let e = if self.eat(TokenKind::Let) {
            self.parse_if_let(start)
        } else {
            self.parse_if_cond(start)
        };
        self.leave();
        e
    }

    fn parse_if_cond(&mut self, start: u32) -> PResult<Expr> {
        let cond = self.parse_expr()?;
        let then = self.parse_cond_block()?;
        let els = self.parse_else()?;
        let kind = ExprKind::If {
            cond: Box::new(cond),
            then,
            els,
        };
        Ok(expr(kind, self.span_from(start)))
    }

    fn parse_if_let(&mut self, start: u32) -> PResult<Expr> {
        let pat = self.parse_pattern()?;
        self.expect_let_eq()?;
        let scrutinee = self.parse_expr()?;
        let then = self.parse_cond_block()?;
        let els = self.parse_else()?;
        let kind = ExprKind::IfLet {
            pat,
            expr: Box::new(scrutinee),
            then,
            els,
        };
        Ok(expr(kind, self.span_from(start)))
    }

    /// The `=` of `if let` / `while let`.
    pub(crate) fn expect_let_eq(&mut self) -> PResult<()> {
        if self.eat(TokenKind::Eq) {
            return Ok(());
        }
        self.fail_help(
            "`=`",
            "`if let` and `while let` take a pattern, `=` and a value: `if let Some(v) = e`",
        )
    }

    /// The block after an `if` or `while` condition, with a hint for `if x = 1 {`.
    pub(crate) fn parse_cond_block(&mut self) -> PResult<Block> {
        if self.at(TokenKind::Eq) {
            return self.fail_help("`{`", "to compare for equality, use `==`");
        }
        self.parse_block()
    }

    fn parse_else(&mut self) -> PResult<Option<Box<Expr>>> {
        if !self.eat(TokenKind::Else) {
            return Ok(None);
        }
        let els = match self.tok().kind {
            TokenKind::If => self.parse_if()?,
            TokenKind::OpenBrace => self.parse_block_expr()?,
            _ => return self.fail("`{` or `if`"),
        };
        Ok(Some(Box::new(els)))
    }
}
