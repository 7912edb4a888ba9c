//! `//@` header directives: parsed, checked against the model's statics, and resolved into
//! [`Directives`] (outcome expressions are parsed by `lang` and lowered like `final` reads).

use crate::ir::lower::Lowerer;
use crate::ir::program::{Directives, OutcomeCheck, StaticKind};
use crate::ir::scope::did_you_mean;
use crate::lang::ast::{self, Directive};
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
        let key = d.key.split_whitespace().collect::<Vec<_>>().join(" ");
        // `expect[rc11]`, `outcome[sc] allowed`: a check that applies under one memory model.
        let (key, model) = match qualified(&key) {
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
        let span = if exact {
            let lo = d.value_span.lo as usize + offset + lead;
            Span::new(lo, lo + trimmed.len())
        } else {
            d.value_span
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
    let mut ok = true;
    for (name, span) in items {
        match lw.g.static_id(name) {
            Some(id)
                if matches!(
                    lw.g.static_decl(id).kind,
                    StaticKind::Atomic(_) | StaticKind::Plain(_)
                ) =>
            {
                if !out.contains(&id) {
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

/// Parse an outcome expression with the `lang` parser, inside a throwaway thread whose text puts
/// the expression at the same byte offsets as in the model, so spans need no translation.
fn outcome_expr(
    file: &SourceFile,
    d: &Directive,
    lw: &mut Lowerer<'_, '_>,
) -> Option<crate::ir::program::Expr> {
    const PREFIX: &str = "thread o{let v=";
    let lo = d.value_span.lo as usize;
    let pad = lo.saturating_sub(PREFIX.len()).max(1);
    let text = format!("{PREFIX}{}{};}}", " ".repeat(pad), d.value);
    let shifted = PREFIX.len() + pad != lo;
    let tmp = SourceFile::new(file.name.clone(), text);
    let (model, errors) = crate::lang::parse(&tmp);
    let fix = |mut diag: Diagnostic| {
        if shifted {
            diag.span = d.value_span;
            diag.notes.clear();
        }
        diag
    };
    if !errors.is_empty() {
        lw.diags.extend(errors.into_iter().map(fix));
        return None;
    }
    // Anything but one `let` in one thread means the value was more than an expression.
    let expr = match model.items.as_slice() {
        [ast::Item::Thread(t)] if t.body.stmts.len() == 1 && t.body.tail.is_none() => {
            match &t.body.stmts[0].kind {
                ast::StmtKind::Let { init, .. } => Some(init.clone()),
                _ => None,
            }
        }
        _ => None,
    };
    let Some(expr) = expr else {
        lw.diags.push(
            Diagnostic::error(d.value_span, "expected one expression over statics")
                .with_help("write e.g. `//@ outcome forbidden: R1 == 0 && R2 == 0`"),
        );
        return None;
    };
    let before = lw.diags.len();
    let result = lw.lower_outcome(&expr);
    if shifted {
        for diag in &mut lw.diags[before..] {
            diag.span = d.value_span;
            diag.notes.clear();
        }
    }
    result
}
