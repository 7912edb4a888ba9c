//! Text to AST: lexer, parser with error recovery, and a printer. Never panics on any input.

pub mod ast;
