//! Blocks and statements: `let`, assignments, loops, jumps, check macros, expression statements
//! and the block's tail expression.
//!
//! Like the expression functions, these recurse once per nesting level and are kept lean: each
//! kind of statement has its own function, and diagnostics are built in `errors.rs`.

use super::{PResult, Parser, Recovered};
use crate::lang::ast::{BinOp, Block, Expr, ExprKind, MacroCall, Stmt, StmtKind};
use crate::lang::token::{unescape, Token, TokenKind};
use crate::source::Span;

/// The check macros of the language.
pub const MACROS: [&str; 6] = [
    "assert",
    "assert_eq",
    "assert_ne",
    "assume",
    "panic",
    "unreachable",
];

/// What one step of a block produced: a statement, or the block's tail expression.
enum Parsed {
    Stmt(Stmt),
    Tail(Expr),
}

/// `Some(op)` for an assignment token: `None` for `=`, `Some(Add)` for `+=`, ...
pub(crate) fn assign_op(kind: TokenKind) -> Option<Option<BinOp>> {
    use TokenKind as T;
    Some(match kind {
        T::Eq => None,
        T::PlusEq => Some(BinOp::Add),
        T::MinusEq => Some(BinOp::Sub),
        T::StarEq => Some(BinOp::Mul),
        T::SlashEq => Some(BinOp::Div),
        T::PercentEq => Some(BinOp::Rem),
        T::AndEq => Some(BinOp::BitAnd),
        T::OrEq => Some(BinOp::BitOr),
        T::CaretEq => Some(BinOp::BitXor),
        T::ShlEq => Some(BinOp::Shl),
        T::ShrEq => Some(BinOp::Shr),
        _ => return None,
    })
}

impl Parser<'_> {
    pub(crate) fn parse_block(&mut self) -> PResult<Block> {
        self.enter()?;
        let block = self.parse_block_inner();
        self.leave();
        block
    }

    fn parse_block_inner(&mut self) -> PResult<Block> {
        let open = self.tok();
        if open.kind != TokenKind::OpenBrace {
            return self.fail("`{`");
        }
        self.bump();
        let inner = self.brace_depth();
        let mut block = Block {
            stmts: Vec::new(),
            tail: None,
            span: open.span,
        };
        while self.block_goes_on(open.span) {
            let start = self.tok().span.lo;
            match self.parse_stmt() {
                Ok(Parsed::Stmt(s)) => block.stmts.push(s),
                // A tail is only taken right before the end of the block, so the loop ends next.
                Ok(Parsed::Tail(e)) => block.tail = Some(Box::new(e)),
                Err(Recovered) => {
                    self.recover_stmt(inner);
                    block.stmts.push(Stmt {
                        kind: StmtKind::Error,
                        span: self.span_from(start),
                    });
                }
            }
        }
        // Closed, or given up on at an item keyword or end of input.
        self.reset_brace_depth(inner.saturating_sub(1));
        block.span = self.span_from(open.span.lo);
        Ok(block)
    }

    /// Whether another statement follows in the block opened at `open`; consumes the closing
    /// `}` and empty statements, and reports a block that is never closed.
    fn block_goes_on(&mut self, open: Span) -> bool {
        loop {
            let kind = self.tok().kind;
            match kind {
                TokenKind::CloseBrace => {
                    self.bump();
                    return false;
                }
                TokenKind::Eof => {
                    self.unclosed(open);
                    return false;
                }
                kind if kind.starts_item() => {
                    self.item_in_block(open);
                    return false;
                }
                // An empty statement, as after `loop { .. };`.
                TokenKind::Semi => {
                    self.bump();
                }
                _ => return true,
            }
        }
    }

    /// At a token that ends a block (so a statement before it needs no `;`).
    fn at_block_end(&mut self) -> bool {
        let kind = self.tok().kind;
        matches!(kind, TokenKind::CloseBrace | TokenKind::Eof) || kind.starts_item()
    }

    /// The `;` ending a statement; it may be left out before the closing `}` (as in `{ x = 1 }`).
    fn end_of_stmt(&mut self) -> PResult<()> {
        if self.eat(TokenKind::Semi) || self.at_block_end() {
            Ok(())
        } else {
            self.missing_semi()
        }
    }

    fn stmt(&self, kind: StmtKind, start: u32) -> PResult<Parsed> {
        Ok(Parsed::Stmt(Stmt {
            kind,
            span: self.span_from(start),
        }))
    }

    fn parse_stmt(&mut self) -> PResult<Parsed> {
        let t = self.tok();
        match t.kind {
            TokenKind::Let => self.parse_let(t),
            TokenKind::While => self.parse_while(t),
            TokenKind::Loop => self.parse_loop(t),
            TokenKind::For => self.parse_for(t),
            TokenKind::Break | TokenKind::Continue => self.parse_jump(t),
            TokenKind::Return => self.parse_return(t),
            TokenKind::Ident if self.nth(1) == TokenKind::Bang => self.parse_macro_stmt(t),
            TokenKind::OpenBrace | TokenKind::If | TokenKind::Match => {
                self.parse_block_like_stmt(t)
            }
            _ => {
                let e = self.parse_expr()?;
                self.finish_expr_stmt(e, t.span.lo)
            }
        }
    }

    /// `let [mut] name[: T] = init;`
    fn parse_let(&mut self, t: Token) -> PResult<Parsed> {
        self.bump();
        let mutable = self.eat(TokenKind::Mut);
        let name = self.expect_ident("identifier")?;
        let name = self.ident(name);
        let ty = if self.eat(TokenKind::Colon) {
            Some(self.parse_type()?)
        } else {
            None
        };
        if !self.eat(TokenKind::Eq) {
            return self.let_without_init(&name.name);
        }
        let init = self.parse_expr()?;
        // Unlike other statements, a `let` is never a block's value: its `;` is required.
        if !self.eat(TokenKind::Semi) {
            self.missing_semi()?;
        }
        let kind = StmtKind::Let {
            mutable,
            name,
            ty,
            init,
        };
        self.stmt(kind, t.span.lo)
    }

    /// `while c { }` or `while let P = e { }`
    fn parse_while(&mut self, t: Token) -> PResult<Parsed> {
        self.bump();
        if self.eat(TokenKind::Let) {
            let pat = self.parse_pattern()?;
            self.expect_let_eq()?;
            let expr = self.parse_expr()?;
            let body = self.parse_cond_block()?;
            return self.stmt(StmtKind::WhileLet { pat, expr, body }, t.span.lo);
        }
        let cond = self.parse_expr()?;
        let body = self.parse_cond_block()?;
        self.stmt(StmtKind::While { cond, body }, t.span.lo)
    }

    fn parse_loop(&mut self, t: Token) -> PResult<Parsed> {
        self.bump();
        let body = self.parse_block()?;
        self.stmt(StmtKind::Loop(body), t.span.lo)
    }

    /// `for i in lo..hi { }` or `lo..=hi`
    fn parse_for(&mut self, t: Token) -> PResult<Parsed> {
        self.bump();
        let var = self.expect_ident("identifier")?;
        let var = self.ident(var);
        if !self.eat(TokenKind::In) {
            return self.fail("`in`");
        }
        let iter = self.parse_expr()?;
        let ExprKind::Range { lo, hi, inclusive } = iter.kind else {
            self.for_without_range(iter.span);
            self.parse_block()?;
            return self.stmt(StmtKind::Error, t.span.lo);
        };
        let body = self.parse_block()?;
        let kind = StmtKind::For {
            var,
            lo: *lo,
            hi: *hi,
            inclusive,
            body,
        };
        self.stmt(kind, t.span.lo)
    }

    fn parse_jump(&mut self, t: Token) -> PResult<Parsed> {
        self.bump();
        self.end_of_stmt()?;
        let kind = if t.kind == TokenKind::Break {
            StmtKind::Break
        } else {
            StmtKind::Continue
        };
        self.stmt(kind, t.span.lo)
    }

    fn parse_return(&mut self, t: Token) -> PResult<Parsed> {
        self.bump();
        let value = if self.at(TokenKind::Semi) || self.at_block_end() {
            None
        } else {
            Some(self.parse_expr()?)
        };
        self.end_of_stmt()?;
        self.stmt(StmtKind::Return(value), t.span.lo)
    }

    fn parse_macro_stmt(&mut self, t: Token) -> PResult<Parsed> {
        let call = self.parse_macro()?;
        self.end_of_stmt()?;
        self.stmt(StmtKind::Macro(call), t.span.lo)
    }

    /// `name!(args[, "message"])`; the current token is the name and the next one `!`.
    fn parse_macro(&mut self) -> PResult<MacroCall> {
        let name_tok = self.bump();
        let name = self.ident(name_tok);
        self.bump();
        if !MACROS.contains(&name.name.as_str()) {
            self.unknown_macro(&name.name, name.span);
        }
        if !self.at(TokenKind::OpenParen) {
            return self.fail("`(`");
        }
        let open = self.bump().span;
        let mut args = Vec::new();
        let mut message = None;
        while !self.at(TokenKind::CloseParen) {
            if self.at(TokenKind::Str) {
                let s = self.bump();
                message = Some(unescape(self.text(s.span)));
                self.eat(TokenKind::Comma);
                if !self.at(TokenKind::CloseParen) && !self.at(TokenKind::Eof) {
                    return self.format_arguments();
                }
                break;
            }
            args.push(self.parse_expr()?);
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        self.expect_close(TokenKind::CloseParen, open)?;
        Ok(MacroCall {
            name,
            args,
            message,
            span: self.span_from(name_tok.span.lo),
        })
    }

    /// A statement starting with `{`, `if` or `match`. It ends at its `}` (a `;` after it is
    /// optional) unless a method call follows; at the end of the block it is the tail.
    fn parse_block_like_stmt(&mut self, t: Token) -> PResult<Parsed> {
        let e = self.parse_primary()?;
        if self.at(TokenKind::Dot) {
            let e = self.continue_block_like(e)?;
            return self.finish_expr_stmt(e, t.span.lo);
        }
        if self.at_block_end() {
            return Ok(Parsed::Tail(e));
        }
        self.eat(TokenKind::Semi);
        let kind = match e.kind {
            ExprKind::Block(block) => StmtKind::Block(block),
            kind => StmtKind::Expr(Expr { kind, span: e.span }),
        };
        self.stmt(kind, t.span.lo)
    }

    /// After an expression at the start of a statement: an assignment, an expression
    /// statement, or the block's tail.
    fn finish_expr_stmt(&mut self, e: Expr, start: u32) -> PResult<Parsed> {
        if let Some(op) = assign_op(self.tok().kind) {
            self.bump();
            let value = self.parse_expr()?;
            self.end_of_stmt()?;
            return self.stmt(
                StmtKind::Assign {
                    place: e,
                    op,
                    value,
                },
                start,
            );
        }
        if !self.eat(TokenKind::Semi) {
            if self.at_block_end() {
                return Ok(Parsed::Tail(e));
            }
            self.missing_semi()?;
        }
        self.stmt(StmtKind::Expr(e), start)
    }
}
