//! The store's own record types: what a block of `snapshot.bin` holds, as the store defines it.
//!
//! The readers produce domain types ([`Advisory`], [`KevInfo`], [`EpssInfo`]); the store persists
//! these mirrors of them, converted at the edge ([`encode`] and [`decode`]). A domain type can
//! change without silently changing the store's encoding: every conversion destructures or builds
//! the domain value field by field, so a new field is a compile error here, and the fix is a new
//! record field, a [`crate::STORE_FORMAT`] bump and a new digest in `format_guard`. Field and
//! variant order is the encoding (postcard): never reorder, only bump. The scan's lean mirrors
//! (`lean`) follow the same order field by field and must change with these types, including a
//! type inside a field they skip (a skipped field is still read): `format_guard` decodes a record
//! set with every field filled both ways and compares.
//!
//! A domain enum value the store does not know (the enums are `#[non_exhaustive]`) is refused
//! when encoding, never stored as something else.

use levee_advisory::cvss::{CvssVersion, Severity};
use levee_advisory::{
    Advisory, AffectedProduct, Bound, BranchCategory, BranchStep, ConfigNode, Configuration, CpeMatch,
    CvssScore, FileHashes, GenericUri, Justification, KnownExploited, Operator, Origin, OsvRange, Product,
    ProductStatus, RangeEvent, RangeKind, Reference, Relationship, RelationshipCategory, Remediation,
    RemediationCategory, Source, Threat, VersionBounds, VersionSpec,
};
use levee_vuln::snapshot::{EpssInfo, KevInfo};
use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, StoreError};
use crate::records::Records;

mod decode;
pub(crate) mod lean;
mod lookup;

pub(crate) use decode::epss_kept;
pub(crate) use lean::scan_records;
pub(crate) use lookup::LookupRec;

/// A domain value the store has no record for.
fn unknown(what: &str) -> StoreError {
    StoreError::new(
        ErrorKind::Io,
        format!(
            "this build of the store cannot encode a {what} it does not know (a newer reader produced it)"
        ),
    )
}

/// A fieldless enum mirrored variant by variant, in the domain's order.
macro_rules! mirror {
    ($(#[$doc:meta])* $rec:ident = $dom:ident { $($v:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub(crate) enum $rec {
            $(
                #[doc = concat!("`", stringify!($dom), "::", stringify!($v), "`.")]
                $v,
            )*
        }

        impl $rec {
            fn of(d: $dom) -> Result<Self, StoreError> {
                #[allow(unreachable_patterns)]
                match d {
                    $($dom::$v => Ok(Self::$v),)*
                    _ => Err(unknown(stringify!($dom))),
                }
            }

            fn into_domain(self) -> $dom {
                match self {
                    $(Self::$v => $dom::$v,)*
                }
            }
        }
    };
}

mirror!(
    /// [`Source`].
    SourceRec = Source { Csaf, Osv, Nvd, Kev, RustSec }
);
mirror!(
    /// [`Justification`].
    JustificationRec = Justification {
        ComponentNotPresent,
        VulnerableCodeNotPresent,
        VulnerableCodeCannotBeControlledByAdversary,
        VulnerableCodeNotInExecutePath,
        InlineMitigationsAlreadyExist,
    }
);
mirror!(
    /// [`RemediationCategory`].
    RemediationCategoryRec = RemediationCategory {
        VendorFix, Mitigation, Workaround, NoneAvailable, NoFixPlanned, FixPlanned, OptionalPatch,
    }
);
mirror!(
    /// [`CvssVersion`].
    CvssVersionRec = CvssVersion { V2, V3_0, V3_1, V4_0 }
);
mirror!(
    /// [`Severity`].
    SeverityRec = Severity { None, Low, Medium, High, Critical }
);
mirror!(
    /// [`Operator`].
    OperatorRec = Operator { And, Or }
);
mirror!(
    /// [`BranchCategory`].
    BranchCategoryRec = BranchCategory {
        Architecture, HostName, Language, Legacy, PatchLevel, Platform, ProductFamily, ProductName,
        ProductVersion, ProductVersionRange, ServicePack, Specification, Vendor,
    }
);
mirror!(
    /// [`RangeKind`].
    RangeKindRec = RangeKind { Semver, Ecosystem, Git }
);
mirror!(
    /// [`ProductStatus`].
    ProductStatusRec = ProductStatus {
        KnownAffected, FirstAffected, LastAffected, Fixed, FirstFixed, KnownNotAffected,
        UnderInvestigation, Recommended,
    }
);
mirror!(
    /// [`RelationshipCategory`].
    RelationshipCategoryRec = RelationshipCategory {
        DefaultComponentOf, OptionalComponentOf, ExternalComponentOf, InstalledOn, InstalledWith,
    }
);

/// One block: the records of one source file (mirrors [`Records`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum RecordsRec {
    /// Advisories.
    Advisories(Vec<AdvisoryRec>),
    /// A KEV catalog.
    Kev {
        /// `catalogVersion`.
        version: String,
        /// Entries by CVE id.
        entries: Vec<(String, KevRec)>,
        /// One advisory per entry.
        advisories: Vec<AdvisoryRec>,
    },
    /// An EPSS table.
    Epss {
        /// The score date.
        date: Option<String>,
        /// Scores by CVE id.
        rows: Vec<(String, EpssRec)>,
    },
}

/// [`KevInfo`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct KevRec(String, String, bool, String, String);

/// [`EpssInfo`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct EpssRec(f64, f64);

/// [`Advisory`], field by field in its order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AdvisoryRec {
    id: String,
    source: SourceRec,
    document_id: Option<String>,
    title: Option<String>,
    description: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    withdrawn: Option<String>,
    cves: Vec<String>,
    aliases: Vec<String>,
    related: Vec<String>,
    affected: Vec<AffectedRec>,
    remediations: Vec<RemediationRec>,
    configurations: Vec<ConfigurationRec>,
    cvss: Vec<CvssRec>,
    severity_text: Option<String>,
    cwe: Vec<String>,
    threats: Vec<ThreatRec>,
    known_exploited: Option<KnownExploitedRec>,
    references: Vec<ReferenceRec>,
    origin: OriginRec,
}

/// [`AffectedProduct`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct AffectedRec {
    product: ProductRec,
    status: ProductStatusRec,
    relationships: Vec<RelationshipRec>,
    remediations: Vec<usize>,
    justification: Option<JustificationRec>,
    impact: Option<String>,
    configuration: Option<usize>,
    origin: String,
}

/// [`Remediation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RemediationRec(
    RemediationCategoryRec,
    String,
    Option<String>,
    Option<String>,
    Vec<String>,
);

/// [`CvssScore`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CvssRec {
    version: CvssVersionRec,
    vector: String,
    base_score: Option<f64>,
    severity: Option<SeverityRec>,
    stated_score: Option<f64>,
    stated_severity: Option<String>,
    scorer: Option<String>,
    product_ids: Vec<String>,
}

/// [`Threat`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ThreatRec(String, String, Option<String>, Vec<String>);

/// [`KnownExploited`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct KnownExploitedRec(String, Option<String>, Option<String>, Option<String>);

/// [`Reference`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ReferenceRec(String, Option<String>, Option<String>);

/// [`Origin`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OriginRec(Option<String>, String);

/// [`Configuration`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ConfigurationRec(OperatorRec, bool, Vec<ConfigNodeRec>);

/// [`ConfigNode`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ConfigNodeRec(OperatorRec, bool, Vec<CpeMatchRec>);

/// [`CpeMatch`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CpeMatchRec(bool, String, VersionSpecRec, Option<String>);

/// [`Product`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ProductRec {
    product_id: Option<String>,
    vendor: Option<String>,
    family: Option<String>,
    name: Option<String>,
    full_name: Option<String>,
    ecosystem: Option<String>,
    versions: Vec<VersionSpecRec>,
    purl: Option<String>,
    cpe: Option<String>,
    model_numbers: Vec<String>,
    skus: Vec<String>,
    serial_numbers: Vec<String>,
    hashes: Vec<(String, Vec<(String, String)>)>,
    sbom_urls: Vec<String>,
    generic_uris: Vec<(String, String)>,
    branches: Vec<(BranchCategoryRec, String)>,
}

/// [`VersionSpec`], variant by variant in its order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum VersionSpecRec {
    Exact(String),
    Vers(String),
    FreeText(String),
    Osv(OsvRangeRec),
    Versions(Vec<String>),
    Bounds(Option<(String, bool)>, Option<(String, bool)>),
    NotIn(Vec<String>, Vec<String>),
    All,
}

/// [`OsvRange`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OsvRangeRec(RangeKindRec, Option<String>, Vec<RangeEventRec>);

/// [`RangeEvent`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum RangeEventRec {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

/// [`Relationship`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RelationshipRec(RelationshipCategoryRec, Box<ProductRec>);

fn all<T, R>(items: &[T], f: impl Fn(&T) -> Result<R, StoreError>) -> Result<Vec<R>, StoreError> {
    items.iter().map(f).collect()
}

fn advisory(a: &Advisory) -> Result<AdvisoryRec, StoreError> {
    let Advisory {
        id,
        source,
        document_id,
        title,
        description,
        published,
        modified,
        withdrawn,
        cves,
        aliases,
        related,
        affected,
        remediations,
        configurations,
        cvss,
        severity_text,
        cwe,
        threats,
        known_exploited,
        references,
        origin,
    } = a;
    Ok(AdvisoryRec {
        id: id.clone(),
        source: SourceRec::of(*source)?,
        document_id: document_id.clone(),
        title: title.clone(),
        description: description.clone(),
        published: published.clone(),
        modified: modified.clone(),
        withdrawn: withdrawn.clone(),
        cves: cves.clone(),
        aliases: aliases.clone(),
        related: related.clone(),
        affected: all(affected, affected_product)?,
        remediations: all(remediations, |r| {
            let Remediation {
                category,
                details,
                url,
                date,
                product_ids,
            } = r;
            Ok(RemediationRec(
                RemediationCategoryRec::of(*category)?,
                details.clone(),
                url.clone(),
                date.clone(),
                product_ids.clone(),
            ))
        })?,
        configurations: all(configurations, configuration)?,
        cvss: all(cvss, cvss_score)?,
        severity_text: severity_text.clone(),
        cwe: cwe.clone(),
        threats: threats
            .iter()
            .map(|t| {
                let Threat {
                    category,
                    details,
                    date,
                    product_ids,
                } = t;
                ThreatRec(
                    category.clone(),
                    details.clone(),
                    date.clone(),
                    product_ids.clone(),
                )
            })
            .collect(),
        known_exploited: known_exploited.as_ref().map(|k| {
            let KnownExploited {
                date_added,
                due_date,
                ransomware,
                required_action,
            } = k;
            KnownExploitedRec(
                date_added.clone(),
                due_date.clone(),
                ransomware.clone(),
                required_action.clone(),
            )
        }),
        references: references
            .iter()
            .map(|r| {
                let Reference { url, kind, summary } = r;
                ReferenceRec(url.clone(), kind.clone(), summary.clone())
            })
            .collect(),
        origin: {
            let Origin { file, pointer } = origin;
            OriginRec(file.clone(), pointer.clone())
        },
    })
}

fn affected_product(ap: &AffectedProduct) -> Result<AffectedRec, StoreError> {
    let AffectedProduct {
        product: p,
        status,
        relationships,
        remediations,
        justification,
        impact,
        configuration,
        origin,
    } = ap;
    Ok(AffectedRec {
        product: product(p)?,
        status: ProductStatusRec::of(*status)?,
        relationships: all(relationships, |r| {
            let Relationship { category, platform } = r;
            Ok(RelationshipRec(
                RelationshipCategoryRec::of(*category)?,
                Box::new(product(platform)?),
            ))
        })?,
        remediations: remediations.clone(),
        justification: justification.map(JustificationRec::of).transpose()?,
        impact: impact.clone(),
        configuration: *configuration,
        origin: origin.clone(),
    })
}

fn configuration(c: &Configuration) -> Result<ConfigurationRec, StoreError> {
    let Configuration {
        operator,
        negate,
        nodes,
    } = c;
    let nodes = all(nodes, |n| {
        let ConfigNode {
            operator,
            negate,
            matches,
        } = n;
        let matches = all(matches, |m| {
            let CpeMatch {
                vulnerable,
                criteria,
                versions,
                match_criteria_id,
            } = m;
            Ok(CpeMatchRec(
                *vulnerable,
                criteria.clone(),
                version_spec(versions)?,
                match_criteria_id.clone(),
            ))
        })?;
        Ok(ConfigNodeRec(OperatorRec::of(*operator)?, *negate, matches))
    })?;
    Ok(ConfigurationRec(OperatorRec::of(*operator)?, *negate, nodes))
}

fn cvss_score(s: &CvssScore) -> Result<CvssRec, StoreError> {
    let CvssScore {
        version,
        vector,
        base_score,
        severity,
        stated_score,
        stated_severity,
        scorer,
        product_ids,
    } = s;
    Ok(CvssRec {
        version: CvssVersionRec::of(*version)?,
        vector: vector.clone(),
        base_score: *base_score,
        severity: severity.map(SeverityRec::of).transpose()?,
        stated_score: *stated_score,
        stated_severity: stated_severity.clone(),
        scorer: scorer.clone(),
        product_ids: product_ids.clone(),
    })
}

fn product(p: &Product) -> Result<ProductRec, StoreError> {
    let Product {
        product_id,
        vendor,
        family,
        name,
        full_name,
        ecosystem,
        versions,
        purl,
        cpe,
        model_numbers,
        skus,
        serial_numbers,
        hashes,
        sbom_urls,
        generic_uris,
        branches,
    } = p;
    Ok(ProductRec {
        product_id: product_id.clone(),
        vendor: vendor.clone(),
        family: family.clone(),
        name: name.clone(),
        full_name: full_name.clone(),
        ecosystem: ecosystem.clone(),
        versions: all(versions, version_spec)?,
        purl: purl.clone(),
        cpe: cpe.clone(),
        model_numbers: model_numbers.clone(),
        skus: skus.clone(),
        serial_numbers: serial_numbers.clone(),
        hashes: hashes
            .iter()
            .map(|h| {
                let FileHashes { filename, hashes } = h;
                (filename.clone(), hashes.clone())
            })
            .collect(),
        sbom_urls: sbom_urls.clone(),
        generic_uris: generic_uris
            .iter()
            .map(|g| {
                let GenericUri { namespace, uri } = g;
                (namespace.clone(), uri.clone())
            })
            .collect(),
        branches: all(branches, |b| {
            let BranchStep { category, name } = b;
            Ok((BranchCategoryRec::of(*category)?, name.clone()))
        })?,
    })
}

fn bound(b: &Option<Bound>) -> Option<(String, bool)> {
    b.as_ref().map(|b| {
        let Bound { version, inclusive } = b;
        (version.clone(), *inclusive)
    })
}

fn version_spec(v: &VersionSpec) -> Result<VersionSpecRec, StoreError> {
    Ok(match v {
        VersionSpec::Exact(s) => VersionSpecRec::Exact(s.clone()),
        VersionSpec::Vers(s) => VersionSpecRec::Vers(s.clone()),
        VersionSpec::FreeText(s) => VersionSpecRec::FreeText(s.clone()),
        VersionSpec::Osv(r) => {
            let OsvRange { kind, repo, events } = r;
            let events = all(events, |e| {
                Ok(match e {
                    RangeEvent::Introduced(s) => RangeEventRec::Introduced(s.clone()),
                    RangeEvent::Fixed(s) => RangeEventRec::Fixed(s.clone()),
                    RangeEvent::LastAffected(s) => RangeEventRec::LastAffected(s.clone()),
                    RangeEvent::Limit(s) => RangeEventRec::Limit(s.clone()),
                    _ => return Err(unknown("RangeEvent")),
                })
            })?;
            VersionSpecRec::Osv(OsvRangeRec(RangeKindRec::of(*kind)?, repo.clone(), events))
        }
        VersionSpec::Versions(list) => VersionSpecRec::Versions(list.clone()),
        VersionSpec::Bounds(b) => {
            let VersionBounds { start, end } = b;
            VersionSpecRec::Bounds(bound(start), bound(end))
        }
        VersionSpec::NotIn { patched, unaffected } => {
            VersionSpecRec::NotIn(patched.clone(), unaffected.clone())
        }
        VersionSpec::All => VersionSpecRec::All,
        _ => return Err(unknown("VersionSpec")),
    })
}

/// The record form of a block's records.
pub(crate) fn to_record(records: &Records) -> Result<RecordsRec, StoreError> {
    Ok(match records {
        Records::Advisories(a) => RecordsRec::Advisories(all(a, advisory)?),
        Records::Kev {
            version,
            entries,
            advisories,
        } => RecordsRec::Kev {
            version: version.clone(),
            entries: entries
                .iter()
                .map(|(cve, k)| {
                    let KevInfo {
                        date_added,
                        due_date,
                        ransomware,
                        vendor_project,
                        product,
                    } = k;
                    let rec = KevRec(
                        date_added.clone(),
                        due_date.clone(),
                        *ransomware,
                        vendor_project.clone(),
                        product.clone(),
                    );
                    (cve.clone(), rec)
                })
                .collect(),
            advisories: all(advisories, advisory)?,
        },
        Records::Epss { date, rows } => RecordsRec::Epss {
            date: date.clone(),
            rows: rows
                .iter()
                .map(|(cve, e)| {
                    let EpssInfo { score, percentile } = *e;
                    (cve.clone(), EpssRec(score, percentile))
                })
                .collect(),
        },
    })
}
