//! Tokens, and reading a token's text back: keywords, integer values, string contents.
//!
//! A token carries only a kind and a span; identifier text, integer values and string contents
//! are read back from the source when the parser needs them ([`int_value`], [`unescape`]), which
//! keeps a token small and `Copy`.

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Ident,
    Int,
    Str,
    // Keywords.
    Static,
    Mut,
    Thread,
    Fn,
    Final,
    Let,
    If,
    Else,
    While,
    Loop,
    For,
    In,
    Break,
    Continue,
    Return,
    Match,
    Spawn,
    True,
    False,
    Tid,
    // Delimiters.
    OpenBrace,
    CloseBrace,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    // Punctuation and operators.
    Semi,
    Colon,
    PathSep,
    Comma,
    Dot,
    DotDot,
    DotDotEq,
    Eq,
    EqEq,
    Ne,
    Bang,
    Lt,
    Le,
    Shl,
    ShlEq,
    Gt,
    Ge,
    Shr,
    ShrEq,
    Plus,
    PlusEq,
    Minus,
    MinusEq,
    Arrow,
    FatArrow,
    Star,
    StarEq,
    Slash,
    SlashEq,
    Percent,
    PercentEq,
    And,
    AndEq,
    AndAnd,
    Or,
    OrEq,
    OrOr,
    Caret,
    CaretEq,
    /// A character Rust knows as punctuation but models do not use (`?`, `#`, `@`, `$`, `~`).
    Other,
    Eof,
}

impl TokenKind {
    /// Keywords that start an item: statement-level recovery stops at them.
    pub(crate) fn starts_item(self) -> bool {
        matches!(
            self,
            TokenKind::Static | TokenKind::Thread | TokenKind::Fn | TokenKind::Final
        )
    }

    /// The fixed text of a keyword or punctuation token.
    pub(crate) fn text(self) -> &'static str {
        use TokenKind::*;
        match self {
            Ident => "identifier",
            Int => "integer literal",
            Str => "string literal",
            Other => "character",
            Eof => "<eof>",
            Static => "static",
            Mut => "mut",
            Thread => "thread",
            Fn => "fn",
            Final => "final",
            Let => "let",
            If => "if",
            Else => "else",
            While => "while",
            Loop => "loop",
            For => "for",
            In => "in",
            Break => "break",
            Continue => "continue",
            Return => "return",
            Match => "match",
            Spawn => "spawn",
            True => "true",
            False => "false",
            Tid => "tid",
            OpenBrace => "{",
            CloseBrace => "}",
            OpenParen => "(",
            CloseParen => ")",
            OpenBracket => "[",
            CloseBracket => "]",
            Semi => ";",
            Colon => ":",
            PathSep => "::",
            Comma => ",",
            Dot => ".",
            DotDot => "..",
            DotDotEq => "..=",
            Eq => "=",
            EqEq => "==",
            Ne => "!=",
            Bang => "!",
            Lt => "<",
            Le => "<=",
            Shl => "<<",
            ShlEq => "<<=",
            Gt => ">",
            Ge => ">=",
            Shr => ">>",
            ShrEq => ">>=",
            Plus => "+",
            PlusEq => "+=",
            Minus => "-",
            MinusEq => "-=",
            Arrow => "->",
            FatArrow => "=>",
            Star => "*",
            StarEq => "*=",
            Slash => "/",
            SlashEq => "/=",
            Percent => "%",
            PercentEq => "%=",
            And => "&",
            AndEq => "&=",
            AndAnd => "&&",
            Or => "|",
            OrEq => "|=",
            OrOr => "||",
            Caret => "^",
            CaretEq => "^=",
        }
    }
}

pub(crate) fn keyword(text: &str) -> Option<TokenKind> {
    use TokenKind::*;
    Some(match text {
        "static" => Static,
        "mut" => Mut,
        "thread" => Thread,
        "fn" => Fn,
        "final" => Final,
        "let" => Let,
        "if" => If,
        "else" => Else,
        "while" => While,
        "loop" => Loop,
        "for" => For,
        "in" => In,
        "break" => Break,
        "continue" => Continue,
        "return" => Return,
        "match" => Match,
        "spawn" => Spawn,
        "true" => True,
        "false" => False,
        "tid" => Tid,
        _ => return None,
    })
}

/// Whether `text` is a keyword (and so cannot be an identifier).
#[cfg(test)]
pub(crate) fn is_keyword(text: &str) -> bool {
    keyword(text).is_some()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// How the parser should read an integer literal's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntValue {
    Value(u64),
    /// Does not even fit in 64 unsigned bits.
    Overflow,
    /// Malformed; the lexer already reported it.
    Invalid,
}

/// The value of an integer literal token's text (decimal, `0x`, `0b`, with `_` separators).
pub(crate) fn int_value(text: &str) -> IntValue {
    match check_int(text) {
        Ok(Some(v)) => IntValue::Value(v),
        Ok(None) => IntValue::Overflow,
        Err(_) => IntValue::Invalid,
    }
}

/// Validates a number token: `Ok(Some(v))`, `Ok(None)` when it overflows `u64`, or the error to
/// report as (message, help, byte range of the offending part within `text`).
pub(crate) fn check_int(text: &str) -> Result<Option<u64>, (String, String, usize, usize)> {
    if text.contains('.') {
        return Err((
            "floating-point literals are not supported".into(),
            "models only have `int` and `bool` values".into(),
            0,
            text.len(),
        ));
    }
    let (radix, body_start) = if text.starts_with("0x") {
        (16, 2)
    } else if text.starts_with("0b") {
        (2, 2)
    } else if text.starts_with("0o") {
        return Err((
            "octal literals are not supported".into(),
            "write the number in decimal, hexadecimal (`0x`) or binary (`0b`)".into(),
            0,
            2,
        ));
    } else {
        (10, 0)
    };
    let mut value: Option<u64> = Some(0);
    let mut digits = 0usize;
    for (i, c) in text[body_start..].char_indices() {
        let at = body_start + i;
        if c == '_' {
            continue;
        }
        match c.to_digit(radix) {
            Some(d) => {
                digits += 1;
                value = value
                    .and_then(|v| v.checked_mul(u64::from(radix)))
                    .and_then(|v| v.checked_add(u64::from(d)));
            }
            None if radix == 2 && c.is_ascii_digit() => {
                return Err((
                    "invalid digit for a base 2 literal".into(),
                    "binary literals only use the digits `0` and `1`".into(),
                    at,
                    at + 1,
                ));
            }
            None => {
                let suffix = &text[at..];
                return Err((
                    format!("invalid suffix `{suffix}` for number literal"),
                    "integer literals have no type suffix in models: every integer is an `int`"
                        .into(),
                    at,
                    text.len(),
                ));
            }
        }
    }
    if digits == 0 {
        return Err((
            "no valid digits found for number".into(),
            "write at least one digit after the prefix".into(),
            0,
            text.len(),
        ));
    }
    Ok(value)
}

/// The contents of a string literal token's text, with `\"`, `\\` and `\n` resolved.
/// Works on unterminated literals too (their contents run to the end of the text).
pub(crate) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    chars.next(); // the opening quote
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    out
}

/// Whether a string token's text ends with its closing quote (not an escaped one).
pub(crate) fn is_terminated_string(text: &str) -> bool {
    let Some(body) = text.strip_suffix('"').filter(|_| text.len() >= 2) else {
        return false;
    };
    let backslashes = body.len() - body.trim_end_matches('\\').len();
    backslashes % 2 == 0
}
