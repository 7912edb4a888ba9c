//! `weft completions`, `weft man` and `weft docs`: what an installed binary tells about itself.
//! Completions and the manual page come from the same clap definition as `--help` (clap's own
//! `clap_complete` and `clap_mangen`), so they cannot drift from the flags; the documents are the
//! repository's `docs/*.md`, compiled in.

use std::io::Write;

use clap::CommandFactory;

use super::Ui;
use crate::args::{Cli, DocTopic};
use crate::exit::Exit;

pub fn completions(shell: clap_complete::Shell, ui: &Ui) -> Exit {
    let mut command = Cli::command();
    // Into a buffer first: clap_complete panics when its writer fails (`| head`).
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "weft", &mut out);
    write_out(ui, &out)
}

pub fn man(ui: &Ui) -> Exit {
    let page = clap_mangen::Man::new(Cli::command());
    let mut out = Vec::new();
    if let Err(e) = page.render(&mut out) {
        ui.error(&format!("cannot render the manual page: {e}"));
        return Exit::Error;
    }
    write_out(ui, &out)
}

/// The documents, as `(topic, file name, text)`. They are read through `cli/docs/`, links to the
/// repository's `docs/`, because a published package cannot reach files outside itself and cargo
/// packages what the links point to (`tests/tests/packaging.rs` checks they have not drifted).
const DOCS: &[(DocTopic, &str, &str)] = &[
    (
        DocTopic::Guide,
        "guide.md",
        include_str!("../../docs/guide.md"),
    ),
    (
        DocTopic::Language,
        "language.md",
        include_str!("../../docs/language.md"),
    ),
    (DocTopic::Cli, "cli.md", include_str!("../../docs/cli.md")),
    (
        DocTopic::Rust,
        "rust.md",
        include_str!("../../docs/rust.md"),
    ),
    (
        DocTopic::MemoryModels,
        "memory-models.md",
        include_str!("../../docs/memory-models.md"),
    ),
    (
        DocTopic::TraceFormat,
        "trace-format.md",
        include_str!("../../docs/trace-format.md"),
    ),
];

pub fn docs(topic: Option<DocTopic>, ui: &Ui) -> Exit {
    let text = match topic {
        Some(topic) => DOCS
            .iter()
            .find(|(t, _, _)| *t == topic)
            .map_or(String::new(), |(_, _, text)| (*text).to_string()),
        None => {
            let mut list = String::from("weft's documents (`weft docs TOPIC`):\n");
            for (topic, file, text) in DOCS {
                let name = clap::ValueEnum::to_possible_value(topic)
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default();
                let title = text
                    .lines()
                    .find_map(|l| l.strip_prefix("# "))
                    .unwrap_or(file);
                list.push_str(&format!("  {name:<14} {title} (docs/{file})\n"));
            }
            list
        }
    };
    write_out(ui, text.as_bytes())
}

/// Standard output; a closed pipe (`weft docs cli | head`) is not an error worth a message.
fn write_out(ui: &Ui, bytes: &[u8]) -> Exit {
    match std::io::stdout().write_all(bytes) {
        Ok(()) => Exit::Holds,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Holds,
        Err(e) => {
            ui.error(&format!("cannot write the output: {e}"));
            Exit::Error
        }
    }
}
