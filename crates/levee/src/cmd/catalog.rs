//! `levee catalog …`: listings, one requirement, SL steps, statistics, export, licensed-text import.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use levee_catalog::overlay::{self, Overlay};
use levee_catalog::{Catalog, Filter};
use levee_core::SecurityLevel;
use levee_report::catalog::{self as render, ListFormat};

use super::print;
use crate::cli::{CatalogCommand, ExportFormat, Format, OverlayFormat};
use crate::fail::{Context, Failure};
use levee_engine::files as datadir;

/// The overlay's file inside the data directory.
const OVERLAY_FILE: &str = "overlay/licensed-text.json";

fn list_format(f: Format) -> ListFormat {
    match f {
        Format::Table => ListFormat::Table,
        Format::Json => ListFormat::Json,
        Format::Csv => ListFormat::Csv,
    }
}

fn level(n: u8) -> Result<SecurityLevel, Failure> {
    SecurityLevel::new(n).ok_or_else(|| Failure::new(format!("security level must be 0-4, got {n}")))
}

pub fn run(cmd: CatalogCommand, catalog: &Catalog, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    match cmd {
        CatalogCommand::List(a) => {
            let filter = Filter {
                part: a.part,
                fr: a.fr,
                sl: a.sl.map(level).transpose()?,
                component_type: a.component_type,
                edition: a.edition,
            };
            let rows = catalog.list(&filter).map_err(Failure::new)?;
            print(&render::list(&rows, list_format(a.format.format)));
        }
        CatalogCommand::Show(a) => {
            let Some(r) = catalog.find(&a.id) else {
                let suggestions: Vec<String> = catalog
                    .suggest(&a.id, 3)
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect();
                let mut f = Failure::new(format!("unknown requirement id `{}`", a.id.trim()));
                f = if suggestions.is_empty() {
                    f.hint("`levee catalog list` shows every id")
                } else {
                    f.hint(format!("did you mean {}?", suggestions.join(", ")))
                };
                return Err(f);
            };
            let overlay = read_overlay(data_dir).unwrap_or_else(|f| {
                eprintln!("warning: licensed text not shown: {}", f.message);
                None
            });
            let text = overlay.as_ref().and_then(|o| o.text(r.id.as_str()));
            print(&render::show(catalog, r, text, list_format(a.format.format)));
        }
        CatalogCommand::Diff(a) => {
            let d = catalog
                .diff(a.part, level(a.from_sl)?, level(a.to_sl)?, a.component_type)
                .map_err(Failure::new)?;
            print(&render::diff(&d, list_format(a.format.format)));
        }
        CatalogCommand::Stats(a) => print(&render::stats(catalog, &catalog.stats(), list_format(a.format))),
        CatalogCommand::Export(a) => {
            let text = match a.format {
                ExportFormat::Oscal => levee_report::to_json(&levee_report::oscal::catalog(catalog, &a.part)),
                ExportFormat::Json | ExportFormat::Csv => {
                    let rows: Vec<_> = catalog
                        .rows()
                        .iter()
                        .filter(|r| a.part.is_empty() || a.part.contains(&r.part))
                        .collect();
                    let f = if a.format == ExportFormat::Json {
                        ListFormat::Json
                    } else {
                        ListFormat::Csv
                    };
                    render::list(&rows, f)
                }
            };
            match a.out {
                Some(path) => datadir::write_atomic(&path, text.as_bytes(), datadir::Mode::Shared)?,
                None => print(&text),
            }
        }
        CatalogCommand::ImportText(a) => import_text(catalog, data_dir, &a.file, a.input_format, a.format)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn overlay_path(data_dir: Option<&Path>) -> Result<PathBuf, Failure> {
    Ok(datadir::data_dir(data_dir)?.join(OVERLAY_FILE))
}

/// The stored overlay, if any. A stored file that cannot be read is an error, never silently empty.
fn read_overlay(data_dir: Option<&Path>) -> Result<Option<Overlay>, Failure> {
    let path = overlay_path(data_dir)?;
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let text =
        levee_engine::input::read_text(&path, overlay::MAX_OVERLAY_BYTES as u64 * 4, "stored overlay")?;
    Overlay::from_store_json(&text).map(Some).context(path.display())
}

fn import_text(
    catalog: &Catalog,
    data_dir: Option<&Path>,
    file: &Path,
    input_format: Option<OverlayFormat>,
    format: Format,
) -> Result<(), Failure> {
    let shown = file.display();
    // The bounded reader: a regular file of at most the overlay limit (`/dev/zero` or a FIFO is
    // refused by name instead of read without end).
    let text = levee_engine::input::read_text(file, overlay::MAX_OVERLAY_BYTES as u64, "licensed-text file")?;
    let fmt = match input_format {
        Some(OverlayFormat::Csv) => overlay::Format::Csv,
        Some(OverlayFormat::Json) => overlay::Format::Json,
        None => overlay::Format::detect(&file.to_string_lossy(), &text),
    };
    let parsed = overlay::parse(&text, fmt, catalog).map_err(|e| {
        Failure::new(format!("{shown}:{}:{}: {}", e.line, e.column, e.kind))
            .hint("each entry needs a catalog id (see `levee catalog list`) and non-empty text")
    })?;
    let imported = parsed.entries.len();
    let path = overlay_path(data_dir)?;
    let mut stored = read_overlay(data_dir)?.unwrap_or_else(Overlay::new);
    let added = stored.merge(parsed);
    datadir::write_atomic(&path, stored.to_store_json().as_bytes(), datadir::Mode::Secret)?;
    let summary = match format {
        Format::Json => levee_report::to_json(&levee_report::wire::OverlayImport {
            imported,
            new: added,
            replaced: imported - added,
            total: stored.entries.len(),
            path: path.display().to_string(),
        }),
        Format::Table | Format::Csv => format!(
            "imported {imported} entries ({added} new, {} replaced) into {}; {} entries stored\n",
            imported - added,
            path.display(),
            stored.entries.len()
        ),
    };
    print(&summary);
    Ok(())
}
