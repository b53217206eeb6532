//! `levee init`, `levee validate`, `levee assess`, `levee schema`: project directories end to end.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use levee_assess::{Date, Options};
use levee_catalog::Catalog;
use levee_core::{Finding, Project, ProjectKind};
use levee_model::Diagnostic;
use levee_report::assessment::{self, Report};
use levee_report::table::Table;

use super::diagnostics;
use super::print;
use crate::cli::{AssessArgs, FailOn, Format, InitArgs, SchemaArgs, SchemaKind, Template, ValidateArgs};
use crate::datadir::write_atomic;
use crate::fail::Failure;

pub fn init(a: &InitArgs) -> Result<ExitCode, Failure> {
    let kind = match a.template {
        Template::AssetOwner => ProjectKind::AssetOwner,
        Template::Product => ProjectKind::Product,
    };
    let written = levee_model::init(&a.dir, kind).map_err(|e| {
        Failure::new(format!("{}: {e}", a.dir.display())).hint("choose an empty or new directory")
    })?;
    match a.format {
        Format::Json => {
            let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            print(&levee_report::to_json(
                &serde_json::json!({ "dir": a.dir.display().to_string(), "kind": kind.as_str(), "files": files }),
            ));
        }
        Format::Table | Format::Csv => {
            let mut out = format!("created a {} project in {}:\n", kind.as_str(), a.dir.display());
            for p in &written {
                out.push_str(&format!("  {}\n", p.display()));
            }
            out.push_str(&format!(
                "next: levee validate {0} && levee assess {0} --out {0}/report\n",
                a.dir.display()
            ));
            print(&out);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads a project, printing diagnostics to standard error (or as JSON to standard output when
/// `json_diagnostics`); an invalid project is an input error (exit 2).
fn load(dir: &Path, catalog: &Catalog, format: Format) -> Result<(Project, Vec<Diagnostic>), Failure> {
    if !dir.is_dir() {
        return Err(Failure::new(format!("{}: not a directory", dir.display()))
            .hint("pass a project directory (create one with `levee init DIR`)"));
    }
    let (project, diags) = levee_model::load_dir(dir, catalog);
    match project {
        Some(p) => Ok((p, diags)),
        None => {
            let errors = diags.iter().filter(|d| d.is_error()).count();
            if format == Format::Json {
                print(&diagnostics::json(dir, &diags));
            } else {
                eprint!("{}", diagnostics::human(dir, &diags));
            }
            Err(Failure::new(format!(
                "{}: {errors} error(s); the project is invalid",
                dir.display()
            )))
        }
    }
}

pub fn validate(a: &ValidateArgs, catalog: &Catalog) -> Result<ExitCode, Failure> {
    let (project, diags) = load(&a.dir, catalog, a.format)?;
    match a.format {
        Format::Json => print(&diagnostics::json(&a.dir, &diags)),
        Format::Table | Format::Csv => {
            eprint!("{}", diagnostics::human(&a.dir, &diags));
            print(&format!(
                "{}: valid ({} zones, {} conduits, {} assets, {} components, {} responses; {} warning(s))\n",
                a.dir.display(),
                project.zones.len(),
                project.conduits.len(),
                project.assets.len(),
                project.components.len(),
                project.responses.len(),
                diags.len()
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The report date: `--date`, else `SOURCE_DATE_EPOCH` (UTC), else none.
fn report_date(flag: Option<&str>) -> Result<Option<Date>, Failure> {
    if let Some(d) = flag {
        return d
            .parse::<Date>()
            .map(Some)
            .map_err(|e| Failure::new(format!("--date `{d}`: {e}")).hint("use YYYY-MM-DD, e.g. 2026-11-28"));
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => {
            let secs: i64 = v
                .trim()
                .parse()
                .map_err(|_| Failure::new(format!("SOURCE_DATE_EPOCH `{v}` is not a number of seconds")))?;
            Ok(Some(date_from_epoch(secs)))
        }
        _ => Ok(None),
    }
}

/// Days since 1970-01-01 to a civil date (proleptic Gregorian, UTC).
fn date_from_epoch(secs: i64) -> Date {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as u16;
    Date::new(y, m, d).unwrap_or_else(|| Date::new(1970, 1, 1).expect("valid date"))
}

/// The path from `from` (a directory) to `to`, relative when both resolve, with a trailing `/`.
fn relative(from: &Path, to: &Path) -> String {
    let (Ok(from), Ok(to)) = (from.canonicalize(), to.canonicalize()) else {
        return format!("{}/", to.display());
    };
    let f: Vec<Component<'_>> = from.components().collect();
    let t: Vec<Component<'_>> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..f.len() {
        rel.push("..");
    }
    for c in &t[common..] {
        rel.push(c.as_os_str());
    }
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        String::new()
    } else {
        format!("{s}/")
    }
}

/// Scans the SBOMs that assets reference against the advisory store (or the bundled snapshot) and
/// returns the findings about those assets, plus the snapshot id used.
fn scan_sboms(
    dir: &Path,
    project: &Project,
    db: Option<&Path>,
    data_dir: Option<&Path>,
) -> Result<(Vec<Finding>, Option<String>), Failure> {
    let files: Vec<(&levee_core::AssetId, String, Vec<u8>)> = project
        .assets
        .iter()
        .filter_map(|asset| asset.sbom.as_ref().map(|s| (asset, s)))
        .map(|(asset, rel)| {
            let path = dir.join(rel);
            std::fs::read(&path)
                .map(|bytes| (&asset.id, rel.clone(), bytes))
                .map_err(|e| Failure::new(format!("{}: {e}", path.display())))
        })
        .collect::<Result<_, _>>()?;
    if files.is_empty() {
        return Ok((Vec::new(), None));
    }
    let store = match db {
        Some(d) => Some(d.to_path_buf()),
        None => crate::datadir::resolve(data_dir).ok().map(|d| d.join("db")),
    };
    let (snapshot, _) = levee_vulndb::open(store.as_deref()).map_err(|e| {
        Failure::new(format!("cannot open the advisory store: {e}"))
            .hint("rebuild it with `levee db import PATH...`")
    })?;
    let aliases = levee_vuln::vendor::VendorAliases::bundled()
        .map_err(|e| Failure::new(format!("the bundled vendor alias table: {e}")))?;
    let index = levee_vuln::Index::build(&snapshot, &aliases);
    let sboms: Vec<levee_vuln::project::AssetSbom<'_>> = files
        .iter()
        .map(|(asset, file, bytes)| levee_vuln::project::AssetSbom { asset, file, bytes })
        .collect();
    let scan = levee_vuln::project::scan_project_sboms(project, &sboms, &index, &Default::default());
    if let Some((asset, file, err)) = scan.errors.first() {
        return Err(
            Failure::new(format!("{}: {err}", dir.join(file).display())).hint(format!(
                "asset `{asset}` references this SBOM; fix or remove the reference"
            )),
        );
    }
    Ok((scan.findings, Some(snapshot.id.clone())))
}

pub fn assess(a: &AssessArgs, catalog: &Catalog, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let date = report_date(a.date.as_deref())?;
    let (project, diags) = load(&a.dir, catalog, a.format)?;
    if !diags.is_empty() && a.format != Format::Json {
        eprint!("{}", diagnostics::human(&a.dir, &diags));
    }
    let (findings, snapshot) = scan_sboms(&a.dir, &project, a.db.as_deref(), data_dir)?;
    let assessment = levee_assess::assess(&project, catalog, &findings, &Options { as_of: date });
    let date_text = date.map(|d| d.to_string());
    let report = assessment::report(
        &assessment,
        &project,
        &findings,
        snapshot.as_deref(),
        date_text.as_deref(),
    );
    if let Some(out) = &a.out {
        write_reports(out, &a.dir, &report)?;
    }
    match a.format {
        Format::Json => print(&levee_report::to_json(&report.summary)),
        Format::Table | Format::Csv => print(&summary_table(&report, a.out.as_deref())),
    }
    let failed = a.fail_on.iter().any(|f| match f {
        FailOn::Gaps => report.summary.gaps > 0,
        FailOn::Risk => report.summary.scenarios_above_tolerable > 0,
        FailOn::Review => report.review.overdue == Some(true),
    });
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_reports(out: &Path, project_dir: &Path, report: &Report) -> Result<(), Failure> {
    std::fs::create_dir_all(out).map_err(|e| Failure::new(format!("{}: {e}", out.display())))?;
    let base = relative(out, project_dir);
    let json = levee_report::to_json(report);
    let md = assessment::markdown::render(report);
    let html = assessment::html::render(report, &base);
    // Render everything first, then write each file atomically: a failure never leaves a partial file.
    write_atomic(&out.join("report.json"), json.as_bytes())?;
    write_atomic(&out.join("report.md"), md.as_bytes())?;
    write_atomic(&out.join("report.html"), html.as_bytes())?;
    Ok(())
}

fn sl(v: &[u8; 7]) -> String {
    v.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

fn summary_table(r: &Report, out: Option<&Path>) -> String {
    let mut text = format!("{} ({})\n\n", r.project.name, r.project.kind);
    if !r.zones.is_empty() {
        let mut t = Table::new(["ZONE", "SL-T", "SL-A", "GAPS", "MEETS", "RISK"]);
        for l in &r.summary.lines {
            t.row([
                l.id.clone(),
                sl(&l.sl_t),
                sl(&l.sl_a),
                l.gaps.to_string(),
                if l.meets_target { "yes".into() } else { "NO".into() },
                format!("{} -> {}", l.initial_risk, l.residual_risk),
            ]);
        }
        text.push_str(&t.render());
    }
    if !r.components.is_empty() {
        let mut t = Table::new(["COMPONENT", "TYPE", "TARGET", "SL-C", "GAPS", "MEETS"]);
        for c in &r.components {
            t.row([
                c.id.clone(),
                c.component_type.clone(),
                sl(&c.sl_target),
                sl(&c.sl_c),
                c.gaps.len().to_string(),
                if c.meets_target { "yes".into() } else { "NO".into() },
            ]);
        }
        text.push_str(&t.render());
    }
    let s = &r.summary;
    text.push_str(&format!(
        "\n{} gaps; {}/{} zones and {}/{} components meet their target; {}/{} scenarios above tolerable risk\n",
        s.gaps, s.zones_meeting_target, s.zones, s.components_meeting_target, s.components, s.scenarios_above_tolerable, s.scenarios
    ));
    if let Some(m) = r.maturity.overall {
        text.push_str(&format!("4-1 maturity: ML{m}\n"));
    }
    if let Some(out) = out {
        text.push_str(&format!(
            "wrote {0}/report.json, {0}/report.md, {0}/report.html\n",
            out.display()
        ));
    }
    text
}

pub fn schema(a: &SchemaArgs) -> Result<ExitCode, Failure> {
    let files: Vec<(String, String)> = match a.kind {
        SchemaKind::Project => levee_model::json_schemas()
            .into_iter()
            .map(|(n, s)| (n.to_owned(), s))
            .collect(),
        SchemaKind::Report => vec![("report.schema.json".to_owned(), assessment::json_schema())],
    };
    match &a.out {
        Some(dir) => {
            for (name, text) in &files {
                write_atomic(&dir.join(name), text.as_bytes())?;
            }
            print(&format!(
                "wrote {} schema file(s) into {}\n",
                files.len(),
                dir.display()
            ));
        }
        None => {
            for (_, text) in &files {
                print(text);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_to_civil_date() {
        assert_eq!(date_from_epoch(0).to_string(), "1970-01-01");
        assert_eq!(date_from_epoch(1_795_824_000).to_string(), "2026-11-28");
        assert_eq!(date_from_epoch(951_782_400).to_string(), "2000-02-29");
    }
}
