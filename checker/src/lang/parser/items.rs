//! Items: `static` declarations, `thread` bodies and families, helper `fn`s and the `final` block.

use super::{PResult, Parser, Recovered};
use crate::lang::ast::{FinalBlock, FnDecl, Ident, Item, Param, StaticDecl, ThreadDecl};
use crate::lang::lexer::TokenKind;
use crate::source::Diagnostic;

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
            let d = Diagnostic::error(name.span, "missing type for `static` item")
                .with_label("the type goes after the name")
                .with_help(format!(
                    "provide a type: `static {}: int = 0;` or `static {}: AtomicInt = 0;`",
                    name.name, name.name
                ));
            self.error_at_tok(d);
            return Err(Recovered);
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
            let d = self.expected("`{`").with_help(
                "threads take no parameters: declare a family with `thread NAME[N] { .. }` \
                 and use `tid` for the instance number",
            );
            self.error_at_tok(d);
            return Err(Recovered);
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
            let d = self
                .expected("parameter name")
                .with_help("parameters are values: remove `mut` and copy into a `let mut` local");
            self.error_at_tok(d);
            return Err(Recovered);
        }
        let name = self.expect_ident("parameter name")?;
        let name = self.ident(name);
        if !self.at(TokenKind::Colon) {
            let d = self
                .expected("`:`")
                .with_help(format!("parameters need a type: `{}: int`", name.name));
            self.error_at_tok(d);
            return Err(Recovered);
        }
        self.bump();
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

    pub(super) fn ident(&self, tok: crate::lang::lexer::Token) -> Ident {
        Ident {
            name: self.text(tok.span).to_string(),
            span: tok.span,
        }
    }
}
