//! Items: `static` declarations, `thread` bodies and families, helper `fn`s and the `final` block.

use super::{PResult, Parser};
use crate::lang::ast::{FinalBlock, FnDecl, Ident, Item, Param, StaticDecl, ThreadDecl};
use crate::lang::token::{Token, TokenKind};

impl Parser<'_> {
    /// Parses the item starting at the current token (which is an item keyword).
    pub(super) fn parse_item(&mut self) -> PResult<Item> {
        match self.tok().kind {
            TokenKind::Static => self.parse_static().map(Item::Static),
            TokenKind::Thread => self.parse_thread().map(Item::Thread),
            TokenKind::Fn => self.parse_fn().map(Item::Fn),
            _ => self.parse_final().map(Item::Final),
        }
    }

    /// `static [mut] NAME: TYPE [= INIT];`
    fn parse_static(&mut self) -> PResult<StaticDecl> {
        let start = self.bump().span.lo;
        let mutable = self.eat(TokenKind::Mut);
        let name = self.expect_ident("identifier")?;
        let name = self.ident(name);
        if !self.eat(TokenKind::Colon) {
            return self.missing_static_type(&name.name, name.span);
        }
        let ty = self.parse_type()?;
        let init = if self.eat(TokenKind::Eq) {
            Some(self.parse_expr()?)
        } else {
            None
        };
        if !self.eat(TokenKind::Semi) {
            self.missing_semi()?;
        }
        Ok(StaticDecl {
            mutable,
            name,
            ty,
            init,
            span: self.span_from(start),
        })
    }

    /// `thread NAME { .. }` or `thread NAME[COUNT] { .. }`
    fn parse_thread(&mut self) -> PResult<ThreadDecl> {
        let start = self.bump().span.lo;
        let name = self.expect_ident("identifier")?;
        let name = self.ident(name);
        let count = if self.at(TokenKind::OpenBracket) {
            let open = self.bump().span;
            let count = self.parse_expr()?;
            self.expect_close(TokenKind::CloseBracket, open)?;
            Some(count)
        } else {
            None
        };
        if self.at(TokenKind::OpenParen) {
            return self.fail_help(
                "`{`",
                "threads take no parameters: declare a family with `thread NAME[N] { .. }` \
                 and use `tid` for the instance number",
            );
        }
        let body = self.parse_block()?;
        Ok(ThreadDecl {
            name,
            count,
            body,
            span: self.span_from(start),
        })
    }

    /// `fn name(p: T, ..) [-> T] { .. }`
    fn parse_fn(&mut self) -> PResult<FnDecl> {
        let start = self.bump().span.lo;
        let name = self.expect_ident("identifier")?;
        let name = self.ident(name);
        let open = self.expect(TokenKind::OpenParen)?.span;
        let mut params = Vec::new();
        while !self.at(TokenKind::CloseParen) && !self.at(TokenKind::Eof) {
            params.push(self.parse_param()?);
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        self.expect_close(TokenKind::CloseParen, open)?;
        let ret = if self.eat(TokenKind::Arrow) {
            Some(self.parse_type()?)
        } else {
            None
        };
        let body = self.parse_block()?;
        Ok(FnDecl {
            name,
            params,
            ret,
            body,
            span: self.span_from(start),
        })
    }

    fn parse_param(&mut self) -> PResult<Param> {
        let start = self.tok().span.lo;
        if self.at(TokenKind::Mut) {
            return self.fail_help(
                "parameter name",
                "parameters are values: remove `mut` and copy into a `let mut` local",
            );
        }
        let name = self.expect_ident("parameter name")?;
        let name = self.ident(name);
        if !self.eat(TokenKind::Colon) {
            return self.missing_param_type(&name.name);
        }
        let ty = self.parse_type()?;
        Ok(Param {
            name,
            ty,
            span: self.span_from(start),
        })
    }

    /// `final { .. }`
    fn parse_final(&mut self) -> PResult<FinalBlock> {
        let start = self.bump().span.lo;
        let body = self.parse_block()?;
        Ok(FinalBlock {
            body,
            span: self.span_from(start),
        })
    }

    pub(super) fn ident(&self, tok: Token) -> Ident {
        Ident {
            name: self.text(tok.span).to_string(),
            span: tok.span,
        }
    }
}
