//! The parser's core: the token cursor, error reporting with cascade suppression, the nesting
//! limit, and the model/item loop with its recovery. The grammar itself lives in the submodules
//! (`items`, `stmts`, `exprs`, `arms`, `types`).
//!
//! Error handling: a parse function returns `Err(Recovered)` after reporting an error it cannot
//! continue from; the nearest statement or item loop then skips to a synchronisation point (`;`,
//! `}`, or an item keyword) and goes on, so one run reports several independent errors.

mod arms;
mod errors;
mod exprs;
mod items;
mod stmts;
mod types;

pub(crate) use exprs::{is_block_like, is_comparison};
pub use stmts::MACROS;

use std::collections::VecDeque;

use super::ast::{Expr, Model};
use super::diags::Diags;
use super::lexer::Lexer;
use super::token::{Token, TokenKind};
use crate::source::{Diagnostic, Span};

/// The deepest nesting (of expressions, blocks, types and patterns together) the parser accepts.
///
/// Everything downstream of the parser walks the AST recursively, and the test harness runs on
/// 2 MiB threads in debug builds, so the bound keeps every recursive pass far from the stack limit.
/// Real models nest a handful of levels; 128 leaves ample room.
pub const MAX_NESTING: u32 = 128;

/// What the parser reads: it names the end of the input in diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    /// A whole model.
    File,
    /// The value of a `//@` directive, read in place in its file: the input ends where the value
    /// does.
    Directive,
}

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
    /// How many `{` have been consumed and not yet closed: recovery uses it to skip a broken
    /// statement's nested blocks without running past the enclosing block's `}`.
    brace_depth: u32,
    /// Start of the token at which the last parse error was reported. A second error at the same
    /// token is nearly always a cascade of the first, so it is dropped.
    last_error_at: Option<u32>,
    /// The "unclosed delimiter" diagnostic, once reported: outer unclosed delimiters add notes to it.
    unclosed: Option<usize>,
    input: Input,
}

/// Parses a whole model. Always returns a model (partial on errors) and the diagnostics in order.
pub(crate) fn parse_model(src: &str) -> (Model, Vec<Diagnostic>) {
    let mut p = Parser::new(src, Lexer::new(src), Input::File);
    let mut items = Vec::new();
    loop {
        // Between items no block is open, whatever state a broken item left behind.
        p.brace_depth = 0;
        let tok = p.tok();
        match tok.kind {
            TokenKind::Eof => break,
            kind if kind.starts_item() => match p.parse_item() {
                Ok(item) => items.push(item),
                Err(Recovered) => p.recover_item(),
            },
            TokenKind::CloseBrace | TokenKind::CloseParen | TokenKind::CloseBracket => {
                p.unexpected_closing(tok);
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

/// Parses `src[lo..hi]`, the value of a directive, as one expression; `lo` and `hi` must be
/// character boundaries. The parser reads the file's own text, stopping at `hi`, rather than a
/// copy of the value wrapped in a made-up statement: then every span is in the file's
/// coordinates and lies within the value, and nothing is reported about tokens that are not in
/// the file (a wrapper's `;` and `}` sit past the end of the value, on the newline or past the end
/// of a file whose last line is the directive).
pub(crate) fn parse_directive_value(
    src: &str,
    lo: usize,
    hi: usize,
) -> (Option<Expr>, Vec<Diagnostic>) {
    let src = src.get(..hi).unwrap_or(src);
    let mut p = Parser::new(src, Lexer::starting_at(src, lo), Input::Directive);
    p.prev_hi = lo as u32;
    let expr = match p.parse_expr() {
        Ok(e) if p.at(TokenKind::Eof) => Some(e),
        Ok(_) => {
            let d = p
                .expected("end of directive")
                .with_help("the value is one expression: combine conditions with `&&` or `||`");
            p.error_at_tok(d);
            None
        }
        Err(Recovered) => None,
    };
    let diags = p.diags.finish();
    (expr.filter(|_| diags.is_empty()), diags)
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, lexer: Lexer<'a>, input: Input) -> Parser<'a> {
        Parser {
            src,
            lexer,
            ahead: VecDeque::with_capacity(4),
            prev_hi: 0,
            diags: Diags::default(),
            depth: 0,
            brace_depth: 0,
            last_error_at: None,
            unclosed: None,
            input,
        }
    }

    /// The input's name in diagnostics ("this file contains an unclosed delimiter").
    pub(crate) fn input_name(&self) -> &'static str {
        match self.input {
            Input::File => "file",
            Input::Directive => "directive",
        }
    }

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

    /// Consumes and returns the current token (end of input is never consumed).
    pub(crate) fn bump(&mut self) -> Token {
        let t = self.tok();
        match t.kind {
            TokenKind::Eof => return t,
            TokenKind::OpenBrace => self.brace_depth += 1,
            TokenKind::CloseBrace => self.brace_depth = self.brace_depth.saturating_sub(1),
            _ => {}
        }
        self.ahead.pop_front();
        self.prev_hi = t.span.hi;
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

    /// A span from `lo` to the end of the last consumed token.
    pub(crate) fn span_from(&self, lo: u32) -> Span {
        Span {
            lo,
            hi: self.prev_hi.max(lo),
        }
    }

    pub(crate) fn text(&self, span: Span) -> &'a str {
        self.src
            .get(span.lo as usize..span.hi as usize)
            .unwrap_or("")
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

    /// How a token is named in "expected X, found Y". Keywords are quoted like any other token
    /// ("expected item, found `let`").
    pub(crate) fn describe(&self, t: Token) -> String {
        match t.kind {
            TokenKind::Eof if self.input == Input::File => "`<eof>`".to_string(),
            TokenKind::Eof => "end of directive".to_string(),
            TokenKind::Str => "string literal".to_string(),
            TokenKind::Ident | TokenKind::Int | TokenKind::Other => {
                let text = self.text(t.span);
                match text.char_indices().nth(24) {
                    Some((cut, _)) => format!("`{}…`", &text[..cut]),
                    None => format!("`{text}`"),
                }
            }
            k => format!("`{}`", k.text()),
        }
    }

    /// Reports an error about the current token, unless one was already reported at that token
    /// (by the parser, or by the lexer: an unterminated string is already an error).
    pub(crate) fn error_at_tok(&mut self, diag: Diagnostic) {
        let t = self.tok();
        let at = t.span.lo;
        if self.last_error_at == Some(at) || self.is_unterminated_string(t) {
            return;
        }
        self.last_error_at = Some(at);
        self.diags.error(diag);
    }

    fn is_unterminated_string(&self, t: Token) -> bool {
        t.kind == TokenKind::Str && !super::token::is_terminated_string(self.text(t.span))
    }

    /// Reports an error that is not about the current token (it does not suppress later ones).
    pub(crate) fn error(&mut self, diag: Diagnostic) {
        self.diags.error(diag);
    }

    pub(crate) fn expect(&mut self, kind: TokenKind) -> PResult<Token> {
        if self.at(kind) {
            Ok(self.bump())
        } else {
            self.fail_token(kind)
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
        self.fail_close(close, open)
    }

    /// Whether there is a line break between the previous token and the current one.
    pub(crate) fn newline_before_tok(&mut self) -> bool {
        let lo = self.prev_hi as usize;
        let hi = self.tok().span.lo as usize;
        self.src.get(lo..hi).is_some_and(|gap| gap.contains('\n'))
    }

    // ---- nesting ----

    /// Enters one level of nesting; past [`MAX_NESTING`] reports the error once and stops parsing.
    pub(crate) fn enter(&mut self) -> PResult<()> {
        if self.depth >= MAX_NESTING {
            return Err(self.too_deep());
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

    pub(crate) fn brace_depth(&self) -> u32 {
        self.brace_depth
    }

    /// Marks the blocks opened since `depth` as closed (a block that ended without its `}`).
    pub(crate) fn reset_brace_depth(&mut self, depth: u32) {
        self.brace_depth = depth;
    }

    /// Skips to the end of a broken statement in a block whose contents are at brace depth
    /// `block_depth`: past the next `;` at that depth, or up to the `}` closing the block, an item
    /// keyword, or end of input. Blocks the statement opened are skipped whole.
    pub(crate) fn recover_stmt(&mut self, block_depth: u32) {
        loop {
            let kind = self.tok().kind;
            match kind {
                TokenKind::Eof => return,
                TokenKind::Semi if self.brace_depth <= block_depth => {
                    self.bump();
                    return;
                }
                TokenKind::CloseBrace if self.brace_depth <= block_depth => return,
                kind if kind.starts_item() => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// Skips to the next item: up to an item keyword, or past a `;` or a balanced `{ .. }`.
    fn recover_item(&mut self) {
        loop {
            match self.tok().kind {
                TokenKind::Eof => return,
                kind if kind.starts_item() => return,
                TokenKind::Semi if self.brace_depth == 0 => {
                    self.bump();
                    return;
                }
                TokenKind::CloseBrace => {
                    if self.brace_depth == 0 {
                        return;
                    }
                    self.bump();
                    if self.brace_depth == 0 {
                        return;
                    }
                }
                _ => {
                    self.bump();
                }
            }
        }
    }
}
