//! Reading model files: expanding folders into `*.weft` and `*.rs` files (sorted, so runs are
//! deterministic) and
//! decoding bytes (invalid UTF-8 is replaced, so the parser reports it instead of the CLI failing).
//! The path `-` is standard input, named `<stdin>` in reports.

use std::fs;
use std::path::{Path, PathBuf};

use weft::SourceFile;

/// Expand each path: a file stays itself, a folder becomes every `*.weft` and `*.rs` below it,
/// sorted.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if is_stdin(path) {
            out.push(path.clone());
            continue;
        }
        let meta = fs::metadata(path)
            .map_err(|e| format!("cannot read `{}`: {}", path.display(), io_reason(&e)))?;
        if meta.is_dir() {
            let found = weft::harness::model_files(path)
                .map_err(|e| format!("cannot read `{}`: {}", path.display(), io_reason(&e)))?;
            if found.is_empty() {
                return Err(format!(
                    "no `*.weft` or `*.rs` files under `{}`",
                    path.display()
                ));
            }
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// Is this path `-`, standard input?
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Read one model file (`-`: standard input, to its end).
pub fn read_model(path: &Path) -> Result<SourceFile, String> {
    if is_stdin(path) {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| format!("cannot read standard input: {}", io_reason(&e)))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return Ok(SourceFile::new("<stdin>", text));
    }
    let bytes = fs::read(path)
        .map_err(|e| format!("cannot read `{}`: {}", path.display(), io_reason(&e)))?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok(SourceFile::new(path.display().to_string(), text))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
