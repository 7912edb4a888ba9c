//! `match` expressions and their arms, and the expressions that may start a statement or an arm
//! (a block-like expression goes on only if a method call follows; in an arm, `break`,
//! `continue`, `return` and assignments are accepted and wrapped in a block).

use super::{PResult, Parser, Recovered};
use crate::lang::ast::{BinOp, Block, Expr, ExprKind, MatchArm, Stmt, StmtKind};
use crate::lang::token::TokenKind;

fn expr(kind: ExprKind, span: crate::source::Span) -> Expr {
    Expr { kind, span }
}

impl Parser<'_> {
    /// `match e { PAT => expr, PAT => { .. } }`; counts as one level (an arm body can be
    /// another `match` without passing through any other nesting).
    pub(super) fn parse_match(&mut self) -> PResult<Expr> {
        self.enter()?;
        let e = self.parse_match_inner();
        self.leave();
        e
    }

    fn parse_match_inner(&mut self) -> PResult<Expr> {
        let start = self.bump().span.lo;
        let scrutinee = self.parse_expr()?;
        if !self.at(TokenKind::OpenBrace) {
            return self.fail("`{`");
        }
        let open = self.bump().span;
        let mut arms = Vec::new();
        while !self.eat(TokenKind::CloseBrace) {
            if self.at(TokenKind::Eof) {
                self.unclosed(open);
                return Err(Recovered);
            }
            arms.push(self.parse_arm()?);
        }
        let kind = ExprKind::Match {
            scrutinee: Box::new(scrutinee),
            arms,
        };
        Ok(expr(kind, self.span_from(start)))
    }

    /// `PAT => body` and the `,` after it (optional after a block-like body or before `}`).
    fn parse_arm(&mut self) -> PResult<MatchArm> {
        let start = self.tok().span.lo;
        let pat = self.parse_pattern()?;
        if !self.eat(TokenKind::FatArrow) {
            return self.expected_arrow();
        }
        let (body, block_like) = self.parse_stmt_like_expr(true)?;
        let arm = MatchArm {
            pat,
            body,
            span: self.span_from(start),
        };
        if !self.eat(TokenKind::Comma) && !self.at(TokenKind::CloseBrace) && !block_like {
            self.missing_arm_comma()?;
        }
        Ok(arm)
    }

    /// An expression in statement position or as a `match` arm body. A block-like expression
    /// (`if`, `match`, a block) ends there unless a method call follows, as in Rust; the flag
    /// says whether it ended that way. In an arm, `break`, `continue` and `return` are accepted
    /// and wrapped in a block (`None => break,` means `None => { break; }`).
    pub(crate) fn parse_stmt_like_expr(&mut self, arm: bool) -> PResult<(Expr, bool)> {
        let e = match self.tok().kind {
            TokenKind::OpenBrace | TokenKind::If | TokenKind::Match => {
                let e = self.parse_primary()?;
                if !self.at(TokenKind::Dot) {
                    return Ok((e, true));
                }
                self.continue_block_like(e)?
            }
            TokenKind::Break | TokenKind::Continue | TokenKind::Return if arm => {
                return Ok((self.parse_arm_jump()?, false));
            }
            _ => self.parse_expr()?,
        };
        // As at the start of a statement, an assignment may follow either kind of expression
        // (`_ => { .. }.f()[0] = 1,`): then the printer can write every arm that is one
        // assignment this way, which nests less than the block it stands for.
        match super::stmts::assign_op(self.tok().kind) {
            Some(op) if arm => Ok((self.parse_arm_assign(e, op)?, false)),
            _ => Ok((e, false)),
        }
    }

    /// `place = value` (or `place += value`, ...) as a `match` arm body, wrapped in a block as
    /// Rust's assignment expression would be: `Err(v) => cur = v,` means `Err(v) => { cur = v; }`.
    fn parse_arm_assign(&mut self, place: Expr, op: Option<BinOp>) -> PResult<Expr> {
        self.bump();
        let value = self.parse_expr()?;
        let span = place.span.to(value.span);
        let stmt = Stmt {
            kind: StmtKind::Assign { place, op, value },
            span,
        };
        let block = Block {
            stmts: vec![stmt],
            tail: None,
            span,
        };
        Ok(expr(ExprKind::Block(block), span))
    }

    /// `{ .. }.method() + ..`: a block-like expression followed by a method call goes on as an
    /// ordinary expression.
    pub(crate) fn continue_block_like(&mut self, e: Expr) -> PResult<Expr> {
        let e = self.postfix_rest(e)?;
        let e = self.binary_rest(e, 0)?;
        self.finish_range(e)
    }

    /// `break`, `continue` or `return [e]` as a `match` arm body, wrapped in a block.
    fn parse_arm_jump(&mut self) -> PResult<Expr> {
        let t = self.bump();
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
        Ok(expr(ExprKind::Block(block), span))
    }
}
