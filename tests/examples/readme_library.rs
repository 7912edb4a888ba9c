//! The README's example of the library, compiled with the tests (`tests/tests/readme.rs` checks the
//! README shows this file's code unchanged). Run it from the repository's root:
//! `cargo run -p weft-tests --example readme_library`.

use weft::{Options, SourceFile};

fn main() {
    let path = "models/basics/lost_update_racy.weft";
    let text = std::fs::read_to_string(path).expect("read the model");
    let source = SourceFile::new(path, text);
    match weft::check(&source, &Options::default()) {
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{}", d.render(&source)); // rustc-style, with the source line
            }
        }
        Ok(report) => {
            println!("{}", report.verdict.as_str()); // safe, violation or incomplete
            for v in &report.violations {
                println!("{} at {}: {}", v.kind.as_str(), v.location, v.message);
            }
        }
    }
}
