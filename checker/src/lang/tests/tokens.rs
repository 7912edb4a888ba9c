//! The lexer on its own: token boundaries, keywords, comments, and reading literals back.

use crate::lang::diags::Diags;
use crate::lang::lexer::Lexer;
use crate::lang::token::{int_value, is_terminated_string, unescape, IntValue, TokenKind};

/// The kinds and texts of all tokens in `src`, and the number of errors.
fn lex(src: &str) -> (Vec<(TokenKind, &str)>, usize) {
    let mut lexer = Lexer::new(src);
    let mut diags = Diags::default();
    let mut out = Vec::new();
    loop {
        let t = lexer.next_token(&mut diags);
        if t.kind == TokenKind::Eof {
            break;
        }
        out.push((t.kind, &src[t.span.lo as usize..t.span.hi as usize]));
    }
    (out, diags.finish().len())
}

fn kinds(src: &str) -> Vec<TokenKind> {
    lex(src).0.into_iter().map(|(k, _)| k).collect()
}

#[test]
fn punctuation_takes_the_longest_match() {
    use TokenKind::*;
    assert_eq!(
        kinds("<<= >>= ..= :: .. == != <= << >= >> += -= -> => *= /= %= &= && |= || ^="),
        [
            ShlEq, ShrEq, DotDotEq, PathSep, DotDot, EqEq, Ne, Le, Shl, Ge, Shr, PlusEq, MinusEq,
            Arrow, FatArrow, StarEq, SlashEq, PercentEq, AndEq, AndAnd, OrEq, OrOr, CaretEq
        ]
    );
    assert_eq!(kinds("a<<=b"), [Ident, ShlEq, Ident]);
    assert_eq!(kinds("0..4"), [Int, DotDot, Int]);
    assert_eq!(
        kinds("1.max(2)"),
        [Int, Dot, Ident, OpenParen, Int, CloseParen]
    );
    assert_eq!(kinds("x!=y"), [Ident, Ne, Ident]);
    assert_eq!(kinds("? # @ $ ~"), [Other, Other, Other, Other, Other]);
}

#[test]
fn keywords_and_identifiers() {
    use TokenKind::*;
    assert_eq!(
        kinds("static mut thread fn final let if else while loop for in break continue return match spawn true false tid"),
        [Static, Mut, Thread, Fn, Final, Let, If, Else, While, Loop, For, In, Break, Continue,
         Return, Match, Spawn, True, False, Tid]
    );
    assert_eq!(
        lex("int bool _ _x x_1 Tid statics")
            .0
            .iter()
            .filter(|(k, _)| *k == Ident)
            .count(),
        7
    );
}

#[test]
fn comments_and_whitespace_are_skipped() {
    let (tokens, errors) = lex("a /* b /* c */ d */ e // f\n\u{85}g\u{2028}h\t\r\ni");
    assert_eq!(
        tokens.iter().map(|(_, t)| *t).collect::<Vec<_>>(),
        ["a", "e", "g", "h", "i"]
    );
    assert_eq!(errors, 0);
}

#[test]
fn malformed_tokens_are_errors() {
    for src in [
        "/* open",
        "\"open",
        "1.5",
        "0x",
        "12ab",
        "0b12",
        "0o7",
        "\u{0}",
        "é",
        "\"\\q\"",
        "//@ nothing",
    ] {
        assert_eq!(lex(src).1, 1, "{src:?}");
    }
}

#[test]
fn integer_values() {
    assert_eq!(int_value("1_000"), IntValue::Value(1000));
    assert_eq!(int_value("0xFF"), IntValue::Value(255));
    assert_eq!(int_value("0b101"), IntValue::Value(5));
    assert_eq!(int_value("18446744073709551615"), IntValue::Value(u64::MAX));
    assert_eq!(int_value("18446744073709551616"), IntValue::Overflow);
    assert_eq!(int_value("12ab"), IntValue::Invalid);
    assert_eq!(int_value("1.5"), IntValue::Invalid);
}

#[test]
fn string_contents() {
    assert_eq!(unescape(r#""a\"b\\c\nd""#), "a\"b\\c\nd");
    assert_eq!(unescape("\"open"), "open");
    assert!(is_terminated_string(r#""a""#));
    assert!(is_terminated_string(r#""a\\""#));
    assert!(!is_terminated_string(r#""a\""#));
    assert!(!is_terminated_string("\""));
}
