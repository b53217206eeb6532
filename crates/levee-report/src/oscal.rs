//! NIST OSCAL 1.1 documents.
//!
//! [`catalog`] writes the IEC 62443 catalog as an OSCAL catalog: one group per part, nested groups
//! per FR (3-3, 4-2), practice (4-1), ZCR (3-2) or program element (2-1); one control per
//! requirement; requirement enhancements as controls nested in their base control; SL flags, FR,
//! component type and verification status as properties in the Levee namespace. No control carries
//! normative text: titles are our own short titles.
//!
//! The document is deterministic: UUIDs are name-based (v5) over the catalog release and the control
//! id, and `last-modified` is the catalog's release date.

use levee_catalog::{Catalog, Kind, Requirement};
use levee_core::{Fr, Part};
use serde::Serialize;
use uuid::Uuid;

/// The OSCAL version the documents conform to.
pub const OSCAL_VERSION: &str = "1.1.2";
/// The namespace of Levee's own property names.
pub const NS: &str = "urn:levee:oscal:iec62443";

/// The root of an OSCAL catalog document.
#[derive(Debug, Serialize)]
pub struct CatalogDocument {
    /// The catalog.
    pub catalog: OscalCatalog,
}

/// An OSCAL catalog.
#[derive(Debug, Serialize)]
pub struct OscalCatalog {
    /// Name-based UUID of this catalog release.
    pub uuid: String,
    /// Document metadata.
    pub metadata: Metadata,
    /// One group per part.
    pub groups: Vec<Group>,
    /// Provenance of the data, one resource per part.
    #[serde(rename = "back-matter")]
    pub back_matter: BackMatter,
}

/// OSCAL metadata.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Metadata {
    /// Document title.
    pub title: String,
    /// ISO 8601 date-time with time zone.
    #[serde(rename = "last-modified")]
    pub last_modified: String,
    /// The catalog release.
    pub version: String,
    /// The OSCAL version.
    #[serde(rename = "oscal-version")]
    pub oscal_version: String,
    /// Remarks on scope and licensing.
    pub remarks: String,
}

/// An OSCAL group.
#[derive(Debug, Serialize)]
pub struct Group {
    /// Token id.
    pub id: String,
    /// Kind of group.
    pub class: String,
    /// Title.
    pub title: String,
    /// Properties.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    /// Nested groups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// Controls.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
}

/// An OSCAL control (a requirement) or control enhancement (a nested control).
#[derive(Debug, Serialize)]
pub struct Control {
    /// Token id.
    pub id: String,
    /// The requirement kind.
    pub class: String,
    /// Our short title.
    pub title: String,
    /// Label, SL flags and other facts.
    pub props: Vec<Prop>,
    /// Links to the base and 3-3 counterpart.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Enhancements.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
}

/// An OSCAL property.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Prop {
    /// Name.
    pub name: String,
    /// Namespace, absent for OSCAL's own names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Value (never empty).
    pub value: String,
}

/// An OSCAL link.
#[derive(Debug, Serialize)]
pub struct Link {
    /// `#control-id`.
    pub href: String,
    /// Relation.
    pub rel: String,
}

/// OSCAL back matter.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct BackMatter {
    /// Resources.
    pub resources: Vec<Resource>,
}

/// An OSCAL resource.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Resource {
    /// Name-based UUID.
    pub uuid: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
}

pub(crate) fn prop(name: &str, value: impl Into<String>) -> Prop {
    Prop {
        name: name.to_owned(),
        ns: None,
        value: value.into(),
    }
}

pub(crate) fn levee_prop(name: &str, value: impl Into<String>) -> Prop {
    Prop {
        name: name.to_owned(),
        ns: Some(NS.to_owned()),
        value: value.into(),
    }
}

/// A name-based (v5) UUID for `name` within `scope` (a catalog release, a project).
pub fn name_uuid(release: &str, name: &str) -> String {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("{NS}:{release}:{name}").as_bytes()).to_string()
}

/// An OSCAL token for a requirement id: `SR 1.1 RE 2` → `sr-1.1-re-2`; ids that start with a digit
/// (2-1:2010 clauses) get an `ed1-` prefix.
pub fn control_id(r: &Requirement) -> String {
    control_id_of(r.id.as_str())
}

/// [`control_id`] of a requirement id given as text (as in report.json's rows).
pub fn control_id_of(id: &str) -> String {
    let base: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if base.starts_with(|c: char| c.is_ascii_digit()) {
        format!("ed1-{base}")
    } else {
        base
    }
}

fn control(catalog: &Catalog, r: &Requirement) -> Control {
    let mut props = vec![prop("label", r.id.as_str()), levee_prop("part", r.part.as_str())];
    props.push(levee_prop("edition", r.edition.as_str()));
    if let Some(fr) = r.fr {
        props.push(levee_prop("fr", fr.number().to_string()));
    }
    if let Some(flags) = r.sl {
        for (i, b) in flags.0.iter().enumerate() {
            props.push(levee_prop(
                &format!("sl{}", i + 1),
                if *b { "required" } else { "not-required" },
            ));
        }
        if let Some(min) = flags.min_level() {
            props.push(levee_prop("min-sl", min.get().to_string()));
        }
    }
    if let Some(a) = r.applicability {
        props.push(levee_prop("component-type", a.as_str()));
    }
    if let Some(v) = &r.verification {
        props.push(levee_prop("sl-verification", v.status.as_str()));
    }
    let mut links = Vec::new();
    if let Some(c) = r.counterpart.as_ref().and_then(|c| catalog.find(c.as_str())) {
        links.push(Link {
            href: format!("#{}", control_id(c)),
            rel: "related".into(),
        });
    }
    let controls = catalog.enhancements(&r.id).map(|e| control(catalog, e)).collect();
    Control {
        id: control_id(r),
        class: r.kind.as_str().to_owned(),
        title: r.title.clone(),
        props,
        links,
        controls,
    }
}

fn group(id: String, class: &str, title: String, groups: Vec<Group>, controls: Vec<Control>) -> Group {
    Group {
        id,
        class: class.to_owned(),
        title,
        props: Vec::new(),
        groups,
        controls,
    }
}

/// The rows of `part` whose group is `parent` (or that have none), excluding enhancements.
fn children<'a>(catalog: &'a Catalog, part: Part, parent: Option<&str>) -> Vec<&'a Requirement> {
    catalog
        .rows()
        .iter()
        .filter(|r| r.part == part && r.base.is_none() && r.group.as_ref().map(|g| g.as_str()) == parent)
        .collect()
}

/// Groups for a hierarchical part (3-2, 2-1): rows with members become groups, leaves become controls.
fn hierarchy(catalog: &Catalog, part: Part, parent: Option<&str>, slug: &str) -> (Vec<Group>, Vec<Control>) {
    let mut groups = Vec::new();
    let mut controls = Vec::new();
    for r in children(catalog, part, parent) {
        let is_group = matches!(
            r.kind,
            Kind::Zcr | Kind::SecurityProgramElement | Kind::Element | Kind::Category | Kind::ElementGroup
        ) && catalog.members(&r.id).next().is_some();
        if is_group {
            let (g, c) = hierarchy(catalog, part, Some(r.id.as_str()), slug);
            let mut grp = group(
                format!("{slug}-{}", control_id(r)),
                r.kind.as_str(),
                r.title.clone(),
                g,
                c,
            );
            grp.props = vec![
                prop("label", r.id.as_str()),
                levee_prop("edition", r.edition.as_str()),
            ];
            groups.push(grp);
        } else {
            controls.push(control(catalog, r));
        }
    }
    (groups, controls)
}

fn part_group(catalog: &Catalog, part: Part) -> Group {
    let info = catalog.part(part);
    let editions = info.map(|i| i.editions.join("/")).unwrap_or_default();
    let title = format!(
        "IEC 62443-{part}:{editions} {}",
        info.map(|i| i.title.as_str()).unwrap_or("")
    );
    let slug = format!("iec62443-{part}");
    let (groups, controls) = match part {
        Part::P3_3 | Part::P4_2 => {
            // 4-2's common constraints (no FR) come first, in a group of their own.
            let constraints: Vec<Control> = children(catalog, part, None)
                .into_iter()
                .filter(|r| r.kind == Kind::CommonConstraint)
                .map(|r| control(catalog, r))
                .collect();
            let constraints = (!constraints.is_empty()).then(|| {
                let mut g = group(
                    format!("{slug}-ccsc"),
                    "common-constraints",
                    "Common component security constraints".to_owned(),
                    Vec::new(),
                    constraints,
                );
                g.props = vec![prop("label", "CCSC")];
                g
            });
            let groups = constraints
                .into_iter()
                .chain(Fr::ALL.into_iter().map(|fr| {
                    let controls = children(catalog, part, None)
                        .into_iter()
                        .filter(|r| r.fr == Some(fr))
                        .map(|r| control(catalog, r))
                        .collect();
                    let mut g = group(
                        format!("{slug}-fr-{}", fr.number()),
                        "foundational-requirement",
                        format!("{fr} {}", fr.name()),
                        Vec::new(),
                        controls,
                    );
                    g.props = vec![
                        prop("label", fr.to_string()),
                        levee_prop("fr", fr.number().to_string()),
                    ];
                    g
                }))
                .collect();
            (groups, Vec::new())
        }
        Part::P4_1 => {
            let groups = catalog
                .practices()
                .iter()
                .map(|p| {
                    let controls = children(catalog, part, Some(&p.code))
                        .into_iter()
                        .map(|r| control(catalog, r))
                        .collect();
                    let mut g = group(
                        format!("{slug}-{}", p.code.to_ascii_lowercase()),
                        "practice",
                        p.title.clone(),
                        Vec::new(),
                        controls,
                    );
                    g.props = vec![prop("label", p.code.as_str())];
                    g
                })
                .collect();
            (groups, Vec::new())
        }
        Part::P3_2 | Part::P2_1 => hierarchy(catalog, part, None, &slug),
    };
    let mut g = group(slug, "part", title, groups, controls);
    g.props = vec![levee_prop("part", part.as_str())];
    g
}

/// The OSCAL catalog of the given parts (all parts when `parts` is empty).
pub fn catalog(catalog: &Catalog, parts: &[Part]) -> CatalogDocument {
    let selected: Vec<Part> = catalog
        .parts()
        .iter()
        .map(|p| p.part)
        .filter(|p| parts.is_empty() || parts.contains(p))
        .collect();
    let release = catalog.release();
    let scope: Vec<&str> = selected.iter().map(|p| p.as_str()).collect();
    CatalogDocument {
        catalog: OscalCatalog {
            uuid: name_uuid(release, &format!("catalog:{}", scope.join(","))),
            metadata: Metadata {
                title: format!(
                    "IEC 62443 requirements ({}): identifiers, short titles and SL flags",
                    scope.join(", ")
                ),
                last_modified: format!("{}T00:00:00Z", catalog.released()),
                version: release.to_owned(),
                oscal_version: OSCAL_VERSION.to_owned(),
                remarks:
                    "Identifiers, our own short titles and security-level flags only. The normative text of \
                          IEC 62443 is copyrighted and not included; obtain it from IEC or ISA."
                        .to_owned(),
            },
            groups: selected.iter().map(|p| part_group(catalog, *p)).collect(),
            back_matter: BackMatter {
                resources: selected
                    .iter()
                    .filter_map(|p| catalog.part(*p))
                    .map(|info| Resource {
                        uuid: name_uuid(release, &format!("source:{}", info.part)),
                        title: format!("Provenance of IEC 62443-{} identifiers", info.part),
                        description: format!(
                            "{} (identifier status: {})",
                            info.source,
                            info.id_status.as_str()
                        ),
                    })
                    .collect(),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_token(s: &str) -> bool {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
    }

    fn walk_controls<'a>(controls: &'a [Control], out: &mut Vec<&'a Control>) {
        for c in controls {
            out.push(c);
            walk_controls(&c.controls, out);
        }
    }

    fn walk_groups<'a>(groups: &'a [Group], gs: &mut Vec<&'a Group>, cs: &mut Vec<&'a Control>) {
        for g in groups {
            gs.push(g);
            walk_controls(&g.controls, cs);
            walk_groups(&g.groups, gs, cs);
        }
    }

    #[test]
    fn every_row_is_one_control_with_token_id() {
        let cat = Catalog::bundled().expect("bundled");
        let doc = catalog(&cat, &[]);
        let (mut gs, mut cs) = (Vec::new(), Vec::new());
        walk_groups(&doc.catalog.groups, &mut gs, &mut cs);
        let grouped_rows = gs
            .iter()
            .filter(|g| g.props.iter().any(|p| p.name == "label"))
            .count();
        // Every row is either a control, or (3-2 ZCRs, 2-1 elements) a group; FR and practice
        // groups add 7+7+8, the 4-2 common constraints' group one more.
        assert_eq!(cs.len() + grouped_rows - 7 - 7 - 8 - 1, cat.rows().len());
        assert!(
            gs.iter()
                .any(|g| g.id == "iec62443-4-2-ccsc" && g.controls.len() == 4)
        );
        let mut ids: Vec<&str> = cs
            .iter()
            .map(|c| c.id.as_str())
            .chain(gs.iter().map(|g| g.id.as_str()))
            .collect();
        assert!(ids.iter().all(|i| is_token(i)), "non-token ids");
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "ids are unique");
        assert!(cs.iter().all(|c| c.props.iter().all(|p| !p.value.is_empty())));
    }

    #[test]
    fn enhancements_nest_in_their_base() {
        let cat = Catalog::bundled().expect("bundled");
        let doc = catalog(&cat, &[Part::P3_3]);
        let fr1 = &doc.catalog.groups[0].groups[0];
        assert_eq!(fr1.id, "iec62443-3-3-fr-1");
        let sr11 = &fr1.controls[0];
        assert_eq!(sr11.id, "sr-1.1");
        let re: Vec<&str> = sr11.controls.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(re, vec!["sr-1.1-re-1", "sr-1.1-re-2", "sr-1.1-re-3"]);
        let re2 = &sr11.controls[1];
        let sl3 = re2.props.iter().find(|p| p.name == "sl3").expect("sl3 prop");
        assert_eq!(sl3.value, "required");
        assert_eq!(sl3.ns.as_deref(), Some(NS));
    }

    #[test]
    fn uuids_are_deterministic_v5() {
        let cat = Catalog::bundled().expect("bundled");
        let a = catalog(&cat, &[]).catalog.uuid;
        let b = catalog(&cat, &[]).catalog.uuid;
        assert_eq!(a, b);
        let parsed = Uuid::parse_str(&a).expect("uuid");
        assert_eq!(parsed.get_version_num(), 5);
    }
}
