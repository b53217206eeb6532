//! Data-quality warnings: what a project's files leave unsaid or contradict, found once every file
//! is read. All of them are warnings: the project still loads and can be assessed.

use std::collections::{BTreeMap, BTreeSet};

use levee_catalog::channel;
use levee_core::{Conduit, ResponseStatus, SecurityLevel, Zone};

use crate::check::Ctx;
use crate::diag::{Loc, codes};

/// One answer to a 3-3 or 4-2 row, as far as the data-quality checks need it.
pub(crate) struct Answer {
    /// The canonical requirement id.
    pub(crate) requirement: String,
    /// `zone:x`, `conduit:x` or `component:x`.
    pub(crate) target: String,
    pub(crate) status: ResponseStatus,
    /// Where the requirement is written.
    pub(crate) loc: Loc,
}

/// What the response files held, for the checks after all of them are read.
#[derive(Default)]
pub(crate) struct Record {
    pub(crate) answers: Vec<Answer>,
    /// Per response file: answers that claim something (implemented, partial, compensating) and give no
    /// evidence, and the position of the first of them.
    pub(crate) unevidenced: BTreeMap<String, (usize, Loc)>,
}

impl Record {
    /// Counts an answer without evidence in its file.
    pub(crate) fn unevidenced(&mut self, loc: &Loc) {
        self.unevidenced
            .entry(loc.file.clone())
            .and_modify(|(n, _)| *n += 1)
            .or_insert_with(|| (1, loc.clone()));
    }
}

/// Whether a status claims the requirement is (at least partly) met, so it needs evidence.
pub(crate) fn claims(status: ResponseStatus) -> bool {
    matches!(
        status,
        ResponseStatus::Implemented | ResponseStatus::Partial | ResponseStatus::Compensating
    )
}

/// Warns when a response's `level` is below the lowest SL that requires its row: the answer then
/// holds at no level the row counts for.
pub(crate) fn level_below_row(
    ctx: &mut Ctx<'_>,
    requirement: &levee_catalog::Requirement,
    level: SecurityLevel,
    loc: &Loc,
) {
    let Some(lowest) = requirement.sl.and_then(|f| f.min_level()) else {
        return;
    };
    if level < lowest {
        ctx.sink
            .warning(
                codes::LEVEL_BELOW_ROW,
                loc,
                format!(
                    "`level` is {} but `{}` is first required at SL{}, so this answer counts at no level",
                    level.get(),
                    requirement.id,
                    lowest.get()
                ),
            )
            .hint(format!(
                "give `level = {}` or higher, or remove `level` if the answer holds at every level",
                lowest.get()
            ));
    }
}

/// The checks that need every file: answers without evidence (one warning per file), enhancements
/// answered without their base or against a not-applicable base, and zones without assets or conduits.
pub(crate) fn check(
    ctx: &mut Ctx<'_>,
    record: &Record,
    zones: &[Zone],
    conduits: &[Conduit],
    assets_in: Option<&BTreeSet<String>>,
) {
    for (file, (n, first)) in &record.unevidenced {
        let (rows, give) = if *n == 1 {
            ("row", "gives")
        } else {
            ("rows", "give")
        };
        ctx.sink
            .warning(
                codes::NO_EVIDENCE,
                first,
                format!("{n} answered {rows} in {file} {give} no evidence (the first is here)"),
            )
            .hint("add `evidence = [{ file = \"evidence/…\" }]`, a `url` or a `note` an auditor can check");
    }
    enhancements(ctx, record);
    let with_conduit: BTreeSet<&str> = conduits
        .iter()
        .flat_map(|c| c.zones.iter().map(levee_core::ZoneId::as_str))
        .collect();
    for zone in zones {
        let id = zone.id.as_str();
        let Some(loc) = ctx.zones.first(id).cloned() else {
            continue;
        };
        if let Some(assets) = assets_in
            && zone.in_scope
            && !assets.contains(id)
        {
            ctx.sink
                .warning(codes::EMPTY_ZONE, &loc, format!("zone `{id}` holds no asset"))
                .hint("declare its assets in assets.toml with `zone = \"…\"`, or remove the zone: its requirements are counted all the same");
        }
        if zones.len() > 1 && ctx.conduits.complete && !with_conduit.contains(id) {
            ctx.sink
                .warning(codes::ISOLATED_ZONE, &loc, format!("zone `{id}` has no conduit"))
                .hint("declare the conduits that join it to other zones in conduits.toml; an air-gapped zone needs no conduit");
        }
    }
}

/// An enhancement answered for a target whose base requirement is unanswered there, or is
/// `not-applicable` while the enhancement claims to be met.
fn enhancements(ctx: &mut Ctx<'_>, record: &Record) {
    let by_key: BTreeMap<(&str, &str), ResponseStatus> = record
        .answers
        .iter()
        .map(|a| ((a.requirement.as_str(), a.target.as_str()), a.status))
        .collect();
    for a in &record.answers {
        let Some(r) = ctx.catalog.find(&a.requirement) else {
            continue;
        };
        let Some(base_id) = &r.base else { continue };
        let Some(base) = ctx.catalog.find(base_id.as_str()) else {
            continue;
        };
        // A conduit answers only the channel rows; a base that is not one is answered by the zones.
        if a.target.starts_with("conduit:") && !channel::applies_to_conduit(base, true) {
            continue;
        }
        let (kind, name) = a.target.split_once(':').unwrap_or(("", a.target.as_str()));
        match by_key.get(&(base.id.as_str(), a.target.as_str())) {
            None => {
                ctx.sink
                    .warning(
                        codes::ENHANCEMENT_WITHOUT_BASE,
                        &a.loc,
                        format!(
                            "`{}` is answered for {kind} `{name}`, but its base `{}` is not",
                            r.id, base.id
                        ),
                    )
                    .hint(format!(
                        "an enhancement builds on its base requirement: answer `{}` for {kind} `{name}` too",
                        base.id
                    ));
            }
            Some(ResponseStatus::NotApplicable) if claims(a.status) => {
                ctx.sink
                    .warning(
                        codes::ENHANCEMENT_WITHOUT_BASE,
                        &a.loc,
                        format!(
                            "`{}` is `{}` for {kind} `{name}`, but its base `{}` is `not-applicable` there",
                            r.id,
                            a.status.as_str(),
                            base.id
                        ),
                    )
                    .hint("an enhancement cannot be met where its base does not apply: correct one of the two answers");
            }
            Some(_) => {}
        }
    }
}
