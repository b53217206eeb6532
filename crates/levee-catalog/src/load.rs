//! Reading the catalog's data files into rows. Pure: the text comes in through [`Sources`].

use std::collections::BTreeMap;

use csv::StringRecord;
use levee_core::{ComponentType, Fr, Part};
use serde::Deserialize;

use crate::error::{CatalogError, CatalogErrorKind};
use crate::model::{
    Applicability, Kind, MaturityLevel, PartInfo, Practice, Requirement, RequirementId, SlFlags,
    Verification, VerificationStatus,
};

/// The name of the manifest among the [`Sources`].
pub const MANIFEST: &str = "manifest.toml";

/// The text of the catalog's data files, by file name.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: BTreeMap<String, String>,
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../data/", $name)))),*]
    };
}

impl Sources {
    /// The data files compiled into this build of Levee.
    pub fn bundled() -> Sources {
        let files = bundled!(
            "manifest.toml",
            "iec62443-2-1.csv",
            "iec62443-3-2.csv",
            "iec62443-3-3.csv",
            "iec62443-4-1.csv",
            "iec62443-4-1-maturity-levels.csv",
            "iec62443-4-2.csv",
            "iec62443-4-2-constraints.csv",
            "iec62443-sl-verification.csv",
        );
        Sources {
            files: files
                .into_iter()
                .map(|(n, t)| (n.to_owned(), t.to_owned()))
                .collect(),
        }
    }

    /// Adds or replaces one file.
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.files.insert(name.into(), text.into());
        self
    }

    /// The text of one file.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }

    /// The file names held.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    #[allow(dead_code)]
    pub schema: u32,
    pub release: String,
    pub released: String,
    pub parts: Vec<ManifestPart>,
    pub sl_verification: ManifestFile,
    pub practices: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ManifestPart {
    pub part: String,
    pub file: String,
    pub title: String,
    pub editions: Vec<String>,
    #[serde(default)]
    pub amendments: Vec<String>,
    pub id_status: String,
    pub source: String,
    #[serde(default)]
    pub maturity_levels: Option<String>,
    /// 4-2 only: the common component security constraints (CCSC).
    #[serde(default)]
    pub constraints: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ManifestFile {
    pub file: String,
}

/// Everything read from the sources, before the cross-row rules run.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub release: String,
    pub released: String,
    pub parts: Vec<PartInfo>,
    pub practices: Vec<Practice>,
    pub maturity_levels: Vec<MaturityLevel>,
    pub rows: Vec<Requirement>,
    /// Verification rows: (file line, part, id, verification).
    pub verifications: Vec<(u64, Part, RequirementId, Verification)>,
    pub verification_file: String,
}

pub(crate) fn parse_manifest(sources: &Sources) -> Result<Manifest, CatalogError> {
    let text = sources
        .get(MANIFEST)
        .ok_or_else(|| CatalogError::new(MANIFEST, 0, CatalogErrorKind::MissingFile(MANIFEST.into())))?;
    toml::from_str::<Manifest>(text).map_err(|e| {
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        CatalogError::new(MANIFEST, line, CatalogErrorKind::Manifest(e.message().to_owned()))
    })
}

/// The 1-based line where the record at a CSV position starts. After a CRLF line end the csv crate
/// places the next record at the `\n` and counts one line short, so the line is computed from the
/// byte offset, skipping line feeds that end the previous record.
pub(crate) fn record_line(text: &str, p: &csv::Position) -> u64 {
    let mut byte = usize::try_from(p.byte()).unwrap_or(usize::MAX);
    while text.as_bytes().get(byte) == Some(&b'\n') {
        byte += 1;
    }
    line_of(text, byte)
}

/// The 1-based line holding byte offset `byte` (a record's position is its first byte, so a CRLF
/// before it still counts as the end of the previous line).
pub(crate) fn line_of(text: &str, byte: usize) -> u64 {
    let upto = text.as_bytes().get(..byte).unwrap_or(text.as_bytes());
    1 + upto.iter().filter(|b| **b == b'\n').count() as u64
}

/// Reads every source into rows, collecting every problem found.
pub(crate) fn load(sources: &Sources, errors: &mut Vec<CatalogError>) -> Loaded {
    let manifest = match parse_manifest(sources) {
        Ok(m) => m,
        Err(e) => {
            errors.push(e);
            return Loaded::default();
        }
    };
    let mut loaded = Loaded {
        release: manifest.release.clone(),
        released: manifest.released.clone(),
        practices: manifest
            .practices
            .iter()
            .map(|(code, title)| Practice {
                code: code.clone(),
                title: title.clone(),
            })
            .collect(),
        verification_file: manifest.sl_verification.file.clone(),
        ..Loaded::default()
    };
    for mp in &manifest.parts {
        let Ok(part) = mp.part.parse::<Part>() else {
            errors.push(manifest_error(format!("unknown part `{}`", mp.part)));
            continue;
        };
        let Some(id_status) = VerificationStatus::parse(&mp.id_status) else {
            errors.push(manifest_error(format!(
                "unknown id_status `{}` for part {part}",
                mp.id_status
            )));
            continue;
        };
        let Some(edition) = mp.editions.first().cloned() else {
            errors.push(manifest_error(format!("part {part} lists no edition")));
            continue;
        };
        loaded.parts.push(PartInfo {
            part,
            title: mp.title.clone(),
            editions: mp.editions.clone(),
            amendments: mp.amendments.clone(),
            id_status,
            source: mp.source.clone(),
            file: mp.file.clone(),
        });
        let Some(text) = file(sources, &mp.file, errors) else {
            continue;
        };
        let mut ctx = FileCtx {
            file: &mp.file,
            errors,
        };
        let part_start = loaded.rows.len();
        match part {
            Part::P3_3 => read_sl_rows(&mut ctx, text, part, &edition, &mut loaded.rows),
            Part::P4_2 => read_sl_rows(&mut ctx, text, part, &edition, &mut loaded.rows),
            Part::P4_1 => read_4_1(&mut ctx, text, &edition, &manifest.practices, &mut loaded.rows),
            Part::P3_2 => read_3_2(&mut ctx, text, &edition, &mut loaded.rows),
            Part::P2_1 => read_2_1(&mut ctx, text, &mp.editions, &mut loaded.rows),
        }
        if let Some(cf) = &mp.constraints
            && let Some(text) = file(sources, cf, errors)
        {
            let mut ctx = FileCtx { file: cf, errors };
            if part == Part::P4_2 {
                let mut constraints = Vec::new();
                read_constraints(&mut ctx, text, &edition, &mut constraints);
                loaded.rows.splice(part_start..part_start, constraints);
            } else {
                ctx.push(
                    0,
                    field_error("constraints", cf, "only part 4-2 has common constraints"),
                );
            }
        }
        if let Some(ml_file) = &mp.maturity_levels
            && let Some(text) = file(sources, ml_file, errors)
        {
            let mut ctx = FileCtx {
                file: ml_file,
                errors,
            };
            read_maturity(&mut ctx, text, &mut loaded.maturity_levels);
        }
    }
    if let Some(text) = file(sources, &manifest.sl_verification.file, errors) {
        let mut ctx = FileCtx {
            file: &manifest.sl_verification.file,
            errors,
        };
        read_verification(&mut ctx, text, &mut loaded.verifications);
    }
    order_practices(&mut loaded);
    loaded
}

/// Puts the 4-1 practices in the standard's order (Practice 1 SM … Practice 8 SG), which is the
/// order of their first requirement in the 4-1 file, not the manifest table's alphabetical one.
/// A practice without requirements goes last.
fn order_practices(loaded: &mut Loaded) {
    let first = |code: &str| {
        loaded
            .rows
            .iter()
            .position(|r| r.part == Part::P4_1 && r.group.as_ref().is_some_and(|g| g.as_str() == code))
            .unwrap_or(usize::MAX)
    };
    let mut keyed: Vec<(usize, Practice)> = std::mem::take(&mut loaded.practices)
        .into_iter()
        .map(|p| (first(&p.code), p))
        .collect();
    keyed.sort_by_key(|(i, _)| *i);
    loaded.practices = keyed.into_iter().map(|(_, p)| p).collect();
}

fn manifest_error(message: String) -> CatalogError {
    CatalogError::new(MANIFEST, 0, CatalogErrorKind::Manifest(message))
}

fn file<'s>(sources: &'s Sources, name: &str, errors: &mut Vec<CatalogError>) -> Option<&'s str> {
    let text = sources.get(name);
    if text.is_none() {
        errors.push(CatalogError::new(
            MANIFEST,
            0,
            CatalogErrorKind::MissingFile(name.to_owned()),
        ));
    }
    text
}

struct FileCtx<'a> {
    file: &'a str,
    errors: &'a mut Vec<CatalogError>,
}

impl FileCtx<'_> {
    fn push(&mut self, line: u64, kind: CatalogErrorKind) {
        self.errors.push(CatalogError::new(self.file, line, kind));
    }

    /// Reads a CSV with exactly the `expected` header; yields (line, record) for every data row.
    fn records(&mut self, text: &str, expected: &[&str]) -> Vec<(u64, StringRecord)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let header = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                self.push(1, CatalogErrorKind::Csv(e.to_string()));
                return Vec::new();
            }
        };
        let found: Vec<&str> = header.iter().map(str::trim).collect();
        if found != expected {
            self.push(
                1,
                CatalogErrorKind::Header {
                    found: found.join(","),
                    expected: expected.join(","),
                },
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for result in reader.records() {
            match result {
                Ok(rec) => {
                    let line = rec.position().map_or(0, |p| record_line(text, p));
                    out.push((line, rec));
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| record_line(text, p));
                    self.push(line, CatalogErrorKind::Csv(csv_message(&e)));
                }
            }
        }
        out
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("row has {len} fields, expected {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "field is not valid UTF-8".to_owned(),
        _ => e.to_string(),
    }
}

fn field(rec: &StringRecord, i: usize) -> &str {
    rec.get(i).unwrap_or("").trim()
}

fn non_empty(ctx: &mut FileCtx<'_>, line: u64, column: &'static str, value: &str) -> Option<String> {
    if value.is_empty() {
        ctx.push(line, field_error(column, value, "must not be empty"));
        return None;
    }
    Some(value.to_owned())
}

fn field_error(column: &'static str, value: &str, hint: &str) -> CatalogErrorKind {
    CatalogErrorKind::Field {
        column,
        value: value.to_owned(),
        hint: hint.to_owned(),
    }
}

fn parse_flag(ctx: &mut FileCtx<'_>, line: u64, column: &'static str, value: &str) -> Option<bool> {
    match value {
        "0" => Some(false),
        "1" => Some(true),
        _ => {
            ctx.push(line, field_error(column, value, "expected 0 or 1"));
            None
        }
    }
}

/// The 3-3 and 4-2 files: id, fr, title, sl1..sl4 (and component_type for 4-2).
fn read_sl_rows(ctx: &mut FileCtx<'_>, text: &str, part: Part, edition: &str, rows: &mut Vec<Requirement>) {
    let is_4_2 = part == Part::P4_2;
    let header: &[&str] = if is_4_2 {
        &["id", "fr", "title", "sl1", "sl2", "sl3", "sl4", "component_type"]
    } else {
        &["id", "fr", "title", "sl1", "sl2", "sl3", "sl4"]
    };
    for (line, rec) in ctx.records(text, header) {
        let Some(id) = non_empty(ctx, line, "id", field(&rec, 0)).map(|s| RequirementId::new(&s)) else {
            continue;
        };
        let fr_text = field(&rec, 1);
        let fr = fr_text.parse::<u8>().ok().and_then(Fr::from_number);
        if fr.is_none() {
            ctx.push(
                line,
                field_error("fr", fr_text, "expected a foundational requirement 1-7"),
            );
        }
        let Some(title) = non_empty(ctx, line, "title", field(&rec, 2)) else {
            continue;
        };
        let mut flags = [false; 4];
        let mut flags_ok = true;
        for (i, column) in ["sl1", "sl2", "sl3", "sl4"].into_iter().enumerate() {
            match parse_flag(ctx, line, column, field(&rec, 3 + i)) {
                Some(b) => flags[i] = b,
                None => flags_ok = false,
            }
        }
        let applicability = if is_4_2 {
            let t = field(&rec, 7);
            match t {
                "all" => Some(Applicability::All),
                other => match other.parse::<ComponentType>() {
                    Ok(ct) if other == ct.as_str() => Some(Applicability::Only(ct)),
                    _ => {
                        ctx.push(
                            line,
                            field_error(
                                "component_type",
                                t,
                                "expected all, software-application, embedded-device, host-device or network-device",
                            ),
                        );
                        continue;
                    }
                },
            }
        } else {
            None
        };
        let base = id.enhancement_base();
        let kind = match (&base, is_4_2) {
            (Some(_), _) => Kind::RequirementEnhancement,
            (None, true) => Kind::ComponentRequirement,
            (None, false) => Kind::SystemRequirement,
        };
        if !check_sl_prefix(ctx, line, &id, part, applicability) {
            continue;
        }
        let (Some(fr), true) = (fr, flags_ok) else {
            continue;
        };
        rows.push(Requirement {
            id,
            part,
            edition: edition.to_owned(),
            kind,
            fr: Some(fr),
            title,
            sl: Some(SlFlags(flags)),
            base,
            group: None,
            applicability,
            counterpart: None,
            verification: None,
            line,
        });
    }
}

/// The 4-2 common component security constraints (`CCSC n`, title): no FR, no SL flags (each holds
/// at every SL), every component type. They precede the part's other rows, as in the standard.
fn read_constraints(ctx: &mut FileCtx<'_>, text: &str, edition: &str, rows: &mut Vec<Requirement>) {
    for (line, rec) in ctx.records(text, &["id", "title"]) {
        let Some(id) = non_empty(ctx, line, "id", field(&rec, 0)).map(|s| RequirementId::new(&s)) else {
            continue;
        };
        let numbered = id.prefix() == Some("CCSC") && id.number().is_some_and(|n| n.parse::<u8>().is_ok());
        if !numbered || id.enhancement_base().is_some() {
            ctx.push(
                line,
                CatalogErrorKind::BadId {
                    id: id.to_string(),
                    reason: "a common constraint is numbered `CCSC n`".to_owned(),
                },
            );
            continue;
        }
        let Some(title) = non_empty(ctx, line, "title", field(&rec, 1)) else {
            continue;
        };
        rows.push(Requirement {
            id,
            part: Part::P4_2,
            edition: edition.to_owned(),
            kind: Kind::CommonConstraint,
            fr: None,
            title,
            sl: None,
            base: None,
            group: None,
            applicability: Some(Applicability::All),
            counterpart: None,
            verification: None,
            line,
        });
    }
}

/// The prefix of a 3-3 id is `SR`; of a 4-2 id `CR` (for `all`) or the component type's own prefix.
fn check_sl_prefix(
    ctx: &mut FileCtx<'_>,
    line: u64,
    id: &RequirementId,
    part: Part,
    applicability: Option<Applicability>,
) -> bool {
    let expected = match applicability {
        None => "SR",
        Some(Applicability::All) => "CR",
        Some(Applicability::Only(t)) => t.prefix(),
    };
    let ok = id.prefix() == Some(expected) && id.number().is_some();
    if !ok {
        let reason = match applicability {
            Some(a) => format!(
                "a part {part} row for `{}` must be numbered `{expected} n.m`",
                a.as_str()
            ),
            None => format!("a part {part} row must be numbered `{expected} n.m`"),
        };
        ctx.push(
            line,
            CatalogErrorKind::BadId {
                id: id.to_string(),
                reason,
            },
        );
    }
    ok
}

fn read_4_1(
    ctx: &mut FileCtx<'_>,
    text: &str,
    edition: &str,
    practices: &BTreeMap<String, String>,
    rows: &mut Vec<Requirement>,
) {
    for (line, rec) in ctx.records(text, &["practice", "id", "title"]) {
        let practice = field(&rec, 0);
        let Some(id) = non_empty(ctx, line, "id", field(&rec, 1)).map(|s| RequirementId::new(&s)) else {
            continue;
        };
        let Some(title) = non_empty(ctx, line, "title", field(&rec, 2)) else {
            continue;
        };
        if !practices.contains_key(practice) {
            ctx.push(
                line,
                CatalogErrorKind::UnknownParent {
                    id: id.to_string(),
                    parent: practice.to_owned(),
                    context: " among the 4-1 practices of the manifest".to_owned(),
                },
            );
            continue;
        }
        if !id.as_str().starts_with(&format!("{practice}-")) || id.number().is_none() {
            ctx.push(
                line,
                CatalogErrorKind::BadId {
                    id: id.to_string(),
                    reason: format!("a requirement of practice {practice} must be numbered `{practice}-n`"),
                },
            );
            continue;
        }
        rows.push(Requirement {
            id,
            part: Part::P4_1,
            edition: edition.to_owned(),
            kind: Kind::ProcessRequirement,
            fr: None,
            title,
            sl: None,
            base: None,
            group: Some(RequirementId::new(practice)),
            applicability: None,
            counterpart: None,
            verification: None,
            line,
        });
    }
}

fn read_3_2(ctx: &mut FileCtx<'_>, text: &str, edition: &str, rows: &mut Vec<Requirement>) {
    for (line, rec) in ctx.records(text, &["id", "parent", "title"]) {
        let Some(id) = non_empty(ctx, line, "id", field(&rec, 0)).map(|s| RequirementId::new(&s)) else {
            continue;
        };
        let parent = field(&rec, 1);
        let Some(title) = non_empty(ctx, line, "title", field(&rec, 2)) else {
            continue;
        };
        if id.prefix() != Some("ZCR") || id.number().is_none() {
            ctx.push(
                line,
                CatalogErrorKind::BadId {
                    id: id.to_string(),
                    reason: "a 3-2 row must be numbered `ZCR n[.m]`".into(),
                },
            );
            continue;
        }
        let kind = if parent.is_empty() {
            Kind::Zcr
        } else {
            Kind::ZcrRequirement
        };
        rows.push(Requirement {
            id,
            part: Part::P3_2,
            edition: edition.to_owned(),
            kind,
            fr: None,
            title,
            sl: None,
            base: None,
            group: (!parent.is_empty()).then(|| RequirementId::new(parent)),
            applicability: None,
            counterpart: None,
            verification: None,
            line,
        });
    }
}

fn read_2_1(ctx: &mut FileCtx<'_>, text: &str, editions: &[String], rows: &mut Vec<Requirement>) {
    for (line, rec) in ctx.records(text, &["edition", "id", "parent", "level", "title"]) {
        let edition = field(&rec, 0);
        if !editions.iter().any(|e| e == edition) {
            ctx.push(
                line,
                field_error(
                    "edition",
                    edition,
                    &format!("expected one of {}", editions.join(", ")),
                ),
            );
            continue;
        }
        let Some(id) = non_empty(ctx, line, "id", field(&rec, 1)).map(|s| RequirementId::new(&s)) else {
            continue;
        };
        let parent = field(&rec, 2);
        let level = field(&rec, 3);
        let kind = match level {
            "security-program-element" => Kind::SecurityProgramElement,
            "element" => Kind::Element,
            "requirement" => Kind::ProgramRequirement,
            "category" => Kind::Category,
            "element-group" => Kind::ElementGroup,
            _ => {
                ctx.push(
                    line,
                    field_error(
                        "level",
                        level,
                        "expected security-program-element, element, requirement, category or element-group",
                    ),
                );
                continue;
            }
        };
        let Some(title) = non_empty(ctx, line, "title", field(&rec, 4)) else {
            continue;
        };
        rows.push(Requirement {
            id,
            part: Part::P2_1,
            edition: edition.to_owned(),
            kind,
            fr: None,
            title,
            sl: None,
            base: None,
            group: (!parent.is_empty()).then(|| RequirementId::new(parent)),
            applicability: None,
            counterpart: None,
            verification: None,
            line,
        });
    }
}

fn read_maturity(ctx: &mut FileCtx<'_>, text: &str, out: &mut Vec<MaturityLevel>) {
    for (line, rec) in ctx.records(text, &["level", "name", "short_meaning"]) {
        let lv = field(&rec, 0);
        let Some(level) = lv.parse::<u8>().ok().filter(|l| (1..=4).contains(l)) else {
            ctx.push(line, field_error("level", lv, "expected a maturity level 1-4"));
            continue;
        };
        let Some(name) = non_empty(ctx, line, "name", field(&rec, 1)) else {
            continue;
        };
        out.push(MaturityLevel {
            level,
            name,
            meaning: field(&rec, 2).to_owned(),
        });
    }
}

fn read_verification(
    ctx: &mut FileCtx<'_>,
    text: &str,
    out: &mut Vec<(u64, Part, RequirementId, Verification)>,
) {
    for (line, rec) in ctx.records(text, &["part", "id", "status", "evidence"]) {
        let p = field(&rec, 0);
        let part = match p.parse::<Part>() {
            Ok(part) if part.has_security_levels() => part,
            _ => {
                ctx.push(line, field_error("part", p, "expected 3-3 or 4-2"));
                continue;
            }
        };
        let s = field(&rec, 2);
        let Some(status) = VerificationStatus::parse(s) else {
            let all: Vec<&str> = VerificationStatus::ALL.iter().map(|v| v.as_str()).collect();
            ctx.push(
                line,
                field_error("status", s, &format!("expected one of {}", all.join(", "))),
            );
            continue;
        };
        let Some(id) = non_empty(ctx, line, "id", field(&rec, 1)).map(|s| RequirementId::new(&s)) else {
            continue;
        };
        out.push((
            line,
            part,
            id,
            Verification {
                status,
                evidence: field(&rec, 3).to_owned(),
            },
        ));
    }
}
