//! The cross-row rules every catalog must pass before Levee uses it.
//!
//! Each rule pushes [`CatalogError`]s and never stops early, so one load reports every problem.

use std::collections::{BTreeMap, HashMap};

use levee_core::Part;

use crate::error::{CatalogError, CatalogErrorKind};
use crate::load::Loaded;
use crate::model::{Kind, Requirement, RequirementId};

/// Runs every rule over the loaded rows, attaches verification rows and 4-2 → 3-3 counterparts.
pub(crate) fn validate(loaded: &mut Loaded, errors: &mut Vec<CatalogError>) {
    let files: HashMap<Part, String> = loaded.parts.iter().map(|p| (p.part, p.file.clone())).collect();
    let file_of = |part: Part| files.get(&part).cloned().unwrap_or_default();
    let index = unique_ids(&loaded.rows, &file_of, errors);
    for row in &loaded.rows {
        let file = file_of(row.part);
        monotone_flags(row, &file, errors);
        id_matches_fr(row, &file, errors);
        if let Some(base_id) = &row.base {
            match index
                .get(&base_id.key())
                .map(|i| &loaded.rows[*i])
                .filter(|b| b.part == row.part)
            {
                Some(base) => enhancement_matches_base(row, base, &file, errors),
                None => errors.push(CatalogError::new(
                    &file,
                    row.line,
                    CatalogErrorKind::MissingBase {
                        id: row.id.to_string(),
                        base: base_id.to_string(),
                        part: row.part.to_string(),
                    },
                )),
            }
        }
        if let (Some(group), false) = (&row.group, row.part == Part::P4_1) {
            let parent = index.get(&group.key()).map(|i| &loaded.rows[*i]);
            if !parent.is_some_and(|p| p.part == row.part && p.edition == row.edition) {
                errors.push(CatalogError::new(
                    &file,
                    row.line,
                    CatalogErrorKind::UnknownParent {
                        id: row.id.to_string(),
                        parent: group.to_string(),
                        context: format!(" in part {} edition {}", row.part, row.edition),
                    },
                ));
            }
        }
    }
    attach_verifications(loaded, &index, errors);
    link_counterparts(&mut loaded.rows, &index);
}

/// Rule `duplicate-id`: ids are unique across the catalog, compared by their lookup key.
fn unique_ids(
    rows: &[Requirement],
    file_of: &dyn Fn(Part) -> String,
    errors: &mut Vec<CatalogError>,
) -> HashMap<String, usize> {
    let mut index: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if let Some(&first) = index.get(&row.id.key()) {
            let first = &rows[first];
            errors.push(CatalogError::new(
                &file_of(row.part),
                row.line,
                CatalogErrorKind::DuplicateId {
                    id: row.id.to_string(),
                    first_file: file_of(first.part),
                    first_line: first.line,
                },
            ));
        } else {
            index.insert(row.id.key(), i);
        }
    }
    index
}

/// Rule `non-monotone-sl-flags`: required at SLn ⇒ required at every higher SL.
fn monotone_flags(row: &Requirement, file: &str, errors: &mut Vec<CatalogError>) {
    if let Some(flags) = row.sl.filter(|f| !f.is_monotone()) {
        errors.push(CatalogError::new(
            file,
            row.line,
            CatalogErrorKind::NonMonotoneFlags {
                id: row.id.to_string(),
                flags: flags.compact(),
            },
        ));
    }
}

/// Rule `id-fr-mismatch`: `SR 3.4` and `EDR 3.10` sit in FR 3.
fn id_matches_fr(row: &Requirement, file: &str, errors: &mut Vec<CatalogError>) {
    let (Some(fr), Some(number)) = (row.fr, row.id.number()) else {
        return;
    };
    let numbered = number.split('.').next().and_then(|m| m.parse::<u8>().ok());
    if let Some(numbered) = numbered.filter(|n| *n != fr.number()) {
        errors.push(CatalogError::new(
            file,
            row.line,
            CatalogErrorKind::IdFrMismatch {
                id: row.id.to_string(),
                fr: fr.number(),
                numbered,
            },
        ));
    }
}

/// Rule `fr-mismatch`: an enhancement shares its base's FR, and its base is not itself an enhancement.
/// (It shares the component type too: both follow from the id prefix, which `bad-id` checks.)
fn enhancement_matches_base(
    row: &Requirement,
    base: &Requirement,
    file: &str,
    errors: &mut Vec<CatalogError>,
) {
    if let (Some(fr), Some(base_fr)) = (row.fr, base.fr)
        && fr != base_fr
    {
        errors.push(CatalogError::new(
            file,
            row.line,
            CatalogErrorKind::FrMismatch {
                id: row.id.to_string(),
                fr: fr.number(),
                base: base.id.to_string(),
                base_fr: base_fr.number(),
            },
        ));
    }
    if base.kind == Kind::RequirementEnhancement {
        errors.push(CatalogError::new(
            file,
            row.line,
            CatalogErrorKind::BadId {
                id: row.id.to_string(),
                reason: format!("its base `{}` is itself an enhancement", base.id),
            },
        ));
    }
}

/// Rules `unknown-verification` and `missing-verification`: every SL-flagged row has exactly one
/// verification row, and every verification row names a row of its part.
fn attach_verifications(loaded: &mut Loaded, index: &HashMap<String, usize>, errors: &mut Vec<CatalogError>) {
    let file = loaded.verification_file.clone();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for (line, part, id, verification) in std::mem::take(&mut loaded.verifications) {
        let key = format!("{part}/{}", id.key());
        if let Some(first_line) = seen.insert(key, line) {
            errors.push(CatalogError::new(
                &file,
                line,
                CatalogErrorKind::DuplicateId {
                    id: id.to_string(),
                    first_file: file.clone(),
                    first_line,
                },
            ));
            continue;
        }
        match index.get(&id.key()).filter(|i| loaded.rows[**i].part == part) {
            Some(&i) => loaded.rows[i].verification = Some(verification),
            None => errors.push(CatalogError::new(
                &file,
                line,
                CatalogErrorKind::UnknownVerification {
                    id: id.to_string(),
                    part: part.to_string(),
                },
            )),
        }
    }
    let part_files: HashMap<Part, String> = loaded.parts.iter().map(|p| (p.part, p.file.clone())).collect();
    for row in loaded
        .rows
        .iter()
        .filter(|r| r.sl.is_some() && r.verification.is_none())
    {
        errors.push(CatalogError::new(
            part_files.get(&row.part).map_or("", String::as_str),
            row.line,
            CatalogErrorKind::MissingVerification {
                id: row.id.to_string(),
            },
        ));
    }
}

/// A 4-2 row `CR 2.1`, `EDR 2.4` or `CR 2.1 RE 1` has the 3-3 counterpart `SR 2.1` / `SR 2.4` when that
/// SR exists. Enhancements link to the SR of their base: 3-3 and 4-2 number their REs independently,
/// so RE-to-RE links by number would be wrong.
fn link_counterparts(rows: &mut [Requirement], index: &HashMap<String, usize>) {
    let links: Vec<(usize, RequirementId)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.part == Part::P4_2)
        .filter_map(|(i, r)| {
            let sr = RequirementId::new(&format!("SR {}", r.id.number()?));
            let target = index.get(&sr.key()).map(|j| &rows[*j])?;
            (target.part == Part::P3_3).then_some((i, target.id.clone()))
        })
        .collect();
    for (i, id) in links {
        rows[i].counterpart = Some(id);
    }
}
