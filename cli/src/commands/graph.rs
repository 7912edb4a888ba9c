//! `weft graph MODEL`: search the model with the state graph built, and export it as Graphviz DOT or
//! as the `weft-graph` JSON document, to standard output or `--output`. It describes, it does not
//! judge: violations in the graph do not change the exit status, an incomplete search does (3).

use std::fs;
use std::io::{BufWriter, ErrorKind, Write};

use super::Ui;
use crate::args::{GraphArgs, GraphFormat};
use crate::exit::Exit;
use crate::model;

/// Graphviz lays out a few thousand nodes at most in reasonable time.
const DOT_COMFORT: usize = 5_000;

pub fn run(args: &GraphArgs, ui: &Ui) -> Exit {
    let program = match model::load(&args.model) {
        Ok(program) => program,
        Err(e) => {
            anstream::eprint!("{}", e.render(&ui.printer));
            return Exit::Error;
        }
    };
    if args.search.memory_model == Some(crate::args::MemoryModelArg::All) {
        ui.error("`--memory-model all` is for `weft check` and `weft outcomes`; `weft graph` takes one model (sc, tso, ra or rc11)");
        return Exit::Error;
    }
    let mut options = model::options(&args.search, &ui.cancel);
    if options.strategy.is_sampling() {
        ui.error(&format!(
            "`weft graph` needs a search that stores states; `--strategy {}` samples executions \
             and builds no graph (use bfs, dfs or icb)",
            options.strategy.as_str()
        ));
        return Exit::Error;
    }
    options.build_graph = true;
    let report = model::search(&program, &options, ui.feedback(&args.search));
    let Some(graph) = &report.graph else {
        ui.error("the search returned no state graph (this is a bug in weft)");
        return Exit::Error;
    };
    if args.format == GraphFormat::Dot && graph.node_count() > DOT_COMFORT {
        ui.note(&format!(
            "note: {} nodes is more than Graphviz draws comfortably; bound the search with \
             --max-states or --max-depth",
            graph.node_count()
        ));
    }
    if let weft::Verdict::Incomplete { limit } = report.verdict {
        ui.note(&format!(
            "note: the search stopped at {limit}: the graph is partial (unexplored states are dashed)"
        ));
    }
    // Written as it is formatted: the text of a large graph is never held whole.
    let write = |out: &mut dyn Write| {
        let mut out = BufWriter::new(out);
        match args.format {
            GraphFormat::Dot => graph.write_dot(&mut out),
            GraphFormat::Json => graph.write_json(&mut out),
        }?;
        out.flush()
    };
    match &args.output {
        None => match write(&mut std::io::stdout().lock()) {
            Ok(()) => {}
            // A reader that stopped early (`weft graph m.weft | head`) is not an error.
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {}
            Err(e) => {
                ui.error(&format!("cannot write the graph to standard output: {e}"));
                return Exit::Error;
            }
        },
        Some(path) => {
            if let Err(e) = fs::File::create(path).and_then(|mut file| write(&mut file)) {
                ui.error(&format!("cannot write `{}`: {e}", path.display()));
                return Exit::Error;
            }
            let violations = graph
                .graph
                .node_weights()
                .filter(|n| n.status.is_violation())
                .count();
            ui.note(&format!(
                "wrote the state graph of {} to {}: {} nodes, {} edges, {} violating",
                args.model.display(),
                path.display(),
                graph.node_count(),
                graph.edge_count(),
                violations
            ));
        }
    }
    if report.is_complete() {
        Exit::Holds
    } else {
        Exit::Incomplete
    }
}
