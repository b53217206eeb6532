//! Terminal and JSON rendering of project diagnostics.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use levee_model::Diagnostic;

/// `path:line:col: error[code]: message`, then the source line with a caret and the hint.
pub fn human(dir: &Path, diagnostics: &[Diagnostic]) -> String {
    let mut sources: BTreeMap<&str, Option<String>> = BTreeMap::new();
    let mut out = String::new();
    for d in diagnostics {
        let path = dir.join(&d.file);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            path.display(),
            d.line,
            d.column,
            d.severity.as_str(),
            d.code,
            d.message
        );
        let text = sources
            .entry(d.file.as_str())
            .or_insert_with(|| std::fs::read_to_string(&path).ok());
        if let Some(line) = text
            .as_deref()
            .and_then(|t| t.lines().nth((d.line as usize).saturating_sub(1)))
            && d.line > 0
        {
            let number = d.line.to_string();
            let pad = " ".repeat(number.len());
            let caret_at = line.chars().take((d.column as usize).saturating_sub(1)).count();
            let _ = writeln!(
                out,
                "{pad} |\n{number} | {line}\n{pad} | {}^",
                " ".repeat(caret_at)
            );
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = hint: {hint}");
        }
    }
    out
}

/// The diagnostics as a JSON array of objects with every field.
pub fn json(dir: &Path, diagnostics: &[Diagnostic]) -> String {
    let list: Vec<levee_report::wire::Diagnostic> = diagnostics
        .iter()
        .map(|d| levee_report::wire::Diagnostic {
            code: d.code.to_string(),
            severity: d.severity.as_str().to_owned(),
            file: d.file.clone(),
            path: dir.join(&d.file).display().to_string(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            hint: d.hint.clone(),
        })
        .collect();
    levee_report::to_json(&list)
}
