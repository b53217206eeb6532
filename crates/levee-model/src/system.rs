//! `levee.toml`, `zones.toml`, `conduits.toml`, `assets.toml` and `components.toml`: the project and
//! the system under consideration.

use std::collections::BTreeMap;

use levee_core::{
    AllowedProtocol, Asset, AssetId, Component, ComponentId, ComponentType, Conduit, ConduitId, Criticality,
    Direction, ProjectKind, ReviewPolicy, RiskMatrix, SecurityLevel, Zone, ZoneId,
};

use crate::check::{Ctx, FileRef};
use crate::diag::{Loc, codes};
use crate::raw::{
    RawAsset, RawComponent, RawComponentType, RawConduit, RawCriticality, RawDirection, RawFirmware,
    RawFirmwareImage, RawKind, RawProjectMeta, RawReview, RawRiskMatrix, RawZone,
};
use crate::source::{At, Doc, Entry};
use crate::values::{is_date, is_ip, is_mac, path_problem};

/// What `levee.toml` says about the project.
pub(crate) struct Meta {
    pub(crate) name: String,
    pub(crate) kind: ProjectKind,
    pub(crate) owner: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) document: levee_core::DocumentControl,
    pub(crate) review: ReviewPolicy,
    pub(crate) captures: Vec<String>,
    pub(crate) crs: levee_core::ProjectCrs,
}

/// `levee.toml`. Sets the project kind and risk matrix in `ctx` for the files that follow.
pub(crate) fn manifest(ctx: &mut Ctx<'_>, doc: Option<&Doc<'_>>, unreadable: bool) -> Option<Meta> {
    let Some(doc) = doc else {
        if !unreadable {
            ctx.sink
                .error(
                    codes::MISSING_PROJECT_FILE,
                    &Loc::file("levee.toml"),
                    "no levee.toml: this is not a Levee project directory",
                )
                .hint(
                    "run `levee init` to create a project, or point at the directory that holds levee.toml",
                );
        }
        return None;
    };
    // The sections are read one by one, so that a broken `[project]` does not hide the others.
    ctx.check_root_keys(
        doc,
        &["project", "review", "risk", "evidence", "threat_source", "crs"],
    );
    let at = doc.at();
    let project = match at.field("project") {
        Some(p) => doc.deserialize::<RawProjectMeta>(p.node(), &mut ctx.sink),
        None => {
            ctx.sink
                .error(codes::MISSING_FIELD, &at.loc(), "missing table `[project]`")
                .hint("start levee.toml with `[project]`, `name = \"…\"` and `kind = \"asset-owner\"` or `\"product\"`");
            None
        }
    };
    let kind = project.as_ref().map(|p| match p.kind {
        RawKind::AssetOwner => ProjectKind::AssetOwner,
        RawKind::Product => ProjectKind::Product,
    });
    ctx.kind = kind;
    let mut review = ReviewPolicy::default();
    if let Some(r_at) = at.field("review")
        && let Some(r) = doc.deserialize::<RawReview>(r_at.node(), &mut ctx.sink)
    {
        if let Some(months) = r.interval_months {
            if months == 0 {
                ctx.sink.error(
                    codes::INVALID_VALUE,
                    &r_at.field_loc("interval_months"),
                    "`interval_months` must be at least 1",
                );
            }
            review.interval_months = months;
        }
        if let Some(date) = &r.last_review {
            if !is_date(date) {
                ctx.sink
                    .error(
                        codes::INVALID_VALUE,
                        &r_at.field_loc("last_review"),
                        format!("invalid date `{date}` in `last_review`"),
                    )
                    .hint("write a calendar date as `YYYY-MM-DD`, e.g. `\"2026-03-01\"`");
            }
            review.last_review = Some(date.clone());
        }
    }
    if let Some(m_at) = at.field("risk")
        && let Some(m) = doc.deserialize::<RawRiskMatrix>(m_at.node(), &mut ctx.sink)
    {
        ctx.matrix = matrix(ctx, &m, &m_at);
        if let Some(rows) = &m.sl_t_matrix {
            ctx.sl_method = sl_t_matrix(ctx, rows, &m_at);
        }
    }
    threat_sources(ctx, doc);
    let mut captures = Vec::new();
    if let Some(e_at) = at.field("evidence")
        && let Some(e) = doc.deserialize::<crate::raw::RawProjectEvidence>(e_at.node(), &mut ctx.sink)
    {
        let loc = e_at.field_loc("captures");
        for path in e.captures {
            match path_problem(&path) {
                Some(problem) => {
                    ctx.sink
                        .error(
                            codes::EVIDENCE_OUTSIDE_PROJECT,
                            &loc,
                            format!("capture path `{path}` {problem}"),
                        )
                        .hint("give a path inside the project directory, e.g. `\"captures/plant.pcapng\"`");
                }
                None => {
                    ctx.file_refs.push(FileRef {
                        path: path.clone(),
                        sha256: None,
                        loc: loc.clone(),
                        sha_loc: None,
                        what: "capture",
                    });
                    captures.push(path);
                }
            }
        }
    }
    let mut crs = levee_core::ProjectCrs::default();
    if let Some(c_at) = at.field("crs")
        && let Some(c) = doc.deserialize::<crate::raw::RawProjectCrs>(c_at.node(), &mut ctx.sink)
    {
        crs = levee_core::ProjectCrs {
            notes: crs_notes(ctx, &c_at, c.assumptions, c.policies, c.regulations, c.drawings),
            tolerable_risk: c.tolerable_risk,
        };
    }
    let (project, kind) = (project?, kind?);
    Some(Meta {
        name: project.name,
        kind,
        owner: project.owner,
        description: project.description,
        document: levee_core::DocumentControl {
            assessor: text(project.assessor),
            organisation: text(project.organisation),
            version: text(project.version),
            scope: text(project.scope),
            limitations: text(project.limitations),
        },
        review,
        captures,
        crs,
    })
}

/// A free-text field: trimmed, and an empty one as absent.
fn text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The CRS statements of the project, a zone or a conduit; drawings are checked like evidence files
/// (inside the project, and on disk by `load_dir`).
pub(crate) fn crs_notes(
    ctx: &mut Ctx<'_>,
    at: &At<'_, '_>,
    assumptions: Vec<String>,
    policies: Vec<String>,
    regulations: Vec<String>,
    drawings: Vec<String>,
) -> levee_core::CrsNotes {
    let mut kept = Vec::new();
    for (i, path) in drawings.into_iter().enumerate() {
        let loc = at.item_loc("drawings", i);
        match path_problem(&path) {
            Some(problem) => {
                ctx.sink
                    .error(
                        codes::EVIDENCE_OUTSIDE_PROJECT,
                        &loc,
                        format!("drawing path `{path}` {problem}"),
                    )
                    .hint("give a path inside the project directory, e.g. `\"drawings/zones.pdf\"`");
            }
            None => {
                ctx.file_refs.push(FileRef {
                    path: path.clone(),
                    sha256: None,
                    loc,
                    sha_loc: None,
                    what: "drawing",
                });
                kept.push(path);
            }
        }
    }
    let clean = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    };
    levee_core::CrsNotes {
        assumptions: clean(assumptions),
        policies: clean(policies),
        regulations: clean(regulations),
        drawings: kept,
    }
}

fn matrix(ctx: &mut Ctx<'_>, m: &RawRiskMatrix, at: &At<'_, '_>) -> RiskMatrix {
    let mut out = RiskMatrix::default();
    for (key, value, slot) in [
        (
            "likelihood_levels",
            m.likelihood_levels,
            &mut out.likelihood_levels,
        ),
        (
            "consequence_levels",
            m.consequence_levels,
            &mut out.consequence_levels,
        ),
    ] {
        if let Some(v) = value {
            if (3..=10).contains(&v) {
                *slot = v;
            } else {
                ctx.sink.error(
                    codes::INVALID_VALUE,
                    &at.field_loc(key),
                    format!("`{key}` is {v}; it must be 3-10"),
                );
            }
        }
    }
    if let Some(t) = m.tolerable {
        let max = u16::from(out.likelihood_levels) * u16::from(out.consequence_levels);
        if t == 0 || u16::from(t) > max {
            ctx.sink.error(
                codes::INVALID_VALUE,
                &at.field_loc("tolerable"),
                format!("`tolerable` is {t}; it must be 1-{max} (likelihood levels x consequence levels)"),
            );
        } else {
            out.tolerable = t;
        }
    }
    out
}

/// The organisation's SL-T matrix: `consequence_levels` rows of four levels 1-4.
fn sl_t_matrix(ctx: &mut Ctx<'_>, rows: &[Vec<i64>], at: &At<'_, '_>) -> levee_core::SlMethod {
    let loc = at.field_loc("sl_t_matrix");
    let want = usize::from(ctx.matrix.consequence_levels);
    if rows.len() != want {
        ctx.sink
            .error(
                codes::INVALID_VALUE,
                &loc,
                format!("`sl_t_matrix` has {} rows; it needs one per consequence level ({want})", rows.len()),
            )
            .hint("row c lists the SL-T for capability SL1, SL2, SL3, SL4 at consequence c, e.g. `[1, 1, 1, 1]`");
        return levee_core::SlMethod::default();
    }
    let mut out = Vec::with_capacity(want);
    for (i, row) in rows.iter().enumerate() {
        let levels: Vec<SecurityLevel> = row
            .iter()
            .filter_map(|v| u8::try_from(*v).ok().and_then(SecurityLevel::new))
            .filter(|l| l.get() >= 1)
            .collect();
        match <[SecurityLevel; 4]>::try_from(levels) {
            Ok(r) if row.len() == 4 => out.push(r),
            _ => {
                ctx.sink.error(
                    codes::INVALID_VALUE,
                    &at.item_loc("sl_t_matrix", i),
                    format!(
                        "row {} of `sl_t_matrix` must hold four levels 1-4 (capability SL1-SL4)",
                        i + 1
                    ),
                );
                return levee_core::SlMethod::default();
            }
        }
    }
    levee_core::SlMethod::Matrix(out)
}

/// The `[[threat_source]]` entries of levee.toml.
fn threat_sources(ctx: &mut Ctx<'_>, doc: &Doc<'_>) {
    let parsed = doc.entries::<crate::raw::RawThreatSource>("threat_source", &mut ctx.sink);
    let mut seen: Vec<String> = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let key = levee_core::threat_source_key(&raw.id);
        if key.is_empty() {
            ctx.sink.error(
                codes::INVALID_VALUE,
                &at.field_loc("id"),
                "threat source id is empty",
            );
            continue;
        }
        if seen.contains(&key) {
            ctx.sink.error(
                codes::DUPLICATE_ID,
                &at.field_loc("id"),
                format!("duplicate threat source `{}`", raw.id),
            );
            continue;
        }
        let Some(capability) = u8::try_from(raw.capability)
            .ok()
            .and_then(SecurityLevel::new)
            .filter(|l| l.get() >= 1)
        else {
            ctx.sink
                .error(
                    codes::INVALID_VALUE,
                    &at.field_loc("capability"),
                    format!("`capability` is {}; it must be 1-4", raw.capability),
                )
                .hint("1 casual, 2 simple means and generic skills, 3 IACS-specific skills, 4 extended resources");
            continue;
        };
        let levels = ctx.matrix.likelihood_levels;
        let likelihood = match raw.likelihood {
            None => None,
            Some(l) => match u8::try_from(l).ok().filter(|l| (1..=levels).contains(l)) {
                Some(l) => Some(l),
                None => {
                    ctx.sink
                        .error(
                            codes::INVALID_VALUE,
                            &at.field_loc("likelihood"),
                            format!("`likelihood` is {l}; it must be 1-{levels} (the likelihood levels)"),
                        )
                        .hint("the worst credible likelihood of the source acting; leave it out to assume the highest level");
                    continue;
                }
            },
        };
        seen.push(key);
        ctx.threat_sources.push(levee_core::ThreatSource {
            id: raw.id,
            capability,
            description: raw.description.unwrap_or_default(),
            likelihood,
        });
    }
}

/// `zones.toml`.
pub(crate) fn zones(ctx: &mut Ctx<'_>, doc: &Doc<'_>) -> Vec<Zone> {
    ctx.check_root_keys(doc, &["zone"]);
    let parsed = doc.entries::<RawZone>("zone", &mut ctx.sink);
    Ctx::note_failed(doc, &parsed, &mut ctx.zones);
    ctx.kind_mismatch(parsed.ok.first().map(|e| &e.at), ProjectKind::Product, "zones");
    let mut out = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let declared = ctx.zones.declare(&raw.id, &at, &mut ctx.sink);
        let sl_t = ctx.sl_target(&at, raw.sl_t.as_ref(), raw.sl_t_justification.as_deref());
        let purdue_level = raw.purdue_level.and_then(|p| {
            if p.is_finite() && (0.0..=5.0).contains(&p) {
                // Purdue levels are small decimals; f32 holds them exactly enough.
                #[allow(clippy::cast_possible_truncation)]
                Some(p as f32)
            } else {
                ctx.sink.error(
                    codes::INVALID_VALUE,
                    &at.field_loc("purdue_level"),
                    format!("`purdue_level` is {p}; it must be 0-5 (3.5 for a DMZ)"),
                );
                None
            }
        });
        let mut networks = Vec::new();
        for text in &raw.networks {
            match text.parse::<levee_core::Cidr>() {
                Ok(n) => networks.push(n),
                Err(e) => {
                    let hint = match &e {
                        levee_core::CidrError::HostBits { network, .. } => format!("write `{network}`"),
                        _ => "write ADDRESS/PREFIX, e.g. `10.20.0.0/24` or `fd00:20::/64`".to_owned(),
                    };
                    ctx.sink
                        .error(codes::INVALID_NETWORK, &at.field_loc("networks"), e.to_string())
                        .hint(hint);
                }
            }
        }
        for (i, a) in networks.iter().enumerate() {
            if let Some(b) = networks[i + 1..].iter().find(|b| a.overlaps(b)) {
                ctx.sink.warning(
                    codes::OVERLAPPING_NETWORKS,
                    &at.field_loc("networks"),
                    format!("zone `{}` lists {a} and {b}, which overlap", raw.id),
                );
            }
        }
        for (other, theirs) in &ctx.zone_networks {
            for a in &networks {
                if let Some(b) = theirs.iter().find(|b| a.overlaps(b)) {
                    ctx.sink
                        .warning(
                            codes::OVERLAPPING_NETWORKS,
                            &at.field_loc("networks"),
                            format!("{a} of zone `{}` overlaps {b} of zone `{other}`", raw.id),
                        )
                        .hint("a host in both is placed in the zone with the longer prefix; make the networks disjoint unless that is meant");
                }
            }
        }
        ctx.zone_networks.push((raw.id.clone(), networks.clone()));
        let crs = crs_notes(
            ctx,
            &at,
            raw.assumptions,
            raw.policies,
            raw.regulations,
            raw.drawings,
        );
        let (Some(sl_t), true) = (sl_t, declared) else {
            continue;
        };
        out.push(Zone {
            id: ZoneId::new(raw.id),
            name: raw.name,
            description: raw.description,
            purdue_level,
            criticality: match raw.criticality {
                RawCriticality::Low => Criticality::Low,
                RawCriticality::Medium => Criticality::Medium,
                RawCriticality::High => Criticality::High,
                RawCriticality::VeryHigh => Criticality::VeryHigh,
            },
            sl_t,
            safety: raw.safety,
            untrusted: raw.untrusted,
            networks,
            in_scope: raw.in_scope.unwrap_or(true),
            crs,
        });
    }
    out
}

/// `conduits.toml`.
pub(crate) fn conduits(ctx: &mut Ctx<'_>, doc: &Doc<'_>) -> Vec<Conduit> {
    ctx.check_root_keys(doc, &["conduit"]);
    let parsed = doc.entries::<RawConduit>("conduit", &mut ctx.sink);
    Ctx::note_failed(doc, &parsed, &mut ctx.conduits);
    ctx.kind_mismatch(parsed.ok.first().map(|e| &e.at), ProjectKind::Product, "conduits");
    let mut out = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let declared = ctx.conduits.declare(&raw.id, &at, &mut ctx.sink);
        let sl_t = ctx.sl_target(&at, raw.sl_t.as_ref(), raw.sl_t_justification.as_deref());
        let mut zones_ok = true;
        for (i, z) in raw.zones.iter().enumerate() {
            zones_ok &= ctx.zones.check(z, &at.item_loc("zones", i), &mut ctx.sink);
        }
        let pair = match raw.zones.as_slice() {
            [a, b] if a == b => {
                ctx.sink
                    .error(
                        codes::CONDUIT_SELF_LOOP,
                        &at.item_loc("zones", 1),
                        format!("conduit `{}` joins zone `{a}` to itself", raw.id),
                    )
                    .hint("a conduit joins two different zones; traffic inside a zone needs no conduit");
                None
            }
            [a, b] => Some([ZoneId::new(a.as_str()), ZoneId::new(b.as_str())]),
            other => {
                ctx.sink
                    .error(
                        codes::CONDUIT_ZONE_COUNT,
                        &at.field_loc("zones"),
                        format!(
                            "conduit `{}` names {} zones; a conduit joins exactly two",
                            raw.id,
                            other.len()
                        ),
                    )
                    .hint("model a link between more zones as one conduit per pair");
                None
            }
        };
        let mut protocols = Vec::new();
        for p in &raw.protocols {
            protocols.push(AllowedProtocol {
                name: p.name.clone(),
                port: p.port,
            });
        }
        let crs = crs_notes(
            ctx,
            &at,
            raw.assumptions,
            raw.policies,
            raw.regulations,
            raw.drawings,
        );
        let (Some(sl_t), Some(zones), true, true) = (sl_t, pair, declared, zones_ok) else {
            continue;
        };
        if raw.untrusted {
            ctx.untrusted_conduits.insert(raw.id.clone());
        }
        out.push(Conduit {
            id: ConduitId::new(raw.id),
            name: raw.name,
            zones,
            protocols,
            direction: match raw.direction {
                RawDirection::Bidirectional => Direction::Bidirectional,
                RawDirection::Forward => Direction::Forward,
                RawDirection::Reverse => Direction::Reverse,
            },
            sl_t,
            untrusted: raw.untrusted,
            crs,
        });
    }
    out
}

/// `assets.toml`.
pub(crate) fn assets(ctx: &mut Ctx<'_>, doc: &Doc<'_>) -> Vec<Asset> {
    ctx.check_root_keys(doc, &["asset"]);
    let parsed = doc.entries::<RawAsset>("asset", &mut ctx.sink);
    Ctx::note_failed(doc, &parsed, &mut ctx.assets);
    let mut zone_of: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let declared = match (zone_of.get(&raw.id), ctx.assets.first(&raw.id)) {
            (Some(zone), Some(first)) if *zone != raw.zone && !raw.id.trim().is_empty() => {
                let first = first.clone();
                ctx.sink
                    .error(
                        codes::ASSET_IN_TWO_ZONES,
                        &at.field_loc("id"),
                        format!(
                            "asset `{}` is declared in zone `{}` here and in zone `{zone}` at {first}",
                            raw.id, raw.zone
                        ),
                    )
                    .hint(
                        "an asset sits in exactly one zone; give the two assets different ids or remove one",
                    );
                false
            }
            _ => ctx.assets.declare(&raw.id, &at, &mut ctx.sink),
        };
        if declared {
            zone_of.insert(raw.id.clone(), raw.zone.clone());
        }
        let zone_ok = ctx.zones.check(&raw.zone, &at.field_loc("zone"), &mut ctx.sink);
        let mut values_ok = true;
        for (i, ip) in raw.ip.iter().enumerate() {
            if !is_ip(ip) {
                values_ok = false;
                ctx.sink
                    .error(
                        codes::INVALID_VALUE,
                        &at.item_loc("ip", i),
                        format!("invalid IP address `{ip}`"),
                    )
                    .hint("write an IPv4 or IPv6 address without a prefix length, e.g. `\"10.0.1.20\"`");
            }
        }
        for (i, mac) in raw.mac.iter().enumerate() {
            if !is_mac(mac) {
                values_ok = false;
                ctx.sink
                    .error(
                        codes::INVALID_VALUE,
                        &at.item_loc("mac", i),
                        format!("invalid MAC address `{mac}`"),
                    )
                    .hint("write six hex pairs separated by colons, e.g. `\"00:1a:2b:3c:4d:5e\"`");
            }
        }
        if let Some(sbom) = &raw.sbom {
            let loc = at.field_loc("sbom");
            match path_problem(sbom) {
                Some(problem) => {
                    values_ok = false;
                    ctx.sink
                        .error(
                            codes::EVIDENCE_OUTSIDE_PROJECT,
                            &loc,
                            format!("SBOM path `{sbom}` {problem}"),
                        )
                        .hint("give a path inside the project directory, e.g. `\"sbom/plc-1.cdx.json\"`");
                }
                None => ctx.file_refs.push(FileRef {
                    path: sbom.clone(),
                    sha256: None,
                    loc,
                    sha_loc: None,
                    what: "SBOM",
                }),
            }
        }
        let (firmware, firmware_image) = match raw.firmware {
            Some(RawFirmware::Version(v)) => (Some(v), None),
            Some(RawFirmware::Image(RawFirmwareImage { image, version })) => {
                let loc = at.field_loc("firmware");
                match path_problem(&image) {
                    Some(problem) => {
                        values_ok = false;
                        ctx.sink
                            .error(
                                codes::EVIDENCE_OUTSIDE_PROJECT,
                                &loc,
                                format!("firmware image path `{image}` {problem}"),
                            )
                            .hint("give a path inside the project directory, e.g. `{ image = \"firmware/plc-1.bin\" }`");
                    }
                    None => ctx.file_refs.push(FileRef {
                        path: image.clone(),
                        sha256: None,
                        loc,
                        sha_loc: None,
                        what: "firmware image",
                    }),
                }
                (version, Some(image))
            }
            None => (None, None),
        };
        if !(declared && zone_ok && values_ok) {
            continue;
        }
        out.push(Asset {
            id: AssetId::new(raw.id),
            name: raw.name,
            zone: ZoneId::new(raw.zone),
            asset_type: raw.asset_type,
            component_type: raw.component_type.map(component_type),
            vendor: raw.vendor,
            model: raw.model,
            firmware,
            firmware_image,
            ip: raw.ip,
            mac: raw.mac.iter().map(|m| m.to_ascii_lowercase()).collect(),
            sbom: raw.sbom,
        });
    }
    out
}

/// `components.toml`.
pub(crate) fn components(ctx: &mut Ctx<'_>, doc: &Doc<'_>) -> Vec<Component> {
    ctx.check_root_keys(doc, &["component"]);
    let parsed = doc.entries::<RawComponent>("component", &mut ctx.sink);
    Ctx::note_failed(doc, &parsed, &mut ctx.components);
    for at in &parsed.failed {
        if let (Some(id), Some(t)) = (at.str_field("id"), at.str_field("component_type"))
            && let Ok(t) = t.parse::<ComponentType>()
        {
            ctx.component_types.insert(id.to_owned(), t);
        }
    }
    ctx.kind_mismatch(
        parsed.ok.first().map(|e| &e.at),
        ProjectKind::AssetOwner,
        "components",
    );
    let mut out = Vec::new();
    for Entry { raw, at } in parsed.ok {
        let declared = ctx.components.declare(&raw.id, &at, &mut ctx.sink);
        let t = component_type(raw.component_type);
        if declared {
            ctx.component_types.insert(raw.id.clone(), t);
        }
        let development_process = raw
            .development_process
            .as_deref()
            .map(str::trim)
            .map(str::to_owned);
        if development_process.as_deref().is_some_and(str::is_empty) {
            ctx.sink.error(
                codes::INVALID_VALUE,
                &at.field_loc("development_process"),
                "`development_process` is empty: write \"4-1\" for the 4-1 assessment in this project's maturity.toml, or name the outside assessment (certificate, report)",
            );
            continue;
        }
        let sl = ctx.sl(&at, "sl_target", &raw.sl_target, None);
        let (Some(Some(sl_target)), true) = (sl, declared) else {
            continue;
        };
        out.push(Component {
            id: ComponentId::new(raw.id),
            name: raw.name,
            component_type: t,
            version: raw.version,
            sl_target,
            development_process,
        });
    }
    out
}

fn component_type(t: RawComponentType) -> ComponentType {
    match t {
        RawComponentType::SoftwareApplication => ComponentType::SoftwareApplication,
        RawComponentType::EmbeddedDevice => ComponentType::EmbeddedDevice,
        RawComponentType::HostDevice => ComponentType::HostDevice,
        RawComponentType::NetworkDevice => ComponentType::NetworkDevice,
    }
}
