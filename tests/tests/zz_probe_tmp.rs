use std::path::Path;
use weft::{harness, ir, Options, SourceFile, Strategy, Verdict};
use weft::report::SearchInfo;

#[test]
fn probe() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    for path in harness::model_files(&root).unwrap() {
        if path.to_string_lossy().contains("/bench/") { continue; }
        let text = std::fs::read_to_string(&path).unwrap();
        let p = ir::compile(SourceFile::new(path.display().to_string(), text)).unwrap();
        let ex = weft::check_program(&p, &Options::default());
        let icb = weft::check_program(&p, &Options { strategy: Strategy::Icb, ..Options::default() });
        let b = match &icb.search { Some(SearchInfo::Bounded(b)) => b.clone(), _ => panic!() };
        let mut conv = None;
        for k in 0..8 {
            let r = weft::check_program(&p, &Options { max_preemptions: Some(k), ..Options::default() });
            if let Some(SearchInfo::Bounded(b)) = &r.search { if !b.pruned { conv = Some(k); break; } }
        }
        println!("{:50} ex={:?} {} icb K={} pruned={} {:?} kinds={:?} conv={:?} iters={:?}", path.strip_prefix(&root).unwrap().display(), ex.verdict, ex.stats.states, b.bound, b.pruned, icb.verdict, icb.kinds(), conv, b.iterations.iter().map(|i| i.states).collect::<Vec<_>>());
        let _ = Verdict::Safe;
    }
}
