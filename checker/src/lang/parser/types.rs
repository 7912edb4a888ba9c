//! Types (`int`, `Channel<int, 2>`, `[AtomicBool; 3]`) and patterns (`Ok(v)`, `None`, `_`, `-1`).

use super::{PResult, Parser};
use crate::lang::ast::{Pattern, PatternKind, TypeArg, TypeExpr};
use crate::lang::token::TokenKind;

impl Parser<'_> {
    pub(crate) fn parse_type(&mut self) -> PResult<TypeExpr> {
        self.enter()?;
        let ty = self.parse_type_inner();
        self.leave();
        ty
    }

    fn parse_type_inner(&mut self) -> PResult<TypeExpr> {
        let t = self.tok();
        match t.kind {
            TokenKind::Ident => {
                self.bump();
                let name = self.ident(t);
                let mut args = Vec::new();
                if self.eat(TokenKind::Lt) {
                    loop {
                        if self.eat_gt() {
                            break;
                        }
                        args.push(self.parse_type_arg()?);
                        if self.eat(TokenKind::Comma) {
                            continue;
                        }
                        if self.eat_gt() {
                            break;
                        }
                        return self.fail("`,` or `>`");
                    }
                }
                Ok(TypeExpr::Named {
                    name,
                    args,
                    span: self.span_from(t.span.lo),
                })
            }
            TokenKind::OpenBracket => {
                self.bump();
                let elem = self.parse_type()?;
                if !self.eat(TokenKind::Semi) {
                    return self.fail_help("`;`", "an array type needs a length: `[int; 4]`");
                }
                let len = self.parse_expr()?;
                self.expect_close(TokenKind::CloseBracket, t.span)?;
                Ok(TypeExpr::Array {
                    elem: Box::new(elem),
                    len: Box::new(len),
                    span: self.span_from(t.span.lo),
                })
            }
            _ => self.fail("type"),
        }
    }

    /// A generic argument: a type, an integer literal (possibly negated), or `{ EXPR }` for any
    /// other constant, as in Rust's const generics (a bare `>` would be ambiguous).
    fn parse_type_arg(&mut self) -> PResult<TypeArg> {
        let t = self.tok();
        match t.kind {
            TokenKind::Ident | TokenKind::OpenBracket => Ok(TypeArg::Type(self.parse_type()?)),
            TokenKind::Int => Ok(TypeArg::Const(self.parse_primary()?)),
            TokenKind::Minus => Ok(TypeArg::Const(self.parse_unary()?)),
            TokenKind::OpenBrace => {
                self.bump();
                let value = self.parse_expr()?;
                self.expect_close(TokenKind::CloseBrace, t.span)?;
                Ok(TypeArg::Const(value))
            }
            _ => self.fail("type or constant"),
        }
    }

    pub(crate) fn parse_pattern(&mut self) -> PResult<Pattern> {
        self.enter()?;
        let pat = self.parse_pattern_inner();
        self.leave();
        pat
    }

    fn parse_pattern_inner(&mut self) -> PResult<Pattern> {
        let t = self.tok();
        let start = t.span.lo;
        let kind = match t.kind {
            TokenKind::Ident => {
                self.bump();
                let name = self.ident(t);
                if self.at(TokenKind::PathSep) {
                    return self.fail_help(
                        "pattern",
                        "write the variant without a path: `None`, `Some(v)`, `Ok(v)`",
                    );
                }
                if name.name == "_" {
                    PatternKind::Wildcard
                } else if self.at(TokenKind::OpenParen) {
                    let open = self.bump().span;
                    let inner = self.parse_pattern()?;
                    if self.at(TokenKind::Comma) {
                        return self
                            .fail_help("`)`", "`Ok`, `Err` and `Some` have exactly one field");
                    }
                    self.expect_close(TokenKind::CloseParen, open)?;
                    PatternKind::Variant(name, Box::new(inner))
                } else if name.name == "None" {
                    PatternKind::Unit(name)
                } else {
                    PatternKind::Binding(name)
                }
            }
            TokenKind::Int => {
                self.bump();
                PatternKind::Int(self.int_literal(t, false).unwrap_or(0))
            }
            TokenKind::Minus => {
                self.bump();
                let lit = self.tok();
                if lit.kind != TokenKind::Int {
                    return self.fail("integer literal");
                }
                self.bump();
                PatternKind::Int(self.int_literal(lit, true).unwrap_or(0))
            }
            TokenKind::True => {
                self.bump();
                PatternKind::Bool(true)
            }
            TokenKind::False => {
                self.bump();
                PatternKind::Bool(false)
            }
            _ => return self.fail("pattern"),
        };
        Ok(Pattern {
            kind,
            span: self.span_from(start),
        })
    }
}
