//! Terminal and JSON rendering of project diagnostics.

use std::fmt::Write;
use std::path::Path;

use levee_model::{Diagnostic, ProjectFiles};

/// `path:line:col: error[code]: message`, then the source line with a caret and the hint. Source
/// lines come only from the text the loader read (`sources`); no file is read again. Every value
/// from a file is cleaned of control and bidirectional characters before it reaches the terminal.
pub fn human(dir: &Path, diagnostics: &[Diagnostic], sources: &ProjectFiles) -> String {
    let clean = levee_report::table::clean;
    let mut out = String::new();
    for d in diagnostics {
        let path = dir.join(&d.file);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            clean(&path.display().to_string()),
            d.line,
            d.column,
            d.severity.as_str(),
            d.code,
            clean(&d.message)
        );
        if let Some(line) = sources
            .get(&d.file)
            .and_then(|t| t.lines().nth((d.line as usize).saturating_sub(1)))
            && d.line > 0
        {
            let line = clean(line);
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
            let _ = writeln!(out, "  = hint: {}", clean(hint));
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
