//! `weft outcomes` for people: the reachable final outcomes as a table, one column per observed
//! value and one row per outcome, with the number of distinct final states that show it.

use weft::report::OutcomeCount;

/// The table; empty when no execution finishes.
pub fn outcomes_table(outcomes: &[OutcomeCount]) -> String {
    let Some((first, _)) = outcomes.first() else {
        return String::new();
    };
    let mut titles: Vec<String> = first.iter().map(|(name, _)| name.clone()).collect();
    titles.push("final states".to_string());
    let rows: Vec<Vec<String>> = outcomes
        .iter()
        .map(|(values, states)| {
            let mut row: Vec<String> = values.iter().map(|(_, v)| v.to_string()).collect();
            row.push(states.to_string());
            row
        })
        .collect();
    render(&titles, &rows)
}

/// The outcomes under several memory models: a row per outcome reached under any, a column per
/// observed value, then one per memory model with the number of distinct final states that show
/// the outcome under it (`-`: not reachable there).
pub fn outcomes_by_model_table(reports: &[(weft::MemoryModel, weft::Report)]) -> String {
    use std::collections::BTreeSet;
    let all: BTreeSet<&Vec<(String, i64)>> = reports
        .iter()
        .flat_map(|(_, r)| r.outcomes.iter().map(|(values, _)| values))
        .collect();
    let Some(first) = all.iter().next() else {
        return "  no execution finishes under any memory model\n".to_string();
    };
    let mut titles: Vec<String> = first.iter().map(|(name, _)| name.clone()).collect();
    titles.extend(reports.iter().map(|(m, _)| m.to_string()));
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|values| {
            let mut row: Vec<String> = values.iter().map(|(_, v)| v.to_string()).collect();
            row.extend(reports.iter().map(|(_, r)| {
                r.outcomes
                    .iter()
                    .find(|(v, _)| v == *values)
                    .map_or("-".to_string(), |(_, n)| n.to_string())
            }));
            row
        })
        .collect();
    render(&titles, &rows)
}

/// A right-aligned table with a rule under its titles.
fn render(titles: &[String], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .chain([t.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:>w$}"))
            .collect();
        format!("  {}\n", parts.join(" | "))
    };
    let mut out = line(titles);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&format!("  {}\n", rule.join("-+-")));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_outcome() {
        let outcomes = vec![
            (vec![("R1".to_string(), 0), ("R2".to_string(), 1)], 2),
            (vec![("R1".to_string(), 1), ("R2".to_string(), -10)], 13),
        ];
        assert_eq!(
            outcomes_table(&outcomes),
            "  R1 |  R2 | final states\n  ---+-----+-------------\n   \
             0 |   1 |            2\n   1 | -10 |           13\n"
        );
        assert_eq!(outcomes_table(&[]), "");
    }
}
