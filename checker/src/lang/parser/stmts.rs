//! Blocks and statements: `let`, assignments, loops, jumps, check macros, expression statements
//! and the block's tail expression.

use super::{PResult, Parser, Recovered};
use crate::lang::ast::{BinOp, Block, Expr, ExprKind, MacroCall, Stmt, StmtKind};
use crate::lang::lexer::{unescape, TokenKind};
use crate::source::{similar_name, Diagnostic};

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
fn assign_op(kind: TokenKind) -> Option<Option<BinOp>> {
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
        let mut stmts = Vec::new();
        let mut tail: Option<Box<Expr>> = None;
        loop {
            let t = self.tok();
            match t.kind {
                TokenKind::CloseBrace => {
                    self.bump();
                    break;
                }
                TokenKind::Eof => {
                    self.unclosed(open.span);
                    break;
                }
                kind if kind.starts_item() => {
                    let d = self
                        .expected("`}`")
                        .with_note(open.span, "unclosed delimiter")
                        .with_help(format!(
                            "items cannot be nested: close the block with `}}` before this `{}`",
                            kind.text()
                        ));
                    self.error_at_tok(d);
                    break;
                }
                // An empty statement, as after `loop { .. };`.
                TokenKind::Semi => {
                    self.bump();
                    continue;
                }
                _ => {}
            }
            // A tail is only taken when the block ends right after it, so this is unreachable in
            // practice; keeping the expression as a statement keeps the AST faithful regardless.
            if let Some(e) = tail.take() {
                stmts.push(Stmt {
                    span: e.span,
                    kind: StmtKind::Expr(*e),
                });
            }
            match self.parse_stmt() {
                Ok(Parsed::Stmt(s)) => stmts.push(s),
                Ok(Parsed::Tail(e)) => tail = Some(Box::new(e)),
                Err(Recovered) => {
                    self.recover_stmt();
                    stmts.push(Stmt {
                        kind: StmtKind::Error,
                        span: self.span_from(t.span.lo),
                    });
                }
            }
        }
        Ok(Block {
            stmts,
            tail,
            span: self.span_from(open.span.lo),
        })
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

    fn parse_stmt(&mut self) -> PResult<Parsed> {
        let t = self.tok();
        let kind = match t.kind {
            TokenKind::Let => self.parse_let()?,
            TokenKind::While => self.parse_while()?,
            TokenKind::Loop => {
                self.bump();
                StmtKind::Loop(self.parse_block()?)
            }
            TokenKind::For => self.parse_for()?,
            TokenKind::Break | TokenKind::Continue => {
                self.bump();
                self.end_of_stmt()?;
                if t.kind == TokenKind::Break {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                }
            }
            TokenKind::Return => {
                self.bump();
                let value = if self.at(TokenKind::Semi) || self.at_block_end() {
                    None
                } else {
                    Some(self.parse_expr()?)
                };
                self.end_of_stmt()?;
                StmtKind::Return(value)
            }
            TokenKind::Ident if self.nth(1) == TokenKind::Bang => {
                let call = self.parse_macro()?;
                self.end_of_stmt()?;
                StmtKind::Macro(call)
            }
            _ => return self.parse_expr_stmt(),
        };
        Ok(Parsed::Stmt(Stmt {
            kind,
            span: self.span_from(t.span.lo),
        }))
    }

    /// `let [mut] name[: T] = init;`
    fn parse_let(&mut self) -> PResult<StmtKind> {
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
            let mut d = self.expected("`=`");
            if self.at(TokenKind::Semi) {
                d = d.with_help(format!(
                    "a `let` needs an initial value, which also gives the local its type: `let {} = 0;`",
                    name.name
                ));
            }
            self.error_at_tok(d);
            return Err(Recovered);
        }
        let init = self.parse_expr()?;
        self.end_of_stmt()?;
        Ok(StmtKind::Let {
            mutable,
            name,
            ty,
            init,
        })
    }

    /// `while c { }` or `while let P = e { }`
    fn parse_while(&mut self) -> PResult<StmtKind> {
        self.bump();
        if self.eat(TokenKind::Let) {
            let pat = self.parse_pattern()?;
            self.expect_let_eq()?;
            let expr = self.parse_expr()?;
            let body = self.parse_cond_block()?;
            return Ok(StmtKind::WhileLet { pat, expr, body });
        }
        let cond = self.parse_expr()?;
        let body = self.parse_cond_block()?;
        Ok(StmtKind::While { cond, body })
    }

    /// `for i in lo..hi { }` or `lo..=hi`
    fn parse_for(&mut self) -> PResult<StmtKind> {
        self.bump();
        let var = self.expect_ident("identifier")?;
        let var = self.ident(var);
        if !self.eat(TokenKind::In) {
            return self.fail("`in`");
        }
        let iter = self.parse_expr()?;
        let ExprKind::Range { lo, hi, inclusive } = iter.kind else {
            self.error(
                Diagnostic::error(iter.span, "`for` loops iterate over a range of integers")
                    .with_label("expected a range `a..b` or `a..=b`")
                    .with_help("to visit an array, loop over its indices: `for i in 0..N { .. A[i] .. }`"),
            );
            self.parse_block()?;
            return Ok(StmtKind::Error);
        };
        let body = self.parse_block()?;
        Ok(StmtKind::For {
            var,
            lo: *lo,
            hi: *hi,
            inclusive,
            body,
        })
    }

    /// `name!(args[, "message"])`; the current token is the name and the next one `!`.
    fn parse_macro(&mut self) -> PResult<MacroCall> {
        let name_tok = self.bump();
        let name = self.ident(name_tok);
        self.bump();
        if !MACROS.contains(&name.name.as_str()) {
            let mut d = Diagnostic::error(
                name.span,
                format!("cannot find macro `{}` in this scope", name.name),
            )
            .with_label("unknown macro");
            d = match similar_name(&name.name, MACROS) {
                Some(similar) => d.with_help(format!("a macro with a similar name exists: `{similar}`")),
                None => d.with_help(
                    "the macros are `assert!`, `assert_eq!`, `assert_ne!`, `assume!`, `panic!` \
                     and `unreachable!`",
                ),
            };
            self.error(d);
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
                    let d = Diagnostic::error(self.tok().span, "format arguments are not supported")
                        .with_label("unexpected argument")
                        .with_help("the message must be the last argument, a plain string literal");
                    self.error_at_tok(d);
                    return Err(Recovered);
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

    /// An expression statement, an assignment, or the block's tail.
    fn parse_expr_stmt(&mut self) -> PResult<Parsed> {
        let start = self.tok().span.lo;
        let (e, ended_block_like) = self.parse_stmt_like_expr(false)?;
        if ended_block_like {
            if self.at_block_end() {
                return Ok(Parsed::Tail(e));
            }
            self.eat(TokenKind::Semi);
            let kind = match e.kind {
                ExprKind::Block(block) => StmtKind::Block(block),
                kind => StmtKind::Expr(Expr { kind, span: e.span }),
            };
            return Ok(Parsed::Stmt(Stmt {
                kind,
                span: self.span_from(start),
            }));
        }
        let kind = if let Some(op) = assign_op(self.tok().kind) {
            self.bump();
            let value = self.parse_expr()?;
            self.end_of_stmt()?;
            StmtKind::Assign { place: e, op, value }
        } else if self.eat(TokenKind::Semi) {
            StmtKind::Expr(e)
        } else if self.at_block_end() {
            return Ok(Parsed::Tail(e));
        } else {
            self.missing_semi()?;
            StmtKind::Expr(e)
        };
        Ok(Parsed::Stmt(Stmt {
            kind,
            span: self.span_from(start),
        }))
    }
}
