//! What the published CLI package carries. A package cannot reach files outside its folder, so
//! `weft docs` compiles its documents in from `cli/docs/`, symbolic links to the repository's
//! `docs/` (the one source), which cargo packages as the files they point to. These tests fail when
//! a link has been replaced by a copy that drifted (or checked out as a plain file holding the link's
//! target, as git does where links are unsupported), and when the CLI embeds a document from
//! anywhere but `cli/docs/`, which the package would not carry.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The file names in `cli/docs/`, sorted.
fn packaged_docs() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root().join("cli/docs"))
        .expect("read cli/docs")
        .map(|e| e.expect("a directory entry").file_name())
        .map(|n| n.into_string().expect("a UTF-8 file name"))
        .collect();
    names.sort();
    names
}

#[test]
fn packaged_docs_are_the_repository_docs() {
    let names = packaged_docs();
    assert!(!names.is_empty(), "cli/docs is empty");
    for name in names {
        let packaged = fs::read_to_string(root().join("cli/docs").join(&name))
            .unwrap_or_else(|e| panic!("cli/docs/{name}: {e}"));
        let source = fs::read_to_string(root().join("docs").join(&name))
            .unwrap_or_else(|e| panic!("cli/docs/{name} has no docs/{name}: {e}"));
        assert!(
            packaged == source,
            "cli/docs/{name} differs from docs/{name}; it should be a link: \
             `ln -sf ../../docs/{name} cli/docs/{name}`"
        );
    }
}

#[test]
fn weft_docs_embeds_exactly_the_packaged_docs() {
    let meta = fs::read_to_string(root().join("cli/src/commands/meta.rs")).expect("read meta.rs");
    let mut embedded: Vec<String> = meta
        .split("include_str!(\"")
        .skip(1)
        .map(|rest| rest.split('"').next().expect("a closing quote").to_string())
        .map(|path| {
            // meta.rs is cli/src/commands/meta.rs, so ../../ is cli/.
            path.strip_prefix("../../docs/")
                .unwrap_or_else(|| panic!("meta.rs embeds {path}, outside cli/docs/"))
                .to_string()
        })
        .collect();
    embedded.sort();
    assert_eq!(
        embedded,
        packaged_docs(),
        "the documents meta.rs embeds and the links in cli/docs/ differ"
    );
}
