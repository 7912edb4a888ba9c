//! Property tests: no input makes the front end panic or report nonsense spans; generated ASTs
//! survive printing and parsing unchanged; so does anything that parses cleanly.

use std::sync::OnceLock;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

use super::{corpus, generate, parse_src};
use crate::lang::{print, strip_spans, MAX_ERRORS};

/// Parses `text` and checks what must hold for any input at all.
pub(super) fn check_any_input(text: &str) -> Result<(), TestCaseError> {
    let (model, diags) = parse_src(text);
    prop_assert!(diags.len() <= MAX_ERRORS + 1, "{} diagnostics", diags.len());
    for d in &diags {
        for span in std::iter::once(d.span).chain(d.notes.iter().map(|(s, _)| *s)) {
            prop_assert!(
                span.lo <= span.hi && span.hi as usize <= text.len(),
                "{d:?}"
            );
            prop_assert!(text.is_char_boundary(span.lo as usize), "{d:?}");
            prop_assert!(text.is_char_boundary(span.hi as usize), "{d:?}");
        }
        prop_assert!(!d.message.is_empty());
    }
    // Printing a partial model must not panic either.
    let printed = print(&model);
    if diags.is_empty() {
        let (mut again, diags) = parse_src(&printed);
        prop_assert!(
            diags.is_empty(),
            "{text:?} printed as\n{printed}\nfails: {diags:#?}"
        );
        let mut model = model;
        strip_spans(&mut model);
        strip_spans(&mut again);
        prop_assert_eq!(again, model, "{:?} printed as\n{}", text, printed);
    }
    Ok(())
}

/// Pieces of syntax, for token soups and insertions.
const FRAGMENTS: &[&str] = &[
    "static",
    "mut",
    "thread",
    "fn",
    "final",
    "let",
    "if",
    "else",
    "while",
    "loop",
    "for",
    "in",
    "break",
    "continue",
    "return",
    "match",
    "spawn",
    "true",
    "false",
    "tid",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ":",
    "::",
    ",",
    ".",
    "..",
    "..=",
    "=",
    "==",
    "!=",
    "!",
    "<",
    "<=",
    "<<",
    "<<=",
    ">",
    ">=",
    ">>",
    ">>=",
    "+",
    "+=",
    "-",
    "-=",
    "->",
    "=>",
    "*",
    "/",
    "%",
    "&",
    "&&",
    "|",
    "||",
    "^",
    "x",
    "X",
    "_",
    "None",
    "Some",
    "Ok",
    "assert",
    "panic",
    "0",
    "9223372036854775808",
    "0x",
    "0b2",
    "1.5",
    "\"",
    "\"msg\"",
    "/*",
    "*/",
    "//",
    "//!",
    "//@",
    "\n",
    "?",
    "#",
    "😀",
    "\u{0}",
    "\u{FEFF}",
];

fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(FRAGMENTS)
}

/// The seeds of the mutation test: corpus models and documentation examples.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds: Vec<String> = corpus::all_samples().into_iter().map(|s| s.text).collect();
        if seeds.is_empty() {
            seeds
                .push("static X: AtomicInt = 0;\nthread t[2] { X.fetch_add(1, SeqCst); }\n".into());
        }
        seeds
    })
}

#[derive(Clone, Debug)]
enum Edit {
    Delete(Index, usize),
    InsertBytes(Index, Vec<u8>),
    InsertFragment(Index, &'static str),
    Swap(Index, Index),
    Duplicate(Index, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), 1usize..12).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<Index>(), vec(any::<u8>(), 1..4)).prop_map(|(at, b)| Edit::InsertBytes(at, b)),
        (any::<Index>(), fragment()).prop_map(|(at, f)| Edit::InsertFragment(at, f)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (any::<Index>(), 1usize..40).prop_map(|(at, n)| Edit::Duplicate(at, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let pos = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
    match edit {
        Edit::Delete(at, n) => {
            let lo = pos(at, bytes.len()).min(bytes.len());
            let hi = (lo + n).min(bytes.len());
            bytes.drain(lo..hi);
        }
        Edit::InsertBytes(at, b) => {
            let at = pos(at, bytes.len());
            bytes.splice(at..at, b.iter().copied());
        }
        Edit::InsertFragment(at, f) => {
            let at = pos(at, bytes.len());
            bytes.splice(at..at, f.bytes());
        }
        Edit::Swap(a, b) if !bytes.is_empty() => {
            let (a, b) = (a.index(bytes.len()), b.index(bytes.len()));
            bytes.swap(a, b);
        }
        Edit::Swap(..) => {}
        Edit::Duplicate(at, n) => {
            let lo = pos(at, bytes.len()).min(bytes.len());
            let hi = (lo + n).min(bytes.len());
            let copy = bytes[lo..hi].to_vec();
            bytes.splice(hi..hi, copy);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..600)) {
        check_any_input(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        check_any_input(&text)?;
    }

    #[test]
    fn token_soup_never_panics(tokens in vec(fragment(), 0..120)) {
        check_any_input(&tokens.join(" "))?;
        check_any_input(&tokens.concat())?;
    }

    #[test]
    fn mutated_models_never_panic(seed in any::<Index>(), edits in vec(edit(), 1..6)) {
        let seeds = seeds();
        let mut bytes = seeds[seed.index(seeds.len())].clone().into_bytes();
        for e in &edits {
            apply(&mut bytes, e);
        }
        check_any_input(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn generated_models_round_trip(model in generate::model()) {
        let printed = print(&model);
        let (mut parsed, diags) = parse_src(&printed);
        prop_assert!(diags.is_empty(), "printed:\n{}\nerrors: {:#?}", printed, diags);
        strip_spans(&mut parsed);
        prop_assert_eq!(&parsed, &model, "printed:\n{}", printed);
        // The printer is a fixed point of printing and parsing.
        prop_assert_eq!(print(&parsed), printed);
    }
}
