//! `levee init`, `levee validate`, `levee assess`, `levee schema`: project directories end to end.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use levee_catalog::Catalog;
use levee_core::{Project, ProjectKind};
use levee_engine::{AssessError, AssessRequest, DataRequest, DataSupply};
use levee_model::{Diagnostic, ProjectFiles};
use levee_report::assessment::{self, Report};
use levee_report::table::Table;

use super::diagnostics;
use super::print;
use crate::cli::{AssessArgs, FailOn, Format, InitArgs, SchemaArgs, Template, ValidateArgs};
use crate::fail::Failure;
use levee_engine::files::{Mode, write_atomic, write_set};

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
            print(&levee_report::to_json(&levee_report::wire::InitReport {
                dir: a.dir.display().to_string(),
                kind: kind.as_str().to_owned(),
                files: written.iter().map(|p| p.display().to_string()).collect(),
            }));
        }
        Format::Table | Format::Csv => {
            let mut out = format!(
                "created a new {} project in {}:\n",
                kind.as_str(),
                a.dir.display()
            );
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

/// Prints the diagnostics of a project that does not validate (as JSON on standard output with
/// `--format json`, else as text on standard error) and turns the error into a [`Failure`].
pub(crate) fn assess_failure(e: AssessError, format: Format) -> Failure {
    match e {
        AssessError::Invalid {
            dir,
            errors,
            diagnostics,
            sources,
        } => {
            if format == Format::Json {
                print(&diagnostics::json(&dir, &diagnostics));
            } else {
                eprint!("{}", diagnostics::human(&dir, &diagnostics, &sources));
            }
            Failure::new(format!(
                "{}: {errors} error(s); the project is invalid",
                dir.display()
            ))
        }
        AssessError::Sboms(errors) => {
            let n = errors.len();
            for e in errors.iter().take(n.saturating_sub(1)) {
                eprintln!("error: {e}");
                if let Some(h) = &e.hint {
                    eprintln!("  hint: {h}");
                }
            }
            match errors.into_iter().last() {
                Some(last) if n == 1 => last.into(),
                Some(last) => {
                    let hint = last.hint.clone();
                    Failure {
                        message: format!("{last} ({n} SBOMs cannot be scanned; every one is listed above)"),
                        hint,
                    }
                }
                None => Failure::new("SBOMs cannot be scanned"),
            }
        }
        AssessError::Other(e) => e.into(),
    }
}

fn load(
    dir: &Path,
    catalog: &Catalog,
    format: Format,
) -> Result<(Project, Vec<Diagnostic>, ProjectFiles), Failure> {
    levee_engine::load_project(dir, catalog).map_err(|e| assess_failure(e, format))
}

pub fn validate(a: &ValidateArgs, catalog: &Catalog) -> Result<ExitCode, Failure> {
    let (project, diags, sources) = load(&a.dir, catalog, a.format)?;
    match a.format {
        Format::Json => print(&diagnostics::json(&a.dir, &diags)),
        Format::Table | Format::Csv => {
            eprint!("{}", diagnostics::human(&a.dir, &diags, &sources));
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

pub fn assess(a: &AssessArgs, catalog: &Catalog, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let request = AssessRequest {
        dir: a.dir.clone(),
        vex: a.vex.clone(),
        fuzzy: a.fuzzy,
        date: Some(levee_engine::clock::report_date_or_today(a.date.as_deref())?),
    };
    let data = DataRequest {
        db: a.db.clone(),
        data_dir: levee_engine::files::data_dir(data_dir).ok(),
        vendor_aliases: a.vendor_aliases.clone(),
    };
    let done = levee_engine::assess_project(&request, catalog, DataSupply::Open(&data))
        .map_err(|e| assess_failure(e, a.format))?;
    if !done.diagnostics.is_empty() && a.format != Format::Json {
        eprint!("{}", diagnostics::human(&a.dir, &done.diagnostics, &done.sources));
    }
    if let Some(notice) = done.data.as_ref().and_then(|d| d.notice.as_deref()) {
        eprintln!("warning: {notice}");
    }
    for scan in &done.scans {
        let file = a.dir.join(&scan.sbom).display().to_string();
        crate::cmd::scan::print_reader_warnings(&file, &scan.warnings, false);
    }
    let report = &done.report;
    if let Some(out) = &a.out {
        write_reports(out, &a.dir, report)?;
    }
    match a.format {
        Format::Json => print(&levee_report::to_json(&report.summary)),
        Format::Table | Format::Csv => print(&summary_table(report, a.out.as_deref())),
    }
    let failed = a.fail_on.iter().any(|f| match f {
        FailOn::Gaps => report.summary.gaps > 0 || report.summary.constraints_unmet > 0,
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
    let pdf = levee_report::pdf::render(report);
    let xlsx =
        levee_report::xlsx::render(report).map_err(|e| Failure::new(format!("{}: {e}", out.display())))?;
    let oscal = assessment::oscal::render(report);
    // Render everything first, then write the six as one set: a failure (or a kill) never
    // leaves one run's report.json beside another run's report.md.
    write_set(
        out,
        &[
            ("report.json", json.as_bytes()),
            ("report.md", md.as_bytes()),
            ("report.html", html.as_bytes()),
            ("report.pdf", &pdf),
            ("report.xlsx", &xlsx),
            ("report.oscal.json", oscal.as_bytes()),
        ],
        Mode::Shared,
    )?;
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
                if !l.in_scope {
                    "out of scope".into()
                } else if l.meets_target {
                    "yes".into()
                } else {
                    "NO".into()
                },
                format!("{} -> {}", l.initial_risk, l.residual_risk),
            ]);
        }
        text.push_str(&t.render());
    }
    if !r.components.is_empty() {
        let mut t = Table::new(["COMPONENT", "TYPE", "TARGET", "SL-C", "GAPS", "CCSC", "MEETS"]);
        for c in &r.components {
            t.row([
                c.id.clone(),
                c.component_type.clone(),
                sl(&c.sl_target),
                sl(&c.sl_c),
                c.gaps.len().to_string(),
                c.constraints_held(),
                if c.meets_target { "yes".into() } else { "NO".into() },
            ]);
        }
        text.push_str(&t.render());
    }
    let s = &r.summary;
    let mut meeting = Vec::new();
    if s.zones > 0 {
        meeting.push(format!("{}/{} zones", s.zones_meeting_target, s.zones));
    }
    if s.components > 0 {
        meeting.push(format!(
            "{}/{} components",
            s.components_meeting_target, s.components
        ));
    }
    text.push_str(&format!(
        "\n{}{}",
        levee_report::table::count(s.gaps as u64, "gap", "gaps"),
        if meeting.is_empty() {
            String::new()
        } else {
            format!("; {} meet their target", meeting.join(" and "))
        }
    ));
    if s.scenarios > 0 {
        text.push_str(&format!(
            "; {}/{} scenarios above tolerable risk",
            s.scenarios_above_tolerable, s.scenarios
        ));
    }
    text.push('\n');
    if let Some(d) = &r.findings.data {
        let a = &r.findings.active;
        text.push_str(&format!(
            "{} from the assets' SBOMs ({} active: {} critical, {} high); advisory snapshot {} ({}{})\n",
            levee_report::table::count(r.findings.total as u64, "finding", "findings"),
            a.critical + a.high + a.medium + a.low + a.info,
            a.critical,
            a.high,
            d.snapshot,
            d.source,
            if d.partial { ", partial" } else { "" }
        ));
    }
    if let Some(m) = r.maturity.overall {
        text.push_str(&format!("4-1 maturity: ML{m}\n"));
    }
    if let Some(out) = out {
        text.push_str(&format!(
            "wrote {0}/report.json, {0}/report.md, {0}/report.html, {0}/report.pdf, {0}/report.xlsx, {0}/report.oscal.json\n",
            out.display()
        ));
    }
    text
}

pub fn schema(a: &SchemaArgs) -> Result<ExitCode, Failure> {
    let files: Vec<(String, String)> = match a.kind.as_str() {
        "project" => levee_model::json_schemas()
            .into_iter()
            .map(|(n, s)| (n.to_owned(), s))
            .collect(),
        name => {
            let text = levee_report::schema::json_schema(name)
                .ok_or_else(|| Failure::new(format!("no schema named `{name}`")))?;
            vec![(format!("{name}.schema.json"), text)]
        }
    };
    match &a.out {
        Some(dir) => {
            for (name, text) in &files {
                write_atomic(&dir.join(name), text.as_bytes(), Mode::Shared)?;
            }
            print(&format!(
                "wrote {} schema file(s) into {}\n",
                files.len(),
                dir.display()
            ));
        }
        // One schema is printed as it is; several as one JSON object keyed by file name, so that
        // standard output is always one JSON document.
        None if files.len() == 1 => print(&files[0].1),
        None => {
            let mut all = serde_json::Map::new();
            for (name, text) in &files {
                let value: serde_json::Value = serde_json::from_str(text)
                    .map_err(|e| Failure::new(format!("the generated schema {name} is not JSON: {e}")))?;
                all.insert(name.clone(), value);
            }
            print(&levee_report::to_json(&all));
        }
    }
    Ok(ExitCode::SUCCESS)
}
