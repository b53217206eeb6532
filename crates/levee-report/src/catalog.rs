//! Catalog output: listings, one requirement, SL steps and statistics, as table, JSON or CSV.

use std::collections::BTreeMap;

use levee_catalog::{Catalog, Diff, Requirement, Stats};
use serde::Serialize;

use crate::table::Table;
use crate::to_json;
use crate::wire::CatalogRow;

/// How a listing is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListFormat {
    /// Aligned columns for a terminal.
    #[default]
    Table,
    /// The stable JSON wire format.
    Json,
    /// CSV with a header row.
    Csv,
}

const CSV_HEADER: [&str; 14] = [
    "id",
    "part",
    "edition",
    "kind",
    "fr",
    "title",
    "sl1",
    "sl2",
    "sl3",
    "sl4",
    "base",
    "group",
    "component_type",
    "verification",
];

fn csv_cells(r: &CatalogRow) -> [String; 14] {
    let flag = |f: Option<bool>| f.map_or(String::new(), |b| u8::from(b).to_string());
    [
        r.id.clone(),
        r.part.clone(),
        r.edition.clone(),
        r.kind.clone(),
        r.fr.map_or(String::new(), |f| f.to_string()),
        r.title.clone(),
        flag(r.sl.map(|s| s.sl1)),
        flag(r.sl.map(|s| s.sl2)),
        flag(r.sl.map(|s| s.sl3)),
        flag(r.sl.map(|s| s.sl4)),
        r.base.clone().unwrap_or_default(),
        r.group.clone().unwrap_or_default(),
        r.component_type.clone().unwrap_or_default(),
        r.verification
            .as_ref()
            .map_or(String::new(), |v| v.status.clone()),
    ]
}

fn csv_string(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn sl_marks(r: &Requirement) -> String {
    match r.sl {
        Some(f) => f.0.iter().map(|b| if *b { 'x' } else { '.' }).collect(),
        None => String::new(),
    }
}

/// A listing of catalog rows.
pub fn list(rows: &[&Requirement], format: ListFormat) -> String {
    match format {
        ListFormat::Json => {
            let wire: Vec<CatalogRow> = rows.iter().map(|r| CatalogRow::from(*r)).collect();
            to_json(&wire)
        }
        ListFormat::Csv => csv_string(
            &CSV_HEADER,
            rows.iter().map(|r| csv_cells(&CatalogRow::from(*r)).to_vec()),
        ),
        ListFormat::Table => {
            let mut t = Table::new(["ID", "PART", "FR", "SL1234", "TITLE", "SL FLAGS VERIFIED"]);
            for r in rows {
                t.row([
                    r.id.to_string(),
                    r.part.to_string(),
                    r.fr.map_or(String::new(), |f| f.number().to_string()),
                    sl_marks(r),
                    r.title.clone(),
                    r.verification
                        .as_ref()
                        .map_or(String::new(), |v| v.status.as_str().to_owned()),
                ]);
            }
            let mut out = t.render();
            out.push_str(&format!(
                "{}\n",
                crate::table::count(rows.len() as u64, "row", "rows")
            ));
            out
        }
    }
}

/// One requirement with its context, as `catalog show --format json` prints it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ShowWire {
    /// The row.
    #[serde(flatten)]
    pub row: CatalogRow,
    /// The title of the base requirement, for an enhancement.
    pub base_title: Option<String>,
    /// The ids of this requirement's enhancements.
    pub enhancements: Vec<String>,
    /// The ids of the rows grouped under this one (ZCR sub-requirements, 2-1 elements).
    pub members: Vec<String>,
    /// The user's own licensed wording, when imported.
    pub licensed_text: Option<String>,
}

/// Builds the `show` view of one requirement.
pub fn show_wire(catalog: &Catalog, r: &Requirement, licensed_text: Option<&str>) -> ShowWire {
    ShowWire {
        row: CatalogRow::from(r),
        base_title: r
            .base
            .as_ref()
            .and_then(|b| catalog.find(b.as_str()))
            .map(|b| b.title.clone()),
        enhancements: catalog.enhancements(&r.id).map(|e| e.id.to_string()).collect(),
        members: catalog.members(&r.id).map(|e| e.id.to_string()).collect(),
        licensed_text: licensed_text.map(str::to_owned),
    }
}

/// One requirement, as text for a terminal or as JSON.
pub fn show(catalog: &Catalog, r: &Requirement, licensed_text: Option<&str>, format: ListFormat) -> String {
    let w = show_wire(catalog, r, licensed_text);
    match format {
        ListFormat::Json => to_json(&w),
        ListFormat::Csv => csv_string(&CSV_HEADER, [csv_cells(&w.row).to_vec()]),
        ListFormat::Table => show_text(catalog, r, &w),
    }
}

fn show_text(catalog: &Catalog, r: &Requirement, w: &ShowWire) -> String {
    let mut out = format!("{}  {}\n", r.id, r.title);
    let mut field = |name: &str, value: String| out.push_str(&format!("  {name:<17}{value}\n"));
    let part = catalog.part(r.part);
    let amendments = part.map(|p| p.amendments.join(", ")).filter(|a| !a.is_empty());
    let title = part.map_or(String::new(), |p| format!(" {}", p.title));
    field(
        "part",
        match amendments {
            Some(a) => format!("IEC 62443-{}:{} ({a}){title}", r.part, r.edition),
            None => format!("IEC 62443-{}:{}{title}", r.part, r.edition),
        },
    );
    field("kind", r.kind.as_str().to_owned());
    if let Some(fr) = r.fr {
        field("FR", format!("{} {} ({})", fr, fr.name(), fr.abbreviation()));
    }
    if let (Some(base), Some(bt)) = (&r.base, &w.base_title) {
        field("base", format!("{base}  {bt}"));
    }
    if let Some(group) = &r.group {
        let title = catalog
            .find(group.as_str())
            .map(|g| g.title.clone())
            .or_else(|| {
                catalog
                    .practices()
                    .iter()
                    .find(|p| p.code == group.as_str())
                    .map(|p| p.title.clone())
            })
            .unwrap_or_default();
        field("group", format!("{group}  {title}"));
    }
    if let Some(a) = r.applicability {
        field("component type", a.as_str().to_owned());
    }
    if let Some(c) = &r.counterpart {
        field("3-3 counterpart", c.to_string());
    }
    if let Some(flags) = r.sl {
        let marks: Vec<String> = flags
            .0
            .iter()
            .enumerate()
            .map(|(i, b)| format!("SL{}:{}", i + 1, if *b { "yes" } else { "no" }))
            .collect();
        let from = flags
            .min_level()
            .map_or("never required".to_owned(), |l| format!("required from {l}"));
        field("SL flags", format!("{}  ({from})", marks.join(" ")));
    }
    if let Some(v) = &r.verification {
        field("verification", format!("{}: {}", v.status.as_str(), v.evidence));
    }
    if !w.enhancements.is_empty() {
        field("enhancements", w.enhancements.join(", "));
    }
    if !w.members.is_empty() {
        field("members", w.members.join(", "));
    }
    match &w.licensed_text {
        Some(text) => {
            out.push_str("\n  Licensed text (your overlay):\n");
            for line in text.lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
        None => out.push_str(
            "\n  No licensed text loaded. Levee ships no normative text; import your own copy with\n  \
             `levee catalog import-text FILE`.\n",
        ),
    }
    out
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct DiffWire {
    part: String,
    from_sl: u8,
    to_sl: u8,
    component_type: Option<String>,
    added: usize,
    removed: usize,
    per_fr: Vec<DiffFrWire>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct DiffFrWire {
    fr: u8,
    name: &'static str,
    added: Vec<CatalogRow>,
    removed: Vec<CatalogRow>,
}

/// What a step in SL adds or removes, per FR.
pub fn diff(d: &Diff<'_>, format: ListFormat) -> String {
    let per_fr = d.per_fr();
    match format {
        ListFormat::Json => {
            let wire = DiffWire {
                part: d.part.to_string(),
                from_sl: d.from.get(),
                to_sl: d.to.get(),
                component_type: d.component_type.map(|c| c.as_str().to_owned()),
                added: d.added.len(),
                removed: d.removed.len(),
                per_fr: per_fr
                    .iter()
                    .map(|(fr, (a, r))| DiffFrWire {
                        fr: fr.number(),
                        name: fr.name(),
                        added: a.iter().map(|x| CatalogRow::from(*x)).collect(),
                        removed: r.iter().map(|x| CatalogRow::from(*x)).collect(),
                    })
                    .collect(),
            };
            to_json(&wire)
        }
        ListFormat::Csv => {
            let mut header = vec!["change"];
            header.extend(CSV_HEADER);
            let rows = per_fr.values().flat_map(|(a, r)| {
                let tag = |change: &'static str, list: &Vec<&Requirement>| -> Vec<Vec<String>> {
                    list.iter()
                        .map(|x| {
                            let mut cells = vec![change.to_owned()];
                            cells.extend(csv_cells(&CatalogRow::from(*x)));
                            cells
                        })
                        .collect()
                };
                let mut v = tag("added", a);
                v.extend(tag("removed", r));
                v
            });
            csv_string(&header, rows)
        }
        ListFormat::Table => {
            let scope = d.component_type.map_or(String::new(), |c| format!(" for {c}"));
            let mut out = format!("IEC 62443-{}{scope}: {} -> {}\n\n", d.part, d.from, d.to);
            let mut t = Table::new(["FR", "CHANGE", "ID", "TITLE"]);
            for (fr, (added, removed)) in &per_fr {
                for (change, list) in [("+", added), ("-", removed)] {
                    for r in list {
                        t.row([
                            format!("{} {}", fr, fr.abbreviation()),
                            change.to_owned(),
                            r.id.to_string(),
                            r.title.clone(),
                        ]);
                    }
                }
            }
            out.push_str(&t.render());
            let counts: Vec<String> = per_fr
                .iter()
                .filter(|(_, (a, r))| !a.is_empty() || !r.is_empty())
                .map(|(fr, (a, r))| match (a.len(), r.len()) {
                    (a, 0) => format!("{} +{a}", fr.abbreviation()),
                    (0, r) => format!("{} -{r}", fr.abbreviation()),
                    (a, r) => format!("{} +{a}/-{r}", fr.abbreviation()),
                })
                .collect();
            out.push_str(&format!(
                "{} added, {} removed ({})\n",
                d.added.len(),
                d.removed.len(),
                if counts.is_empty() {
                    "no change".to_owned()
                } else {
                    counts.join(", ")
                }
            ));
            out
        }
    }
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct StatsWire {
    release: String,
    total: usize,
    parts: Vec<PartStatsWire>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct PartStatsWire {
    part: String,
    title: String,
    editions: Vec<String>,
    id_status: String,
    total: usize,
    per_kind: BTreeMap<String, usize>,
    per_edition: BTreeMap<String, usize>,
    per_sl: Option<[usize; 4]>,
    per_fr: Vec<FrStatsWire>,
    per_verification: BTreeMap<String, usize>,
    per_component_type: BTreeMap<String, usize>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct FrStatsWire {
    fr: u8,
    name: &'static str,
    requirements: usize,
    enhancements: usize,
    per_sl: [usize; 4],
}

fn stats_wire(catalog: &Catalog, s: &Stats) -> StatsWire {
    StatsWire {
        release: catalog.release().to_owned(),
        total: s.total,
        parts: s
            .parts
            .iter()
            .map(|p| {
                let info = catalog.part(p.part);
                PartStatsWire {
                    part: p.part.to_string(),
                    title: info.map(|i| i.title.clone()).unwrap_or_default(),
                    editions: info.map(|i| i.editions.clone()).unwrap_or_default(),
                    id_status: info.map(|i| i.id_status.as_str().to_owned()).unwrap_or_default(),
                    total: p.total,
                    per_kind: p
                        .per_kind
                        .iter()
                        .map(|(k, n)| (k.as_str().to_owned(), *n))
                        .collect(),
                    per_edition: p.per_edition.clone(),
                    per_sl: p.per_sl,
                    per_fr: p
                        .per_fr
                        .iter()
                        .map(|f| FrStatsWire {
                            fr: f.fr.number(),
                            name: f.fr.name(),
                            requirements: f.requirements,
                            enhancements: f.enhancements,
                            per_sl: f.per_sl,
                        })
                        .collect(),
                    per_verification: p
                        .per_verification
                        .iter()
                        .map(|(k, n)| (k.as_str().to_owned(), *n))
                        .collect(),
                    per_component_type: p.per_component_type.clone(),
                }
            })
            .collect(),
    }
}

/// Totals per part, per FR and per SL.
pub fn stats(catalog: &Catalog, s: &Stats, format: ListFormat) -> String {
    match format {
        ListFormat::Json => to_json(&stats_wire(catalog, s)),
        ListFormat::Csv => {
            let header = [
                "part",
                "fr",
                "rows",
                "requirements",
                "enhancements",
                "sl1",
                "sl2",
                "sl3",
                "sl4",
            ];
            let mut rows = Vec::new();
            for p in &s.parts {
                let sl = |per: Option<[usize; 4]>| -> Vec<String> {
                    per.map_or(vec![String::new(); 4], |a| {
                        a.iter().map(ToString::to_string).collect()
                    })
                };
                let mut cells = vec![
                    p.part.to_string(),
                    String::new(),
                    p.total.to_string(),
                    String::new(),
                    String::new(),
                ];
                cells.extend(sl(p.per_sl));
                rows.push(cells);
                for f in &p.per_fr {
                    let mut cells = vec![
                        p.part.to_string(),
                        f.fr.number().to_string(),
                        (f.requirements + f.enhancements).to_string(),
                        f.requirements.to_string(),
                        f.enhancements.to_string(),
                    ];
                    cells.extend(sl(Some(f.per_sl)));
                    rows.push(cells);
                }
            }
            csv_string(&header, rows)
        }
        ListFormat::Table => {
            let mut out = format!("Catalog release {} ({} rows)\n\n", catalog.release(), s.total);
            let mut t = Table::new(["PART", "EDITION", "ROWS", "KINDS", "IDS"]);
            for p in &s.parts {
                let info = catalog.part(p.part);
                let kinds: Vec<String> = p
                    .per_kind
                    .iter()
                    .map(|(k, n)| format!("{n} {}", k.as_str()))
                    .collect();
                t.row([
                    p.part.to_string(),
                    info.map(|i| i.editions.join(", ")).unwrap_or_default(),
                    p.total.to_string(),
                    kinds.join(", "),
                    info.map(|i| i.id_status.as_str().to_owned()).unwrap_or_default(),
                ]);
            }
            out.push_str(&t.render());
            for p in s.parts.iter().filter(|p| p.per_sl.is_some()) {
                out.push_str(&format!("\nIEC 62443-{}: rows required per FR and SL\n", p.part));
                let mut t = Table::new(["FR", "BASE", "RE", "SL1", "SL2", "SL3", "SL4"]);
                for f in &p.per_fr {
                    let mut cells = vec![
                        format!("{} {}", f.fr, f.fr.abbreviation()),
                        f.requirements.to_string(),
                        f.enhancements.to_string(),
                    ];
                    cells.extend(f.per_sl.iter().map(ToString::to_string));
                    t.row(cells);
                }
                let per = p.per_sl.unwrap_or_default();
                let mut total = vec![
                    "all".to_owned(),
                    p.per_fr.iter().map(|f| f.requirements).sum::<usize>().to_string(),
                    p.per_fr.iter().map(|f| f.enhancements).sum::<usize>().to_string(),
                ];
                total.extend(per.iter().map(ToString::to_string));
                t.row(total);
                out.push_str(&t.render());
                let v: Vec<String> = p
                    .per_verification
                    .iter()
                    .map(|(k, n)| format!("{n} {}", k.as_str()))
                    .collect();
                out.push_str(&format!("SL flag verification: {}\n", v.join(", ")));
            }
            out
        }
    }
}
