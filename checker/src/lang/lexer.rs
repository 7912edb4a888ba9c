//! The lexer: turns source text into tokens on demand, collecting `//!` doc lines and `//@`
//! directives on the way and reporting malformed tokens. Linear in the input, never panics.

use super::ast::Directive;
use super::diags::Diags;
use super::token::{check_int, keyword, Token, TokenKind};
use crate::source::{Diagnostic, Span};

/// Rust's `Pattern_White_Space`.
fn is_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\u{B}'
            | '\u{C}'
            | '\r'
            | ' '
            | '\u{85}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Characters often pasted in place of an ASCII one, with their names.
fn confusable(c: char) -> Option<(&'static str, char, &'static str)> {
    Some(match c {
        '\u{201C}' => ("Left Double Quotation Mark", '"', "Quotation Mark"),
        '\u{201D}' => ("Right Double Quotation Mark", '"', "Quotation Mark"),
        '\u{2018}' => ("Left Single Quotation Mark", '\'', "Apostrophe"),
        '\u{2019}' => ("Right Single Quotation Mark", '\'', "Apostrophe"),
        '\u{FF1B}' => ("Fullwidth Semicolon", ';', "Semicolon"),
        '\u{037E}' => ("Greek Question Mark", ';', "Semicolon"),
        '\u{FF0C}' => ("Fullwidth Comma", ',', "Comma"),
        '\u{FF1A}' => ("Fullwidth Colon", ':', "Colon"),
        '\u{FF08}' => ("Fullwidth Left Parenthesis", '(', "Left Parenthesis"),
        '\u{FF09}' => ("Fullwidth Right Parenthesis", ')', "Right Parenthesis"),
        '\u{FF5B}' => ("Fullwidth Left Curly Bracket", '{', "Left Curly Brace"),
        '\u{FF5D}' => ("Fullwidth Right Curly Bracket", '}', "Right Curly Brace"),
        '\u{FF1D}' => ("Fullwidth Equals Sign", '=', "Equals Sign"),
        '\u{2212}' => ("Minus Sign", '-', "Minus/Hyphen"),
        '\u{2013}' => ("En Dash", '-', "Minus/Hyphen"),
        '\u{2014}' => ("Em Dash", '-', "Minus/Hyphen"),
        '\u{00D7}' => ("Multiplication Sign", '*', "Asterisk"),
        '\u{00A0}' => ("No-Break Space", ' ', "Space"),
        '\u{3000}' => ("Ideographic Space", ' ', "Space"),
        _ => return None,
    })
}

/// How a character appears in a message: as itself when visible, escaped otherwise (`\u{0}`).
fn display_char(c: char) -> String {
    let invisible = c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}');
    if invisible {
        c.escape_unicode().to_string()
    } else {
        c.to_string()
    }
}

pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    /// `//!` lines seen so far.
    pub(crate) doc: Vec<String>,
    /// `//@` lines seen so far.
    pub(crate) directives: Vec<Directive>,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Lexer<'a> {
        // A byte-order mark is not part of the program (rustc skips it too).
        let pos = if src.starts_with('\u{FEFF}') { 3 } else { 0 };
        Lexer {
            src,
            pos,
            doc: Vec::new(),
            directives: Vec::new(),
        }
    }

    /// A lexer over `src[pos..]` (a directive's value within its file), so that every token's
    /// span is in the file's coordinates and end of input is the end of `src`.
    pub(crate) fn starting_at(src: &'a str, pos: usize) -> Lexer<'a> {
        Lexer {
            src,
            pos,
            doc: Vec::new(),
            directives: Vec::new(),
        }
    }

    fn byte(&self, at: usize) -> u8 {
        self.src.as_bytes().get(at).copied().unwrap_or(0)
    }

    fn token(&self, kind: TokenKind, lo: usize) -> Token {
        Token {
            kind,
            span: Span::new(lo, self.pos),
        }
    }

    /// The next token; at the end of input, `Eof` forever.
    pub(crate) fn next_token(&mut self, diags: &mut Diags) -> Token {
        loop {
            let lo = self.pos;
            let Some(c) = self.src[lo..].chars().next() else {
                return self.token(TokenKind::Eof, lo);
            };
            if is_whitespace(c) {
                self.pos += c.len_utf8();
                continue;
            }
            match c {
                '/' if self.byte(lo + 1) == b'/' => self.line_comment(diags),
                '/' if self.byte(lo + 1) == b'*' => self.block_comment(diags),
                'a'..='z' | 'A'..='Z' | '_' => return self.ident(),
                '0'..='9' => return self.number(diags),
                '"' => return self.string(diags),
                _ => {
                    if let Some(kind) = self.punct() {
                        return self.token(kind, lo);
                    }
                    self.unknown(c, diags);
                }
            }
        }
    }

    fn ident(&mut self) -> Token {
        let lo = self.pos;
        let bytes = self.src.as_bytes();
        let mut end = lo + 1;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        self.pos = end;
        let kind = keyword(&self.src[lo..end]).unwrap_or(TokenKind::Ident);
        self.token(kind, lo)
    }

    fn number(&mut self, diags: &mut Diags) -> Token {
        let lo = self.pos;
        let bytes = self.src.as_bytes();
        let alnum = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let mut end = lo + 1;
        while end < bytes.len() && alnum(bytes[end]) {
            end += 1;
        }
        // `1.5` is a float; `0..4` and `1.max(2)` are not.
        let hex = self.src[lo..end].starts_with("0x");
        if !hex && self.byte(end) == b'.' && self.byte(end + 1).is_ascii_digit() {
            end += 1;
            while end < bytes.len() && alnum(bytes[end]) {
                end += 1;
            }
        }
        self.pos = end;
        let text = &self.src[lo..end];
        if let Err((message, help, from, to)) = check_int(text) {
            diags.error(
                Diagnostic::error(Span::new(lo + from, lo + to), message)
                    .with_label("invalid literal")
                    .with_help(help),
            );
        }
        self.token(TokenKind::Int, lo)
    }

    fn string(&mut self, diags: &mut Diags) -> Token {
        let lo = self.pos;
        let bytes = self.src.as_bytes();
        let mut at = lo + 1;
        loop {
            match bytes.get(at) {
                None => {
                    diags.error(
                        Diagnostic::error(
                            Span::new(lo, bytes.len()),
                            "unterminated double quote string",
                        )
                        .with_label("the string starts here and never ends")
                        .with_help("add a closing `\"`"),
                    );
                    self.pos = bytes.len();
                    return self.token(TokenKind::Str, lo);
                }
                Some(b'"') => {
                    self.pos = at + 1;
                    return self.token(TokenKind::Str, lo);
                }
                Some(b'\\') => {
                    let Some(escaped) = self.src.get(at + 1..).and_then(|s| s.chars().next())
                    else {
                        at += 1;
                        continue;
                    };
                    if !matches!(escaped, '"' | '\\' | 'n') {
                        diags.error(
                            Diagnostic::error(
                                Span::new(at, at + 1 + escaped.len_utf8()),
                                format!("unknown character escape: `{}`", escaped.escape_default()),
                            )
                            .with_label("unknown character escape")
                            .with_help("the escapes in models are `\\\"`, `\\\\` and `\\n`"),
                        );
                    }
                    at += 1 + escaped.len_utf8();
                }
                // Any other byte, including the parts of a multi-byte character: only the ASCII
                // quote and backslash matter, and they never occur inside a multi-byte sequence.
                Some(_) => at += 1,
            }
        }
    }

    fn line_comment(&mut self, diags: &mut Diags) {
        let lo = self.pos;
        let rest = &self.src[lo..];
        let len = rest.find('\n').unwrap_or(rest.len());
        self.pos = lo + len;
        let line = rest[..len].strip_suffix('\r').unwrap_or(&rest[..len]);
        let line_span = Span::new(lo, lo + line.len());
        if let Some(text) = line.strip_prefix("//!") {
            let text = text.strip_prefix(' ').unwrap_or(text);
            self.doc.push(text.trim_end().to_string());
        } else if let Some(body) = line.strip_prefix("//@") {
            self.directive(body, lo + 3, line_span, diags);
        }
    }

    /// `body` is the text after `//@`, starting at byte `body_lo`.
    fn directive(&mut self, body: &str, body_lo: usize, line_span: Span, diags: &mut Diags) {
        let Some(colon) = body.find(':').filter(|&i| !body[..i].trim().is_empty()) else {
            diags.error(
                Diagnostic::error(line_span, "expected `//@ key: value`")
                    .with_label("malformed directive")
                    .with_help("directives look like `//@ expect: safe`"),
            );
            return;
        };
        let after = &body[colon + 1..];
        let value = after.trim();
        let value_lo = body_lo + colon + 1 + (after.len() - after.trim_start().len());
        self.directives.push(Directive {
            key: body[..colon].trim().to_string(),
            value: value.to_string(),
            span: line_span,
            value_span: Span::new(value_lo, value_lo + value.len()),
        });
    }

    fn block_comment(&mut self, diags: &mut Diags) {
        let lo = self.pos;
        let bytes = self.src.as_bytes();
        let mut at = lo + 2;
        let mut depth = 1usize;
        while at < bytes.len() {
            match (bytes[at], self.byte(at + 1)) {
                (b'/', b'*') => {
                    depth += 1;
                    at += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    at += 2;
                    if depth == 0 {
                        self.pos = at;
                        return;
                    }
                }
                _ => at += 1,
            }
        }
        self.pos = bytes.len();
        diags.error(
            Diagnostic::error(Span::new(lo, lo + 2), "unterminated block comment")
                .with_label("unterminated block comment")
                .with_help(
                    "close it with `*/` (block comments nest: each `/*` needs its own `*/`)",
                ),
        );
    }

    /// Punctuation at the current position, longest match first.
    fn punct(&mut self) -> Option<TokenKind> {
        use TokenKind::*;
        let (b0, b1, b2) = (
            self.byte(self.pos),
            self.byte(self.pos + 1),
            self.byte(self.pos + 2),
        );
        let (kind, len) = match (b0, b1, b2) {
            (b'<', b'<', b'=') => (ShlEq, 3),
            (b'>', b'>', b'=') => (ShrEq, 3),
            (b'.', b'.', b'=') => (DotDotEq, 3),
            (b':', b':', _) => (PathSep, 2),
            (b'.', b'.', _) => (DotDot, 2),
            (b'=', b'=', _) => (EqEq, 2),
            (b'!', b'=', _) => (Ne, 2),
            (b'<', b'=', _) => (Le, 2),
            (b'<', b'<', _) => (Shl, 2),
            (b'>', b'=', _) => (Ge, 2),
            (b'>', b'>', _) => (Shr, 2),
            (b'+', b'=', _) => (PlusEq, 2),
            (b'-', b'=', _) => (MinusEq, 2),
            (b'-', b'>', _) => (Arrow, 2),
            (b'=', b'>', _) => (FatArrow, 2),
            (b'*', b'=', _) => (StarEq, 2),
            (b'/', b'=', _) => (SlashEq, 2),
            (b'%', b'=', _) => (PercentEq, 2),
            (b'&', b'=', _) => (AndEq, 2),
            (b'&', b'&', _) => (AndAnd, 2),
            (b'|', b'=', _) => (OrEq, 2),
            (b'|', b'|', _) => (OrOr, 2),
            (b'^', b'=', _) => (CaretEq, 2),
            (b'{', _, _) => (OpenBrace, 1),
            (b'}', _, _) => (CloseBrace, 1),
            (b'(', _, _) => (OpenParen, 1),
            (b')', _, _) => (CloseParen, 1),
            (b'[', _, _) => (OpenBracket, 1),
            (b']', _, _) => (CloseBracket, 1),
            (b';', _, _) => (Semi, 1),
            (b':', _, _) => (Colon, 1),
            (b',', _, _) => (Comma, 1),
            (b'.', _, _) => (Dot, 1),
            (b'=', _, _) => (Eq, 1),
            (b'!', _, _) => (Bang, 1),
            (b'<', _, _) => (Lt, 1),
            (b'>', _, _) => (Gt, 1),
            (b'+', _, _) => (Plus, 1),
            (b'-', _, _) => (Minus, 1),
            (b'*', _, _) => (Star, 1),
            (b'/', _, _) => (Slash, 1),
            (b'%', _, _) => (Percent, 1),
            (b'&', _, _) => (And, 1),
            (b'|', _, _) => (Or, 1),
            (b'^', _, _) => (Caret, 1),
            (b'?' | b'#' | b'@' | b'$' | b'~', _, _) => (Other, 1),
            _ => return None,
        };
        self.pos += len;
        Some(kind)
    }

    /// Reports a character that cannot start a token; a run of the same character is one error.
    fn unknown(&mut self, c: char, diags: &mut Diags) {
        let lo = self.pos;
        self.pos += c.len_utf8();
        let mut repeats = 0usize;
        while self.src[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            repeats += 1;
        }
        let mut diag = Diagnostic::error(
            Span::new(lo, lo + c.len_utf8()),
            format!("unknown start of token: {}", display_char(c)),
        );
        if let Some((name, ascii, ascii_name)) = confusable(c) {
            diag = diag.with_help(format!(
                "Unicode character '{c}' ({name}) looks like '{ascii}' ({ascii_name}), but it is not"
            ));
        } else if c == '\u{FFFD}' {
            diag =
                diag.with_help("the file is not valid UTF-8 here: the invalid bytes were replaced");
        } else if c == '\'' {
            diag = diag.with_help("character literals and loop labels are not supported in models");
        } else if c == '`' {
            diag = diag.with_help("backticks are not part of the language: remove them");
        }
        if repeats > 0 {
            let times = if repeats == 1 { "time" } else { "times" };
            diag = diag.with_help(format!("character appears {repeats} more {times}"));
        }
        diags.error(diag);
    }
}
