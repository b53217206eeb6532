//! Blocks read for one scan: the same bytes as [`RecordsRec`], read through mirror types that
//! skip what matching never reads, so those strings are checked and passed over, never allocated.
//!
//! Skipped, left empty in the domain values: an advisory's description, publication date, CWE
//! ids, threats and references; a remediation's details text; an affected product's impact
//! statement and origin pointer; a product's serial numbers, SBOM URLs, generic URIs and product
//! tree branches. Everything else is read as [`RecordsRec`] reads it. The types below mirror the
//! record types field by field in their order (postcard has no field names): a test decodes the
//! `format_guard` record set both ways and compares.

use std::marker::PhantomData;

#[cfg(test)]
use levee_advisory::{Advisory, Product};
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};

use super::{
    AdvisoryRec, AffectedRec, BranchCategoryRec, ConfigurationRec, CvssRec, JustificationRec, KevRec,
    KnownExploitedRec, OriginRec, ProductRec, ProductStatusRec, RecordsRec, RelationshipCategoryRec,
    RelationshipRec, RemediationCategoryRec, RemediationRec, SourceRec, VersionSpecRec,
};
use crate::records::Records;

/// A string read (borrowed from the block) and dropped.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de str>::deserialize(d).map(|_| Skip)
    }
}

/// A sequence read element by element and dropped (no vector is built).
struct SkipSeq<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for SkipSeq<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Each<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Each<T> {
            type Value = SkipSeq<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<T>()?.is_some() {}
                Ok(SkipSeq(PhantomData))
            }
        }
        d.deserialize_seq(Each(PhantomData))
    }
}

/// [`RecordsRec`] for a scan. An EPSS block is never read this way (see
/// [`super::epss_kept`]).
#[derive(Deserialize)]
enum LeanRecords {
    Advisories(Vec<LeanAdvisory>),
    Kev {
        version: String,
        entries: Vec<(String, KevRec)>,
        advisories: Vec<LeanAdvisory>,
    },
    Epss(NotRead),
}

/// The EPSS variant, refused.
enum NotRead {}

impl<'de> Deserialize<'de> for NotRead {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(
            "an EPSS block is read by its own reader",
        ))
    }
}

/// [`AdvisoryRec`].
#[derive(Deserialize)]
struct LeanAdvisory {
    id: String,
    source: SourceRec,
    document_id: Option<String>,
    title: Option<String>,
    _description: Option<Skip>,
    _published: Option<Skip>,
    modified: Option<String>,
    withdrawn: Option<String>,
    cves: Vec<String>,
    aliases: Vec<String>,
    related: Vec<String>,
    affected: Vec<LeanAffected>,
    remediations: Vec<LeanRemediation>,
    configurations: Vec<ConfigurationRec>,
    cvss: Vec<CvssRec>,
    severity_text: Option<String>,
    _cwe: SkipSeq<Skip>,
    _threats: SkipSeq<(Skip, Skip, Option<Skip>, SkipSeq<Skip>)>,
    known_exploited: Option<KnownExploitedRec>,
    _references: SkipSeq<(Skip, Option<Skip>, Option<Skip>)>,
    origin: OriginRec,
}

/// [`RemediationRec`]: category, details (skipped), URL, date, product ids.
type LeanRemediation = (
    RemediationCategoryRec,
    Skip,
    Option<String>,
    Option<String>,
    Vec<String>,
);

/// [`AffectedRec`].
#[derive(Deserialize)]
struct LeanAffected {
    product: LeanProduct,
    status: ProductStatusRec,
    relationships: Vec<(RelationshipCategoryRec, LeanProduct)>,
    remediations: Vec<usize>,
    justification: Option<JustificationRec>,
    _impact: Option<Skip>,
    configuration: Option<usize>,
    _origin: Skip,
}

/// [`ProductRec`].
#[derive(Deserialize)]
struct LeanProduct {
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
    _serial_numbers: SkipSeq<Skip>,
    hashes: Vec<(String, Vec<(String, String)>)>,
    _sbom_urls: SkipSeq<Skip>,
    _generic_uris: SkipSeq<(Skip, Skip)>,
    _branches: SkipSeq<(BranchCategoryRec, Skip)>,
}

/// Decodes an advisory or KEV block for a scan (see the module documentation).
pub(crate) fn scan_records(bytes: &[u8]) -> Result<Records, postcard::Error> {
    let rec = match postcard::from_bytes::<LeanRecords>(bytes)? {
        LeanRecords::Advisories(a) => RecordsRec::Advisories(a.into_iter().map(LeanAdvisory::full).collect()),
        LeanRecords::Kev {
            version,
            entries,
            advisories,
        } => RecordsRec::Kev {
            version,
            entries,
            advisories: advisories.into_iter().map(LeanAdvisory::full).collect(),
        },
        LeanRecords::Epss(never) => match never {},
    };
    Ok(rec.into_records())
}

// Each lean record becomes its full record with the skipped fields empty, so there is one
// conversion to the domain types (`decode`).

impl LeanAdvisory {
    fn full(self) -> AdvisoryRec {
        AdvisoryRec {
            id: self.id,
            source: self.source,
            document_id: self.document_id,
            title: self.title,
            description: None,
            published: None,
            modified: self.modified,
            withdrawn: self.withdrawn,
            cves: self.cves,
            aliases: self.aliases,
            related: self.related,
            affected: self.affected.into_iter().map(LeanAffected::full).collect(),
            remediations: self
                .remediations
                .into_iter()
                .map(|(category, Skip, url, date, product_ids)| {
                    RemediationRec(category, String::new(), url, date, product_ids)
                })
                .collect(),
            configurations: self.configurations,
            cvss: self.cvss,
            severity_text: self.severity_text,
            cwe: Vec::new(),
            threats: Vec::new(),
            known_exploited: self.known_exploited,
            references: Vec::new(),
            origin: self.origin,
        }
    }
}

impl LeanAffected {
    fn full(self) -> AffectedRec {
        AffectedRec {
            product: self.product.full(),
            status: self.status,
            relationships: self
                .relationships
                .into_iter()
                .map(|(category, platform)| RelationshipRec(category, Box::new(platform.full())))
                .collect(),
            remediations: self.remediations,
            justification: self.justification,
            impact: None,
            configuration: self.configuration,
            origin: String::new(),
        }
    }
}

impl LeanProduct {
    fn full(self) -> ProductRec {
        ProductRec {
            product_id: self.product_id,
            vendor: self.vendor,
            family: self.family,
            name: self.name,
            full_name: self.full_name,
            ecosystem: self.ecosystem,
            versions: self.versions,
            purl: self.purl,
            cpe: self.cpe,
            model_numbers: self.model_numbers,
            skus: self.skus,
            serial_numbers: Vec::new(),
            hashes: self.hashes,
            sbom_urls: Vec::new(),
            generic_uris: Vec::new(),
            branches: Vec::new(),
        }
    }
}

/// `advisory` as [`scan_records`] reads it: the skipped fields emptied.
#[cfg(test)]
pub(crate) fn as_scanned(mut a: Advisory) -> Advisory {
    a.description = None;
    a.published = None;
    a.cwe.clear();
    a.threats.clear();
    a.references.clear();
    for r in &mut a.remediations {
        r.details.clear();
    }
    let product = |p: &mut Product| {
        p.serial_numbers.clear();
        p.sbom_urls.clear();
        p.generic_uris.clear();
        p.branches.clear();
    };
    for ap in &mut a.affected {
        ap.impact = None;
        ap.origin.clear();
        product(&mut ap.product);
        for r in &mut ap.relationships {
            product(&mut r.platform);
        }
    }
    a
}
