//! Records back to domain types: every string moved, nothing re-parsed.

use levee_advisory::{
    Advisory, AffectedProduct, Bound, BranchStep, ConfigNode, Configuration, CpeMatch, CvssScore, FileHashes,
    GenericUri, KnownExploited, Origin, OsvRange, Product, RangeEvent, Reference, Relationship, Remediation,
    Threat, VersionBounds, VersionSpec,
};
use levee_vuln::snapshot::{EpssInfo, KevInfo};

use super::*;
use crate::records::Records;

impl RecordsRec {
    /// The domain form, moving every string.
    pub(crate) fn into_records(self) -> Records {
        match self {
            RecordsRec::Advisories(a) => {
                Records::Advisories(a.into_iter().map(AdvisoryRec::into_domain).collect())
            }
            RecordsRec::Kev {
                version,
                entries,
                advisories,
            } => Records::Kev {
                version,
                entries: entries
                    .into_iter()
                    .map(|(cve, k)| (cve, k.into_domain()))
                    .collect(),
                advisories: advisories.into_iter().map(AdvisoryRec::into_domain).collect(),
            },
            RecordsRec::Epss { date, rows } => Records::Epss {
                date,
                rows: rows
                    .into_iter()
                    .map(|(cve, EpssRec(score, percentile))| (cve, EpssInfo { score, percentile }))
                    .collect(),
            },
        }
    }
}

impl KevRec {
    pub(super) fn into_domain(self) -> KevInfo {
        let KevRec(date_added, due_date, ransomware, vendor_project, product) = self;
        KevInfo {
            date_added,
            due_date,
            ransomware,
            vendor_project,
            product,
        }
    }
}

impl KnownExploitedRec {
    pub(super) fn into_domain(self) -> KnownExploited {
        let KnownExploitedRec(date_added, due_date, ransomware, required_action) = self;
        KnownExploited {
            date_added,
            due_date,
            ransomware,
            required_action,
        }
    }
}

impl AdvisoryRec {
    fn into_domain(self) -> Advisory {
        Advisory {
            id: self.id,
            source: self.source.into_domain(),
            document_id: self.document_id,
            title: self.title,
            description: self.description,
            published: self.published,
            modified: self.modified,
            withdrawn: self.withdrawn,
            cves: self.cves,
            aliases: self.aliases,
            related: self.related,
            affected: self.affected.into_iter().map(AffectedRec::into_domain).collect(),
            remediations: self
                .remediations
                .into_iter()
                .map(
                    |RemediationRec(category, details, url, date, product_ids)| Remediation {
                        category: category.into_domain(),
                        details,
                        url,
                        date,
                        product_ids,
                    },
                )
                .collect(),
            configurations: self
                .configurations
                .into_iter()
                .map(ConfigurationRec::into_domain)
                .collect(),
            cvss: self.cvss.into_iter().map(CvssRec::into_domain).collect(),
            severity_text: self.severity_text,
            cwe: self.cwe,
            threats: self
                .threats
                .into_iter()
                .map(|ThreatRec(category, details, date, product_ids)| Threat {
                    category,
                    details,
                    date,
                    product_ids,
                })
                .collect(),
            known_exploited: self.known_exploited.map(KnownExploitedRec::into_domain),
            references: self
                .references
                .into_iter()
                .map(|ReferenceRec(url, kind, summary)| Reference { url, kind, summary })
                .collect(),
            origin: Origin {
                file: self.origin.0,
                pointer: self.origin.1,
            },
        }
    }
}

impl AffectedRec {
    fn into_domain(self) -> AffectedProduct {
        AffectedProduct {
            product: self.product.into_domain(),
            status: self.status.into_domain(),
            relationships: self
                .relationships
                .into_iter()
                .map(|RelationshipRec(category, platform)| Relationship {
                    category: category.into_domain(),
                    platform: Box::new(platform.into_domain()),
                })
                .collect(),
            remediations: self.remediations,
            justification: self.justification.map(JustificationRec::into_domain),
            impact: self.impact,
            configuration: self.configuration,
            origin: self.origin,
        }
    }
}

impl ConfigurationRec {
    pub(super) fn into_domain(self) -> Configuration {
        let ConfigurationRec(operator, negate, nodes) = self;
        Configuration {
            operator: operator.into_domain(),
            negate,
            nodes: nodes
                .into_iter()
                .map(|ConfigNodeRec(operator, negate, matches)| ConfigNode {
                    operator: operator.into_domain(),
                    negate,
                    matches: matches
                        .into_iter()
                        .map(
                            |CpeMatchRec(vulnerable, criteria, versions, match_criteria_id)| CpeMatch {
                                vulnerable,
                                criteria,
                                versions: versions.into_domain(),
                                match_criteria_id,
                            },
                        )
                        .collect(),
                })
                .collect(),
        }
    }
}

impl CvssRec {
    pub(super) fn into_domain(self) -> CvssScore {
        CvssScore {
            version: self.version.into_domain(),
            vector: self.vector,
            base_score: self.base_score,
            severity: self.severity.map(SeverityRec::into_domain),
            stated_score: self.stated_score,
            stated_severity: self.stated_severity,
            scorer: self.scorer,
            product_ids: self.product_ids,
        }
    }
}

impl ProductRec {
    fn into_domain(self) -> Product {
        Product {
            product_id: self.product_id,
            vendor: self.vendor,
            family: self.family,
            name: self.name,
            full_name: self.full_name,
            ecosystem: self.ecosystem,
            versions: self
                .versions
                .into_iter()
                .map(VersionSpecRec::into_domain)
                .collect(),
            purl: self.purl,
            cpe: self.cpe,
            model_numbers: self.model_numbers,
            skus: self.skus,
            serial_numbers: self.serial_numbers,
            hashes: self
                .hashes
                .into_iter()
                .map(|(filename, hashes)| FileHashes { filename, hashes })
                .collect(),
            sbom_urls: self.sbom_urls,
            generic_uris: self
                .generic_uris
                .into_iter()
                .map(|(namespace, uri)| GenericUri { namespace, uri })
                .collect(),
            branches: self
                .branches
                .into_iter()
                .map(|(category, name)| BranchStep {
                    category: category.into_domain(),
                    name,
                })
                .collect(),
        }
    }
}

fn bound_of(b: Option<(String, bool)>) -> Option<Bound> {
    b.map(|(version, inclusive)| Bound { version, inclusive })
}

impl VersionSpecRec {
    pub(super) fn into_domain(self) -> VersionSpec {
        match self {
            VersionSpecRec::Exact(s) => VersionSpec::Exact(s),
            VersionSpecRec::Vers(s) => VersionSpec::Vers(s),
            VersionSpecRec::FreeText(s) => VersionSpec::FreeText(s),
            VersionSpecRec::Osv(OsvRangeRec(kind, repo, events)) => VersionSpec::Osv(OsvRange {
                kind: kind.into_domain(),
                repo,
                events: events
                    .into_iter()
                    .map(|e| match e {
                        RangeEventRec::Introduced(s) => RangeEvent::Introduced(s),
                        RangeEventRec::Fixed(s) => RangeEvent::Fixed(s),
                        RangeEventRec::LastAffected(s) => RangeEvent::LastAffected(s),
                        RangeEventRec::Limit(s) => RangeEvent::Limit(s),
                    })
                    .collect(),
            }),
            VersionSpecRec::Versions(list) => VersionSpec::Versions(list),
            VersionSpecRec::Bounds(start, end) => VersionSpec::Bounds(VersionBounds {
                start: bound_of(start),
                end: bound_of(end),
            }),
            VersionSpecRec::NotIn(patched, unaffected) => VersionSpec::NotIn { patched, unaffected },
            VersionSpecRec::All => VersionSpec::All,
        }
    }
}

/// The variant index of [`RecordsRec::Epss`] in postcard's encoding (variants in order).
const EPSS_VARIANT: u32 = 2;

/// Decodes an EPSS block keeping only the rows whose CVE is in `keep` (sorted, without
/// duplicates). The block is read row by row (postcard: the variant index, the date, the row
/// count, then the rows) with each CVE id borrowed as bytes and compared with the next id of
/// `keep`, both lists being sorted: a scan passes over every row once without allocating or
/// hashing, and only kept ids are checked as UTF-8 and copied. Rows out of order (never written by
/// an import) fall back to a binary search of `keep`, so the result is the same.
pub(crate) fn epss_kept(bytes: &[u8], keep: &[String]) -> Result<Records, postcard::Error> {
    debug_assert!(
        keep.windows(2).all(|w| w[0] < w[1]),
        "the keep list is sorted and unique"
    );
    let (variant, rest) = postcard::take_from_bytes::<u32>(bytes)?;
    if variant != EPSS_VARIANT {
        return Err(postcard::Error::DeserializeBadEnum);
    }
    let (date, rest) = postcard::take_from_bytes::<Option<&str>>(rest)?;
    let (count, mut rest) = postcard::take_from_bytes::<usize>(rest)?;
    let mut rows = Vec::new();
    let (mut next, mut previous, mut sorted): (usize, &[u8], bool) = (0, &[], true);
    for _ in 0..count {
        let ((cve, EpssRec(score, percentile)), after) = postcard::take_from_bytes::<(&[u8], EpssRec)>(rest)?;
        rest = after;
        sorted &= cve >= previous;
        previous = cve;
        let kept = if sorted {
            while keep.get(next).is_some_and(|k| k.as_bytes() < cve) {
                next += 1;
            }
            keep.get(next).is_some_and(|k| k.as_bytes() == cve)
        } else {
            keep.binary_search_by(|k| k.as_bytes().cmp(cve)).is_ok()
        };
        if kept {
            let cve = std::str::from_utf8(cve).map_err(|_| postcard::Error::DeserializeBadUtf8)?;
            rows.push((cve.to_owned(), EpssInfo { score, percentile }));
        }
    }
    if !rest.is_empty() {
        return Err(postcard::Error::DeserializeBadEncoding);
    }
    Ok(Records::Epss {
        date: date.map(str::to_owned),
        rows,
    })
}
