//! `risk.toml`: the 62443-3-2 risk register, threat scenarios and countermeasures.

use levee_core::{
    AssetId, Consequences, Countermeasure, CountermeasureId, CountermeasureStatus, Fr, Part, RiskRegister,
    ScenarioId, ThreatScenario, ZoneId,
};

use crate::check::Ctx;
use crate::diag::{codes, did_you_mean};
use crate::raw::{RawCountermeasure, RawCountermeasureStatus, RawScenario};
use crate::source::{At, Doc, Entry};

/// Converts `risk.toml`: countermeasures first, so scenarios can refer to them.
pub(crate) fn risk(ctx: &mut Ctx<'_>, doc: &Doc<'_>) -> (Vec<ThreatScenario>, Vec<Countermeasure>) {
    ctx.check_root_keys(doc, &["scenario", "countermeasure"]);
    let countermeasures = countermeasures(ctx, doc);
    let scenarios = scenarios(ctx, doc);
    (scenarios, countermeasures)
}

fn countermeasures(ctx: &mut Ctx<'_>, doc: &Doc<'_>) -> Vec<Countermeasure> {
    let parsed = doc.entries::<RawCountermeasure>("countermeasure", &mut ctx.sink);
    Ctx::note_failed(doc, &parsed, &mut ctx.countermeasures);
    let mut out = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let declared = ctx.countermeasures.declare(&raw.id, &at, &mut ctx.sink);
        let likelihood_reduction = reduction(ctx, &at, "likelihood_reduction", raw.likelihood_reduction);
        let consequence_reduction = reduction(ctx, &at, "consequence_reduction", raw.consequence_reduction);
        let mut requirements = Vec::new();
        let mut requirements_ok = true;
        for (i, id) in raw.requirements.iter().enumerate() {
            let loc = at.item_loc("requirements", i);
            match ctx.requirement(id, &loc) {
                Some(r) if matches!(r.part, Part::P3_3 | Part::P4_2) => {
                    requirements.push(r.id.as_str().to_owned())
                }
                Some(r) => {
                    requirements_ok = false;
                    ctx.sink
                        .error(
                            codes::REQUIREMENT_NOT_APPLICABLE,
                            &loc,
                            format!(
                                "`{}` is a {} requirement; a countermeasure implements 3-3 or 4-2 requirements",
                                r.id, r.part
                            ),
                        )
                        .hint("list the SR, CR, SAR, EDR, HDR or NDR ids the countermeasure implements");
                }
                None => requirements_ok = false,
            }
        }
        let (Some(likelihood_reduction), Some(consequence_reduction), true, true) = (
            likelihood_reduction,
            consequence_reduction,
            declared,
            requirements_ok,
        ) else {
            continue;
        };
        if matches!(raw.status, RawCountermeasureStatus::Planned) {
            ctx.planned_countermeasures.insert(raw.id.clone());
        }
        out.push(Countermeasure {
            id: CountermeasureId::new(raw.id),
            title: raw.title,
            status: match raw.status {
                RawCountermeasureStatus::Implemented => CountermeasureStatus::Implemented,
                RawCountermeasureStatus::Planned => CountermeasureStatus::Planned,
            },
            likelihood_reduction,
            consequence_reduction,
            requirements,
        });
    }
    out
}

fn reduction(ctx: &mut Ctx<'_>, at: &At<'_, '_>, key: &str, v: i64) -> Option<u8> {
    let r = u8::try_from(v).ok().filter(|v| *v <= 4);
    if r.is_none() {
        ctx.sink.error(
            codes::INVALID_VALUE,
            &at.field_loc(key),
            format!("`{key}` is {v}; it must be 0-4"),
        );
    }
    r
}

fn scenarios(ctx: &mut Ctx<'_>, doc: &Doc<'_>) -> Vec<ThreatScenario> {
    let parsed = doc.entries::<RawScenario>("scenario", &mut ctx.sink);
    Ctx::note_failed(doc, &parsed, &mut ctx.scenarios);
    let mut out = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let mut ok = ctx.scenarios.declare(&raw.id, &at, &mut ctx.sink);
        for (i, z) in raw.zones.iter().enumerate() {
            ok &= ctx.zones.check(z, &at.item_loc("zones", i), &mut ctx.sink);
        }
        for (i, a) in raw.assets.iter().enumerate() {
            ok &= ctx.assets.check(a, &at.item_loc("assets", i), &mut ctx.sink);
        }
        for (i, c) in raw.countermeasures.iter().enumerate() {
            ok &= ctx
                .countermeasures
                .check(c, &at.item_loc("countermeasures", i), &mut ctx.sink);
        }
        let levels = ctx.matrix.likelihood_levels;
        let likelihood = u8::try_from(raw.likelihood)
            .ok()
            .filter(|l| (1..=levels).contains(l));
        if likelihood.is_none() {
            ctx.sink
                .error(
                    codes::INVALID_VALUE,
                    &at.field_loc("likelihood"),
                    format!("`likelihood` is {}; it must be 1-{levels}", raw.likelihood),
                )
                .hint("the range is set by `likelihood_levels` in the `[risk]` table of levee.toml");
        }
        threat_source_known(ctx, &at, &raw.threat_source);
        let consequences = consequences(ctx, &at, &raw);
        let mut frs = Vec::new();
        for (i, n) in raw.frs.iter().enumerate() {
            match u8::try_from(*n).ok().and_then(Fr::from_number) {
                Some(fr) => frs.push(fr),
                None => {
                    ok = false;
                    ctx.sink.error(
                        codes::INVALID_VALUE,
                        &at.item_loc("frs", i),
                        format!("FR {n} does not exist; FRs are numbered 1-7"),
                    );
                }
            }
        }
        let (Some(likelihood), Some(consequences), true) = (likelihood, consequences, ok) else {
            continue;
        };
        out.push(ThreatScenario {
            id: ScenarioId::new(raw.id),
            title: raw.title,
            threat_source: raw.threat_source,
            vector: raw.vector,
            zones: raw.zones.into_iter().map(ZoneId::new).collect(),
            assets: raw.assets.into_iter().map(AssetId::new).collect(),
            vulnerability: raw.vulnerability,
            consequences,
            likelihood,
            countermeasures: raw
                .countermeasures
                .into_iter()
                .map(CountermeasureId::new)
                .collect(),
            frs,
        });
    }
    out
}

/// Warns when a scenario names a threat source that is neither built in nor defined in levee.toml:
/// its capability is unknown, so its SL-T rests on the consequence alone.
fn threat_source_known(ctx: &mut Ctx<'_>, at: &At<'_, '_>, source: &str) {
    let known = RiskRegister {
        threat_sources: ctx.threat_sources.clone(),
        ..RiskRegister::default()
    };
    if known.capability(source).is_some() {
        return;
    }
    let mut names: Vec<String> = levee_core::BUILTIN_THREAT_SOURCES
        .iter()
        .map(|(n, _, _)| (*n).to_owned())
        .collect();
    names.extend(ctx.threat_sources.iter().map(|t| t.id.clone()));
    let key = levee_core::threat_source_key(source);
    let hint = did_you_mean(&key, names.iter().map(String::as_str)).unwrap_or_else(|| {
        "define it in levee.toml: `[[threat_source]]` with `id` and `capability` (1-4)".to_owned()
    });
    ctx.sink
        .warning(
            codes::UNKNOWN_THREAT_SOURCE,
            &at.field_loc("threat_source"),
            format!("unknown threat source `{source}`; its SL-T rests on the consequence alone"),
        )
        .hint(hint);
}

fn consequences(ctx: &mut Ctx<'_>, at: &At<'_, '_>, raw: &RawScenario) -> Option<Consequences> {
    let c = &raw.consequences;
    let levels = ctx.matrix.consequence_levels;
    let table = at.field("consequences");
    let mut ok = true;
    let mut rate = |key: &str, v: i64| -> u8 {
        match u8::try_from(v).ok().filter(|v| *v <= levels) {
            Some(v) => v,
            None => {
                ok = false;
                let loc = table.map_or_else(|| at.loc(), |t| t.field_loc(key));
                ctx.sink
                    .error(
                        codes::INVALID_VALUE,
                        &loc,
                        format!("consequence `{key}` is {v}; it must be 0-{levels}"),
                    )
                    .hint("the range is set by `consequence_levels` in the `[risk]` table of levee.toml");
                0
            }
        }
    };
    let out = Consequences {
        safety: rate("safety", c.safety),
        environment: rate("environment", c.environment),
        production: rate("production", c.production),
        financial: rate("financial", c.financial),
        reputation: rate("reputation", c.reputation),
    };
    ok.then_some(out)
}
