//! `approvals.toml`: the asset owner's sign-offs (62443-3-2 ZCR 7): a zone's or conduit's CRS, a
//! zone's or a scenario's residual risk, a compensating countermeasure, a review.

use levee_core::{Approval, ApprovalKind, Date};

use crate::check::Ctx;
use crate::diag::{Loc, codes, did_you_mean};
use crate::raw::{RawApproval, RawApprovalKind};
use crate::source::{Doc, Entry};

/// Converts `approvals.toml`; every `object` must name a declared object of the kind `what` approves.
pub(crate) fn approvals(ctx: &mut Ctx<'_>, doc: &Doc<'_>) -> Vec<Approval> {
    ctx.check_root_keys(doc, &["approval"]);
    let parsed = doc.entries::<RawApproval>("approval", &mut ctx.sink);
    let mut out = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let date = match raw.date.parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                ctx.sink
                    .error(
                        codes::INVALID_VALUE,
                        &at.field_loc("date"),
                        format!("invalid date `{}` in `date`", raw.date),
                    )
                    .hint("write a calendar date as `YYYY-MM-DD`, e.g. `\"2026-03-01\"`");
                None
            }
        };
        let what = match raw.what {
            RawApprovalKind::Crs => ApprovalKind::Crs,
            RawApprovalKind::ResidualRisk => ApprovalKind::ResidualRisk,
            RawApprovalKind::CompensatingCountermeasure => ApprovalKind::CompensatingCountermeasure,
            RawApprovalKind::Review => ApprovalKind::Review,
        };
        let loc = at.field_loc("object");
        let id = raw.object.as_str();
        let zone = ctx.zones.first(id).is_some();
        let conduit = ctx.conduits.first(id).is_some();
        let scenario = ctx.scenarios.first(id).is_some();
        let cm = ctx.countermeasures.first(id).is_some();
        let known = match what {
            ApprovalKind::Crs => zone || conduit || ctx.zones.check(id, &loc, &mut ctx.sink),
            ApprovalKind::ResidualRisk => zone || scenario || unknown_risk_object(ctx, id, &loc),
            ApprovalKind::CompensatingCountermeasure => ctx.countermeasures.check(id, &loc, &mut ctx.sink),
            ApprovalKind::Review => {
                zone || conduit || scenario || cm || ctx.zones.check(id, &loc, &mut ctx.sink)
            }
        };
        let (Some(date), true) = (date, known) else {
            continue;
        };
        out.push(Approval {
            by: raw.by,
            role: raw.role,
            date,
            what,
            object: raw.object,
            note: raw.note,
        });
    }
    out
}

/// Reports a `residual-risk` approval whose object is neither a declared zone nor a declared
/// scenario (unless a file that may declare it could not be read); returns false.
fn unknown_risk_object(ctx: &mut Ctx<'_>, id: &str, loc: &Loc) -> bool {
    if !(ctx.zones.complete && ctx.scenarios.complete) {
        return false;
    }
    let names: Vec<&str> = ctx.zones.names().chain(ctx.scenarios.names()).collect();
    let hint = did_you_mean(id, names.iter().copied()).unwrap_or_else(|| {
        "a residual-risk approval names a zone (zones.toml) or a threat scenario (risk.toml)".to_owned()
    });
    ctx.sink
        .error(
            codes::UNKNOWN_SCENARIO,
            loc,
            format!("unknown zone or scenario `{id}` in a residual-risk approval"),
        )
        .hint(hint);
    false
}
