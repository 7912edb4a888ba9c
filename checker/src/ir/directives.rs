//! `//@` header directives: parsed, checked against the model's statics, and resolved into
//! [`Directives`] (outcome expressions are parsed by `lang` and lowered like `final` reads).

use crate::ir::lower::Lowerer;
use crate::ir::program::{Directives, OutcomeCheck, StaticKind};
use crate::ir::scope::did_you_mean;
use crate::lang::ast::Directive;
use crate::report::ViolationKind;
use crate::source::{Diagnostic, SourceFile, Span};

const KEYS: [&str; 9] = [
    "expect",
    "observe",
    "outcome allowed",
    "outcome forbidden",
    "memory-model",
    "spurious-wakeups",
    "max-preemptions",
    "max-states",
    "max-depth",
];

/// Resolve the header. Outcome expressions are lowered with `lw` (statics only).
pub(crate) fn lower_directives(
    file: &SourceFile,
    list: &[Directive],
    lw: &mut Lowerer<'_, '_>,
) -> Directives {
    let mut out = Directives::default();
    let mut seen: Vec<(String, Span)> = Vec::new();
    for d in list {
        let written = d.key.split_whitespace().collect::<Vec<_>>().join(" ");
        // `expect[rc11]`, `outcome[sc] allowed`: a check that applies under one memory model.
        let (key, model) = match qualified(&written) {
            Ok(split) => split,
            Err(message) => {
                lw.diags.push(
                    Diagnostic::error(d.span, message)
                        .with_label("in this directive")
                        .with_help(format!(
                            "write e.g. `//@ expect[sc]: safe` or `//@ outcome[rc11] allowed: R == 0`; the memory models are {}",
                            model_names().join(", ")
                        )),
                );
                continue;
            }
        };
        let Some(&known) = KEYS.iter().find(|k| **k == key) else {
            let mut diag = Diagnostic::error(d.span, format!("unknown directive `//@ {key}`"))
                .with_label("unknown directive");
            if let Some(h) = did_you_mean(&key, KEYS) {
                diag = diag.with_help(h);
            }
            lw.diags
                .push(diag.with_help(format!("the directives are {}", KEYS.join(", "))));
            continue;
        };
        if model.is_some() && !matches!(known, "expect" | "outcome allowed" | "outcome forbidden") {
            lw.diags.push(
                Diagnostic::error(d.span, format!("`//@ {known}` cannot name a memory model"))
                    .with_label("only `expect` and `outcome` lines can")
                    .with_help(format!("write `//@ {known}: ...`")),
            );
            continue;
        }
        if !known.starts_with("outcome") {
            let shown = match model {
                Some(m) => format!("{known}[{m}]"),
                None => known.to_string(),
            };
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == shown) {
                lw.diags.push(
                    Diagnostic::error(d.span, format!("duplicate directive `//@ {shown}`"))
                        .with_note(*first, "first given here"),
                );
                continue;
            }
            seen.push((shown, d.span));
        }
        // Checked here, once for every directive, rather than by each value's parser: those would
        // report an empty item (`unknown memory model ``) at an empty span that, on a last line
        // with no newline, sits at the very end of the file.
        if d.value.trim().is_empty() {
            lw.diags.push(no_value(file, d, &written, known));
            continue;
        }
        let items = || items(file, d);
        match known {
            "expect" => {
                let kinds = expect(&items(), d, &mut lw.diags);
                match (model, kinds) {
                    (Some(m), Some(kinds)) => out.expect_for.push((m, kinds)),
                    (Some(_), None) => {}
                    (None, kinds) => out.expect = kinds,
                }
            }
            "observe" => out.observe = observe(&items(), lw),
            "outcome allowed" | "outcome forbidden" => {
                if let Some(expr) = outcome_expr(file, d, lw) {
                    out.outcomes.push(OutcomeCheck {
                        allowed: known == "outcome allowed",
                        model,
                        expr,
                        text: d.value.clone(),
                        span: d.span,
                    });
                }
            }
            "memory-model" => {
                let v = d.value.trim();
                match crate::MemoryModel::parse(v) {
                    Some(m) => out.memory_model = Some(m),
                    None => {
                        let names: Vec<&str> =
                            crate::MemoryModel::ALL.iter().map(|m| m.as_str()).collect();
                        let message = format!("unknown memory model `{v}`");
                        let mut diag = Diagnostic::error(d.value_span, message)
                            .with_label("not a memory model weft checks");
                        if let Some(h) = did_you_mean(v, names.iter().copied()) {
                            diag = diag.with_help(h);
                        }
                        lw.diags.push(
                            diag.with_help(format!("the memory models are {}", names.join(", "))),
                        );
                    }
                }
            }
            "spurious-wakeups" => match d.value.trim() {
                "on" => out.spurious_wakeups = Some(true),
                "off" => out.spurious_wakeups = Some(false),
                other => lw.diags.push(
                    Diagnostic::error(
                        d.value_span,
                        format!("`spurious-wakeups` is `on` or `off`, found `{other}`"),
                    )
                    .with_label("expected `on` or `off`")
                    .with_help("write `//@ spurious-wakeups: off` to check without them"),
                ),
            },
            "max-preemptions" => out.max_preemptions = number(d, &mut lw.diags),
            "max-states" => out.max_states = number(d, &mut lw.diags),
            _ => out.max_depth = number(d, &mut lw.diags),
        }
    }
    out
}

/// The error for a directive with nothing after its `:`, pointing at the colon: a value that is
/// empty has no text to point at.
fn no_value(file: &SourceFile, d: &Directive, written: &str, known: &str) -> Diagnostic {
    let colon = file
        .text
        .get(d.span.lo as usize..d.span.hi as usize)
        .and_then(|line| line.strip_prefix("//@"))
        .and_then(|body| body.find(':'))
        .map_or(d.span, |at| {
            let lo = d.span.lo as usize + 3 + at;
            Span::new(lo, lo + 1)
        });
    let example = match known {
        "expect" => "`//@ expect: safe` or `//@ expect: deadlock, data-race`".to_string(),
        "observe" => "`//@ observe: R1, R2`".to_string(),
        "outcome allowed" | "outcome forbidden" => {
            format!("`//@ {known}: R1 == 0 && R2 == 0`")
        }
        "memory-model" => format!(
            "`//@ memory-model: sc`; the memory models are {}",
            model_names().join(", ")
        ),
        "spurious-wakeups" => "`//@ spurious-wakeups: off`".to_string(),
        _ => format!("`//@ {known}: 1000`"),
    };
    Diagnostic::error(colon, format!("`//@ {written}` has no value"))
        .with_label("expected a value after the colon")
        .with_help(format!("write e.g. {example}"))
}

fn model_names() -> Vec<&'static str> {
    crate::MemoryModel::ALL.iter().map(|m| m.as_str()).collect()
}

/// Splits a `[model]` qualifier off a directive key: `outcome[rc11] allowed` is
/// (`outcome allowed`, rc11). An error says what is wrong with the qualifier.
fn qualified(key: &str) -> Result<(String, Option<crate::MemoryModel>), String> {
    let Some(open) = key.find('[') else {
        return Ok((key.to_string(), None));
    };
    let Some(close) = key[open..].find(']').map(|i| open + i) else {
        return Err(format!("unclosed `[` in `//@ {key}`"));
    };
    let name = key[open + 1..close].trim();
    let model = crate::MemoryModel::parse(name)
        .ok_or_else(|| format!("unknown memory model `{name}` in `//@ {key}`"))?;
    let rest = format!("{} {}", key[..open].trim(), key[close + 1..].trim());
    Ok((rest.trim().to_string(), Some(model)))
}

/// The comma-separated items of a directive's value, each with its own span.
fn items(file: &SourceFile, d: &Directive) -> Vec<(String, Span)> {
    // Spans are exact when the value is the source text under its span (the parser's contract).
    let exact = file.snippet(d.value_span) == d.value;
    let mut out = Vec::new();
    let mut offset = 0usize;
    for part in d.value.split(',') {
        let trimmed = part.trim();
        let lead = part.len() - part.trim_start().len();
        let part_lo = d.value_span.lo as usize + offset;
        let span = if !exact {
            d.value_span
        } else if trimmed.is_empty() {
            // An empty item (`safe,`) has no text to point at, and an empty span after the last
            // one can be the end of the file: point at the comma that ends it, or for the last
            // item at the comma before it (the value is not empty, so there is one).
            let comma = if offset + part.len() < d.value.len() {
                part_lo + part.len()
            } else {
                part_lo.saturating_sub(1)
            };
            Span::new(comma, comma + 1)
        } else {
            let lo = part_lo + lead;
            Span::new(lo, lo + trimmed.len())
        };
        out.push((trimmed.to_string(), span));
        offset += part.len() + 1;
    }
    out
}

fn expect(
    items: &[(String, Span)],
    d: &Directive,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<ViolationKind>> {
    let kinds: Vec<&str> = ViolationKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut out = Vec::new();
    let mut safe = None;
    let mut ok = true;
    for (item, span) in items {
        if item.is_empty() {
            diags.push(
                Diagnostic::error(*span, "expected a violation kind or `safe`")
                    .with_label("empty item in the list")
                    .with_help(format!("the kinds are safe, {}", kinds.join(", "))),
            );
            ok = false;
        } else if item == "safe" {
            safe = Some(*span);
        } else if let Ok(k) = item.parse::<ViolationKind>() {
            if !out.contains(&k) {
                out.push(k);
            }
        } else {
            let mut diag = Diagnostic::error(*span, format!("unknown violation kind `{item}`"))
                .with_label("not a kind of violation");
            if let Some(h) = did_you_mean(item, kinds.iter().copied().chain(["safe"])) {
                diag = diag.with_help(h);
            }
            diags.push(diag.with_help(format!("the kinds are safe, {}", kinds.join(", "))));
            ok = false;
        }
    }
    if let (Some(span), false) = (safe, out.is_empty()) {
        diags.push(
            Diagnostic::error(span, "`safe` cannot be combined with violation kinds")
                .with_note(d.value_span, "this list expects violations")
                .with_help("write either `//@ expect: safe` or the list of expected kinds"),
        );
        ok = false;
    }
    ok.then_some(out)
}

fn observe(
    items: &[(String, Span)],
    lw: &mut Lowerer<'_, '_>,
) -> Option<Vec<crate::ir::program::StaticId>> {
    let mut out = Vec::new();
    // What `out` holds, to skip repeats without searching it (an observe line can name thousands).
    let mut seen = std::collections::BTreeSet::new();
    let mut ok = true;
    for (name, span) in items {
        if name.is_empty() {
            lw.diags.push(
                Diagnostic::error(*span, "expected the name of a static")
                    .with_label("empty item in the list")
                    .with_help("write e.g. `//@ observe: R1, R2`"),
            );
            ok = false;
            continue;
        }
        match lw.g.static_id(name) {
            Some(id)
                if matches!(
                    lw.g.static_decl(id).kind,
                    StaticKind::Atomic(_) | StaticKind::Plain(_)
                ) =>
            {
                if seen.insert(id) {
                    out.push(id);
                }
            }
            Some(id) => {
                let kind = crate::ir::statics::kind_name(lw.g.static_decl(id).kind);
                lw.diags.push(
                    Diagnostic::error(*span, format!("cannot observe `{name}`, a `{kind}`"))
                        .with_help(
                            "only atomics and `static mut` values have a final value to observe",
                        ),
                );
                ok = false;
            }
            None => {
                let mut d =
                    Diagnostic::error(*span, format!("cannot find static `{name}` to observe"))
                        .with_label("no such static");
                if let Some(h) = did_you_mean(name, lw.g.value_static_names()) {
                    d = d.with_help(h);
                }
                lw.diags.push(d);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn number<T: TryFrom<u64>>(d: &Directive, diags: &mut Vec<Diagnostic>) -> Option<T> {
    let text: String = d.value.trim().chars().filter(|c| *c != '_').collect();
    let parsed = text
        .parse::<u64>()
        .ok()
        .filter(|_| !d.value.trim().starts_with('_'))
        .and_then(|v| T::try_from(v).ok());
    if parsed.is_none() {
        diags.push(
            Diagnostic::error(
                d.value_span,
                format!(
                    "`{}` takes a non-negative integer, found `{}`",
                    d.key.trim(),
                    d.value.trim()
                ),
            )
            .with_help(format!("write e.g. `//@ {}: 1000`", d.key.trim())),
        );
    }
    parsed
}

/// Parse an outcome expression with the `lang` parser, straight from the file's text so that
/// spans need no translation, then lower it.
fn outcome_expr(
    file: &SourceFile,
    d: &Directive,
    lw: &mut Lowerer<'_, '_>,
) -> Option<crate::ir::program::Expr> {
    // A directive that is not the file's text under its span (one not parsed from this file) is
    // parsed alone, and its errors point at the whole value.
    let exact = file.snippet(d.value_span) == d.value;
    let parsed = if exact {
        crate::lang::parse_directive_value(file, d.value_span)
    } else {
        let alone = SourceFile::new(file.name.clone(), d.value.as_str());
        crate::lang::parse_directive_value(&alone, Span::new(0, d.value.len()))
    };
    let before = lw.diags.len();
    let result = match parsed {
        Ok(expr) => lw.lower_outcome(&expr),
        Err(errors) => {
            if errors.is_empty() {
                lw.diags.push(
                    Diagnostic::error(d.value_span, "expected one expression over statics")
                        .with_help("write e.g. `//@ outcome forbidden: R1 == 0 && R2 == 0`"),
                );
            }
            lw.diags.extend(errors);
            None
        }
    };
    if !exact {
        for diag in &mut lw.diags[before..] {
            diag.span = d.value_span;
            diag.notes.clear();
        }
    }
    result
}
