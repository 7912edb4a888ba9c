//! The few styles the command line uses beyond annotate-snippets' own: status words in colour.
//! Styles are ANSI codes; `anstream` removes them where colour is off (see `main`).

/// A status word's colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Warn,
    Dim,
}

/// `text` in `tone`, when `styled`.
pub fn paint(text: &str, tone: Tone, styled: bool) -> String {
    if !styled {
        return text.to_string();
    }
    let code = match tone {
        Tone::Good => "\x1b[1;32m",
        Tone::Bad => "\x1b[1;31m",
        Tone::Warn => "\x1b[1;33m",
        Tone::Dim => "\x1b[2m",
    };
    format!("{code}{text}\x1b[0m")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_untouched() {
        assert_eq!(paint("ok", Tone::Good, false), "ok");
        assert_eq!(paint("ok", Tone::Good, true), "\x1b[1;32mok\x1b[0m");
    }
}
