//! What the store keeps about each block so that an open for one SBOM decodes only the blocks
//! that SBOM can match ([`levee_vuln::prefilter`]): the lookup keys of its advisories and the heads
//! every advisory contributes to the alias graph. Kept in the header, worked out at import.

use levee_vuln::prefilter::{AdvisoryHead, AdvisoryKeys};
use serde::{Deserialize, Serialize};

use super::SourceRec;
use crate::error::StoreError;
use crate::records::Records;

/// [`AdvisoryKeys`], field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeysRec {
    purls: Vec<(String, String, String)>,
    ecosystems: Vec<(String, String)>,
    hashes: Vec<String>,
    cpes: Vec<(String, String)>,
    vendors: Vec<String>,
    placeholder: bool,
}

/// [`AdvisoryHead`], field by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct HeadRec {
    id: String,
    source: SourceRec,
    modified: Option<String>,
    ids: Vec<String>,
    document: Option<String>,
}

/// The lookup keys and advisory heads of one block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LookupRec {
    keys: KeysRec,
    heads: Vec<HeadRec>,
}

impl LookupRec {
    /// The lookup record of a block's records (empty for KEV and EPSS, whose advisories the index
    /// does not file and whose blocks every open decodes).
    pub(crate) fn of(records: &Records) -> Result<LookupRec, StoreError> {
        let Records::Advisories(advisories) = records else {
            return Ok(LookupRec::default());
        };
        let AdvisoryKeys {
            purls,
            ecosystems,
            hashes,
            cpes,
            vendors,
            placeholder,
        } = AdvisoryKeys::of(advisories);
        let heads = advisories
            .iter()
            .map(|a| {
                let AdvisoryHead {
                    id,
                    source,
                    modified,
                    ids,
                    document,
                } = AdvisoryHead::of(a);
                Ok(HeadRec {
                    id,
                    source: SourceRec::of(source)?,
                    modified,
                    ids,
                    document,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(LookupRec {
            keys: KeysRec {
                purls,
                ecosystems,
                hashes,
                cpes,
                vendors,
                placeholder,
            },
            heads,
        })
    }

    /// The lookup keys and the advisory heads, moved out (the record is left empty).
    pub(crate) fn take(&mut self) -> (AdvisoryKeys, Vec<AdvisoryHead>) {
        let LookupRec { keys, heads } = std::mem::take(self);
        let KeysRec {
            purls,
            ecosystems,
            hashes,
            cpes,
            vendors,
            placeholder,
        } = keys;
        let heads = heads
            .into_iter()
            .map(|h| AdvisoryHead {
                id: h.id,
                source: h.source.into_domain(),
                modified: h.modified,
                ids: h.ids,
                document: h.document,
            })
            .collect();
        (
            AdvisoryKeys {
                purls,
                ecosystems,
                hashes,
                cpes,
                vendors,
                placeholder,
            },
            heads,
        )
    }
}
