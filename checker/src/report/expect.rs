//! Comparing a report with the model's own header: `//@ expect:` (the set of kinds found must equal
//! the expected set) and `//@ outcome allowed/forbidden:` (evaluated over every observed outcome).

use std::collections::BTreeSet;

use super::outcome::eval_outcome;
use super::{Report, ViolationKind};
use crate::ir::Program;

/// One header line checked against the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectationCheck {
    /// The directive as written (`expect: data-race`, `outcome forbidden: R1 == 0 && R2 == 0`).
    pub directive: String,
    pub passed: bool,
    /// What was found, in a sentence.
    pub detail: String,
}

/// The result of checking a report against a model's header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectation {
    pub checks: Vec<ExpectationCheck>,
}

fn kinds_text(kinds: &BTreeSet<ViolationKind>) -> String {
    if kinds.is_empty() {
        return "safe".to_string();
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    names.join(", ")
}

fn outcome_text(values: &[(String, i64)]) -> String {
    let parts: Vec<String> = values.iter().map(|(n, v)| format!("{n} = {v}")).collect();
    parts.join(", ")
}

impl Expectation {
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }

    pub fn failures(&self) -> impl Iterator<Item = &ExpectationCheck> {
        self.checks.iter().filter(|c| !c.passed)
    }

    /// Check `report` against `program`'s header; `None` when the header states no expectation.
    pub fn evaluate(program: &Program, report: &Report) -> Option<Expectation> {
        let d = &program.directives;
        let model = report.memory_model;
        let expect = d.expect_under(model);
        if expect.is_none() && d.outcomes_under(model).next().is_none() {
            return None;
        }
        let mut checks = Vec::new();
        if let Some(gap) = report.coverage_gap() {
            // A missing violation or outcome may lie beyond the limit, the preemption bound or the
            // sampled runs: nothing can be confirmed (a violation found is still real).
            checks.push(ExpectationCheck {
                directive: "complete search".to_string(),
                passed: false,
                detail: format!("{gap}, so the header cannot be confirmed"),
            });
        }
        let qualifier =
            |m: Option<crate::MemoryModel>| m.map(|m| format!("[{m}]")).unwrap_or_default();
        let expect_qualifier = qualifier(
            d.expect_for
                .iter()
                .any(|(m, _)| *m == model)
                .then_some(model),
        );
        if let Some(expected) = expect {
            let expected: BTreeSet<ViolationKind> = expected.iter().copied().collect();
            let found = report.kinds();
            let passed = expected == found;
            let detail = if passed {
                format!("found {}", kinds_text(&found))
            } else {
                let missing: BTreeSet<_> = expected.difference(&found).copied().collect();
                let extra: BTreeSet<_> = found.difference(&expected).copied().collect();
                let mut parts = vec![format!("found {}", kinds_text(&found))];
                if !missing.is_empty() {
                    parts.push(format!("missing {}", kinds_text(&missing)));
                }
                if !extra.is_empty() {
                    parts.push(format!("unexpected {}", kinds_text(&extra)));
                }
                parts.join("; ")
            };
            checks.push(ExpectationCheck {
                directive: format!("expect{expect_qualifier}: {}", kinds_text(&expected)),
                passed,
                detail,
            });
        }
        for check in d.outcomes_under(model) {
            let word = if check.allowed {
                "allowed"
            } else {
                "forbidden"
            };
            let directive = format!("outcome{} {word}: {}", qualifier(check.model), check.text);
            let mut matching: Vec<&(Vec<(String, i64)>, u64)> = Vec::new();
            let mut error = None;
            for outcome in &report.outcomes {
                match eval_outcome(program, &check.expr, &outcome.0) {
                    Ok(0) => {}
                    Ok(_) => matching.push(outcome),
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                }
            }
            let (passed, detail) = if let Some(e) = error {
                (false, format!("cannot evaluate: {e}"))
            } else {
                let states: u64 = matching.iter().map(|o| o.1).sum();
                match (check.allowed, matching.first()) {
                    (true, Some(_)) => (true, format!("reached in {states} final state(s)")),
                    (true, None) => (
                        false,
                        format!(
                            "never reached ({} distinct outcome(s) observed)",
                            report.outcomes.len()
                        ),
                    ),
                    (false, None) => (true, "never reached".to_string()),
                    (false, Some(o)) => (
                        false,
                        format!("reached: {} ({states} final state(s))", outcome_text(&o.0)),
                    ),
                }
            };
            checks.push(ExpectationCheck {
                directive,
                passed,
                detail,
            });
        }
        Some(Expectation { checks })
    }
}
