//! `responses/*.toml`, `maturity.toml` and `program.toml`: answers to requirements, with evidence.

use std::collections::BTreeMap;

use levee_catalog::{Applicability, Requirement, channel};
use levee_core::{
    AssessmentMethod, ComponentId, ConduitId, Date, EvidenceRef, MaturityResponse, Part, ProgramResponse,
    Response, ResponseStatus, SecurityLevel, Target, ZoneId,
};

use crate::check::{Ctx, FileRef};
use crate::diag::{Loc, codes};
use crate::raw::{RawEvidence, RawMaturity, RawMethod, RawProgram, RawResponse, RawStatus};
use crate::source::{At, Doc, Entry};
use crate::values::{is_sha256, is_url, path_problem};

/// The first answer given for each (requirement, target), to find duplicates across files.
#[derive(Default)]
pub(crate) struct Answered {
    first: BTreeMap<(String, String), Loc>,
    /// What the data-quality checks need once every response file is read.
    pub(crate) quality: crate::quality::Record,
}

impl Answered {
    /// Records an answer; reports it when the same requirement was answered for the same target before.
    fn record(
        &mut self,
        ctx: &mut Ctx<'_>,
        requirement: &str,
        target: String,
        label: &str,
        loc: &Loc,
    ) -> bool {
        let key = (requirement.to_owned(), target);
        if let Some(first) = self.first.get(&key) {
            ctx.sink
                .error(
                    codes::DUPLICATE_RESPONSE,
                    loc,
                    format!("`{requirement}` is answered twice{label}; the first answer is at {first}"),
                )
                .hint("keep one answer per requirement and target");
            return false;
        }
        self.first.insert(key, loc.clone());
        true
    }
}

/// One `responses/*.toml` file.
pub(crate) fn responses(ctx: &mut Ctx<'_>, doc: &Doc<'_>, answered: &mut Answered) -> Vec<Response> {
    ctx.check_root_keys(doc, &["response"]);
    let parsed = doc.entries::<RawResponse>("response", &mut ctx.sink);
    let mut out = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let req_loc = at.field_loc("requirement");
        let requirement = ctx.requirement(&raw.requirement, &req_loc);
        let mut ok = requirement.is_some();
        if let Some(r) = requirement
            && !matches!(r.part, Part::P3_3 | Part::P4_2)
        {
            ok = false;
            ctx.sink
                .error(
                    codes::REQUIREMENT_NOT_APPLICABLE,
                    &req_loc,
                    format!(
                        "`{}` is a {} requirement; responses answer 3-3 and 4-2 requirements",
                        r.id, r.part
                    ),
                )
                .hint(elsewhere(r.part));
        }
        let targets = targets(ctx, &raw, &at);
        ok &= targets.as_ref().is_some_and(|(_, refs_ok)| *refs_ok);
        let status = status(raw.status);
        let justified = raw.justification.as_deref().is_some_and(|j| !j.trim().is_empty());
        if matches!(
            status,
            ResponseStatus::NotApplicable | ResponseStatus::Compensating
        ) && !justified
        {
            ok = false;
            ctx.sink
                .error(
                    codes::MISSING_JUSTIFICATION,
                    &at.field_loc("status"),
                    format!("a `{}` response needs a `justification`", status.as_str()),
                )
                .hint("say why, e.g. `justification = \"no wireless interfaces in this zone\"`");
        } else if matches!(
            status,
            ResponseStatus::NotApplicable | ResponseStatus::Compensating
        ) && raw
            .justification
            .as_deref()
            .is_some_and(|j| j.split_whitespace().count() < 2)
        {
            ctx.sink
                .warning(
                    codes::MISSING_JUSTIFICATION,
                    &at.field_loc("justification"),
                    format!(
                        "the justification of a `{}` response is a single word",
                        status.as_str()
                    ),
                )
                .hint("say why in a sentence an auditor can check");
        }
        for (i, id) in raw.countermeasures.iter().enumerate() {
            let loc = at.item_loc("countermeasures", i);
            ok &= ctx.countermeasures.check(id, &loc, &mut ctx.sink);
            if matches!(status, ResponseStatus::Compensating | ResponseStatus::Implemented)
                && ctx.planned_countermeasures.contains(id)
            {
                ctx.sink
                    .warning(
                        codes::COUNTERMEASURE_PLANNED,
                        &loc,
                        format!(
                            "the response is `{}` through countermeasure `{id}`, which risk.toml declares `planned`",
                            status.as_str()
                        ),
                    )
                    .hint("set the countermeasure's `status = \"implemented\"` once it is in place, or answer the requirement `planned`");
            }
        }
        if status == ResponseStatus::Compensating
            && justified
            && raw.countermeasures.is_empty()
            && raw.component.is_none()
        {
            ctx.sink
                .warning(
                    codes::MISSING_JUSTIFICATION,
                    &at.field_loc("status"),
                    "a `compensating` response names no countermeasure, so it does not count toward SL-A",
                )
                .hint("name the risk register's countermeasures, e.g. `countermeasures = [\"CM-03\"]`, and approve them in approvals.toml");
        }
        let level = match raw.level {
            None => None,
            Some(n) => {
                let l = u8::try_from(n)
                    .ok()
                    .filter(|n| *n >= 1)
                    .and_then(SecurityLevel::new);
                if l.is_none() {
                    ok = false;
                    ctx.sink.error(
                        codes::SL_OUT_OF_RANGE,
                        &at.field_loc("level"),
                        format!("`level` is {n}; it must be 1-4"),
                    );
                }
                l
            }
        };
        let evidence = evidence(ctx, &at, &raw.evidence);
        ok &= evidence.is_some();
        let record = record(ctx, &raw, &at);
        ok &= record.is_some();
        let (Some(r), Some((targets, _))) = (requirement, targets) else {
            continue;
        };
        if let Some(l) = level {
            crate::quality::level_below_row(ctx, r, l, &at.field_loc("level"));
        }
        // Every target of one entry is of the same kind, so applicability is checked (and reported) once.
        if let Some((first, _)) = targets.first() {
            ok &= !matches!(r.part, Part::P3_3 | Part::P4_2) || applies(ctx, r, first, &req_loc);
        }
        for (target, loc) in targets {
            let (key, label) = match &target {
                Target::Zone(z) => (format!("zone:{z}"), format!(" for zone `{z}`")),
                Target::Conduit(c) => (format!("conduit:{c}"), format!(" for conduit `{c}`")),
                Target::Component(c) => (format!("component:{c}"), format!(" for component `{c}`")),
            };
            let unique = answered.record(ctx, r.id.as_str(), key.clone(), &label, &loc);
            ok &= unique;
            if unique {
                answered.quality.answers.push(crate::quality::Answer {
                    requirement: r.id.as_str().to_owned(),
                    target: key,
                    status,
                    loc: req_loc.clone(),
                });
            }
            if let (true, Some(evidence)) = (ok, &evidence) {
                if crate::quality::claims(status) && evidence.is_empty() {
                    answered.quality.unevidenced(&req_loc);
                }
                out.push(Response {
                    requirement: r.id.as_str().to_owned(),
                    target,
                    status,
                    level,
                    evidence: evidence.clone(),
                    justification: raw.justification.clone(),
                    countermeasures: raw
                        .countermeasures
                        .iter()
                        .map(|c| levee_core::CountermeasureId::new(c.clone()))
                        .collect(),
                    method: record.as_ref().and_then(|r| r.0),
                    assessor: record.as_ref().and_then(|r| r.1.clone()),
                    date: record.as_ref().and_then(|r| r.2),
                });
            }
        }
    }
    out
}

/// A response's assessment record: method, assessor and date; `None` when one of them is invalid.
type Record = (Option<AssessmentMethod>, Option<String>, Option<Date>);

fn record(ctx: &mut Ctx<'_>, raw: &RawResponse, at: &At<'_, '_>) -> Option<Record> {
    let method = raw.method.map(|m| match m {
        RawMethod::DocumentReview => AssessmentMethod::DocumentReview,
        RawMethod::Interview => AssessmentMethod::Interview,
        RawMethod::TechnicalVerification => AssessmentMethod::TechnicalVerification,
        RawMethod::Test => AssessmentMethod::Test,
    });
    let mut ok = true;
    let assessor = raw.assessor.as_deref().map(str::trim).map(str::to_owned);
    if assessor.as_deref().is_some_and(str::is_empty) {
        ok = false;
        ctx.sink
            .error(
                codes::INVALID_VALUE,
                &at.field_loc("assessor"),
                "`assessor` is empty",
            )
            .hint("name the person who established the answer, or leave `assessor` out");
    }
    let date = match raw.date.as_deref().map(str::parse::<Date>) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => {
            ok = false;
            ctx.sink
                .error(
                    codes::INVALID_VALUE,
                    &at.field_loc("date"),
                    format!(
                        "invalid date `{}` in `date`",
                        raw.date.as_deref().unwrap_or_default()
                    ),
                )
                .hint("write a calendar date as `YYYY-MM-DD`, e.g. `\"2026-03-01\"`");
            None
        }
    };
    ok.then_some((method, assessor, date))
}

/// Where answers to a part's requirements go instead.
fn elsewhere(part: Part) -> &'static str {
    match part {
        Part::P4_1 => "record 4-1 maturity in maturity.toml",
        Part::P2_1 => "record 2-1 program status in program.toml",
        Part::P3_2 => "3-2 requirements are met by the zones, conduits and risk register themselves",
        Part::P3_3 | Part::P4_2 => "answer 3-3 and 4-2 requirements in responses/*.toml",
    }
}

/// The targets of a response with the position of each, and whether every one is declared; `None`
/// when the entry does not give exactly one kind of target.
fn targets(ctx: &mut Ctx<'_>, raw: &RawResponse, at: &At<'_, '_>) -> Option<(Vec<(Target, Loc)>, bool)> {
    let given: Vec<&str> = ["zone", "zones", "conduit", "component"]
        .into_iter()
        .filter(|k| at.field(k).is_some())
        .collect();
    if given.len() != 1 {
        let message = if given.is_empty() {
            "a response needs a target: one of `zone`, `zones`, `conduit` or `component`".to_owned()
        } else {
            format!(
                "a response has one target, but this one gives `{}`",
                given.join("`, `")
            )
        };
        let loc = given.get(1).map_or_else(|| at.loc(), |k| at.key_loc(k));
        ctx.sink
            .error(codes::INVALID_VALUE, &loc, message)
            .hint("use `zones = [...]` to give the same answer for several zones");
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    if let Some(z) = &raw.zone {
        let loc = at.field_loc("zone");
        ok &= ctx.zones.check(z, &loc, &mut ctx.sink);
        out.push((Target::Zone(ZoneId::new(z.as_str())), loc));
    }
    for (i, z) in raw.zones.iter().flatten().enumerate() {
        let loc = at.item_loc("zones", i);
        ok &= ctx.zones.check(z, &loc, &mut ctx.sink);
        out.push((Target::Zone(ZoneId::new(z.as_str())), loc));
    }
    if raw.zones.as_ref().is_some_and(Vec::is_empty) {
        ok = false;
        ctx.sink
            .error(codes::INVALID_VALUE, &at.field_loc("zones"), "`zones` is empty");
    }
    if let Some(c) = &raw.conduit {
        let loc = at.field_loc("conduit");
        ok &= ctx.conduits.check(c, &loc, &mut ctx.sink);
        out.push((Target::Conduit(ConduitId::new(c.as_str())), loc));
    }
    if let Some(c) = &raw.component {
        let loc = at.field_loc("component");
        ok &= ctx.components.check(c, &loc, &mut ctx.sink);
        out.push((Target::Component(ComponentId::new(c.as_str())), loc));
    }
    Some((out, ok))
}

/// Whether a 3-3 or 4-2 requirement applies to a target; reports it when not.
fn applies(ctx: &mut Ctx<'_>, r: &Requirement, target: &Target, loc: &Loc) -> bool {
    let problem: Option<(String, String)> = match (target, r.part) {
        (Target::Zone(_) | Target::Conduit(_), Part::P4_2) => Some((
            format!(
                "`{}` is a 4-2 component requirement; zones and conduits answer 3-3 system requirements",
                r.id
            ),
            match &r.counterpart {
                Some(c) => format!("answer its 3-3 counterpart `{c}`"),
                None => "answer the matching SR instead".to_owned(),
            },
        )),
        (Target::Conduit(c), Part::P3_3) if !channel::applies_to_conduit(r, true) => Some((
            format!(
                "`{}` does not concern a communication channel; conduit `{c}` answers {} and their enhancements",
                r.id,
                channel::CHANNEL_REQUIREMENTS.join(", "),
            ),
            "answer it for the zones the conduit joins".to_owned(),
        )),
        (Target::Conduit(c), Part::P3_3)
            if channel::needs_untrusted(r) && !ctx.untrusted_conduits.contains(c.as_str()) =>
        {
            Some((
                format!(
                    "`{}` applies to conduits that cross an untrusted network; conduit `{c}` is not declared as one",
                    r.id
                ),
                format!(
                    "set `untrusted = true` on conduit `{c}` in conduits.toml if it crosses a carrier or the internet"
                ),
            ))
        }
        (Target::Component(_), Part::P3_3) => Some((
            format!(
                "`{}` is a 3-3 system requirement; components answer 4-2 requirements",
                r.id
            ),
            counterpart_4_2(ctx, r).map_or_else(
                || "answer the matching CR instead".to_owned(),
                |c| format!("answer the 4-2 requirement `{c}`"),
            ),
        )),
        (Target::Component(c), Part::P4_2) => match (r.applicability, ctx.component_types.get(c.as_str())) {
            (Some(Applicability::Only(own)), Some(t)) if own != *t => Some((
                format!(
                    "`{}` applies to {} components; component `{c}` is a {t}",
                    r.id,
                    own.as_str()
                ),
                format!("{t} components answer CR and {} requirements", t.prefix()),
            )),
            _ => None,
        },
        _ => None,
    };
    match problem {
        Some((message, hint)) => {
            ctx.sink
                .error(codes::REQUIREMENT_NOT_APPLICABLE, loc, message)
                .hint(hint);
            false
        }
        None => true,
    }
}

/// The 4-2 CR whose 3-3 counterpart is `r`.
fn counterpart_4_2(ctx: &Ctx<'_>, r: &Requirement) -> Option<String> {
    ctx.catalog
        .rows()
        .iter()
        .filter(|c| c.part == Part::P4_2 && c.counterpart.as_ref() == Some(&r.id))
        .min_by_key(|c| c.applicability != Some(Applicability::All))
        .map(|c| c.id.as_str().to_owned())
}

fn status(s: RawStatus) -> ResponseStatus {
    match s {
        RawStatus::Implemented => ResponseStatus::Implemented,
        RawStatus::Partial => ResponseStatus::Partial,
        RawStatus::Planned => ResponseStatus::Planned,
        RawStatus::NotApplicable => ResponseStatus::NotApplicable,
        RawStatus::Compensating => ResponseStatus::Compensating,
    }
}

/// Converts an entry's `evidence` array.
fn evidence(ctx: &mut Ctx<'_>, at: &At<'_, '_>, raw: &[RawEvidence]) -> Option<Vec<EvidenceRef>> {
    let mut out = Vec::new();
    let mut ok = true;
    let list = at.field("evidence");
    for (i, e) in raw.iter().enumerate() {
        let Some(item) = list.and_then(|l| l.item(i)) else {
            continue;
        };
        let kinds = [e.file.is_some(), e.url.is_some(), e.note.is_some()];
        if kinds.iter().filter(|k| **k).count() != 1 {
            ok = false;
            ctx.sink
                .error(
                    codes::INVALID_VALUE,
                    &item.loc(),
                    "evidence needs exactly one of `file`, `url` or `note`",
                )
                .hint("write each piece of evidence as its own table, e.g. `{ file = \"evidence/x.pdf\" }`");
            continue;
        }
        let sha256 = match &e.sha256 {
            Some(h) if e.file.is_none() => {
                ok = false;
                ctx.sink.error(
                    codes::INVALID_VALUE,
                    &item.field_loc("sha256"),
                    format!("`sha256` ({h}) is only for `file` evidence"),
                );
                continue;
            }
            Some(h) if !is_sha256(h) => {
                ok = false;
                ctx.sink
                    .error(
                        codes::INVALID_VALUE,
                        &item.field_loc("sha256"),
                        format!("invalid SHA-256 `{h}`"),
                    )
                    .hint("write the 64 hex digits printed by `sha256sum`");
                continue;
            }
            h => h.as_ref().map(|h| h.to_ascii_lowercase()),
        };
        if let Some(path) = &e.file {
            let loc = item.field_loc("file");
            if let Some(problem) = path_problem(path) {
                ok = false;
                ctx.sink
                    .error(
                        codes::EVIDENCE_OUTSIDE_PROJECT,
                        &loc,
                        format!("evidence path `{path}` {problem}"),
                    )
                    .hint(
                        "keep evidence inside the project directory, e.g. `\"evidence/firewall-rules.pdf\"`",
                    );
                continue;
            }
            ctx.file_refs.push(FileRef {
                path: path.clone(),
                sha256: sha256.clone(),
                loc,
                sha_loc: e.sha256.as_ref().map(|_| item.field_loc("sha256")),
                what: "evidence",
            });
            out.push(EvidenceRef::File {
                path: path.clone(),
                sha256,
            });
        } else if let Some(url) = &e.url {
            if !is_url(url) {
                ok = false;
                ctx.sink
                    .error(
                        codes::INVALID_VALUE,
                        &item.field_loc("url"),
                        format!("invalid URL `{url}`"),
                    )
                    .hint("write a full `https://` or `http://` URL");
                continue;
            }
            out.push(EvidenceRef::Url(url.clone()));
        } else if let Some(note) = &e.note {
            if note.trim().is_empty() {
                ok = false;
                ctx.sink.error(
                    codes::INVALID_VALUE,
                    &item.field_loc("note"),
                    "evidence note is empty",
                );
                continue;
            }
            out.push(EvidenceRef::Note(note.clone()));
        }
    }
    ok.then_some(out)
}

/// `maturity.toml`.
pub(crate) fn maturity(ctx: &mut Ctx<'_>, doc: &Doc<'_>) -> Vec<MaturityResponse> {
    ctx.check_root_keys(doc, &["maturity"]);
    let parsed = doc.entries::<RawMaturity>("maturity", &mut ctx.sink);
    let mut answered = Answered::default();
    let mut out = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let loc = at.field_loc("requirement");
        let r = of_part(
            ctx,
            &raw.requirement,
            &loc,
            Part::P4_1,
            "maturity.toml records 4-1 requirements",
        );
        let justification = raw
            .justification
            .as_deref()
            .map(str::trim)
            .filter(|j| !j.is_empty());
        let level = match (raw.level, raw.not_applicable) {
            (None, true) => Some(0),
            (Some(_), true) => {
                ctx.sink.error(
                    codes::INVALID_VALUE,
                    &at.field_loc("level"),
                    "a not-applicable 4-1 requirement has no maturity level",
                );
                None
            }
            (None, false) => {
                ctx.sink.error(
                    codes::INVALID_VALUE,
                    &at.field_loc("requirement"),
                    format!(
                        "`{}` needs a `level` (0-4) or `not_applicable = true`",
                        raw.requirement
                    ),
                );
                None
            }
            (Some(l), false) => {
                let level = u8::try_from(l).ok().filter(|l| *l <= 4);
                if level.is_none() {
                    ctx.sink.error(
                        codes::INVALID_VALUE,
                        &at.field_loc("level"),
                        format!("maturity level {l} is outside 0-4"),
                    );
                }
                level
            }
        };
        let not_applicable = if raw.not_applicable {
            if justification.is_none() {
                ctx.sink.error(
                    codes::INVALID_VALUE,
                    &at.field_loc("not_applicable"),
                    format!("a not-applicable `{}` needs a `justification`", raw.requirement),
                );
                continue;
            }
            justification.map(str::to_owned)
        } else {
            None
        };
        let evidence = evidence(ctx, &at, &raw.evidence);
        let Some(r) = r else { continue };
        let unique = answered.record(ctx, r, String::new(), "", &loc);
        if let (Some(level), Some(evidence), true) = (level, evidence, unique) {
            out.push(MaturityResponse {
                requirement: r.to_owned(),
                level,
                not_applicable,
                evidence,
                note: raw.note,
            });
        }
    }
    out
}

/// `program.toml`.
pub(crate) fn program(ctx: &mut Ctx<'_>, doc: &Doc<'_>) -> Vec<ProgramResponse> {
    ctx.check_root_keys(doc, &["program"]);
    let parsed = doc.entries::<RawProgram>("program", &mut ctx.sink);
    let mut answered = Answered::default();
    let mut out = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let loc = at.field_loc("element");
        let r = of_part(
            ctx,
            &raw.element,
            &loc,
            Part::P2_1,
            "program.toml records 2-1 elements",
        );
        let evidence = evidence(ctx, &at, &raw.evidence);
        let Some(r) = r else { continue };
        let unique = answered.record(ctx, r, String::new(), "", &loc);
        if let (Some(evidence), true) = (evidence, unique) {
            out.push(ProgramResponse {
                element: r.to_owned(),
                status: status(raw.status),
                evidence,
                note: raw.note,
            });
        }
    }
    out
}

/// Looks up a requirement that must belong to `part`; returns its canonical id.
fn of_part<'c>(ctx: &mut Ctx<'c>, id: &str, loc: &Loc, part: Part, what: &str) -> Option<&'c str> {
    let r = ctx.requirement(id, loc)?;
    if r.part != part {
        ctx.sink
            .error(
                codes::REQUIREMENT_NOT_APPLICABLE,
                loc,
                format!("`{}` is a {} requirement; {what}", r.id, r.part),
            )
            .hint(elsewhere(r.part));
        return None;
    }
    Some(r.id.as_str())
}
