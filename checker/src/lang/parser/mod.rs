//! The parser's core: the token cursor, error reporting with cascade suppression, the nesting
//! limit, and the model/item loop with its recovery. The grammar itself lives in the submodules
//! (`items`, `stmts`, `exprs`, `types`).
//!
//! Error handling: a parse function returns `Err(Recovered)` after reporting an error it cannot
//! continue from; the nearest statement or item loop then skips to a synchronisation point (`;`,
//! `}`, or an item keyword) and goes on, so one run reports several independent errors.

mod exprs;
mod items;
mod stmts;
mod types;

use std::collections::VecDeque;

use super::ast::Model;
use super::diags::Diags;
use super::lexer::{Lexer, Token, TokenKind};
use crate::source::{Diagnostic, Span};

/// The deepest nesting (of expressions, blocks, types and patterns together) the parser accepts.
///
/// Everything downstream of the parser walks the AST recursively, and the test harness runs on
/// 2 MiB threads in debug builds, so the bound keeps every recursive pass far from the stack limit.
/// Real models nest a handful of levels; 128 leaves ample room.
pub const MAX_NESTING: u32 = 128;

/// Marker for "an error was reported; the caller should recover".
#[derive(Debug)]
pub(crate) struct Recovered;

pub(crate) type PResult<T> = Result<T, Recovered>;

pub(crate) struct Parser<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    /// Tokens lexed but not consumed yet (the parser looks at most three tokens ahead).
    ahead: VecDeque<Token>,
    /// End of the last consumed token: where a missing `;` belongs.
    prev_hi: u32,
    diags: Diags,
    depth: u32,
    /// Start of the token at which the last parse error was reported. A second error at the same
    /// token is nearly always a cascade of the first, so it is dropped.
    last_error_at: Option<u32>,
    /// The "unclosed delimiter" diagnostic, once reported: outer unclosed delimiters add notes to it.
    unclosed: Option<usize>,
}

/// Parses a whole model. Always returns a model (partial on errors) and the diagnostics in order.
pub(crate) fn parse_model(src: &str) -> (Model, Vec<Diagnostic>) {
    let mut p = Parser {
        src,
        lexer: Lexer::new(src),
        ahead: VecDeque::with_capacity(4),
        prev_hi: 0,
        diags: Diags::default(),
        depth: 0,
        last_error_at: None,
        unclosed: None,
    };
    let mut items = Vec::new();
    loop {
        let tok = p.tok();
        match tok.kind {
            TokenKind::Eof => break,
            kind if kind.starts_item() => match p.parse_item() {
                Ok(item) => items.push(item),
                Err(Recovered) => p.recover_item(),
            },
            TokenKind::CloseBrace | TokenKind::CloseParen | TokenKind::CloseBracket => {
                p.error_at_tok(
                    Diagnostic::error(
                        tok.span,
                        format!("unexpected closing delimiter: `{}`", tok.kind.text()),
                    )
                    .with_label("unexpected closing delimiter"),
                );
                p.bump();
            }
            _ => {
                p.expected_item(tok);
                // A `{` is left to the recovery, which skips the whole balanced block.
                if tok.kind != TokenKind::OpenBrace {
                    p.bump();
                }
                p.recover_item();
            }
        }
    }
    // Doc lines and directives are complete: the lexer has reached the end (or parsing stopped).
    let model = Model {
        doc: std::mem::take(&mut p.lexer.doc),
        directives: std::mem::take(&mut p.lexer.directives),
        items,
    };
    (model, p.diags.finish())
}

impl<'a> Parser<'a> {
    // ---- the cursor ----

    fn fill(&mut self, n: usize) {
        while self.ahead.len() <= n {
            let t = self.lexer.next_token(&mut self.diags);
            self.ahead.push_back(t);
        }
    }

    fn eof(&self) -> Token {
        Token {
            kind: TokenKind::Eof,
            span: Span::new(self.src.len(), self.src.len()),
        }
    }

    /// The current token. Once parsing has stopped, it is end of input, so every loop ends.
    pub(crate) fn tok(&mut self) -> Token {
        if self.diags.stopped() {
            return self.eof();
        }
        self.fill(0);
        self.ahead[0]
    }

    pub(crate) fn at(&mut self, kind: TokenKind) -> bool {
        self.tok().kind == kind
    }

    /// The kind of the token `n` places ahead (0 is the current one).
    pub(crate) fn nth(&mut self, n: usize) -> TokenKind {
        if self.diags.stopped() {
            return TokenKind::Eof;
        }
        self.fill(n);
        self.ahead[n].kind
    }

    pub(crate) fn nth_token(&mut self, n: usize) -> Token {
        if self.diags.stopped() {
            return self.eof();
        }
        self.fill(n);
        self.ahead[n]
    }

    /// Consumes and returns the current token (end of input is never consumed).
    pub(crate) fn bump(&mut self) -> Token {
        let t = self.tok();
        if t.kind != TokenKind::Eof {
            self.ahead.pop_front();
            self.prev_hi = t.span.hi;
        }
        t
    }

    pub(crate) fn eat(&mut self, kind: TokenKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    pub(crate) fn prev_hi(&self) -> u32 {
        self.prev_hi
    }

    /// A span from `lo` to the end of the last consumed token.
    pub(crate) fn span_from(&self, lo: u32) -> Span {
        Span {
            lo,
            hi: self.prev_hi.max(lo),
        }
    }

    pub(crate) fn text(&self, span: Span) -> &'a str {
        self.src.get(span.lo as usize..span.hi as usize).unwrap_or("")
    }

    /// Consumes a `>` that closes generic arguments, splitting `>>`, `>=` and `>>=` as rustc does
    /// (`Option<Result<int, int>>`).
    pub(crate) fn eat_gt(&mut self) -> bool {
        let t = self.tok();
        let rest = match t.kind {
            TokenKind::Gt => {
                self.bump();
                return true;
            }
            TokenKind::Shr => TokenKind::Gt,
            TokenKind::Ge => TokenKind::Eq,
            TokenKind::ShrEq => TokenKind::Ge,
            _ => return false,
        };
        self.ahead[0] = Token {
            kind: rest,
            span: Span {
                lo: t.span.lo + 1,
                hi: t.span.hi,
            },
        };
        self.prev_hi = t.span.lo + 1;
        true
    }

    // ---- errors ----

    /// How a token is named in "expected X, found Y".
    pub(crate) fn describe(&self, t: Token) -> String {
        match t.kind {
            TokenKind::Eof => "`<eof>`".to_string(),
            TokenKind::Str => "string literal".to_string(),
            TokenKind::Ident | TokenKind::Int | TokenKind::Other => {
                let text = self.text(t.span);
                match text.char_indices().nth(24) {
                    Some((cut, _)) => format!("`{}…`", &text[..cut]),
                    None => format!("`{text}`"),
                }
            }
            k if k.is_keyword() => format!("keyword `{}`", k.text()),
            k => format!("`{}`", k.text()),
        }
    }

    /// Reports an error about the current token, unless one was already reported at that token.
    pub(crate) fn error_at_tok(&mut self, diag: Diagnostic) {
        let at = self.tok().span.lo;
        if self.last_error_at == Some(at) {
            return;
        }
        self.last_error_at = Some(at);
        self.diags.error(diag);
    }

    /// Reports an error that is not about the current token (it does not suppress later ones).
    pub(crate) fn error(&mut self, diag: Diagnostic) {
        self.diags.error(diag);
    }

    /// "expected {what}, found {current token}", pointing at the current token.
    pub(crate) fn expected(&mut self, what: &str) -> Diagnostic {
        let t = self.tok();
        let found = self.describe(t);
        Diagnostic::error(t.span, format!("expected {what}, found {found}"))
            .with_label(format!("expected {what}"))
    }

    /// Reports `expected` and returns `Err`, for the common "this token must be here" case.
    pub(crate) fn fail<T>(&mut self, what: &str) -> PResult<T> {
        let d = self.expected(what);
        self.error_at_tok(d);
        Err(Recovered)
    }

    pub(crate) fn expect(&mut self, kind: TokenKind) -> PResult<Token> {
        if self.at(kind) {
            Ok(self.bump())
        } else {
            self.fail(&format!("`{}`", kind.text()))
        }
    }

    pub(crate) fn expect_ident(&mut self, what: &str) -> PResult<Token> {
        if self.at(TokenKind::Ident) {
            Ok(self.bump())
        } else {
            self.fail(what)
        }
    }

    /// Consumes the delimiter closing the one opened at `open`. At end of input this reports the
    /// unclosed delimiter; a different closing delimiter is reported as mismatched.
    pub(crate) fn expect_close(&mut self, close: TokenKind, open: Span) -> PResult<Span> {
        let t = self.tok();
        if t.kind == close {
            self.bump();
            return Ok(t.span);
        }
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
    pub(crate) fn unclosed(&mut self, open: Span) {
        if self.diags.stopped() {
            return;
        }
        match self.unclosed {
            Some(index) => self.diags.add_note(index, open, "unclosed delimiter"),
            None => {
                let end = Span::new(self.src.len(), self.src.len());
                self.unclosed = self.diags.error(
                    Diagnostic::error(end, "this file contains an unclosed delimiter")
                        .with_note(open, "unclosed delimiter"),
                );
            }
        }
    }

    /// Whether there is a line break between the previous token and the current one.
    pub(crate) fn newline_before_tok(&mut self) -> bool {
        let lo = self.prev_hi as usize;
        let hi = self.tok().span.lo as usize;
        self.src.get(lo..hi).is_some_and(|gap| gap.contains('\n'))
    }

    /// Reports a missing `;` (pointing just after the previous token). Returns `Ok` when parsing
    /// can go on as if it were there: the next token starts a new line.
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

    // ---- nesting ----

    /// Enters one level of nesting; past [`MAX_NESTING`] reports the error once and stops parsing.
    pub(crate) fn enter(&mut self) -> PResult<()> {
        if self.depth >= MAX_NESTING {
            let span = self.tok().span;
            self.diags.fatal(
                Diagnostic::error(
                    span,
                    format!("expression nested too deeply (more than {MAX_NESTING} levels)"),
                )
                .with_label("nesting limit reached here")
                .with_help("split the expression using `let` bindings or helper functions"),
            );
            return Err(Recovered);
        }
        self.depth += 1;
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.leave_n(1);
    }

    pub(crate) fn leave_n(&mut self, n: u32) {
        self.depth = self.depth.saturating_sub(n);
    }

    // ---- recovery ----

    /// Skips to the end of a broken statement: past the next `;` (outside nested braces), or up to
    /// a `}` closing the enclosing block, an item keyword, or end of input.
    pub(crate) fn recover_stmt(&mut self) {
        let mut depth = 0u32;
        loop {
            match self.tok().kind {
                TokenKind::Eof => return,
                TokenKind::Semi if depth == 0 => {
                    self.bump();
                    return;
                }
                TokenKind::CloseBrace => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                }
                TokenKind::OpenBrace => depth += 1,
                kind if kind.starts_item() => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// Skips to the next item: up to an item keyword, or past a `;` or a balanced `{ .. }` block.
    fn recover_item(&mut self) {
        let mut depth = 0u32;
        loop {
            match self.tok().kind {
                TokenKind::Eof => return,
                kind if kind.starts_item() => return,
                TokenKind::Semi if depth == 0 => {
                    self.bump();
                    return;
                }
                TokenKind::OpenBrace => depth += 1,
                TokenKind::CloseBrace => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    fn expected_item(&mut self, tok: Token) {
        let mut d = self.expected("item");
        let statements = "statements must be inside a `thread`, `fn` or `final` block";
        match tok.kind {
            TokenKind::Ident => {
                d = match self.text(tok.span) {
                    "const" => d.with_help("declare shared state with `static`: `static X: int = 0;`"),
                    "use" => d.with_help("there are no imports in models: the `std::sync` types are built in"),
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
}
